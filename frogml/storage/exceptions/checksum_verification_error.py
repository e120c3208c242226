"""JFrog's ChecksumVerificationError: frogml's IntegrityError (bytes that did not match
their SHA-256 or size; they were discarded)."""

from frogml.domain.errors import IntegrityError

ChecksumVerificationError = IntegrityError

__all__ = ["ChecksumVerificationError"]

"""Every error frogml raises; catch :class:`FrogMLError` to catch them all."""

from frogml.domain.errors import (
    AlreadyExistsError,
    AuthenticationError,
    ConfigurationError,
    FrogMLError,
    IntegrityError,
    InterruptedTransferError,
    LocalFileError,
    NotArtifactoryError,
    NotFoundError,
    PermissionDeniedError,
    ProtocolError,
    TargetConflictError,
    TransientError,
    UnsupportedFilesError,
    ValidationError,
)

__all__ = [
    "AlreadyExistsError",
    "AuthenticationError",
    "ConfigurationError",
    "FrogMLError",
    "IntegrityError",
    "InterruptedTransferError",
    "LocalFileError",
    "NotArtifactoryError",
    "NotFoundError",
    "PermissionDeniedError",
    "ProtocolError",
    "TargetConflictError",
    "TransientError",
    "UnsupportedFilesError",
    "ValidationError",
]

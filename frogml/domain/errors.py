"""The one error tree of frogml.

Every error a user or an embedding service can see derives from :class:`FrogMLError`.
Adapters translate foreign exceptions (urllib3, OSError, msgspec) into these at their
boundary, so callers never need to catch anything else.
"""

from __future__ import annotations

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


class FrogMLError(Exception):
    """Base of every frogml error; ``hint`` tells the user what to do next."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message} ({self.hint})"


class ValidationError(FrogMLError, ValueError):
    """An argument or input file broke a rule; nothing was sent or written."""

    def __init__(self, message: str, *, field: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.field = field


class NotFoundError(FrogMLError, LookupError):
    """The repository, entity, version or file does not exist."""

    def __init__(self, message: str, *, what: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.what = what


class AlreadyExistsError(FrogMLError):
    """A published version is immutable and cannot be published again."""

    def __init__(self, message: str, *, what: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.what = what


class IntegrityError(FrogMLError):
    """Bytes did not match their expected size or SHA-256; they were discarded."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        expected: str | None = None,
        actual: str | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.expected = expected
        self.actual = actual


class AuthenticationError(FrogMLError):
    """The server rejected the credentials, or credentials are missing."""

    def __init__(self, message: str, *, hint: str | None = "run `frogml login`") -> None:
        super().__init__(message, hint=hint)


class PermissionDeniedError(FrogMLError):
    """The credentials are valid but lack the permission for this action."""


class TransientError(FrogMLError):
    """The server or network failed in a way that may succeed when tried again."""

    def __init__(self, message: str, *, status: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


class ProtocolError(FrogMLError):
    """The server answered something frogml cannot accept (malformed or unsafe)."""


class NotArtifactoryError(ProtocolError):
    """The server answered, but not as Artifactory does (an HTML page, JSON of another
    shape): the URL most likely names another server."""

    def __init__(
        self, message: str, *, answered: str = "an answer of another kind", hint: str | None = None
    ) -> None:
        super().__init__(
            message, hint=hint or "give the Artifactory URL, e.g. https://acme.jfrog.io/artifactory"
        )
        self.answered = answered


class ConfigurationError(FrogMLError):
    """A configuration file, environment variable or setting is invalid."""

    def __init__(self, message: str, *, source: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.source = source


class LocalFileError(FrogMLError):
    """A local file or folder (a source, a download target, the embedded store's own
    files) could not be read or written; ``path`` names it."""

    def __init__(self, message: str, *, path: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.path = path


class UnsupportedFilesError(LocalFileError):
    """Files of an upload source that cannot be uploaded (a FIFO, socket or device file,
    an unreadable file, a link loop); nothing was sent. ``path`` is the source, ``paths``
    the files, ``excludes`` the patterns that would leave them out."""

    def __init__(
        self,
        message: str,
        *,
        path: str,
        paths: tuple[str, ...],
        excludes: tuple[str, ...],
        hint: str | None = None,
    ) -> None:
        super().__init__(message, path=path, hint=hint)
        self.paths = paths
        self.excludes = excludes


class TargetConflictError(FrogMLError):
    """Files of a download target differ from the version, or stand where its files go;
    nothing was written. ``paths`` are relative to ``target``."""

    def __init__(
        self, message: str, *, target: str, paths: tuple[str, ...], hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.target = target
        self.paths = paths


class InterruptedTransferError(FrogMLError):
    """The transfer was interrupted; running the same command again resumes it."""

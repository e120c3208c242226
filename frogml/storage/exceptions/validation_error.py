"""JFrog's validation errors, as names of frogml's.

``except FrogMLValidationError`` catches every frogml ValidationError (bad names,
arguments, paths, files), which is a ``ValueError`` as JFrog's is.
``IllegalManifestPathError`` (a manifest that would write outside the target) is
frogml's ProtocolError: an unsafe answer from the server.
"""

from frogml.domain.errors import ProtocolError, ValidationError

FrogMLValidationError = ValidationError
IllegalManifestPathError = ProtocolError

__all__ = ["FrogMLValidationError", "IllegalManifestPathError"]

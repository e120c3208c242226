"""Reading what the server's answers mean: versions, times, upload paths, artifacts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

from frogml.domain.errors import ProtocolError, ValidationError
from frogml.domain.model.entity import EntityRef
from frogml.domain.model.manifest import Artifact, Manifest
from frogml.domain.model.names import check_artifact_path, is_valid_name

__all__ = [
    "artifacts_of",
    "foreign_file_answer",
    "relative_path",
    "started_at",
    "timestamp",
    "version_of",
]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_OFFSET = re.compile(r"([+-]\d\d)(\d\d)$")
_TOTAL = re.compile(r"bytes\s+\d+-\d+/(\d+)\s*$", re.IGNORECASE)
_QUOTED = 80  # characters of server text quoted in a message, at most


def _quoted(value: str) -> str:
    """Server text in a message: quoted and escaped (``repr``), cut when long."""
    return repr(value) if len(value) <= _QUOTED else repr(value[:_QUOTED]) + "…"


def _length(header: str) -> int:
    """A ``Content-Length``: one number of ASCII digits, or a list of equal ones (as
    urllib3 takes it); -1 when it is none of these (``²`` passes ``str.isdigit``)."""
    values = {v.strip() for v in header.split(",")}
    if len(values) != 1:
        return -1
    value = values.pop()
    return int(value) if value.isascii() and value.isdigit() else -1


def artifacts_of(manifest: Manifest) -> list[Artifact]:
    """Every artifact of a manifest, whatever its area."""
    return [artifact for _, artifact in manifest.entries()]


def relative_path(path: str, what: str) -> str:
    """A repository-relative upload path from the server, refused when unsafe."""
    try:
        return check_artifact_path(path.strip("/"), field="upload path")
    except ValidationError as exc:
        raise ProtocolError(f"{what}: server sent an unsafe upload path {path!r}") from exc


def version_of(files_upload_path: str, ref: EntityRef, what: str) -> str:
    """The version in ``{models|datasets}/{entity}/tmp/{version}/…`` (the server's choice
    when ``ref`` names none)."""
    prefix = f"{ref.kind.folder}/{ref.entity_path}/tmp/"  # noqa: S108  (a repository path)
    path = files_upload_path.strip("/")
    version = path[len(prefix) :].split("/", 1)[0] if path.startswith(prefix) else ""
    if not is_valid_name(version) or ref.version not in (None, version):
        raise ProtocolError(f"{what}: unexpected filesUploadPath {files_upload_path!r}")
    return version


def started_at(transaction_id: str, what: str) -> datetime:
    """The transaction's start: its id is epoch milliseconds (UTC)."""
    if not (transaction_id.isascii() and transaction_id.isdigit()) or len(transaction_id) > 15:
        raise ProtocolError(
            f"{what}: transactionId {_quoted(transaction_id)} is not epoch milliseconds"
        )
    try:  # 15 digits reach past the year 9999
        return _EPOCH + timedelta(milliseconds=int(transaction_id))
    except OverflowError:
        raise ProtocolError(
            f"{what}: transactionId {_quoted(transaction_id)} is out of range"
        ) from None


def timestamp(value: str | None, what: str) -> datetime:
    """An Artifactory date (``2023-10-20T15:25:58.265Z`` or with an offset), in UTC."""
    text = _OFFSET.sub(r"\1:\2", (value or "").strip().replace("Z", "+00:00"))
    try:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        # In UTC here, where it may fail: 9999-12-31T23:59:59-01:00 is past the year 9999.
        return moment.astimezone(timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise ProtocolError(f"{what}: bad lastModified {_quoted(value or '')}") from None


def foreign_file_answer(headers: Mapping[str, str], *, size: int, expected: int) -> str | None:
    """Why an answer to a file's GET (200, or 206 for a range) is not that file; None
    when it may be. ``expected`` is the body length asked for, ``size`` the file's.

    Checked before a byte is written, so that a proxy's login page or another file
    never becomes a resumable partial file: an announced length must be ``expected``,
    a range must be of a file of ``size`` bytes, and an HTML page is only accepted
    with exactly the expected length (the file may be a page).
    """
    length = (headers.get("Content-Length") or "").strip()
    announced = _length(length) if length else None
    if announced == -1:
        return f"an unreadable Content-Length {_quoted(length)}"
    if (headers.get("Content-Type") or "").lower().startswith("text/html") and (
        announced != expected
    ):
        return "an HTML page in place of the file"
    if announced is not None and announced != expected:
        return f"{announced} bytes in place of the {expected} expected"
    total = _TOTAL.match(headers.get("Content-Range") or "")
    if total is not None and int(total[1]) != size:
        return f"a range of a file of {total[1]} bytes, not {size}"
    return None

"""Rules for names, namespaces, versions, property keys and values, and artifact paths.

JFrog's client enforces the same name rule on the client side; frogml checks every
name before anything is sent, so a typo never reaches the server.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Mapping

from frogml.domain.errors import ValidationError

__all__ = [
    "MAX_NAME_LENGTH",
    "MAX_PATH_LENGTH",
    "check_artifact_path",
    "check_base_name",
    "check_distinct",
    "check_name",
    "check_properties",
    "file_used_as_folder",
    "is_valid_name",
    "same_file_key",
]

MAX_NAME_LENGTH = 60
# No common disk holds a longer relative path (Linux allows 4,096 bytes in all), and
# checks over a path's folders stay cheap below it, whatever a server sends.
MAX_PATH_LENGTH = 4096
_NAME = re.compile(r"[a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)*")
_DRIVE = re.compile(r"^[A-Za-z]:")
_NAME_HINT = "use letters, digits, '_', '-' and inner dots, at most 60 characters"


def is_valid_name(value: str) -> bool:
    """True when ``value`` is a valid name, namespace, version or property key."""
    return len(value) <= MAX_NAME_LENGTH and _NAME.fullmatch(value) is not None


def check_name(value: object, *, field: str) -> str:
    """Return ``value`` when it is a valid name; raise :class:`ValidationError` otherwise."""
    if not isinstance(value, str) or not is_valid_name(value):
        raise ValidationError(f"invalid {field} {value!r}", field=field, hint=_NAME_HINT)
    return value


def check_properties(properties: Mapping[str, object] | None) -> dict[str, str]:
    """Validate user properties: keys are names (Artifactory's rule, as JFrog's client
    checks it); a value is any text, empty included, as Artifactory stores it."""
    if properties is None:
        return {}
    checked: dict[str, str] = {}
    for key, value in properties.items():
        check_name(key, field="property key")
        if not isinstance(value, str):
            raise ValidationError(
                f"the value of property {key!r} must be text, got {type(value).__name__}",
                field="property value",
            )
        checked[key] = value
    return checked


def _looks_like_dots(segment: str) -> bool:
    # Whitespace, NBSP and control characters must not hide a '.' or '..' segment.
    if segment.isprintable() and " " not in segment:
        return segment in ("", ".", "..")  # nothing hidden: the usual case, at C speed
    visible = "".join(
        ch for ch in segment if not ch.isspace() and unicodedata.category(ch)[0] != "C"
    )
    return visible in ("", ".", "..")


def check_artifact_path(path: object, *, field: str = "artifact path") -> str:
    """Return ``path`` when it is a safe relative POSIX path; raise otherwise.

    Refused: empty, longer than :data:`MAX_PATH_LENGTH`, absolute, a drive letter, a
    backslash, a control character, or an empty, ``.`` or ``..`` segment (also when
    hidden by whitespace or control characters).
    """
    if not isinstance(path, str) or path == "":
        raise ValidationError(f"{field} must be a non-empty string, got {path!r}", field=field)
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        shown = path.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
        raise ValidationError(
            f"{field} {shown!r} is not valid UTF-8; a server cannot store that name",
            field=field,
            hint="rename the file",
        ) from None
    if len(path) > MAX_PATH_LENGTH:
        raise ValidationError(
            f"{field} {path[:100]!r}… is longer than {MAX_PATH_LENGTH} characters",
            field=field,
        )
    if "\\" in path:
        raise ValidationError(
            f"{field} {path!r} holds a backslash, which Windows and some proxies take for a "
            "folder separator",
            field=field,
            hint="rename the file",
        )
    if path.startswith("/") or _DRIVE.match(path):
        raise ValidationError(f"{field} {path!r} is not a relative POSIX path", field=field)
    # Printable text holds no control character: only other text is read a character
    # at a time (this runs for every file of a version, 100,000s of times).
    if not path.isprintable() and any(unicodedata.category(ch) == "Cc" for ch in path):
        raise ValidationError(f"{field} {path!r} contains a control character", field=field)
    if any(_looks_like_dots(segment) for segment in path.split("/")):
        raise ValidationError(f"{field} {path!r} has an empty, '.' or '..' segment", field=field)
    return path


def check_distinct(paths: Iterable[str], *, what: str, fold_case: bool = False) -> None:
    """Refuse two paths that name one file, and a file another path uses as a folder.

    Paths that differ only by Unicode normalization name one file on some disks and
    cannot be told apart by a reader; those that differ only by case are distinct (as
    in Artifactory) unless ``fold_case`` says the disk at hand ignores case.
    """
    seen: dict[str, str] = {}
    for path in paths:
        key = same_file_key(path) if fold_case else unicodedata.normalize("NFC", path)
        first = seen.get(key)
        if first is None:
            seen[key] = path
            continue
        if first == path:
            why = f"lists {path!r} twice"
        elif unicodedata.normalize("NFC", first) == unicodedata.normalize("NFC", path):
            why = f"names {first!r} and {path!r}, which differ only by Unicode normalization"
        else:
            why = f"names {first!r} and {path!r}, one file on a disk that ignores case"
        raise ValidationError(f"{what} {why}", field=what)
    clash = file_used_as_folder(seen)
    if clash is not None:
        raise ValidationError(
            f"{what} uses {seen[clash]!r} both as a file and a folder", field=what
        )


def same_file_key(path: str) -> str:
    """Equal for two paths some disk takes for one file: macOS folds case and Unicode
    normalization, Windows folds case (Unicode's canonical caseless match)."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", path).casefold())


def check_base_name(path: object, *, field: str) -> str:
    """A safe relative path of exactly one segment (dependency files, code archives)."""
    checked = check_artifact_path(path, field=field)
    if "/" in checked:
        raise ValidationError(f"{field} {checked!r} must be a plain file name", field=field)
    return checked


def file_used_as_folder(paths: Iterable[str]) -> str | None:
    """A path of ``paths`` that another one uses as a folder (``a`` beside ``a/b``), if any.

    Sorted once and searched by bisection, so a path with very many segments costs its
    length, not its length times its depth.
    """
    ordered = sorted(paths)
    for path in ordered:
        below = path + "/"
        at = bisect_left(ordered, below)
        if at < len(ordered) and ordered[at].startswith(below):
            return path
    return None

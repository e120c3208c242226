"""Listing the models or datasets of a repository, with one request, without guessing.

What is known of the published layout (protocol page, section 4): a version lives in
``{models|datasets}/{entity}/{version}/`` and keeps its files under
``{version}/{model|dataset}/``; upload areas live under ``{entity}/tmp/``. Whether a
manifest file sits beside them is not known, so a version is recognised by its files
folder, or by a ``{kind}-manifest.json`` where one exists, never by the manifest alone.

One AQL query (``POST /api/search/aql``, what JFrog CLI uses) returns the folders and
manifest files below the kind's folder; where AQL is refused (older or restricted
servers), one deep storage listing does the same job.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from frogml.adapters.artifactory._errors import decode_answer
from frogml.adapters.artifactory._http import HttpClient
from frogml.adapters.artifactory._wire import aql_decoder, list_decoder
from frogml.domain.errors import (
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    ProtocolError,
    ValidationError,
)
from frogml.domain.model.entity import EntityKind
from frogml.domain.model.names import check_name, is_valid_name

__all__ = ["entities_in", "list_entities"]

_UPLOAD_AREA = "tmp"


def list_entities(http: HttpClient, repository: str, kind: EntityKind) -> list[str]:
    """Entity paths of ``kind`` with at least one published version, sorted."""
    check_name(repository, field="repository")
    try:
        paths = _by_aql(http, repository, kind)
    except (NotFoundError, PermissionDeniedError, AuthenticationError, _Refused):
        paths = _by_storage_listing(http, repository, kind)
    found = entities_in(paths, kind)
    if not found:
        _check_repository(http, repository)
    return found


def entities_in(paths: Iterable[tuple[str, bool]], kind: EntityKind) -> list[str]:
    """The entities of ``kind`` among ``(path relative to the repository, is_folder)``.

    A version is ``{kind.folder}/{entity}/{version}`` that holds a ``{kind.value}``
    folder (its files) or a ``{kind.value}-manifest.json``; its entity is one or two
    valid names, its version a valid name other than the upload area ``tmp``.
    """
    versions: set[str] = set()
    for path, is_folder in paths:
        parent, _, leaf = path.rpartition("/")
        if (is_folder and leaf == kind.value) or (
            not is_folder and leaf == f"{kind.value}-manifest.json"
        ):
            versions.add(parent)
    found: set[str] = set()
    for version_path in versions:
        parts = version_path.split("/")
        if parts[0] != kind.folder or not 3 <= len(parts) <= 4:
            continue
        entity, version = parts[1:-1], parts[-1]
        if version != _UPLOAD_AREA and all(is_valid_name(p) for p in (*entity, version)):
            found.add("/".join(entity))
    return sorted(found)


class _Refused(Exception):
    """AQL is not available here (disabled, or an unexpected answer)."""


def _by_aql(http: HttpClient, repository: str, kind: EntityKind) -> list[tuple[str, bool]]:
    query = {
        "repo": repository,
        "$or": [
            {"type": "folder", "path": {"$match": f"{kind.folder}/*"}},
            {"type": "folder", "path": kind.folder},
            {"name": f"{kind.value}-manifest.json"},
        ],
    }
    body = b"items.find(" + msgspec.json.encode(query) + b').include("path","name","type")'
    what = f"listing the {kind.folder} of repository {repository}"
    try:
        answer = http.request(
            "POST",
            f"{http.urls.base}/api/search/aql",
            what=what,
            headers={"Content-Type": "text/plain"},
            body=body,
        )
        items = decode_answer(aql_decoder, answer.body, what=what).results
    except (ProtocolError, ValidationError) as exc:  # 400, 405, or not AQL's answer
        raise _Refused from exc
    return [
        (item.name if item.path in ("", ".") else f"{item.path}/{item.name}", item.type == "folder")
        for item in items
    ]


def _by_storage_listing(
    http: HttpClient, repository: str, kind: EntityKind
) -> list[tuple[str, bool]]:
    storage = f"{http.urls.base}/api/storage/{repository}"
    what = f"listing the {kind.folder} of repository {repository}"
    try:
        answer = http.request(
            "GET", f"{storage}/{kind.folder}?list&deep=1&listFolders=1", what=what
        )
    except NotFoundError:
        return []  # no entity of this kind yet (or no repository: checked by the caller)
    entries = decode_answer(list_decoder, answer.body, what=what).files
    return [(f"{kind.folder}/{entry.uri.strip('/')}", entry.folder) for entry in entries]


def _check_repository(http: HttpClient, repository: str) -> None:
    try:
        http.request(
            "GET",
            f"{http.urls.base}/api/storage/{repository}",
            what=f"looking up repository {repository}",
        )
    except NotFoundError as exc:
        raise NotFoundError(f"repository {repository} does not exist", what="repository") from exc

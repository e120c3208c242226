"""Listing the models or datasets of a repository with one storage-API request.

``GET /api/storage/{repo}/{models|datasets}?list&deep=1`` lists every file below the
top folder. A published version holds the manifest Artifactory writes beside its files
(``{models|datasets}/{entity}/{version}/{model|dataset}-manifest.json``), so the
entities are the paths in front of ``{version}/{manifest}``: ``name`` or
``namespace/name``. Upload areas (``…/tmp/…``) hold no manifest and are never listed.
The answer grows with the number of files in the repository; one request is still far
cheaper than walking the folders one request per entity.
"""

from __future__ import annotations

from frogml.adapters.artifactory._errors import decode_answer
from frogml.adapters.artifactory._http import HttpClient
from frogml.adapters.artifactory._wire import list_decoder
from frogml.domain.errors import NotFoundError
from frogml.domain.model.entity import EntityKind
from frogml.domain.model.names import check_name, is_valid_name

__all__ = ["list_entities"]


def list_entities(http: HttpClient, repository: str, kind: EntityKind) -> list[str]:
    """Entity paths of ``kind`` with at least one published version, sorted."""
    check_name(repository, field="repository")
    storage = f"{http.urls.base}/api/storage/{repository}"
    what = f"listing the {kind.folder} of repository {repository}"
    try:
        answer = http.request("GET", f"{storage}/{kind.folder}?list&deep=1", what=what)
    except NotFoundError:
        try:
            http.request("GET", storage, what=f"looking up repository {repository}")
        except NotFoundError as exc:
            raise NotFoundError(
                f"repository {repository} does not exist", what="repository"
            ) from exc
        return []  # the repository holds no entity of this kind yet
    manifest = f"{kind.value}-manifest.json"
    found: set[str] = set()
    for entry in decode_answer(list_decoder, answer.body, what=what).files:
        parts = entry.uri.strip("/").split("/")
        if entry.folder or parts[-1] != manifest or not 3 <= len(parts) <= 4:
            continue
        entity = parts[:-2]
        if all(is_valid_name(part) for part in parts[:-1]):
            found.add("/".join(entity))
    return sorted(found)

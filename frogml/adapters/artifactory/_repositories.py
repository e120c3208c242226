"""Repositories: listing the machine-learning ones (``frogml repos``).

``GET /api/repositories?packageType=machinelearning`` is Artifactory's documented
"Get Repositories" call; the answer is filtered here too, in case a server ignores the
parameter.
"""

from __future__ import annotations

import msgspec

from frogml.adapters.artifactory._errors import decode_answer
from frogml.adapters.artifactory._http import HttpClient
from frogml.domain.model.repository import MACHINE_LEARNING, RepositoryListing

__all__ = ["list_repositories"]


class _Repository(msgspec.Struct, rename="camel", forbid_unknown_fields=False):
    key: str
    type: str = ""
    package_type: str = ""
    url: str | None = None
    description: str | None = None


_decoder = msgspec.json.Decoder(list[_Repository])


def list_repositories(http: HttpClient) -> list[RepositoryListing]:
    """Every machine-learning repository the credentials may see."""
    what = "listing the repositories"
    url = f"{http.urls.base}/api/repositories?packageType={MACHINE_LEARNING}"
    answer = http.request("GET", url, what=what)
    return [
        RepositoryListing(
            key=repo.key,
            rclass=repo.type.lower() or "local",
            package_type=repo.package_type.lower(),
            url=repo.url,
            description=repo.description or None,
        )
        for repo in decode_answer(_decoder, answer.body, what=what)
        if repo.package_type.lower() == MACHINE_LEARNING
    ]

"""A server URL that carries credentials is refused, and nothing shown of it (message,
repr, a chained cause) ever holds the password, whatever characters the password has."""

from __future__ import annotations

import pytest

from frogml import AuthConfig, FrogMLStorage
from frogml.domain.errors import FrogMLError
from frogml.domain.model.server import normalize_server_url, redact_url

SECRET = "Secr3tPw"


def _everything_shown(exc: BaseException) -> str:
    shown = []
    seen: BaseException | None = exc
    while seen is not None:
        shown += [str(seen), repr(seen), repr(vars(seen))]
        seen = seen.__cause__ or seen.__context__
    return "\n".join(shown)


@pytest.mark.parametrize(
    "url",
    [
        f"http://u:{SECRET}@host:1/artifactory",
        f"http://u:{SECRET}#x@host:1/artifactory",
        f"http://u:{SECRET}/x@host/artifactory",
        f"http://u:{SECRET}?x@host/artifactory",
        f"https://{SECRET}#@host",
    ],
)
def test_a_server_url_with_credentials_is_refused_and_never_shows_them(url: str) -> None:
    assert SECRET not in redact_url(url)
    with pytest.raises(FrogMLError) as refused:
        normalize_server_url(url)
    assert SECRET not in _everything_shown(refused.value)
    auth = AuthConfig.by_access_token(url, "a-token")
    assert SECRET not in repr(auth)
    with pytest.raises(FrogMLError) as caught:
        FrogMLStorage(auth).list_models("ml-local")
    assert SECRET not in _everything_shown(caught.value)


def test_a_server_url_without_credentials_is_shown_as_it_is() -> None:
    assert redact_url("https://acme.jfrog.io/artifactory") == "https://acme.jfrog.io/artifactory"
    assert (
        redact_url("https://u:pw@acme.jfrog.io/artifactory")
        == "https://u:****@acme.jfrog.io/artifactory"
    )

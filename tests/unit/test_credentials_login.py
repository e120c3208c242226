"""The Login use case: check, maybe exchange, then save; nothing saved on failure."""

from __future__ import annotations

import pytest

from frogml.domain.errors import (
    AuthenticationError,
    FrogMLError,
    PermissionDeniedError,
    ProtocolError,
    TransientError,
    ValidationError,
)
from frogml.domain.model.server import normalize_server_url
from frogml.domain.ports.credentials import Credentials
from frogml.domain.services.login import Login, server_id_for
from tests.unit._credential_fakes import FakeProbe, MemoryCredentialStore

URL = "https://acme.jfrog.io/artifactory"
ALICE = Credentials(url=URL, user="alice", password="alice-pw")
TOKEN = Credentials(url=URL, access_token="tok")


def _login(probe: FakeProbe) -> tuple[Login, MemoryCredentialStore]:
    store = MemoryCredentialStore()
    return Login(probe=probe, store=store), store


def test_a_password_is_exchanged_for_a_token_when_the_server_allows_it() -> None:
    login, store = _login(FakeProbe(accepted=[ALICE]))
    result = login(ALICE)
    assert result.exchanged
    assert result.identity == "alice"
    saved = store.servers()[0].credentials
    assert (saved.user, saved.password, saved.access_token) == ("alice", None, "issued-for-alice")


def test_a_password_is_kept_when_the_server_refuses_tokens() -> None:
    login, store = _login(FakeProbe(accepted=[ALICE], issues_tokens=False))
    result = login(ALICE)
    assert not result.exchanged
    assert store.servers()[0].credentials.password == "alice-pw"


def test_no_exchange_is_tried_when_not_wanted() -> None:
    login, store = _login(FakeProbe(accepted=[ALICE]))
    assert not login(ALICE, exchange=False).exchanged
    assert store.servers()[0].credentials.password == "alice-pw"


@pytest.mark.parametrize(
    "failure",
    [
        AuthenticationError("rejected"),
        PermissionDeniedError("forbidden"),
        TransientError("unreachable"),
        ProtocolError("not an Artifactory"),
    ],
)
def test_nothing_is_saved_when_the_check_fails(failure: FrogMLError) -> None:
    login, store = _login(FakeProbe(failure=failure))
    with pytest.raises(type(failure)):
        login(TOKEN)
    assert store.servers() == []


def test_the_url_is_normalized_before_the_check_and_the_save() -> None:
    probe = FakeProbe(accepted=[TOKEN])
    login, store = _login(probe)
    login(Credentials(url=f"  {URL}/ ", access_token="tok"))
    assert probe.checked[0].url == URL
    assert store.servers()[0].credentials.url == URL


@pytest.mark.parametrize("url", ["acme.jfrog.io", "ftp://acme", "https://", "https://u:p@host"])
def test_a_url_that_is_not_http_is_refused_before_any_request(url: str) -> None:
    probe = FakeProbe(accepted=[TOKEN])
    login, _ = _login(probe)
    with pytest.raises(ValidationError):
        login(Credentials(url=url, access_token="tok"))
    assert probe.checked == []


def test_the_server_id_is_derived_from_the_host_and_reused_for_the_same_url() -> None:
    login, store = _login(FakeProbe(accepted=[TOKEN, ALICE]))
    store.save("prod", Credentials(url=URL + "/"))
    store.save("other", Credentials(url="https://other.io"))
    assert login(TOKEN).server_id == "prod"
    assert login(Credentials(url="http://127.0.0.1:8081", access_token="tok")).server_id == (
        "127.0.0.1-8081"
    )
    assert [e.server_id for e in store.servers() if e.is_default] == ["127.0.0.1-8081"]


def test_an_explicit_server_id_wins() -> None:
    login, store = _login(FakeProbe(accepted=[TOKEN]))
    assert login(TOKEN, server_id="mine").server_id == "mine"
    assert store.servers()[0].server_id == "mine"


def test_helpers_normalize_and_name_servers() -> None:
    assert normalize_server_url("https://a.io/artifactory/") == "https://a.io/artifactory"
    assert server_id_for("https://A.io:443/artifactory") == "a.io-443"


def test_a_damaged_store_is_repaired_and_its_readable_servers_kept() -> None:
    login, store = _login(FakeProbe(accepted=[TOKEN]))
    store.save("prod", Credentials(url=URL + "/", access_token="old"))
    store.save("other", Credentials(url="https://other.io"))
    store.damaged = True
    result = login(TOKEN)
    assert result.damaged_copy == "memory.bak"
    assert result.server_id == "prod"  # the readable server of the same URL keeps its id
    assert [(e.server_id, e.is_default) for e in store.servers()] == [
        ("other", False),
        ("prod", True),
    ]


def test_a_damaged_store_is_left_alone_when_the_server_refuses_the_login() -> None:
    login, store = _login(FakeProbe(failure=AuthenticationError("rejected")))
    store.damaged = True
    with pytest.raises(AuthenticationError):
        login(TOKEN)
    assert store.damaged


def test_a_sound_store_reports_no_damaged_copy() -> None:
    login, _ = _login(FakeProbe(accepted=[TOKEN]))
    assert login(TOKEN).damaged_copy is None

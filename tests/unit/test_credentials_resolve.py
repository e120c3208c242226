"""Which credentials are in force: explicit > environment > config file > embedded;
JF_URL alone takes the login saved for that server."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frogml.adapters.credentials import EnvironmentSource, FrogMLConfigFile
from frogml.domain.errors import ConfigurationError
from frogml.domain.ports.credentials import Credentials
from frogml.domain.services.resolve_credentials import resolve_credentials
from tests.unit._credential_fakes import FixedSource, MemoryCredentialStore

ENV = {"JF_URL": "https://env.jfrog.io", "JF_ACCESS_TOKEN": "env-token"}
EXPLICIT = Credentials(url="https://explicit.jfrog.io", access_token="explicit-token")


@pytest.fixture
def config(isolated_home: Path) -> FrogMLConfigFile:
    return FrogMLConfigFile(isolated_home / ".frogml" / "config.json")


def _resolve(
    explicit: Credentials | None, env: dict[str, str], config: FrogMLConfigFile
) -> Credentials | None:
    return resolve_credentials(explicit=explicit, environment=EnvironmentSource(env), saved=config)


def _saved(config: FrogMLConfigFile) -> FrogMLConfigFile:
    config.save("file", Credentials(url="https://file.jfrog.io", access_token="file-token"))
    return config


def test_explicit_settings_win_over_everything(config: FrogMLConfigFile) -> None:
    found = _resolve(EXPLICIT, ENV, _saved(config))
    assert found == EXPLICIT
    assert found is not None
    assert found.source == "explicit"


def test_the_environment_wins_over_the_config_file(config: FrogMLConfigFile) -> None:
    found = _resolve(None, ENV, _saved(config))
    assert found is not None
    assert (found.url, found.source) == ("https://env.jfrog.io", "environment")


def test_the_config_file_is_used_when_nothing_else_is_set(config: FrogMLConfigFile) -> None:
    found = _resolve(None, {}, _saved(config))
    assert found is not None
    assert (found.url, found.source) == ("https://file.jfrog.io", f"config file {config.location}")


def test_nothing_configured_resolves_to_none_for_the_embedded_store(
    config: FrogMLConfigFile,
) -> None:
    assert _resolve(None, {}, config) is None


def test_a_corrupt_config_file_is_not_read_while_the_environment_gives_url_and_token(
    config: FrogMLConfigFile,
) -> None:
    Path(config.location).parent.mkdir()
    Path(config.location).write_text("{corrupt")
    found = _resolve(None, ENV, config)
    assert found is not None
    assert found.source == "environment"
    with pytest.raises(ConfigurationError):
        _resolve(None, {}, config)


def test_a_broken_environment_is_reported_not_skipped(config: FrogMLConfigFile) -> None:
    with pytest.raises(ConfigurationError, match="JF_URL"):
        _resolve(None, {"JF_ACCESS_TOKEN": "t"}, _saved(config))


# -- JF_URL without JF_ACCESS_TOKEN: the login saved for that server ------------------

ACME = "https://acme.jfrog.io/artifactory"


def _logins(*entries: tuple[str, Credentials]) -> MemoryCredentialStore:
    store = MemoryCredentialStore("/home/me/.frogml/config.json")
    for server_id, credentials in entries:
        store.save(server_id, credentials)
    return store


def _env_url(url: str) -> FixedSource:
    return FixedSource(Credentials(url=url, source="environment"))


@given(
    scheme=st.sampled_from(["https", "HTTPS"]),
    host=st.sampled_from(["acme.jfrog.io", "ACME.jfrog.io"]),
    path=st.sampled_from(["", "/", "/artifactory", "/artifactory/"]),
)
def test_jf_url_alone_takes_the_login_saved_for_the_same_server(
    scheme: str, host: str, path: str
) -> None:
    url = f"{scheme}://{host}{path}"
    saved = Credentials(url=ACME, access_token="saved-token", source="config file X")
    found = resolve_credentials(environment=_env_url(url), saved=_logins(("acme", saved)))
    assert found is not None
    assert (found.url, found.access_token) == (url, "saved-token")
    assert found.source == "environment URL with the login saved as server 'acme' in config file X"


def test_jf_url_alone_takes_a_saved_user_and_password_too() -> None:
    saved = Credentials(url=ACME, user="alice", password="alice-pw")
    found = resolve_credentials(
        environment=_env_url("https://acme.jfrog.io"), saved=_logins(("acme", saved))
    )
    assert found is not None
    assert (found.user, found.password, found.access_token) == ("alice", "alice-pw", None)


def test_jf_url_alone_is_anonymous_without_a_login_for_that_server() -> None:
    other = Credentials(url="https://other.jfrog.io/artifactory", access_token="other-token")
    found = resolve_credentials(
        environment=_env_url("https://acme.jfrog.io"), saved=_logins(("other", other))
    )
    assert found == Credentials(url="https://acme.jfrog.io", source="environment")


def test_the_default_server_wins_when_several_logins_name_the_server() -> None:
    store = _logins(
        ("acme-bob", Credentials(url=ACME, access_token="bob-token")),
        ("acme-alice", Credentials(url=f"{ACME}/", access_token="alice-token")),
        ("other", Credentials(url="https://other.jfrog.io", access_token="other-token")),
    )
    store.entries = [replace(e, is_default=e.server_id == "acme-bob") for e in store.entries]
    found = resolve_credentials(environment=_env_url("https://acme.jfrog.io"), saved=store)
    assert found is not None
    assert found.access_token == "bob-token"
    assert "'acme-bob'" in found.source


def test_a_saved_anonymous_login_is_passed_over_for_one_with_a_secret() -> None:
    store = _logins(
        ("acme-anon", Credentials(url=ACME)),
        ("acme", Credentials(url=ACME, access_token="tok")),
    )
    store.entries = [replace(e, is_default=e.server_id == "acme-anon") for e in store.entries]
    found = resolve_credentials(environment=_env_url(ACME), saved=store)
    assert found is not None
    assert found.access_token == "tok"


def test_an_explicit_url_alone_stays_anonymous_despite_a_saved_login() -> None:
    explicit = Credentials(url=ACME)
    store = _logins(("acme", Credentials(url=ACME, access_token="tok")))
    environment = FixedSource(Credentials(url=ACME, access_token="env-token"))
    assert resolve_credentials(explicit=explicit, environment=environment, saved=store) is explicit
    assert environment.loads == 0


def test_a_url_and_token_from_the_environment_never_read_the_saved_logins() -> None:
    store = _logins(("acme", Credentials(url=ACME, access_token="tok")))
    store.damaged = True
    env = FixedSource(Credentials(url=ACME, access_token="env-token", source="environment"))
    found = resolve_credentials(environment=env, saved=store)
    assert found is not None
    assert (found.access_token, found.source) == ("env-token", "environment")


def test_jf_url_alone_with_damaged_saved_logins_is_an_error_not_anonymous() -> None:
    store = _logins(("acme", Credentials(url=ACME, access_token="tok")))
    store.damaged = True
    with pytest.raises(ConfigurationError, match="damaged"):
        resolve_credentials(environment=_env_url(ACME), saved=store)


def test_the_saved_default_is_used_when_the_environment_names_no_server() -> None:
    store = _logins(("acme", Credentials(url=ACME, access_token="tok")))
    found = resolve_credentials(environment=FixedSource(None), saved=store)
    assert found is not None
    assert found.access_token == "tok"

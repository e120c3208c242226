"""A malformed proxy, from the settings or the environment, is a ConfigurationError that
shows no proxy password; ``no_proxy`` cannot crash; TransferSettings hides the password."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import urllib3

from frogml import FrogMLStorage
from frogml.adapters.artifactory import ArtifactorySettings
from frogml.adapters.artifactory._http import HttpClient
from frogml.adapters.artifactory.settings import bypasses_proxy
from frogml.domain.errors import ConfigurationError
from frogml.domain.model.settings import TransferSettings
from frogml.domain.ports.credentials import Credentials

SECRET = "Pr0xyPassw0rd"
HTTPS = Credentials(url="https://acme.jfrog.io/artifactory", access_token="t")
HTTP = Credentials(url="http://127.0.0.1:9/artifactory", access_token="t")
SERVER = "http://127.0.0.1:9/artifactory"  # nothing listens there; nothing is sent

BAD_PROXIES = [
    "http://proxy.corp:31 28",  # a typo'd port
    "socks5://proxy.corp:1080",  # a scheme urllib3 does not speak
    "http://[::1",  # an unclosed IPv6 address
    "ftp://proxy.corp:21",
    "http://proxy.corp:99999",
    "http://proxy.corp:0",
    "http://proxy.corp:3128x",
    "http://proxy.corp:+80",
    "http://:3128",
    "http://",
    "proxy.corp:notaport",  # no scheme: taken as http://, as the client does
]

# Passwords that hide where the authority ends: only the last '@' tells.
SECRET_PROXIES = [
    f"http://u:{SECRET}@proxy.corp:31 28",
    f"socks5://u:{SECRET}@proxy.corp:1080",
    f"http://u:{SECRET}@[::1",
    f"http://u:{SECRET}@proxy.corp:notaport",
    f"u:{SECRET}@proxy.corp:notaport",  # no scheme
    f"http://u:{SECRET}/x@proxy.corp:3128",  # a '/' in the password
    f"http://u:{SECRET}#x@proxy.corp:3128",  # a '#' in the password
    f"http://u:{SECRET}?x@proxy.corp:99999",  # a '?' in the password
    f"http://{SECRET}/x@bad host:3128",  # a lone token
]

GOOD_PROXIES = [
    "http://proxy.corp:3128",
    "https://proxy.corp",
    "HTTP://Proxy.Corp:3128/",
    "proxy.corp:3128",  # no scheme: http
    "http://[::1]:3128",
    f"http://u:{SECRET}@proxy.corp:3128",
    f"http://u:p@ss{SECRET}@proxy.corp:3128",  # an '@' in the password
]


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: BaseException | None = error
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__


def _shown(error: BaseException) -> str:
    return "\n".join(f"{e}\n{e!r}\n{vars(e)!r}" for e in _chain(error))


@pytest.mark.parametrize("proxy", BAD_PROXIES + SECRET_PROXIES)
def test_a_bad_chosen_proxy_is_a_configuration_error(proxy: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        ArtifactorySettings.from_environment(HTTPS, {}, TransferSettings(proxy=proxy))
    assert caught.value.source == "proxy"
    assert caught.value.hint is not None
    assert "http://host:port" in caught.value.hint
    assert SECRET not in _shown(caught.value)


@pytest.mark.parametrize("proxy", BAD_PROXIES + SECRET_PROXIES)
@pytest.mark.parametrize(
    ("credentials", "variable"),
    [(HTTPS, "HTTPS_PROXY"), (HTTPS, "https_proxy"), (HTTP, "HTTP_PROXY"), (HTTP, "http_proxy")],
)
def test_a_bad_proxy_variable_is_a_configuration_error_naming_it(
    proxy: str, credentials: Credentials, variable: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        ArtifactorySettings.from_environment(credentials, {variable: proxy})
    assert caught.value.source == variable
    assert variable in str(caught.value)
    assert SECRET not in _shown(caught.value)


@pytest.mark.parametrize("proxy", BAD_PROXIES + SECRET_PROXIES)
def test_a_bad_proxy_given_in_code_is_a_configuration_error(proxy: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        ArtifactorySettings(credentials=HTTPS, proxy_url=proxy)
    assert SECRET not in _shown(caught.value)


def test_a_proxy_that_is_not_text_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError):
        ArtifactorySettings.from_environment(HTTPS, {}, TransferSettings(proxy=3128))  # type: ignore[arg-type]


@pytest.mark.parametrize("proxy", GOOD_PROXIES)
def test_good_proxies_are_kept_as_given(proxy: str) -> None:
    settings = ArtifactorySettings.from_environment(HTTPS, {"HTTPS_PROXY": proxy})
    assert settings.proxy_url == proxy
    chosen = ArtifactorySettings.from_environment(HTTPS, {}, TransferSettings(proxy=proxy))
    assert chosen.proxy_url == proxy
    HttpClient(settings, sleep=lambda _: None, clock=lambda: 0.0).close()


def test_a_chosen_proxy_is_stripped_and_a_blank_one_leaves_it_to_the_environment() -> None:
    chosen = TransferSettings(proxy="  http://cli:3128 \n")
    assert ArtifactorySettings.from_environment(HTTPS, {}, chosen).proxy_url == "http://cli:3128"
    blank = TransferSettings(proxy="  ")
    env = {"HTTPS_PROXY": "http://env:3128"}
    assert ArtifactorySettings.from_environment(HTTPS, env, blank).proxy_url == "http://env:3128"


@pytest.mark.parametrize(
    ("kwargs", "variable"),
    [
        ({"settings": TransferSettings(proxy="http://proxy.corp:31 28")}, None),
        ({"settings": TransferSettings(proxy="socks5://proxy.corp:1080")}, None),
        ({}, "HTTP_PROXY"),
    ],
)
def test_the_storage_refuses_a_bad_proxy_with_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, kwargs: dict[str, TransferSettings], variable: str | None
) -> None:
    monkeypatch.setenv("JF_URL", SERVER)
    monkeypatch.setenv("JF_ACCESS_TOKEN", "t")
    if variable is not None:
        monkeypatch.setenv(variable, f"http://u:{SECRET}@[::1")
    with pytest.raises(ConfigurationError) as caught:
        FrogMLStorage(**kwargs).close()  # type: ignore[arg-type]
    assert SECRET not in _shown(caught.value)


def test_the_storage_refuses_a_bad_https_proxy_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JF_URL", "https://127.0.0.1:9/artifactory")
    monkeypatch.setenv("JF_ACCESS_TOKEN", "t")
    monkeypatch.setenv("HTTPS_PROXY", "http://[::1")
    with pytest.raises(ConfigurationError, match="HTTPS_PROXY"):
        FrogMLStorage().close()


def test_the_storage_refuses_a_bad_proxy_even_with_no_server_when_it_checks_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JFML_TIMEOUT", "5")  # settings are checked with no server too
    with pytest.raises(ConfigurationError):
        FrogMLStorage(settings=TransferSettings(proxy=f"socks5://u:{SECRET}@p:1")).close()


@pytest.mark.parametrize(
    "no_proxy",
    ["*", ",,, ,", "[::1]:8080,10.0.0.0/8,.corp:80,*.corp", "::1", "\t127.0.0.1 , localhost"],
)
def test_odd_no_proxy_values_cannot_crash(monkeypatch: pytest.MonkeyPatch, no_proxy: str) -> None:
    monkeypatch.setenv("JF_URL", SERVER)
    monkeypatch.setenv("JF_ACCESS_TOKEN", "t")
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.corp:3128")
    monkeypatch.setenv("NO_PROXY", no_proxy)
    FrogMLStorage().close()


def test_no_proxy_given_in_code_is_normalized_or_refused() -> None:
    assert ArtifactorySettings(credentials=HTTPS, no_proxy=None).no_proxy == ()  # type: ignore[arg-type]
    given = ArtifactorySettings(credentials=HTTPS, no_proxy=" a, .b ,")  # type: ignore[arg-type]
    assert given.no_proxy == ("a", ".b")
    assert ArtifactorySettings(credentials=HTTPS, no_proxy=["a "]).no_proxy == ("a",)  # type: ignore[arg-type]
    for bad in [(1,), 3]:
        with pytest.raises(ConfigurationError):
            ArtifactorySettings(credentials=HTTPS, no_proxy=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "proxy",
    [
        f"http://puser:{SECRET}@proxy:3128",
        f"puser:{SECRET}@proxy:3128",
        f"http://{SECRET}@proxy:3128",
        f"http://u:{SECRET}/x@proxy:3128",
    ],
)
def test_transfer_settings_never_show_the_proxy_password(proxy: str) -> None:
    settings = TransferSettings(proxy=proxy, timeout=2, ca_bundle="/x.pem", threads=3)
    for text in (repr(settings), str(settings), repr(list(settings.__rich_repr__()))):
        assert SECRET not in text
        assert "proxy:3128" in text
        assert "timeout=2" in text or "('timeout', 2)" in text
        assert "/x.pem" in text
    assert settings.proxy == proxy  # the value itself is intact


def test_transfer_settings_repr_looks_like_a_struct_repr() -> None:
    settings = TransferSettings(proxy="http://u:pw@proxy:3128", insecure=True)
    assert repr(settings).startswith("TransferSettings(proxy='http://u:****@proxy:3128', ")
    assert "insecure=True" in repr(settings)
    assert repr(TransferSettings()).startswith("TransferSettings(proxy=None, ca_bundle=None")


def test_an_unusable_proxy_variable_is_ignored_for_a_server_reached_directly() -> None:
    # HTTPS_PROXY set for other tools (a SOCKS proxy frogml cannot use), the server in
    # NO_PROXY: frogml never needs it, so it must not refuse to work.
    env = {"HTTPS_PROXY": "socks5h://127.0.0.1:1080", "NO_PROXY": "acme.jfrog.io,.corp"}
    settings = ArtifactorySettings.from_environment(HTTPS, env)
    assert settings.proxy_url is None
    with pytest.raises(ConfigurationError, match="HTTPS_PROXY"):  # needed: refused
        ArtifactorySettings.from_environment(HTTPS, {"HTTPS_PROXY": "socks5h://127.0.0.1:1080"})
    usable = {**env, "HTTPS_PROXY": "http://proxy.corp:3128"}
    assert ArtifactorySettings.from_environment(HTTPS, usable).proxy_url == "http://proxy.corp:3128"


@pytest.mark.parametrize(
    ("host", "no_proxy", "direct"),
    [
        ("artifactory.corp", "corp", True),
        ("artifactory.corp", ".corp", True),
        ("artifactory.corp", "*.corp", True),
        ("artifactory.corp", "artifactory.corp:8081", True),  # a port: every port
        ("artifactory.corp", "ifactory.corp", False),  # a suffix, not a subdomain
        ("artifactory.corp.", "corp", True),  # the root dot
        ("10.1.2.3", "10.0.0.0/8", True),
        ("10.1.2.3", "10.1.2.0/24,foo", True),
        ("11.1.2.3", "10.0.0.0/8", False),
        ("10.1.2.3", "10.1.2.3:8081", True),
        ("10.1.2.3", "2.3", False),  # an IP address is no domain
        ("::1", "[::1]:8081", True),
        ("::1", "::1", True),
        ("::1", "0:0:0:0:0:0:0:1", True),  # the same address, spelled out
        ("fd00::5", "fd00::/8", True),
        ("fd00::5", "10.0.0.0/8", False),  # another family
        ("10.1.2.3", "10.0.0.0/33,not/a/net", False),  # odd entries match nothing
        ("host", "*", True),
        ("host", "", False),
    ],
)
def test_no_proxy_reads_domains_addresses_networks_and_ports_as_curl_and_go_do(
    host: str, no_proxy: str, direct: bool
) -> None:
    entries = tuple(e for e in no_proxy.split(",") if e)
    assert bypasses_proxy(host, entries) is direct


def test_a_server_in_a_no_proxy_network_is_reached_directly() -> None:
    env = {"HTTPS_PROXY": "http://proxy.corp:3128", "NO_PROXY": "localhost,10.0.0.0/8"}
    inside = Credentials(url="https://10.20.30.40/artifactory", access_token="t")
    outside = Credentials(url="https://11.20.30.40/artifactory", access_token="t")
    for credentials, proxied in ((inside, False), (outside, True)):
        settings = ArtifactorySettings.from_environment(credentials, env)
        client = HttpClient(settings, sleep=lambda _: None, clock=lambda: 0.0)
        try:
            assert isinstance(client._pool, urllib3.ProxyManager) is proxied
        finally:
            client.close()

"""The HTTP layer: proxies, the User-Agent, and what goes on the wire."""

from __future__ import annotations

import base64

import pytest

from frogml.adapters.artifactory import ArtifactorySettings, ArtifactoryStore
from frogml.domain.errors import ConfigurationError, ProtocolError, TransientError
from frogml.domain.ports.credentials import Credentials
from tests.integration._stub import StubServer
from tests.integration.helpers import FakeSleep

PING = "http://artifactory.invalid/artifactory/api/system/ping"


def test_requests_go_through_the_proxy_with_its_credentials() -> None:
    with StubServer({("GET", PING): (200, b"OK", {"Content-Type": "text/plain"})}) as proxy:
        origin = proxy.url.removesuffix("/artifactory")
        proxied = origin.replace("http://", "http://puser:ppass@")
        credentials = Credentials(url="http://artifactory.invalid", access_token="tok")
        settings = ArtifactorySettings(credentials=credentials, proxy_url=proxied)
        ArtifactoryStore(settings, sleep=FakeSleep()).ping()
    (method, target, headers) = proxy.requests[0]
    assert (method, target) == ("GET", PING)
    assert headers["proxy-authorization"] == "Basic " + base64.b64encode(b"puser:ppass").decode()
    assert headers["authorization"] == "Bearer tok"


def test_no_proxy_hosts_are_reached_directly() -> None:
    with StubServer({("GET", "/artifactory/api/system/ping"): (200, b"OK", {})}) as server:
        credentials = Credentials(url=server.url)
        settings = ArtifactorySettings(
            credentials=credentials,
            proxy_url="http://127.0.0.1:9",  # nothing listens there
            no_proxy=("localhost", "127.0.0.1"),
        )
        ArtifactoryStore(settings, sleep=FakeSleep()).ping()
    assert [r[1] for r in server.requests] == ["/artifactory/api/system/ping"]
    headers = server.requests[0][2]
    assert headers["user-agent"].startswith("frogml/")
    assert "authorization" not in headers  # anonymous credentials send none


def test_an_unreachable_server_is_transient_after_the_retries() -> None:
    sleep = FakeSleep()
    settings = ArtifactorySettings(credentials=Credentials(url="http://127.0.0.1:9"))
    with pytest.raises(TransientError, match="cannot connect"):
        ArtifactoryStore(settings, sleep=sleep).ping()
    assert len(sleep.delays) == settings.retry.max_attempts - 1


_PING_PATH = "/artifactory/api/system/ping"
_DEPLOY_PATH = "/artifactory/ml-local/models/m/file.bin"


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_a_server_that_moved_to_https_is_a_configuration_error_naming_the_https_url(
    method: str,
) -> None:
    # A server forcing https answers the plain request with 301 to the same host: the
    # credentials were stripped for the new scheme (a misleading 401 followed), and a
    # PUT got "unexpected answer HTTP 301". Either way the fix is the URL.
    moved = {"Location": "https://127.0.0.1:1/elsewhere"}
    routes = {("GET", _PING_PATH): (301, b"", moved), ("PUT", _DEPLOY_PATH): (308, b"", moved)}
    with StubServer(routes) as server:
        settings = ArtifactorySettings(credentials=Credentials(url=server.url, access_token="tok"))
        http = ArtifactoryStore(settings, sleep=FakeSleep())._http
        path = _PING_PATH if method == "GET" else _DEPLOY_PATH
        url = server.url.removesuffix("/artifactory") + path
        with pytest.raises(ConfigurationError, match="answers on https only") as caught:
            http.request(method, url, what="asking", body=b"x" if method == "PUT" else None)
    assert caught.value.hint is not None
    assert "https://127.0.0.1:1/artifactory" in caught.value.hint  # where it moved to
    assert len(server.requests) == 1  # not retried, nor followed


def test_a_download_hop_from_http_to_https_elsewhere_is_followed() -> None:
    # server -> http CDN -> https CDN: only the server's own move is a configuration
    # error; a CDN's own upgrade is an ordinary redirect.
    with StubServer({("GET", "/blob"): (200, b"cdn bytes", {})}) as cdn:
        plain_cdn = cdn.url.removesuffix("/artifactory") + "/hop"
        cdn.routes[("GET", "/hop")] = (301, b"", {"Location": "https://127.0.0.1:1/blob"})
        routes = {("GET", _PING_PATH): (302, b"", {"Location": plain_cdn})}
        with StubServer(routes) as server:
            settings = ArtifactorySettings(credentials=Credentials(url=server.url))
            http = ArtifactoryStore(settings, sleep=FakeSleep())._http
            url = server.url.removesuffix("/artifactory") + _PING_PATH
            with pytest.raises(TransientError):  # followed to port 1: nothing listens
                http.request("GET", url, what="x")
    assert [r[1] for r in cdn.requests][:1] == ["/hop"]


@pytest.mark.parametrize(
    "location", ["http://[::1/x", "http://127.0.0.1:99999/x", "http://a b/x", "http://[::1]x/"]
)
def test_a_redirect_to_an_address_that_cannot_be_read_is_a_protocol_error(location: str) -> None:
    # Not a network failure to retry: the server's answer is wrong.
    routes = {("GET", _PING_PATH): (302, b"", {"Location": location})}
    with StubServer(routes) as server:
        settings = ArtifactorySettings(credentials=Credentials(url=server.url))
        with pytest.raises(ProtocolError, match="redirected to an address that cannot be read"):
            ArtifactoryStore(settings, sleep=FakeSleep()).ping()
    assert len(server.requests) == 1


def test_a_redirect_to_a_host_outside_no_proxy_goes_through_the_proxy() -> None:
    # A self-hosted server reached directly (no_proxy) that redirects downloads to an
    # object store or CDN on the internet: that hop needs the proxy.
    cdn_file = "http://cdn.invalid/signed/file.bin"
    with (
        StubServer({("GET", cdn_file): (200, b"the bytes", {})}) as proxy,
        StubServer({("GET", _PING_PATH): (302, b"", {"Location": cdn_file})}) as server,
    ):
        credentials = Credentials(url=server.url, access_token="tok")
        settings = ArtifactorySettings(
            credentials=credentials,
            proxy_url=proxy.url.removesuffix("/artifactory"),
            no_proxy=("127.0.0.1",),
        )
        http = ArtifactoryStore(settings, sleep=FakeSleep())._http
        answer = http.request("GET", server.url.removesuffix("/artifactory") + _PING_PATH, what="x")
    assert answer.body == b"the bytes"
    assert [r[1] for r in server.requests] == [_PING_PATH]  # directly
    assert [r[1] for r in proxy.requests] == [cdn_file]  # through the proxy
    assert "authorization" not in proxy.requests[0][2]  # another origin: no credentials


def test_a_redirect_to_a_host_in_no_proxy_goes_directly() -> None:
    with StubServer({("GET", "/signed/file.bin"): (200, b"the bytes", {})}) as cdn:
        cdn_file = cdn.url.removesuffix("/artifactory") + "/signed/file.bin"
        routes = {("GET", PING): (302, b"", {"Location": cdn_file})}
        with StubServer(routes) as proxy:
            credentials = Credentials(url="http://artifactory.invalid", access_token="tok")
            settings = ArtifactorySettings(
                credentials=credentials,
                proxy_url=proxy.url.removesuffix("/artifactory"),
                no_proxy=("127.0.0.1",),
            )
            http = ArtifactoryStore(settings, sleep=FakeSleep())._http
            answer = http.request("GET", PING, what="x")
    assert answer.body == b"the bytes"
    assert [r[1] for r in proxy.requests] == [PING]  # the server, through the proxy
    assert [r[1] for r in cdn.requests] == ["/signed/file.bin"]  # the CDN, directly

"""The HTTP layer: proxies, the User-Agent, and what goes on the wire."""

from __future__ import annotations

import base64

import pytest

from frogml.adapters.artifactory import ArtifactorySettings, ArtifactoryStore
from frogml.domain.errors import TransientError
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

"""pytest plugin: the Artifactory integration tests' target, the emulator or a real server.

Listed in ``pytest_plugins`` of the root ``tests/conftest.py``, so that both
``tests/integration`` and ``tests/integrations`` (the path JFrog's documentation runs:
``pytest tests/integrations/test_artifactory_integration.py --rt_url …``) use it.

A real Artifactory is used when ``ARTIFACTORY_URL`` (or ``--rt_url``) is set, with
``ARTIFACTORY_ACCESS_TOKEN`` or ``ARTIFACTORY_USERNAME`` + ``ARTIFACTORY_PASSWORD``
(or the matching options). A throw-away ML repository is then created for the
session and deleted at the end, unless ``--repo_name`` names an existing one.
The emulator fixture itself comes from ``emulator.fixtures``.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator

import pytest

from frogml.adapters.artifactory import ArtifactorySettings, ArtifactoryStore, RetryPolicy
from frogml.domain.ports.credentials import Credentials
from tests.integration.helpers import FakeSleep, Target

# The root conftest clears these from the environment of each test; read them once.
_REAL_ENV = {
    name: os.environ.get(name, "")
    for name in (
        "ARTIFACTORY_URL",
        "ARTIFACTORY_ACCESS_TOKEN",
        "ARTIFACTORY_USERNAME",
        "ARTIFACTORY_PASSWORD",
    )
}


def _option(config: pytest.Config, name: str, env: str) -> str | None:
    value = config.getoption(name, default=None) or _REAL_ENV.get(env) or None
    return str(value) if value else None


def _real_credentials(config: pytest.Config) -> Credentials | None:
    url = _option(config, "rt_url", "ARTIFACTORY_URL")
    if url is None:
        return None
    token = _option(config, "rt_access_token", "ARTIFACTORY_ACCESS_TOKEN")
    user = _option(config, "rt_username", "ARTIFACTORY_USERNAME")
    password = _option(config, "rt_password", "ARTIFACTORY_PASSWORD")
    if token is None and password is None:
        pytest.fail("a real Artifactory needs an access token or a user name and password")
    return Credentials(url=url, user=user, password=password, access_token=token, source="tests")


@pytest.fixture(scope="session")
def real_artifactory(pytestconfig: pytest.Config) -> Iterator[tuple[Credentials, str] | None]:
    """(credentials, repository) of a real server, or None to use the emulator."""
    credentials = _real_credentials(pytestconfig)
    if credentials is None:
        yield None
        return
    named = pytestconfig.getoption("repo_name", default=None)
    if named:
        yield credentials, str(named)
        return
    admin = ArtifactoryStore(ArtifactorySettings(credentials=credentials))
    repository = f"frogml-it-{uuid.uuid4().hex[:10]}"
    admin.create_repository(repository)
    try:
        yield credentials, repository
    finally:
        admin.delete_repository(repository)
        admin.close()


@pytest.fixture
def artifactory_target(
    request: pytest.FixtureRequest, real_artifactory: tuple[Credentials, str] | None
) -> Target:
    """Settings, repository and (with the emulator) the emulator itself."""
    retry = RetryPolicy(max_attempts=4, backoff_base=0.5, backoff_cap=8.0, time_budget=120.0)
    if real_artifactory is not None:
        credentials, repository = real_artifactory
        settings = ArtifactorySettings(credentials=credentials, retry=retry)
        return Target(settings=settings, repository=repository, emulator=None, sleep=time.sleep)
    emulator = request.getfixturevalue("emulator")
    credentials = Credentials(url=emulator.url, access_token="test-token", source="tests")
    settings = ArtifactorySettings(
        credentials=credentials, retry=retry, connect_timeout=5.0, read_timeout=30.0
    )
    return Target(settings=settings, repository="ml-local", emulator=emulator, sleep=FakeSleep())


@pytest.fixture
def emulator_target(artifactory_target: Target) -> Target:
    """The emulator target; skips the test against a real server (faults, counters)."""
    if artifactory_target.emulator is None:
        pytest.skip("needs the emulator (fault injection, counters or its users)")
    return artifactory_target

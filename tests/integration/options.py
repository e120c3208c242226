"""Command-line options that point the integration tests at a real Artifactory.

pytest only honours ``pytest_addoption`` in the rootdir conftest or a plugin, so the
root ``tests/conftest.py`` calls :func:`add_options`.
"""

from __future__ import annotations

import pytest

__all__ = ["add_options"]


def add_options(parser: pytest.Parser) -> None:
    """Register ``--rt_url``, ``--rt_access_token``, ``--rt_username``, ``--rt_password``
    and ``--repo_name`` (environment: ``ARTIFACTORY_URL``, ``ARTIFACTORY_ACCESS_TOKEN``,
    ``ARTIFACTORY_USERNAME``, ``ARTIFACTORY_PASSWORD``)."""
    group = parser.getgroup("artifactory", "integration tests against a real Artifactory")
    group.addoption("--rt_url", default=None, help="Artifactory URL (default: the emulator)")
    group.addoption("--rt_access_token", default=None, help="access token for --rt_url")
    group.addoption("--rt_username", default=None, help="user name for --rt_url")
    group.addoption("--rt_password", default=None, help="password for --rt_url")
    group.addoption(
        "--repo_name",
        default=None,
        help="existing ML repository to use (default: a throw-away one)",
    )

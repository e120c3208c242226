"""``frogml doctor``'s checks, over the real adapters (the composition root's job).

With a server: configuration, reachability (ping), TLS, credentials, clock skew (the
HTTP ``Date`` header against the local clock). Without one: configuration and the
embedded store's folder. Each check gives a verdict: ok, warn or fail.

This module only decides which checks apply and builds what they need; the checks
themselves (sockets, TLS, files) live in the adapters:
:func:`frogml.adapters.artifactory.health.server_checks` and
:func:`frogml.adapters.local_store.health.store_checks`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from frogml.domain.errors import FrogMLError
from frogml.domain.model.health import HealthCheck
from frogml.domain.model.settings import TransferSettings
from frogml.domain.ports.credentials import Credentials
from frogml.root.bootstrap import check_settings, default_store_dir, resolve

if TYPE_CHECKING:
    from frogml.adapters.artifactory import (
        ArtifactoryProbe,
        ArtifactorySettings,
        ArtifactoryStore,
    )

__all__ = ["run_checks"]

_TIMEOUT = 15.0  # seconds per request: doctor makes one attempt of each


def run_checks(
    env: Mapping[str, str],
    settings: TransferSettings | None = None,
    *,
    server_id: str | None = None,
) -> list[HealthCheck]:
    """Every check for the configuration ``env`` selects (or the login saved as
    ``server_id``), in a stable order; ``settings`` (the CLI's network options) win over
    the environment's."""
    try:
        credentials = resolve(None, env, server_id=server_id)
    except FrogMLError as exc:
        return [HealthCheck(name="configuration", verdict="fail", detail=str(exc))]
    if credentials is None or credentials.url.startswith("file:"):
        from frogml.adapters.local_store.health import store_checks

        root = (
            default_store_dir(env) if credentials is None else Path(urlsplit(credentials.url).path)
        )
        detail = f"no server configured; embedded store at {root}"
        try:
            check_settings(env, settings)  # bad JFML_* values fail with no server too
        except FrogMLError as exc:
            return [HealthCheck(name="configuration", verdict="fail", detail=f"{detail}: {exc}")]
        return [HealthCheck(name="configuration", verdict="ok", detail=detail), *store_checks(root)]
    from frogml.adapters.artifactory.health import server_checks

    where = f"{credentials.url} from {credentials.source}"
    try:
        store, http, probe = _server_adapters(credentials, env, settings)
    except FrogMLError as exc:
        return [HealthCheck(name="configuration", verdict="fail", detail=f"{where}: {exc}")]
    detail = f"{where} as {credentials.identity}"
    configured = HealthCheck(name="configuration", verdict="ok", detail=detail)
    return [configured, *server_checks(credentials, store, http, probe)]


def _server_adapters(
    credentials: Credentials, env: Mapping[str, str], chosen: TransferSettings | None
) -> tuple[ArtifactoryStore, ArtifactorySettings, ArtifactoryProbe]:
    """The store (one attempt per request), its settings and the credentials probe, both
    from the environment and the chosen settings. A bad URL or setting raises."""
    from frogml.adapters.artifactory import (
        ArtifactoryProbe,
        ArtifactorySettings,
        ArtifactoryStore,
        RetryPolicy,
    )

    settings = ArtifactorySettings.from_environment(credentials, env, chosen)
    settings = replace(settings, retry=RetryPolicy(max_attempts=1), read_timeout=_TIMEOUT)
    probe = ArtifactoryProbe(env=env, settings=chosen, timeout=_TIMEOUT)
    return ArtifactoryStore(settings), settings, probe

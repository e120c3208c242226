"""``frogml doctor``'s checks, over the real adapters (the composition root's job).

With a server: configuration, reachability (ping), TLS, credentials, clock skew (the
HTTP ``Date`` header against the local clock). Without one: configuration and the
embedded store's folder. Each check gives a verdict: ok, warn or fail.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import tempfile
import time
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from frogml.domain.errors import FrogMLError
from frogml.domain.model.health import HealthCheck, Verdict
from frogml.domain.ports.credentials import Credentials
from frogml.root.bootstrap import default_store_dir, resolve

if TYPE_CHECKING:
    from frogml.adapters.artifactory import ArtifactorySettings, ArtifactoryStore

__all__ = ["run_checks"]

_SKEW_WARN, _SKEW_FAIL = 30.0, 300.0
_LOW_DISK = 1 << 30


def _check(name: str, verdict: Verdict, detail: str) -> HealthCheck:
    return HealthCheck(name=name, verdict=verdict, detail=detail)


def run_checks(env: Mapping[str, str]) -> list[HealthCheck]:
    """Every check for the configuration ``env`` selects, in a stable order."""
    try:
        credentials = resolve(None, env)
    except FrogMLError as exc:
        return [_check("configuration", "fail", str(exc))]
    if credentials is None or credentials.url.startswith("file:"):
        root = (
            default_store_dir(env) if credentials is None else Path(urlsplit(credentials.url).path)
        )
        return [
            _check("configuration", "ok", f"no server configured; embedded store at {root}"),
            *_store_checks(root),
        ]
    where = f"{credentials.url} from {credentials.source}"
    try:
        store, settings = _open_store(credentials, env)
    except FrogMLError as exc:
        return [_check("configuration", "fail", f"{where}: {exc}")]
    configured = _check("configuration", "ok", f"{where} as {credentials.identity}")
    return [configured, *_server_checks(credentials, env, store, settings)]


def _open_store(
    credentials: Credentials, env: Mapping[str, str]
) -> tuple[ArtifactoryStore, ArtifactorySettings]:
    """The store the checks use: one attempt per request; a bad URL or setting raises."""
    from frogml.adapters.artifactory import ArtifactorySettings, ArtifactoryStore, RetryPolicy

    settings = ArtifactorySettings.from_environment(credentials, env)
    settings = replace(settings, retry=RetryPolicy(max_attempts=1), read_timeout=15.0)
    return ArtifactoryStore(settings), settings


def _store_checks(root: Path) -> list[HealthCheck]:
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".doctor-"):
            pass
    except OSError as exc:
        return [_check("store", "fail", f"cannot write in {root}: {exc.strerror or exc}")]
    free = shutil.disk_usage(root).free
    verdict: Verdict = "warn" if free < _LOW_DISK else "ok"
    return [
        _check("store", "ok", f"{root} is writable"),
        _check("disk", verdict, f"{free / (1 << 30):.1f} GiB free"),
    ]


def _server_checks(
    credentials: Credentials,
    env: Mapping[str, str],
    store: ArtifactoryStore,
    settings: ArtifactorySettings,
) -> list[HealthCheck]:
    from frogml.adapters.artifactory.probe import ArtifactoryProbe

    started = time.monotonic()
    try:
        date = store.ping()
    except FrogMLError as exc:
        failed = _check("server", "fail", f"cannot reach {credentials.url}: {exc}")
        tls = ("ssl" in str(exc).lower() or "certificate" in str(exc).lower()) and _check(
            "tls", "fail", str(exc)
        )
        return [failed, *([tls] if tls else [])]
    finally:
        store.close()
    elapsed = (time.monotonic() - started) * 1000
    checks = [_check("server", "ok", f"answered its ping in {elapsed:.0f} ms")]
    checks.append(_tls_check(credentials.url, settings))
    try:
        identity = ArtifactoryProbe(env=env, timeout=15.0).check(credentials)
        checks.append(_check("credentials", "ok", f"accepted as {identity}"))
    except FrogMLError as exc:
        checks.append(_check("credentials", "fail", str(exc)))
    checks.append(_clock_check(date))
    return checks


def _tls_check(url: str, settings: ArtifactorySettings) -> HealthCheck:
    parts = urlsplit(url)
    if parts.scheme != "https":
        return _check("tls", "warn", "plain HTTP: credentials and data travel unencrypted")
    if not settings.verify_tls:
        return _check("tls", "warn", "certificate verification is off (--insecure)")
    if settings.proxy_url:
        return _check("tls", "ok", "certificate verified (through the proxy)")
    try:
        version, days = _handshake(parts.hostname or "", parts.port or 443, settings.ca_bundle)
    except (OSError, ssl.SSLError, ValueError) as exc:
        return _check("tls", "warn", f"certificate verified by the ping; no details: {exc}")
    verdict: Verdict = "warn" if days < 14 else "ok"
    return _check("tls", verdict, f"{version}, certificate verified, expires in {days:.0f} days")


def _handshake(host: str, port: int, ca_bundle: str | None) -> tuple[str, float]:
    context = ssl.create_default_context(cafile=ca_bundle)
    with (
        socket.create_connection((host, port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname=host) as tls,
    ):
        cert = tls.getpeercert() or {}
        version = tls.version() or "TLS"
    expires = ssl.cert_time_to_seconds(str(cert["notAfter"]))
    return version, (expires - time.time()) / 86400


def _clock_check(date: str | None) -> HealthCheck:
    if not date:
        return _check("clock", "warn", "the server sent no Date header; skew unknown")
    try:
        server = parsedate_to_datetime(date)
    except (TypeError, ValueError):
        return _check("clock", "warn", f"unreadable Date header {date!r}")
    skew = (datetime.now(timezone.utc) - server).total_seconds()
    verdict: Verdict = (
        "ok" if abs(skew) < _SKEW_WARN else "warn" if abs(skew) < _SKEW_FAIL else "fail"
    )
    direction = "ahead of" if skew > 0 else "behind"
    return _check("clock", verdict, f"local clock {abs(skew):.0f}s {direction} the server")

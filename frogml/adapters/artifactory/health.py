"""``frogml doctor``'s checks of an Artifactory server: reachability, TLS, credentials, clock.

The composition root builds the store, its settings and the credentials probe (it
alone knows where settings come from) and hands them here; the checks do the I/O.
"""

from __future__ import annotations

import socket
import ssl
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from frogml.adapters.artifactory._tls import (
    CertificateUntrustedError,
    TlsHandshakeError,
    trust_in_effect,
)
from frogml.adapters.artifactory.settings import ArtifactorySettings
from frogml.adapters.artifactory.store import ArtifactoryStore
from frogml.domain.errors import FrogMLError, NotArtifactoryError
from frogml.domain.model.health import HealthCheck, Verdict
from frogml.domain.ports.credentials import Credentials, ServerProbe

__all__ = ["server_checks"]

_SKEW_WARN, _SKEW_FAIL = 30.0, 300.0
_EXPIRY_WARN_DAYS = 14
_HANDSHAKE_TIMEOUT = 10.0


def _check(name: str, verdict: Verdict, detail: str) -> HealthCheck:
    return HealthCheck(name=name, verdict=verdict, detail=detail)


def server_checks(
    credentials: Credentials,
    store: ArtifactoryStore,
    settings: ArtifactorySettings,
    probe: ServerProbe,
) -> list[HealthCheck]:
    """``server`` (ping and its time), ``tls``, ``credentials`` and ``clock``, in order.

    ``store`` (built from ``settings``) answers the ping and is closed afterwards;
    ``probe`` checks the credentials. If the ping fails, only ``server`` (and ``tls``,
    when TLS failed: with the CA certificates in effect and what to do) is reported.
    """
    started = time.monotonic()
    try:
        date = store.ping()
    except (CertificateUntrustedError, TlsHandshakeError) as exc:
        failed = _check("server", "fail", f"no TLS connection to {credentials.url} (see tls)")
        return [failed, _check("tls", "fail", str(exc))]
    except NotArtifactoryError as exc:
        detail = f"reached {credentials.url}, but not Artifactory: it answered {exc.answered}"
        return [_check("server", "fail", detail)]
    except FrogMLError as exc:
        return [_check("server", "fail", f"cannot reach {credentials.url}: {exc}")]
    finally:
        store.close()
    elapsed = (time.monotonic() - started) * 1000
    checks = [_check("server", "ok", f"answered its ping in {elapsed:.0f} ms")]
    checks.append(_tls_check(credentials.url, settings))
    try:
        identity = probe.check(credentials)
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
    trust = trust_in_effect(settings)
    if settings.proxy_url:
        return _check("tls", "ok", f"certificate verified (through the proxy) by {trust}")
    try:
        version, days = _handshake(parts.hostname or "", parts.port or 443, settings.ca_bundle)
    except (OSError, ssl.SSLError, ValueError) as exc:
        return _check("tls", "warn", f"certificate verified by the ping; no details: {exc}")
    verdict: Verdict = "warn" if days < _EXPIRY_WARN_DAYS else "ok"
    return _check(
        "tls", verdict, f"{version}, certificate verified by {trust}, expires in {days:.0f} days"
    )


def _handshake(host: str, port: int, ca_bundle: str | None) -> tuple[str, float]:
    """The TLS version and the days until the server's certificate expires."""
    context = ssl.create_default_context(cafile=ca_bundle)
    with (
        socket.create_connection((host, port), timeout=_HANDSHAKE_TIMEOUT) as raw,
        context.wrap_socket(raw, server_hostname=host) as tls,
    ):
        cert = tls.getpeercert() or {}
        version = tls.version() or "TLS"
    expires = ssl.cert_time_to_seconds(str(cert["notAfter"]))
    return version, (expires - time.time()) / 86400


def _clock_check(date: str | None) -> HealthCheck:
    """The local clock against the server's ``Date`` header (from the ping)."""
    if not date:
        return _check("clock", "warn", "the server sent no Date header; skew unknown")
    try:
        server = parsedate_to_datetime(date)
    except (TypeError, ValueError, IndexError, OverflowError):
        return _check("clock", "warn", f"unreadable Date header {date[:80]!r}")
    if server.tzinfo is None:  # "-0000" or no zone at all: taken as UTC
        server = server.replace(tzinfo=timezone.utc)
    skew = (datetime.now(timezone.utc) - server).total_seconds()
    verdict: Verdict = (
        "ok" if abs(skew) < _SKEW_WARN else "warn" if abs(skew) < _SKEW_FAIL else "fail"
    )
    direction = "ahead of" if skew > 0 else "behind"
    return _check("clock", verdict, f"local clock {abs(skew):.0f}s {direction} the server")

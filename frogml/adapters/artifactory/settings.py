"""How the Artifactory adapter connects: credentials, timeouts, threads, TLS, proxy, retries.

The adapter never reads ``os.environ``; the composition root passes the environment and
the user's :class:`~frogml.domain.model.settings.TransferSettings` (CLI options) to
:meth:`ArtifactorySettings.from_environment`; a setting given there wins over the
environment, which is then not read for it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from frogml.domain.errors import ConfigurationError
from frogml.domain.model.settings import MAX_THREADS, TransferSettings
from frogml.domain.ports.credentials import Credentials

__all__ = [
    "CA_BUNDLE_VARIABLES",
    "ArtifactorySettings",
    "CaBundleSource",
    "RangePolicy",
    "RetryPolicy",
    "StallPolicy",
]

_MAX_THREADS = MAX_THREADS

# Where the CA bundle came from: the chosen settings (the CLI's --ca-bundle), one of
# CA_BUNDLE_VARIABLES, or nowhere ("system": the system's default CA certificates).
CaBundleSource = Literal["option", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "system"]
# In the order they rank: REQUESTS_CA_BUNDLE first, as in requests (so JFrog's client).
CA_BUNDLE_VARIABLES: tuple[Literal["REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"], ...] = (
    "REQUESTS_CA_BUNDLE",
    "SSL_CERT_FILE",
)


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """When to try a request again: attempts, exponential backoff with full jitter, budget.

    ``time_budget`` bounds the whole time spent on one request including its waits.
    """

    max_attempts: int = 5
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    time_budget: float = 300.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ConfigurationError("retry max_attempts must be at least 1")
        if not (0 <= self.backoff_base <= self.backoff_cap):
            raise ConfigurationError("retry backoff needs 0 <= base <= cap")
        if not self.time_budget >= 0:
            raise ConfigurationError("retry time_budget must not be negative")


@dataclass(frozen=True, kw_only=True)
class StallPolicy:
    """When an answer that has begun is stalled: fewer than ``min_bytes`` in ``seconds``.

    JSON and file bodies alike; a stalled attempt is retried like a broken connection.
    The defaults (64 KiB in 30 s, about 2 KiB/s) let a slow but moving transfer, or a
    server pausing a few seconds to fetch from its object store, go on, while a server
    trickling bytes to hold the client is cut off within ``seconds``.
    """

    min_bytes: int = 64 * 1024
    seconds: float = 30.0

    def __post_init__(self) -> None:
        if self.min_bytes < 1:
            raise ConfigurationError("stall min_bytes must be at least 1")
        if not (math.isfinite(self.seconds) and self.seconds > 0):
            raise ConfigurationError("stall seconds must be a positive number")


@dataclass(frozen=True, kw_only=True)
class RangePolicy:
    """When one file is downloaded as concurrent byte ranges, and in how many.

    Defaults from benchmarks/transfers.py (see benchmarks/RESULTS.md): on loopback a
    single stream is as fast as several, but with ranges the hashing of the file
    overlaps its transfer; over real networks several streams also beat one.
    """

    threshold: int = 64 << 20
    parts: int = 4

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise ConfigurationError("range threshold must be at least 1 byte")
        if not 1 <= self.parts <= _MAX_THREADS:
            raise ConfigurationError(f"range parts must be between 1 and {_MAX_THREADS}")

    def applies(self, size: int) -> bool:
        """True when ``size`` bytes are worth splitting."""
        return self.parts > 1 and size >= self.threshold


@dataclass(frozen=True, kw_only=True)
class ArtifactorySettings:
    """Everything the Artifactory adapter needs to talk to one server."""

    credentials: Credentials
    connect_timeout: float = 10.0
    # How long to wait for an answer to begin: after the last byte of a large upload
    # the server may think for minutes. Once it has begun, ``stall`` applies.
    read_timeout: float = 300.0
    thread_count: int = 8
    verify_tls: bool = True
    ca_bundle: str | None = None
    # "system" without a bundle; a bundle given in code (not by from_environment) is
    # an "option", as if chosen.
    ca_bundle_source: CaBundleSource = "system"
    # CA variables that are set, to another file, but lost to ca_bundle_source.
    ca_bundle_outranked: tuple[str, ...] = ()
    proxy_url: str | None = field(default=None, repr=False)  # may hold proxy credentials
    no_proxy: tuple[str, ...] = ()
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    ranges: RangePolicy = field(default_factory=RangePolicy)
    stall: StallPolicy = field(default_factory=StallPolicy)

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
                raise ConfigurationError(f"{name} must be a positive number of seconds")
        if not 1 <= self.thread_count <= _MAX_THREADS:
            raise ConfigurationError(f"thread_count must be between 1 and {_MAX_THREADS}")
        if self.ca_bundle and self.ca_bundle_source == "system":
            object.__setattr__(self, "ca_bundle_source", "option")
        elif not self.ca_bundle and self.ca_bundle_source != "system":
            object.__setattr__(self, "ca_bundle_source", "system")

    @classmethod
    def from_environment(
        cls,
        credentials: Credentials,
        env: Mapping[str, str],
        chosen: TransferSettings | None = None,
    ) -> ArtifactorySettings:
        """Settings for ``credentials``: what ``chosen`` sets, else what the environment
        overrides, else the defaults.

        Reads ``JFML_TIMEOUT`` (seconds, a number: the wait for a connection and for an
        answer to begin), ``JFML_STALL_BYTES`` and ``JFML_STALL_SECONDS`` (an answer that
        has begun is stalled when fewer bytes arrive in that time), ``JFML_THREAD_COUNT``, the proxy
        variables (lowercase first, as curl does), the CA bundle variables and
        ``JFML_INSECURE`` (``true`` turns TLS verification off). The CA bundle is the
        chosen one (``--ca-bundle``), else ``REQUESTS_CA_BUNDLE``, else
        ``SSL_CERT_FILE``, else none (the system's default CA certificates); the
        settings record which, and which set variables it outranked.
        """
        chosen = chosen or TransferSettings()
        settings = cls(credentials=credentials)
        timeout = chosen.timeout or _number(env, "JFML_TIMEOUT")
        if timeout is not None:
            settings = replace(
                settings,
                read_timeout=timeout,
                connect_timeout=min(settings.connect_timeout, timeout),
            )
        threads = chosen.threads or _integer(env, "JFML_THREAD_COUNT")
        if threads is not None:
            settings = replace(settings, thread_count=threads)
        settings = replace(settings, stall=_stall(env, chosen))
        https = credentials.url.strip().lower().startswith("https:")
        proxy_names = ("https_proxy", "HTTPS_PROXY") if https else ("http_proxy", "HTTP_PROXY")
        proxy = chosen.proxy or _first(env, *proxy_names)
        no_proxy = _first(env, "no_proxy", "NO_PROXY") or ""
        ca_bundle, source, outranked = _ca_bundle(env, chosen.ca_bundle)
        return replace(
            settings,
            proxy_url=proxy,
            no_proxy=tuple(h.strip() for h in no_proxy.split(",") if h.strip()),
            ca_bundle=ca_bundle,
            ca_bundle_source=source,
            ca_bundle_outranked=outranked,
            verify_tls=not (chosen.insecure or _flag(env, "JFML_INSECURE")),
        )


def _stall(env: Mapping[str, str], chosen: TransferSettings) -> StallPolicy:
    default = StallPolicy()
    min_bytes = chosen.stall_bytes or _integer(env, "JFML_STALL_BYTES", most=None)
    seconds = chosen.stall_seconds or _number(env, "JFML_STALL_SECONDS")
    return StallPolicy(
        min_bytes=default.min_bytes if min_bytes is None else min_bytes,
        seconds=default.seconds if seconds is None else seconds,
    )


def _ca_bundle(
    env: Mapping[str, str], chosen: str | None
) -> tuple[str | None, CaBundleSource, tuple[str, ...]]:
    """The CA bundle, where it came from, and the CA variables set to another file.

    Machines often set ``REQUESTS_CA_BUNDLE`` globally; it then outranks a user's
    ``SSL_CERT_FILE``, which is why the loser is recorded (doctor and logs name it).
    """
    found = [(name, value) for name in CA_BUNDLE_VARIABLES if (value := _first(env, name))]
    if chosen:
        return chosen, "option", tuple(name for name, value in found if value != chosen)
    if not found:
        return None, "system", ()
    (name, value), rest = found[0], found[1:]
    return value, name, tuple(other for other, path in rest if path != value)


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = (_first(env, name) or "false").lower()
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigurationError(f"{name} must be true or false, got {raw!r}", source=name)


def _first(env: Mapping[str, str], *names: str) -> str | None:
    for name in names:
        value = env.get(name, "").strip()
        if value:
            return value
    return None


def _number(env: Mapping[str, str], name: str) -> float | None:
    raw = _first(env, name)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise ConfigurationError(
            f"{name} must be a positive number of seconds, got {raw!r}", source=name
        )
    return value


def _integer(env: Mapping[str, str], name: str, *, most: int | None = _MAX_THREADS) -> int | None:
    raw = _first(env, name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or (most is not None and value > most):
        span = "of at least 1" if most is None else f"between 1 and {most}"
        raise ConfigurationError(f"{name} must be a whole number {span}, got {raw!r}", source=name)
    return value

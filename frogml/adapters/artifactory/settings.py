"""How the Artifactory adapter connects: credentials, timeouts, threads, TLS, proxy, retries.

The adapter never reads ``os.environ``; the composition root passes the environment and
the user's :class:`~frogml.domain.model.settings.TransferSettings` (CLI options) to
:meth:`ArtifactorySettings.from_environment`; a setting given there wins over the
environment, which is then not read for it.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import urlsplit

from urllib3.util import parse_url

from frogml.domain.errors import ConfigurationError
from frogml.domain.model.settings import MAX_THREADS, TransferSettings, redact_proxy_url
from frogml.domain.ports.credentials import Credentials

__all__ = [
    "CA_BUNDLE_VARIABLES",
    "ArtifactorySettings",
    "CaBundleSource",
    "MultipartPolicy",
    "RangePolicy",
    "RetryPolicy",
    "StallPolicy",
    "bypasses_proxy",
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

    ``parts=None`` (the default) decides from measured throughput: a file of at least
    ``threshold`` bytes starts as one stream; once ``probe`` bytes have arrived, its
    rest is split into :func:`~frogml.adapters.artifactory._ranges.streams_for` streams
    (at most ``max_parts``): as many as it takes for the measured per-connection
    throughput to reach ``target_rate``, none when one connection already does, so on
    loopback one stream does not compete for the CPU with others and with hashing.
    Across a distance (the server's quickest answer so far took 10 ms or more), the
    streams start at once instead (a measure first would hold the path at one stream's
    share for round trips), and the same measure then lets go of those not needed.
    JFrog CLI splits from 5 MiB into 3. A number in ``parts`` splits every file of at
    least ``threshold`` bytes into that many ranges from the start, measuring nothing.
    """

    threshold: int = 5 << 20
    parts: int | None = None
    max_parts: int = 8
    probe: int = 2 << 20
    min_part: int = 2 << 20
    target_rate: float = 256e6  # bytes per second

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise ConfigurationError("range threshold must be at least 1 byte")
        for name in ("parts", "max_parts"):
            count = getattr(self, name)
            if count is not None and not 1 <= count <= _MAX_THREADS:
                raise ConfigurationError(f"range {name} must be between 1 and {_MAX_THREADS}")
        if self.probe < 1 or self.min_part < 1:
            raise ConfigurationError("range probe and min_part must be at least 1 byte")
        if not (math.isfinite(self.target_rate) and self.target_rate > 0):
            raise ConfigurationError("range target_rate must be a positive number")

    @property
    def adaptive(self) -> bool:
        """True when the number of streams comes from measured throughput."""
        return self.parts is None

    def applies(self, size: int) -> bool:
        """True when ``size`` bytes are worth splitting (or measuring, then splitting)."""
        if self.parts is None:
            return self.max_parts > 1 and size >= max(self.threshold, self.probe + self.min_part)
        return self.parts > 1 and size >= self.threshold


@dataclass(frozen=True, kw_only=True)
class MultipartPolicy:
    """When one file is uploaded as parts sent in parallel (protocol page, section 4b).

    Only where the server says it takes multipart uploads (probed once per store);
    elsewhere one PUT, with no visible difference. From 200 MiB, parts of 20 MiB (JFrog
    CLI's defaults), 6 at a time (JFrog CLI: 5; 256 MiB across the modelled WAN took
    2.99 s with 6, 3.06 s with 5, 3.18 s with 8: benchmarks/multipart.py, emulator
    only). ``part_size`` is the largest part, a whole number of
    MiB (the API takes ``partSizeMB``); parts are evened out so that the last round of
    ``parts`` parallel parts is as full as the others. ``merge_timeout``: how long the
    server may take to merge the parts once they are all sent. ``min_round_trip``: parts
    are sent only to a server whose probe took at least this long (seconds); on a near
    one (a LAN, loopback) one stream already fills the path, and parts only add work on
    both sides (benchmarks/RESULTS.md: 0.6x the single PUT on loopback).
    """

    enabled: bool = True
    threshold: int = 200 << 20
    part_size: int = 20 << 20
    parts: int = 6
    merge_timeout: float = 3600.0
    min_round_trip: float = 0.01

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise ConfigurationError("multipart threshold must be at least 1 byte")
        if self.part_size < (1 << 20) or self.part_size % (1 << 20):
            raise ConfigurationError("multipart part_size must be a whole number of MiB")
        if not 1 <= self.parts <= _MAX_THREADS:
            raise ConfigurationError(f"multipart parts must be between 1 and {_MAX_THREADS}")
        if not (math.isfinite(self.merge_timeout) and self.merge_timeout > 0):
            raise ConfigurationError("multipart merge_timeout must be a positive number")
        if not (math.isfinite(self.min_round_trip) and self.min_round_trip >= 0):
            raise ConfigurationError("multipart min_round_trip must be a number of seconds")

    def applies(self, size: int) -> bool:
        """True when ``size`` bytes are worth sending as parts (if the server can)."""
        return self.enabled and size >= max(self.threshold, 1)


@dataclass(frozen=True, kw_only=True)
class ArtifactorySettings:
    """Everything the Artifactory adapter needs to talk to one server."""

    credentials: Credentials
    connect_timeout: float = 10.0
    # How long to wait for an answer to begin: after the last byte of a large upload
    # the server may think for minutes. Once it has begun, ``stall`` applies.
    read_timeout: float = 300.0
    # Parallel file transfers when not ``adaptive`` (JFML_THREAD_COUNT pins them).
    # Adaptive transfers start at ``max_in_flight`` and halve while that loses no
    # throughput; ``max_in_flight`` bounds requests in flight (files and byte ranges)
    # and the connection pool.
    thread_count: int = 8
    adaptive: bool = True
    max_in_flight: int = 32
    verify_tls: bool = True
    ca_bundle: str | None = None
    # "system" without a bundle; a bundle given in code (not by from_environment) is
    # an "option", as if chosen.
    ca_bundle_source: CaBundleSource = "system"
    # CA variables that are set, to another file, but lost to ca_bundle_source.
    ca_bundle_outranked: tuple[str, ...] = ()
    # http(s)://[user:password@]host[:port], or host[:port] (then http); checked when
    # the settings are made, so a bad one is a ConfigurationError, not urllib3's.
    proxy_url: str | None = field(default=None, repr=False)  # may hold proxy credentials
    # Hosts reached directly; given in code, a comma-separated string is split too.
    no_proxy: tuple[str, ...] = ()
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    ranges: RangePolicy = field(default_factory=RangePolicy)
    multipart: MultipartPolicy = field(default_factory=MultipartPolicy)
    stall: StallPolicy = field(default_factory=StallPolicy)

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
                raise ConfigurationError(f"{name} must be a positive number of seconds")
        for name in ("thread_count", "max_in_flight"):
            if not 1 <= getattr(self, name) <= _MAX_THREADS:
                raise ConfigurationError(f"{name} must be between 1 and {_MAX_THREADS}")
        if self.ca_bundle and self.ca_bundle_source == "system":
            object.__setattr__(self, "ca_bundle_source", "option")
        elif not self.ca_bundle and self.ca_bundle_source != "system":
            object.__setattr__(self, "ca_bundle_source", "system")
        if self.proxy_url:  # from_environment has checked it, naming its source
            _checked_proxy(self.proxy_url, "proxy_url")
        object.__setattr__(self, "no_proxy", _hosts(self.no_proxy))

    @property
    def in_flight(self) -> int:
        """The most requests in flight at once: the connection pool's size."""
        return self.max_in_flight if self.adaptive else max(self.thread_count, self.max_in_flight)

    @property
    def first_threads(self) -> int:
        """How many file transfers run at first: all allowed in flight when
        ``adaptive`` (they then go down while that loses nothing), else exactly
        ``thread_count`` all the time."""
        return self.max_in_flight if self.adaptive else self.thread_count

    @property
    def most_threads(self) -> int:
        """How many file transfers may run at once (adapting or pinned)."""
        return self.in_flight if self.adaptive else self.thread_count

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
        has begun is stalled when fewer bytes arrive in that time), ``JFML_THREAD_COUNT``
        (parallel file transfers, pinned: no adapting), ``JFML_MAX_IN_FLIGHT`` (the most
        requests in flight, default 32; transfers adapt up to it), the proxy
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
        most = chosen.max_in_flight or _integer(env, "JFML_MAX_IN_FLIGHT")
        if threads is not None and most is not None and threads > most:
            raise ConfigurationError(
                f"{threads} threads cannot exceed {most} requests in flight",
                source="JFML_THREAD_COUNT",
                hint="raise JFML_MAX_IN_FLIGHT (--max-in-flight) or lower the threads",
            )
        if most is not None:
            settings = replace(settings, max_in_flight=most)
        if threads is not None:  # chosen: exactly that many, no adapting
            settings = replace(
                settings,
                thread_count=threads,
                adaptive=False,
                max_in_flight=max(threads, settings.max_in_flight),
            )
        settings = replace(settings, stall=_stall(env, chosen), multipart=_multipart(chosen))
        https = credentials.url.strip().lower().startswith("https:")
        proxy_names = ("https_proxy", "HTTPS_PROXY") if https else ("http_proxy", "HTTP_PROXY")
        no_proxy = _hosts(_first(env, "no_proxy", "NO_PROXY") or "")
        host = urlsplit(credentials.url.strip()).hostname or ""
        proxy = _proxy(env, chosen, proxy_names, direct=bypasses_proxy(host, no_proxy))
        ca_bundle, source, outranked = _ca_bundle(env, chosen.ca_bundle)
        return replace(
            settings,
            proxy_url=proxy,
            no_proxy=no_proxy,
            ca_bundle=ca_bundle,
            ca_bundle_source=source,
            ca_bundle_outranked=outranked,
            verify_tls=not (chosen.insecure or _flag(env, "JFML_INSECURE")),
        )


def bypasses_proxy(host: str, no_proxy: tuple[str, ...]) -> bool:
    """True when ``no_proxy`` says ``host`` is reached directly.

    Entries as curl, Go (JFrog CLI) and requests read them: ``*``; a domain, which
    covers its subdomains (a leading ``.`` or ``*.`` changes nothing); an IP address,
    IPv6 bare or in brackets; a network in CIDR notation (``10.0.0.0/8``,
    ``fd00::/8``). A port after an entry (``host:8081``, ``[::1]:8081``) is ignored:
    the entry covers the host on every port.
    """
    host = host.lower().strip("[]").rstrip(".")
    address = _ip_address(host)
    for raw in no_proxy:
        entry = raw.strip().lower()
        if entry == "*":
            return True
        name = _without_port(entry)
        if "/" in name:
            if address is not None and _in_network(address, name):
                return True
            continue
        if address is not None:
            if _ip_address(name) == address:
                return True
            continue
        name = name.removeprefix("*").lstrip(".").rstrip(".")
        if name and (host == name or host.endswith("." + name)):
            return True
    return False


def _without_port(entry: str) -> str:
    """``entry``'s host: ``[::1]:8081`` -> ``::1``, ``host:80`` -> ``host``; a bare IPv6
    address (more than one colon) stays whole."""
    if entry.startswith("["):
        return entry[1:].partition("]")[0]
    if entry.count(":") == 1:
        return entry.partition(":")[0]
    return entry


def _ip_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _in_network(address: ipaddress.IPv4Address | ipaddress.IPv6Address, cidr: str) -> bool:
    try:
        network = ipaddress.ip_network(cidr, strict=False)
    except ValueError:  # not a network: an odd entry matches nothing
        return False
    return address.version == network.version and address in network


def _proxy(
    env: Mapping[str, str], chosen: TransferSettings, names: tuple[str, ...], *, direct: bool
) -> str | None:
    """The proxy URL, chosen or else from the first of ``names`` set; checked. One from
    the environment that frogml could not use (``socks5h://``, say, set for other tools)
    is ignored when the server is reached directly (``direct``: its host in no_proxy)."""
    proxy: object = chosen.proxy
    if isinstance(proxy, str):
        proxy = proxy.strip()
    if proxy:
        return _checked_proxy(proxy, "proxy")
    for name in names:
        value = _first(env, name)
        if value is not None:
            if direct and _proxy_problem(value) is not None:
                return None  # not needed for this server: redirects then go direct too
            return _checked_proxy(value, name)
    return None


_PROXY_HINT = "give the proxy as http://host:port, or http://user:password@host:port"


def _checked_proxy(url: object, source: str) -> str:
    """``url``, or a refusal of a proxy URL the HTTP client could not use that shows it
    without credentials."""
    problem = _proxy_problem(url)
    if problem is None and isinstance(url, str):
        return url
    shown = repr(redact_proxy_url(url)) if isinstance(url, str) else type(url).__name__
    where = "the proxy setting" if source in ("proxy", "proxy_url") else source
    raise ConfigurationError(  # no exception chained: a parser's message may echo the URL
        f"{where} {shown} is not a usable proxy URL: {problem}",
        source=source,
        hint=_PROXY_HINT,
    )


def _proxy_problem(url: object) -> str | None:
    """What makes ``url`` unusable as the HTTP client's proxy, or None; never raises.

    Mirrors what the client does with it: no scheme means ``http://``; the credentials
    go in a header; urllib3 parses the rest.
    """
    if not isinstance(url, str):
        return "it is not text"
    text = url if "://" in url else "http://" + url
    if any(c.isspace() or not c.isprintable() for c in text):
        return "it contains a space or a control character"
    try:
        parts = urlsplit(text)
        host, port = parts.hostname, parts.port
        plain = parse_url(parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl())
    except ValueError:  # urllib3's LocationParseError is one too
        return "it cannot be parsed (a bad port or an unclosed [IPv6] address?)"
    if parts.scheme.lower() not in ("http", "https"):
        return "only http:// and https:// proxies are supported"
    if not host or not plain.host:
        return "it names no host"
    if (port is not None and not 1 <= port <= 65535) or plain.port != port:
        return "its port must be a number from 1 to 65535"
    return None


def _hosts(no_proxy: object) -> tuple[str, ...]:
    """``no_proxy`` (comma-separated text, or host names) as a tuple of host names."""
    if no_proxy is None:
        return ()
    hosts: list[object] = [None]
    if isinstance(no_proxy, str):
        hosts = list(no_proxy.split(","))
    elif isinstance(no_proxy, Iterable):
        hosts = list(no_proxy)
    if not all(isinstance(host, str) for host in hosts):
        raise ConfigurationError(
            "no_proxy must be host names, or one comma-separated text",
            source="no_proxy",
            hint="for example no_proxy=('localhost', '.internal')",
        )
    return tuple(host.strip() for host in hosts if isinstance(host, str) and host.strip())


def _stall(env: Mapping[str, str], chosen: TransferSettings) -> StallPolicy:
    default = StallPolicy()
    min_bytes = chosen.stall_bytes or _integer(env, "JFML_STALL_BYTES", most=None)
    seconds = chosen.stall_seconds or _number(env, "JFML_STALL_SECONDS")
    return StallPolicy(
        min_bytes=default.min_bytes if min_bytes is None else min_bytes,
        seconds=default.seconds if seconds is None else seconds,
    )


def _multipart(chosen: TransferSettings) -> MultipartPolicy:
    default = MultipartPolicy()
    return MultipartPolicy(
        threshold=chosen.multipart_threshold or default.threshold,
        part_size=chosen.multipart_part_size or default.part_size,
        parts=chosen.multipart_parts or default.parts,
        min_round_trip=(
            default.min_round_trip
            if chosen.multipart_min_round_trip is None
            else chosen.multipart_min_round_trip
        ),
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

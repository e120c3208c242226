"""One urllib3 pool per client: authentication, redirects, timeouts, retries, TLS.

Secrets live only in the private header dict: never in a repr, a log or an error.
Creating the pool logs ``connection_pool_created`` (info) with the proxy and the CA
certificates in effect, and where they came from.
"""

from __future__ import annotations

import base64
import socket
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from typing import IO, Any, Protocol, cast
from urllib.parse import urljoin, urlsplit

import urllib3
import urllib3.exceptions as u3

from frogml.adapters.artifactory._buffers import prime
from frogml.adapters.artifactory._errors import RetryableError, network_error, raise_for_status
from frogml.adapters.artifactory._forks import renew_in_children
from frogml.adapters.artifactory._interim import interim_flood
from frogml.adapters.artifactory._retry import Retrier, parse_retry_after
from frogml.adapters.artifactory._stall import (
    StalledError,
    StallGuard,
    drain,
    read_body,
    read_chunks,
)
from frogml.adapters.artifactory._tls import tls_error, trust_fields
from frogml.adapters.artifactory._urls import ServerUrls
from frogml.adapters.artifactory._watchdog import HeadStalled, Watchdog, watch_pool
from frogml.adapters.artifactory.settings import ArtifactorySettings, bypasses_proxy
from frogml.adapters.logs import get_logger
from frogml.domain.errors import ConfigurationError, ProtocolError
from frogml.domain.model.server import redact_url
from frogml.domain.model.visible import visible
from frogml.domain.ports.credentials import Credentials

__all__ = ["MAX_ANSWER_BYTES", "Answer", "HttpClient"]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_REDIRECTS = 5
# Answers read into memory (JSON documents, error bodies); a deep listing of a large
# repository stays far below this.
MAX_ANSWER_BYTES = 256 << 20
_BLOCK = 1 << 20
_MAX_DRAIN = 64 << 10  # a redirect's body read to keep its connection; longer: dropped
_log = get_logger("frogml")


class Readable(Protocol):
    """A body streamed from a file-like object."""

    def read(self, size: int = -1, /) -> bytes: ...


Body = bytes | Sequence[bytes] | Readable | None


@dataclass(frozen=True)
class Answer:
    """A complete HTTP answer (body read into memory)."""

    status: int
    headers: Mapping[str, str]
    body: bytes


def _user_agent() -> str:
    try:
        return f"frogml/{metadata.version('frogml')}"
    except metadata.PackageNotFoundError:
        return "frogml/0"


def _authorization(credentials: Credentials) -> dict[str, str]:
    if credentials.password is not None:
        if not credentials.user:
            raise ConfigurationError("a password needs a user name", source=credentials.source)
        pair = f"{credentials.user}:{credentials.password}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
    if credentials.access_token is not None:
        return {"Authorization": f"Bearer {credentials.access_token}"}
    return {}


def _proxy_for(settings: ArtifactorySettings, urls: ServerUrls) -> str | None:
    """The proxy URL (maybe with credentials) to reach ``urls``, or None to go direct."""
    return _proxy_for_host(settings, urlsplit(urls.origin).hostname or "")


def _proxy_for_host(settings: ArtifactorySettings, host: str) -> str | None:
    """The proxy URL to reach ``host`` (the server's, or a redirect's: a CDN, an object
    store), or None to go direct, as ``no_proxy`` says for that host."""
    host = host.lower()
    if not settings.proxy_url or bypasses_proxy(host, settings.no_proxy):
        return None
    return settings.proxy_url if "://" in settings.proxy_url else "http://" + settings.proxy_url


def _pool(settings: ArtifactorySettings, proxy_url: str | None) -> urllib3.PoolManager:
    options: dict[str, object] = {
        "num_pools": 4,
        "maxsize": settings.in_flight,  # every request in flight keeps its connection
        "block": True,
        "timeout": urllib3.Timeout(connect=settings.connect_timeout, read=settings.read_timeout),
        "retries": False,
        "blocksize": _BLOCK,
        "socket_options": [
            (socket.IPPROTO_TCP, socket.TCP_NODELAY, 1),
            (socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1),
        ],
        "cert_reqs": "CERT_REQUIRED" if settings.verify_tls else "CERT_NONE",
        "ca_certs": settings.ca_bundle,
    }
    if proxy_url is not None:
        proxy = urlsplit(proxy_url)
        headers = None
        if proxy.username is not None:
            auth = f"{proxy.username}:{proxy.password or ''}"
            headers = urllib3.make_headers(proxy_basic_auth=auth)
        plain = proxy._replace(netloc=proxy.netloc.rpartition("@")[2]).geturl()
        return urllib3.ProxyManager(plain, proxy_headers=headers, **options)  # type: ignore[arg-type]
    return urllib3.PoolManager(**options)  # type: ignore[arg-type]


def _open_connection(pool: Any, conn: Any) -> None:
    """Open ``conn`` and give it back to ``pool`` (see :meth:`HttpClient.warm`)."""
    try:
        conn.connect()
    except Exception:  # silent: the request that takes it reconnects and reports
        conn.close()
    finally:
        pool._put_conn(conn)


def _digits(text: str) -> bool:
    """True for a decimal number as HTTP writes one (``int()`` also takes "²" or "٣")."""
    return text.isascii() and text.isdigit()


def _redirect_target(url: str, location: str, *, what: str) -> str:
    """The address a redirect leads to; one that cannot be read (a port out of range,
    an unclosed bracket, a space in the host) is the server's fault, not the network's."""
    try:
        target = urljoin(url, location)
        urlsplit(target).port  # noqa: B018 (raises ValueError for a port or host unread)
        urllib3.util.parse_url(target)  # its LocationParseError is a ValueError
    except ValueError:
        shown = visible(location[:200])
        message = f"{what}: the server redirected to an address that cannot be read: {shown!r}"
        raise ProtocolError(message) from None
    return target


def _upgraded_to_https(url: str, target: str) -> bool:
    """True for a redirect from http to https on the same host (a server that moved to
    https and sends plain requests there)."""
    before, after = urlsplit(url), urlsplit(target)
    return (
        before.scheme.lower() == "http"
        and after.scheme.lower() == "https"
        and (before.hostname or "") == (after.hostname or "")
    )


def _moved_to_https(target: str, prefix: str, what: str) -> ConfigurationError:
    """The server's own plain request was sent to https: the URL to use is the target's
    scheme, host and port, with the server's path."""
    secure = redact_url(f"https://{urlsplit(target).netloc}{prefix}/artifactory")
    return ConfigurationError(
        f"{what}: the server answers on https only (it redirected this plain http request)",
        source="url",
        hint=f"use {secure} as the server URL (JF_URL, or `frogml login`); the credentials "
        "already sent over plain http may have been seen: consider renewing them",
    )


class HttpClient:
    """Sends requests to one server; ``request`` retries, ``send`` is one attempt."""

    def __init__(
        self,
        settings: ArtifactorySettings,
        *,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
        now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        self.urls = ServerUrls.parse(settings.credentials.url)
        self.retrier = Retrier(settings.retry, sleep=sleep, clock=clock)
        self._headers = {"User-Agent": _user_agent(), **_authorization(settings.credentials)}
        proxy_url = _proxy_for(settings, self.urls)
        self._proxy_url = proxy_url
        self._settings = settings
        self._connect()
        renew_in_children(self)  # a forked child gets connections of its own
        self._clock = clock
        self._now = now
        proxy = None if proxy_url is None else urlsplit(proxy_url)
        _log.info(
            "connection_pool_created",
            server=self.urls.origin,
            proxy=None if proxy is None else f"{proxy.scheme}://{proxy.hostname}:{proxy.port}",
            **(trust_fields(settings) if self.urls.scheme == "https" else {}),
        )

    def _connect(self) -> None:
        """A new pool and its watchdog; an unclosed client that is collected stops its
        watchdog's thread (a host building one storage per request leaks none)."""
        self._pool = _pool(self._settings, self._proxy_url)
        self._watchdog = Watchdog(self._settings.stall)  # real time: it waits on a condition
        watch_pool(self._pool, self._watchdog)
        self._stop_watchdog = weakref.finalize(self, self._watchdog.close)
        self._quickest: float | None = None  # see `distance`
        self._closed = False
        self._opening: dict[Any, int] = {}  # pool -> connections warm() is opening
        self._opening_lock = threading.Lock()
        # Redirects to hosts that no_proxy treats otherwise than the server (direct
        # where the server is proxied, or the reverse): their own pool, made when needed.
        self._other_pools: dict[str | None, urllib3.PoolManager] = {}
        self._other_lock = threading.Lock()

    def _pool_for(self, url: str) -> urllib3.PoolManager:
        """The pool that reaches ``url`` as ``no_proxy`` says for its host."""
        if not self._settings.proxy_url or self.urls.same_origin(url):
            return self._pool  # no proxy at all (the usual case), or the server itself
        proxy_url = _proxy_for_host(self._settings, urlsplit(url).hostname or "")
        if proxy_url == self._proxy_url:
            return self._pool
        with self._other_lock:
            pool = self._other_pools.get(proxy_url)
            if pool is None:
                pool = _pool(self._settings, proxy_url)
                watch_pool(pool, self._watchdog)
                self._other_pools[proxy_url] = pool
            return pool

    def _forked(self) -> None:
        """In a forked child (a server's worker forked after the storage was made, as
        gunicorn's --preload does): the pooled connections are the parent's sockets,
        and answers to two processes would mix on them; the watchdog's thread did not
        survive the fork. Both are replaced, without touching the old ones, whose locks
        a parent's thread may have held at the fork."""
        self._stop_watchdog.detach()
        self._connect()

    def __repr__(self) -> str:
        return f"HttpClient({self.urls.base!r})"

    def close(self) -> None:
        self._closed = True  # a warm-up due later opens nothing
        self._pool.clear()
        with self._other_lock:
            others = list(self._other_pools.values())
        for pool in others:
            pool.clear()
        self._watchdog.close()

    @property
    def distance(self) -> float | None:
        """Seconds from asking to the head of the quickest answer so far (None before
        the first): a measure of how far the server is, round trip, handshake of a new
        connection and the server's own time included (a bound from above)."""
        return self._quickest

    def warm(self, url: str, count: int) -> None:
        """Open connections to ``url``'s server in the background, so that the next
        ``count`` requests in flight find them open: the pool then holds up to ``count``
        open ones (those already idle in it, or still being opened by an earlier warm-up,
        count), never more than it may hold.

        Each connection is opened on its own daemon thread (a TLS handshake takes round
        trips) and given back to the pool as soon as it is open, or when it failed: any
        error is silent, the request that takes the connection meets it and reports it
        (a server that drops packets then answers after two connect timeouts). Nothing
        is warmed through a proxy: urllib3 sets up a tunnel only on a connection it
        opens itself.
        """
        if isinstance(self._pool, urllib3.ProxyManager) or self._closed:
            return
        taken: list[Any] = []
        try:
            pool = self._pool.connection_from_url(url)
            with self._opening_lock:  # those an earlier warm-up is still opening count
                count -= self._opening.get(pool, 0)
            for _ in range(count):
                try:
                    taken.append(pool._get_conn(timeout=0))  # its slots bound the number
                except u3.EmptyPoolError:
                    break  # every slot is taken
        except Exception:  # best effort: the real requests report
            for conn in taken:
                conn.close()
                pool._put_conn(conn)
            return
        for conn in taken:
            if conn.is_connected:  # open already: back at once
                pool._put_conn(conn)
            else:
                with self._opening_lock:
                    self._opening[pool] = self._opening.get(pool, 0) + 1
                try:
                    threading.Thread(
                        target=self._open_ahead, args=(pool, conn), name="frogml-warm", daemon=True
                    ).start()
                except RuntimeError:  # no thread to be had (interpreter exiting, a limit)
                    self._opened_one(pool)
                    pool._put_conn(conn)

    def warm_if_far(self, url: str, count: int, *, far: float) -> None:
        """:meth:`warm` unless the server is near: at once when an answer so far took
        ``far`` seconds or more; when none has come yet, ``far`` seconds from now, unless
        an answer by then took less (the request about to leave measures it). On a LAN
        nothing is opened; across a distance the handshakes start while that request
        waits for its answer."""
        quickest = self._quickest
        if quickest is not None:
            if quickest >= far:
                self.warm(url, count)
            return

        def later() -> None:
            quickest = self._quickest
            if quickest is None or quickest >= far:
                self.warm(url, count)

        timer = threading.Timer(far, later)
        timer.name, timer.daemon = "frogml-warm", True
        timer.start()

    def _open_ahead(self, pool: Any, conn: Any) -> None:
        try:
            _open_connection(pool, conn)
        finally:  # after it is back in the pool: a warm-up meanwhile counts it twice at most
            self._opened_one(pool)

    def _opened_one(self, pool: Any) -> None:
        with self._opening_lock:
            left = self._opening.pop(pool, 1) - 1
            if left > 0:
                self._opening[pool] = left

    def open(
        self,
        method: str,
        url: str,
        *,
        what: str,
        headers: Mapping[str, str] | None = None,
        body: Body = None,
        stream: bool = False,
    ) -> urllib3.BaseHTTPResponse:
        """One attempt. GET and HEAD follow redirects; credentials go to this server only."""
        sent = {**self._headers, **(headers or {})}
        for _ in range(_MAX_REDIRECTS + 1):
            asked = time.monotonic()
            try:
                response = self._pool_for(url).urlopen(
                    method,
                    url,
                    body=cast("IO[Any] | bytes | None", body),
                    headers=sent,
                    redirect=False,
                    retries=False,
                    preload_content=not stream,
                    decode_content=False,
                )
            except HeadStalled as exc:
                raise self._head_stalled(exc, what=what) from None
            except u3.SSLError as exc:
                host = urlsplit(url).netloc
                raise tls_error(exc, what=what, host=host, settings=self._settings) from exc
            except u3.HTTPError as exc:
                if (flood := interim_flood(exc)) is not None:  # retrying would not help
                    raise ProtocolError(f"{what}: {flood}") from None
                raise network_error(exc, what=what) from exc
            took = time.monotonic() - asked
            if self._quickest is None or took < self._quickest:
                self._quickest = took  # a race loses at most one sample of a heuristic
            location = response.headers.get("Location")
            if response.status not in _REDIRECTS or location is None:
                return response
            target = _redirect_target(url, location, what=what)
            if _upgraded_to_https(url, target) and self.urls.same_origin(url):
                # The server itself, not a CDN hop, moved: its credentials would be
                # dropped for the new scheme, and a PUT cannot follow.
                self._discard(response, what=what)
                raise _moved_to_https(target, self.urls.prefix, what=what)
            if method not in ("GET", "HEAD"):
                return response
            self._discard(response, what=what)
            url, sent = self._redirected(url, target, sent)
        raise ProtocolError(f"{what}: too many redirects")

    def body_chunks(
        self, response: urllib3.BaseHTTPResponse, *, what: str, size: int = _BLOCK
    ) -> Iterator[bytes]:
        """The body of an answer that has begun, as it arrives; a stall raises
        :class:`~frogml.adapters.artifactory._stall.StalledError` (retryable)."""
        prime(size)  # blocks from reused memory, not a fresh mapping each
        return read_chunks(
            response, self._guard(what), size=size, restore=self._settings.read_timeout
        )

    def read_body(self, response: urllib3.BaseHTTPResponse, *, what: str, limit: int) -> bytes:
        """At most ``limit + 1`` bytes of a body, a stall raising as in :meth:`body_chunks`."""
        return read_body(
            response, self._guard(what), limit=limit, restore=self._settings.read_timeout
        )

    def _head_stalled(self, exc: HeadStalled, *, what: str) -> StalledError:
        policy = self._settings.stall
        window = f"fewer than {policy.min_bytes} bytes in {policy.seconds:g} s"
        if exc.phase == "sending the request":
            return StalledError(f"{what}: the server stopped reading the request ({window})")
        return StalledError(f"{what}: the server's answer stalled in its headers ({window})")

    def _guard(self, what: str) -> StallGuard:
        return StallGuard(self._settings.stall, clock=self._clock, what=what)

    def _discard(self, response: urllib3.BaseHTTPResponse, *, what: str) -> None:
        """Read a short unwanted body so the connection can serve again; else drop it."""
        try:
            if len(self.read_body(response, what=what, limit=_MAX_DRAIN)) > _MAX_DRAIN:
                response.close()
        except (u3.HTTPError, RetryableError):
            response.close()
        response.release_conn()

    def _redirected(
        self, url: str, target: str, sent: dict[str, str]
    ) -> tuple[str, dict[str, str]]:
        scheme = urlsplit(target).scheme.lower()
        if scheme not in ("http", "https") or (url.startswith("https:") and scheme == "http"):
            raise ProtocolError("the server redirected to an unsafe address")
        if not self.urls.same_origin(target):
            sent = {k: v for k, v in sent.items() if k.lower() != "authorization"}
        return target, sent

    def send(
        self,
        method: str,
        url: str,
        *,
        what: str,
        headers: Mapping[str, str] | None = None,
        body: Body = None,
        keep: bool = True,
    ) -> Answer:
        """One attempt, raising the domain error for any non-2xx answer; ``keep=False``
        as in :meth:`exchange`."""
        answer = self.exchange(method, url, what=what, headers=headers, body=body, keep=keep)
        self.check(answer, what=what)
        return answer

    def exchange(
        self,
        method: str,
        url: str,
        *,
        what: str,
        headers: Mapping[str, str] | None = None,
        body: Body = None,
        keep: bool = True,
    ) -> Answer:
        """One attempt and its whole answer, whatever its status.

        The answer is read into memory (JSON, error bodies), so its size is capped,
        and a stalled one raises: a broken or hostile server can exhaust neither the
        client's memory nor its time. With ``keep=False``, a 2xx answer's body is read
        as it arrives and let go (the caller needs only its status), within the same cap,
        but for its first bytes (the answer's ``body``: enough to tell an HTML page).
        """
        response = self.open(method, url, what=what, headers=headers, body=body, stream=True)
        try:
            if not keep and 200 <= response.status < 300:
                head = bytearray()  # enough to tell a proxy's HTML page from a result
                length = drain(
                    response,
                    self._guard(what),
                    limit=MAX_ANSWER_BYTES,
                    restore=self._settings.read_timeout,
                    head=head,
                )
                data = bytes(head)
            else:
                data = self.read_body(response, what=what, limit=MAX_ANSWER_BYTES)
                length = len(data)
            if length > MAX_ANSWER_BYTES:
                raise ProtocolError(
                    f"{what}: the server's answer is larger than {MAX_ANSWER_BYTES >> 20} MiB"
                )
            declared = response.headers.get("Content-Length")
            cut = declared is not None and _digits(declared) and length != int(declared)
            if cut and method != "HEAD":
                # A bounded read does not check the length itself; a cut answer is
                # a network failure, worth another attempt.
                raise RetryableError(f"{what}: the answer was cut short")
        except BaseException as exc:
            response.close()  # the rest of the body is never read: drop the connection
            response.release_conn()
            if isinstance(exc, u3.HTTPError):
                raise network_error(exc, what=what) from exc
            raise
        response.release_conn()
        return Answer(status=response.status, headers=response.headers, body=data)

    def check(self, answer: Answer, *, what: str) -> None:
        """Raise the domain error for a non-2xx answer."""
        retry_after = parse_retry_after(answer.headers.get("Retry-After"), self._now())
        raise_for_status(answer.status, answer.body, what=what, retry_after=retry_after)

    def request(
        self,
        method: str,
        url: str,
        *,
        what: str,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        idempotent: bool = True,
    ) -> Answer:
        """``send`` with the retry policy (in-memory bodies only)."""
        return self.retrier.run(
            lambda: self.send(method, url, what=what, headers=headers, body=body),
            what=what,
            idempotent=idempotent,
        )

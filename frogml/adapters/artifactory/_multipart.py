"""Multipart upload of big files, where the server takes it (protocol page, section 4b).

Artifactory ≥ 7.90.7 on S3, GCS or Azure storage (JFrog Cloud) lets a client send a
file as parts, in parallel, straight to the object store; it then merges them, and a
checksum deploy carrying the merge's token places the file at its path: here, in the
version's upload area, so the transaction's commit publishes it like any other file.
The calls and their answers are those of JFrog's own client (jfrog-client-go,
``artifactory/services/utils/multipartupload.go``):

1. ``GET /api/v1/uploads/config`` (once per store: the probe) -> ``{"supported": true}``;
   anything else (404, 403, 405, an error, another answer) means "not here", silently
   remembered, and every file goes as one PUT as before;
2. ``POST …/create?repoKey=&repoPath=&partSizeMB=`` -> ``{"token": …}`` (a credential:
   never logged; it authenticates the next calls, as a bearer token);
3. per part, ``POST …/urlPart?partNumber=N`` -> ``{"url": …}``, a pre-signed URL, and
   a ``PUT`` of the part's bytes to it, without the Authorization header (the URL is
   the credential, so neither it is logged); the part's ETag (its MD5 on S3) is
   checked against the bytes sent, and a part that fails is sent again, to a URL
   asked for anew. The URL of part N + lanes is asked for while part N is sent (see
   ``_PartUrls``), so that after the first round no part waits a round trip for it;
4. ``POST …/complete?sha1=`` (202), then ``POST …/status`` polled until ``FINISHED``
   with a ``checksumToken``; ``RETRYABLE_ERROR`` reruns complete;
5. ``PUT /{repo}/{path}`` with ``X-Checksum-Deploy: true``, the file's SHA-256 and
   SHA-1 and ``X-Checksum-Deploy-Token``.

A refused create (4xx: unverified on machinelearning repositories) is remembered for
the repository, and the file goes as one PUT. Any failure after 2. sends
``POST …/abort`` (best effort) and raises: nothing is ever
placed until the server has merged every part and verified the whole file's SHA-1,
and the deploy checks the SHA-256, so a killed or failed upload never publishes a
partial file; a rerun starts a new upload (or links the file, if the deploy of the
killed run had happened, by the ordinary checksum deploy).

Memory stays bounded: each part is streamed from the file at its offset in blocks.
The file's SHA-1 (which the server wants at complete) is computed by a reader thread
while the parts are sent.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import BinaryIO
from urllib.parse import quote

import msgspec

from frogml.adapters.artifactory._errors import (
    RetryableError,
    decode_answer,
    raise_for_status,
)
from frogml.adapters.artifactory._forks import renew_in_children
from frogml.adapters.artifactory._http import HttpClient
from frogml.adapters.artifactory._transfer import Cancelled, Progress, run_parallel
from frogml.adapters.artifactory._wire import deploy_decoder
from frogml.adapters.artifactory.settings import ArtifactorySettings, MultipartPolicy
from frogml.adapters.logs import get_logger
from frogml.domain.errors import (
    AlreadyExistsError,
    FrogMLError,
    IntegrityError,
    LocalFileError,
    ProtocolError,
    TransientError,
)
from frogml.domain.model.visible import visible
from frogml.domain.ports.credentials import Credentials
from frogml.domain.ports.filesystem import SourceFile
from frogml.domain.ports.progress import TransferEvents

__all__ = ["Multipart"]

_log = get_logger("frogml")
_MIB = 1 << 20
_BLOCK = 1 << 20
_FIRST_POLL = 0.05  # seconds before the first status poll; doubles up to _LAST_POLL
_LAST_POLL = 2.0
_MIN_POLL = 0.02
_MAX_PARTS = 10_000
# How long a part URL asked for ahead is used (seconds): the store signs it for a
# limited time (S3: up to 7 days, Artifactory's choice unknown); an older one is asked
# for anew, as is the URL of a part sent again.
_URL_FRESH = 60.0
_WAIT_SLICE = 0.2  # seconds between checks of the stop event while waiting for a URL
_MD5_ETAG = re.compile(r'^\s*(?:W/)?"?([0-9a-fA-F]{32})"?\s*$')
_S3_CODE = re.compile(rb"<Code>([^<]{1,100})</Code>")
_S3_MESSAGE = re.compile(rb"<Message>([^<]{1,400})</Message>")


class _Config(msgspec.Struct, forbid_unknown_fields=False):
    supported: bool = False


class _Token(msgspec.Struct, forbid_unknown_fields=False):
    token: str


class _Url(msgspec.Struct, forbid_unknown_fields=False):
    url: str


class _Status(msgspec.Struct, rename="camel", forbid_unknown_fields=False):
    status: str = ""
    error: str = ""
    progress: int | None = None
    checksum_token: str = ""


_config_decoder = msgspec.json.Decoder(_Config)
_token_decoder = msgspec.json.Decoder(_Token)
_url_decoder = msgspec.json.Decoder(_Url)
_status_decoder = msgspec.json.Decoder(_Status)


class _PartReader:
    """Streams ``length`` bytes of a file from its current offset: hashed, stoppable."""

    def __init__(
        self,
        stream: BinaryIO,
        length: int,
        progress: Progress,
        stopped: Callable[[], bool],
        rel_path: str,
    ) -> None:
        self._stream = stream
        self._left = length
        self._progress = progress
        self._stopped = stopped
        self._rel_path = rel_path
        self.md5 = hashlib.md5()  # noqa: S324 (the object store's ETag, not security)

    def read(self, size: int = -1) -> bytes:
        if self._stopped():
            raise Cancelled("upload cancelled")
        want = self._left if size < 0 else min(size, self._left)
        data = self._stream.read(want) if want else b""
        if len(data) < want:
            raise IntegrityError(
                f"{self._rel_path} shrank while it was uploaded", path=self._rel_path
            )
        self._left -= len(data)
        self.md5.update(data)
        self._progress.advance(len(data))
        return data


def check_deployed(body: bytes, sha256: str, *, what: str) -> None:
    """Check a deploy's answer: Artifactory's JSON naming the file it placed (an HTML
    page or other text with a 2xx is no deploy: NotArtifactoryError), with the SHA-256
    the client hashed when it says one."""
    deployed = decode_answer(deploy_decoder, body, what=what)
    placed = deployed.checksums.sha256 if deployed.checksums else None
    if placed is not None and placed.lower() != sha256:
        raise ProtocolError(f"{what}: the server placed a file with another SHA-256")


def check_ended(stream: BinaryIO, rel_path: str) -> None:
    """Refuse a file that goes on past the size it had when it was hashed (a file still
    being written): the bytes hashed are not all that is there."""
    try:
        more = stream.read(1)
    except OSError:
        return  # nothing to refuse: every byte promised was read
    if more:
        raise IntegrityError(f"{rel_path} grew while it was uploaded", path=rel_path)


class _Sha1:
    """The SHA-1 of a whole file, computed by a thread while the parts are sent."""

    def __init__(self, source: SourceFile, stop: threading.Event) -> None:
        self._source = source
        self._stop = stop
        self._digest: str | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="frogml-sha1", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        digest = hashlib.sha1()  # noqa: S324 (what the API asks for)
        source, left = self._source, self._source.size
        try:
            with source.open() as stream:
                while left and (block := stream.read(min(_BLOCK, left))):
                    if self._stop.is_set():
                        return
                    digest.update(block)
                    left -= len(block)
                if left:
                    raise IntegrityError(
                        f"{source.rel_path} shrank while it was uploaded", path=source.rel_path
                    )
                check_ended(stream, source.rel_path)
        except BaseException as exc:  # reported by result(), in the caller's thread
            self._error = exc
            return
        self._digest = digest.hexdigest()

    def result(self) -> str:
        while self._thread.is_alive():
            self._thread.join(0.2)  # a timed join stays interruptible
        if self._error is not None:
            raise self._error
        if self._digest is None:
            raise Cancelled("upload cancelled")
        return self._digest


class _PartUrls:
    """The pre-signed URLs of one upload's parts, asked for ahead of their part.

    Part ``n``'s first attempt takes its URL here (:meth:`take`); that queues the URL of
    part ``n + ahead`` (``ahead``: the parts sent at a time), which one thread asks for
    (``ahead_fetch``: one attempt) while the parts in flight are sent. The first round
    asks for its own URLs, in parallel; after it, each part finds its URL ready. A URL
    is used once, only while fresh (``fresh`` seconds after it was asked for); when it
    is not ready (its request failed, or it is not asked for yet), the part's own
    thread asks (``fetch``: with retries), so that an error names the part. At most
    one request per part, unless one failed or a URL went stale.
    """

    def __init__(
        self,
        fetch: Callable[[int], str],
        ahead_fetch: Callable[[int], str],
        *,
        count: int,
        ahead: int,
        clock: Callable[[], float],
        fresh: float = _URL_FRESH,
    ) -> None:
        self._fetch = fetch
        self._ahead_fetch = ahead_fetch
        self._count = count
        self._ahead = ahead
        self._clock = clock
        self._fresh = fresh
        self._cond = threading.Condition()
        self._queue: deque[int] = deque()  # to ask for, in order
        self._fetching = 0  # the part whose URL the thread is asking for (0: none)
        self._ready: dict[int, tuple[float, str]] = {}  # part -> (asked at, URL)
        self._closed = False
        self._thread: threading.Thread | None = None

    def take(self, number: int, stopped: Callable[[], bool]) -> str:
        """The URL for part ``number``'s first attempt: asked for ahead when it could be."""
        url = None
        with self._cond:
            following = number + self._ahead
            if following <= self._count and not self._closed:
                self._queue.append(following)
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="frogml-part-urls", daemon=True
                    )
                    self._thread.start()
                self._cond.notify_all()
            while self._fetching == number:  # being asked for: as quick as asking again
                if stopped():
                    raise Cancelled("upload cancelled")
                self._cond.wait(_WAIT_SLICE)
            with contextlib.suppress(ValueError):
                self._queue.remove(number)  # not asked for yet: asked for here, now
            ready = self._ready.pop(number, None)
            if ready is not None and self._clock() - ready[0] <= self._fresh:
                url = ready[1]
        return self._fetch(number) if url is None else url

    def close(self) -> None:
        """Ask for nothing more and forget the URLs (the thread ends with its request)."""
        with self._cond:
            self._closed = True
            self._queue.clear()
            self._ready.clear()
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not (self._queue or self._closed):
                    self._cond.wait()
                if self._closed:
                    return
                number = self._fetching = self._queue.popleft()
            asked = self._clock()
            try:
                url: str | None = self._ahead_fetch(number)
            except Exception:  # the part asks again itself, and reports the error
                url = None
            with self._cond:
                self._fetching = 0
                if url is not None and not self._closed:
                    self._ready[number] = (asked, url)
                self._cond.notify_all()


def _object_store_error(status: int, body: bytes, what: str) -> FrogMLError:
    """The error for a refused part: S3's XML errors say why in ``Code`` and ``Message``."""
    code, message = _S3_CODE.search(body), _S3_MESSAGE.search(body)
    if code is None:
        try:
            raise_for_status(status, body, what=what)
        except FrogMLError as exc:
            return exc
        return ProtocolError(f"{what}: unexpected answer HTTP {status}")
    text = visible(
        f"{code[1].decode('utf-8', 'replace')}: "
        + (message[1].decode("utf-8", "replace") if message else ""),
        limit=200,
    )
    expired = status == 403 and b"expired" in body.lower()
    if status >= 500 or status in (408, 429) or expired or code[1] == b"BadDigest":
        # A busy store, an expired URL (the next attempt asks for a new one), or bytes
        # altered on the way: worth sending the part again.
        return RetryableError(f"{what}: {text} (HTTP {status})", status=status)
    try:
        raise_for_status(status, msgspec.json.encode({"errors": [{"message": text}]}), what=what)
    except FrogMLError as exc:
        return exc
    return ProtocolError(f"{what}: unexpected answer HTTP {status}")


def _part_what(source: SourceFile, number: int, count: int) -> str:
    return f"uploading {source.rel_path} (part {number} of {count})"


def part_size_for(size: int, most: int, lanes: int) -> int:
    """Parts of at most ``most`` bytes (whole MiB), evened out so that the last round
    of ``lanes`` parallel parts is as full as the others: a round with fewer parts
    than lanes leaves link bandwidth unused (each connection has its own limit)."""
    if size > _MAX_PARTS * most:  # the object stores' limit on the number of parts
        return math.ceil(size / _MAX_PARTS / _MIB) * _MIB
    rounds = math.ceil(size / (most * lanes))
    return max(_MIB, min(most, math.ceil(size / (rounds * lanes) / _MIB) * _MIB))


def _next_poll(fallback: float, progress: int | None, elapsed: float) -> float:
    """Seconds to the next status poll: when the server reports its progress, about
    when it should be done (so a quick merge is not waited for long); else ``fallback``."""
    if progress is None or not 0 < progress < 100:
        return fallback
    remaining = elapsed * (100 - progress) / progress
    return min(max(remaining, _MIN_POLL), _LAST_POLL)


class Multipart:
    """Multipart upload for one store: probed once, then used for the big files."""

    def __init__(
        self,
        http: HttpClient,
        settings: ArtifactorySettings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._settings = settings
        self._policy: MultipartPolicy = settings.multipart
        self._sleep = sleep
        self._clock = clock
        self._lock = threading.Lock()  # state; never held across a request
        self._answered = threading.Condition(self._lock)  # a probe ended, or close()
        self._asking = False  # a probe is under way: others wait for its answer
        self._supported: bool | None = None
        self._closed = False
        self._refused: set[str] = set()  # repositories that refused to create one
        self._objects: HttpClient | None = None
        self._api = f"{http.urls.base}/api/v1/uploads"
        renew_in_children(self)

    def _forked(self) -> None:
        """In a forked child: a probe that a parent's thread was making will never
        answer here (that thread did not survive the fork), and the lock may have been
        held by it: new ones, and the probe is asked again when needed."""
        self._lock = threading.Lock()
        self._answered = threading.Condition(self._lock)
        if self._asking:
            self._asking = False

    def close(self) -> None:
        """Close the object store's connections; returns at once, even while a probe
        waits for its answer (that probe's thread then ends on its own)."""
        with self._lock:
            self._closed = True
            objects, self._objects = self._objects, None
            self._answered.notify_all()
        if objects is not None:
            objects.close()

    # -- whether ------------------------------------------------------------------------
    def applies(self, size: int) -> bool:
        """True when a file of ``size`` bytes goes as parts (probing the server once)."""
        return self._policy.applies(size) and self.supported()

    def probe_ahead(self, sizes: Iterable[int]) -> None:
        """When one of ``sizes`` may go as parts and the server was not probed yet, probe
        it on a daemon thread now: its round trips then overlap the transaction's start
        (``ArtifactoryStore.expect_upload``), and :meth:`applies` waits for its answer."""
        with self._lock:
            if self._supported is not None or self._asking:
                return
        if not any(self._policy.applies(size) for size in sizes):
            return
        threading.Thread(
            target=self._probe_quietly, name="frogml-multipart-probe", daemon=True
        ).start()

    def _probe_quietly(self) -> None:
        try:
            self.supported()
        except Exception as exc:  # a background hint: applies() then probes again
            _log.debug("multipart_probe_failed", error=type(exc).__name__)

    def supported(self) -> bool:
        """True when the server takes multipart uploads and is far enough for parts to
        pay (its probe took at least ``min_round_trip``); probed once. False once closed.

        A probe that says "far" is timed once more and the quicker one counts: the first
        may have opened its connection (a TLS handshake on a LAN can take longer than
        ``min_round_trip``) or run beside 32 starting uploads (on loopback it took up to
        8.8 ms so); the second goes on an open connection. A near server is not taken
        for a far one then, and parts are not sent where one stream fills the path.
        Across a WAN both probes run while the transaction starts (``expect_upload``).
        """
        with self._lock:
            while self._supported is None and not self._closed and self._asking:
                self._answered.wait()
            if self._supported is not None or self._closed:
                return bool(self._supported)
            self._asking = True
        answer: bool | None = None
        try:
            takes, took = self._timed_probe()
            near = self._policy.min_round_trip
            if takes and 0 < near <= took:
                took = min(took, self._timed_probe()[1])
            answer = takes and took >= near
            _log.debug("multipart_upload_probed", takes=takes, probe_seconds=took, far=answer)
        finally:
            with self._lock:
                self._supported, self._asking = answer, False
                self._answered.notify_all()
        return answer

    def _timed_probe(self) -> tuple[bool, float]:
        started = self._clock()
        takes = self._probe()
        return takes, self._clock() - started

    def _probe(self) -> bool:
        what = "asking whether the server takes multipart uploads"
        try:
            answer = self._http.exchange("GET", f"{self._api}/config", what=what)
            if answer.status != 200:
                return False
            return _config_decoder.decode(answer.body).supported is True
        except (FrogMLError, msgspec.DecodeError, msgspec.ValidationError):
            return False

    def _object_store(self) -> HttpClient:
        """A client for the pre-signed URLs: same TLS, proxy and timeouts, no credentials."""
        with self._lock:
            if self._objects is None:
                anonymous = Credentials(url=self._settings.credentials.url, source="multipart")
                self._objects = HttpClient(
                    replace(self._settings, credentials=anonymous),
                    sleep=self._sleep,
                    clock=self._clock,
                )
            return self._objects

    # -- the upload -----------------------------------------------------------------------
    def upload(
        self,
        repository: str,
        path: str,
        url: str,
        source: SourceFile,
        events: TransferEvents,
        stop: threading.Event,
    ) -> bool:
        """Send ``source`` as parts and place it at ``repository``/``path`` (``url``).

        False, with nothing sent, when the server refuses to start a multipart upload
        in this repository (it is unverified on machinelearning repositories): the
        caller then sends one PUT, and so does every later file of the repository.
        """
        what = f"uploading {source.rel_path}"
        with self._lock:
            if repository in self._refused:
                return False
        size = source.size
        part_size = part_size_for(size, self._policy.part_size, self._policy.parts)
        count = max(1, math.ceil(size / part_size))
        try:
            auth = self._create(repository, path, part_size, what)
        except TransientError:
            raise
        except FrogMLError as exc:
            _log.debug("multipart_upload_refused", repository=repository, reason=exc.message)
            with self._lock:
                self._refused.add(repository)
            return False
        mine = threading.Event()  # stops the SHA-1 reader when this upload ends early
        sha1 = _Sha1(source, mine)
        try:
            self._send_parts(auth, source, part_size, count, events, stop)
            digest = sha1.result()
            checksum_token = self._complete(auth, digest, stop, what)
            self._deploy(url, source, digest, checksum_token, what)
        except Exception:
            mine.set()
            self._abort(auth, what)
            raise
        except BaseException:
            mine.set()  # interrupted: the server forgets the upload when its token expires
            raise
        _log.debug("multipart_upload_done", file=source.rel_path, parts=count)
        return True

    def _create(self, repository: str, path: str, part_size: int, what: str) -> dict[str, str]:
        query = (
            f"repoKey={quote(repository, safe='')}&repoPath={quote(path, safe='')}"
            f"&partSizeMB={part_size // _MIB}"
        )
        answer = self._http.request("POST", f"{self._api}/create?{query}", what=what)
        token = decode_answer(_token_decoder, answer.body, what=what).token
        if not token:
            raise ProtocolError(f"{what}: the server gave no multipart upload token")
        return {"Authorization": f"Bearer {token}"}

    def _send_parts(
        self,
        auth: dict[str, str],
        source: SourceFile,
        part_size: int,
        count: int,
        events: TransferEvents,
        stop: threading.Event,
    ) -> None:
        lanes = min(self._policy.parts, count)

        def url(number: int) -> str:
            return self._part_url(auth, number, _part_what(source, number, count))

        def url_ahead(number: int) -> str:
            return self._part_url(auth, number, _part_what(source, number, count), once=True)

        urls = _PartUrls(url, url_ahead, count=count, ahead=lanes, clock=self._clock)

        def task(number: int) -> Callable[[threading.Event], None]:
            return lambda parts_stop: self._send_part(
                urls,
                auth,
                source,
                (number, count, part_size),
                events,
                lambda: stop.is_set() or parts_stop.is_set(),
            )

        try:
            run_parallel([task(n) for n in range(1, count + 1)], threads=lanes, name="frogml-part")
        finally:
            urls.close()

    def _part_url(self, auth: dict[str, str], number: int, what: str, *, once: bool = False) -> str:
        """A pre-signed URL for part ``number``: with its own retries (a flaky API must not
        use up the attempts of the part), or ``once`` (asked for ahead: the part itself
        asks again if this fails)."""
        url = f"{self._api}/urlPart?partNumber={number}"
        if once:
            answer = self._http.send("POST", url, what=what, headers=auth)
        else:
            answer = self._http.request("POST", url, what=what, headers=auth)
        return decode_answer(_url_decoder, answer.body, what=what).url

    def _send_part(
        self,
        urls: _PartUrls,
        auth: dict[str, str],
        source: SourceFile,
        part: tuple[int, int, int],
        events: TransferEvents,
        stopped: Callable[[], bool],
    ) -> None:
        number, count, part_size = part
        offset = (number - 1) * part_size
        length = min(part_size, source.size - offset)
        what = _part_what(source, number, count)
        progress = Progress(events)
        objects = self._object_store()
        first = True

        def attempt() -> None:
            nonlocal first
            if stopped():
                raise Cancelled("upload cancelled")
            if first:  # asked for ahead, most often
                first = False
                part_url = urls.take(number, stopped)
            else:  # sent again: to a new URL (the last one may have expired)
                part_url = self._part_url(auth, number, what)
            progress.seek(0)
            with source.open() as stream:
                try:
                    stream.seek(offset)
                except OSError as exc:
                    raise LocalFileError(
                        f"cannot read {source.rel_path!r}: {exc.strerror or exc}",
                        path=source.rel_path,
                    ) from exc
                body = _PartReader(stream, length, progress, stopped, source.rel_path)
                sent = objects.exchange(
                    "PUT",
                    part_url,
                    what=what,
                    headers={"Content-Length": str(length)},
                    body=body,
                )
            if not 200 <= sent.status < 300:
                raise _object_store_error(sent.status, sent.body, what)
            etag = _MD5_ETAG.match(sent.headers.get("ETag") or "")
            if etag is not None and etag[1].lower() != body.md5.hexdigest():
                raise RetryableError(f"{what}: the part arrived altered (its ETag differs)")

        self._http.retrier.run(attempt, what=what, cancelled=stopped)

    def _complete(self, auth: dict[str, str], sha1: str, stop: threading.Event, what: str) -> str:
        """Ask for the merge and wait for it; the checksum token that places the file."""
        reruns = self._settings.retry.max_attempts
        started = self._clock()
        while True:
            self._http.request("POST", f"{self._api}/complete?sha1={sha1}", what=what, headers=auth)
            status = self._wait(auth, started, stop, what)
            if status.status == "FINISHED" and status.checksum_token:
                return status.checksum_token
            if status.status != "RETRYABLE_ERROR" or reruns <= 1:
                error = visible(" ".join(status.error.split()), limit=200) or "no reason given"
                shown = visible(status.status, limit=40) or "no status"
                raise IntegrityError(
                    f"{what}: the server could not merge the parts ({shown}: {error})"
                )
            reruns -= 1
            _log.info("multipart_complete_retried", what=what)

    def _wait(
        self, auth: dict[str, str], started: float, stop: threading.Event, what: str
    ) -> _Status:
        delay, began = _FIRST_POLL, time.monotonic()
        while True:
            if stop.is_set():
                raise Cancelled("upload cancelled")
            try:
                answer = self._http.request("POST", f"{self._api}/status", what=what, headers=auth)
            except TransientError as exc:
                if exc.status != 503:
                    raise
                # As JFrog's client: an unavailable node means "complete again".
                return _Status(status="RETRYABLE_ERROR", error=exc.message)
            status = decode_answer(_status_decoder, answer.body, what=what)
            if status.status not in ("QUEUED", "PROCESSING", "PARTS"):
                return status
            if self._clock() - started > self._policy.merge_timeout:
                raise TransientError(
                    f"{what}: the server took over {self._policy.merge_timeout:g} s "
                    "to merge the parts"
                )
            # Real time, not the injected sleep (that one paces retries): the merge
            # takes what it takes; another file failing ends the wait at once.
            stop.wait(_next_poll(delay, status.progress, time.monotonic() - began))
            delay = min(delay * 2, _LAST_POLL)

    def _deploy(
        self, url: str, source: SourceFile, sha1: str, checksum_token: str, what: str
    ) -> None:
        headers = {
            "X-Checksum-Deploy": "true",
            "X-Checksum-Sha256": source.sha256,
            "X-Checksum-Sha1": sha1,
            "X-Checksum-Deploy-Token": checksum_token,
        }
        try:
            answer = self._http.request("PUT", url, what=what, headers=headers)
        except AlreadyExistsError as exc:  # 409: the merged bytes are not the hashed ones
            raise IntegrityError(
                f"{exc.message}; did the file change?", path=source.rel_path
            ) from exc
        check_deployed(answer.body, source.sha256, what=what)

    def _abort(self, auth: dict[str, str], what: str) -> None:
        with contextlib.suppress(FrogMLError):
            answer = self._http.exchange("POST", f"{self._api}/abort", what=what, headers=auth)
            if not 200 <= answer.status < 300:
                _log.debug("multipart_abort_refused", status=answer.status, what=what)
            return
        _log.debug("multipart_abort_failed", what=what)

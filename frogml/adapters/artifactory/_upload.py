"""Storing a transaction's files: checksum deploy first, then the bytes, in parallel."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from frogml.adapters.artifactory._http import HttpClient
from frogml.adapters.artifactory._multipart import Multipart, check_deployed, check_ended
from frogml.adapters.artifactory._transfer import Cancelled, Progress, fit_threads, run_each
from frogml.adapters.artifactory._urls import quote_path
from frogml.domain.errors import (
    AlreadyExistsError,
    IntegrityError,
    LocalFileError,
)
from frogml.domain.ports.artifact_store import Area, UploadItem, UploadReport
from frogml.domain.ports.filesystem import SourceFile
from frogml.domain.ports.progress import TransferEvents, report_reused

__all__ = ["SMALL_FILE", "UploadArea", "upload_all"]

# Below this size sending the bytes costs about as much as asking (JFrog CLI's rule).
SMALL_FILE = 10 * 1024


@dataclass(frozen=True)
class UploadArea:
    """Repository-relative upload folders of one transaction, as the server named them."""

    repository: str
    files: str
    dependencies: str
    code: str

    def path(self, item: UploadItem) -> str:
        """The item's repository-relative path (not escaped)."""
        rel = item.source.rel_path
        if item.area is Area.FILES:
            return f"{self.files}/{rel}"
        folder = self.dependencies if item.area is Area.DEPENDENCIES else self.code
        return f"{folder}/{rel.rsplit('/', 1)[-1]}"

    def url(self, base: str, item: UploadItem) -> str:
        return f"{base}/{self.repository}/{quote_path(self.path(item))}"


def _unreadable(source: SourceFile, exc: OSError) -> LocalFileError:
    return LocalFileError(
        f"cannot read {source.rel_path!r}: {exc.strerror or exc}",
        path=source.rel_path,
        hint="check that the file still exists and is readable",
    )


class _Reader:
    """Streams exactly ``size`` bytes of a source, reporting new progress, stoppable."""

    def __init__(
        self,
        stream: BinaryIO,
        source: SourceFile,
        report: Progress,
        stop: threading.Event,
    ) -> None:
        self._stream = stream
        self._source = source
        self._report = report
        self._stop = stop
        self._left = source.size

    def read(self, size: int = -1) -> bytes:
        if self._stop.is_set():
            raise Cancelled("upload cancelled")
        want = self._left if size < 0 else min(size, self._left)
        try:
            data = self._stream.read(want) if want else b""
        except OSError as exc:  # urllib3 would report it as a broken connection, and retry
            raise _unreadable(self._source, exc) from exc
        if len(data) < want:
            raise IntegrityError(
                f"{self._source.rel_path} shrank while it was uploaded", path=self._source.rel_path
            )
        self._left -= len(data)
        if want and not self._left:  # before the last bytes go: the server keeps nothing
            check_ended(self._stream, self._source.rel_path)
        self._report.advance(len(data))
        return data


def _checksum_deploy(http: HttpClient, url: str, source: SourceFile, what: str) -> bool:
    headers = {"X-Checksum-Deploy": "true", "X-Checksum-Sha256": source.sha256}
    answer = http.retrier.run(
        lambda: http.exchange("PUT", url, what=what, headers=headers), what=what
    )
    if not 200 <= answer.status < 300:
        return False  # any refusal means "send the bytes"
    check_deployed(answer.body, source.sha256, what=what)
    return True


def _read_small(source: SourceFile) -> bytes:
    with source.open() as stream:
        data = stream.read(source.size + 1)
    if len(data) != source.size:
        raise IntegrityError(
            f"{source.rel_path} changed size since it was hashed", path=source.rel_path
        )
    return data


def _put_bytes(
    http: HttpClient,
    url: str,
    source: SourceFile,
    events: TransferEvents,
    stop: threading.Event,
    what: str,
) -> None:
    headers = {"Content-Length": str(source.size), "X-Checksum-Sha256": source.sha256}
    progress = Progress(events)
    small = _read_small(source) if source.size < SMALL_FILE else None

    def attempt() -> None:
        if small is not None:
            answer = http.send("PUT", url, what=what, headers=headers, body=small)
            check_deployed(answer.body, source.sha256, what=what)
            progress.advance(len(small))
            return
        progress.seek(0)
        with source.open() as stream:
            body = _Reader(stream, source, progress, stop)
            answer = http.send("PUT", url, what=what, headers=headers, body=body)
        check_deployed(answer.body, source.sha256, what=what)

    try:
        http.retrier.run(attempt, what=what, cancelled=stop.is_set)
    except AlreadyExistsError as exc:
        # A deploy answers 409 when the bytes do not match X-Checksum-Sha256.
        raise IntegrityError(f"{exc.message}; did the file change?", path=source.rel_path) from exc


# Sends a big file another way (multipart upload) and says True, or says False.
BigFile = Callable[[SourceFile, threading.Event], bool]


def _upload_one(
    http: HttpClient,
    url: str,
    item: UploadItem,
    events: TransferEvents,
    stop: threading.Event,
    big: BigFile | None = None,
) -> bool:
    source = item.source
    what = f"uploading {source.rel_path}"
    if stop.is_set():
        raise Cancelled("upload cancelled")
    if source.size >= SMALL_FILE and _checksum_deploy(http, url, source, what):
        report_reused(events, source.size)
        events.file_done(source.rel_path, transferred=False)
        return False
    try:
        if big is None or not big(source, stop):
            _put_bytes(http, url, source, events, stop, what)
    except OSError as exc:  # the local file, not the network (urllib3's errors are mapped)
        raise _unreadable(source, exc) from exc
    events.file_done(source.rel_path, transferred=True)
    return True


def _big_file(
    multipart: Multipart, area: UploadArea, item: UploadItem, url: str, events: TransferEvents
) -> BigFile:
    """Multipart upload where the file is big enough and the server takes it."""

    def send(source: SourceFile, stop: threading.Event) -> bool:
        if not multipart.applies(source.size):
            return False
        return multipart.upload(area.repository, area.path(item), url, source, events, stop)

    return send


def fit_upload_threads(*, threads: int, most: int | None, count: int) -> tuple[int, int | None]:
    """:func:`fit_threads` for an upload of ``count`` files: per thread, its connection
    and the file it reads."""
    return fit_threads(threads=threads, most=most, count=count, per_thread=2, doing="uploading")


def upload_all(
    http: HttpClient,
    area: UploadArea,
    items: Sequence[UploadItem],
    events: TransferEvents,
    *,
    threads: int,
    most: int | None = None,
    multipart: Multipart | None = None,
) -> UploadReport:
    """Store every item, or stop the others and raise the first error.

    ``threads`` files move at once at first; with ``most``, their number adapts to the
    measured throughput, up to ``most`` (see
    :class:`~frogml.adapters.artifactory._transfer.Tuner`); without, it stays.
    """
    first, adapting = fit_upload_threads(threads=threads, most=most, count=len(items))

    tally = _Tally()

    def send(item: UploadItem, stop: threading.Event) -> None:
        url = area.url(http.urls.base, item)  # built as its file moves, not all at once
        big = None if multipart is None else _big_file(multipart, area, item, url, events)
        tally.count(item.source.size, sent=_upload_one(http, url, item, events, stop, big))

    # Each file's task is made when a thread takes it, and only counts are kept: with
    # 100,000s of files, a task and a result per file were most of the memory (issue 15).
    run_each(items, send, threads=first, most=adapting, name="frogml-upload")
    return tally.report()


class _Tally:
    """Files and bytes sent or deduplicated, counted by the threads as files end."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sent = [0, 0]  # files, bytes
        self._kept = [0, 0]

    def count(self, size: int, *, sent: bool) -> None:
        with self._lock:
            counts = self._sent if sent else self._kept
            counts[0] += 1
            counts[1] += size

    def report(self) -> UploadReport:
        return UploadReport(
            files_sent=self._sent[0],
            bytes_sent=self._sent[1],
            files_deduplicated=self._kept[0],
            bytes_deduplicated=self._kept[1],
        )

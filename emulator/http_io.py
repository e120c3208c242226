"""Streaming request bodies (Content-Length or chunked) and response values."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from io import BufferedIOBase
from typing import BinaryIO

from .errors import ApiError, ConnectionAbort

__all__ = ["CHUNK", "BodyReader", "FileBody", "Response", "parse_range"]

CHUNK = 1 << 20
_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


@dataclass
class FileBody:
    """`length` bytes of an open file from `offset`; the writer closes it."""

    file: BinaryIO
    offset: int
    length: int


@dataclass
class Response:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | FileBody = b""
    # The file bytes of a download count in `bytes_sent`; JSON answers do not.
    counts_as_download: bool = False


class BodyReader:
    """Reads one request body once, in chunks of at most 1 MiB.

    `reset_after`: abort the connection with a RST once that many bytes were read
    (or at the end of a shorter body), for the reset_request fault.
    """

    def __init__(self, rfile: BufferedIOBase, *, length: int | None, chunked: bool) -> None:
        self._rfile = rfile
        self._remaining = length or 0
        self._chunked = chunked
        self.reset_after: int | None = None
        self.on_bytes: Callable[[int], None] | None = None
        self._read = 0
        self.done = False

    @property
    def has_body(self) -> bool:
        return self._chunked or self._remaining > 0

    def _budget(self, wanted: int) -> int:
        if self.reset_after is None:
            return wanted
        left = self.reset_after - self._read
        if left <= 0:
            raise ConnectionAbort(reset=True)
        return min(wanted, left)

    def _take(self, n: int) -> bytes:
        data = self._rfile.read(n)
        if len(data) < n:
            raise ConnectionAbort(reset=False)  # the client went away mid-body
        self._read += len(data)
        if self.on_bytes is not None:
            self.on_bytes(len(data))
        return data

    def chunks(self) -> Iterator[bytes]:
        if self.done:
            return
        yield from (self._chunked_chunks() if self._chunked else self._sized_chunks())
        self.done = True
        if self.reset_after is not None:
            raise ConnectionAbort(reset=True)

    def _sized_chunks(self) -> Iterator[bytes]:
        while self._remaining > 0:
            data = self._take(self._budget(min(CHUNK, self._remaining)))
            self._remaining -= len(data)
            yield data

    def _chunked_chunks(self) -> Iterator[bytes]:
        while True:
            line = self._rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise ApiError(400, "Malformed chunked request body") from None
            if size == 0:
                break
            while size > 0:
                data = self._take(self._budget(min(CHUNK, size)))
                size -= len(data)
                yield data
            self._rfile.readline(1024)  # the CRLF closing the chunk
        while self._rfile.readline(8192) not in (b"\r\n", b"\n", b""):
            pass  # trailers

    def read_all(self, limit: int = 64 << 20) -> bytes:
        """Small bodies only (JSON, multipart commits)."""
        out = bytearray()
        for chunk in self.chunks():
            out += chunk
            if len(out) > limit:
                raise ApiError(413, "Request body too large")
        return bytes(out)

    def drain(self) -> None:
        for _ in self.chunks():
            pass


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(first, last) of a single satisfiable range; None: serve it all.

    Malformed and multi-range headers are ignored (RFC 9110 allows it); an
    unsatisfiable range raises 416 with `Content-Range: bytes */size`.
    """
    if not header:
        return None
    match = _RANGE.match(header)
    if match is None or (not match[1] and not match[2]):
        return None
    if match[1]:
        first = int(match[1])
        last = int(match[2]) if match[2] else size - 1
        if match[2] and last < first:
            return None  # syntactically invalid: ignored, not unsatisfiable
    else:
        first, last = max(size - int(match[2]), 0), size - 1
        if int(match[2]) == 0:
            first = size
    if first >= size:
        raise ApiError(
            416,
            f"Requested range not satisfiable (file size {size})",
            headers={"Content-Range": f"bytes */{size}"},
        )
    return first, min(last, size - 1)

"""Interim answers (``1xx``) are skipped to the final answer.

http.client skips ``100 Continue`` only. A ``103 Early Hints`` (RFC 8297) or
``102 Processing``, which a proxy or CDN in front of Artifactory may send, was taken
for the answer: a body-less answer of an unexpected status, with the real answer left
in the kept-alive connection for the next request to read as its own. Here every
interim answer's head is read and dropped, up to ``MAX_INTERIM`` of them (a server
sending them without end is refused, not followed). ``101 Switching Protocols`` is
final: this client never asks to switch, and it ends in an unexpected status.
"""

from __future__ import annotations

import http.client
from collections.abc import Callable

__all__ = ["MAX_INTERIM", "InterimFlood", "answer_class", "interim_flood"]

MAX_INTERIM = 32


class InterimFlood(http.client.HTTPException):
    """More than ``MAX_INTERIM`` interim answers before the answer."""


def interim_flood(exc: BaseException) -> InterimFlood | None:
    """The flood behind ``exc``, which urllib3 wraps (``ProtocolError(text, cause)``)."""
    return next((arg for arg in exc.args if isinstance(arg, InterimFlood)), None)


def answer_class() -> type[http.client.HTTPResponse]:
    """The class of answers whose status line is the first that is not interim.

    It overrides ``HTTPResponse._read_status``, private to http.client (a method of no
    argument from Python 3.0 to 3.14), looked up, not imported: where it is missing, the
    answer class is http.client's own, as before. An interim answer's head is read with
    ``http.client.parse_headers``, which also bounds its number of fields (the private
    ``_read_headers`` gained an argument on CPython's development branch).
    """
    read_status: Callable[[http.client.HTTPResponse], tuple[str, int, str]] | None
    read_status = getattr(http.client.HTTPResponse, "_read_status", None)
    if read_status is None:
        return http.client.HTTPResponse
    status_line = read_status  # not None, also in the class

    class FinalAnswer(http.client.HTTPResponse):
        _interim = 0

        def _read_status(self) -> tuple[str, int, str]:
            while True:
                version, status, reason = status_line(self)
                if status < 100 or status == 101 or status >= 200:
                    return version, status, reason
                self._interim += 1
                if self._interim > MAX_INTERIM:
                    raise InterimFlood(
                        f"the server sent more than {MAX_INTERIM} interim answers (HTTP 1xx) "
                        "before its answer"
                    )
                if status == 100:
                    return version, status, reason  # http.client reads its head, asks again
                http.client.parse_headers(self.fp)  # the interim answer's head

    return FinalAnswer

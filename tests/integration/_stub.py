"""A tiny HTTP server on 127.0.0.1 answering canned responses: for server answers that
no well-behaved server (nor the emulator) would send."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler
from types import TracebackType

from emulator.server import PromptHTTPServer

__all__ = ["Canned", "StubServer"]

Canned = tuple[int, bytes, Mapping[str, str]]
_NOT_FOUND: Canned = (404, b'{"errors": [{"status": 404, "message": "Not found"}]}', {})


class StubServer:
    """``routes[(method, path)]`` answers requests; ``requests`` records (method, path,
    headers by lowercase name) of what came in."""

    def __init__(self, routes: Mapping[tuple[str, str], Canned]) -> None:
        self.routes = dict(routes)
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                path = self.path.partition("?")[0]
                stub.requests.append(
                    (self.command, path, {k.lower(): v for k, v in self.headers.items()})
                )
                status, body, headers = stub.routes.get((self.command, path), _NOT_FOUND)
                self.send_response(status)
                for key, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_PUT = do_POST = do_DELETE = _answer

            def log_message(self, format: str, *args: object) -> None:
                pass

        # Its shutdown() is prompt: no poll interval to wait out at the end of each test.
        self._server = PromptHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/artifactory"

    def __enter__(self) -> StubServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

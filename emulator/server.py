"""HTTP plumbing: a threaded HTTP/1.1 server that streams bodies both ways, over TLS
when given a server-side SSL context.

One handler thread per connection (keep-alive). Faults act here: `fail` replaces
the answer, `reset_request` cuts the body read, `stall` delays the answer (or pauses
in the middle of its body), and
`reset_response` / `truncate` / `corrupt` alter the body as it is written.
"""

from __future__ import annotations

import contextlib
import io
import os
import selectors
import socket
import socketserver
import ssl
import struct
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import msgspec

from .context import Ctx, State, split_target
from .control import control
from .errors import ApiError, ConnectionAbort, error_body, pretty_json
from .faults import Fired
from .hostile import ESCAPES, HTML_PAGE, deep_manifest, escaped_manifest
from .http_io import CHUNK, BodyReader, FileBody, Response
from .routes import Handler, resolve

__all__ = ["EmulatorServer", "PromptHTTPServer", "serving"]

_SMALL = 64 << 10  # bodies this small go out in the same write as the headers


# What socketserver uses: no extra file descriptor, one system call per poll.
_Selector: type[selectors.BaseSelector] = getattr(
    selectors, "PollSelector", selectors.SelectSelector
)


class PromptHTTPServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer whose `shutdown()` takes effect at once.

    socketserver's `serve_forever` notices `shutdown()` only when its poll times out
    (`poll_interval`, 0.5 s by default), a delay every test server paid at its end.
    Here a socket pair wakes the loop, so `shutdown()` returns as soon as the loop
    is between requests; `poll_interval` only paces `service_actions()`. Binding skips
    HTTPServer's reverse DNS lookup, too. Same contract otherwise: call `shutdown()`
    from another thread while `serve_forever()` runs.
    """

    def __init__(
        self,
        server_address: tuple[str, int],
        RequestHandlerClass: Callable[..., socketserver.BaseRequestHandler],
        bind_and_activate: bool = True,
    ) -> None:
        self._wake_in, self._wake_out = socket.socketpair()
        self._wake_in.setblocking(False)
        self._wake_out.setblocking(False)
        self._stop_requested = threading.Event()
        self._stopped = threading.Event()
        super().__init__(server_address, RequestHandlerClass, bind_and_activate)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls getfqdn(), a reverse DNS lookup that can stall.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = (
            str(self.server_address[0]),
            int(self.server_address[1]),
        )

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self._stopped.clear()
        try:
            with _Selector() as selector:
                selector.register(self, selectors.EVENT_READ)
                selector.register(self._wake_in, selectors.EVENT_READ)
                while not self._stop_requested.is_set():
                    ready = {key.fileobj for key, _ in selector.select(poll_interval)}
                    if self._stop_requested.is_set():
                        break
                    if self._wake_in in ready:
                        self._drain_wake()  # left by the last shutdown(), sent as its loop ended
                    if self in ready:
                        # What BaseServer.serve_forever calls too (not in typeshed).
                        self._handle_request_noblock()  # type: ignore[attr-defined]
                    self.service_actions()
        finally:
            self._drain_wake()
            self._stop_requested.clear()
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop the `serve_forever()` loop now; block until it has ended."""
        self._stop_requested.set()
        with contextlib.suppress(OSError):  # full (already woken) or closed: no matter
            self._wake_out.send(b"\0")
        self._stopped.wait()

    def server_close(self) -> None:
        super().server_close()
        self._wake_in.close()
        self._wake_out.close()

    def _drain_wake(self) -> None:
        with contextlib.suppress(OSError):
            while self._wake_in.recv(4096):
                pass


@contextlib.contextmanager
def serving(handler: Callable[..., socketserver.BaseRequestHandler]) -> Iterator[str]:
    """``handler`` served on 127.0.0.1, on a free port, by a thread of its own; yields
    ``http://127.0.0.1:PORT`` and shuts the server down (promptly) at the end: the hand-
    written servers of tests that need bytes no well-behaved server sends."""
    server = PromptHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class EmulatorServer(PromptHTTPServer):
    daemon_threads = False
    block_on_close = True  # server_close() joins the handler threads
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(
        self, address: tuple[str, int], state: State, *, tls: ssl.SSLContext | None = None
    ) -> None:
        self.state = state
        self.tls = tls
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    @property
    def scheme(self) -> str:
        return "http" if self.tls is None else "https"

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = self.socket.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.tls is not None:
            # The handshake happens in the connection's own thread (see _Handler.setup):
            # a client that never completes it must not hold up the accept loop.
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        with self._open_lock:
            self._open.add(sock)
        return sock, address

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients vanishing (resets, broken pipes) are routine here, not worth a traceback."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)

    def abort_connections(self) -> None:
        """Wake every handler blocked on a client (idle keep-alive, slow reader)."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _error(exc: ApiError) -> Response:
    if exc.plain:
        return Response(
            exc.status, {"Content-Type": "text/plain", **exc.headers}, exc.message.encode()
        )
    return Response(
        exc.status,
        {"Content-Type": "application/json", **exc.headers},
        error_body(exc.status, exc.message),
    )


def _hostile(ctx: Ctx, response: Response, fired: Fired) -> Response:
    """The answer as the hostile faults rewrite it, after the request was handled."""
    took_effect = fired.fail is None and 200 <= response.status < 300
    if fired.lie is not None and took_effect:  # the answer says it did not
        rule = fired.lie
        return _error(ApiError(rule.status, rule.message or f"Injected lie ({rule.status})"))
    manifest_read = response.status == 200 and _reads_manifest(ctx)
    if fired.deep_manifest is not None and manifest_read:
        kind = "model" if "/model/entity-manifest/" in ctx.target else "dataset"
        body = deep_manifest(kind, depth=fired.deep_manifest.depth)
        return Response(200, {"Content-Type": "application/json"}, body)
    if fired.escapes is not None and manifest_read and isinstance(response.body, bytes):
        document = escaped_manifest(msgspec.json.decode(response.body))
        return Response(200, {"Content-Type": "application/json"}, pretty_json(document))
    if fired.rewrite_header is not None:
        rule = fired.rewrite_header
        headers = {k: v for k, v in response.headers.items() if k.lower() != rule.header.lower()}
        if rule.value is not None:
            headers[rule.header] = rule.value
        response.headers = headers
    return response


def _reads_manifest(ctx: Ctx) -> bool:
    return ctx.method == "GET" and "entity-manifest" in ctx.target


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Artifactory/7.104.0"
    sys_version = ""
    server: EmulatorServer

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request lines on stderr."""

    def setup(self) -> None:
        if isinstance(self.request, ssl.SSLSocket):
            # A client that distrusts the certificate fails here: an ssl.SSLError, an
            # OSError that handle_error passes over in silence.
            self.request.do_handshake()
        super().setup()

    def do_GET(self) -> None:
        self._handle()

    do_HEAD = do_PUT = do_POST = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def _body(self) -> BodyReader:
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        return BodyReader(self.rfile, length=None if chunked else length, chunked=chunked)

    def _handle(self) -> None:
        state = self.server.state
        body = self._body()
        segments, matrix, query = split_target(self.path)
        if segments[:1] == ["_emulator"]:
            self._control(state, segments[1:], body)
            return
        fired = state.faults.take(self.command, self.path)
        if fired.reset_request is not None:
            body.reset_after = fired.reset_request.after_bytes
        if (fired.slow_read is not None and body.has_body) or fired.trickle_headers is not None:
            self._hold(fired)
            return
        host = self.headers.get("Host") or f"{self.server.server_name}:{self.server.server_port}"
        ctx = Ctx(
            state=state,
            method=self.command,
            target=self.path,
            segments=segments,
            matrix=matrix,
            query=query,
            headers=self.headers,
            body=body,
            origin=f"{self.server.scheme}://{host}",
            trailing_slash=self.path.partition("?")[0].endswith("/"),
        )
        kind, handler = resolve(ctx)
        if kind == "deploy":
            body.on_bytes = state.counters.received
        try:
            response = self._respond(ctx, handler, fired)
        except ConnectionAbort as abort:
            state.counters.record(kind, 0)
            self._abort(reset=abort.reset)
            return
        except OSError:
            state.counters.record(kind, 0)
            self.close_connection = True  # the client went away
            return
        # Counted before the client can see the answer, so a test reading counters
        # right after a response always finds it there.
        state.counters.record(kind, response.status)
        try:
            self._write(response, fired)
        except ConnectionAbort as abort:
            self._abort(reset=abort.reset)
        except OSError:
            self.close_connection = True
        finally:
            if isinstance(response.body, FileBody):
                response.body.file.close()

    def _respond(self, ctx: Ctx, handler: Handler, fired: Fired) -> Response:
        try:
            if fired.fail is not None:
                ctx.body.drain()
                rule = fired.fail
                extra = {} if rule.retry_after is None else {"Retry-After": rule.retry_after}
                message = rule.message or f"Injected failure ({rule.status})"
                response = _error(ApiError(rule.status, message, headers=extra))
            elif fired.html is not None:
                ctx.body.drain()
                response = Response(200, {"Content-Type": "text/html"}, HTML_PAGE)
            elif fired.escapes is not None and not _reads_manifest(ctx):
                ctx.body.drain()  # refused, as a `fail` is: nothing takes effect
                response = _error(ApiError(fired.escapes.status, f"Injected failure {ESCAPES}"))
            else:
                response = handler(ctx)
        except ApiError as exc:
            response = _error(exc)
        except (ConnectionAbort, OSError):
            raise
        except Exception as exc:  # a bug in the emulator: say so loudly, in the answer too
            traceback.print_exc(file=sys.stderr)
            response = _error(ApiError(500, f"Emulator error: {exc!r}"))
        response = _hostile(ctx, response, fired)
        try:
            try:
                ctx.body.drain()  # keep the connection usable when a handler answered early
            except ApiError:
                self.close_connection = True
            stall = None if fired.stalls_mid_body else fired.stall
            if stall is not None and ctx.state.stopping.wait(stall.seconds):
                raise ConnectionAbort(reset=False)  # shutting down: never answer
        except BaseException:
            if isinstance(response.body, FileBody):
                response.body.file.close()
            raise
        return response

    def _write(self, response: Response, fired: Fired) -> None:
        body = response.body
        length = body.length if isinstance(body, FileBody) else len(body)
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.status not in (204, 304):
            self.send_header("Content-Length", str(length))
        if self.close_connection:
            self.send_header("Connection", "close")
        send_body = self.command != "HEAD" and response.status not in (204, 304)
        if send_body and isinstance(body, bytes) and len(body) <= _SMALL and not fired.alters_body:
            # One write for headers and body: fewer syscalls and packets per small answer.
            self.wfile.write(self._header_bytes() + body)
            return
        self.end_headers()
        if not send_body:
            return
        counter = self.server.state.counters.sent if response.counts_as_download else None
        if isinstance(body, FileBody) and not fired.alters_body:
            if counter is not None:
                counter(body.length)  # counted as handed to the socket, see _handle
            self.connection.sendfile(body.file, body.offset, body.length)
            return
        self._stream(body, length, fired, counter)

    def _stream(self, body: bytes | FileBody, length: int, fired: Fired, counter: Any) -> None:
        limit, cut = length, None
        if fired.truncate is not None:
            limit, cut = min(fired.truncate.after_bytes, limit), False
        reset = fired.reset_response
        if reset is not None and (cut is None or reset.after_bytes <= limit):
            limit, cut = min(reset.after_bytes, limit), True
        flip = min(fired.corrupt.offset, length - 1) if fired.corrupt is not None and length else -1
        stall = fired.stall if fired.stalls_mid_body else None
        pause = -1 if stall is None else stall.after_bytes
        trickle = fired.trickle
        position = 0
        while position < limit:
            if stall is not None and position == pause:
                self.wfile.flush()
                if self.server.state.stopping.wait(stall.seconds):
                    raise ConnectionAbort(reset=False)  # shutting down: cut the answer
            size = min(CHUNK, limit - position)
            if trickle is not None and position >= trickle.after_bytes:
                self.wfile.flush()
                if self.server.state.stopping.wait(trickle.seconds):
                    raise ConnectionAbort(reset=False)
                size = min(size, max(1, trickle.chunk))
            elif trickle is not None:
                size = min(size, trickle.after_bytes - position)
            if position < pause < position + size:
                size = pause - position  # stop at the stall point
            if isinstance(body, FileBody):
                data = bytearray(os.pread(body.file.fileno(), size, body.offset + position))
            else:
                data = bytearray(body[position : position + size])
            if position <= flip < position + len(data):
                data[flip - position] ^= 0xFF
            if counter is not None:
                counter(len(data))
            self.wfile.write(data)
            position += len(data)
        if cut is not None:
            raise ConnectionAbort(reset=cut)

    def _hold(self, fired: Fired) -> None:
        """Hold the client (hostile mode) until the emulator stops or the client leaves:
        read its body a little at a time, or trickle the answer's headers."""
        self.close_connection = True
        stopping = self.server.state.stopping
        try:
            slow = fired.slow_read
            while slow is not None and not stopping.wait(slow.seconds):
                if not self.rfile.read1(max(1, slow.chunk)):
                    return  # the client went away
            headers = fired.trickle_headers
            if headers is None:
                return
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Hold: ")
            self.wfile.flush()
            while not stopping.wait(headers.seconds):
                self.wfile.write(b"a")
                self.wfile.flush()
        except OSError:
            return  # the client went away

    def _abort(self, *, reset: bool) -> None:
        self.close_connection = True
        if not reset:
            return  # the server's shutdown_request sends a FIN
        # SO_LINGER with a zero timeout makes close() send a RST instead of a FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()
        self.wfile.close()
        self.connection.close()  # the last reference: the RST goes out now
        # The base class still flushes and closes these after the request.
        self.rfile = self.wfile = io.BytesIO()

    def _control(self, state: State, segments: list[str], body: BodyReader) -> None:
        try:
            response = control(state, self.command, segments, body.read_all(1 << 20))
        except ApiError as exc:
            response = _error(exc)
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            response = _error(ApiError(500, f"Emulator error: {exc!r}"))
        try:
            self._write(response, Fired())
        except OSError:
            self.close_connection = True

    def _header_bytes(self) -> bytes:
        """end_headers() without the write: the buffered status line and headers."""
        buffered: list[bytes] = getattr(self, "_headers_buffer", [])
        self._headers_buffer: list[bytes] = []
        return b"".join(buffered) + b"\r\n"

    def version_string(self) -> str:
        return self.server_version

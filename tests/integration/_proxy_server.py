"""The proxy's side of ``ConnectProxy``: proxy.py with a plugin that records requests.

``python -m tests.integration._proxy_server LOG DATA_DIR`` serves on 127.0.0.1 (a free
port), prints the port once it listens and stops when its stdin closes. The plugin
appends ``METHOD host:port`` to LOG for each request before it connects upstream, so
the line is written before the client can see any answer.
"""

from __future__ import annotations

import os
import sys

import proxy
from proxy.http.parser import HttpParser
from proxy.http.proxy import HttpProxyBasePlugin

__all__ = ["RecordingPlugin", "main"]

_LOG = "FROGML_TEST_PROXY_LOG"  # the acceptor processes inherit it


class RecordingPlugin(HttpProxyBasePlugin):
    """Appends ``METHOD host:port`` of each request to the file $FROGML_TEST_PROXY_LOG."""

    def before_upstream_connection(self, request: HttpParser) -> HttpParser | None:
        method = (request.method or b"").decode()
        host = (request.host or b"").decode()
        with open(os.environ[_LOG], "a", encoding="utf-8") as log:
            log.write(f"{method} {host}:{request.port}\n")
        return request


def main(log: str, data_dir: str) -> None:
    """Serve until stdin closes; the first line on stdout is the port."""
    os.environ[_LOG] = log
    arguments = [
        "--hostname", "127.0.0.1", "--port", "0", "--num-acceptors", "1",
        "--data-dir", data_dir, "--cache-dir", os.path.join(data_dir, "cache"),
        "--plugins", "tests.integration._proxy_server.RecordingPlugin",
    ]  # fmt: skip
    with proxy.Proxy(arguments) as running:
        print(running.flags.port, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

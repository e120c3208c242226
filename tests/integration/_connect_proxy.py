"""A real HTTP CONNECT proxy (proxy.py) on 127.0.0.1 for the HTTPS tests.

``ConnectProxy`` runs ``tests.integration._proxy_server`` in a subprocess: proxy.py on a
free port, which prints the port once it listens and stops when its stdin closes. It
records one line per request it carries (``CONNECT 127.0.0.1:PORT``) before it
connects upstream, so a test can assert on it right after a call.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
from pathlib import Path
from types import TracebackType

__all__ = ["ConnectProxy"]

_SERVER = "tests.integration._proxy_server"
_ROOT = Path(__file__).resolve().parents[2]
_STARTUP_TIMEOUT = 30.0


class ConnectProxy:
    """proxy.py in a subprocess; ``url`` to point HTTPS_PROXY at, ``carried()`` what it
    forwarded so far."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._log = folder / "carried.log"
        self._log.touch()
        self._errors = folder / "proxy.stderr"
        self._data = folder / "data"
        self._process: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> ConnectProxy:
        with self._errors.open("w") as errors:
            process = subprocess.Popen(
                [sys.executable, "-m", _SERVER, str(self._log), str(self._data)],
                cwd=_ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
                env={k: v for k, v in os.environ.items() if "proxy" not in k.lower()},
            )
        self._process = process
        assert process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            ready = selector.select(_STARTUP_TIMEOUT)
        port = process.stdout.readline().strip() if ready else ""
        if not port.isdigit():
            self.__exit__(None, None, None)
            raise RuntimeError(f"proxy.py did not start: {self._errors.read_text()[-2000:]}")
        self.url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        assert process.stdin is not None
        process.stdin.close()  # main() returns, proxy.py shuts down
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()

    def carried(self) -> list[str]:
        """``CONNECT host:port`` (or ``GET host:port``) for each request forwarded."""
        return self._log.read_text(encoding="utf-8").splitlines()

    def forget(self) -> None:
        """Start counting afresh."""
        self._log.write_text("", encoding="utf-8")

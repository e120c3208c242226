"""`Emulator`: an in-process Artifactory for tests and benchmarks."""

from __future__ import annotations

import shutil
import ssl
import tempfile
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType

from .auth import Anonymous, Auth
from .blobs import BlobStore
from .context import State
from .counters import Counters
from .faults import Faults
from .ml import MlService, UrlMode
from .server import EmulatorServer
from .storage import FileEntry, Store
from .uploads import Uploads

__all__ = ["Emulator", "TlsOption"]

# A server-side SSL context, or the PEM files of the certificate (chain) and its key.
TlsOption = ssl.SSLContext | tuple[str | Path, str | Path]


def _server_context(tls: TlsOption | None) -> ssl.SSLContext | None:
    if tls is None or isinstance(tls, ssl.SSLContext):
        return tls
    certfile, keyfile = tls
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certfile, keyfile)
    return context


class Emulator:
    """Serves on `host:port` (0: any free port) from `start()` (or `with`) to `stop()`.

    The port is bound when `start()` returns, so `url` is usable at once. With `tls`
    (an `ssl.SSLContext`, or `(certfile, keyfile)`) it speaks HTTPS only, as JFrog
    Cloud does, and `url` starts with `https://`.
    """

    def __init__(
        self,
        *,
        tokens: Iterable[str] = (),
        users: Mapping[str, str] | None = None,
        read_only_users: Mapping[str, str] | None = None,
        anonymous: Anonymous = "off",
        repos: Iterable[str] = ("ml-local",),
        data_dir: str | Path | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        url_mode: UrlMode = "raw",
        manifest_file: bool = True,
        tls: TlsOption | None = None,
        multipart: bool = True,
    ) -> None:
        self._own_dir = data_dir is None
        self.data_dir = (
            Path(tempfile.mkdtemp(prefix="frogml-emulator-"))
            if data_dir is None
            else Path(data_dir)
        )
        self.store = Store(BlobStore(self.data_dir))
        self.auth = Auth(
            tokens=tokens, users=users, read_only_users=read_only_users, anonymous=anonymous
        )
        self.faults = Faults()
        # Multipart upload, on as on JFrog Cloud; tests switch it with `uploads.enabled`.
        self.uploads = Uploads(self.store.blobs, self.data_dir / "objectstore", enabled=multipart)
        self.counters = Counters()
        self._state = State(
            store=self.store,
            auth=self.auth,
            ml=MlService(self.store, url_mode=url_mode, manifest_file=manifest_file),
            faults=self.faults,
            counters=self.counters,
            uploads=self.uploads,
        )
        for repo in repos:
            self.store.create_repo(repo)
        self._address = (host, port)
        self._tls = _server_context(tls)
        self._server: EmulatorServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------
    def start(self) -> Emulator:
        if self._server is not None:
            raise RuntimeError("emulator already started")
        self._server = EmulatorServer(self._address, self._state, tls=self._tls)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            name="emulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop promptly: stalled handlers wake up, open connections are cut."""
        server, self._server = self._server, None
        if server is None:
            return
        self._state.stopping.set()
        server.shutdown()
        server.abort_connections()
        server.server_close()  # joins the handler threads
        if self._thread is not None:
            self._thread.join()
        self.uploads.close()
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses ------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("emulator not started")
        return self._server.server_port

    @property
    def scheme(self) -> str:
        """`https` when serving TLS, else `http`."""
        return "http" if self._tls is None else "https"

    @property
    def base_url(self) -> str:
        """`http(s)://127.0.0.1:PORT`, where `/artifactory` and `/access` live."""
        return f"{self.scheme}://{self._address[0]}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.base_url}/artifactory"

    # -- setup and inspection for tests -----------------------------------------------
    def create_repo(self, name: str) -> None:
        self.store.create_repo(name)

    def delete_repo(self, name: str) -> None:
        self.store.delete_repo(name)

    def add_token(self, token: str, *, user: str | None = None, can_write: bool = True) -> None:
        self.auth.add_token(token, user=user, can_write=can_write)

    def paths(self, repo: str, folder: str = "") -> list[str]:
        """Every file below `folder`, repository-relative, sorted."""
        prefix = f"{folder.strip('/')}/" if folder.strip("/") else ""
        walked = self.store.walk(repo, folder.strip("/"), deep=True)
        return sorted(prefix + rel for rel, entry in walked if isinstance(entry, FileEntry))

    def read_bytes(self, repo: str, path: str) -> bytes:
        opened = self.store.open(repo, path.strip("/"))
        if opened is None:
            raise FileNotFoundError(f"{repo}/{path}")
        with opened[1] as f:
            return f.read()

    def put_bytes(self, repo: str, path: str, data: bytes, *, user: str = "emulator") -> None:
        upload = self.store.blobs.receive([data])
        self.store.put(repo, path.strip("/"), upload, user=user, original={}, properties={})

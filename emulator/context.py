"""The emulator's shared state and the per-request context handlers receive."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import parse_qs, unquote

from .auth import Auth, Principal
from .counters import Counters
from .faults import Faults
from .http_io import BodyReader
from .ml import MlService
from .storage import Properties, Store
from .uploads import Uploads

__all__ = ["Ctx", "State", "split_target"]


@dataclass
class State:
    store: Store
    auth: Auth
    ml: MlService
    faults: Faults
    counters: Counters
    stopping: threading.Event = field(default_factory=threading.Event)
    version: str = "7.104.0"
    uploads: Uploads | None = None  # multipart upload (emulator.uploads); None: off


def split_target(target: str) -> tuple[list[str], Properties, dict[str, list[str]]]:
    """Decoded path segments, matrix parameters (`;k=v` on any segment), query."""
    raw_path, _, raw_query = target.partition("?")
    segments: list[str] = []
    matrix: Properties = {}
    for raw in raw_path.split("/"):
        name, *params = raw.split(";")
        for param in params:
            key, _, value = param.partition("=")
            if key:
                matrix.setdefault(unquote(key), []).append(unquote(value))
        if name:
            segments.append(unquote(name))
    return segments, matrix, parse_qs(raw_query, keep_blank_values=True)


@dataclass
class Ctx:
    state: State
    method: str
    target: str
    segments: list[str]
    matrix: Properties
    query: dict[str, list[str]]
    headers: Message
    body: BodyReader
    origin: str  # scheme://host[:port], from the Host header as Artifactory does
    trailing_slash: bool = False
    _principal: Principal | None = None

    @property
    def principal(self) -> Principal:
        """Authenticated on first use, so that ping never looks at credentials."""
        if self._principal is None:
            self._principal = self.state.auth.authenticate(self.headers.get("Authorization"))
        return self._principal

    def require_read(self) -> Principal:
        self.state.auth.require_read(self.principal)
        return self.principal

    def require_user(self) -> Principal:
        self.state.auth.require_user(self.principal)
        return self.principal

    def require_write(self, action: str) -> Principal:
        self.state.auth.require_write(self.principal, action)
        return self.principal

    def flag(self, name: str, default: bool = False) -> bool:
        """`?list`, `?deep=1`: present without a value counts as true."""
        if name not in self.query:
            return default
        return self.query[name][-1] not in ("0", "false")

    @property
    def api_base(self) -> str:
        return f"{self.origin}/artifactory"

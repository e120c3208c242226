"""pytest plugin: HTTPS for the tests, as JFrog Cloud always is.

A throw-away CA made with trustme signs the emulator's certificate for ``127.0.0.1``
and ``localhost``; its PEM file is what the tests trust (``--ca-bundle``,
``REQUESTS_CA_BUNDLE``, ``SSL_CERT_FILE``). Another CA, trusted by nobody, signs the
certificate of ``untrusted_emulator``. ``connect_proxy`` is a real HTTP CONNECT proxy
(proxy.py) that records what it carried. Listed in the root conftest's ``pytest_plugins``.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import trustme

from emulator.app import Emulator
from emulator.fixtures import (
    EMULATOR_PASSWORD,
    EMULATOR_TOKEN,
    EMULATOR_USER,
    READ_ONLY_PASSWORD,
    READ_ONLY_USER,
)
from tests.integration._connect_proxy import ConnectProxy

__all__ = ["Pki", "connect_proxy", "https_emulator", "pki", "tls_emulator", "untrusted_emulator"]

SERVER_NAMES = ("127.0.0.1", "localhost")


@dataclass(frozen=True)
class Pki:
    """The trusted CA (``ca_bundle``, a PEM file) and a CA nobody trusts."""

    ca: trustme.CA
    ca_bundle: Path
    stranger: trustme.CA

    def server_context(
        self,
        *,
        trusted: bool = True,
        valid_for: timedelta = timedelta(days=400),
        names: tuple[str, ...] = SERVER_NAMES,
    ) -> ssl.SSLContext:
        """A server-side context whose certificate (for ``names``) expires after
        ``valid_for`` (negative: expired), signed by the trusted CA or by the stranger."""
        issuer = self.ca if trusted else self.stranger
        not_after = datetime.now(timezone.utc).replace(tzinfo=None) + valid_for
        leaf = issuer.issue_cert(*names, not_after=not_after)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        leaf.configure_cert(context)
        return context


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    ca = trustme.CA()
    bundle = tmp_path_factory.mktemp("pki") / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    return Pki(ca=ca, ca_bundle=bundle, stranger=trustme.CA())


def tls_emulator(context: ssl.SSLContext) -> Emulator:
    """An emulator serving HTTPS, set up as the ``emulator`` fixture's (not started)."""
    return Emulator(
        tokens={EMULATOR_TOKEN},
        users={EMULATOR_USER: EMULATOR_PASSWORD},
        read_only_users={READ_ONLY_USER: READ_ONLY_PASSWORD},
        anonymous="off",
        repos=("ml-local",),
        tls=context,
    )


@pytest.fixture
def https_emulator(pki: Pki) -> Iterator[Emulator]:
    """The emulator over HTTPS, its certificate signed by ``pki.ca``."""
    with tls_emulator(pki.server_context()) as emu:
        yield emu


@pytest.fixture
def untrusted_emulator(pki: Pki) -> Iterator[Emulator]:
    """The emulator over HTTPS with a certificate no CA of the tests vouches for."""
    with tls_emulator(pki.server_context(trusted=False)) as emu:
        yield emu


@pytest.fixture(scope="session")
def _running_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConnectProxy]:
    # One per session: proxy.py takes a second to shut down.
    with ConnectProxy(tmp_path_factory.mktemp("proxy")) as proxy:
        yield proxy


@pytest.fixture
def connect_proxy(_running_proxy: ConnectProxy) -> ConnectProxy:
    """proxy.py on 127.0.0.1, having carried nothing yet."""
    _running_proxy.forget()
    return _running_proxy

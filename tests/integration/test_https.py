"""Models and datasets over HTTPS, as JFrog Cloud always serves them: the CA trusted
through the settings or the environment, directly or through a CONNECT proxy, and
the failures when it is not trusted."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

import pytest

from emulator.app import Emulator
from emulator.fixtures import EMULATOR_TOKEN
from frogml import AuthConfig, FrogMLStorage
from frogml.adapters.artifactory import ArtifactorySettings, ArtifactoryStore, RangePolicy
from frogml.adapters.filesystem import LocalFileSystem
from frogml.domain.errors import ConfigurationError, TransientError
from frogml.domain.model.settings import TransferSettings
from frogml.domain.ports.credentials import Credentials
from frogml.domain.services.download import Download, DownloadDatasetRequest
from frogml.domain.services.upload import Upload, UploadDatasetRequest
from tests.integration._connect_proxy import ConnectProxy
from tests.integration.helpers import MODEL_FORMAT, FakeSleep, files_under, write_tree
from tests.integration.tls import Pki, tls_emulator

MODEL = {"weights/model.bin": os.urandom(200_000), "config.json": b'{"layers": 3}' * 1000}
BIG = os.urandom(300_000 + 17)
RANGES = RangePolicy(threshold=64 * 1024, parts=4)
CA_HINT_WORDS = ("--ca-bundle", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE")


def _store(url: str, env: Mapping[str, str], sleep: FakeSleep | None = None) -> ArtifactoryStore:
    credentials = Credentials(url=url, access_token=EMULATOR_TOKEN, source="tests")
    settings = ArtifactorySettings.from_environment(credentials, env)
    settings = dataclasses.replace(settings, ranges=RANGES)
    return ArtifactoryStore(settings, sleep=sleep or FakeSleep())


def _dataset_round_trip(store: ArtifactoryStore, tmp_path: Path) -> dict[str, bytes]:
    """Upload a big file and a small one, download them (the big one in ranges)."""
    source = write_tree(tmp_path / "src", {"big.bin": BIG, "small.txt": b"small"})
    files = LocalFileSystem()
    try:
        Upload(store=store, filesystem=files)(
            UploadDatasetRequest(
                repository="ml-local", name="data", version="1", source_path=str(source)
            )
        )
        out = tmp_path / "out"
        Download(store=store, filesystem=files)(
            DownloadDatasetRequest(
                repository="ml-local", name="data", version="1", target_path=str(out)
            )
        )
    finally:
        store.close()
    return files_under(out)


def test_a_model_round_trips_over_https_trusting_the_ca_bundle_setting(
    https_emulator: Emulator, pki: Pki, tmp_path: Path
) -> None:
    assert https_emulator.url.startswith("https://127.0.0.1:")
    requirements = tmp_path / "requirements.txt"
    requirements.write_bytes(b"torch==2.5.1\n" * 1000)
    settings = TransferSettings(ca_bundle=str(pki.ca_bundle))
    auth = AuthConfig.by_access_token(https_emulator.url, EMULATOR_TOKEN)
    with FrogMLStorage(auth, settings=settings, download_cache=False) as storage:
        storage.upload_model_version(
            "ml-local",
            "fraud",
            str(write_tree(tmp_path / "model", MODEL)),
            MODEL_FORMAT,
            version="1.0.0",
            dependencies_files_paths=[str(requirements)],
        )
        info = storage.get_model_info("ml-local", "fraud", "1.0.0")
        storage.download_model_version(
            "ml-local", "fraud", "1.0.0", str(tmp_path / "out"), with_dependencies=True
        )
    assert files_under(tmp_path / "out") == {
        **MODEL,
        "dependencies/requirements.txt": requirements.read_bytes(),
    }
    urls = [a.download_url for a in info.manifest.model_artifacts]
    assert urls
    assert all(url and url.startswith(https_emulator.base_url + "/") for url in urls)


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"])
def test_a_dataset_round_trips_in_ranges_trusting_the_ca_from_the_environment(
    https_emulator: Emulator,
    pki: Pki,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
) -> None:
    monkeypatch.setenv(variable, str(pki.ca_bundle))
    store = _store(https_emulator.url, os.environ)
    assert _dataset_round_trip(store, tmp_path) == {"big.bin": BIG, "small.txt": b"small"}
    counts = https_emulator.counters.snapshot()
    assert counts.count("download", 206) == RANGES.parts  # the big file, in ranges


def test_the_environment_ca_bundle_also_serves_the_public_api(
    https_emulator: Emulator, pki: Pki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JF_URL", https_emulator.url)
    monkeypatch.setenv("JF_ACCESS_TOKEN", EMULATOR_TOKEN)
    monkeypatch.setenv("SSL_CERT_FILE", str(pki.ca_bundle))
    with FrogMLStorage(download_cache=False) as storage:
        source = write_tree(tmp_path / "table", {"part-0.csv": b"a,b\n1,2\n"})
        storage.upload_dataset_version("ml-local", "table", str(source), version="1")
        versions = storage.list_dataset_versions("ml-local", "table")
    assert [v.version for v in versions] == ["1"]


def test_https_goes_through_the_connect_proxy_named_by_https_proxy(
    https_emulator: Emulator,
    pki: Pki,
    connect_proxy: ConnectProxy,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", connect_proxy.url)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(pki.ca_bundle))
    store = _store(https_emulator.url, os.environ)
    assert _dataset_round_trip(store, tmp_path) == {"big.bin": BIG, "small.txt": b"small"}
    carried = connect_proxy.carried()
    assert carried  # each connection is one tunnel to the emulator, nothing else
    assert set(carried) == {f"CONNECT 127.0.0.1:{https_emulator.port}"}
    assert https_emulator.counters.snapshot().count("download", 206) == RANGES.parts


def test_no_proxy_reaches_the_server_directly(
    https_emulator: Emulator,
    pki: Pki,
    connect_proxy: ConnectProxy,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", connect_proxy.url)
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(pki.ca_bundle))
    store = _store(https_emulator.url, os.environ)
    assert _dataset_round_trip(store, tmp_path) == {"big.bin": BIG, "small.txt": b"small"}
    assert connect_proxy.carried() == []


def _ca_error(store: ArtifactoryStore) -> ConfigurationError:
    try:
        with pytest.raises(ConfigurationError) as caught:
            store.ping()
    finally:
        store.close()
    return caught.value


def test_an_untrusted_certificate_fails_at_once_saying_which_bundle_and_what_to_do(
    untrusted_emulator: Emulator, pki: Pki
) -> None:
    sleep = FakeSleep()
    error = _ca_error(_store(untrusted_emulator.url, {"SSL_CERT_FILE": str(pki.ca_bundle)}, sleep))
    text = str(error)
    assert "could not be verified" in text
    assert f"CA bundle {pki.ca_bundle} (from SSL_CERT_FILE)" in text
    assert all(word in (error.hint or "") for word in CA_HINT_WORDS)
    assert sleep.delays == []  # never retried
    assert untrusted_emulator.counters.snapshot().count("ping") == 0


def test_a_global_requests_ca_bundle_outranking_ssl_cert_file_is_named(
    https_emulator: Emulator, pki: Pki, tmp_path: Path
) -> None:
    # A machine-wide REQUESTS_CA_BUNDLE (here: a CA that did not sign the server's
    # certificate) wins over the user's SSL_CERT_FILE: the error says so.
    global_bundle = tmp_path / "global.pem"
    pki.stranger.cert_pem.write_to_path(str(global_bundle))
    env = {"REQUESTS_CA_BUNDLE": str(global_bundle), "SSL_CERT_FILE": str(pki.ca_bundle)}
    error = _ca_error(_store(https_emulator.url, env))
    assert (
        f"CA bundle {global_bundle} (from REQUESTS_CA_BUNDLE, which outranks SSL_CERT_FILE)"
        in str(error)
    )
    assert error.source == "REQUESTS_CA_BUNDLE"


def test_without_a_bundle_the_error_names_the_system_certificates(
    https_emulator: Emulator,
) -> None:
    error = _ca_error(_store(https_emulator.url, {}))
    assert "the system's default CA certificates" in str(error)
    assert error.source == "system"


@pytest.mark.parametrize(
    ("certificate", "hint"),
    [
        ({"valid_for": timedelta(days=-1)}, "has expired: its administrator must renew it"),
        ({"names": ("frogml.test",)}, "use the host name the server's certificate names"),
    ],
)
def test_an_expired_or_misnamed_certificate_says_what_is_wrong_with_it(
    pki: Pki, certificate: dict[str, object], hint: str
) -> None:
    env = {"REQUESTS_CA_BUNDLE": str(pki.ca_bundle)}
    with tls_emulator(pki.server_context(**certificate)) as server:  # type: ignore[arg-type]
        error = _ca_error(_store(server.url, env))
    assert "could not be verified" in str(error)
    assert hint in (error.hint or "")


def test_https_to_a_plain_http_server_says_to_check_the_scheme(emulator: Emulator) -> None:
    sleep = FakeSleep()
    store = _store(emulator.url.replace("http://", "https://"), {}, sleep)
    try:
        with pytest.raises(TransientError, match="TLS handshake") as caught:
            store.ping()
    finally:
        store.close()
    assert "speaks HTTPS" in (caught.value.hint or "")
    assert sleep.delays == []

"""The ArtifactStore port over Artifactory's machine-learning repositories."""

from __future__ import annotations

import contextlib
import contextvars
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypedDict

import msgspec

from frogml.adapters.artifactory import _admin
from frogml.adapters.artifactory._answers import (
    relative_path,
    started_at,
    timestamp,
    version_of,
)
from frogml.adapters.artifactory._commit import commit_body, send_commit
from frogml.adapters.artifactory._download import download_all, fit_download_threads
from frogml.adapters.artifactory._errors import decode_answer, is_html, not_artifactory
from frogml.adapters.artifactory._forks import renew_in_children
from frogml.adapters.artifactory._http import HttpClient
from frogml.adapters.artifactory._listing import list_entities
from frogml.adapters.artifactory._multipart import Multipart
from frogml.adapters.artifactory._preflight import check_upload
from frogml.adapters.artifactory._ranges import FAR, streams_ahead
from frogml.adapters.artifactory._repositories import list_repositories
from frogml.adapters.artifactory._upload import UploadArea, fit_upload_threads, upload_all
from frogml.adapters.artifactory._urls import (
    check_download_url,
    derive_url,
    quote_path,
    version_path,
)
from frogml.adapters.artifactory._wire import list_decoder, properties_decoder, start_decoder
from frogml.adapters.artifactory.settings import ArtifactorySettings
from frogml.adapters.logs import get_logger
from frogml.domain.errors import (
    ConfigurationError,
    FrogMLError,
    NotFoundError,
    ProtocolError,
    ValidationError,
)
from frogml.domain.model.entity import EntityKind, EntityRef, VersionSummary
from frogml.domain.model.manifest import Manifest, ModelInfo
from frogml.domain.model.manifest_json import decode_dataset_info, decode_model_info
from frogml.domain.model.names import is_valid_name
from frogml.domain.model.repository import RepositoryListing
from frogml.domain.ports.artifact_store import (
    ArtifactStore,
    DownloadItem,
    Transaction,
    UploadItem,
    UploadReport,
)
from frogml.domain.ports.forecast import BeginsAhead, DownloadForecast, UploadForecast
from frogml.domain.ports.preflight import UploadPreflight
from frogml.domain.ports.progress import TransferEvents

__all__ = ["ArtifactoryStore"]

_log = get_logger("frogml")
_WAIT_SLICE = 0.2  # seconds between checks for an interrupt while waiting on a thread


class _Threads(TypedDict):
    threads: int
    most: int | None


class ArtifactoryStore(
    ArtifactStore, UploadPreflight, UploadForecast, BeginsAhead, DownloadForecast
):
    """Publishes and reads versions in an Artifactory machine-learning repository."""

    def __init__(
        self,
        settings: ArtifactorySettings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._http = HttpClient(settings, sleep=sleep, clock=clock)
        self._multipart = Multipart(self._http, settings, sleep=sleep, clock=clock)
        self._areas: dict[str, UploadArea] = {}
        self._lock = threading.Lock()
        self._ahead = threading.local()  # `begun`: a transaction started by begin_ahead
        renew_in_children(self)

    def __repr__(self) -> str:
        identity = self._settings.credentials.identity
        return f"ArtifactoryStore(url={self._http.urls.base!r}, identity={identity!r})"

    def close(self) -> None:
        """Close the pooled connections."""
        self._http.close()
        self._multipart.close()

    # -- the port -------------------------------------------------------------------
    def expect_upload(self, sizes: Iterable[int]) -> None:
        """While the files are hashed, or the transaction starts: the multipart probe,
        when a file may need it, and the connections the first files will use, when
        there are several (one file reuses the transaction's). Across a 40 ms link each
        saves a round trip or a handshake."""
        count, biggest = 0, 0
        for size in sizes:
            count, biggest = count + 1, max(biggest, size)
        self._multipart.probe_ahead((biggest,))
        if count < 2:
            return
        try:  # as many as the upload's first threads, within the open-file limit
            first, _ = fit_upload_threads(**self._threads(), count=count)
        except ConfigurationError:
            return  # the upload itself says so, before it sends anything
        self._http.warm(self._http.urls.base, min(first, count))

    def download_begins(self, ref: EntityRef) -> None:
        """While the manifest is read: the connections a big file's streams, or the first
        files, will use besides the manifest's (as many as ranges split a file into,
        within the first threads), if the server is far (``warm_if_far``: as soon as the
        manifest has not answered within ``FAR``, 10 ms; never on a LAN). Across a 40 ms
        link they are open when the manifest arrives, and a 256 MiB download fills the
        link 80 ms sooner (measured with staggered blocks: 2.285 s instead of 2.318, 5
        runs each). A download that needs fewer, one small file, leaves them idle in the
        pool: at most 7 by default, the price of not knowing before the manifest."""
        del ref  # any version of any entity: the same server
        ahead = min(self._threads()["threads"], self._settings.ranges.max_parts)
        self._http.warm_if_far(self._http.urls.base, ahead - 1, far=FAR)

    def expect_download(self, sizes: Iterable[int]) -> None:
        """Once the manifest is read, while the download looks at its target and cache
        (20-40 ms for 500 files): the connections its first requests will use, one per
        first thread, or a big file's streams across a distance (see ``streams_ahead``).
        Across a 40 ms link the handshakes then overlap that look."""
        count, biggest = 0, 0
        for size in sizes:
            count, biggest = count + 1, max(biggest, size)
        if count == 0:
            return
        try:
            first, adapting = fit_download_threads(**self._threads(), count=count)
        except ConfigurationError:
            return  # the download itself says so, before it sends anything
        cap = first if adapting is None else adapting
        ranges = self._settings.ranges
        streams = streams_ahead(self._http.distance, biggest, policy=ranges, most=cap)
        self._http.warm(self._http.urls.base, max(min(first, count), streams))

    def begin_ahead(self, ref: EntityRef) -> None:
        """Start the transaction of ``ref`` on a daemon thread, for this thread's next
        :meth:`begin` (per thread: a storage shared by threads keeps their uploads
        apart). Its request and a new connection's handshake then overlap the hashing."""
        self.cancel_ahead()
        begun: Future[Transaction] = Future()
        context = contextvars.copy_context()  # a host's log context reaches the logs

        def run() -> None:
            try:
                begun.set_result(context.run(self._begin_now, ref))
            except BaseException as exc:  # handed to begin(), which raises it
                begun.set_exception(exc)

        threading.Thread(target=run, name="frogml-begin", daemon=True).start()
        self._ahead.begun = (ref, begun)

    def cancel_ahead(self) -> None:
        ahead: tuple[EntityRef, Future[Transaction]] | None = getattr(self._ahead, "begun", None)
        self._ahead.begun = None
        if ahead is not None:
            ahead[1].add_done_callback(self._forget)

    def _forget(self, begun: Future[Transaction]) -> None:
        """Drop the local record of a transaction begun ahead and not taken (the server
        discards a transaction never committed)."""
        if begun.exception() is None:
            self.abort(begun.result())

    def begin(self, ref: EntityRef) -> Transaction:
        ahead: tuple[EntityRef, Future[Transaction]] | None = getattr(self._ahead, "begun", None)
        if ahead is None or ahead[0] != ref:
            self.cancel_ahead()
            return self._begin_now(ref)
        self._ahead.begun = None
        begun = ahead[1]
        try:
            while True:  # a timed wait stays interruptible (Ctrl-C) on every platform
                with contextlib.suppress(FutureTimeout):
                    return begun.result(timeout=_WAIT_SLICE)  # raises what starting raised
        except BaseException:
            begun.add_done_callback(self._forget)  # interrupted: dropped once it ends
            raise

    def _forked(self) -> None:
        """In a forked child: a transaction begun ahead by the parent's thread is the
        parent's (its future may never end here), and the lock may be held."""
        self._ahead = threading.local()
        self._lock = threading.Lock()

    def _begin_now(self, ref: EntityRef) -> Transaction:
        what = f"starting the upload of {ref.describe()}"
        url = f"{self._ml(ref)}/{ref.entity_path}/start-transaction"
        if ref.version is not None:
            url += f"/{ref.version}"
        answer = self._http.request("POST", url, what=what)
        start = decode_answer(start_decoder, answer.body, what=what)
        version = version_of(start.files_upload_path, ref, what)
        transaction_id = str(start.transaction_id)
        transaction = Transaction(
            ref=ref.with_version(version),
            transaction_id=transaction_id,
            started_at=started_at(transaction_id, what),
        )
        area = UploadArea(
            repository=ref.repository,
            files=relative_path(start.files_upload_path, what),
            dependencies=relative_path(start.dependencies_upload_path, what),
            code=relative_path(start.code_upload_path, what),
        )
        with self._lock:
            self._areas[transaction_id] = area
        return transaction

    def upload(
        self, transaction: Transaction, items: Sequence[UploadItem], events: TransferEvents
    ) -> UploadReport:
        area = self._area(transaction)
        return upload_all(
            self._http, area, items, events, **self._threads(), multipart=self._multipart
        )

    def _threads(self) -> _Threads:
        """File transfers at first, and at most (None: pinned, not adapting)."""
        settings = self._settings
        most = settings.most_threads if settings.adaptive else None
        return {"threads": settings.first_threads, "most": most}

    def commit(
        self, transaction: Transaction, manifest: Manifest, properties: Mapping[str, str]
    ) -> None:
        self._area(transaction)
        ref = transaction.ref
        if isinstance(manifest, ModelInfo) != (ref.kind is EntityKind.MODEL):
            raise ValidationError(f"the manifest does not describe a {ref.kind.value}")
        part = f"{ref.kind.value}Manifest"
        additional = msgspec.json.encode(dict(properties)) if properties else b"null"
        body, content_type = commit_body(manifest, part, additional)
        url = (
            f"{self._ml(ref)}/entity-manifest/{ref.entity_path}/{transaction.version}"
            f"/{transaction.transaction_id}"
        )
        send_commit(
            self._http,
            url,
            what=f"publishing {ref.describe()}",
            headers={"Content-Type": content_type},
            body=body,
            manifest=manifest,
            published=lambda: self.read_manifest(ref),
        )
        self.abort(transaction)

    def abort(self, transaction: Transaction) -> None:
        # Nothing to send: the server discards transactions that are never committed.
        with self._lock:
            self._areas.pop(transaction.transaction_id, None)

    def read_manifest(self, ref: EntityRef) -> Manifest:
        if ref.version is None:
            raise ValidationError("reading a version needs a version", field="version")
        what = f"reading {ref.describe()}"
        url = f"{self._ml(ref)}/entity-manifest/{ref.entity_path}/{ref.version}"
        try:
            answer = self._http.request("GET", url, what=what)
        except NotFoundError as exc:
            raise self._missing(ref) from exc
        decode = decode_model_info if ref.kind is EntityKind.MODEL else decode_dataset_info
        if is_html(answer.body):
            raise not_artifactory(what, "an HTML page")
        try:
            manifest: Manifest = decode(answer.body)
        except ValidationError as exc:
            raise ProtocolError(
                f"{what}: server sent an unsafe/malformed manifest: {exc.message}"
            ) from exc
        for area, artifact in manifest.entries():
            if artifact.download_url is None:
                continue
            path = artifact.artifact_path
            if not check_download_url(self._http.urls, ref, area, path, artifact.download_url):
                _log.debug(
                    "download_url_on_another_origin",
                    artifact=path,
                    fetched_from=self._http.urls.origin,
                )
        return manifest

    def _missing(self, ref: EntityRef) -> NotFoundError:
        """Name what is missing (repository, entity or version): only on the error path."""
        storage = f"{self._http.urls.base}/api/storage/{ref.repository}"
        probes = (
            (storage, "repository", f"repository {ref.repository} does not exist"),
            (
                f"{storage}/{ref.kind.folder}/{ref.entity_path}",
                ref.kind.value,
                f"{ref.kind.value} {ref.entity_path} does not exist in {ref.repository}",
            ),
        )
        for url, what, message in probes:
            try:
                self._http.request("GET", url, what=f"looking up {what}")
            except NotFoundError:
                return NotFoundError(message, what=what)
            except FrogMLError:
                break  # listing not allowed: say only that the version is missing
        return NotFoundError(
            f"{ref.describe()} does not exist",
            what="version",
            hint=f"list versions with `frogml {ref.kind.value} versions`",
        )

    def download(
        self, ref: EntityRef, items: Sequence[DownloadItem], events: TransferEvents
    ) -> None:
        urls = self._http.urls

        def url_of(item: DownloadItem) -> str:
            # Built from the published layout, never taken from the manifest: read_manifest
            # cross-checked the server's download_url against the same file.
            return derive_url(urls, ref, item.area, item.artifact.artifact_path)

        download_all(
            self._http,
            items,
            url_of,
            events,
            **self._threads(),
            ranges=self._settings.ranges,
        )

    def list_versions(self, ref: EntityRef) -> Sequence[VersionSummary]:
        where = f"{ref.kind.value} {ref.entity_path} in repository {ref.repository}"
        what = f"listing the versions of {where}"
        url = (
            f"{self._http.urls.base}/api/storage/{ref.repository}/{ref.kind.folder}/"
            f"{ref.entity_path}?list&deep=0&listFolders=1"
        )
        answer = self._http.request("GET", url, what=what)
        listing = decode_answer(list_decoder, answer.body, what=what)
        versions = [
            VersionSummary(version=name, created=timestamp(entry.last_modified, what))
            for entry in listing.files
            if entry.folder and (name := entry.uri.strip("/")) != "tmp" and is_valid_name(name)
        ]
        if not versions:
            raise NotFoundError(f"{where} has no published version", what=where)
        return versions

    def check_upload(self, ref: EntityRef) -> None:
        """What :meth:`begin` would refuse, asked with reads (see ``_preflight``)."""
        check_upload(self._http, ref, published=lambda: self.read_manifest(ref))

    def list_entities(self, repository: str, kind: EntityKind) -> Sequence[str]:
        return list_entities(self._http, repository, kind)

    def delete_version(self, ref: EntityRef) -> None:
        # Deleting the version's folder removes its files and its manifest: the version
        # is then neither listed nor read, and may be published again.
        self.read_manifest(ref)  # NotFoundError naming what is missing
        what = f"deleting {ref.describe()}"
        url = f"{self._http.urls.base}/{ref.repository}/{quote_path(version_path(ref))}"
        with contextlib.suppress(NotFoundError):  # gone already: a retried DELETE, say
            self._http.request("DELETE", url, what=what)

    def list_repositories(self) -> Sequence[RepositoryListing]:
        return list_repositories(self._http)

    # -- server-level helpers (login, integration tests) ---------------------------
    def ping(self) -> str | None:
        """Raise unless the server is up (checks no credentials); the HTTP ``Date`` it sent."""
        return _admin.ping(self._http)

    def server_version(self) -> str:
        """The Artifactory version, e.g. ``7.104.0``."""
        return _admin.server_version(self._http)

    def check_access(self, repository: str | None = None) -> None:
        """Raise unless the credentials work (and ``repository`` is readable)."""
        _admin.check_access(self._http, repository)

    def create_access_token(
        self, *, description: str = "frogml", expires_in: int | None = None
    ) -> _admin.AccessToken:
        """A new access token for the Basic-authenticated user."""
        return _admin.create_access_token(
            self._http, description=description, expires_in=expires_in
        )

    def create_repository(self, key: str) -> None:
        """Create a local machine-learning repository."""
        _admin.create_repository(self._http, key)

    def delete_repository(self, key: str) -> None:
        """Delete a repository and everything in it."""
        _admin.delete_repository(self._http, key)

    # -- internals ------------------------------------------------------------------
    def _ml(self, ref: EntityRef) -> str:
        return f"{self._http.urls.base}/api/machinelearning/{ref.repository}/{ref.kind.value}"

    def _area(self, transaction: Transaction) -> UploadArea:
        with self._lock:
            area = self._areas.get(transaction.transaction_id)
        if area is None:
            raise ValidationError("the transaction is not open in this store", field="transaction")
        return area

    def read_properties(self, ref: EntityRef) -> dict[str, str]:
        what = f"reading the properties of {ref.describe()}"
        url = f"{self._http.urls.base}/api/storage/{ref.repository}/{version_path(ref)}?properties"
        try:
            answer = self._http.request("GET", url, what=what)
        except NotFoundError:
            return {}  # "No properties could be found."
        found = decode_answer(properties_decoder, answer.body, what=what).properties
        return {key: ",".join(values) for key, values in found.items()}

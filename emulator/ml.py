"""The four-step machine-learning transaction (protocol page, section 4).

Files are uploaded to `{top}/{entity}/tmp/{version}/{txid}/...`; the commit checks
every manifest artifact against that area and, under the store lock, links the files
into `{top}/{entity}/{version}/...`, so readers see all of a version or none of it.
"""

from __future__ import annotations

import threading
import time
from typing import Literal

import msgspec

from .errors import ApiError, now_ms, pretty_json
from .manifest import NAME_RE, MlKind, enrich, locate, parse_manifest
from .storage import FileEntry, Properties, Store

__all__ = ["MlService", "Transaction", "validate_name"]


class Transaction(msgspec.Struct, kw_only=True):
    repo: str
    type: str
    entity: str
    version: str
    txid: str
    committed: bool = False


def validate_name(value: str, what: str) -> None:
    if len(value) > 60 or not NAME_RE.match(value):
        raise ApiError(
            400,
            f"Invalid {what} '{value}': must match {NAME_RE.pattern} and be at most 60 characters",
        )


def _properties(data: bytes) -> Properties:
    try:
        value = msgspec.json.decode(data) if data.strip() else None
    except msgspec.DecodeError as exc:
        raise ApiError(400, f"Invalid additionalData JSON: {exc}") from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ApiError(400, "Invalid additionalData: expected a JSON object or null")

    def text(v: object) -> str:
        return v if isinstance(v, str) else msgspec.json.encode(v).decode()

    return {
        str(k): [text(x) for x in v] if isinstance(v, list) else [text(v)] for k, v in value.items()
    }


UrlMode = Literal["raw", "encoded"]  # how JSON answers write URLs (Artifactory: raw)


class MlService:
    def __init__(
        self, store: Store, *, url_mode: UrlMode = "raw", manifest_file: bool = True
    ) -> None:
        self._store = store
        self.url_mode: UrlMode = url_mode
        # Whether a published version shows its manifest as a file beside its files
        # (`{version}/{type}-manifest.json`); nothing public confirms either layout.
        self.manifest_file = manifest_file
        self._hidden_manifests: dict[tuple[str, str], bytes] = {}
        self._lock = threading.Lock()
        self._transactions: dict[str, Transaction] = {}
        self._last_txid = 0

    def _new_txid(self) -> str:
        with self._lock:
            # Epoch milliseconds, as Artifactory does, bumped to stay unique.
            self._last_txid = max(now_ms(), self._last_txid + 1)
            return str(self._last_txid)

    def is_published(self, repo: str, kind: MlKind, entity: str, version: str) -> bool:
        return self._load_manifest(repo, kind, entity, version) is not None

    def _load_manifest(self, repo: str, kind: MlKind, entity: str, version: str) -> bytes | None:
        path = f"{kind.top}/{entity}/{version}/{kind.manifest_file}"
        if not self.manifest_file:
            return self._hidden_manifests.get((repo, path))
        opened = self._store.open(repo, path)
        if opened is None:
            return None
        with opened[1] as f:
            return f.read()

    def forget(self, repo: str, path: str) -> None:
        """A folder or file was deleted: a version in it is no longer published (the
        manifests kept outside the tree, in `--no-manifest-file` mode, go with it)."""
        prefix = f"{path.strip('/')}/"
        with self._lock:
            for key in [k for k in self._hidden_manifests if k[0] == repo]:
                if not path.strip("/") or f"{key[1]}/".startswith(prefix):
                    del self._hidden_manifests[key]

    def _save_manifest(self, repo: str, kind: MlKind, target: str, data: bytes, user: str) -> None:
        path = f"{target}/{kind.manifest_file}"
        if not self.manifest_file:
            self._hidden_manifests[(repo, path)] = data
            return
        upload = self._store.blobs.receive([data])
        self._store.put(repo, path, upload, user=user, original={}, properties={})

    def start(self, repo: str, kind: MlKind, entity: str, version: str | None) -> dict[str, str]:
        self._store.check_repo(repo)
        if version is None:
            version = time.strftime("%Y-%m-%d-%H-%M-%S", time.gmtime())
        validate_name(version, "version")
        if self.is_published(repo, kind, entity, version):
            raise ApiError(
                409, f"{kind.type.capitalize()} '{entity}' version '{version}' already exists"
            )
        txid = self._new_txid()
        with self._lock:
            self._transactions[txid] = Transaction(
                repo=repo, type=kind.type, entity=entity, version=version, txid=txid
            )
        lead = f"{kind.top}/{entity}/tmp/{version}/{txid}"
        return {
            "filesUploadPath": f"{lead}/{kind.files}",
            "leadUploadPath": lead,
            "dependenciesUploadPath": f"{lead}/dependencies",
            "codeUploadPath": f"{lead}/code",
            "transactionId": txid,
        }

    def _transaction(
        self, repo: str, kind: MlKind, entity: str, version: str, txid: str
    ) -> Transaction:
        with self._lock:
            tx = self._transactions.get(txid)
        if tx is None:
            raise ApiError(409, f"Unknown transaction '{txid}'")
        if tx.committed:
            raise ApiError(409, f"Transaction '{txid}' is already committed")
        if (tx.repo, tx.type, tx.entity, tx.version) != (repo, kind.type, entity, version):
            raise ApiError(
                409,
                f"Transaction '{txid}' belongs to {tx.type} '{tx.entity}' "
                f"version '{tx.version}' in '{tx.repo}'",
            )
        return tx

    def commit(
        self,
        repo: str,
        kind: MlKind,
        entity: str,
        version: str,
        txid: str,
        *,
        manifest_data: bytes,
        additional_data: bytes,
        user: str,
    ) -> dict[str, object]:
        self._store.check_repo(repo)
        manifest = parse_manifest(manifest_data)
        located = locate(kind, manifest)
        properties = _properties(additional_data)
        lead = f"{kind.top}/{entity}/tmp/{version}/{txid}"
        target = f"{kind.top}/{entity}/{version}"
        with self._store.lock:
            tx = self._transaction(repo, kind, entity, version, txid)
            if self.is_published(repo, kind, entity, version):
                raise ApiError(
                    409, f"{kind.type.capitalize()} '{entity}' version '{version}' already exists"
                )
            sources = [
                self._uploaded(repo, f"{lead}/{item.rel}", item.ref.size, item.ref.checksums.sha2)
                for item in located
            ]
            for item, entry in zip(located, sources, strict=True):
                self._store.link(
                    repo,
                    f"{target}/{item.rel}",
                    entry.blob,
                    user=user,
                    original=dict(entry.original),
                    properties={},
                )
            self._save_manifest(repo, kind, target, manifest_data, user)
            self._store.set_properties(repo, target, properties, recursive=False)
            self._drop_tmp(repo, kind, entity, version, txid)
            tx.committed = True
        return manifest

    def _uploaded(self, repo: str, path: str, size: int, sha2: str | None) -> FileEntry:
        entry = self._store.get(repo, path)
        if not isinstance(entry, FileEntry):
            raise ApiError(409, f"Artifact '{path}' was not uploaded in this transaction")
        if entry.blob.size != size or (sha2 and sha2.lower() != entry.blob.sha256):
            raise ApiError(409, f"Artifact '{path}' differs from the manifest (size or sha2)")
        return entry

    def _drop_tmp(self, repo: str, kind: MlKind, entity: str, version: str, txid: str) -> None:
        """Remove this transaction's area, then `tmp/{version}` and `tmp` if left empty."""
        tmp = f"{kind.top}/{entity}/tmp"
        self._store.delete(repo, f"{tmp}/{version}/{txid}")
        for folder in (f"{tmp}/{version}", tmp):
            if self._store.get(repo, folder) is not None and not self._store.children(repo, folder):
                self._store.delete(repo, folder)

    def read(self, repo: str, kind: MlKind, entity: str, version: str, *, repo_url: str) -> bytes:
        self._store.check_repo(repo)
        stored = self._load_manifest(repo, kind, entity, version)
        if stored is None:
            raise ApiError(
                404, f"{kind.type.capitalize()} '{entity}' version '{version}' not found"
            )
        manifest = parse_manifest(stored)
        version_url = f"{repo_url}/{kind.top}/{entity}/{version}"
        return pretty_json(
            enrich(
                kind,
                manifest,
                entity=entity,
                version=version,
                version_url=version_url,
                encoded=self.url_mode == "encoded",
            )
        )

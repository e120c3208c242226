"""Repositories of files and folders, kept in memory; bytes live in the BlobStore.

Folders are real items, as in Artifactory: deploying a file creates its parent
folders, and deleting the file leaves them behind.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import BinaryIO

import msgspec

from .blobs import Blob, BlobStore, Upload
from .errors import ApiError, now_ms

__all__ = ["FileEntry", "FolderEntry", "Properties", "Store", "clean_path"]

Properties = dict[str, list[str]]


class FileEntry(msgspec.Struct, kw_only=True):
    blob: Blob
    created_ms: int
    created_by: str
    original: dict[str, str]
    properties: Properties


class FolderEntry(msgspec.Struct, kw_only=True):
    created_ms: int
    created_by: str
    properties: Properties


Entry = FileEntry | FolderEntry


class _Repo:
    def __init__(self, config: dict[str, object]) -> None:
        self.config = config
        self.files: dict[str, FileEntry] = {}
        self.folders: dict[str, FolderEntry] = {
            "": FolderEntry(created_ms=now_ms(), created_by="system", properties={})
        }
        self.children: dict[str, set[str]] = {"": set()}


def clean_path(path: str) -> str:
    """`a//b/` -> `a/b`; `.` and `..` segments are refused rather than resolved."""
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") for p in parts):
        raise ApiError(400, f"Invalid path '{path}'")
    return "/".join(parts)


def _parent(path: str) -> tuple[str, str]:
    head, _, name = path.rpartition("/")
    return head, name


class Store:
    """All repositories; `lock` is re-entrant so callers can compose atomic operations."""

    def __init__(self, blobs: BlobStore) -> None:
        self.blobs = blobs
        self.lock = threading.RLock()
        self._repos: dict[str, _Repo] = {}
        self._refs: dict[str, int] = {}
        self._by_sha256: dict[str, Blob] = {}
        self._by_sha1: dict[str, Blob] = {}

    # -- repositories ---------------------------------------------------------------
    def create_repo(self, key: str, config: dict[str, object] | None = None) -> bool:
        with self.lock:
            if key.lower() in (k.lower() for k in self._repos):
                return False
            self._repos[key] = _Repo(
                config or {"rclass": "local", "packageType": "machinelearning"}
            )
            return True

    def delete_repo(self, key: str) -> bool:
        with self.lock:
            if key not in self._repos:
                return False
            self.delete(key, "")
            del self._repos[key]
            return True

    def repo_config(self, key: str) -> dict[str, object] | None:
        with self.lock:
            repo = self._repos.get(key)
            return None if repo is None else dict(repo.config)

    def repo_keys(self) -> list[str]:
        with self.lock:
            return sorted(self._repos)

    def _repo(self, key: str) -> _Repo:
        repo = self._repos.get(key)
        if repo is None:
            raise ApiError(404, f"Repository '{key}' not found")
        return repo

    def check_repo(self, key: str) -> None:
        with self.lock:
            self._repo(key)

    # -- reads ----------------------------------------------------------------------
    def get(self, key: str, path: str) -> Entry | None:
        with self.lock:
            repo = self._repo(key)
            return repo.files.get(path) or repo.folders.get(path)

    def open(self, key: str, path: str) -> tuple[FileEntry, BinaryIO] | None:
        """The entry and an open file, taken together so a delete cannot slip between."""
        with self.lock:
            entry = self._repo(key).files.get(path)
            if entry is None:
                return None
            return entry, self.blobs.path_of(entry.blob.sha256).open("rb")

    def find_blob(self, *, sha256: str | None = None, sha1: str | None = None) -> Blob | None:
        with self.lock:
            if sha256:
                return self._by_sha256.get(sha256.lower())
            return self._by_sha1.get((sha1 or "").lower())

    def children(self, key: str, path: str) -> list[tuple[str, bool]]:
        """(name, is_folder) of a folder's direct children, sorted by name."""
        with self.lock:
            repo = self._repo(key)
            prefix = f"{path}/" if path else ""
            names = sorted(repo.children.get(path, ()))
            return [(n, prefix + n in repo.folders) for n in names]

    def walk(self, key: str, path: str, *, deep: bool) -> Iterator[tuple[str, Entry]]:
        """Descendants of a folder as (path relative to it, entry), depth first."""
        with self.lock:
            repo = self._repo(key)
            found: list[tuple[str, Entry]] = []
            self._collect(repo, path, "", deep, found)
        return iter(found)

    def _collect(
        self, repo: _Repo, path: str, rel: str, deep: bool, out: list[tuple[str, Entry]]
    ) -> None:
        for name in sorted(repo.children.get(path, ())):
            full = f"{path}/{name}" if path else name
            sub = f"{rel}/{name}" if rel else name
            file = repo.files.get(full)
            if file is not None:
                out.append((sub, file))
                continue
            out.append((sub, repo.folders[full]))
            if deep:
                self._collect(repo, full, sub, deep, out)

    # -- writes ---------------------------------------------------------------------
    def put(
        self,
        key: str,
        path: str,
        upload: Upload,
        *,
        user: str,
        original: dict[str, str],
        properties: Properties,
    ) -> FileEntry:
        with self.lock:
            known = upload.blob.sha256 in self._refs
            try:
                entry = self.link(
                    key,
                    path,
                    upload.blob,
                    user=user,
                    original=original,
                    properties=properties,
                    _adopting=True,
                )
            except BaseException:
                self.blobs.discard(upload)
                raise
            self.blobs.adopt(upload, known=known)
            return entry

    def link(
        self,
        key: str,
        path: str,
        blob: Blob,
        *,
        user: str,
        original: dict[str, str],
        properties: Properties,
        _adopting: bool = False,
    ) -> FileEntry:
        """Store a file whose bytes are already known (checksum deploy, publishing)."""
        with self.lock:
            repo = self._repo(key)
            if not path or path in repo.folders:
                raise ApiError(
                    409, f"Cannot deploy file '{key}:{path}': a folder exists at that path"
                )
            if not _adopting and blob.sha256 not in self._refs:
                raise ApiError(404, f"No existing file with SHA-256: {blob.sha256}")
            parent, name = _parent(path)
            self.make_folder(key, parent, user=user)
            old = repo.files.get(path)
            entry = FileEntry(
                blob=blob,
                created_ms=now_ms(),
                created_by=user,
                original=original,
                properties=properties,
            )
            repo.files[path] = entry
            repo.children[parent].add(name)
            self._ref(blob)
            if old is not None:
                self._unref(old.blob)
            return entry

    def make_folder(self, key: str, path: str, *, user: str) -> FolderEntry:
        with self.lock:
            repo = self._repo(key)
            if path in repo.folders:
                return repo.folders[path]
            if path in repo.files:
                raise ApiError(
                    409, f"Cannot create folder '{key}:{path}': a file exists at that path"
                )
            parent, name = _parent(path)
            self.make_folder(key, parent, user=user)
            folder = FolderEntry(created_ms=now_ms(), created_by=user, properties={})
            repo.folders[path] = folder
            repo.children[path] = set()
            repo.children[parent].add(name)
            return folder

    def delete(self, key: str, path: str) -> bool:
        with self.lock:
            repo = self._repo(key)
            file = repo.files.pop(path, None)
            if file is not None:
                self._unref(file.blob)
            elif path in repo.folders:
                for name in list(repo.children[path]):
                    self.delete(key, f"{path}/{name}" if path else name)
                if not path:
                    return True  # the repository root stays; only its content goes
                del repo.folders[path]
                del repo.children[path]
            else:
                return False
            parent, name = _parent(path)
            repo.children[parent].discard(name)
            return True

    def set_properties(self, key: str, path: str, props: Properties, *, recursive: bool) -> bool:
        with self.lock:
            entry = self.get(key, path)
            if entry is None:
                return False
            entry.properties.update({k: list(v) for k, v in props.items()})
            if recursive and isinstance(entry, FolderEntry):
                for _, sub in self.walk(key, path, deep=True):
                    sub.properties.update({k: list(v) for k, v in props.items()})
            return True

    def delete_properties(self, key: str, path: str, names: list[str], *, recursive: bool) -> bool:
        with self.lock:
            entry = self.get(key, path)
            if entry is None:
                return False
            targets: list[Entry] = [entry]
            if recursive and isinstance(entry, FolderEntry):
                targets += [sub for _, sub in self.walk(key, path, deep=True)]
            for target in targets:
                for name in names:
                    target.properties.pop(name, None)
            return True

    # -- blob reference counts ----------------------------------------------------------
    def _ref(self, blob: Blob) -> None:
        self._refs[blob.sha256] = self._refs.get(blob.sha256, 0) + 1
        self._by_sha256[blob.sha256] = blob
        self._by_sha1[blob.sha1] = blob

    def _unref(self, blob: Blob) -> None:
        left = self._refs[blob.sha256] - 1
        if left:
            self._refs[blob.sha256] = left
            return
        del self._refs[blob.sha256]
        del self._by_sha256[blob.sha256]
        self._by_sha1.pop(blob.sha1, None)
        self.blobs.release(blob.sha256)

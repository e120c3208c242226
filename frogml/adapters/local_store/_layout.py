"""Where everything lives inside the local store's root folder.

root/blobs/sha256/ab/<sha256>                  each distinct content once, read-only
root/blob-keys/ab/<sha256>                     its stat key when written (_blob_keys.py)
root/tmp/<transaction id>/                     staging of one open transaction
root/repositories/<repo>/models/<name>/<version>/
root/repositories/<repo>/models/@<namespace>/<name>/<version>/
    model-info.json  properties.json  files/…  dependencies/…  code/…

Namespaces carry an ``@`` (which no name may hold) so that model ``acme`` at version
``fraud`` and model ``acme/fraud`` can never share a folder.
"""

from __future__ import annotations

from pathlib import Path

from frogml.domain.model.entity import EntityKind, EntityRef

__all__ = ["NAMESPACE_MARK", "PROPERTIES_FILE", "Layout"]

NAMESPACE_MARK = "@"
PROPERTIES_FILE = "properties.json"


class Layout:
    """Paths of the store rooted at ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lock_file = root / ".lock"
        self.tmp = root / "tmp"
        self.repositories = root / "repositories"
        self._blobs = str(root / "blobs" / "sha256")

    def blob(self, sha256: str) -> Path:
        # One Path built from one string: asked several times per file, and joining
        # Path objects segment by segment cost more than copying a small file.
        return Path(f"{self._blobs}/{sha256[:2]}/{sha256}")

    def staging(self, transaction_id: str) -> Path:
        return self.tmp / transaction_id

    def repository(self, repository: str) -> Path:
        return self.repositories / repository

    def kind(self, repository: str, kind: EntityKind) -> Path:
        return self.repository(repository) / kind.folder

    def entity(self, ref: EntityRef) -> Path:
        folder = self.kind(ref.repository, ref.kind)
        if ref.namespace is not None:
            folder = folder / f"{NAMESPACE_MARK}{ref.namespace}"
        return folder / ref.name

    def version(self, ref: EntityRef) -> Path:
        assert ref.version is not None
        return self.entity(ref) / ref.version

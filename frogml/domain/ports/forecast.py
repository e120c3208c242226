"""The forecast port: a store told what an upload will send before its transaction
begins, or what a download will fetch once its manifest is read, so that it can
prepare in the background (open connections, ask the server what it supports, start
the transaction). Only hints: they neither wait nor raise."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from frogml.domain.model.entity import EntityRef

__all__ = ["BeginsAhead", "DownloadForecast", "UploadForecast"]


@runtime_checkable
class UploadForecast(Protocol):
    """Optional: a store that prepares in the background for the files of an upload."""

    def expect_upload(self, sizes: Iterable[int]) -> None:
        """An upload of files of these ``sizes`` (one per file) is about to begin.

        Returns at once; whatever it starts in the background fails silently (the
        upload's own requests meet and report any problem)."""
        ...


@runtime_checkable
class BeginsAhead(Protocol):
    """Optional: a store that starts a transaction in the background, while the upload
    still hashes its files, for the ``begin`` that follows."""

    def begin_ahead(self, ref: EntityRef) -> None:
        """Start the transaction of ``ref`` now: the next ``begin(ref)`` from the same
        thread takes it (and raises what starting it raised). Returns at once."""
        ...

    def cancel_ahead(self) -> None:
        """Forget a transaction this thread began ahead and will not take (the upload
        failed before it began); the store discards it as one never committed."""
        ...


@runtime_checkable
class DownloadForecast(Protocol):
    """Optional: a store that prepares in the background for a download, while it reads
    the manifest, and for its files, while the download looks at its target and cache."""

    def download_begins(self, ref: EntityRef) -> None:
        """A download of ``ref`` begins: its manifest is read next, then (most often)
        its files are fetched. Returns at once, like :meth:`expect_download`."""
        ...

    def expect_download(self, sizes: Iterable[int]) -> None:
        """A download of files of these ``sizes`` (one per file, some of which may turn
        out to be present already) is about to begin. Returns at once; whatever it
        starts in the background fails silently (the download's own requests meet and
        report any problem)."""
        ...

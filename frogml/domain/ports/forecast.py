"""The forecast port: a store told what an upload will send before its transaction
begins, so that it can prepare in the background (open connections, ask the server
what it supports, start the transaction). Only a hint: it neither waits nor raises."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from frogml.domain.model.entity import EntityRef

__all__ = ["UploadForecast"]


@runtime_checkable
class UploadForecast(Protocol):
    """Optional: a store that prepares in the background for the files of an upload."""

    def expect_upload(self, sizes: Iterable[int], *, ref: EntityRef | None = None) -> None:
        """An upload of files of these ``sizes`` (one per file) is about to begin, of
        the version ``ref`` when given.

        Returns at once; whatever it starts in the background fails silently (the
        upload's own requests meet and report any problem). With ``ref``, the store may
        start the transaction now: the next ``begin(ref)`` from the same thread then
        takes it (and raises what starting it raised); a transaction started so and
        never taken is dropped, as one never committed."""
        ...

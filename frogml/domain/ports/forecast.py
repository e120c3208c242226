"""The forecast port: a store told what an upload will send before its transaction
begins, so that it can prepare while the transaction starts (open connections, ask
the server what it supports). Only a hint: it neither waits nor raises."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

__all__ = ["UploadForecast"]


@runtime_checkable
class UploadForecast(Protocol):
    """Optional: a store that prepares in the background for the files of an upload."""

    def expect_upload(self, sizes: Iterable[int]) -> None:
        """An upload of files of these ``sizes`` (one per file) is about to begin.

        Returns at once; whatever it starts in the background fails silently (the
        upload's own requests meet and report any problem)."""
        ...

"""Committing a transaction: retried like any request, yet never published twice.

A commit whose answer was lost (a reset, a read timeout, a 5xx from a proxy) may or may
not have been applied. Sending it again is safe: the server refuses a second commit of
the same transaction (``409``, or ``404`` for a transaction it no longer knows). So
every failure is settled by reading the version back: it is a success when the version
now published is the one this transaction committed (same start time, files and
format), and the failure stands otherwise: another publisher's version is not ours.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from frogml.adapters.artifactory._answers import artifacts_of
from frogml.adapters.artifactory._http import HttpClient
from frogml.domain.errors import FrogMLError
from frogml.domain.model.manifest import Manifest, ModelInfo

__all__ = ["same_version", "send_commit"]


def same_version(ours: Manifest, stored: Manifest) -> bool:
    """True when ``stored`` is what ``ours`` published: same start time, same files."""

    def files(manifest: Manifest) -> set[tuple[str, int, str]]:
        return {(a.artifact_path, a.size, a.sha256) for a in artifacts_of(manifest)}

    def model_format(manifest: Manifest) -> object:
        return manifest.model_format if isinstance(manifest, ModelInfo) else None

    return (
        ours.created_date == stored.created_date
        and files(ours) == files(stored)
        and model_format(ours) == model_format(stored)
    )


def send_commit(
    http: HttpClient,
    url: str,
    *,
    what: str,
    headers: Mapping[str, str],
    body: bytes,
    manifest: Manifest,
    published: Callable[[], Manifest],
) -> None:
    """PUT the commit of ``manifest`` with the retry policy; any failure is settled by
    ``published`` (reading the version back): ours published means success."""
    try:
        http.retrier.run(
            lambda: http.send("PUT", url, what=what, headers=headers, body=body), what=what
        )
    except FrogMLError:
        if _landed(published, manifest):
            return
        raise


def _landed(published: Callable[[], Manifest], manifest: Manifest) -> bool:
    try:
        return same_version(manifest, published())
    except FrogMLError:  # absent, or unreadable now: the commit's own error stands
        return False

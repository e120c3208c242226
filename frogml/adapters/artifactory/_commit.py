"""Committing a transaction: retried like any request, yet never published twice.

A commit whose answer was lost (a reset, a read timeout, a 5xx from a proxy) may or may
not have been applied. Sending it again is safe: the server refuses a second commit of
the same transaction with ``409``. That refusal, after an attempt that may have landed,
means success when the version now published is the one this transaction committed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from frogml.adapters.artifactory._answers import artifacts_of
from frogml.adapters.artifactory._errors import RetryableError
from frogml.adapters.artifactory._http import HttpClient
from frogml.domain.errors import AlreadyExistsError, NotFoundError
from frogml.domain.model.manifest import Manifest

__all__ = ["same_version", "send_commit"]


def same_version(ours: Manifest, stored: Manifest) -> bool:
    """True when ``stored`` is what ``ours`` published: same start time, same files."""

    def files(manifest: Manifest) -> set[tuple[str, int, str]]:
        return {(a.artifact_path, a.size, a.sha256) for a in artifacts_of(manifest)}

    return ours.created_date == stored.created_date and files(ours) == files(stored)


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
    """PUT the commit of ``manifest`` with the retry policy; ``published`` reads the
    version back (NotFoundError when absent) to settle a ``409`` after an uncertain attempt."""
    uncertain = False

    def attempt() -> None:
        nonlocal uncertain
        try:
            http.send("PUT", url, what=what, headers=headers, body=body)
        except RetryableError as exc:
            uncertain = uncertain or exc.request_sent
            raise
        except AlreadyExistsError:
            if uncertain and _landed(published, manifest):
                return
            raise

    http.retrier.run(attempt, what=what)


def _landed(published: Callable[[], Manifest], manifest: Manifest) -> bool:
    try:
        return same_version(manifest, published())
    except NotFoundError:
        return False

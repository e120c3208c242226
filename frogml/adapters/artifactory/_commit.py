"""Committing a transaction: retried like any request, yet never published twice.

A commit whose answer was lost (a reset, a read timeout, a 5xx from a proxy) may or may
not have been applied. Sending it again is safe: the server refuses a second commit of
the same transaction (``409``, or ``404`` for a transaction it no longer knows). So
every failure is settled by reading the version back: it is a success when the version
now published is the one this transaction committed (same start time, files and
format), and the failure stands otherwise: another publisher's version is not ours.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence

from frogml.adapters.artifactory._answers import artifacts_of
from frogml.adapters.artifactory._http import HttpClient
from frogml.domain.errors import FrogMLError
from frogml.domain.model.manifest import Manifest, ModelInfo
from frogml.domain.model.manifest_json import encode_manifest_chunks

__all__ = ["commit_body", "same_version", "send_commit"]


def commit_body(manifest: Manifest, part: str, additional: bytes) -> tuple[list[bytes], str]:
    """The commit's ``multipart/form-data`` body, in pieces sent one after another, and
    its content type: the manifest as the part named ``part``, the properties' JSON as
    ``additionalData`` (protocol page).

    Written as urllib3's ``encode_multipart_formdata`` writes it, but with the manifest
    encoded in pieces straight into the body: a manifest of 100,000s of files is held
    once, as exactly its JSON, not as JSON and again as one grown buffer.
    """
    boundary = os.urandom(16).hex()
    body: list[bytes] = []
    for name in (part, "additionalData"):
        body.append(
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{name}"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        body += encode_manifest_chunks(manifest) if name == part else [additional]
        body.append(b"\r\n")
    body.append(f"--{boundary}--\r\n".encode())
    return body, f"multipart/form-data; boundary={boundary}"


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
    body: Sequence[bytes],
    manifest: Manifest,
    published: Callable[[], Manifest],
) -> None:
    """PUT the commit of ``manifest`` with the retry policy; any failure is settled by
    ``published`` (reading the version back): ours published means success. The body
    of a successful answer is read and let go (a server may echo the whole manifest).
    ``body`` is sent piece after piece, whole at every attempt."""
    headers = {**headers, "Content-Length": str(sum(len(piece) for piece in body))}
    try:
        http.retrier.run(
            lambda: http.send("PUT", url, what=what, headers=headers, body=body, keep=False),
            what=what,
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

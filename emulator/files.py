"""Repository paths: deploy, checksum deploy, download (with ranges), delete."""

from __future__ import annotations

import html
import mimetypes
from email.utils import formatdate
from urllib.parse import quote

from .context import Ctx
from .errors import ApiError, iso_time, pretty_json
from .http_io import FileBody, Response, parse_range
from .storage import FileEntry, FolderEntry, clean_path

__all__ = ["delete", "deploy", "download", "file_info", "folder_info", "mime_type"]

_JSON = {"Content-Type": "application/json"}
_ALGOS = (("sha256", "X-Checksum-Sha256"), ("sha1", "X-Checksum-Sha1"), ("md5", "X-Checksum-Md5"))


def mime_type(path: str) -> str:
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


def _target(ctx: Ctx) -> tuple[str, str]:
    return ctx.segments[1], clean_path("/".join(ctx.segments[2:]))


def file_info(
    ctx: Ctx, repo: str, path: str, entry: FileEntry, *, storage: bool
) -> dict[str, object]:
    """The deploy answer; the storage API adds modification fields."""
    blob = entry.blob
    info: dict[str, object] = {
        "repo": repo,
        "path": f"/{path}",
        "created": iso_time(entry.created_ms),
        "createdBy": entry.created_by,
    }
    if storage:
        info |= {
            "lastModified": info["created"],
            "modifiedBy": entry.created_by,
            "lastUpdated": info["created"],
        }
    shown = quote(path) if ctx.state.ml.url_mode == "encoded" else path  # Artifactory: raw
    return info | {
        "downloadUri": f"{ctx.api_base}/{repo}/{shown}",
        "mimeType": mime_type(path),
        "size": str(blob.size),  # a string, as Artifactory sends it
        "checksums": {"sha1": blob.sha1, "md5": blob.md5, "sha256": blob.sha256},
        "originalChecksums": dict(entry.original),
        "uri": f"{ctx.api_base}/api/storage/{repo}/{quote(path)}",
    }


def folder_info(ctx: Ctx, repo: str, path: str, entry: FolderEntry) -> dict[str, object]:
    stamp = iso_time(entry.created_ms)
    children = ctx.state.store.children(repo, path)
    return {
        "repo": repo,
        "path": f"/{path}",
        "created": stamp,
        "createdBy": entry.created_by,
        "lastModified": stamp,
        "modifiedBy": entry.created_by,
        "lastUpdated": stamp,
        "children": [{"uri": f"/{name}", "folder": folder} for name, folder in children],
        "uri": f"{ctx.api_base}/api/storage/{repo}/{quote(path)}",
    }


def _sent_checksums(ctx: Ctx) -> dict[str, str]:
    sent = {algo: ctx.headers.get(header, "").strip().lower() for algo, header in _ALGOS}
    return {algo: value for algo, value in sent.items() if value}


def _created(ctx: Ctx, repo: str, path: str, entry: FileEntry) -> Response:
    info = file_info(ctx, repo, path, entry, storage=False)
    # A header is ASCII: the Location is always percent-encoded, whatever the JSON says.
    headers = {**_JSON, "Location": f"{ctx.api_base}/{repo}/{quote(path)}"}
    return Response(201, headers, pretty_json(info))


def deploy(ctx: Ctx) -> Response:
    repo, path = _target(ctx)
    who = ctx.require_write(f"deploy artifact '{repo}:{path}'")
    store = ctx.state.store
    store.check_repo(repo)
    if ctx.trailing_slash or not path:
        folder = store.make_folder(repo, path, user=who.name)
        return Response(201, dict(_JSON), pretty_json(folder_info(ctx, repo, path, folder)))
    sent = _sent_checksums(ctx)
    upload = store.blobs.receive(ctx.body.chunks())
    for algo, value in sent.items():
        actual = getattr(upload.blob, algo)
        if actual != value:
            store.blobs.discard(upload)
            raise ApiError(
                409,
                f"Checksum error for '{repo}:{path}': "
                f"received '{value}' but actually was '{actual}'",
            )
    entry = store.put(repo, path, upload, user=who.name, original=sent, properties=dict(ctx.matrix))
    return _created(ctx, repo, path, entry)


def checksum_deploy(ctx: Ctx) -> Response:
    repo, path = _target(ctx)
    who = ctx.require_write(f"deploy artifact '{repo}:{path}'")
    store = ctx.state.store
    store.check_repo(repo)
    ctx.body.drain()  # no body is expected; tolerate one
    sent = _sent_checksums(ctx)
    if "sha256" in sent:
        blob, label, value = store.find_blob(sha256=sent["sha256"]), "SHA-256", sent["sha256"]
    elif "sha1" in sent:
        blob, label, value = store.find_blob(sha1=sent["sha1"]), "SHA-1", sent["sha1"]
    else:
        raise ApiError(
            400, "Checksum deploy requires an X-Checksum-Sha256 or X-Checksum-Sha1 header"
        )
    if blob is None or any(getattr(blob, algo) != v for algo, v in sent.items()):
        raise ApiError(404, f"Checksum deploy failed. No existing file with {label}: {value}")
    entry = store.link(repo, path, blob, user=who.name, original=sent, properties=dict(ctx.matrix))
    return _created(ctx, repo, path, entry)


def _listing(ctx: Ctx, repo: str, path: str) -> Response:
    """Artifactory answers GET on a folder with a simple HTML index."""
    rows = []
    for name, folder in ctx.state.store.children(repo, path):
        shown = name + ("/" if folder else "")
        rows.append(f'<a href="{quote(shown)}">{html.escape(shown)}</a>')
    title = html.escape(f"{repo}/{path}")
    page = f"<html><body><h1>Index of {title}</h1><pre>{chr(10).join(rows)}</pre></body></html>"
    return Response(200, {"Content-Type": "text/html; charset=utf-8"}, page.encode())


def download(ctx: Ctx) -> Response:
    repo, path = _target(ctx)
    ctx.require_read()
    store = ctx.state.store
    store.check_repo(repo)
    opened = store.open(repo, path)
    if opened is None:
        if isinstance(store.get(repo, path), FolderEntry):
            return _listing(ctx, repo, path)
        raise ApiError(404, "File not found.")
    entry, file = opened
    blob = entry.blob
    try:
        span = parse_range(ctx.headers.get("Range"), blob.size)
    except ApiError:
        file.close()
        raise
    quoted = quote(path.rsplit("/", 1)[-1])
    headers = {
        "Content-Type": mime_type(path),
        "X-Checksum-Sha256": blob.sha256,
        "X-Checksum-Sha1": blob.sha1,
        "X-Checksum-Md5": blob.md5,
        "ETag": blob.sha1,
        "Last-Modified": formatdate(entry.created_ms / 1000, usegmt=True),
        "Accept-Ranges": "bytes",
        "X-Artifactory-Filename": quoted,
        "Content-Disposition": f"attachment; filename=\"{quoted}\"; filename*=UTF-8''{quoted}",
    }
    if span is None:
        return Response(200, headers, FileBody(file, 0, blob.size), counts_as_download=True)
    first, last = span
    headers["Content-Range"] = f"bytes {first}-{last}/{blob.size}"
    return Response(206, headers, FileBody(file, first, last - first + 1), counts_as_download=True)


def delete(ctx: Ctx) -> Response:
    repo, path = _target(ctx)
    ctx.require_write(f"delete artifact '{repo}:{path}'")
    ctx.state.store.check_repo(repo)
    if not ctx.state.store.delete(repo, path):
        raise ApiError(404, f"Could not locate artifact '{repo}:{path}'.")
    ctx.state.ml.forget(repo, path)  # a version whose folder went is no longer published
    return Response(204)

"""HTTP handlers of the multipart upload API and of the object store it hands URLs of.

See `emulator.uploads` for the shapes. With multipart upload off (`--no-multipart`,
`Emulator(multipart=False)`, `emu.uploads.enabled = False`) the emulator answers as an
Artifactory without it: 404 on every route, and a checksum deploy carrying
`X-Checksum-Deploy-Token` is an ordinary checksum deploy.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote
from xml.sax.saxutils import escape

from . import files
from .context import Ctx
from .errors import ApiError, pretty_json
from .http_io import Response
from .storage import clean_path
from .uploads import ObjectStoreError, Uploads

__all__ = [
    "abort",
    "complete",
    "config",
    "create",
    "object_put",
    "object_route",
    "route",
    "status",
    "token_deploy",
    "url_part",
    "wants_token_deploy",
]

_JSON = {"Content-Type": "application/json"}


def _uploads(ctx: Ctx) -> Uploads:
    uploads = ctx.state.uploads
    if uploads is None or not uploads.enabled:
        raise ApiError(404, f"Not found: {ctx.target.partition('?')[0]}")
    return uploads


def _query(ctx: Ctx, name: str) -> str:
    values = ctx.query.get(name)
    if not values or not values[-1].strip():
        raise ApiError(400, f"Missing query parameter '{name}'")
    return values[-1].strip()


def _json(status: int, value: object) -> Response:
    return Response(status, dict(_JSON), pretty_json(value))


def config(ctx: Ctx) -> Response:
    uploads = _uploads(ctx)
    ctx.require_user()
    return _json(200, uploads.config())


def create(ctx: Ctx) -> Response:
    uploads = _uploads(ctx)
    repo = _query(ctx, "repoKey")
    path = clean_path(_query(ctx, "repoPath"))
    try:
        part_size_mb = int(_query(ctx, "partSizeMB"))
    except ValueError:
        raise ApiError(400, "partSizeMB must be a whole number") from None
    who = ctx.require_write(f"deploy artifact '{repo}:{path}'")
    ctx.state.store.check_repo(repo)
    if not path:
        raise ApiError(400, "repoPath must name a file")
    # Never logged, as JFrog's client never logs it: the answer holds a credential.
    return _json(200, {"token": uploads.create(repo, path, part_size_mb, who.name)})


def url_part(ctx: Ctx) -> Response:
    uploads = _uploads(ctx)
    try:
        number = int(_query(ctx, "partNumber"))
    except ValueError:
        raise ApiError(400, "partNumber must be a whole number") from None
    url = uploads.url_part(ctx.headers.get("Authorization"), number, ctx.origin)
    return _json(200, {"url": url})


def complete(ctx: Ctx) -> Response:
    uploads = _uploads(ctx)
    uploads.complete(ctx.headers.get("Authorization"), _query(ctx, "sha1"))
    return Response(202)


def status(ctx: Ctx) -> Response:
    uploads = _uploads(ctx)
    return _json(200, uploads.status(ctx.headers.get("Authorization")))


def abort(ctx: Ctx) -> Response:
    uploads = _uploads(ctx)
    uploads.abort(ctx.headers.get("Authorization"))
    return Response(204)


def _xml_error(exc: ObjectStoreError) -> Response:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(exc.code)}</Code><Message>{escape(exc.message)}</Message></Error>"
    )
    return Response(exc.status, {"Content-Type": "application/xml"}, body.encode())


def object_put(ctx: Ctx) -> Response:
    """`PUT /objectstore/{upload}/{part}?X-Amz-...`: one part, to a pre-signed URL."""
    uploads = _uploads(ctx)
    if len(ctx.segments) != 3:
        return _xml_error(ObjectStoreError(404, "NoSuchKey", "The specified key does not exist"))
    if ctx.method != "PUT":
        return _xml_error(
            ObjectStoreError(405, "MethodNotAllowed", "The specified method is not allowed")
        )
    try:
        receipt = uploads.put_part(
            ctx.segments[1],
            ctx.segments[2],
            ctx.query,
            authorization=ctx.headers.get("Authorization"),
            content_md5=ctx.headers.get("Content-MD5"),
            chunks=ctx.body.chunks(),
        )
    except ObjectStoreError as exc:
        return _xml_error(exc)
    return Response(200, {"ETag": f'"{receipt.md5}"'})


def wants_token_deploy(ctx: Ctx) -> bool:
    uploads = ctx.state.uploads
    return (
        uploads is not None
        and uploads.enabled
        and bool(ctx.headers.get("X-Checksum-Deploy-Token", "").strip())
    )


def token_deploy(ctx: Ctx) -> Response:
    """The checksum deploy that places a merged multipart upload at its path."""
    uploads = _uploads(ctx)
    repo, path = ctx.segments[1], clean_path("/".join(ctx.segments[2:]))
    who = ctx.require_write(f"deploy artifact '{repo}:{path}'")
    store = ctx.state.store
    store.check_repo(repo)
    ctx.body.drain()
    token = ctx.headers.get("X-Checksum-Deploy-Token", "")
    merged, sha256, _ = uploads.take_merged(token, repo, path)
    sent = {
        algo: value
        for algo, header in (("sha256", "X-Checksum-Sha256"), ("sha1", "X-Checksum-Sha1"))
        if (value := ctx.headers.get(header, "").strip().lower())
    }
    try:
        if merged is None:  # placed already by this token: a repeated request
            blob = store.find_blob(sha256=sha256)
            if blob is None:
                raise ApiError(404, "Checksum deploy failed. Unknown or expired checksum token")
        else:
            blob = merged.blob
        for algo, value in sent.items():
            if getattr(blob, algo) != value:
                raise ApiError(
                    409,
                    f"Checksum error for '{repo}:{path}': "
                    f"received '{value}' but actually was '{getattr(blob, algo)}'",
                )
    except BaseException:
        if merged is not None:
            uploads.give_back(token, merged)
        raise
    if merged is None:
        entry = store.link(
            repo, path, blob, user=who.name, original=sent, properties=dict(ctx.matrix)
        )
    else:  # on failure (a folder at the path) the merged file is discarded
        entry = store.put(
            repo, path, merged, user=who.name, original=sent, properties=dict(ctx.matrix)
        )
    info = files.file_info(ctx, repo, path, entry, storage=False)
    headers = {**_JSON, "Location": f"{ctx.api_base}/{repo}/{quote(path)}"}
    return Response(201, headers, pretty_json(info))


_ROUTES = {
    "config": ("multipart_config", config, ("GET", "POST")),
    "create": ("multipart_create", create, ("POST",)),
    "urlPart": ("multipart_url_part", url_part, ("POST",)),
    "complete": ("multipart_complete", complete, ("POST",)),
    "status": ("multipart_status", status, ("POST",)),
    "abort": ("multipart_abort", abort, ("POST",)),
}


def _not_found(ctx: Ctx) -> Response:
    raise ApiError(404, f"Not found: {ctx.target.partition('?')[0]}")


def _not_allowed(ctx: Ctx) -> Response:
    raise ApiError(405, f"Method {ctx.method} is not allowed here")


def route(ctx: Ctx, rest: list[str]) -> tuple[str, Callable[[Ctx], Response]]:
    """`rest`: the segments after `/artifactory/api/v1/uploads`; counter kind and handler.
    Off, every route answers 404, as on a server without the feature."""
    uploads = ctx.state.uploads
    found = _ROUTES.get(rest[0]) if len(rest) == 1 else None
    if uploads is None or not uploads.enabled or found is None:
        return "other", _not_found
    kind, handler, methods = found
    return (kind, handler) if ctx.method in methods else ("other", _not_allowed)


def object_route(ctx: Ctx) -> tuple[str, Callable[[Ctx], Response]]:
    """`/objectstore/...`: the object store's pre-signed part URLs."""
    uploads = ctx.state.uploads
    if uploads is None or not uploads.enabled:
        return "other", _not_found
    return "multipart_part", object_put

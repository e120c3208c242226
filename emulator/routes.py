"""Which handler answers a request, and under which counter kind it is counted."""

from __future__ import annotations

from collections.abc import Callable

from . import api, aql, files, storage_api, uploads_api
from .context import Ctx
from .errors import ApiError
from .http_io import Response

__all__ = ["Handler", "resolve"]

Handler = Callable[[Ctx], Response]


def _not_found(ctx: Ctx) -> Response:
    raise ApiError(404, f"Not found: {ctx.target.partition('?')[0]}")


def _not_allowed(ctx: Ctx) -> Response:
    raise ApiError(405, f"Method {ctx.method} is not allowed here")


def _ml(method: str, rest: list[str]) -> tuple[str, Handler]:
    if len(rest) >= 4 and rest[2] == "entity-manifest":
        if method == "PUT":
            return "commit", api.commit
        if method == "GET":
            return "manifest", api.manifest
        return "other", _not_allowed
    if len(rest) >= 3 and "start-transaction" in rest[2:]:
        return (
            ("start_transaction", api.start_transaction)
            if method == "POST"
            else ("other", _not_allowed)
        )
    return "other", _not_found


def _storage(ctx: Ctx) -> tuple[str, Handler]:
    method, query = ctx.method, ctx.query
    kind = "list" if "list" in query else "properties" if "properties" in query else "storage"
    if method == "GET":
        return kind, storage_api.storage_get
    if method == "PUT":
        return "set_properties", storage_api.storage_put
    if method == "DELETE":
        return "delete_properties", storage_api.storage_delete
    return "other", _not_allowed


def _files(ctx: Ctx) -> tuple[str, Handler]:
    method = ctx.method
    if method == "PUT":
        if ctx.headers.get("X-Checksum-Deploy", "").strip().lower() == "true":
            if uploads_api.wants_token_deploy(ctx):
                return "multipart_deploy", uploads_api.token_deploy
            return "checksum_deploy", files.checksum_deploy
        return "deploy", files.deploy
    if method == "GET":
        return "download", files.download
    if method == "HEAD":
        return "head", files.download
    if method == "DELETE":
        return "delete", files.delete
    return "other", _not_allowed


def _api(ctx: Ctx, rest: list[str]) -> tuple[str, Handler]:
    if rest[:2] == ["system", "ping"] and len(rest) == 2:
        return "ping", api.ping
    if rest[:2] == ["system", "version"] and len(rest) == 2:
        return "version", api.version
    if rest[:1] == ["repositories"] and len(rest) <= 2:
        return "repositories", api.repositories
    if rest[:1] == ["storage"] and len(rest) >= 2:
        return _storage(ctx)
    if rest[:1] == ["machinelearning"]:
        return _ml(ctx.method, rest[1:])
    if rest[:2] == ["v1", "uploads"]:
        return uploads_api.route(ctx, rest[2:])
    if rest == ["search", "aql"]:
        return ("aql", aql.search) if ctx.method == "POST" else ("other", _not_allowed)
    return "other", _not_found


def resolve(ctx: Ctx) -> tuple[str, Handler]:
    segments = ctx.segments
    if segments == ["access", "api", "v1", "tokens"]:
        return ("token", api.create_token) if ctx.method == "POST" else ("other", _not_allowed)
    if segments[:1] == ["objectstore"]:
        return uploads_api.object_route(ctx)
    if segments[:1] != ["artifactory"] or len(segments) < 2:
        return "other", _not_found
    if segments[1] == "api":
        return _api(ctx, segments[2:])
    return _files(ctx)

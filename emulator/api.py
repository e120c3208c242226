"""REST APIs other than files: system, repositories, access tokens, machine learning."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs

import msgspec

from .context import Ctx
from .errors import ApiError, pretty_json
from .http_io import Response
from .manifest import kind_of
from .ml import validate_name
from .multipart import MultipartError, parse_multipart

__all__ = [
    "commit",
    "create_token",
    "manifest",
    "ping",
    "repositories",
    "start_transaction",
    "version",
]

_JSON = {"Content-Type": "application/json"}
_TEXT = {"Content-Type": "text/plain"}


def ping(ctx: Ctx) -> Response:
    return Response(200, dict(_TEXT), b"OK")


def version(ctx: Ctx) -> Response:
    ctx.require_read()
    body = {
        "version": ctx.state.version,
        "revision": "80400900",
        "addons": ["machinelearning"],
        "license": "emulator",
    }
    return Response(200, dict(_JSON), pretty_json(body))


def _text(status: int, message: str) -> Response:
    return Response(status, dict(_TEXT), message.encode())


def repositories(ctx: Ctx) -> Response:
    store = ctx.state.store
    key = ctx.segments[3] if len(ctx.segments) > 3 else None
    if ctx.method == "GET":
        ctx.require_read()
        if key is None:
            return Response(200, dict(_JSON), pretty_json(_listing(ctx)))
        config = store.repo_config(key)
        if config is None:
            raise ApiError(400, f"Bad Request: repository '{key}' does not exist")
        return Response(200, dict(_JSON), pretty_json({"key": key, **config}))
    if key is None:
        raise ApiError(405, "Method not allowed")
    ctx.require_write(f"manage repository '{key}'")
    if ctx.method == "DELETE":
        if not store.delete_repo(key):
            return _text(404, f"Repository '{key}' does not exist")
        return _text(200, f"Repository '{key}' and all its content have been removed successfully.")
    try:
        config = msgspec.json.decode(ctx.body.read_all(1 << 20))
    except msgspec.DecodeError:
        return _text(400, "Invalid JSON body")
    if not isinstance(config, dict):
        return _text(400, "Invalid JSON body: expected an object")
    if not store.create_repo(key, {k: v for k, v in config.items() if k != "key"}):
        return _text(400, "Case insensitive repository key already exists")
    return _text(200, f"Successfully created repository '{key}'")


def _listing(ctx: Ctx) -> list[dict[str, object]]:
    """`GET /api/repositories[?type=local|remote|virtual|federated][&packageType=...]`:
    Artifactory's "Get Repositories"; both filters ignore case, as Artifactory does."""
    store = ctx.state.store
    wanted = {
        name: ctx.query[name][-1].lower() for name in ("type", "packageType") if ctx.query.get(name)
    }
    listing: list[dict[str, object]] = []
    for k in store.repo_keys():
        config = store.repo_config(k) or {}
        entry: dict[str, object] = {
            "key": k,
            "type": str(config.get("rclass", "local")).upper(),
            "packageType": str(config.get("packageType", "machinelearning")),
            "url": f"{ctx.api_base}/{k}",
        }
        if config.get("description"):
            entry["description"] = str(config["description"])
        if all(str(entry[name]).lower() == value for name, value in wanted.items()):
            listing.append(entry)
    return listing


def create_token(ctx: Ctx) -> Response:
    who = ctx.require_user()
    raw = ctx.body.read_all(1 << 20)
    request: dict[str, object] = {}
    if raw.strip():
        try:
            decoded = msgspec.json.decode(raw)
            request = decoded if isinstance(decoded, dict) else {}
        except msgspec.DecodeError:  # a form body, which the Access API accepts too
            request = {k: v[-1] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
    expires = request.get("expires_in", 31536000)
    body = {
        "token_id": str(uuid.uuid4()),
        "access_token": ctx.state.auth.issue_token(who),
        "expires_in": int(expires)
        if isinstance(expires, (int, str)) and str(expires).isdigit()
        else 31536000,
        "scope": str(request.get("scope", "applied-permissions/user")),
        "token_type": "Bearer",
    }
    return Response(200, dict(_JSON), pretty_json(body))


def _entity(parts: list[str]) -> str:
    if len(parts) not in (1, 2):
        raise ApiError(400, "An entity is 'name' or 'namespace/name'")
    for what, value in zip(("namespace", "name")[-len(parts) :], parts, strict=True):
        validate_name(value, what)
    return "/".join(parts)


def start_transaction(ctx: Ctx) -> Response:
    repo, type_, rest = ctx.segments[3], ctx.segments[4], ctx.segments[5:]
    ctx.require_write(f"deploy to '{repo}'")
    kind = kind_of(type_)
    at = rest.index("start-transaction")
    entity, tail = _entity(rest[:at]), rest[at + 1 :]
    if len(tail) > 1:
        raise ApiError(400, "Expected start-transaction[/{version}]")
    answer = ctx.state.ml.start(repo, kind, entity, tail[0] if tail else None)
    return Response(200, dict(_JSON), pretty_json(answer))


def commit(ctx: Ctx) -> Response:
    repo = ctx.segments[3]
    who = ctx.require_write(f"deploy to '{repo}'")
    kind, after = kind_of(ctx.segments[4]), ctx.segments[6:]
    if len(after) < 3:
        raise ApiError(400, "Expected entity-manifest/{entity}/{version}/{transactionId}")
    entity, version_, txid = _entity(after[:-2]), after[-2], after[-1]
    validate_name(version_, "version")
    try:
        parts = parse_multipart(ctx.body.read_all(), ctx.headers.get("Content-Type", ""))
    except MultipartError as exc:
        raise ApiError(400, f"Invalid multipart body: {exc}") from None
    if kind.part not in parts:
        raise ApiError(400, f"Missing multipart part '{kind.part}'")
    extra = parts["additionalData"].data if "additionalData" in parts else b"null"
    ml = ctx.state.ml
    ml.commit(
        repo,
        kind,
        entity,
        version_,
        txid,
        manifest_data=parts[kind.part].data,
        additional_data=extra,
        user=who.name,
    )
    body = ml.read(repo, kind, entity, version_, repo_url=f"{ctx.api_base}/{repo}")
    return Response(201, dict(_JSON), body)


def manifest(ctx: Ctx) -> Response:
    repo = ctx.segments[3]
    ctx.require_read()
    kind, after = kind_of(ctx.segments[4]), ctx.segments[6:]
    if len(after) < 2:
        raise ApiError(400, "Expected entity-manifest/{entity}/{version}")
    entity, version_ = _entity(after[:-1]), after[-1]
    body = ctx.state.ml.read(repo, kind, entity, version_, repo_url=f"{ctx.api_base}/{repo}")
    return Response(200, dict(_JSON), body)

"""`/api/storage/{repo}/{path}`: item info, file lists, properties."""

from __future__ import annotations

from urllib.parse import quote

from .context import Ctx
from .errors import ApiError, iso_time, now_ms, pretty_json
from .files import file_info, folder_info
from .http_io import Response
from .storage import FileEntry, Properties, clean_path

__all__ = ["parse_properties", "storage_delete", "storage_get", "storage_put"]

_JSON = {"Content-Type": "application/json"}


def _target(ctx: Ctx) -> tuple[str, str]:
    if len(ctx.segments) < 4:
        raise ApiError(400, "Expected /api/storage/{repo}/{path}")
    return ctx.segments[3], clean_path("/".join(ctx.segments[4:]))


def _split_escaped(text: str, sep: str) -> list[str]:
    """Split on `sep` unless escaped with a backslash (escapes are kept for `_unescape`)."""
    parts, current, escaped = [], "", False
    for char in text:
        if escaped:
            current, escaped = current + "\\" + char, False
        elif char == "\\":
            escaped = True
        elif char == sep:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _unescape(text: str) -> str:
    out, escaped = "", False
    for char in text:
        if char == "\\" and not escaped:
            escaped = True
            continue
        out, escaped = out + char, False
    return out


def parse_properties(spec: str) -> Properties:
    """`k=v1,v2;k2=v3` -> {"k": ["v1", "v2"], "k2": ["v3"]}; `\\` escapes `;`, `,`, `=`."""
    props: Properties = {}
    for item in _split_escaped(spec, ";"):
        key, sep, values = item.partition("=")
        if not key.strip():
            continue
        if not sep:
            raise ApiError(400, f"Invalid property '{item}': expected key=value")
        found = [_unescape(v) for v in _split_escaped(values, ",")]
        props.setdefault(_unescape(key.strip()), []).extend(found)
    return props


def storage_get(ctx: Ctx) -> Response:
    repo, path = _target(ctx)
    if "list" in ctx.query:
        ctx.require_user()
    else:
        ctx.require_read()
    store = ctx.state.store
    store.check_repo(repo)
    entry = store.get(repo, path)
    if entry is None:
        raise ApiError(404, "Unable to find item")
    if "properties" in ctx.query:
        return _properties(ctx, repo, path, entry.properties)
    if "list" in ctx.query:
        if isinstance(entry, FileEntry):
            raise ApiError(400, f"Expected a folder but found a file: '{repo}:{path}'")
        return _file_list(ctx, repo, path)
    if isinstance(entry, FileEntry):
        return Response(
            200, dict(_JSON), pretty_json(file_info(ctx, repo, path, entry, storage=True))
        )
    return Response(200, dict(_JSON), pretty_json(folder_info(ctx, repo, path, entry)))


def _properties(ctx: Ctx, repo: str, path: str, props: Properties) -> Response:
    wanted = [n for spec in ctx.query["properties"] for n in spec.split(",") if n]
    chosen = {k: list(v) for k, v in props.items() if not wanted or k in wanted}
    if not chosen:
        raise ApiError(404, "No properties could be found.")
    body = {"uri": f"{ctx.api_base}/api/storage/{repo}/{quote(path)}", "properties": chosen}
    return Response(200, dict(_JSON), pretty_json(body))


def _file_list(ctx: Ctx, repo: str, path: str) -> Response:
    deep, with_folders = ctx.flag("deep"), ctx.flag("listFolders")
    files: list[dict[str, object]] = []
    for rel, entry in ctx.state.store.walk(repo, path, deep=deep):
        stamp = iso_time(entry.created_ms)
        if isinstance(entry, FileEntry):
            files.append(
                {
                    "uri": f"/{rel}",
                    "size": entry.blob.size,
                    "lastModified": stamp,
                    "folder": False,
                    "sha1": entry.blob.sha1,
                    "sha2": entry.blob.sha256,
                }
            )
        elif with_folders:
            files.append({"uri": f"/{rel}", "size": -1, "lastModified": stamp, "folder": True})
    body = {
        "uri": f"{ctx.api_base}/api/storage/{repo}/{quote(path)}",
        "created": iso_time(now_ms()),
        "files": files,
    }
    return Response(200, dict(_JSON), pretty_json(body))


def storage_put(ctx: Ctx) -> Response:
    repo, path = _target(ctx)
    ctx.require_write(f"annotate '{repo}:{path}'")
    ctx.state.store.check_repo(repo)
    if "properties" not in ctx.query:
        raise ApiError(400, "Expected ?properties=key=value")
    props = parse_properties(ctx.query["properties"][-1])
    if not ctx.state.store.set_properties(repo, path, props, recursive=ctx.flag("recursive", True)):
        raise ApiError(404, "Unable to find item")
    return Response(204)


def storage_delete(ctx: Ctx) -> Response:
    repo, path = _target(ctx)
    ctx.require_write(f"annotate '{repo}:{path}'")
    ctx.state.store.check_repo(repo)
    names = [n for n in ",".join(ctx.query.get("properties", [])).split(",") if n]
    if not names:
        raise ApiError(400, "Expected ?properties=key1,key2")
    if not ctx.state.store.delete_properties(
        repo, path, names, recursive=ctx.flag("recursive", True)
    ):
        raise ApiError(404, "Unable to find item")
    return Response(204)

"""`POST /api/search/aql`: the part of Artifactory Query Language frogml sends.

Supported: `items.find(<criteria>)` with `repo`, `path`, `name` and `type` criteria
(a plain value, `$eq`, `$ne`, `$match`, `$nmatch`; `*` and `?` wildcards), `$and` and
`$or`, followed by `.include(...)` (ignored: every field is returned). As in
Artifactory, a criterion without `type` finds files only, and only an authenticated
user may search.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from typing import Any

import msgspec

from .context import Ctx
from .errors import ApiError, iso_time, pretty_json
from .http_io import Response
from .storage import Entry, FileEntry

__all__ = ["search"]

_FIND = re.compile(r"^\s*items\.find\((?P<criteria>.*?)\)(?:\s*\.\s*include\(.*\))?\s*$", re.S)


def search(ctx: Ctx) -> Response:
    ctx.require_user()
    match = _FIND.match(ctx.body.read_all(1 << 20).decode("utf-8", "replace"))
    if match is None:
        raise ApiError(400, "Failed to parse query: only items.find(...) is supported")
    try:
        criteria = msgspec.json.decode(match["criteria"]) if match["criteria"].strip() else {}
    except msgspec.DecodeError as exc:
        raise ApiError(400, f"Failed to parse query: {exc}") from None
    if not isinstance(criteria, dict):
        raise ApiError(400, "Failed to parse query: criteria must be an object")
    results = list(_found(ctx, criteria))
    body = {
        "results": results,
        "range": {"start_pos": 0, "end_pos": len(results), "total": len(results)},
    }
    return Response(200, {"Content-Type": "application/json"}, pretty_json(body))


def _found(ctx: Ctx, criteria: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The items that match, in each repository's depth-first order. Only the named
    repository is walked when the criteria name one, and an item's size and dates are
    looked up only once it matched: a listing of a repository holding 100,000s of
    files costs the walk, not a full record per file."""
    store = ctx.state.store
    repo_keys = list(store.repo_keys())
    named = criteria.get("repo")
    if isinstance(named, str):
        repo_keys = [key for key in repo_keys if key == named]
    early = not _DETAILS.isdisjoint(_keys(criteria))  # a criterion on them: look them up first
    for repo in repo_keys:
        for rel, entry in store.walk(repo, "", deep=True):
            parent, _, name = rel.rpartition("/")
            is_file = isinstance(entry, FileEntry)
            item: dict[str, Any] = {
                "repo": repo,
                "path": parent or ".",
                "name": name,
                "type": "file" if is_file else "folder",
            }
            if early:
                _add_details(item, entry)
            if not _matches(criteria, item, typed=False):
                continue
            if not early:
                _add_details(item, entry)
            yield item


_DETAILS = frozenset({"size", "created", "modified"})


def _add_details(item: dict[str, Any], entry: Entry) -> None:
    item["size"] = entry.blob.size if isinstance(entry, FileEntry) else 0
    item["created"] = item["modified"] = iso_time(entry.created_ms)


def _keys(criteria: object) -> set[str]:
    """Every field a criterion names, at any depth of ``$and``/``$or``."""
    if isinstance(criteria, list):
        return set().union(*(_keys(c) for c in criteria))
    if not isinstance(criteria, dict):
        return set()
    return set(criteria).union(*(_keys(v) for v in criteria.values()))


def _matches(criteria: dict[str, Any], item: dict[str, Any], *, typed: bool) -> bool:
    typed = typed or "type" in criteria
    for key, wanted in criteria.items():
        if key == "$or":
            if not any(_matches(sub, item, typed=typed) for sub in _list(wanted)):
                return False
        elif key == "$and":
            if not all(_matches(sub, item, typed=typed) for sub in _list(wanted)):
                return False
        elif key == "type":
            if wanted != "any" and item["type"] != wanted:
                return False
        elif not _field(item.get(key), wanted):
            return False
    has_or = "$or" in criteria
    return typed or has_or or item["type"] == "file"


def _list(value: object) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ApiError(400, "Failed to parse query: $or/$and take a list of objects")
    return value


def _field(actual: object, wanted: object) -> bool:
    if not isinstance(wanted, dict):
        return actual == wanted
    return all(_operator(actual, op, value) for op, value in wanted.items())


def _operator(actual: object, operator: str, value: object) -> bool:
    if operator == "$eq":
        return actual == value
    if operator == "$ne":
        return actual != value
    if operator in ("$match", "$nmatch"):
        matched = fnmatch.fnmatchcase(str(actual), str(value))
        return matched if operator == "$match" else not matched
    raise ApiError(400, f"Failed to parse query: unsupported operator {operator}")

"""`/_emulator/...`: drive a running emulator from another process.

    GET    /_emulator/counters          -> CountersSnapshot JSON
    DELETE /_emulator/counters          -> 204, counters reset
    GET    /_emulator/faults            -> [FaultRule, ...] still armed
    POST   /_emulator/faults            body: FaultRule JSON -> 201, the armed rule (with id)
    DELETE /_emulator/faults            -> 204, all rules removed
    PUT    /_emulator/repos/{name}      -> 201 (200 if it already existed)
    POST   /_emulator/tokens            body: {"token": str, "user": str|null, "can_write": bool}
                                        -> 201

No authentication, no faults, no counters: this is the test harness's own channel.
"""

from __future__ import annotations

import re

import msgspec

from .context import State
from .errors import ApiError, pretty_json
from .faults import FaultRule
from .http_io import Response

__all__ = ["control"]

_JSON = {"Content-Type": "application/json"}


class _TokenRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    token: str
    user: str | None = None
    can_write: bool = True


def _decode(body: bytes, type_: type[msgspec.Struct]) -> msgspec.Struct:
    try:
        return msgspec.json.decode(body, type=type_)
    except msgspec.DecodeError as exc:
        raise ApiError(400, f"Invalid control request: {exc}") from None


def control(state: State, method: str, segments: list[str], body: bytes) -> Response:
    """`segments` start after `_emulator`."""
    what = segments[0] if segments else ""
    if what == "counters" and method == "GET":
        return Response(200, dict(_JSON), pretty_json(state.counters.snapshot()))
    if what == "counters" and method == "DELETE":
        state.counters.reset()
        return Response(204)
    if what == "faults" and method == "GET":
        return Response(200, dict(_JSON), pretty_json(state.faults.rules()))
    if what == "faults" and method == "DELETE":
        state.faults.clear()
        return Response(204)
    if what == "faults" and method == "POST":
        rule = _decode(body, FaultRule)
        assert isinstance(rule, FaultRule)
        try:
            armed = state.faults.add(rule)
        except (ValueError, re.error) as exc:
            raise ApiError(400, f"Invalid fault rule: {exc}") from None
        return Response(201, dict(_JSON), pretty_json(armed))
    if what == "repos" and method == "PUT" and len(segments) == 2:
        created = state.store.create_repo(segments[1])
        return Response(201 if created else 200)
    if what == "tokens" and method == "POST":
        request = _decode(body, _TokenRequest)
        assert isinstance(request, _TokenRequest)
        state.auth.add_token(request.token, user=request.user, can_write=request.can_write)
        return Response(201)
    raise ApiError(404, f"Unknown control endpoint {method} /_emulator/{'/'.join(segments)}")

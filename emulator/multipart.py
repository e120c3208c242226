"""A small multipart/form-data parser (the `cgi` module is gone in Python 3.13).

Commit bodies are two small JSON parts, so the whole body is parsed in memory.
"""

from __future__ import annotations

import re

import msgspec

__all__ = ["MultipartError", "Part", "parse_multipart"]

_BOUNDARY = re.compile(r'boundary=(?:"([^"]+)"|([^;\s]+))', re.IGNORECASE)
_PARAM = re.compile(r';\s*([A-Za-z0-9_*-]+)=(?:"((?:[^"\\]|\\.)*)"|([^;]*))')


class MultipartError(ValueError):
    """The body is not well-formed multipart/form-data."""


class Part(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    filename: str | None
    content_type: str | None
    data: bytes


def _headers(block: bytes) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in block.decode("utf-8", "replace").split("\r\n"):
        key, sep, value = line.partition(":")
        if not sep:
            raise MultipartError(f"malformed part header: {line!r}")
        headers[key.strip().lower()] = value.strip()
    return headers


def _part(raw: bytes) -> Part:
    head, sep, data = raw.partition(b"\r\n\r\n")
    if not sep:
        raise MultipartError("part without a blank line after its headers")
    headers = _headers(head)
    disposition = headers.get("content-disposition", "")
    if not disposition.lower().startswith("form-data"):
        raise MultipartError("part is not form-data")
    params = {
        m[1].lower(): m[2] if m[2] is not None else m[3].strip()
        for m in _PARAM.finditer(disposition)
    }
    if "name" not in params:
        raise MultipartError("part without a name")
    return Part(
        name=params["name"],
        filename=params.get("filename"),
        content_type=headers.get("content-type"),
        data=data,
    )


def parse_multipart(body: bytes, content_type: str) -> dict[str, Part]:
    """Parts by name (a repeated name keeps the last one)."""
    match = _BOUNDARY.search(content_type)
    if not content_type.lower().startswith("multipart/form-data") or match is None:
        raise MultipartError("expected multipart/form-data with a boundary")
    delimiter = b"--" + (match[1] or match[2]).encode("latin-1")
    chunks = body.split(delimiter)
    if len(chunks) < 2 or not chunks[-1].startswith(b"--"):
        raise MultipartError("missing boundary or closing delimiter")
    parts: dict[str, Part] = {}
    for chunk in chunks[1:-1]:
        # Each part sits between "<delimiter>\r\n" and "\r\n<next delimiter>".
        if not chunk.startswith(b"\r\n") or not chunk.endswith(b"\r\n"):
            raise MultipartError("part not framed by CRLF")
        part = _part(chunk[2:-2])
        parts[part.name] = part
    return parts

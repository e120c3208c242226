"""The file names, dependency files, code archives and properties the matrix sends, and
which failures of JFrog's client are its known limits rather than frogml's fault."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Literal

from _support import UrlMode

__all__ = [
    "EDGE",
    "FM_CODE",
    "FM_DEPENDENCIES",
    "FM_PROPERTIES",
    "JF_CODE",
    "JF_DEPENDENCIES",
    "JF_PROPERTIES",
    "MODEL_TYPE",
    "PORTABLE",
    "TestName",
    "jfrog_limit",
]


@dataclass(frozen=True)
class TestName:
    """One file of a test version: its relative path, a short label, its size, and a
    content key (files with the same key hold the same bytes)."""

    path: str
    label: str
    size: int = 2048
    same_as: str | None = None


# Names JFrog's client is expected to handle both ways: each version holds all of them.
PORTABLE: tuple[TestName, ...] = (
    TestName("plain.bin", "plain"),
    TestName("empty.bin", "empty file", size=0),
    TestName("big.bin", "3 MiB", size=3 << 20),
    TestName("twin a.bin", "same bytes twice", size=64 << 10, same_as="twin"),
    TestName("twin b.bin", "same bytes twice", size=64 << 10, same_as="twin"),
    TestName("with space.bin", "space"),
    TestName(" lead and trail .bin", "leading/trailing space"),
    TestName("ünïcødé ñ.bin", "unicode"),
    TestName("nfd e\u0301.bin", "NFD unicode"),
    TestName("emoji 🐸.bin", "emoji"),
    TestName("plus+sign.bin", "+"),
    TestName("100% off %zz.bin", "% (not an escape)"),
    TestName("amp&eq=at@comma,.bin", "& = @ ,"),
    TestName("brackets[1]{2}(3).bin", "[] {} ()"),
    TestName("quote'tick`tilde~dollar$caret^pipe|bang!.bin", "' ` ~ $ ^ | !"),
    TestName('lt<gt>"dq"*star.bin', '< > " *'),
    TestName("ratio 3:4.bin", ":"),
    TestName("deep/a b/ç 🐸/+%/x/y/leaf.bin", "deep folders"),
)

# Names that break JFrog's client (protocol page, section 4): each in a version of its own,
# so that one of them cannot hide the outcome of another.
EDGE: tuple[TestName, ...] = (
    TestName("hash#1.bin", "#"),
    TestName("semi;k=v.bin", ";"),
    TestName("ask?x=1.bin", "?"),
    TestName("pct%41.bin", "%XX"),
    TestName("dir #1/sub;k=v/leaf.bin", "# ; in folders"),
)

MODEL_TYPE = {
    "framework": "interop",
    "framework_version": "1.0",
    "serialization_format": "bin",
    "runtime": "python",
    "runtime_version": "3.11",
}

# JFrog's client uploads these; it only takes property values matching its own rule.
JF_DEPENDENCIES: tuple[TestName, ...] = (
    TestName("requirements.txt", "requirements.txt", size=40),
    TestName("conda env+ü.yaml", "conda env+ü.yaml", size=80),
)
JF_CODE = TestName("code archive ü.zip", "code archive ü.zip", size=4096)
JF_PROPERTIES = {"team": "ml-platform", "source": "s3/bucket/train.v2", "scores": "[0.91, 0.87]"}

# frogml uploads these: any text is a property value for Artifactory (section 4).
FM_DEPENDENCIES: tuple[TestName, ...] = (
    TestName("requirements.txt", "requirements.txt", size=40),
    TestName("dep #1;v=2 %41 ü.txt", "dep #1;v=2 %41 ü.txt", size=80),
)
FM_CODE = TestName("code #1;x ü+.zip", "code #1;x ü+.zip", size=4096)
FM_PROPERTIES = {
    "note": "any text: spaces, https://example.com/a?b=c&d=e#frag, user@example.com",
    "equation": "a=b, c=d; e\\f",
    "unicode": "ünïcødé 🐸",
    "empty": "",
    "digest": hashlib.sha256(b"interop").hexdigest(),
}

_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_QUOTES = "it puts the raw relative path in the URL and lets requests quote it"


def jfrog_limit(path: str, op: Literal["upload", "download"], mode: UrlMode) -> str | None:
    """Why JFrog's client cannot ``op`` a file at ``path`` in ``mode``, when that is one of
    its known limits (protocol page §4); None when it should work."""
    reasons: list[str] = []
    if op == "upload":  # the PUT URL is built from the local relative path, in any mode
        if "#" in path:
            reasons.append("`#` starts the URL's fragment: the PUT goes to the name cut there (§4)")
        if ";" in path:
            reasons.append(
                "`;` starts matrix parameters: the file lands at the name cut there (§4)"
            )
        if "?" in path:
            reasons.append(f"`?` starts a query string: the name is cut there ({_QUOTES}, §4)")
        if _ESCAPE.search(path):
            reasons.append(
                f"an existing `%XX` is kept and the server decodes it: another name ({_QUOTES}, §4)"
            )
    elif mode == "raw":  # Artifactory writes download_url raw; an encoded one works
        if re.search(r"[#;?]", path):
            reasons.append(
                "its own check of download_url (`FrogMLStorage.__validate_source_url`) refuses"
                " `?`, `#` and `;`, found raw in Artifactory's URLs (§4): IllegalManifestPathError,"
                " nothing of that version is downloaded"
            )
        if _ESCAPE.search(path):
            reasons.append(
                "it sends a raw download_url's `%XX` as an escape and the server decodes it: 404"
                f" ({_QUOTES}, §4)"
            )
    return "; ".join(reasons) or None

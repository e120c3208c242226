"""`python -m emulator`: a standalone emulator for benchmarks and manual tests.

The first line on stdout is the base URL (`http://127.0.0.1:PORT/artifactory`, or
`https://…` with `--tls-cert` and `--tls-key`); it serves until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from .app import Emulator
from .auth import Anonymous


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument(
        "--token", action="append", default=[], help="accepted access token (repeatable)"
    )
    parser.add_argument("--user", help="user name (with --password)")
    parser.add_argument("--password", help="that user's password")
    parser.add_argument(
        "--anonymous",
        nargs="?",
        const="write",
        choices=["off", "read", "write"],
        help="anonymous access (bare flag: read-write)",
    )
    parser.add_argument("--data", help="directory for blobs (default: a temporary one)")
    parser.add_argument(
        "--repo", action="append", default=[], help="repository to create (default ml-local)"
    )
    parser.add_argument(
        "--url-mode",
        choices=["raw", "encoded"],
        default="raw",
        help="how JSON answers write URLs: raw as Artifactory does (default), or encoded",
    )
    parser.add_argument(
        "--no-manifest-file",
        action="store_true",
        help="keep published manifests out of the repository tree (the other layout)",
    )
    parser.add_argument(
        "--tls-cert", help="serve HTTPS with this PEM certificate (chain); needs --tls-key"
    )
    parser.add_argument("--tls-key", help="the PEM private key of --tls-cert")
    parser.add_argument(
        "--multipart",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="the multipart upload API (/api/v1/uploads, as JFrog Cloud has; default on)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if (args.user is None) != (args.password is None):
        print("--user and --password go together", file=sys.stderr)
        return 2
    if (args.tls_cert is None) != (args.tls_key is None):
        print("--tls-cert and --tls-key go together", file=sys.stderr)
        return 2
    users = {args.user: args.password} if args.user else {}
    anonymous: Anonymous = args.anonymous or "off"
    if not args.token and not users and args.anonymous is None:
        anonymous = "write"
        print("emulator: no credentials configured; anonymous read-write access", file=sys.stderr)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    emulator = Emulator(
        tokens=args.token,
        users=users,
        anonymous=anonymous,
        repos=args.repo or ["ml-local"],
        data_dir=args.data,
        host=args.host,
        port=args.port,
        url_mode=args.url_mode,
        manifest_file=not args.no_manifest_file,
        tls=None if args.tls_cert is None else (args.tls_cert, args.tls_key),
        multipart=args.multipart,
    )
    with emulator:
        print(emulator.url, flush=True)
        stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())

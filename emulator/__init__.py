"""An Artifactory emulator for frogml's tests and benchmarks.

It implements /work/shared/artifactory-ml-protocol.md: file deploy (also by checksum
and chunked), download with ranges, the storage API, access tokens, repositories, and
the four-step machine-learning transaction.

In-process::

    with Emulator(tokens={"tok"}, users={"alice": "pw"}, anonymous="off") as emu:
        emu.url                                   # http://127.0.0.1:PORT/artifactory
        emu.faults.fail("PUT", r"/ml-local/", status=503, retry_after=1)
        emu.counters.snapshot().count("deploy", 201)

HTTPS: ``Emulator(tls=(certfile, keyfile))`` (or an ``ssl.SSLContext``), and
``python -m emulator --tls-cert CERT --tls-key KEY``: then ``emu.url`` starts with https.

Standalone: ``python -m emulator --port 0`` prints the URL as its first line.
Over HTTP (no auth, not counted, not faulted), see `emulator.control`:

    GET    /_emulator/counters          -> {"requests": {...}, "statuses": {...},
                                            "bytes_received": n, "bytes_sent": n}
    DELETE /_emulator/counters          -> 204, counters reset
    GET    /_emulator/faults            -> armed rules
    POST   /_emulator/faults            body {"kind": "fail"|"reset_request"|"reset_response"
                                            |"stall"|"truncate"|"corrupt", "method": "PUT",
                                            "path": "regex", "times": 1, "status": 503,
                                            "retry_after": "2", "message": "...",
                                            "after_bytes": 0, "seconds": 1.5, "offset": 0}
                                        hostile mode (emulator/hostile.py), same body:
                                        "trickle" (after_bytes, then chunk bytes every
                                        seconds), "html" (a 200 sign-in page), "lie" (handle
                                        it, answer status), "deep_manifest" (depth),
                                        "escapes" (in a manifest, else in an error message),
                                        "rewrite_header" (header, value: null drops it)
                                        -> 201 with the armed rule (and its id)
    DELETE /_emulator/faults            -> 204, all rules removed
    PUT    /_emulator/repos/{name}      -> 201 created (200 if it existed)
    POST   /_emulator/tokens            body {"token": "t", "user": null, "can_write": true}

Counter kinds: ping, version, repositories, token, deploy, checksum_deploy, download,
head, delete, storage, list, properties, set_properties, delete_properties,
start_transaction, commit, manifest, other; multipart upload (emulator.uploads, on by
default, `Emulator(multipart=False)` / `--no-multipart` / `emu.uploads.enabled`):
multipart_config, multipart_create, multipart_url_part, multipart_part (the object
store), multipart_complete, multipart_status, multipart_abort, multipart_deploy.
"""

from __future__ import annotations

from .app import Emulator
from .auth import Anonymous
from .counters import Counters, CountersSnapshot
from .faults import FaultKind, FaultRule, Faults

__all__ = [
    "Anonymous",
    "Counters",
    "CountersSnapshot",
    "Emulator",
    "FaultKind",
    "FaultRule",
    "Faults",
]

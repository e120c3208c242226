"""Short reads of 1 MiB blocks reuse memory once the allocator is primed (glibc)."""

from __future__ import annotations

import json
import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    platform.libc_ver()[0] != "glibc" or sys.maxsize < 2**32,
    reason="the dynamic mmap threshold is glibc's, and above 512 KiB only on 64 bits",
)

# A fresh interpreter (pytest's own allocations may have raised the threshold already)
# reads 1 MiB blocks that come back short, as a socket's do when the client is faster
# than the server: os.read allocates the whole block and shrinks it, like read1.
_SHORT_READS = """
import fcntl, json, os, resource, sys
from frogml.adapters.artifactory._buffers import prime
if sys.argv[1] == "primed":
    prime(1 << 20)
read, write = os.pipe()
fcntl.fcntl(write, 1031, 1 << 20)  # F_SETPIPE_SZ: a 1 MiB pipe
piece = os.urandom(768 << 10)
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(64):
    os.write(write, piece)
    assert len(os.read(read, 1 << 20)) == len(piece)
print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before))
"""


def _faults(mode: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", _SHORT_READS, mode], capture_output=True, text=True, check=True
    )
    return int(json.loads(done.stdout))


def test_primed_short_reads_reuse_their_memory() -> None:
    blocks = 64 * (768 << 10) // 4096  # pages the 64 reads fill
    assert _faults("unprimed") > blocks // 2  # each block a fresh mapping: the problem
    assert _faults("primed") < blocks // 10  # the same reads, from reused memory

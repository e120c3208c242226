"""In-memory adapters for tests of frogml and of services that embed it.

They keep the same contracts (and raise the same domain errors) as the real adapters;
the contract tests run the same checks over both.
"""

from adapters.memory.clock import FixedClock, ManualClock
from adapters.memory.filesystem import InMemoryFileSystem, InMemorySourceFile
from adapters.memory.store import InMemoryStore

__all__ = [
    "FixedClock",
    "InMemoryFileSystem",
    "InMemorySourceFile",
    "InMemoryStore",
    "ManualClock",
]

"""In-memory adapters for tests of frogml and of services that embed it.

They keep the same contracts (and raise the same domain errors) as the real adapters;
the contract tests run the same checks over both.
"""

from frogml.adapters.memory.clock import FixedClock, ManualClock
from frogml.adapters.memory.filesystem import InMemoryFileSystem, InMemorySourceFile
from frogml.adapters.memory.store import InMemoryStore

__all__ = [
    "FixedClock",
    "InMemoryFileSystem",
    "InMemorySourceFile",
    "InMemoryStore",
    "ManualClock",
]

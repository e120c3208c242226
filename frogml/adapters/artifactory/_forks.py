"""What a forked child must not share with its parent: each object registered here is
told, in the child, to renew its pooled sockets, threads and locks (a server's worker
forked after the storage was made, as gunicorn's --preload does)."""

from __future__ import annotations

import os
import weakref
from typing import Protocol

__all__ = ["Renewable", "renew_in_children"]


class Renewable(Protocol):
    def _forked(self) -> None:
        """In the child: replace, without touching, what the parent's threads may hold."""
        ...


_RENEWED: weakref.WeakSet[Renewable] = weakref.WeakSet()


def renew_in_children(thing: Renewable) -> None:
    """Have ``thing._forked()`` called in every child forked while ``thing`` lives."""
    _RENEWED.add(thing)


def _after_fork() -> None:
    for thing in list(_RENEWED):
        thing._forked()


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_after_fork)

"""Adapters: one package per technology, each implementing ports of :mod:`frogml.domain.ports`.

Adapters never import each other; only the composition root in :mod:`frogml` names them.
"""

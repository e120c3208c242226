"""frogml's pure core: value objects, rules, ports and use cases.

Nothing in this package performs I/O, reads the environment, starts threads or
reads a clock; adapters do that behind the ports in :mod:`frogml.domain.ports`.
"""

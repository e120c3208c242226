"""The composition root: builds the adapters behind the public API and the CLI.

The only place that names concrete adapters; it does no I/O of its own.
"""

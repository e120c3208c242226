"""The host service's own adapters package: a top-level ``adapters``, beside frogml's."""

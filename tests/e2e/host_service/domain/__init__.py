"""The host service's own domain package: a top-level ``domain``, beside frogml's."""

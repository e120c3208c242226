"""The documentation's ``frogml_storage.authentication`` package path."""

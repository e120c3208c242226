"""JFrog's ``frogml.storage.authentication`` package path."""

"""JFrog's ``frogml.storage.exceptions``: names for frogml's errors that JFrog's users catch."""

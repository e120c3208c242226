"""The import paths of the FrogML Storage documentation (``frogml_storage.frog_ml``, ...),
kept so that its code runs on frogml unchanged: re-exports of frogml's own objects."""

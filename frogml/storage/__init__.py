"""JFrog's ``frogml.storage`` import paths, kept so that code written for JFrog's client
runs on frogml unchanged.

Every module here re-exports frogml's own objects (the same objects, ``is``-identical);
nothing is implemented twice. Only ``frogml.storage`` of JFrog's package is provided.
"""

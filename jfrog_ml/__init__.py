"""The documentation's ``jfrog_ml`` import path: re-exports of frogml's own objects."""

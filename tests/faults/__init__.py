"""The fault campaign: many uploads and downloads against the emulator under random faults.

Each operation ends byte-identical, or (for a permanent fault or a lasting outage) with
a clear FrogMLError that published nothing and left no wrong bytes under a final name;
a failed operation is then run again without faults and must complete, resuming.
See ``tests/faults/RESULTS.md`` for the knobs and the full campaign's figures.
"""

# frogml's tasks. `just check` is what CI runs (plus the README's test command).

py := ".venv/bin/python"

# Create the development environment.
setup:
    python3 -m venv .venv
    {{py}} -m pip install -e ".[dev]"

# Format the code and fix what ruff can (the seed's `make format`).
format:
    {{py}} -m ruff format .
    {{py}} -m ruff check --fix .

alias fmt := format

# Build the sdist and the wheel into dist/ (the seed's `poetry build`).
build:
    {{py}} -m hatchling build -d dist

# Lint: formatting, ruff, mypy --strict, import-linter contracts.
lint:
    {{py}} -m ruff format --check .
    {{py}} -m ruff check .
    {{py}} -m mypy
    {{py}} -m mypy --strict interop
    .venv/bin/lint-imports

# Run the whole test suite.
test *args:
    {{py}} -m pytest {{args}}

# Lint and test.
check: lint test

# Run the benchmarks and print the results table.
bench *args:
    {{py}} benchmarks/run.py {{args}}

# The full fault campaign (tests/faults/RESULTS.md); the test suite runs a smaller one.
faults ops="300" seed=`date +%s` *args:
    FROGML_FAULT_OPS={{ops}} FROGML_FAULT_SEED={{seed}} {{py}} -m pytest -q tests/faults/test_campaign.py -s {{args}}

# Interop with JFrog's own client (PyPI frogml==2.1.152) both ways, both URL modes; downloads it from PyPI.
interop *args:
    {{py}} interop/run.py {{args}}

"""Where JFrog's documentation says the default ``ARTIFACTORY_URL`` is defined.

There is none: without ``ARTIFACTORY_URL`` (or ``--rt_url``) these tests run against
the in-process emulator. The fixtures (``artifactory_target``, ``real_artifactory``,
``emulator_target``) live in ``tests/integration/fixtures.py``, a plugin the root
``tests/conftest.py`` loads, so ``tests/integration`` shares them without a copy.
"""

"""Test-wide settings: property tests judge results, never their wall-clock time; the whole
suite runs on every core, a chosen part in one process."""

import os

import pytest
from hypothesis import settings

# A shared 2-core machine makes example timings noisy; speed is measured by benchmarks/.
settings.register_profile("default", deadline=None)
settings.load_profile("default")


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Workers for ``-n auto``: one per core for the whole suite, none for chosen paths.

    ``python -m pytest`` (the README's command) runs about 1,700 tests, minutes of
    work that two cores halve; ``python -m pytest tests/test_x.py`` runs in this
    process, since starting and filling workers would take longer than the tests.
    """
    if config.args_source is not pytest.Config.ArgsSource.TESTPATHS:
        return 0
    cores = os.cpu_count() or 1
    return cores if cores > 1 else 0

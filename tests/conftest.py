"""Test-wide settings: property tests judge results, never their wall-clock time; the whole
suite runs on every core, a chosen part in one process; the slowest modules start first."""

import os

import pytest
from hypothesis import settings

# A shared 2-core machine makes example timings noisy; speed is measured by benchmarks/.
settings.register_profile("default", deadline=None)
settings.load_profile("default")


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """The whole suite on every core; chosen paths, or ``-n`` given, as asked.

    ``python -m pytest`` (the README's command) runs about 1,900 tests, minutes
    of work that two cores halve. Each worker takes a whole module at a time
    (``loadscope``), so module-scoped builds (the hostile runs, the wheel, the
    browser) happen once. Modules are handed out in the order of
    :func:`pytest_collection_modifyitems` (slowest first), not by their number
    of tests. ``python -m pytest tests/test_x.py`` stays in this
    process: starting workers would take longer than the tests. Without
    pytest-xdist installed the suite simply runs in one process.
    """
    if not config.pluginmanager.hasplugin("xdist") or hasattr(config, "workerinput"):
        return  # no plugin, or this is a worker itself
    if config.option.numprocesses is not None:
        return
    cores = os.cpu_count() or 1
    if config.args_source is pytest.Config.ArgsSource.TESTPATHS and cores > 1:
        config.option.numprocesses = cores
        config.option.dist = "loadscope"
        config.option.loadscopereorder = False


# Folders of tests/ whose modules run longest (real browser, hostile inputs, the whole app).
SLOWEST_FIRST = ("e2e", "hostile", "ui")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The slowest folders first, so that the workers end together.

    Each worker takes a whole module at a time; a browser module that starts
    last keeps one worker busy long after the other has finished, while one
    that starts first runs beside the many short modules. The order within a
    folder is kept.
    """

    def rank(item: pytest.Item) -> int:
        parts = item.path.relative_to(config.rootpath).parts
        if len(parts) > 2 and parts[0] == "tests" and parts[1] in SLOWEST_FIRST:
            return SLOWEST_FIRST.index(parts[1])
        return len(SLOWEST_FIRST)

    items.sort(key=rank)

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


# What runs longest, slowest first: a folder (ending in /) or a module. Each worker takes a
# whole module at a time, so a long module handed out last keeps one worker busy after the
# other has finished; handed out first, it runs beside the many short ones.
SLOWEST_FIRST = (
    # real browser: every session draws the whole dashboard. Two workers take two modules
    # each to start with (the first and third, the second and fourth), so the browser work
    # is split about evenly between them.
    "tests/e2e/test_journeys.py",  # two sessions and five uploads
    "tests/e2e/test_browser.py",  # two sessions, an upload and the CLI
    "tests/e2e/test_link_elsewhere.py",  # two browsers
    "tests/e2e/test_first_screen.py",  # one session at three widths, two tabs
    "tests/e2e/",
    "tests/hostile/",  # every hostile input through the CLI and the app
    "tests/test_sweeps.py",  # every pair of the shipped catalog, both ways
    "tests/test_fast_counting.py",
    "tests/test_tokenstats.py",
    "tests/test_install.py",  # builds and installs the wheel
    "tests/test_samples.py",  # a 200 MB file
    "tests/ui/",  # the whole app, a few seconds a module
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The modules of :data:`SLOWEST_FIRST` first, in its order, so that the workers end together.

    Everything else keeps its collection order, after them.
    """

    def rank(item: pytest.Item) -> int:
        path = item.path.relative_to(config.rootpath).as_posix()
        return next(
            (i for i, slow in enumerate(SLOWEST_FIRST) if path.startswith(slow)),
            len(SLOWEST_FIRST),
        )

    items.sort(key=rank)

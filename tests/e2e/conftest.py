"""One dashboard server and one headless Chromium for all browser tests.

The server is the real ``streamlit run app.py`` on a free local port, started
once per test process, and so is the browser. Each test opens its own tabs
(each a session of its own on the server) with :func:`session`; tests that
only read one page (resize it, download from it) may share a tab for their
module from :func:`module_session`. Opening a session is the slowest step of
a browser test, because the page draws the whole dashboard, charts included;
the tabs share one browser profile, so the dashboard's scripts are compiled
once, not again for every tab. What needs a browser that has never seen the
dashboard (a share link opened elsewhere) asks :func:`elsewhere` for one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import settle
from browser_options import ARGS, CHROMIUM, free_port

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60
WIDE = {"width": 1440, "height": 1000}
FIRST_RENDER_MS = 120_000  # a new session on a loaded 2-core machine


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
            return reply.status == 200
    except OSError:
        return False


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """``streamlit run app.py`` on a free port, stopped when the test session ends."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                errors = process.stderr.read() if process.stderr else ""
                pytest.fail(f"the dashboard did not start: {errors}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    """Playwright's driver; without Chromium, fail in CI and skip elsewhere."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        message = f"Chromium is not installed at {CHROMIUM}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def profile(playwright: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless Chromium with one profile on disk, shared by every tab it opens."""
    folder = tmp_path_factory.mktemp("chromium-profile")
    context = playwright.chromium.launch_persistent_context(
        folder, executable_path=CHROMIUM, args=ARGS, viewport=WIDE, accept_downloads=True
    )
    yield context
    context.close()


class Sessions:
    """Opens the dashboard in new tabs (new sessions) and closes them all at the end."""

    def __init__(self, profile: Any, server: str) -> None:
        self.profile, self.server, self.pages = profile, server, []

    def __call__(self, query: str = "", viewport: dict[str, int] | None = None) -> Any:
        page = self.profile.new_page()
        self.pages.append(page)
        page.set_viewport_size(viewport or WIDE)
        return _opened(page, f"{self.server}/{query}")

    def close(self) -> None:
        for page in self.pages:
            page.close()


def _opened(page: Any, url: str) -> Any:
    """``page`` at ``url``, once its first run has ended.

    The headline is drawn first and the sidebar's controls after it, so a
    test that starts with a control waits for the whole run, not only for
    the first figure.
    """
    page.set_default_timeout(60_000)
    page.goto(url)
    page.get_by_test_id("stMetricValue").first.wait_for(timeout=FIRST_RENDER_MS)
    settle(page)
    return page


@pytest.fixture
def session(profile: Any, server: str) -> Iterator[Callable[..., Any]]:
    """Opens the dashboard in a new tab (a new session); closed after the test."""
    sessions = Sessions(profile, server)
    yield sessions
    sessions.close()


@pytest.fixture(scope="module")
def module_session(profile: Any, server: str) -> Iterator[Callable[..., Any]]:
    """As :func:`session`, closed after the module: for pages that tests only read."""
    sessions = Sessions(profile, server)
    yield sessions
    sessions.close()


@pytest.fixture
def elsewhere(playwright: Any, server: str) -> Iterator[Callable[[str], Any]]:
    """Opens the dashboard in another browser, one with a profile of its own that is empty."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    context = browser.new_context(viewport=WIDE, accept_downloads=True)
    yield lambda query: _opened(context.new_page(), f"{server}/{query}")
    context.close()
    browser.close()

"""One dashboard server and one headless Chromium for all browser tests.

The server is the real ``streamlit run app.py`` on a free local port, started
once per test session; each module gets one browser, and each test a fresh
context (its own session) from :func:`session`. Tests that only read one page
(resize it, download from it) may share a session for their module from
:func:`module_session`: opening a session is the slowest step of a browser
test, because the page draws the whole dashboard, charts included.
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


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium; without Chromium, fail in CI and skip elsewhere."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        message = f"Chromium is not installed at {CHROMIUM}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Sessions:
    """Opens the dashboard in new browser contexts (new sessions) and closes them all at the end."""

    def __init__(self, browser: Any, server: str) -> None:
        self.browser, self.server, self.contexts = browser, server, []

    def __call__(self, query: str = "", viewport: dict[str, int] | None = None) -> Any:
        context = self.browser.new_context(viewport=viewport or WIDE, accept_downloads=True)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{self.server}/{query}")
        page.get_by_test_id("stMetricValue").first.wait_for(timeout=FIRST_RENDER_MS)
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def session(browser: Any, server: str) -> Iterator[Callable[..., Any]]:
    """Opens the dashboard in a new browser context (a new session); closed after the test."""
    sessions = Sessions(browser, server)
    yield sessions
    sessions.close()


@pytest.fixture(scope="module")
def module_session(browser: Any, server: str) -> Iterator[Callable[..., Any]]:
    """As :func:`session`, closed after the module: for pages that tests only read."""
    sessions = Sessions(browser, server)
    yield sessions
    sessions.close()

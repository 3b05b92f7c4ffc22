"""What the browser tests do on a page: wait, resize, open a tab, read the headline figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"


def settle(page: Any) -> None:
    """Until the script has finished, no element is stale and none is still a placeholder.

    A new session shows no running-status widget during its first run; what
    the run has not sent yet is drawn as a skeleton (the headline comes
    first, the sidebar's controls after it).
    """
    page.wait_for_function(
        """() => !document.querySelector('[data-stale="true"]') &&
                 !document.querySelector('[data-testid="stStatusWidget"]') &&
                 !document.querySelector('[data-testid="stSkeleton"]') &&
                 !document.querySelector('[data-testid="stAppSkeleton"]')""",
        polling=100,
        timeout=60_000,
    )


def resize(page: Any, width: int, height: int) -> None:
    """Give the page another window size and wait until it has laid itself out again.

    The layout is CSS and resize observers (columns stack, the sidebar folds
    away on a narrow screen, a table fits itself to its box), so no rerun
    happens: the page is ready when the window has the new width and
    :func:`steady` holds.
    """
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_function("width => window.innerWidth === width", arg=width, polling="raf")
    steady(page)


def steady(page: Any) -> None:
    """Until no element has moved for three frames and no transition is running.

    Needed before a click at coordinates (the price table is drawn on a
    canvas) and before measuring a layout.
    """
    page.wait_for_function(STEADY, polling="raf")


STEADY = """() => {
    const boxes = [...document.querySelectorAll('[data-testid]')].map(e => {
        const r = e.getBoundingClientRect();
        return `${r.left},${r.top},${r.width},${r.height}`;
    }).join(' ');
    const still = boxes === window.lastLayout;
    window.lastLayout = boxes;
    window.stillFrames = still ? (window.stillFrames || 0) + 1 : 0;
    const moving = document.getAnimations().some(a => a.playState === 'running');
    return window.stillFrames >= 3 && !moving;
}"""


def open_tab(page: Any, name: str) -> None:
    """Click a tab and wait for its content to be drawn."""
    page.get_by_role("tab", name=name).click()
    settle(page)


def metric(page: Any, label: str) -> str:
    """The value of the headline figure labelled ``label``."""
    card = page.get_by_test_id("stMetric").filter(has_text=label)
    return card.get_by_test_id("stMetricValue").inner_text().strip()


def wait_for_metric(page: Any, label: str, value: str) -> None:
    card = page.get_by_test_id("stMetric").filter(has_text=label)
    card.get_by_test_id("stMetricValue").filter(has_text=value).wait_for()


HEADLINE = (
    "Break-even (requests / month)",
    "Payback",
    "Monthly saving",
    "One-time cost",
    "Saved over the horizon",
)


def headline_figures(page: Any) -> dict[str, str]:
    """The five headline figures by label, once the page has settled."""
    page.get_by_test_id("stMetric").nth(4).wait_for()
    settle(page)
    return {label: metric(page, label) for label in HEADLINE}

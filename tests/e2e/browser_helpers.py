"""What the browser tests do on a page: wait, open a tab, read a headline figure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"


def settle(page: Any) -> None:
    """Until the script has finished and no element is stale."""
    page.wait_for_function(
        """() => !document.querySelector('[data-stale="true"]') &&
                 !document.querySelector('[data-testid="stStatusWidget"]')""",
        polling=100,
        timeout=60_000,
    )


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

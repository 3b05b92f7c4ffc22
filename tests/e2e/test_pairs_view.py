"""The procurement view at desktop, laptop and phone widths, and its CSV of every pair.

Nothing on the tab is cut: no text is wider than the box showing it
(``scrollWidth > clientWidth``), the page never scrolls sideways, and the
table of pairs stays inside the window (it scrolls within itself). The tab is
drawn once and shown at each width in turn, widest first, as a window being
narrowed. The CSV the browser downloads holds every pair the engine ranks for
the demo.

Both tests read the same page (one session for the module): resizing it and
downloading from it change nothing the other test looks at.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from browser_helpers import ARTIFACTS, open_tab, resize, settle

from costmodel.demo import demo_scenario
from costmodel.engine.sweeps import PAIR_COLUMNS, catalog_pairs
from costmodel.prices.catalog import load_catalog

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1440, 900), "laptop": (1024, 768), "phone": (390, 844)}
TAB = "All model pairs"

CUT = """() => {
    const panel = [...document.querySelectorAll('[role="tabpanel"]')]
        .find(p => p.offsetParent !== null);
    const cut = [];
    for (const e of panel.querySelectorAll('*')) {
        if (e.closest('[data-testid="stDataFrame"]')) continue;
        if (e.children.length === 0 && e.innerText && e.scrollWidth > e.clientWidth + 1) {
            cut.push(e.innerText);
        }
    }
    return cut;
}"""
FITS = """() => {
    const grid = [...document.querySelectorAll('[data-testid="stDataFrame"]')]
        .find(g => g.offsetParent !== null);
    const box = grid.getBoundingClientRect();
    return {page: document.documentElement.scrollWidth, window: window.innerWidth,
            left: box.left, right: box.right};
}"""


@pytest.fixture(scope="module")
def pairs(module_session) -> Any:  # type: ignore[no-untyped-def]
    """The dashboard with the pairs tab open, in a desktop window."""
    page = module_session(viewport={"width": 1440, "height": 900})
    open_tab(page, TAB)
    page.get_by_text("Rank by").first.wait_for()
    settle(page)
    return page


def test_the_pairs_tab_reads_in_full_at_every_width(pairs) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page = pairs
    for name, (width, height) in WIDTHS.items():
        resize(page, width, height)
        assert page.evaluate(CUT) == [], name
        fits = page.evaluate(FITS)
        assert fits["page"] <= fits["window"], (name, fits)
        assert fits["left"] >= 0 and fits["right"] <= fits["window"], (name, fits)
        page.get_by_text("Your pair,").first.scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / f"pairs-{name}.png")


def test_the_pairs_csv_holds_every_pair(pairs) -> None:  # type: ignore[no-untyped-def]
    page = pairs
    button = page.get_by_role("button", name="Download all")
    with page.expect_download() as info:
        button.click()
    text = info.value.path().read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    start = page.get_by_test_id("stDateInput").first.locator("input").input_value()
    day = dt.date.fromisoformat(start.replace(" ", ""))
    scenario = demo_scenario().model_copy(update={"start_date": day})
    expected = catalog_pairs(scenario, load_catalog())
    assert list(rows[0]) == PAIR_COLUMNS
    assert len(rows) == len(expected)
    assert {(r["baseline_model"], r["challenger_model"]) for r in rows} == set(
        zip(expected["baseline_model"], expected["challenger_model"], strict=True)
    )

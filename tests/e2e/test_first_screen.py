"""The first screen and the pairs tab at desktop, laptop and phone widths, read in full.

The headline: a value or label is cut when its text is wider than the box
showing it (``scrollWidth > clientWidth``, the browser's own measure of an
ellipsis or a clipped line). The one exception is the line saying where the
figures come from: it stays on one line and may end in an ellipsis, with its
tooltip's icon in view at the end of the line. On a laptop and a desktop
screen the five figures are above the fold.

The procurement view ("All model pairs"): nothing on the tab is cut, the page
never scrolls sideways, and the table of pairs stays inside the window (it
scrolls within itself). The CSV the browser downloads holds every pair the
engine ranks for the demo.

One session is drawn once for the module and shown at each width in turn,
widest first, as a window being narrowed: resizing it, opening a tab and
downloading from it change nothing the other tests look at. Screenshots of
each width are kept in ``artifacts/``.
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
ABOVE_THE_FOLD = ("laptop", "desktop")
TAB = "All model pairs"

HEADLINE_CUT = """() => {
    const cut = [];
    const boxes = document.querySelectorAll(['stMetric', 'stAlert', 'stCaptionContainer']
        .map(id => `[data-testid="${id}"] *`).join(', '));
    for (const e of boxes) {
        if (e.closest('.st-key-provenance')) continue;  // one line by design: see STRIP
        if (e.children.length === 0 && e.innerText && e.scrollWidth > e.clientWidth + 1) {
            cut.push(e.innerText);
        }
    }
    return cut;
}"""

# The origin line: its height in lines, and whether the tooltip's icon sits inside its box.
STRIP = """() => {
    const line = document.querySelector('.st-key-provenance p');
    const icon = line.querySelector('button').getBoundingClientRect();
    const box = line.getBoundingClientRect();
    const lines = box.height / parseFloat(getComputedStyle(line).lineHeight);
    return {lines, iconInside: icon.left >= box.left && icon.right <= box.right + 0.5};
}"""

FIGURES_BOTTOM = """() => Math.max(...[...document.querySelectorAll('[data-testid="stMetric"]')]
    .slice(0, 5).map(e => e.getBoundingClientRect().bottom))"""


@pytest.fixture(scope="module")
def page(module_session) -> Any:  # type: ignore[no-untyped-def]
    """The demo's first screen in a desktop window, drawn in full."""
    ARTIFACTS.mkdir(exist_ok=True)
    first = module_session(viewport={"width": 1440, "height": 900})
    first.get_by_test_id("stMetric").nth(4).wait_for()
    settle(first)
    return first


def test_headline_reads_in_full_at_every_width(page) -> None:  # type: ignore[no-untyped-def]
    for name, (width, height) in WIDTHS.items():
        resize(page, width, height)
        assert page.evaluate(HEADLINE_CUT) == [], name
        strip = page.get_by_test_id("stCaptionContainer").filter(has_text="Prices:")
        assert "Tokens:" in strip.first.inner_text()
        shape = page.evaluate(STRIP)
        assert shape["lines"] < 1.5, (name, shape)
        assert shape["iconInside"], (name, shape)
        if name in ABOVE_THE_FOLD:
            assert page.evaluate(FIGURES_BOTTOM) <= height, name
        page.screenshot(path=ARTIFACTS / f"first-screen-{name}.png")
        page.locator(".st-key-provenance button").hover()  # the whole list, one part a line
        tip = page.get_by_test_id("stTooltipContent").filter(has_text="Prices:")
        tip.get_by_role("listitem").filter(has_text="From ").wait_for(timeout=10_000)
        assert tip.get_by_role("listitem").count() >= 4, name  # tokens, training, prices, start
        page.mouse.move(width - 1, height - 1)  # off the tooltip, over no control


PAIRS_CUT = """() => {
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
def pairs(page) -> Any:  # type: ignore[no-untyped-def]
    """The same session with the pairs tab open, in a desktop window again."""
    resize(page, *WIDTHS["desktop"])
    open_tab(page, TAB)
    page.get_by_text("Rank by").first.wait_for()
    settle(page)
    return page


def test_the_pairs_tab_reads_in_full_at_every_width(pairs) -> None:  # type: ignore[no-untyped-def]
    page = pairs
    for name, (width, height) in WIDTHS.items():
        resize(page, width, height)
        assert page.evaluate(PAIRS_CUT) == [], name
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

"""The first screen at desktop, laptop and phone widths: the headline reads in full.

A value or label is cut when its text is wider than the box showing it
(``scrollWidth > clientWidth``, the browser's own measure of an ellipsis or a
clipped line). The one exception is the line saying where the figures come
from: it stays on one line and may end in an ellipsis, with its tooltip's
icon in view at the end of the line. On a laptop and a desktop screen the
five figures are above the fold. One session is drawn once and shown at each
width in turn, widest first, as a window being narrowed; screenshots of each
width are kept in ``artifacts/``.
"""

from __future__ import annotations

import pytest
from browser_helpers import ARTIFACTS, resize, settle

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1440, 900), "laptop": (1024, 768), "phone": (390, 844)}
ABOVE_THE_FOLD = ("laptop", "desktop")

CUT = """() => {
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


def test_headline_reads_in_full_at_every_width(session) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page = session(viewport={"width": 1440, "height": 900})
    page.get_by_test_id("stMetric").nth(4).wait_for()
    settle(page)
    for name, (width, height) in WIDTHS.items():
        resize(page, width, height)
        assert page.evaluate(CUT) == [], name
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

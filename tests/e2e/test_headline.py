"""The first screen at desktop, laptop and phone widths: the headline reads in full.

A value or label is cut when its text is wider than the box showing it
(``scrollWidth > clientWidth``, the browser's own measure of an ellipsis or a
clipped line). One session is drawn once and shown at each width in turn,
widest first, as a window being narrowed; screenshots of each width are kept
in ``artifacts/``.
"""

from __future__ import annotations

import pytest
from browser_helpers import ARTIFACTS, resize, settle

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1440, 900), "laptop": (1024, 768), "phone": (390, 844)}

CUT = """() => {
    const cut = [];
    const boxes = document.querySelectorAll(['stMetric', 'stAlert', 'stCaptionContainer']
        .map(id => `[data-testid="${id}"] *`).join(', '));
    for (const e of boxes) {
        if (e.children.length === 0 && e.innerText && e.scrollWidth > e.clientWidth + 1) {
            cut.push(e.innerText);
        }
    }
    return cut;
}"""


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
        page.screenshot(path=ARTIFACTS / f"first-screen-{name}.png")

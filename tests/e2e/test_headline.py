"""The first screen at phone, laptop and desktop widths: the headline reads in full.

A value or label is cut when its text is wider than the box showing it
(``scrollWidth > clientWidth``, the browser's own measure of an ellipsis or a
clipped line). Screenshots of each width are kept in ``artifacts/``.
"""

from __future__ import annotations

import pytest
from browser_helpers import ARTIFACTS, settle

pytestmark = pytest.mark.browser

WIDTHS = {"phone": (390, 844), "laptop": (1024, 768), "desktop": (1440, 900)}

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
    for name, (width, height) in WIDTHS.items():
        page = session(viewport={"width": width, "height": height})
        page.get_by_test_id("stMetric").nth(4).wait_for()
        settle(page)
        assert page.evaluate(CUT) == [], name
        strip = page.get_by_test_id("stCaptionContainer").filter(has_text="Prices:")
        assert "Tokens:" in strip.first.inner_text()
        page.screenshot(path=ARTIFACTS / f"first-screen-{name}.png")

"""A share link, opened in another browser, shows the same figures.

The link is read from the address bar after a change (the horizon), and opened
in a browser whose profile has never seen the dashboard (``conftest.py``,
:func:`elsewhere`), so nothing but the link can carry the figures across.
"""

from __future__ import annotations

import pytest
from browser_helpers import headline_figures

pytestmark = pytest.mark.browser


def test_a_share_link_opens_the_same_figures_elsewhere(session, elsewhere) -> None:  # type: ignore[no-untyped-def]
    page = session()
    before = headline_figures(page)
    slider = page.get_by_test_id("stSlider").filter(has_text="Horizon (months)")
    slider.get_by_role("slider").focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "before => document.querySelector('[data-testid=stMetricValue]') && "
        "[...document.querySelectorAll('[data-testid=stMetricValue]')]"
        ".slice(0, 5).some((e, i) => e.innerText !== before[i])",
        arg=list(before.values()),
    )
    mine = headline_figures(page)
    link = page.url
    assert "scenario=" in link
    other = elsewhere("?" + link.split("?", 1)[1])
    assert headline_figures(other) == mine
    assert mine != before

"""What users do, in a real browser: options, files and a price.

The pairs CSV is checked in ``test_first_screen.py``, the share link in
``test_link_elsewhere.py``. One server and one browser for the process
(``conftest.py``); each test opens its own session. The AppTest suite checks
every figure of each control and upload against the engine.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser_helpers import ARTIFACTS, headline_figures, open_tab, settle, steady

pytestmark = pytest.mark.browser


def _strip(page) -> str:  # type: ignore[no-untyped-def]
    return page.get_by_test_id("stCaptionContainer").filter(has_text="Prices:").first.inner_text()


def _options(page) -> int:  # type: ignore[no-untyped-def]
    return page.get_by_test_id("stSidebar").get_by_role("radio").count()


def test_an_option_is_added_renamed_and_removed_then_a_price_edited(session) -> None:  # type: ignore[no-untyped-def]
    """One sitting of an analyst: a fourth option comes and goes, then a price is set by hand."""
    page = session()
    assert _options(page) == 3
    page.get_by_role("button", name="Add a fine-tuned option").click()
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=stSidebar] input[type=radio]').length == 4"
    )
    settle(page)
    # the new option is the one being edited: its name field holds the default name
    name = page.locator('input[aria-label="Name of this option"][value="Option 4"]')
    name.fill("My fourth option")
    page.keyboard.press("Enter")  # the field keeps the focus; its value attribute has changed
    page.get_by_test_id("stSidebar").get_by_text("My fourth option").first.wait_for()
    settle(page)
    page.get_by_role("button", name="Remove this option").click()
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=stSidebar] input[type=radio]').length == 3"
    )
    settle(page)
    assert "My fourth option" not in page.get_by_test_id("stSidebar").inner_text()
    _edit_a_price(page)


def test_long_and_short_prompt_files_and_a_training_file(  # type: ignore[no-untyped-def]
    session, tmp_path: Path
) -> None:
    page = session()
    before = headline_figures(page)
    open_tab(page, "Your data")
    long = tmp_path / "long.txt"
    long.write_text(
        "\n---\n".join(f"Rules of triage. Ticket {i} is late." * 40 for i in range(8)),
        encoding="utf-8",
    )
    short = tmp_path / "short.jsonl"
    short.write_text(
        "\n".join(json.dumps({"prompt": f"Ticket {i} is late."}) for i in range(8)),
        encoding="utf-8",
    )
    train = tmp_path / "train.jsonl"
    train.write_text(
        "\n".join(
            json.dumps(
                {
                    "messages": [
                        {"role": "user", "content": f"Ticket {i} is late."},
                        {"role": "assistant", "content": "shipping"},
                    ]
                }
            )
            for i in range(30)
        ),
        encoding="utf-8",
    )
    for label, path in (
        ("Sample prompts", long),
        ("Short prompts", short),
        ("Training file", train),
    ):
        uploader = page.get_by_test_id("stFileUploader").filter(has_text=label)
        uploader.locator("input[type=file]").set_input_files(path)
        captions = page.get_by_test_id("stCaptionContainer").filter(has_text="Prices:")
        captions.filter(has_text=path.name).first.wait_for()  # named under the verdict
        settle(page)
    strip = _strip(page)
    assert "Tokens: long.txt (8 records" in strip
    assert "Short prompts: short.jsonl (8 records)" in strip
    assert "Training: train.jsonl (30 examples)" in strip
    assert headline_figures(page) != before
    page.screenshot(path=ARTIFACTS / "after-three-uploads.png", full_page=False)


def _edit_a_price(page) -> None:  # type: ignore[no-untyped-def]
    """The first row's own price, typed into the Prices tab, is marked and announced."""
    open_tab(page, "Prices")
    grid = page.get_by_test_id("stDataFrame").first
    grid.wait_for()
    settle(page)  # the tab's run drew the table: it ends before the edit, so it cannot reset it
    grid.scroll_into_view_if_needed()
    steady(page)  # the click below is at coordinates
    box = grid.bounding_box()
    assert box is not None
    # first row, last column ("Your price"): the grid is drawn on a canvas; a click
    # selects the cell, typing opens its editor with the typed text, Enter commits
    page.mouse.click(box["x"] + box["width"] - 30, box["y"] + 35 + 12)
    page.keyboard.type("9.5")
    page.locator(".gdg-input").first.wait_for()  # the grid's cell editor is open
    page.keyboard.press("Enter")
    page.get_by_test_id("stCaptionContainer").filter(has_text="1 price set by you").first.wait_for()
    assert "✎ 1 price set by you" in _strip(page)

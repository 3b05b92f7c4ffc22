"""The dashboard opens only what the user uploaded: a canary file on the server stays unread.

A scenario or share link may name a sample file or a training file for any
of its strategies. Every test here names a canary file that exists on disk
and records, through Python's audit hook on ``open``, every file the app
opens while it runs: the canary must never be among them, nothing from it
may reach the page, and the page must ask for the file to be uploaded.
"""

from __future__ import annotations

import base64
import copy
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_helpers import APP, ROOT, demo_data, expected, headline, plain, shown, texts, verdict
from streamlit.testing.v1 import AppTest

CANARY_HEADER = "canary_secret_column"
OPENED: list[str] | None = None


def _watch(event: str, args: tuple[Any, ...]) -> None:
    if OPENED is not None and event == "open" and isinstance(args[0], str | Path):
        OPENED.append(str(args[0]))


sys.addaudithook(_watch)


@pytest.fixture
def opened() -> Iterator[list[str]]:
    """Paths of every file opened while the test runs."""
    global OPENED
    OPENED = []
    try:
        yield OPENED
    finally:
        OPENED = None


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    path = tmp_path / "server-secret.csv"
    path.write_text(f"{CANARY_HEADER},output\nCANARY-ROW-ONE,CANARY-OUT\n", encoding="utf-8")
    return path


def _link(data: dict[str, Any]) -> str:
    text = json.dumps(data, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _naming(path: str) -> dict[str, Any]:
    """The demo with a third strategy, the challenger and the baseline all naming ``path``."""
    data = demo_data()
    third = copy.deepcopy(data["strategies"][1])
    third["name"] = "Third option"
    third["tokens"].update(samples=path, samples_column="long")
    data["strategies"].append(third)
    data["strategies"][1]["training"]["file"] = path
    data["strategies"][0]["tokens"].update(samples=path, samples_column="long")
    return data


def _open_link(data: dict[str, Any]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["scenario"] = _link(data)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _page(at: AppTest) -> str:
    """All text on the page, as the reader sees it."""
    parts = [texts(at.get(kind)) for kind in ("markdown", "caption", "error", "warning", "info")]
    parts += [texts(at.success), *(str(d.value) for d in at.dataframe)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(parts)


def _training_file_unread(data: dict[str, Any]) -> None:
    """The reference as the dashboard prices it: a named training file is never opened."""
    for strategy in data["strategies"]:
        if strategy.get("training"):
            strategy["training"]["file"] = None


def test_a_link_naming_server_files_opens_none_of_them(canary: Path, opened: list[str]) -> None:
    at = _open_link(_naming(str(canary)))
    assert not [p for p in opened if Path(p).name == canary.name]
    page = _page(at)
    assert CANARY_HEADER not in page and "CANARY" not in page
    assert not shown(at)  # nothing is priced from unread files
    problem = plain(at.error[0].value)
    assert "not uploaded yet" in problem and "Third option" in problem
    assert "upload" in texts(at.info) and str(canary) in texts(at.info)  # the training file


def test_a_missing_and_an_existing_path_get_the_same_message(canary: Path) -> None:
    missing = canary.with_name("no-such-file.csv")
    first = plain(_open_link(_naming(str(canary))).error[0].value)
    second = plain(_open_link(_naming(str(missing))).error[0].value)
    assert first.replace(str(canary), "PATH") == second.replace(str(missing), "PATH")


def test_a_relative_path_inside_the_checkout_is_not_read(opened: list[str]) -> None:
    inside = "costmodel/demo/support_prompts.jsonl"
    assert (ROOT / inside).is_file()
    at = _open_link(_naming(inside))
    assert not [p for p in opened if p.endswith("support_prompts.jsonl")]
    assert not shown(at)


def test_a_scenario_file_naming_server_files_opens_none_of_them(
    canary: Path, opened: list[str]
) -> None:
    from costmodel.scenario import dump_scenario, scenario_from_dict

    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["open_tab"] = "Save & share"
    at.run()
    del opened[:]
    text = dump_scenario(scenario_from_dict(_naming(str(canary)))).encode()
    at.file_uploader(key="scenario_file").set_value(("named.yaml", text, "application/x-yaml"))
    at.run()
    assert not at.exception
    assert not [p for p in opened if Path(p).name == canary.name]
    assert "CANARY" not in _page(at)
    assert "not uploaded yet" in plain(at.error[0].value)


def test_uploading_the_named_file_prices_every_strategy_from_it(
    canary: Path, tmp_path: Path
) -> None:
    samples = tmp_path / "mine.csv"
    samples.write_text(
        "long_prompt,short_prompt,output\n"
        "Classify this ticket about a refund please,refund?,billing\n"
        "Classify this ticket about a broken screen,screen?,hardware\n",
        encoding="utf-8",
    )
    data = _naming(str(canary))
    at = _open_link(data)
    uploader = next(u for u in at.get("file_uploader") if u.key and u.key.startswith("named_"))
    uploader.set_value(("mine.csv", samples.read_bytes(), "text/csv")).run()
    assert not at.exception and not at.error, texts(at.error)
    # The reference: the command line's engine counting the same bytes from a real path;
    # the named training file is not uploaded, so the written training plan applies.
    want = copy.deepcopy(data)
    for strategy in want["strategies"]:
        if strategy["tokens"].get("samples"):
            strategy["tokens"]["samples"] = str(samples)
    _training_file_unread(want)
    assert shown(at) == headline(expected(want))


def test_the_scenario_figures_can_be_chosen_instead(canary: Path) -> None:
    data = _naming(str(canary))
    at = _open_link(data)
    at.button(key="named_files_ignore").click().run()
    assert not at.exception and not at.error
    for strategy in data["strategies"]:
        strategy["tokens"]["samples"] = None
    _training_file_unread(data)
    assert shown(at) == headline(expected(data))


def test_names_from_a_link_are_plain_text() -> None:
    data = demo_data()
    data["strategies"][1]["name"] = (
        "[Session expired – click here to log in again](https://evil.example/login) "
        "![x](https://evil.example/pixel.png) **bold** www.evil.example"
    )
    at = _open_link(data)
    assert "[Session expired" in verdict(at)
    boxes = [*at.success, *at.warning, *at.error, *at.info, *at.markdown, *at.caption]
    for box in boxes:
        # No unescaped link or image syntax and no bare address left to turn into a link.
        assert not re.search(r"(?<!\\)\]\(", box.value), box.value
        assert "www.evil" not in box.value and "https://" not in box.value


def test_formula_like_names_are_inert_in_the_tables() -> None:
    # The grids' own "Download as CSV" writes cells as shown: a spreadsheet must see text.
    data = demo_data()
    data["strategies"][1]["name"] = '=HYPERLINK("https://evil.example","x")'
    at = _open_link(data)
    cells = [
        str(cell)
        for table in at.dataframe
        for column in table.value.columns
        for cell in table.value[column]
    ]
    assert '\'=HYPERLINK("https://evil.example","x")' in cells
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]


def test_a_link_naming_only_a_training_file_is_priced_without_opening_it(
    canary: Path, opened: list[str]
) -> None:
    data = demo_data()
    data["strategies"][1]["training"]["file"] = str(canary)
    at = _open_link(data)
    assert not [p for p in opened if Path(p).name == canary.name]
    assert "CANARY" not in _page(at)
    assert shown(at)  # priced with the figures written in the scenario, as the info says
    assert "uses the figures in the sidebar" in texts(at.info)

"""Save, load and share: the YAML file, the break-even CSV, the share link and the price table."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from app_helpers import (
    APP,
    TODAY,
    demo_data,
    edit_option,
    expected,
    fresh_app,
    headline,
    open_tab,
    plain,
    shown,
    texts,
    verdict,
    verdict_of,
)
from streamlit.testing.v1 import AppTest

from costmodel.cli import main as cli
from costmodel.report.export import breakeven_csv
from costmodel.scenario import parse_scenario, scenario_from_dict, scenario_to_dict
from ui import share

YAML = "support-ticket-classifier.yaml"
CSV = "support-ticket-classifier-breakeven.csv"
SAVE = "Save & share"


def _edited(at: AppTest) -> None:
    at.select_slider(key="monthly_requests").set_value(2_000_000).run()
    edit_option(at, "ft")
    at.number_input(key="ft_examples").set_value(900).run()
    at.selectbox(key="ft_epochs").set_value(4).run()


def _link(data: dict) -> str:
    text = json.dumps(data, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def test_the_scenario_file_is_the_scenario_on_screen(downloads: dict[str, bytes]) -> None:
    at = fresh_app(SAVE)
    _edited(at)
    saved = parse_scenario(downloads[YAML].decode())
    data = demo_data()
    data["workload"]["requests_per_month"] = 2e6
    data["strategies"][1]["training"].update(examples=900, epochs=4)
    data["start_date"] = TODAY.isoformat()  # the day it was made, so it reproduces later
    assert saved == scenario_from_dict(data)
    assert shown(at) == headline(expected(data))


def test_a_saved_scenario_loads_back_identically(downloads: dict[str, bytes]) -> None:
    first = fresh_app(SAVE)
    _edited(first)
    saved, figures = downloads[YAML], shown(first)
    second = fresh_app(SAVE)
    second.file_uploader(key="scenario_file").set_value((YAML, saved, "application/x-yaml"))
    second.run()
    assert not second.exception
    assert shown(second) == figures
    assert second.select_slider(key="monthly_requests").value == 2e6
    assert second.session_state["ft_epochs"] == 4
    assert downloads[YAML] == saved


def test_a_bad_scenario_file_is_explained_and_nothing_changes() -> None:
    at = fresh_app(SAVE)
    before = shown(at)
    bad = b"name: broken\nstrategies:\n  - name: only one\n    kind: prompt\n    model: x\n"
    at.file_uploader(key="scenario_file").set_value(("broken.yaml", bad, "application/x-yaml"))
    at.run()
    assert not at.exception
    assert "was not loaded" in plain(at.error[0].value)
    assert "strategies" in plain(at.error[0].value)
    assert shown(at) == before


def test_the_csv_is_byte_identical_to_the_command_line(
    downloads: dict[str, bytes], tmp_path: Path
) -> None:
    at = fresh_app(SAVE)
    _edited(at)
    scenario_file, out = tmp_path / YAML, tmp_path / "cli.csv"
    scenario_file.write_bytes(downloads[YAML])
    assert cli(["breakeven", "--scenario", str(scenario_file), "--out", str(out)]) == 0
    assert downloads[CSV] == out.read_bytes()
    want = expected(scenario_to_dict(parse_scenario(downloads[YAML].decode())))
    assert downloads[CSV] == breakeven_csv(want).encode()


def test_a_share_link_restores_the_scenario() -> None:
    data = demo_data()
    data["workload"]["requests_per_month"] = 4e6
    data["horizon_months"] = 18
    data["strategies"][0]["model"] = "openai/gpt-6.1-sol"
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["scenario"] = _link(data)
    at.run()
    assert not at.exception and not at.warning[1:]
    want = expected(data)
    assert shown(at) == headline(want)
    assert verdict(at) == verdict_of(want)
    assert at.selectbox(key="base_model").value == "openai/gpt-6.1-sol"


def test_the_address_always_holds_the_scenario_on_screen(downloads: dict[str, bytes]) -> None:
    at = fresh_app(SAVE)
    _edited(at)
    restored = AppTest.from_file(APP, default_timeout=60)
    restored.session_state["open_tab"] = SAVE
    restored.query_params["scenario"] = at.query_params["scenario"]
    restored.run()
    assert shown(restored) == shown(at)
    assert parse_scenario(downloads[YAML].decode()) == share.decode(at.query_params["scenario"])


def test_a_damaged_link_is_explained_and_the_demo_opens() -> None:
    demo = headline(expected(demo_data()))
    for param, words in [
        ("not base64 at all!", "damaged"),
        (_link({"strategies": []}), "strategies"),
        ("A" * 40_000, "too long"),
    ]:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["scenario"] = param
        at.run()
        assert not at.exception
        shown_words = plain(at.warning[0].value)
        assert "could not be opened" in shown_words and words in shown_words
        assert shown(at) == demo


def test_an_edited_price_becomes_a_price_override() -> None:
    at = fresh_app("Prices")
    table = at.dataframe(key="price_editor").value
    assert list(table["Price"][:4]) == ["Input", "Cached input", "Cache write", "Output"]
    at.session_state["price_editor"] = {
        "edited_rows": {0: {"Your price": 0.9}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    data = demo_data()
    data["price_overrides"] = {"openai/gpt-6.1-terra": {"inference": {"input_usd_per_mtok": 0.9}}}
    assert shown(at) == headline(expected(data))
    open_tab(at, "Costs")  # the table is not drawn, and the edit stays
    assert shown(at) == headline(expected(data))
    open_tab(at, "Prices")
    table = at.dataframe(key="price_editor").value
    assert table["Your price"][0] == 0.9
    assert list(table["Source"][:2]) == ["✎ yours", "catalog"]  # the edit is marked
    assert "✎ 1 price set by you" in texts(at.caption)  # and announced under the verdict
    assert shown(at) == headline(expected(data))


def test_a_link_to_two_prompts_shows_their_comparison() -> None:
    data = demo_data()
    data["strategies"] = [
        data["strategies"][0],
        {**data["strategies"][0], "name": "Cheaper model", "model": "openai/gpt-6-luna"},
    ]
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["scenario"] = _link(data)
    at.run()
    assert not at.exception
    assert verdict(at) == verdict_of(expected(data))
    edit_option(at, "ft")  # a prompt option: no training plan to set
    assert "Training plan" not in [e.label for e in at.expander]


def test_a_model_missing_from_the_catalog_is_explained() -> None:
    data = demo_data()
    data["strategies"][1]["model"] = "acme/imaginary"
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["scenario"] = _link(data)
    at.run()
    assert not at.exception
    assert any(
        "acme/imaginary" in plain(e.value) and "not in the pricing catalog" in plain(e.value)
        for e in at.error
    )
    edit_option(at, "ft")
    at.selectbox(key="ft_model").set_value("bedrock/amazon.nova-micro-v1:0").run()
    data["strategies"][1]["model"] = "bedrock/amazon.nova-micro-v1:0"
    assert shown(at) == headline(expected(data))

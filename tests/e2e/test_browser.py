"""The dashboard in headless Chromium: a slider, an upload, a second session and a download.

The server is the real ``streamlit run app.py`` (see ``conftest.py``); the
expected figures are computed with ``costmodel`` for the same scenario.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from browser_helpers import ARTIFACTS, metric, wait_for_metric

from costmodel.cli import main as cli
from costmodel.demo import DEMO_DIR, demo_scenario
from costmodel.engine.evaluate import ScenarioResult, evaluate
from costmodel.prices.catalog import load_catalog
from costmodel.report.export import breakeven_rows
from costmodel.report.numbers import count
from costmodel.scenario import scenario_from_dict, scenario_to_dict
from costmodel.tokens.stats import token_stats

pytestmark = pytest.mark.browser

BREAKEVEN = "Break-even (requests / month)"
_metric, _wait_for_metric = metric, wait_for_metric


def _expected(horizon: int, samples: Path) -> ScenarioResult:
    data = scenario_to_dict(demo_scenario())
    data["horizon_months"] = horizon
    for strategy in data["strategies"]:  # every option follows the file, by its kind
        column = "long" if strategy["kind"] == "prompt" else "short"
        strategy["tokens"].update(samples=str(samples), samples_column=column)
    return evaluate(scenario_from_dict(data), load_catalog())


def _sample_file(tmp: Path) -> Path:
    path = tmp / "my_tickets.jsonl"
    rows = [
        {
            "long_prompt": "You triage tickets. Categories: billing, shipping, account.\n" * 20
            + f"Ticket {i}: my parcel {i} is late.",
            "short_prompt": f"Ticket {i}: my parcel {i} is late.",
            "output": '{"category": "shipping"}',
        }
        for i in range(30)
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return path


def _breakeven(result: ScenarioResult) -> str:
    return count(result.primary.breakeven.requests_per_month)


def test_slider_upload_other_session_and_download(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The figures follow a slider and an upload; another session keeps the demo's; the CSV
    downloaded is the command line's for the scenario downloaded beside it.

    Figures shared per server are the demo's only: an upload stays in its own session.
    """
    page = session()
    ARTIFACTS.mkdir(exist_ok=True)
    demo_samples = DEMO_DIR / "support_prompts.jsonl"
    opening = _breakeven(_expected(12, demo_samples))
    _wait_for_metric(page, BREAKEVEN, opening)
    assert _metric(page, BREAKEVEN) == opening
    page.screenshot(path=ARTIFACTS / "dashboard.png")

    slider = page.get_by_test_id("stSlider").filter(has_text="Horizon (months)")
    slider.get_by_role("slider").focus()
    page.keyboard.press("ArrowRight")
    longer = _breakeven(_expected(13, demo_samples))
    assert longer != opening
    _wait_for_metric(page, BREAKEVEN, longer)
    assert _metric(page, BREAKEVEN) == longer

    samples = _sample_file(tmp_path)
    page.get_by_role("tab", name="Your data").click()
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="Sample prompts")
    uploader.locator("input[type=file]").set_input_files(samples)
    want = _expected(13, samples)
    page.get_by_test_id("stMetric").filter(has_text="Records").filter(has_text="30").wait_for()
    _wait_for_metric(page, BREAKEVEN, _breakeven(want))
    assert _metric(page, BREAKEVEN) == _breakeven(want)
    page.screenshot(path=ARTIFACTS / "dashboard-after-upload.png")
    _another_session_keeps_the_demo(session)
    page.bring_to_front()
    assert _metric(page, "Records") == "30"  # and this session keeps its own file

    page.get_by_role("tab", name="Save & share").click()
    csv_file = _download(page, "break-even (CSV)", tmp_path / "breakeven.csv")
    yaml_file = _download(page, "scenario (YAML)", tmp_path / "scenario.yaml")
    rows = list(csv.DictReader(io.StringIO(csv_file.read_text(encoding="utf-8"))))
    # every figure agrees; the notes column differs only by the stand-in-tokenizer note,
    # which the dashboard shows on its data tab for an uploaded file
    figures = [{k: v for k, v in _plain(r).items() if k != "notes"} for r in rows]
    expected = [{k: v for k, v in _plain(r).items() if k != "notes"} for r in breakeven_rows(want)]
    assert figures == expected
    cli_csv = tmp_path / "cli.csv"
    assert cli(["breakeven", "--scenario", str(yaml_file), "--out", str(cli_csv)]) == 0
    assert csv_file.read_bytes() == cli_csv.read_bytes()


def _download(page, label: str, target: Path) -> Path:  # type: ignore[no-untyped-def]
    button = page.get_by_test_id("stDownloadButton").filter(has_text=label)
    with page.expect_download() as download:
        button.get_by_role("button").click()
    download.value.save_as(target)
    return target


def _plain(row: dict[str, object]) -> dict[str, object]:
    """Cells compared by value: numbers as floats, empty cells as None."""
    return {k: _value(v) for k, v in row.items()}


def _value(cell: object) -> object:
    if cell is None or cell == "":
        return None
    try:
        return float(cell)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(cell)


def _another_session_keeps_the_demo(session) -> None:  # type: ignore[no-untyped-def]
    other = session()
    demo_samples = DEMO_DIR / "support_prompts.jsonl"
    _wait_for_metric(other, BREAKEVEN, _breakeven(_expected(12, demo_samples)))
    other.get_by_role("tab", name="Your data").click()
    demo_records = count(token_stats(demo_samples, model="gemini-2.5-flash").records)
    _wait_for_metric(other, "Records", demo_records)
    assert "my_tickets.jsonl" not in other.content()

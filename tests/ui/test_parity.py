"""One answer everywhere: the CLI's text, its JSON, its CSV and the dashboard agree on every figure.

Each scenario is written to a folder with the files it names and run through
``costmodel breakeven`` (text, ``--json`` and ``--out``). The same YAML is
then opened in the dashboard, the files it names are uploaded there, and the
dashboard's CSV download must be byte-identical to the command line's. The
JSON must carry the CSV's every value, and the text must show the verdict,
every note and the money figures, formatted as the report layer formats them.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import math
import shutil
from pathlib import Path
from typing import Any

import pytest
from app_helpers import APP, open_tab
from streamlit.testing.v1 import AppTest

from costmodel.cli import main as cli
from costmodel.demo import DEMO_DIR, demo_scenario
from costmodel.report.numbers import money
from costmodel.scenario import dump_scenario, scenario_from_dict, scenario_to_dict

START = "2026-12-01"
SAMPLES = DEMO_DIR / "support_prompts.jsonl"
TRAINING = DEMO_DIR / "support_train.jsonl"


def _demo(**changes: Any) -> dict[str, Any]:
    data = scenario_to_dict(demo_scenario())
    data["start_date"] = START
    data.update(changes)
    return data


def _two(base: dict[str, Any], challenger: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The demo's baseline and first challenger only, each changed by the given fields."""
    data = _demo(**changes)
    first, second = copy.deepcopy(data["strategies"][:2])
    first.update(base)
    second.update(challenger)
    data["strategies"] = [first, second]
    return data


def _main_pair_on_gpus() -> dict[str, Any]:
    data = _demo()
    data["baseline"] = data["strategies"][0]["name"]
    data["challenger"] = data["strategies"][2]["name"]
    return data


def _with_samples() -> dict[str, Any]:
    data = _demo()
    data["strategies"][0]["tokens"] = {"samples": SAMPLES.name, "samples_column": "long"}
    data["strategies"][1]["tokens"] = {"samples": SAMPLES.name, "samples_column": "short"}
    return data


def _with_training_file() -> dict[str, Any]:
    data = _two({}, {})
    data["strategies"][1]["training"]["file"] = TRAINING.name
    return data


SCENARIOS = {
    "plain": _two({"cache": {"enabled": False}}, {}),
    "cached, three strategies, dedicated GPUs": _demo(),
    "batch": _two({"batch_share": 0.5}, {}),
    "hosted": _two({}, {"model": "azure/gpt-oss-20b-ft-global"}),
    "main pair on dedicated GPUs": _main_pair_on_gpus(),
    "lifecycle cut": _two({}, {"model": "openai/gpt-4o-mini-2024-07-18"}, horizon_months=6),
    "sample files": _with_samples(),
    "training file": _with_training_file(),
}


def _cli(folder: Path) -> tuple[str, list[dict[str, Any]], bytes]:
    """Text, JSON rows and CSV bytes of ``costmodel breakeven`` on the folder's scenario."""
    scenario, out = folder / "scenario.yaml", folder / "cli.csv"
    buffer = io.StringIO()
    from contextlib import redirect_stdout

    with redirect_stdout(buffer):
        assert cli(["breakeven", "--scenario", str(scenario), "--out", str(out)]) == 0
    text = buffer.getvalue()
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert cli(["breakeven", "--scenario", str(scenario), "--json"]) == 0
    return text, json.loads(buffer.getvalue()), out.read_bytes()


def _dashboard(folder: Path, data: dict[str, Any], downloads: dict[str, bytes]) -> bytes:
    """The dashboard's break-even CSV after opening the scenario and uploading its files."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["open_tab"] = "Save & share"
    at.run()
    yaml = (folder / "scenario.yaml").read_bytes()
    at.file_uploader(key="scenario_file").set_value(("scenario.yaml", yaml, "text/yaml")).run()
    assert not at.exception, [e.value for e in at.exception]
    if any(s["tokens"].get("samples") for s in data["strategies"]) or _training(data):
        open_tab(at, "Your data")
        for uploader in at.get("file_uploader"):
            if uploader.key and uploader.key.startswith("named_"):
                uploader.set_value((SAMPLES.name, SAMPLES.read_bytes(), "text/plain")).run()
        if _training(data):
            training = (TRAINING.name, TRAINING.read_bytes(), "text/plain")
            at.file_uploader(key="training_file").set_value(training).run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        open_tab(at, "Save & share")
    downloads.clear()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (name,) = [n for n in downloads if n.endswith("-breakeven.csv")]
    return downloads[name]


def _training(data: dict[str, Any]) -> bool:
    return any((s.get("training") or {}).get("file") for s in data["strategies"])


def _same(json_value: Any, csv_value: str) -> bool:
    """A CSV cell (plain decimal, empty for none) holds the JSON value exactly."""
    if json_value is None:
        return csv_value == ""
    if isinstance(json_value, bool):
        return csv_value.lower() == str(json_value).lower()
    if isinstance(json_value, int | float):
        return math.isclose(float(csv_value), json_value, rel_tol=0, abs_tol=0)
    return csv_value.lstrip("'") == str(json_value)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_cli_text_json_csv_and_dashboard_agree(
    name: str, tmp_path: Path, downloads: dict[str, bytes]
) -> None:
    data = SCENARIOS[name]
    (tmp_path / "scenario.yaml").write_text(dump_scenario(scenario_from_dict(data)), "utf-8")
    shutil.copy(SAMPLES, tmp_path)
    shutil.copy(TRAINING, tmp_path)
    text, rows, cli_csv = _cli(tmp_path)

    assert _dashboard(tmp_path, data, downloads) == cli_csv

    table = list(csv.DictReader(io.StringIO(cli_csv.decode("utf-8"))))
    assert len(table) == len(rows) >= 1
    for row, cells in zip(rows, table, strict=True):
        assert set(row) == set(cells)
        different = {k: (v, cells[k]) for k, v in row.items() if not _same(v, cells[k])}
        assert not different
        assert row["verdict"] in text
        for note in filter(None, row["notes"].split(" | ")):
            assert note in text
        for field in ("baseline_total_usd", "challenger_total_usd"):
            if row[field] is not None:
                assert money(row[field]) in text

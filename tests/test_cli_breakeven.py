"""``costmodel breakeven`` and ``costmodel scenario``: exit codes and exact output."""

from __future__ import annotations

import csv
import io
import json

import pytest
from engine_fixtures import FIXTURE_PRICING, acme, two_way

from costmodel.cli import main
from costmodel.demo import example_scenario_text
from costmodel.engine.evaluate import evaluate
from costmodel.report.export import COLUMNS, breakeven_csv
from costmodel.scenario import dump_scenario


@pytest.fixture
def scenario_file(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(dump_scenario(two_way()), encoding="utf-8")
    return path


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_one_object_per_pair_with_csv_fields(capsys, scenario_file):
    code, out, err = run(
        capsys,
        "breakeven",
        "--scenario",
        str(scenario_file),
        "--json",
        "--pricing",
        str(FIXTURE_PRICING),
    )
    assert code == 0, err
    (obj,) = json.loads(out)
    assert list(obj) == list(COLUMNS)
    assert obj["breakeven_requests_per_month"] == pytest.approx(15 / (0.00272 * 12))
    assert obj["payback_month"] == 1


def test_out_writes_the_same_csv_as_the_export_function(capsys, scenario_file, tmp_path):
    out_csv = tmp_path / "b.csv"
    code, out, _ = run(
        capsys,
        "breakeven",
        "--scenario",
        str(scenario_file),
        "--out",
        str(out_csv),
        "--pricing",
        str(FIXTURE_PRICING),
    )
    assert code == 0
    expected = breakeven_csv(evaluate(two_way(), acme()))
    assert out_csv.read_bytes().decode("utf-8") == expected
    assert "Switch to tuned" in out


@pytest.mark.parametrize(
    ("content", "fragment"),
    [("strategies: [", "invalid YAML"), ("name: x\nstrategies: []", "at least two strategies")],
)
def test_bad_scenario_exits_2_with_one_line(capsys, tmp_path, content, fragment):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "breakeven", "--scenario", str(path))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and fragment in err and "Traceback" not in err


def test_unknown_model_exits_2(capsys, tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(dump_scenario(two_way(base="acme/missing")), encoding="utf-8")
    code, _, err = run(
        capsys, "breakeven", "--scenario", str(path), "--pricing", str(FIXTURE_PRICING)
    )
    assert code == 2
    assert "acme/missing" in err and "not in the pricing catalog" in err


def test_missing_file_and_bad_arguments_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "breakeven", "--scenario", str(tmp_path / "none.yaml"))
    assert code == 2 and "cannot read" in err
    with pytest.raises(SystemExit) as info:
        main(["breakeven"])
    assert info.value.code == 2


def test_scenario_example_prints_the_documented_demo(capsys):
    code, out, _ = run(capsys, "scenario", "example")
    assert code == 0
    assert out == example_scenario_text()


def test_scenario_validate(capsys, scenario_file):
    code, out, _ = run(capsys, "scenario", "validate", str(scenario_file))
    assert code == 0 and "2 strategies" in out


def test_all_pairs_json(capsys, scenario_file):
    code, out, _ = run(
        capsys,
        "breakeven",
        "--scenario",
        str(scenario_file),
        "--all-pairs",
        "--json",
        "--pricing",
        str(FIXTURE_PRICING),
    )
    assert code == 0
    pairs = json.loads(out)
    keys = {(p["baseline_model"], p["challenger_model"]) for p in pairs}
    assert ("acme/nocache", "acme/small") in keys


def test_schedule_csv_from_the_command_line(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(example_scenario_text(), encoding="utf-8")
    out = tmp_path / "schedule.csv"
    assert main(["breakeven", "--scenario", str(scenario), "--schedule", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    months = {r["month"] for r in rows}
    assert months == {str(m) for m in range(1, 13)}
    for row in rows:  # every month's parts add up to its bill
        parts = ("variable_usd", "fixed_usd", "gpu_usd", "one_time_usd", "retraining_usd")
        assert sum(float(row[k]) for k in parts) == pytest.approx(float(row["total_usd"]))

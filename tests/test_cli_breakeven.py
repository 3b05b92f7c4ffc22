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


@pytest.fixture
def ranged_file(tmp_path):
    """The golden fixture with training runs uniform on [1, 3] (rounded: 1, 2, 3 at 25/50/25 %)."""
    from costmodel.scenario import scenario_from_dict, scenario_to_dict

    data = scenario_to_dict(two_way())
    data["strategies"][1]["training"]["runs"] = {"low": 1, "high": 3}
    path = tmp_path / "r.yaml"
    path.write_text(dump_scenario(scenario_from_dict(data)), encoding="utf-8")
    return path


def test_simulate_prints_the_percentiles_in_words(capsys, ranged_file):
    # V*(runs) = 7.5·runs / 0.03264: 229.8, 459.6, 689.3 → 230, 460, 690 to two figures;
    # at 100,000 a month a draw saves 3,264 − 7.5·runs: $3,241.50 (3 runs, the 10th
    # percentile) to $3,256.50 (1 run, the 90th) → $3,200 and $3,300; all pay back in month 1
    argv = ("breakeven", "--scenario", str(ranged_file), "--pricing", str(FIXTURE_PRICING))
    code, out, err = run(capsys, *argv, "--simulate", "2000", "--seed", "3")
    assert code == 0, err
    tail = out.split("\n\nSimulated futures")[1].splitlines()
    assert tail == [
        ": 2,000 draws with seed 3, tuned against prompt",
        "  cheaper in 100 % of simulated futures at your volume (standard error 0.0 "
        "percentage points)",
        "  break-even (requests a month): 10th percentile 230, median 460, 90th percentile 690",
        "  outcomes: pays off from a volume in 2,000 of 2,000 futures",
        "  savings over the horizon at your volume: 10th percentile $3,200, median $3,200, "
        "90th percentile $3,300",
        "  payback: month 1 in 100 %",
        "  inputs drawn from their ranges: strategies.1.training.runs",
    ]
    assert run(capsys, *argv, "--simulate", "2000", "--seed", "3")[1] == out


def test_simulate_json_and_csv_carry_the_figures(capsys, ranged_file, tmp_path):
    argv = ("breakeven", "--scenario", str(ranged_file), "--pricing", str(FIXTURE_PRICING))
    code, out, err = run(capsys, *argv, "--simulate", "2000", "--json")
    assert code == 0, err
    (obj,) = json.loads(out)
    sim = obj["simulation"]
    assert sim["simulation_draws"] == 2000 and sim["simulation_seed"] == 0
    assert sim["simulation_breakeven_p10"] == pytest.approx(7.5 / 0.03264)
    assert sim["simulation_breakeven_p50"] == pytest.approx(15 / 0.03264)
    assert sim["simulation_breakeven_p90"] == pytest.approx(22.5 / 0.03264)
    assert sim["simulation_breaks_even_draws"] == 2000 and sim["simulation_never_draws"] == 0
    assert sim["simulation_cheaper_share"] == 1.0
    assert sim["payback_month_draws"] == {"1": 2000}
    assert len(sim["fan_cumulative_usd"]["baseline"]) == len(sim["fan_percentiles"]) == 5
    out_csv = tmp_path / "s.csv"
    code, _, err = run(capsys, *argv, "--simulate", "2000", "--out", str(out_csv))
    assert code == 0, err
    (row,) = csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8")))
    assert float(row["simulation_breakeven_p50"]) == pytest.approx(15 / 0.03264)
    assert row["simulation_payback_p90_month"] == "1"


@pytest.mark.parametrize("bad", ["0", "-3", "many"])
def test_simulate_needs_a_positive_whole_number(capsys, scenario_file, bad):
    with pytest.raises(SystemExit) as info:
        main(["breakeven", "--scenario", str(scenario_file), f"--simulate={bad}"])
    assert info.value.code == 2
    assert "argument --simulate" in capsys.readouterr().err


def test_the_report_gives_each_models_price_date_age_and_who_can_buy_it(capsys, tmp_path):
    import datetime as dt

    scenario = tmp_path / "s.yaml"
    scenario.write_text(dump_scenario(two_way(base="acme/big", ft="acme/small")), "utf-8")
    code, out, _ = run(capsys, "breakeven", "--scenario", str(scenario), "--pricing",
                       str(FIXTURE_PRICING))  # fmt: skip
    assert code == 0
    # both Acme entries were read on 2026-11-01; the age counts from today, stale after 90 days
    age = (dt.date.today() - dt.date(2026, 11, 1)).days
    stale = " stale" if age > 90 else ""
    lines = [line for line in out.splitlines() if line.startswith("prices of ")]
    assert len(lines) == 2
    for line in lines:
        assert f": as of 2026-11-01 ({age} d){stale}; " in line


@pytest.fixture
def repriced_file(tmp_path):
    """The golden fixture whose prompt side's input price may halve from month 7 (p = 0.25)."""
    from costmodel.scenario import scenario_from_dict, scenario_to_dict

    data = scenario_to_dict(two_way())
    data["possible_price_changes"] = [
        {"strategy": "prompt", "price": "input", "factor": 0.5, "month": 7, "probability": 0.25}
    ]
    path = tmp_path / "p.yaml"
    path.write_text(dump_scenario(scenario_from_dict(data)), encoding="utf-8")
    return path


def test_simulate_names_the_possible_price_change_and_its_count(capsys, repriced_file, tmp_path):
    # The baseline costs $3,840 unchanged and $2,940 with its input price halved from
    # month 7 (hand-computed in tests/test_price_change_risk.py); the challenger $591.
    argv = ("breakeven", "--scenario", str(repriced_file), "--pricing", str(FIXTURE_PRICING))
    code, out, err = run(capsys, *argv, "--simulate", "2000", "--seed", "1", "--json")
    assert code == 0, err
    (obj,) = json.loads(out)
    sim = obj["simulation"]
    (change,) = sim["possible_price_changes"]
    n = change["draws_changed"]
    assert change["price"] == "input" and change["probability"] == 0.25
    assert sim["simulation_repriced_draws"] == n
    assert abs(n - 500) < 4 * (2000 * 0.25 * 0.75) ** 0.5
    # the savings' 10th percentile is a draw with the cut: 2,940 − 591 = 2,349
    assert sim["simulation_savings_p10_usd"] == pytest.approx(2_349.0)
    code, text, err = run(capsys, *argv, "--simulate", "2000", "--seed", "1")
    assert code == 0, err
    assert (
        "  possible price change: prompt's input price ×0.5 from month 7, with probability "
        f"25 % — happened within the horizon in {n:,} of 2,000 draws"
    ) in text.splitlines()
    assert "the point estimate keeps today's prices" in text
    assert "every draw is the point estimate" not in text
    out_csv = tmp_path / "s.csv"
    code, _, err = run(capsys, *argv, "--simulate", "2000", "--seed", "1", "--out", str(out_csv))
    assert code == 0, err
    (row,) = csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8")))
    assert row["simulation_repriced_draws"] == str(n)


def test_without_simulate_the_possible_change_is_named_not_ignored(capsys, repriced_file):
    argv = ("breakeven", "--scenario", str(repriced_file), "--pricing", str(FIXTURE_PRICING))
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert "possible price change is drawn only with --simulate" in err
    assert "possible price change" not in out
    code, out, err = run(capsys, *argv, "--simulate", "100")
    assert code == 0 and "drawn only with --simulate" not in err

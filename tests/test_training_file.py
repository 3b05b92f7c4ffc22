"""A scenario's ``training.file`` drives the training cost in every command, or is refused.

The reference figures come from the training tests' own chat framing
(:func:`test_training.line_tokens`), not from the engine's reader.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from engine_fixtures import FIXTURE_PRICING, acme, two_way
from test_training import VALID, line_tokens

from costmodel.cli import main
from costmodel.engine.evaluate import evaluate
from costmodel.errors import CostModelError
from costmodel.report.export import breakeven_csv
from costmodel.report.wording import scenario_notes
from costmodel.scenario import dump_scenario

# acme/small trains at $5 per 1M tokens with a $4 minimum; the override makes
# the file's size visible in the cost instead of the minimum fee.
PRICEY = {"acme/small": {"fine_tuning": {"training": {"usd_per_mtok": 1000.0, "min_job_usd": 0.0}}}}


def _scenario(training: dict[str, object]):
    return two_way(training=training, extra={"price_overrides": PRICEY})


def _write(folder: Path, training: dict[str, object]) -> Path:
    path = folder / "scenario.yaml"
    path.write_text(dump_scenario(_scenario(training)), encoding="utf-8")
    return path


def _hand_cost() -> tuple[int, int, float]:
    """12 examples; billed tokens per example rounded up; auto epochs for 12 = 100 // 12 = 8.

    cost = 12 × per_example × 8 tokens × $1,000 per 1M tokens.
    """
    total = sum(line_tokens(VALID).values())
    examples = 12
    per_example = math.ceil(total / examples)
    return examples, per_example, examples * per_example * 8 * 1000.0 / 1e6


def test_the_file_replaces_the_written_plan_in_the_engine(tmp_path: Path) -> None:
    shutil.copy(VALID, tmp_path / "train.jsonl")
    result = evaluate(_scenario({"file": "train.jsonl", "runs": 2}), acme(), base_dir=tmp_path)
    examples, per_example, cost = _hand_cost()
    tuned = result.strategies[1]
    assert tuned.training is not None and tuned.plan is not None
    assert (tuned.plan.examples, tuned.plan.tokens_per_example) == (examples, per_example)
    assert tuned.one_time["training"] == pytest.approx(2 * cost, rel=1e-12)  # two runs
    assert any("read from train.jsonl" in n for n in scenario_notes(result))


def test_the_file_wins_over_written_figures_and_says_which_it_used(tmp_path: Path) -> None:
    shutil.copy(VALID, tmp_path / "train.jsonl")
    training = {"file": "train.jsonl", "examples": 500, "tokens_per_example": 600}
    result = evaluate(_scenario(training), acme(), base_dir=tmp_path)
    examples, per_example, _ = _hand_cost()
    plan = result.strategies[1].plan
    assert plan is not None and (plan.examples, plan.tokens_per_example) == (12, per_example)
    wanted = f"{per_example} billed tokens per example, {examples} in all"
    assert any(wanted in n for n in scenario_notes(result))


def test_the_cli_reads_the_file_next_to_the_scenario(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    shutil.copy(VALID, folder / "train.jsonl")
    scenario = _write(folder, {"file": "train.jsonl"})
    argv = ["breakeven", "--scenario", str(scenario), "--json", "--pricing", str(FIXTURE_PRICING)]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 0, err
    row = json.loads(out)[0]
    examples, per_example, cost = _hand_cost()
    assert (row["training_examples"], row["training_tokens_per_example"]) == (examples, per_example)
    assert row["training_cost_per_run_usd"] == pytest.approx(cost, rel=1e-12)
    assert row["challenger_one_time_usd"] == pytest.approx(cost, rel=1e-12)
    assert "training plan read from train.jsonl" in row["notes"]


def test_text_and_csv_carry_the_file_note(tmp_path: Path, capsys) -> None:
    shutil.copy(VALID, tmp_path / "train.jsonl")
    scenario = _write(tmp_path, {"file": "train.jsonl"})
    code = main(["breakeven", "--scenario", str(scenario), "--pricing", str(FIXTURE_PRICING)])
    out, _ = capsys.readouterr()
    assert code == 0 and "training plan read from train.jsonl" in out
    result = evaluate(_scenario({"file": "train.jsonl"}), acme(), base_dir=tmp_path)
    assert "training plan read from train.jsonl" in breakeven_csv(result)


def test_a_missing_training_file_is_an_error_not_the_defaults(tmp_path: Path, capsys) -> None:
    scenario = _write(tmp_path, {"file": "absent.jsonl"})
    code = main(["breakeven", "--scenario", str(scenario), "--pricing", str(FIXTURE_PRICING)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert "training file not found" in err and "absent.jsonl" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "is empty"), ('{"messages": "not a list"}\nnot json\n', "no usable example")],
)
def test_a_file_without_usable_examples_is_refused(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "bad.jsonl").write_text(text, encoding="utf-8")
    with pytest.raises(CostModelError, match=message):
        evaluate(_scenario({"file": "bad.jsonl"}), acme(), base_dir=tmp_path)

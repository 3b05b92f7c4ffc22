"""Every file a scenario names is read once per command: counted opens, not timings."""

from __future__ import annotations

import builtins
import shutil
from collections import Counter
from pathlib import Path

import pytest
from engine_fixtures import FIXTURE_PRICING, acme, two_way

from costmodel.cli import main
from costmodel.demo import DEMO_DIR
from costmodel.engine.evaluate import evaluate
from costmodel.scenario import dump_scenario, scenario_from_dict, scenario_to_dict

NAMED = ("s.yaml", "long.jsonl", "short.jsonl", "train.jsonl")


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each file name was opened for reading (``Path.open`` and ``open``)."""
    counts: Counter[str] = Counter()
    path_open, plain_open = Path.open, builtins.open

    def count(file: object, mode: str) -> None:
        if isinstance(file, str | Path) and not set(mode) & set("wax+"):
            counts[Path(file).name] += 1

    def count_path(self: Path, mode: str = "r", *args, **kwargs):  # type: ignore[no-untyped-def]
        count(self, mode)
        return path_open(self, mode, *args, **kwargs)

    def count_plain(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        count(file, mode)
        return plain_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", count_path)
    monkeypatch.setattr(builtins, "open", count_plain)
    return counts


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    """Both sides count a sample file, the challenger trains from a file, its runs are a range."""
    shutil.copy(DEMO_DIR / "support_prompts.jsonl", tmp_path / "long.jsonl")
    shutil.copy(DEMO_DIR / "support_prompts.jsonl", tmp_path / "short.jsonl")
    shutil.copy(DEMO_DIR / "support_train.jsonl", tmp_path / "train.jsonl")
    data = scenario_to_dict(two_way())
    data["strategies"][0]["tokens"] = {"samples": "long.jsonl"}
    data["strategies"][1]["tokens"] = {"samples": "short.jsonl", "samples_column": "short"}
    data["strategies"][1]["training"] = {"file": "train.jsonl", "runs": {"low": 1, "high": 3}}
    path = tmp_path / "s.yaml"
    path.write_text(dump_scenario(scenario_from_dict(data)), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "extra",
    [(), ("--simulate", "200"), ("--simulate", "200", "--json"), ("--all-pairs",)],
    ids=["point", "simulate", "simulate-json", "all-pairs"],
)
def test_breakeven_reads_each_named_file_once(capsys, opened, scenario_file, extra):
    # The simulation resamples the files the point estimate counted; the catalog sweep
    # reads the training file once. Before, --simulate opened each sample file twice.
    code = main(
        ["breakeven", "--scenario", str(scenario_file), "--pricing", str(FIXTURE_PRICING), *extra]
    )
    assert code == 0, capsys.readouterr().err
    assert {name: opened[name] for name in NAMED} == dict.fromkeys(NAMED, 1)


def test_strategies_sharing_a_sample_file_and_model_count_it_once(opened):
    # Two long prompts on the same model from one file: one count serves both.
    data = scenario_to_dict(two_way(base="acme/nocache", ft="acme/nocache"))
    data["strategies"][1] = {**data["strategies"][0], "name": "same prompt"}
    for strategy in data["strategies"]:
        strategy["tokens"] = {"samples": "support_prompts.jsonl"}
    result = evaluate(scenario_from_dict(data), acme(), base_dir=DEMO_DIR)
    assert opened["support_prompts.jsonl"] == 1
    assert result.samples["prompt"] is result.samples["same prompt"]
    assert result.tokens["prompt"] == result.tokens["same prompt"]

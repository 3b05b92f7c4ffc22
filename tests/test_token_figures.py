"""Scenario token figures: explicit, or counted from a sample file; the demo's are real."""

from __future__ import annotations

import pytest
from engine_fixtures import acme, two_way

from costmodel.demo import DEMO_DIR, demo_scenario
from costmodel.engine.evaluate import evaluate
from costmodel.engine.training import estimate_from_file
from costmodel.errors import SampleFileError, ScenarioError
from costmodel.prices.catalog import load_catalog
from costmodel.scenario import scenario_from_dict, scenario_to_dict
from costmodel.tokens.stats import token_stats


def test_demo_token_figures_are_the_bundled_sample_means():
    # Exact, not rounded: the dashboard counts the file and must agree to the cent.
    stats = token_stats(DEMO_DIR / "support_prompts.jsonl", model="gpt-6.1-terra")
    for strategy in demo_scenario().strategies:
        column = "long" if strategy.kind == "prompt" else "short"
        assert strategy.tokens.prompt_tokens == stats.columns[column].mean
        assert strategy.tokens.output_tokens == stats.columns["output"].mean
    base, short, _gpu = demo_scenario().strategies
    assert base.tokens.cacheable_prefix_tokens == stats.shared_prefix_tokens
    train = estimate_from_file(DEMO_DIR / "support_train.jsonl", "o200k_base", "auto", None)
    assert short.training.tokens_per_example == round(train.tokens_per_example_mean)


def _with_samples(column: str) -> dict:
    data = scenario_to_dict(two_way())
    data["strategies"][0]["tokens"] = {"samples": "support_prompts.jsonl"}
    data["strategies"][1]["tokens"] = {"samples": "support_prompts.jsonl", "samples_column": column}
    return data


def test_sample_file_replaces_the_figures():
    sc = scenario_from_dict(_with_samples("short"))
    result = evaluate(sc, acme(), base_dir=DEMO_DIR)
    stats = token_stats(DEMO_DIR / "support_prompts.jsonl", model="nocache")
    long_t, short_t = result.tokens["prompt"], result.tokens["tuned"]
    assert long_t.prompt == pytest.approx(stats.long.mean)
    assert long_t.cacheable_prefix == stats.shared_prefix_tokens
    assert long_t.output == pytest.approx(stats.columns["output"].mean)
    assert short_t.prompt == pytest.approx(stats.columns["short"].mean)
    assert short_t.cacheable_prefix == 0


def test_missing_sample_file_is_a_clear_error(tmp_path):
    sc = scenario_from_dict(_with_samples("short"))
    with pytest.raises(SampleFileError, match=r"support_prompts\.jsonl"):
        evaluate(sc, acme(), base_dir=tmp_path)


def test_demo_evaluates_on_the_shipped_catalog():
    result = evaluate(demo_scenario(), load_catalog())
    assert result.primary.breakeven.status == "breaks_even"
    assert result.primary.payback.month is not None


def test_short_column_must_exist(tmp_path):
    (tmp_path / "long_only.jsonl").write_text('{"prompt": "a long prompt"}\n', encoding="utf-8")
    data = scenario_to_dict(two_way())
    data["strategies"][1]["tokens"] = {"samples": "long_only.jsonl", "samples_column": "short"}
    with pytest.raises(ScenarioError, match="no short prompts"):
        evaluate(scenario_from_dict(data), acme(), base_dir=tmp_path)


def test_figures_are_floats_whatever_their_source():
    sc = scenario_from_dict(_with_samples("short"))
    tokens = evaluate(sc, acme(), base_dir=DEMO_DIR).tokens["prompt"]
    figures = (tokens.prompt, tokens.cacheable_prefix, tokens.output, tokens.reasoning)
    assert all(isinstance(v, float) for v in figures)


def test_counts_from_a_stand_in_tokenizer_are_flagged():
    sc = scenario_from_dict(_with_samples("short"))
    notes = evaluate(sc, acme(), base_dir=DEMO_DIR).input_notes
    # each strategy: where its figures were counted, then that the tokenizer is a stand-in
    assert [(who, note.code) for who, note in notes] == [
        ("prompt", "tokens_counted"),
        ("prompt", "approximate_tokens"),
        ("tuned", "tokens_counted"),
        ("tuned", "approximate_tokens"),
    ]
    assert dict(notes[0][1].values) == {
        "file": "support_prompts.jsonl",
        "records": 240,
        "encoding": "o200k_base",
    }
    assert evaluate(two_way(), acme()).input_notes == ()


def test_figures_written_with_their_count_carry_the_same_notes():
    data = scenario_to_dict(two_way(base="acme/nocache"))
    counted = {"file": "mine.csv", "records": 12, "encoding": "cl100k_base"}
    data["strategies"][0]["tokens"]["counted"] = counted
    notes = evaluate(scenario_from_dict(data), acme()).input_notes
    assert [note.code for _, note in notes] == ["tokens_counted", "approximate_tokens"]


def test_figures_counted_with_another_encoding_are_flagged():
    data = scenario_to_dict(demo_scenario())
    data["strategies"][0]["tokens"]["counted"] = {
        "file": "old.csv",
        "records": 3,
        "encoding": "cl100k_base",
    }
    notes = evaluate(scenario_from_dict(data), load_catalog()).input_notes
    terra = [note for who, note in notes if who == data["strategies"][0]["name"]]
    assert [n.code for n in terra] == ["tokens_counted", "other_encoding"]
    assert dict(terra[1].values) == {"encoding": "cl100k_base", "model_encoding": "o200k_base"}

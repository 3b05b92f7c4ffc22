"""Figures read from the user's files agree with the engine's own reading of them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from engine_fixtures import START, acme, two_way

from costmodel.engine.evaluate import evaluate
from costmodel.engine.training import estimate_from_file, estimate_from_parameters, training_figures
from costmodel.tokens.figures import progress_share, sample_figures
from costmodel.tokens.stats import token_stats

RECORDS = [
    {"long_prompt": "Rules: be brief. Label the review: " + text, "short_prompt": text, "output": o}
    for text, o in [("great kettle", "5"), ("broke in a week", "1"), ("fine I guess", "3")]
]


def test_sample_figures_are_what_the_engine_reads_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in RECORDS), encoding="utf-8")
    figures = sample_figures(token_stats(path, model="acme-small"))
    scenario = two_way(
        base_tokens={"samples": str(path), "samples_column": "long"},
        ft_tokens={"samples": str(path), "samples_column": "short"},
    )
    tokens = evaluate(scenario, acme(), today=START).tokens
    assert figures.long_prompt == tokens["prompt"].prompt
    assert figures.cacheable_prefix == tokens["prompt"].cacheable_prefix
    assert figures.short_prompt == tokens["tuned"].prompt
    assert figures.output == tokens["tuned"].output


def test_absent_columns_stay_absent() -> None:
    figures = sample_figures(token_stats((b"one\n---\ntwo words", "p.txt")))
    assert figures.short_prompt is None and figures.output is None
    assert figures.cacheable_prefix <= figures.long_prompt


def test_training_figures_price_at_least_the_file(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "messages": [
                    {"role": "user", "content": "x " * n},
                    {"role": "assistant", "content": "ok"},
                ]
            }
        )
        for n in (3, 10, 40)
    ]
    estimate = estimate_from_file(io.BytesIO("\n".join(lines).encode()), "o200k_base", 3, None)
    figures = training_figures(estimate)
    assert figures.examples == 3
    billed = estimate.billing_tokens_per_epoch
    assert billed <= figures.examples * figures.tokens_per_example < billed + figures.examples


def test_an_empty_training_estimate_gives_zero() -> None:
    empty = estimate_from_parameters(0, 0, "auto", None)
    assert training_figures(empty).tokens_per_example == 0


@pytest.mark.parametrize(
    ("done", "total", "share"), [(0, 10, 0.0), (5, 10, 0.5), (12, 10, 1.0), (3, 0, 1.0)]
)
def test_progress_share(done: int, total: int, share: float) -> None:
    assert progress_share(done, total) == share

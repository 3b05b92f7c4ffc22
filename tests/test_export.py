"""The break-even CSV: stable columns, numbers stay numbers, formulas defused."""

from __future__ import annotations

import csv
import io

import pytest
from engine_fixtures import acme, two_way

from costmodel.engine.evaluate import evaluate
from costmodel.report.export import COLUMNS, breakeven_csv, safe_cell, schedule_csv, to_csv

REQUIRED = [
    "baseline_model",
    "challenger_model",
    "baseline_cost_per_request_usd",
    "challenger_cost_per_request_usd",
    "one_time_difference_usd",
    "challenger_monthly_fixed_usd",
    "breakeven_requests_per_month",
    "payback_month",
    "verdict",
    "notes",
]


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_columns_are_stable_and_complete():
    text = breakeven_csv(evaluate(two_way(), acme()))
    header = text.splitlines()[0].split(",")
    assert header == list(COLUMNS)
    assert all(col in header for col in REQUIRED)


def test_values_match_the_result_and_stay_numeric():
    result = evaluate(two_way(), acme())
    text = breakeven_csv(result)
    (row,) = rows(text)
    # hand-computed in test_breakeven: V* = 15 / (0.00272 × 12)
    assert float(row["breakeven_requests_per_month"]) == pytest.approx(15 / (0.00272 * 12))
    assert float(row["baseline_cost_per_request_usd"]) == pytest.approx(0.0032)
    assert row["payback_month"] == "1"
    assert row["baseline_model"] == "acme/nocache"
    assert row["requests_per_month"] == "100000"
    # one-time difference: tuned $15 of training against nothing for the prompt
    assert float(row["one_time_difference_usd"]) == pytest.approx(15.0)
    # totals: 12 × 100,000 × $0.0032 = $3,840 against 12 × 100,000 × $0.00048 + $15 = $591
    assert float(row["baseline_total_usd"]) == pytest.approx(3840.0)
    assert float(row["challenger_total_usd"]) == pytest.approx(591.0)
    assert float(row["horizon_savings_usd"]) == pytest.approx(3249.0)
    assert "e-" not in text and "e+" not in text


def test_never_leaves_numbers_empty_not_inf():
    (row,) = rows(breakeven_csv(evaluate(two_way(base="acme/small", ft="acme/big"), acme())))
    assert row["breakeven_requests_per_month"] == ""
    assert row["payback_month"] == ""
    assert row["status"] == "never"


@pytest.mark.parametrize("danger", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_injection_is_neutralised(danger):
    sc = two_way().model_copy(update={"name": danger})
    (row,) = rows(breakeven_csv(evaluate(sc, acme())))
    assert row["scenario"] == "'" + danger
    assert safe_cell(-3.5) == "-3.5"  # numbers keep their sign


def test_to_csv_quotes_commas_and_newlines():
    text = to_csv([{"a": "x,y", "b": "two\nlines"}], ["a", "b"])
    assert rows(text) == [{"a": "x,y", "b": "two\nlines"}]


def test_notes_reach_the_csv():
    # acme/big's minimum cacheable length is 1,024: a 1,000-token prefix gets no cache hits
    sc = two_way(
        base="acme/big",
        base_tokens={"prompt_tokens": 3000, "cacheable_prefix_tokens": 1000, "output_tokens": 100},
    )
    (row,) = rows(breakeven_csv(evaluate(sc, acme())))
    assert "prompt: the cacheable prefix of 1,000 tokens is below the 1,024-token" in row["notes"]


def test_schedule_adds_up_to_the_totals():
    result = evaluate(
        two_way(
            training={
                "examples": 1000,
                "tokens_per_example": 500,
                "epochs": 3,
                "runs": 2,
                "retrain_every_months": 6,
            }
        ),
        acme(),
    )
    schedule = rows(schedule_csv(result))
    (row,) = rows(breakeven_csv(result))
    tuned = [r for r in schedule if r["strategy"] == "tuned"]
    assert len(tuned) == 12
    # retraining: one run of 1.5M tokens × $5/M = $7.50 in month 7
    assert [float(r["retraining_usd"]) for r in tuned][6] == pytest.approx(7.5)
    assert float(tuned[-1]["cumulative_usd"]) == pytest.approx(float(row["challenger_total_usd"]))

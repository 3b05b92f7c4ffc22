"""The break-even CSV: stable columns, numbers stay numbers, formulas defused."""

from __future__ import annotations

import csv
import io

import pytest
from engine_fixtures import acme, two_way

from costmodel.engine.evaluate import evaluate
from costmodel.report.export import COLUMNS, breakeven_csv, safe_cell, to_csv

REQUIRED = [
    "base_model",
    "ft_model",
    "base_cost_per_request_usd",
    "ft_cost_per_request_usd",
    "one_time_cost_usd",
    "monthly_fixed_cost_usd",
    "breakeven_requests_per_month",
    "payback_months",
    "verdict",
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
    (row,) = rows(breakeven_csv(result))
    # hand-computed in test_breakeven: V* = 15 / (0.00272 × 12)
    assert float(row["breakeven_requests_per_month"]) == pytest.approx(15 / (0.00272 * 12))
    assert float(row["base_cost_per_request_usd"]) == pytest.approx(0.0032)
    assert row["payback_months"] == "1"
    assert row["base_model"] == "acme/nocache"
    assert row["requests_per_month"] == "100000.0"


def test_never_leaves_numbers_empty_not_inf():
    (row,) = rows(breakeven_csv(evaluate(two_way(base="acme/small", ft="acme/big"), acme())))
    assert row["breakeven_requests_per_month"] == ""
    assert row["payback_months"] == ""
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

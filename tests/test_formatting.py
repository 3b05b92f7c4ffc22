"""Money and counts as people read them, never raw floats."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costmodel.report.numbers import count, money, per_million, percent


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "$0.00"),
        (0.01, "$0.01"),
        (0.0042, "$0.0042"),
        (0.000048, "$0.000048"),
        (1.5e-9, "$0.0000000015"),
        (12.345, "$12.35"),
        (1_234_567.8, "$1,234,568"),
        (-3.5, "−$3.50"),
        (math.inf, "–"),
        (math.nan, "–"),
        (None, "–"),
    ],
)
def test_money(value, shown):
    assert money(value) == shown


@given(st.floats(1e-12, 1e12))
def test_money_never_shows_a_bare_point_or_exponent(value):
    shown = money(value)
    assert "e" not in shown and not shown.endswith(".")
    assert shown.startswith("$")


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, "0"), (999, "999"), (1234, "1,234"), (2_500_000, "2.5M"), (3.2e9, "3.2B"), (None, "–")],
)
def test_count(value, shown):
    assert count(value) == shown


def test_price_and_percent():
    assert per_million(0.3) == "$0.30 / 1M"
    assert percent(0.9) == "90%"

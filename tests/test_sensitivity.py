"""Tornado swings come from re-running the engine with one input moved."""

from __future__ import annotations

import math

import pytest
from engine_fixtures import acme, two_way

from costmodel.engine.sensitivity import tornado
from costmodel.errors import CostModelError


def test_training_examples_swing_is_hand_computable():
    # examples 1,000 → 750 / 1,250: training 750 × 500 × 3 = 1.125M tok × $5 × 2 runs = $11.25,
    # 1,250 → $18.75; per-request saving 0.0032 − 0.00048 = 0.00272 over 12 months
    frame = tornado(two_way(), acme()).set_index("input")
    row = frame.loc["Training examples (challenger)"]
    assert row["breakeven_low"] == pytest.approx(11.25 / (0.00272 * 12))
    assert row["breakeven_high"] == pytest.approx(18.75 / (0.00272 * 12))
    assert row["baseline_breakeven"] == pytest.approx(15 / (0.00272 * 12))


def test_sorted_by_swing_and_unchanged_inputs_dropped():
    frame = tornado(two_way(), acme())
    swings = frame["swing"].to_numpy()
    assert (swings[:-1] >= swings[1:]).all()
    assert (swings > 0).all()
    # nocache has no cached price: hit rate and prefix cannot move the result
    assert "Cache-hit rate" not in set(frame["input"])


def test_never_variants_are_nan_not_inf():
    frame = tornado(two_way(base="acme/small", ft="acme/big"), acme())
    assert frame.empty or frame[["breakeven_low", "breakeven_high"]].isna().all().all()
    assert not any(math.isinf(v) for v in frame["breakeven_low"].dropna())


def test_step_must_be_a_fraction():
    with pytest.raises(CostModelError):
        tornado(two_way(), acme(), delta=1.5)


def test_training_price_swing_goes_through_a_price_override():
    # $5/M → $3.75 / $6.25: 1.5M tokens × 2 runs = $11.25 / $18.75 of training
    row = tornado(two_way(), acme()).set_index("input").loc["Training price (challenger)"]
    assert row["breakeven_low"] == pytest.approx(11.25 / (0.00272 * 12))
    assert row["breakeven_high"] == pytest.approx(18.75 / (0.00272 * 12))


def test_static_prefix_moves_with_the_prompt_around_it():
    # big: 3,000-token prompt with a 2,000-token prefix; −25 % prefix → 1,500 prefix,
    # 2,500 prompt: 1,000 × $2 + 0.8 × 1,500 × $0.5 + 0.2 × 1,500 × $2 + 100 × $8 = $0.0040
    # tuned small $0.00048; horizon 7 months (big retires 2027-06-01); training $15
    frame = tornado(two_way(base="acme/big"), acme()).set_index("input")
    row = frame.loc["Static prompt prefix (baseline)"]
    assert row["breakeven_low"] == pytest.approx(15 / ((0.0040 - 0.00048) * 7))

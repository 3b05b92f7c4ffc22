"""Per-request cost: hand-computed cases on the Acme fixture prices, and invariants."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_fixtures import acme
from hypothesis import given
from hypothesis import strategies as st

from costmodel.engine.notes import Note, NoteCode
from costmodel.engine.request_cost import (
    CacheSettings,
    cached_length,
    request_cost,
)
from costmodel.errors import ScenarioError
from costmodel.prices.catalog import load_catalog
from costmodel.prices.schema import InferencePrices
from costmodel.tokens.figures import RequestTokens

CAT = acme()
BIG = CAT["acme/big"].inference
WRITER = CAT["acme/writer"].inference
NOCACHE = CAT["acme/nocache"].inference
RFT = CAT["acme/rft"].inference


def usd(total_micro: float) -> float:
    """Hand arithmetic is done in tokens × $/1M, i.e. micro-dollars."""
    return total_micro / 1e6


def test_cached_prefix_on_big():
    # 1,000 uncached × $2 + 0.8 × 2,000 × $0.50 + 0.2 × 2,000 × $2 (miss, no write premium)
    # + 100 × $8 = 2,000 + 800 + 800 + 800 = 4,400 µ$
    cost = request_cost(BIG, RequestTokens(3000, 2000, 100), CacheSettings(True, 0.8))
    assert cost.total_usd == pytest.approx(usd(4400), rel=1e-12)
    assert cost.cached_input_usd == pytest.approx(usd(800))
    assert cost.cache_write_usd == 0
    assert cost.uncached_input_usd == pytest.approx(usd(2800))


def test_write_premium_five_minutes_and_one_hour():
    tokens = RequestTokens(5000, 4000, 200)
    # 5m: 1,000 × $1 + 0.75 × 4,000 × $0.10 + 0.25 × 4,000 × $1.25 + 200 × $5
    #   = 1,000 + 300 + 1,250 + 1,000 = 3,550 µ$
    five = request_cost(WRITER, tokens, CacheSettings(True, 0.75, "5m"))
    assert five.total_usd == pytest.approx(usd(3550))
    assert five.cache_write_usd == pytest.approx(usd(1250))
    # 1h: writes at $2.00 → 0.25 × 4,000 × 2 = 2,000; total 4,300 µ$
    hour = request_cost(WRITER, tokens, CacheSettings(True, 0.75, "1h"))
    assert hour.total_usd == pytest.approx(usd(4300))


def test_long_context_tier_reprices_whole_request():
    # 150,000 > 100,000 threshold: 150,000 × $2.00 + 1,000 × $7.50 = 307,500 µ$
    cost = request_cost(WRITER, RequestTokens(150_000, 0, 1000))
    assert cost.total_usd == pytest.approx(usd(307_500))
    assert [n.code for n in cost.notes] == [NoteCode.LONG_CONTEXT_TIER]


def test_printed_batch_sheet_and_mix():
    tokens = RequestTokens(5000, 4000, 200)
    # batch sheet: 1,000 × $0.50 + 0.75 × 4,000 × $0.05 + 0.25 × 4,000 × ($1.25 × 0.5)
    # + 200 × $2.50 = 500 + 150 + 625 + 500 = 1,775 µ$
    full = request_cost(WRITER, tokens, CacheSettings(True, 0.75), batch_share=1.0)
    assert full.total_usd == pytest.approx(usd(1775))
    half = request_cost(WRITER, tokens, CacheSettings(True, 0.75), batch_share=0.5)
    assert half.total_usd == pytest.approx(usd((3550 + 1775) / 2))


def test_batch_discount_halves_everything():
    cost = request_cost(BIG, RequestTokens(3000, 2000, 100), CacheSettings(True, 0.8), 1.0)
    assert cost.total_usd == pytest.approx(usd(2200))


def test_prefix_below_minimum_gets_no_cache():
    # 1,000-token prefix < 1,024 minimum: 3,000 × $2 + 100 × $8 = 6,800 µ$
    cost = request_cost(BIG, RequestTokens(3000, 1000, 100), CacheSettings(True, 0.9))
    assert cost.total_usd == pytest.approx(usd(6800))
    assert cost.cached_input_usd == 0
    assert cost.notes == (
        Note(NoteCode.PREFIX_BELOW_CACHE_MINIMUM, {"prefix": 1000, "minimum": 1024}),
    )


def test_missing_cached_price_is_never_free():
    # no cached price: 3,000 × $1 + 100 × $2 = 3,200 µ$ whatever the hit rate
    cost = request_cost(NOCACHE, RequestTokens(3000, 2000, 100), CacheSettings(True, 1.0))
    assert cost.total_usd == pytest.approx(usd(3200))
    assert cost.notes == (Note(NoteCode.NO_CACHED_PRICE),)


def test_reasoning_tokens_bill_as_output():
    # 1,000 × $1 + (100 + 400) × $4 = 3,000 µ$
    cost = request_cost(RFT, RequestTokens(1000, 0, 100, reasoning=400))
    assert cost.total_usd == pytest.approx(usd(3000))


def test_batch_without_price_is_billed_standard():
    cost = request_cost(NOCACHE, RequestTokens(1000, 0, 0), batch_share=1.0)
    assert cost.total_usd == pytest.approx(usd(1000))
    assert cost.notes == (Note(NoteCode.NO_BATCH_PRICE),)


@pytest.mark.parametrize(
    "kwargs", [{"prompt": -1}, {"prompt": 10, "cacheable_prefix": 11}, {"prompt": 1, "output": -2}]
)
def test_bad_token_figures_are_rejected(kwargs):
    with pytest.raises(ValueError):
        RequestTokens(**kwargs)


def test_batch_share_out_of_range():
    with pytest.raises(ValueError):
        request_cost(BIG, RequestTokens(10), batch_share=1.5)


# --- invariants -------------------------------------------------------------

prices_st = st.builds(
    lambda inp, cached_frac, premium, out, minimum: InferencePrices(
        input_usd_per_mtok=inp,
        cached_input_usd_per_mtok=inp * cached_frac,
        cache_write_usd_per_mtok=None if premium is None else inp * premium,
        output_usd_per_mtok=out,
        min_cacheable_tokens=minimum,
        batch_discount=0.5,
    ),
    st.floats(0, 100),
    st.floats(0, 1),
    st.one_of(st.none(), st.floats(1, 2)),
    st.floats(0, 500),
    st.one_of(st.none(), st.integers(0, 5000)),
)
tokens_st = st.tuples(
    st.floats(0, 200_000), st.floats(0, 1), st.floats(0, 20_000), st.floats(0, 5_000)
).map(lambda t: RequestTokens(t[0], t[0] * t[1], t[2], t[3]))


@given(prices_st, tokens_st, st.floats(0, 1), st.floats(0, 1))
def test_zero_tokens_cost_zero(prices, _tokens, hit, batch):
    cost = request_cost(prices, RequestTokens(0), CacheSettings(True, hit), batch)
    assert cost.total_usd == 0


@given(prices_st, tokens_st, st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))
def test_higher_hit_rate_never_raises_cost(prices, tokens, h1, h2, batch):
    low, high = sorted((h1, h2))
    a = request_cost(prices, tokens, CacheSettings(True, low), batch).total_usd
    b = request_cost(prices, tokens, CacheSettings(True, high), batch).total_usd
    assert b <= a * (1 + 1e-12) + 1e-18


@given(prices_st, tokens_st, st.floats(0, 1000), st.floats(0, 1000), st.floats(0, 1))
def test_cost_grows_with_output_tokens(prices, tokens, more_out, more_reasoning, hit):
    bigger = RequestTokens(
        tokens.prompt,
        tokens.cacheable_prefix,
        tokens.output + more_out,
        tokens.reasoning + more_reasoning,
    )
    cache = CacheSettings(True, hit)
    assert request_cost(prices, bigger, cache).total_usd >= request_cost(
        prices, tokens, cache
    ).total_usd * (1 - 1e-12)


@given(prices_st, tokens_st, st.floats(0, 10_000), st.floats(0, 1))
def test_cost_grows_with_variable_prompt_tokens(prices, tokens, more, hit):
    bigger = RequestTokens(
        tokens.prompt + more, tokens.cacheable_prefix, tokens.output, tokens.reasoning
    )
    cache = CacheSettings(True, hit)
    small = request_cost(prices, tokens, cache).total_usd
    # a longer prompt can cross into a long-context tier only upwards; none here
    assert request_cost(prices, bigger, cache).total_usd >= small * (1 - 1e-12)


# --- cache steps and context windows (tests/fixtures/pricing_mechanics) -------------------------

MECH = load_catalog([Path(__file__).parent / "fixtures" / "pricing_mechanics"])
STEPPER = MECH["mech/stepper"].inference


def test_cache_grows_in_whole_steps_above_the_minimum():
    # 1,100-token prefix, steps of 128 above 1,024: 1,024 + ⌊76 / 128⌋ · 128 = 1,024 cached,
    # 76 more billed as input. Prompt 1,200, hit rate 0.9, output 10:
    #   uncached (1,200 − 1,024) × $1 = 176; cached 0.9 × 1,024 × $0.10 = 92.16;
    #   misses 0.1 × 1,024 × $1 (no write premium) = 102.4; output 10 × $4 = 40 → 410.56 µ$
    cost = request_cost(STEPPER, RequestTokens(1200, 1100, 10), CacheSettings(True, 0.9))
    assert cost.total_usd == pytest.approx(usd(410.56))
    assert cost.cached_input_usd == pytest.approx(usd(92.16))
    assert Note(NoteCode.CACHE_STEPS, {"step": 128, "cached": 1024, "prefix": 1100}) in cost.notes


def test_a_prefix_on_a_step_boundary_is_cached_whole():
    # 1,152 = 1,024 + 128: all of it caches; 0.5 × 1,152 × $0.10 = 57.6 µ$ of cached reads
    cost = request_cost(STEPPER, RequestTokens(1152, 1152, 0), CacheSettings(True, 0.5))
    assert cost.cached_input_usd == pytest.approx(usd(57.6))
    assert not any(n.code == NoteCode.CACHE_STEPS for n in cost.notes)


@given(prefix=st.integers(1024, 50_000))
def test_steps_never_cache_more_than_the_prefix_nor_a_whole_step_less(prefix):
    cached = cached_length(STEPPER, prefix)
    assert prefix - 128 < cached <= prefix
    assert (cached - 1024) % 128 == 0


def test_a_prompt_longer_than_the_context_window_is_refused():
    request_cost(STEPPER, RequestTokens(200_000))  # exactly the window: accepted
    with pytest.raises(ScenarioError, match=r"200,001 tokens is longer than the model accepts"):
        request_cost(STEPPER, RequestTokens(200_001))

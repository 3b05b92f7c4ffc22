"""Price mechanics on made-up fixture prices: service tiers, data residency, dated price
changes, serverless LoRA at the base price, free and unpublished training prices.

Every expected figure is worked out by hand in the comment above it, in micro-dollars
(tokens × USD per 1M tokens).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from engine_fixtures import FIXTURE_PRICING, total_cost, two_way
from pydantic import ValidationError

from costmodel.engine.comparison import Sides, monthly_bills
from costmodel.engine.evaluate import evaluate
from costmodel.engine.request_cost import CacheSettings, request_cost
from costmodel.errors import ScenarioError
from costmodel.prices.catalog import load_catalog
from costmodel.prices.schema import InferencePrices, TrainingPrices
from costmodel.report.wording import training_cost_text
from costmodel.tokens.figures import RequestTokens

MECH_DIR = Path(__file__).parent / "fixtures" / "pricing_mechanics"
CAT = load_catalog([FIXTURE_PRICING, MECH_DIR])
FLEXY = CAT["mech/flexy"].inference
TOKENS = RequestTokens(3000, 2000, 100)
CACHE = CacheSettings(True, 0.8)


def usd(micro: float) -> float:
    return micro / 1e6


# Standard sheet on Flexy (2.00 in / 0.20 cached / 8.00 out, no write premium):
#   1,000 × 2 + 0.8 × 2,000 × 0.20 + 0.2 × 2,000 × 2 + 100 × 8 = 2,000 + 320 + 800 + 800 = 3,920 µ$
STANDARD = 3920


def test_flex_and_priority_scale_the_standard_sheet():
    assert request_cost(FLEXY, TOKENS, CACHE).total_usd == pytest.approx(usd(STANDARD))
    flex = request_cost(FLEXY, TOKENS, CACHE, service_tier="flex")
    assert flex.total_usd == pytest.approx(usd(STANDARD * 0.5))  # 1,960 µ$
    priority = request_cost(FLEXY, TOKENS, CACHE, service_tier="priority")
    assert priority.total_usd == pytest.approx(usd(STANDARD * 2.0))  # 7,840 µ$


def test_flex_does_not_discount_batch_traffic_twice():
    # Half the traffic on flex (3,920 × 0.5 = 1,960), half on batch (listed sheet × 0.5 = 1,960,
    # not the flex sheet halved again, 980): 0.5 × 1,960 + 0.5 × 1,960 = 1,960 µ$
    cost = request_cost(FLEXY, TOKENS, CACHE, 0.5, service_tier="flex")
    assert cost.total_usd == pytest.approx(usd(1960))


def test_data_residency_adds_the_uplift_to_every_sheet():
    # +10 %: 3,920 × 1.1 = 4,312 µ$; all on batch: 3,920 × 0.5 × 1.1 = 2,156 µ$
    assert request_cost(FLEXY, TOKENS, CACHE, data_residency=True).total_usd == pytest.approx(
        usd(4312)
    )
    batch = request_cost(FLEXY, TOKENS, CACHE, 1.0, data_residency=True)
    assert batch.total_usd == pytest.approx(usd(2156))


def test_a_tier_or_residency_without_a_price_is_refused():
    doubler = CAT["mech/doubler"].inference
    with pytest.raises(ScenarioError, match="no flex service tier price"):
        request_cost(doubler, TOKENS, CACHE, service_tier="flex")
    with pytest.raises(ScenarioError, match="no data-residency price"):
        request_cost(doubler, TOKENS, CACHE, data_residency=True)


def test_a_scenario_strategy_on_flex_is_priced_on_flex():
    scenario = two_way(base="mech/flexy")
    flex = two_way(
        base="mech/flexy",
        extra={
            "strategies": [
                {**_strategy(scenario, 0), "service_tier": "flex"},
                _strategy(scenario, 1),
            ]
        },
    )
    standard, flexed = evaluate(scenario, CAT).strategies[0], evaluate(flex, CAT).strategies[0]
    assert flexed.per_request_usd == pytest.approx(standard.per_request_usd * 0.5)


def _strategy(scenario, index: int) -> dict:
    return scenario.strategies[index].model_dump(mode="json", exclude_defaults=True)


# --- dated price changes -------------------------------------------------------------------------


def test_a_dated_change_steps_the_monthly_cost_from_its_month():
    # Doubler, no caching: 1,000 prompt + 100 output tokens.
    #   before 2027-01-01: 1,000 × 0.75 + 100 × 3.75 = 750 + 375 = 1,125 µ$
    #   from 2027-01-01:   1,000 × 1.50 + 100 × 7.50 = 1,500 + 750 = 2,250 µ$
    # The fixture horizon starts 2026-11-01: Nov and Dec at the old price, Jan at the new.
    # 1,000 requests a month, no growth: [1.125, 1.125, 2.25] dollars, total 4.50.
    scenario = two_way(
        base="mech/doubler",
        volume=1000,
        months=3,
        base_tokens={"prompt_tokens": 1000, "output_tokens": 100},
    )
    prompt = evaluate(scenario, CAT).strategies[0]
    assert prompt.per_request_by_month(3) == pytest.approx([1125e-6, 1125e-6, 2250e-6])
    bills = monthly_bills(Sides.of([prompt]), 1000.0, np.array([3]), 0.0)[0]
    assert bills.tolist() == pytest.approx([1.125, 1.125, 2.25])
    assert total_cost(prompt, 1000.0, 3) == pytest.approx(4.5)


def test_break_even_uses_the_volume_weighted_price():
    # Same scenario, fine-tuned side acme/small: 200 in × 0.80 + 100 out × 3.20 = 480 µ$.
    # Training 1,000 × 500 × 3 epochs = 1.5M tokens × $5 = $7.50 per run, 2 runs = $15.
    # Prompt side over 3 months, no growth: (1,125 + 1,125 + 2,250) / 3 = 1,500 µ$ a request.
    # Break-even V = 15 / ((1,500 − 480) µ$ × 3) = 15 / 0.00306 = 4,901.96… requests a month.
    scenario = two_way(
        base="mech/doubler",
        volume=1000,
        months=3,
        base_tokens={"prompt_tokens": 1000, "output_tokens": 100},
    )
    result = evaluate(scenario, CAT)
    assert result.primary.breakeven.requests_per_month == pytest.approx(15 / (1020e-6 * 3))


def test_a_horizon_starting_after_the_change_pays_the_new_price_throughout():
    doubler = CAT["mech/doubler"].inference
    assert doubler.on(doubler.price_changes[0].starts).input_usd_per_mtok == 1.50
    prompt = evaluate(two_way(base="mech/doubler", extra={"start_date": "2027-02-01"}), CAT)
    first = prompt.strategies[0]
    assert first.price_steps == ()
    # The fixture's prompt: 3,000 tokens, 2,000 cacheable at an 80 % hit rate, 100 out; Doubler
    # gives no caching minimum, so caching applies at the new prices:
    #   1,000 × 1.50 + 0.8 × 2,000 × 0.15 + 0.2 × 2,000 × 1.50 + 100 × 7.50
    #   = 1,500 + 240 + 600 + 750 = 3,090 µ$
    assert first.request.total_usd == pytest.approx(usd(3090))


def test_a_change_that_drops_a_cache_price_is_refused():
    with pytest.raises(ValidationError, match="price change of 2027-01-01 has no cached_input"):
        InferencePrices(
            input_usd_per_mtok=1,
            cached_input_usd_per_mtok=0.1,
            output_usd_per_mtok=4,
            price_changes=[
                {"starts": "2027-01-01", "input_usd_per_mtok": 2, "output_usd_per_mtok": 8}
            ],
        )


# --- serverless LoRA, free and unpublished training ----------------------------------------------


def test_serverless_lora_costs_the_base_price_per_token_and_nothing_fixed():
    # mech/lora fine-tuned: 200 × 0.15 + 100 × 0.50 = 30 + 50 = 80 µ$, no hosting or GPU bill
    scenario = two_way(base="acme/nocache", ft="mech/lora")
    tuned = evaluate(scenario, CAT).strategies[1]
    assert tuned.request.total_usd == pytest.approx(usd(80))
    assert tuned.monthly_fixed_usd == 0 and tuned.gpu is None


def test_free_training_costs_nothing_and_says_why():
    # 1,000 × 500 × 3 epochs = 1.5M tokens, free: $0 per run; the two runs cost nothing
    tuned = evaluate(two_way(base="acme/nocache", ft="mech/free-rft"), CAT).strategies[1]
    assert tuned.one_time["training"] == 0
    assert tuned.training is not None
    assert training_cost_text(tuned.training) == (
        "free: RFT is free for models under 16B parameters"
    )


def test_an_unpublished_training_price_is_never_free():
    with pytest.raises(ScenarioError, match="publishes no training price"):
        evaluate(two_way(base="acme/nocache", ft="mech/secret"), CAT)


def test_free_reason_goes_only_with_a_zero_price():
    with pytest.raises(ValidationError, match="free_reason is only for a training price of zero"):
        TrainingPrices(usd_per_mtok=1, free_reason="launch offer")
    with pytest.raises(ValidationError, match="price_not_public cannot come with"):
        TrainingPrices(usd_per_mtok=1, price_not_public=True)


def test_every_free_training_price_in_the_shipped_tables_says_why():
    for m in load_catalog().fine_tunable():
        training = m.entry.fine_tuning.training  # type: ignore[union-attr]
        if (training.usd_per_mtok or training.usd_per_hour or 0) == 0:
            assert training.price_not_public or training.free_reason, m.key


@pytest.mark.parametrize("ft", ["mech/unlisted-calls", "mech/unlisted-hours"])
def test_an_unpublished_price_for_calling_the_fine_tune_is_never_free(ft):
    with pytest.raises(ScenarioError, match="publishes no price for calling the fine-tuned model"):
        evaluate(two_way(base="acme/nocache", ft=ft), CAT)


def test_an_unpublished_call_price_priced_by_the_user_is_used():
    # the user's own per-token price for mech/unlisted-calls: 200 × 0.30 + 100 × 1.00
    # = 60 + 100 = 160 µ$ a request, no hosting or GPU bill
    override = {"mech/unlisted-calls": {"fine_tuning": {"inference": {
        "input_usd_per_mtok": 0.30, "output_usd_per_mtok": 1.00}}}}  # fmt: skip
    scenario = two_way(base="acme/nocache", ft="mech/unlisted-calls", extra={
        "price_overrides": override})  # fmt: skip
    tuned = evaluate(scenario, CAT).strategies[1]
    assert tuned.request.total_usd == pytest.approx(usd(160))
    assert tuned.monthly_fixed_usd == 0 and tuned.gpu is None


def test_a_serving_mode_without_its_price_needs_the_not_public_flag():
    from costmodel.prices.schema import Serving

    with pytest.raises(ValidationError, match="needs gpu_usd_per_hour"):
        Serving(mode="dedicated")
    assert Serving(mode="dedicated", call_price_not_public=True).missing_price

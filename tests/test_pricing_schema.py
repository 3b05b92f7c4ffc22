"""The strict schema of one pricing file: what it accepts and what it must refuse."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from costmodel.prices.schema import (
    BatchPrices,
    FineTuning,
    InferencePrices,
    ModelEntry,
    PricingFile,
    Serving,
    TrainingPrices,
    field_at,
)

PRICES = {"input_usd_per_mtok": 2.0, "cached_input_usd_per_mtok": 0.5, "output_usd_per_mtok": 8.0}
TUNING = {"methods": ["sft"], "training": {"usd_per_mtok": 25.0}, "inference_same_as_base": True}


def entry(**extra: Any) -> dict[str, Any]:
    """A minimal valid base-model entry, with ``extra`` fields added or replaced."""
    return {
        "name": "Demo",
        "source_url": "https://example.com/pricing",
        "as_of": "2026-10-01",
        "inference": dict(PRICES),
        **extra,
    }


def reject(model: type, data: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    assert fragment in str(info.value)


def test_a_minimal_base_model_is_accepted_and_is_a_base_role() -> None:
    e = ModelEntry.model_validate(entry())
    assert e.role == "base"
    assert e.as_of == dt.date(2026, 10, 1)
    assert e.inference is not None and e.inference.output_usd_per_mtok == 8.0


def test_a_model_with_training_is_fine_tunable() -> None:
    assert ModelEntry.model_validate(entry(fine_tuning=TUNING)).role == "fine-tunable"


@pytest.mark.parametrize(
    "field", ["input_usd_per_mtok", "cached_input_usd_per_mtok", "output_usd_per_mtok"]
)
def test_negative_prices_are_rejected(field: str) -> None:
    reject(InferencePrices, {**PRICES, field: -0.01}, "greater than or equal to 0")


def test_cached_input_above_input_is_rejected_everywhere() -> None:
    dear = {"input_usd_per_mtok": 1.0, "cached_input_usd_per_mtok": 1.5, "output_usd_per_mtok": 2}
    reject(InferencePrices, dear, "is above input_usd_per_mtok")
    reject(BatchPrices, dear, "is above input_usd_per_mtok")
    tier = {"above_prompt_tokens": 1000, **dear}
    reject(InferencePrices, {**PRICES, "long_context": [tier]}, "is above input_usd_per_mtok")


def test_cached_equal_to_input_is_allowed() -> None:
    same = InferencePrices.model_validate({**PRICES, "cached_input_usd_per_mtok": 2.0})
    assert same.cached_input_usd_per_mtok == same.input_usd_per_mtok


def test_output_above_ten_thousand_dollars_is_a_typo_but_ten_thousand_is_allowed() -> None:
    reject(InferencePrices, {**PRICES, "output_usd_per_mtok": 10_000.01}, "above the $10,000 cap")
    at_cap = InferencePrices.model_validate({**PRICES, "output_usd_per_mtok": 10_000})
    assert at_cap.output_usd_per_mtok == 10_000


def test_missing_output_price_is_rejected() -> None:
    reject(InferencePrices, {"input_usd_per_mtok": 1.0}, "output_usd_per_mtok")


def test_unknown_keys_are_rejected_not_ignored() -> None:
    reject(InferencePrices, {**PRICES, "ouput_usd_per_mtok": 8.0}, "Extra inputs are not permitted")


def test_batch_prices_and_batch_discount_exclude_each_other() -> None:
    batch = {"input_usd_per_mtok": 1.0, "output_usd_per_mtok": 4.0}
    reject(InferencePrices, {**PRICES, "batch": batch, "batch_discount": 0.5}, "not both")


def test_batch_prices_can_carry_a_cache_write_price() -> None:
    batch = {"input_usd_per_mtok": 5, "cache_write_usd_per_mtok": 6.25, "output_usd_per_mtok": 25}
    assert BatchPrices.model_validate(batch).cache_write_usd_per_mtok == 6.25


def test_long_context_tiers_must_increase() -> None:
    tier = {"input_usd_per_mtok": 4.0, "output_usd_per_mtok": 12.0}
    tiers = [{"above_prompt_tokens": 200_000, **tier}, {"above_prompt_tokens": 100_000, **tier}]
    reject(InferencePrices, {**PRICES, "long_context": tiers}, "increasing above_prompt_tokens")


@pytest.mark.parametrize("training", [{}, {"usd_per_mtok": 1.0, "usd_per_hour": 100.0}])
def test_training_needs_exactly_one_unit(training: dict[str, float]) -> None:
    reject(TrainingPrices, training, "exactly one of usd_per_mtok or usd_per_hour")


def test_hosted_and_dedicated_serving_need_their_hourly_price() -> None:
    reject(Serving, {"mode": "hosted"}, "needs hosting_usd_per_hour")
    reject(Serving, {"mode": "dedicated"}, "needs gpu_usd_per_hour")


def test_fine_tuned_inference_must_be_priced_somehow() -> None:
    bare = {"methods": ["sft"], "training": {"usd_per_mtok": 1.0}}
    reject(FineTuning, bare, "fine-tuned inference prices are missing")
    dedicated = FineTuning.model_validate(
        {**bare, "serving": {"mode": "dedicated", "gpu_usd_per_hour": 8.0}}
    )
    assert dedicated.inference is None


def test_a_model_needs_something_to_sell() -> None:
    data = entry()
    del data["inference"]
    reject(ModelEntry, data, "needs base inference prices, fine_tuning, or both")


def test_unverified_paths_must_name_a_field_that_is_set() -> None:
    ok = ModelEntry.model_validate(
        entry(fine_tuning=TUNING, unverified=["fine_tuning.training.usd_per_mtok"])
    )
    assert ok.unverified == ("fine_tuning.training.usd_per_mtok",)
    reject(ModelEntry, entry(unverified=["inference.batch_discount"]), "names no field")
    reject(ModelEntry, entry(unverified=["inference.input_price"]), "names no field")
    reject(ModelEntry, entry(unverified=["fine_tuning.training"]), "names no field")


def test_promo_until_is_a_date() -> None:
    assert ModelEntry.model_validate(entry(promo_until="2026-11-21")).promo_until == dt.date(
        2026, 11, 21
    )
    reject(ModelEntry, entry(promo_until="soon"), "promo_until")


def test_source_url_must_be_a_url() -> None:
    reject(ModelEntry, entry(source_url="vendor pricing page"), "source_url")


def pricing_file(models: dict[str, Any]) -> dict[str, Any]:
    return {"provider": "demo", "provider_name": "Demo", "models": models}


def test_an_alias_may_not_repeat_another_model_id_or_alias() -> None:
    clash = pricing_file({"a-1": entry(aliases=["b-1"]), "b-1": entry()})
    reject(PricingFile, clash, "alias 'b-1' of a-1 is already used by b-1")
    twice = pricing_file({"a-1": entry(aliases=["short"]), "b-1": entry(aliases=["SHORT"])})
    reject(PricingFile, twice, "already used by a-1")


def test_an_alias_equal_to_its_own_id_is_harmless() -> None:
    pf = PricingFile.model_validate(pricing_file({"a-1": entry(aliases=["A-1"])}))
    assert list(pf.models) == ["a-1"]


def test_provider_ids_are_lowercase_slugs() -> None:
    reject(PricingFile, {**pricing_file({}), "provider": "My Vendor"}, "provider")


def test_field_at_walks_models_and_tuples() -> None:
    e = ModelEntry.model_validate(
        entry(
            inference={
                **PRICES,
                "long_context": [
                    {
                        "above_prompt_tokens": 1000,
                        "input_usd_per_mtok": 4,
                        "cached_input_usd_per_mtok": 1,
                        "output_usd_per_mtok": 9,
                    }
                ],
            }
        )
    )
    assert field_at(e, "inference.long_context.0.output_usd_per_mtok") == 9
    assert field_at(e, "inference.long_context.1") is None
    assert field_at(e, "inference.cache_write_usd_per_mtok") is None
    assert field_at(e, "nonsense") is None


# --- long-context tiers keep their cache prices; context window ---------------------------------


def _tier(**prices: float) -> dict[str, Any]:
    tier: dict[str, Any] = {"above_prompt_tokens": 200_000, "input_usd_per_mtok": 4}
    return {**tier, "output_usd_per_mtok": 12, **prices}


def test_a_tier_that_drops_the_cached_price_is_refused() -> None:
    # Without it, every cached token above 200K would be billed as fresh input.
    reject(ModelEntry, entry(inference={**PRICES, "long_context": [_tier()]}), "cached_input")


def test_a_tier_that_drops_the_cache_write_price_is_refused() -> None:
    prices = {**PRICES, "cache_write_usd_per_mtok": 2.5}
    tier = _tier(cached_input_usd_per_mtok=1.0)
    reject(ModelEntry, entry(inference={**prices, "long_context": [tier]}), "cache_write")


def test_a_tier_is_free_to_omit_cache_prices_the_model_has_not() -> None:
    prices = {"input_usd_per_mtok": 2.0, "output_usd_per_mtok": 8.0, "long_context": [_tier()]}
    assert ModelEntry.model_validate(entry(inference=prices)).inference is not None


def test_a_tier_beyond_the_context_window_is_refused() -> None:
    tier = _tier(cached_input_usd_per_mtok=1.0)
    prices = {**PRICES, "max_prompt_tokens": 200_000, "long_context": [tier]}
    reject(ModelEntry, entry(inference=prices), "max_prompt_tokens")


# --- lifecycle and disagreements ----------------------------------------------------------------


def test_new_customer_dates_cannot_follow_the_dates_for_everyone() -> None:
    life = {"training_ends": "2027-01-06", "training_ends_new_customers": "2027-02-01"}
    reject(ModelEntry, entry(lifecycle=life), "training_ends_new_customers")
    life = {"retires": "2027-01-14", "inference_ends_new_customers": "2027-02-01"}
    reject(ModelEntry, entry(lifecycle=life), "inference_ends_new_customers")


def test_a_disagreement_must_name_a_field_that_is_set() -> None:
    other = {"other_value": 0.88, "source": "another database", "as_of": "2026-11-04"}
    kept = ModelEntry.model_validate(
        entry(disputed=[{"field": "inference.input_usd_per_mtok", **other}])
    )
    assert kept.disputed[0].other_value == 0.88
    reject(ModelEntry, entry(disputed=[{"field": "lifecycle.retires", **other}]), "disputed")


def test_a_file_written_before_availability_existed_still_loads() -> None:
    # Only the original lifecycle keys: everything new is optional.
    old = entry(lifecycle={"released": "2025-04-14", "retires": "2027-01-14"})
    assert ModelEntry.model_validate(old).lifecycle.training_ends_new_customers is None

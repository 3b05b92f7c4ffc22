"""Break-even, payback and strategy costs: hand-computed cases and invariants."""

from __future__ import annotations

import math

import pytest
from engine_fixtures import START, acme, breakeven, payback, total_cost, two_way
from hypothesis import assume, given
from hypothesis import strategies as st
from reference import ref_breakeven, ref_gap, ref_payback_month, ref_status, ref_total

from costmodel.engine.comparison import Reason
from costmodel.engine.evaluate import evaluate
from costmodel.engine.strategy_costs import GpuPlan, StrategyCosts
from costmodel.errors import ScenarioError
from costmodel.report.wording import verdict
from costmodel.scenario import Failure

CAT = acme()


def test_golden_prompt_vs_small_fine_tune():
    # prompt on nocache: 3,000 × $1 + 100 × $2 = $0.0032 per request
    # tuned small: 200 × $0.80 + 100 × $3.20 = $0.00048 per request
    # training: 1,000 ex × 500 tok × 3 epochs = 1.5M tok × $5/M = $7.50, × 2 runs = $15
    # V* = 15 / ((0.0032 − 0.00048) × 12 months) = 459.5588… requests/month
    result = evaluate(two_way(), CAT)
    prompt, tuned = result.strategies
    assert prompt.per_request_usd == pytest.approx(0.0032)
    assert tuned.per_request_usd == pytest.approx(0.00048)
    assert tuned.one_time == {"training": 15.0, "data_preparation": 0.0, "evaluation": 0.0}
    be = result.primary.breakeven
    assert be.status == "breaks_even"
    assert be.requests_per_month == pytest.approx(15 / (0.00272 * 12), rel=1e-12)
    # at 100,000/month: month 1 costs $320 vs $48 + $15 → pays back in month 1,
    # saving (0.0032 − 0.00048) × 100,000 = $272 a month
    assert result.primary.payback.month == 1
    assert result.primary.payback.monthly_savings_usd == pytest.approx(272.0)
    assert result.primary.payback.cumulative_savings_usd == pytest.approx(272 * 12 - 15)


def test_hosted_fine_tune_adds_hosting_per_month():
    # hosted-ft: base prices of small 200 × $0.40 + 100 × $1.60 = $0.00024 per request,
    # hosting $2.00/h × 730 h = $1,460 a month; training 1.5M × $5 = $7.50 × 2 = $15
    # V* = (15 + 1,460 × 12) / ((0.0032 − 0.00024) × 12) = 17,535 / 0.03552 = 493,665.5…
    result = evaluate(two_way(ft="acme/hosted-ft"), CAT)
    tuned = result.strategies[1]
    assert tuned.monthly_fixed == {"hosting": pytest.approx(1460.0)}
    assert result.primary.breakeven.requests_per_month == pytest.approx(17_535 / 0.03552)


def test_data_prep_evaluation_and_retraining():
    # training per run $7.50; 3 runs → $22.50; data prep 1,000 × $0.50 = $500;
    # evaluation $40 × 3 runs = $120; retrain every 6 months in 12 → 1 retrain
    # (month 7) costing $7.50 + $40 = $47.50. Fixed total = 642.50 + 47.50 = $690
    training = {
        "examples": 1000,
        "tokens_per_example": 500,
        "epochs": 3,
        "runs": 3,
        "retrain_every_months": 6,
        "data_prep_usd_per_example": 0.5,
        "eval_usd_per_run": 40,
    }
    result = evaluate(two_way(training=training), CAT)
    tuned = result.strategies[1]
    assert tuned.one_time_usd == pytest.approx(642.5)
    assert tuned.retrain_usd == pytest.approx(47.5)
    assert tuned.retrains_within(12) == 1
    assert result.primary.breakeven.requests_per_month == pytest.approx(690 / (0.00272 * 12))


def test_failures_are_priced_per_successful_request():
    # retry at 20 % with a $0.01 review each: (0.0032 + 0.2 × 0.01) / 0.8 = $0.0065
    sc = two_way()
    prompt = sc.strategies[0].model_copy(
        update={"failure": Failure(rate=0.2, handling="retry", review_usd=0.01)}
    )
    sc = sc.model_copy(update={"strategies": (prompt, sc.strategies[1])})
    result = evaluate(sc, CAT)
    assert result.strategies[0].per_request_usd == pytest.approx(0.0065)
    assert result.strategies[0].failure_usd == pytest.approx(0.0065 - 0.0032)
    # review instead: 0.0032 + 0.2 × 0.01 = $0.0052
    reviewed = prompt.model_copy(
        update={"failure": prompt.failure.model_copy(update={"handling": "review"})}
    )
    sc = sc.model_copy(update={"strategies": (reviewed, sc.strategies[1])})
    assert evaluate(sc, CAT).strategies[0].per_request_usd == pytest.approx(0.0052)


def test_no_saving_means_never():
    # small base $0.00088 vs tuned big $0.0018: fine-tuning costs more per request
    result = evaluate(two_way(base="acme/small", ft="acme/big"), CAT)
    be = result.primary.breakeven
    assert be.status == "never"
    assert be.requests_per_month is None
    assert be.reason == Reason.NO_PER_REQUEST_SAVING
    assert result.primary.payback.month is None
    assert "never breaks even" in verdict(result.primary)


def test_savings_below_monthly_fixed_costs_never_pay_back():
    # at 1,000 requests: saving (0.0032 − 0.00024) × 1,000 = $2.96 < $1,460 hosting
    result = evaluate(two_way(ft="acme/hosted-ft", volume=1000), CAT)
    pb = result.primary.payback
    assert pb.month is None
    assert pb.monthly_savings_usd == pytest.approx(2.96 - 1460)
    assert not result.primary.challenger_cheaper


def test_per_hour_training_needs_hours():
    with pytest.raises(ScenarioError, match="hour"):
        evaluate(two_way(ft="acme/rft"), CAT)
    # 2 h × $100 = $200 per run × 2 runs = $400
    sc = two_way(ft="acme/rft", training={"examples": 100, "hours_per_run": 2, "runs": 2})
    assert evaluate(sc, CAT).strategies[1].one_time["training"] == pytest.approx(400)


def test_dedicated_gpus_step_with_volume():
    # capacity per GPU-month: 2,000 tok/s × 3,600 × 730 × 0.5 = 2.628e9 tokens
    # a request processes 200 + 100 = 300 tokens → 8.76M requests per GPU-month
    result = evaluate(two_way(ft="acme/gpu-ft"), CAT)
    gpu = result.strategies[1].gpu
    assert gpu.tokens_per_gpu_month == pytest.approx(2.628e9)
    assert gpu.gpus(8_760_000) == 1
    assert gpu.gpus(8_760_001) == 2
    assert gpu.monthly_usd(1) == pytest.approx(7300.0)
    be = result.primary.breakeven
    a, b = result.strategies
    v = be.requests_per_month
    assert total_cost(a, v * (1 - 1e-9), 12, 0.0) < total_cost(b, v * (1 - 1e-9), 12, 0.0)
    assert total_cost(a, v, 12, 0.0) >= total_cost(b, v, 12, 0.0)


def test_gpu_cost_above_saving_never_breaks_even():
    plan = GpuPlan(
        usd_per_gpu_month=1000, tokens_per_gpu_month=1e6, tokens_per_request=1000, min_replicas=1
    )
    a = StrategyCosts(name="a", per_request_usd=0.5)
    b = StrategyCosts(name="b", per_request_usd=0.0, gpu=plan)  # $1,000 per request of GPU
    be = breakeven(a, b, 12, 0.0)
    assert be.status == "never"
    assert be.reason == Reason.GPU_OUTWEIGHS


def test_empty_horizon_is_never():
    a, b = StrategyCosts(name="a", per_request_usd=1.0), StrategyCosts(name="b")
    assert breakeven(a, b, 0, 0.0).status == "never"
    assert payback(a, b, 10, 0, 0.0).month is None


# --- invariants -------------------------------------------------------------

money = st.floats(0, 1e5, allow_nan=False)
per_request = st.floats(0, 1.0, allow_nan=False)
stub_st = st.builds(
    lambda name, c, one, retrain, every, fixed: StrategyCosts(
        name=name,
        per_request_usd=c,
        one_time={"training": one},
        retrain_usd=retrain,
        retrain_every_months=every,
        monthly_fixed={"hosting": fixed} if fixed else {},
    ),
    st.sampled_from(["x"]),
    per_request,
    money,
    money,
    st.one_of(st.none(), st.integers(1, 24)),
    st.floats(0, 1e4),
)


@given(stub_st, stub_st, st.integers(1, 60), st.floats(-0.2, 0.5))
def test_both_cost_the_same_at_breakeven(a, b, months, growth):
    a = a.__class__(**{**a.__dict__, "name": "a"})
    b = b.__class__(**{**b.__dict__, "name": "b"})
    be = breakeven(a, b, months, growth)
    if be.status in ("breaks_even", "cheaper_below"):
        v = be.requests_per_month
        assert v is not None and v > 0 and math.isfinite(v)
        ta, tb = ref_total(a, v, months, growth), ref_total(b, v, months, growth)
        assert ta == pytest.approx(tb, rel=1e-9, abs=1e-6)
    elif be.status == "never":
        assert be.requests_per_month is None
    if be.status == "breaks_even":
        assert ref_breakeven(a, b, months, growth) == pytest.approx(be.requests_per_month, rel=1e-9)


@given(stub_st, stub_st, st.integers(1, 60), st.floats(0, 0.3))
def test_no_per_request_saving_never_pays_off_at_high_volume(a, b, months, growth):
    a = a.__class__(**{**a.__dict__, "name": "a"})
    b = b.__class__(**{**b.__dict__, "name": "b", "per_request_usd": a.per_request_usd + 0.001})
    be = breakeven(a, b, months, growth)
    assert be.status in ("never", "cheaper_below", "always") or be.status == "equal"
    assert be.status != "breaks_even"


@given(stub_st, st.floats(0, 1e7), st.floats(0, 1e7), st.integers(1, 48), st.floats(0, 0.3))
def test_total_grows_with_volume(s, v1, v2, months, growth):
    low, high = sorted((v1, v2))
    assert total_cost(s, high, months, growth) >= total_cost(s, low, months, growth) * (1 - 1e-12)


@given(stub_st, stub_st, st.floats(0, 1e6), st.integers(1, 36), st.floats(0, 0.2))
def test_payback_matches_month_by_month_reference(a, b, volume, months, growth):
    a = a.__class__(**{**a.__dict__, "name": "a"})
    b = b.__class__(**{**b.__dict__, "name": "b"})
    assert payback(a, b, volume, months, growth).month == ref_payback_month(
        a, b, volume, months, growth
    )


def test_scenario_start_is_explicit():
    assert evaluate(two_way(), CAT).horizon.start == START


def test_hit_rate_from_requests_per_cache_lifetime():
    # R = 5 requests per lifetime → hit rate 1 − 1/5 = 0.8, the same as giving 0.8:
    # big: 1,000 × $2 + 0.8 × 2,000 × $0.50 + 0.2 × 2,000 × $2 + 100 × $8 = $0.0044
    sc = two_way(base="acme/big")
    prompt = sc.strategies[0]
    derived = prompt.model_copy(
        update={
            "cache": prompt.cache.model_copy(update={"hit_rate": 0.1, "requests_per_lifetime": 5})
        }
    )
    sc = sc.model_copy(update={"strategies": (derived, sc.strategies[1])})
    assert evaluate(sc, CAT).strategies[0].per_request_usd == pytest.approx(0.0044)


@given(stub_st, stub_st, st.integers(0, 48), st.floats(-0.3, 0.3))
def test_status_matches_the_reference_definition(a, b, months, growth):
    """Every status, "cheaper below" and "always" included, from the gap's end points."""
    a = a.__class__(**{**a.__dict__, "name": "a"})
    b = b.__class__(**{**b.__dict__, "name": "b"})
    # a gap below a billionth of a dollar at either end is a tie that floating point
    # cannot decide the same way twice; real prices never come that close
    scale = ref_total(a, 1e13, months, growth) + ref_total(b, 1e13, months, growth)
    for volume in (0.0, 1e13):
        gap = abs(ref_gap(a, b, volume, months, growth))
        assume(gap == 0 or gap > 1e-9 + 1e-12 * scale)
    be = breakeven(a, b, months, growth)
    expected = ref_status(a, b, months, growth)
    if be.reason in (Reason.SAVING_TOO_SMALL, Reason.GAP_TOO_SMALL):
        return  # the crossing lies beyond the searched range: the end points cannot see it
    assert be.status == expected

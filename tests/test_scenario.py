"""The scenario format: strict, safe, lossless round-trip, clear errors."""

from __future__ import annotations

import datetime as dt

import pytest
from engine_fixtures import acme, two_way
from hypothesis import given
from hypothesis import strategies as st

from costmodel.demo import demo_scenario, example_scenario_text
from costmodel.engine.evaluate import evaluate
from costmodel.engine.lifecycle import add_months, horizon_for, months_between
from costmodel.errors import PricingError, ScenarioError
from costmodel.report.wording import verdict
from costmodel.scenario import (
    dump_scenario,
    hit_rate_from_requests_per_lifetime,
    load_scenario,
    parse_scenario,
    scenario_from_dict,
    scenario_to_dict,
)


def test_round_trip_is_lossless():
    sc = demo_scenario()
    again = parse_scenario(dump_scenario(sc))
    assert again == sc
    assert parse_scenario(dump_scenario(again)) == again


@given(
    st.floats(0, 1e9),
    st.floats(-0.5, 2),
    st.integers(1, 120),
    st.floats(0, 1),
    st.integers(1, 10),
    st.one_of(st.just("auto"), st.integers(1, 25)),
)
def test_round_trip_any_values(volume, growth, months, hit, runs, epochs):
    sc = two_way(volume=volume, growth=growth, months=months)
    data = scenario_to_dict(sc)
    data["strategies"][0]["cache"]["hit_rate"] = hit
    data["strategies"][1]["training"]["runs"] = runs
    data["strategies"][1]["training"]["epochs"] = epochs
    sc = scenario_from_dict(data)
    assert parse_scenario(dump_scenario(sc)) == sc


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("strategies: [", "line"),
        ("- a\n- b", "expected a mapping"),
        ("", "expected a mapping"),
        ("name: x\nstrategies: []", "strategies"),
        (
            "strategies:\n - {name: a, kind: prompt, model: m, tokens: {}, typo: 1}\n"
            " - {name: b, kind: prompt, model: m, tokens: {}}",
            "typo",
        ),
        (
            "strategies:\n - {name: a, kind: prompt, model: m, tokens: {prompt_tokens: -5}}\n"
            " - {name: b, kind: prompt, model: m, tokens: {}}",
            "prompt_tokens",
        ),
        (
            "strategies:\n - {name: a, kind: prompt, model: m, tokens: {}}\n"
            " - {name: a, kind: prompt, model: m, tokens: {}}",
            "unique",
        ),
        (
            "strategies:\n - {name: a, kind: prompt, model: m, tokens: {prompt_tokens: 5, "
            "cacheable_prefix_tokens: 9}}\n - {name: b, kind: prompt, model: m, tokens: {}}",
            "exceeds",
        ),
        ("!!python/object/apply:os.system ['echo hi']", "line"),
    ],
)
def test_bad_scenarios_give_one_clear_error(text, fragment):
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml")
    message = str(info.value)
    assert message.startswith("s.yaml")
    assert fragment in message
    assert "\n" not in message


def test_unreadable_files(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path / "missing.yaml")
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("name: caf\xe9".encode("latin-1"))
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenario(bad)


def test_example_is_documented_and_evaluates():
    text = example_scenario_text()
    assert text.count("\n#") >= 5  # explained in comments
    result = evaluate(demo_scenario(), __import__("costmodel").load_catalog())
    assert result.primary.breakeven.status == "breaks_even"
    assert len(result.comparisons) == 3


def test_demo_break_even_by_hand():
    # Token means of the 240 demo samples: long prompt 258,316 / 240, short prompt
    # 13,516 / 240, output 2,891 / 240.
    # GPT-6.1 Terra: 1.00 in / 0.05 cached / 1.25 write / 5.00 out; the 1,035-token prefix
    # caches 1,024 tokens (128-token steps above 1,024). Per attempt, in µ$:
    #   (258,316 / 240 − 1,024) × 1.00 + 0.9 × 1,024 × 0.05 + 0.1 × 1,024 × 1.25
    #   + 2,891 / 240 × 5.00 = 52.3167 + 46.08 + 128 + 60.2292 = 286.6258; 4 % retried: / 0.96
    # Nova Micro fine-tuned (0.035 in / 0.14 out): 13,516 / 240 × 0.035 + 2,891 / 240 × 0.14
    #   = 1.9711 + 1.6864 = 3.6575; 2 % retried: / 0.98
    # Fixed over 12 months: training 600 × 83 × 3 epochs = 149,400 tokens × $1/1M = $0.1494
    #   per run × 3 runs, data prep 600 × $0.40 = $240, evaluation 3 × $60 = $180, one
    #   retraining at month 6 ($0.1494 + $60), storage 12 × $1.95 = $23.40 → $503.9976
    # Volume multiplier S = (1.03¹² − 1) / 0.03
    base = (258_316 / 240 - 1_024) * 1.00 + 0.9 * 1_024 * 0.05 + 0.1 * 1_024 * 1.25
    base += 2_891 / 240 * 5.00
    tuned = 13_516 / 240 * 0.035 + 2_891 / 240 * 0.14
    saving = (base / 0.96 - tuned / 0.98) * 1e-6
    fixed = 3 * 0.1494 + 240 + 180 + 0.1494 + 60 + 12 * 1.95
    s = (1.03**12 - 1) / 0.03
    result = evaluate(demo_scenario(), __import__("costmodel").load_catalog())
    assert result.primary.breakeven.requests_per_month == pytest.approx(
        fixed / (saving * s), rel=1e-9
    )


def test_no_demo_model_closes_within_the_demo_horizon():
    # The demo must show only what a new customer can buy today and keep for its whole
    # horizon; when a model retires or closes to new customers, rebuild the demo.
    catalog = __import__("costmodel").load_catalog()
    scenario = demo_scenario()
    start = scenario.start_date or dt.date.today()
    end = add_months(start, scenario.horizon_months)
    for strategy in scenario.strategies:
        use = "fine-tune" if strategy.kind == "fine-tuned" else "prompt"
        model = catalog.resolve(strategy.model)
        assert model.buyable_over(start, end, use), (
            f"{model.key} is not buyable by a new customer from {start} to {end}: "
            f"{model.availability(start, use)}, next change {model.next_change(start, use)}"
        )


def test_hit_rate_assumption():
    # one write per lifetime: R = 4 → 1 − 1/4 = 0.75
    assert hit_rate_from_requests_per_lifetime(4) == 0.75
    assert hit_rate_from_requests_per_lifetime(1) == 0.0


def test_price_overrides_apply_and_are_validated():
    sc = two_way(
        extra={"price_overrides": {"acme/nocache": {"inference": {"input_usd_per_mtok": 2.0}}}}
    )
    # 3,000 × $2 + 100 × $2 = $0.0062
    assert evaluate(sc, acme()).strategies[0].per_request_usd == pytest.approx(0.0062)
    bad = two_way(
        extra={"price_overrides": {"acme/nocache": {"inference": {"input_usd_per_mtok": -1}}}}
    )
    with pytest.raises(PricingError, match=r"acme/nocache.*input_usd_per_mtok"):
        evaluate(bad, acme())


def test_retirement_cuts_horizon():
    # acme/big retires 2027-06-01: 2026-11-01 → 2027-06-01 is 7 whole calendar months
    result = evaluate(two_way(base="acme/big"), acme())
    assert result.horizon.months == 7
    assert result.horizon.cut
    (cut,) = result.horizon.cuts
    assert (cut.code, cut.date, cut.months) == ("retires", dt.date(2027, 6, 1), 7)
    assert "Only 7 months of 12 count" in verdict(result.primary)


def test_end_of_training_cuts_horizon_before_a_retraining():
    # training closes 2027-01-06; retraining every 2 months is due 2027-01-01 (before
    # closing) and 2027-03-01 (after) → the horizon stops after 4 months
    extra = {"price_overrides": {"acme/small": {"lifecycle": {"training_ends": "2027-01-06"}}}}
    training = {"examples": 100, "tokens_per_example": 100, "retrain_every_months": 2}
    result = evaluate(two_way(training=training, extra=extra), acme())
    assert result.horizon.months == 4
    (cut,) = result.horizon.cuts
    assert (cut.code, cut.due_month, cut.months) == ("training_closes", 5, 4)
    assert "the retraining due in month 5 cannot run" in verdict(result.primary)


def test_training_closed_before_start_makes_fine_tuning_unavailable():
    extra = {"price_overrides": {"acme/small": {"lifecycle": {"training_ends": "2026-10-01"}}}}
    result = evaluate(two_way(extra=extra), acme())
    assert result.primary.breakeven.status == "unavailable"
    assert "cannot be compared" in verdict(result.primary)


def test_months_between_is_whole_average_months():
    assert months_between(dt.date(2026, 1, 1), dt.date(2027, 1, 1)) == 12
    assert months_between(dt.date(2026, 1, 1), dt.date(2026, 1, 30)) == 0
    assert horizon_for([], 7, dt.date(2026, 1, 1)).months == 7


def test_price_override_vouches_for_an_unverified_figure():
    from costmodel.prices.catalog import load_catalog
    from costmodel.prices.overrides import with_overrides

    catalog = load_catalog()
    key = "vertex/gemini-2.5-flash"
    assert "fine_tuning.training.usd_per_mtok" in catalog[key].entry.unverified
    fields = {"fine_tuning": {"training": {"usd_per_mtok": 4.0}}}
    changed = with_overrides(catalog, {key: fields})
    assert changed[key].entry.fine_tuning.training.usd_per_mtok == 4.0
    assert "fine_tuning.training.usd_per_mtok" not in changed[key].entry.unverified


def test_a_retired_model_is_reported_as_retired():
    # acme/big retires 2027-06-01; a scenario starting after that cannot use it
    sc = two_way(base="acme/big").model_copy(update={"start_date": dt.date(2027, 7, 1)})
    result = evaluate(sc, acme())
    assert result.primary.breakeven.status == "unavailable"
    assert "retired on 2027-06-01" in verdict(result.primary)


def test_one_month_horizon_reads_in_the_singular():
    # big retires 2027-06-01: from 2027-05-01 one whole month is left
    sc = two_way(base="acme/big").model_copy(update={"start_date": dt.date(2027, 5, 1)})
    text = verdict(evaluate(sc, acme()).primary)
    assert "over 1 month and" in text
    assert "Only 1 month of 12 counts" in text
    assert "the comparison stops after 1 month." in text


_RANGE_PATHS = {
    "workload.requests_per_month": (0.0, 1e9),
    "workload.monthly_growth": (-0.5, 2.0),
    "strategies.0.cache.hit_rate": (0.0, 1.0),
    "strategies.1.training.runs": (1, 10),
    "strategies.1.price_multipliers.inference": (0.1, 5.0),
}


@st.composite
def _ranges(draw):
    """A range of one of four shapes for each chosen input, inside the input's legal values."""
    chosen = draw(st.lists(st.sampled_from(sorted(_RANGE_PATHS)), unique=True, min_size=1))
    out = {}
    for path in chosen:
        lo, hi = _RANGE_PATHS[path]
        whole = isinstance(lo, int)
        number = st.integers(lo, hi) if whole else st.floats(lo, hi, allow_nan=False)
        a, b, c = sorted(draw(st.tuples(number, number, number)))
        shape = draw(st.sampled_from(["triangular", "pert", "uniform", "normal", "lognormal"]))
        if shape == "uniform":
            out[path] = {"low": a, "high": c}
        elif shape == "normal" and not whole:
            out[path] = {"dist": "normal", "mean": b, "sd": c - a}
        elif shape == "lognormal" and b > 0 and not whole:
            out[path] = {"dist": "lognormal", "median": b, "sigma": (c - a) / max(c, 1)}
        else:
            out[path] = {"low": a, "likely": b, "high": c} | (
                {"dist": "pert"} if shape == "pert" else {}
            )
    return out


@given(_ranges())
def test_ranges_round_trip_losslessly(ranges):
    from costmodel.uncertain import get_path, set_path

    data = scenario_to_dict(two_way())
    for path, spec in ranges.items():
        set_path(data, path, spec)
    sc = scenario_from_dict(data)
    assert set(sc.uncertain) == set(ranges)
    again = parse_scenario(dump_scenario(sc))
    assert again == sc
    for path, spec in ranges.items():
        assert get_path(scenario_to_dict(again), path) == {
            k: float(v) if not isinstance(v, str) else v for k, v in spec.items()
        }


def test_a_range_on_an_input_that_takes_none_is_refused():
    data = scenario_to_dict(two_way())
    data["strategies"][0]["cache"]["ttl"] = {"low": 1, "high": 2}
    with pytest.raises(ScenarioError, match="ttl"):
        scenario_from_dict(data)
    data = scenario_to_dict(two_way())
    data["uncertain"] = {"strategies.0.name": {"low": 1, "high": 2}}
    with pytest.raises(ScenarioError, match="may be a range"):
        scenario_from_dict(data)


def test_range_ends_are_checked_like_the_field():
    data = scenario_to_dict(two_way())
    data["strategies"][0]["cache"]["hit_rate"] = {"low": 0.5, "likely": 0.9, "high": 1.5}
    with pytest.raises(ScenarioError, match=r"high end.*hit_rate.*more than 1"):
        scenario_from_dict(data)
    data["strategies"][0]["cache"]["hit_rate"] = {"low": 0.9, "high": 0.5}
    with pytest.raises(ScenarioError, match=r"low \(0.9\) is above high"):
        scenario_from_dict(data)
    data["strategies"][0]["cache"]["hit_rate"] = {"dist": "normal", "mean": 0.9}
    with pytest.raises(ScenarioError, match="normal range takes mean, sd; missing sd"):
        scenario_from_dict(data)


def test_a_range_gives_its_central_value_to_the_point_estimate():
    data = scenario_to_dict(two_way())
    data["workload"]["requests_per_month"] = {"low": 1000, "high": 3000}
    data["strategies"][1]["training"]["runs"] = {"low": 1, "likely": 3, "high": 5}
    data["strategies"][0]["cache"]["hit_rate"] = {"dist": "normal", "mean": 0.7, "sd": 0.1}
    sc = scenario_from_dict(data)
    assert sc.workload.requests_per_month == 2000  # (1,000 + 3,000) / 2
    assert sc.strategies[1].planned_training().runs == 3
    assert sc.strategies[0].cache.hit_rate == 0.7


def test_a_range_on_an_unused_input_is_refused():
    data = scenario_to_dict(two_way())
    data["strategies"][0]["cache"] = {
        "hit_rate": {"low": 0.5, "high": 0.9},
        "requests_per_lifetime": 10,
    }
    with pytest.raises(ScenarioError, match=r"derived from cache\.requests_per_lifetime"):
        scenario_from_dict(data)

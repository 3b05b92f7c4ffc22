"""Likely mistakes in a scenario get an answer that says what was probably meant."""

from __future__ import annotations

import pytest
from engine_fixtures import FIXTURE_PRICING, acme, two_way

from costmodel.cli import main
from costmodel.errors import PricingError, ScenarioError
from costmodel.prices.overrides import with_overrides
from costmodel.scenario import (
    dump_scenario,
    parse_scenario,
    scenario_from_dict,
    scenario_to_dict,
    scenario_warnings,
)


def with_value(path: tuple[str | int, ...], value: object) -> dict:
    """The fixture scenario as plain data with one value replaced (or added)."""
    data = scenario_to_dict(two_way())
    node = data
    for step in path[:-1]:
        node = node[step] if isinstance(step, int) or node.get(step) is not None else {}
    node[path[-1]] = value
    return data


def error_for(path: tuple[str | int, ...], value: object) -> str:
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(with_value(path, value), "s.yaml")
    return str(info.value)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ("strategies", 0, "cache", "hit_rate"),
            90,
            "s.yaml: strategies.0.cache.hit_rate: 90 is more than 1: shares are fractions "
            "(0.9 means 90 %); did you mean 0.9?",
        ),
        (
            ("strategies", 0, "batch_share"),
            50,
            "s.yaml: strategies.0.batch_share: 50 is more than 1: shares are fractions "
            "(0.9 means 90 %); did you mean 0.5?",
        ),
        (
            ("strategies", 1, "failure"),
            {"rate": 5},
            "s.yaml: strategies.1.failure.rate: 5 is not below 1: a failure rate is a fraction "
            "below 1, since at 1 every answer fails (0.05 means 5 %); did you mean 0.05?",
        ),
        (
            ("strategies", 1, "gpu"),
            {"utilization": 60},
            "s.yaml: strategies.1.gpu.utilization: 60 is more than 1: shares are fractions "
            "(0.9 means 90 %); did you mean 0.6?",
        ),
        (
            ("workload", "monthly_growth"),
            5,
            "s.yaml: workload.monthly_growth: 5 is outside -0.5 to 2: monthly growth is a "
            "fraction (0.03 means 3 % a month); did you mean 0.05?",
        ),
        (
            ("workload", "monthly_growth"),
            -3,
            "s.yaml: workload.monthly_growth: -3 is outside -0.5 to 2: monthly growth is a "
            "fraction (0.03 means 3 % a month); did you mean -0.03?",
        ),
        (
            ("workload", "requests_per_month"),
            float("inf"),
            "s.yaml: workload.requests_per_month: must be a finite number (got inf)",
        ),
        (
            ("workload", "requests_per_month"),
            1e30,
            "s.yaml: workload.requests_per_month: 1e+30 requests a month is not a plausible "
            "volume: at most 1,000,000,000,000 (a trillion)",
        ),
        (
            ("strategies", 0, "tokens", "prompt_tokens"),
            1e9,
            "s.yaml: strategies.0.tokens.prompt_tokens: 1e+09 tokens in one request is beyond "
            "any model: at most 100,000,000",
        ),
        (
            ("strategies", 0, "cache", "hitrate"),
            0.9,
            "s.yaml: strategies.0.cache.hitrate: is not a known field; did you mean hit_rate?",
        ),
        (
            ("workload", "volume"),
            1,
            "s.yaml: workload.volume: is not a known field; known fields: requests_per_month, "
            "monthly_growth",
        ),
        (
            ("strategie",),
            [],
            "s.yaml: strategie: is not a known field; did you mean strategies?",
        ),
    ],
)
def test_a_mistake_is_refused_with_the_likely_meaning(path, value, message):
    assert error_for(path, value) == message


@pytest.mark.parametrize("text", [".inf", "-.inf", ".nan", ".NaN"])
def test_non_finite_yaml_numbers_are_refused(text):
    yaml_text = dump_scenario(two_way()).replace(
        "requests_per_month: 100000.0", f"requests_per_month: {text}"
    )
    assert text in yaml_text
    # Refused while the YAML is read, with the line and the field.
    with pytest.raises(ScenarioError, match=r"line 7: field 'requests_per_month': .* not a finite"):
        parse_scenario(yaml_text)


@pytest.mark.parametrize(("growth", "meant"), [(1, "0.01"), (2, "0.02"), (1.5, "0.015")])
def test_growth_of_a_hundred_percent_or_more_is_accepted_with_a_warning(growth, meant):
    scenario = two_way(growth=growth)
    assert scenario.workload.monthly_growth == growth
    assert scenario_warnings(scenario) == (
        f"workload.monthly_growth: {growth:g} means {growth * 100:.0f}% more requests every "
        f"month; did you mean {meant}?",
    )


@pytest.mark.parametrize("growth", [-0.5, 0.0, 0.03, 0.5, 0.99])
def test_plausible_growth_gives_no_warning(growth):
    assert scenario_warnings(two_way(growth=growth)) == ()


@pytest.mark.parametrize(("value", "edge"), [(1.0, "hit_rate"), (0.0, "hit_rate")])
def test_the_edges_of_a_share_are_legal(value, edge):
    scenario = scenario_from_dict(with_value(("strategies", 0, "cache", edge), value))
    assert scenario.strategies[0].cache.hit_rate == value


def test_cli_prints_the_warning_on_stderr_and_still_answers(capsys, tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(dump_scenario(two_way(growth=2)), encoding="utf-8")
    code = main(["breakeven", "--scenario", str(path), "--pricing", str(FIXTURE_PRICING)])
    out, err = capsys.readouterr()
    assert code == 0
    assert err == (
        "costmodel: warning: workload.monthly_growth: 2 means 200% more requests every "
        "month; did you mean 0.02?\n"
    )
    assert out.startswith("fixture\n")


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (".inf", "field 'requests_per_month': .inf refused: not a finite number"),
        ("1e30", "field 'requests_per_month': 1e30 refused: magnitude above 1e+15"),
        ("1e13", "not a plausible volume"),
    ],
)
def test_cli_refuses_absurd_volumes_with_one_line(capsys, tmp_path, value, fragment):
    path = tmp_path / "s.yaml"
    text = dump_scenario(two_way()).replace(
        "requests_per_month: 100000.0", f"requests_per_month: {value}"
    )
    path.write_text(text, encoding="utf-8")
    code = main(["breakeven", "--scenario", str(path)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and fragment in err


def test_a_misspelt_price_override_names_the_field_meant():
    with pytest.raises(PricingError) as info:
        with_overrides(acme(), {"acme/small": {"inference": {"input_usd_per_mtk": 1.0}}})
    assert str(info.value) == (
        "price override for acme/small: field inference.input_usd_per_mtk: is not a known "
        "field; did you mean input_usd_per_mtok?"
    )


@pytest.mark.parametrize(
    ("start", "sentence"),
    [
        # 2026-11-01 → 2027-01-01: 61 days; 2027-01-01 → 2090-01-01: 63 × 365 + 16 leap
        # days (2028, 2032, …, 2088) = 23,011; 61 + 23,011 = 23,072.
        ("2090-01-01", "more than a year later (23,072 days)"),
        # 2021-01-01 → 2026-01-01: 5 × 365 + 1 (29 Feb 2024) = 1,826 days; then
        # 2026-01-01 → 2026-11-01: 31+28+31+30+31+30+31+31+30+31 = 304; 1,826 + 304 = 2,130.
        ("2021-01-01", "more than a year earlier (2,130 days)"),
    ],
)
def test_a_start_date_far_from_the_price_dates_is_noted_everywhere(
    capsys, tmp_path, start, sentence
):
    path = tmp_path / "s.yaml"
    path.write_text(dump_scenario(two_way(extra={"start_date": start})), encoding="utf-8")
    code = main(["breakeven", "--scenario", str(path), "--pricing", str(FIXTURE_PRICING)])
    out = capsys.readouterr().out
    assert code == 0
    expected = (
        f"prompt: prices read on 2026-11-01 are applied from {start}, {sentence}: "
        "no price is known to hold that long"
    )
    assert expected in out
    assert f"tuned: prices read on 2026-11-01 are applied from {start}" in out


@pytest.mark.parametrize("start", ["2026-11-01", "2027-11-01", "2025-11-01"])
def test_a_start_within_a_year_of_the_price_dates_has_no_date_note(capsys, tmp_path, start):
    path = tmp_path / "s.yaml"
    path.write_text(dump_scenario(two_way(extra={"start_date": start})), encoding="utf-8")
    assert main(["breakeven", "--scenario", str(path), "--pricing", str(FIXTURE_PRICING)]) == 0
    assert "no price is known to hold" not in capsys.readouterr().out


@pytest.mark.parametrize(("growth", "times"), [(1, "2"), (2, "3"), (1.5, "2.5")])
def test_growth_picked_on_a_percent_scale_is_explained_not_corrected(growth, times):
    # the dashboard's slider is in percent: 200% was chosen as 200%, so no "did you mean 0.02"
    assert scenario_warnings(two_way(growth=growth), typed=False) == (
        f"monthly growth of {growth * 100:.0f}% multiplies the volume by {times} every month",
    )

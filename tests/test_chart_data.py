"""Chart data: curves span both marks, breakdowns add up to the engine's totals."""

from __future__ import annotations

import numpy as np
import pytest
from engine_fixtures import START, acme, total_cost, two_way

from costmodel.engine.evaluate import evaluate
from costmodel.report.charts import (
    fixed_breakdown,
    request_breakdown,
    token_histogram,
    volume_range,
)


def test_volume_range_spans_two_decades_around_both_marks() -> None:
    result = evaluate(two_way(volume=50_000), acme(), today=START)
    be = result.primary.breakeven.requests_per_month
    assert be is not None
    volumes = volume_range(result, points=11)
    assert be in volumes and 50_000 in volumes
    low, high = sorted([be, 50_000.0])
    assert volumes[0] == pytest.approx(low / 100)
    assert volumes[-1] == pytest.approx(high * 100)
    assert np.all(np.diff(volumes) > 0)


def test_volume_range_without_a_breakeven_still_spans_the_volume() -> None:
    scenario = two_way(volume=1_000, ft_tokens={"prompt_tokens": 5_000, "output_tokens": 500})
    result = evaluate(scenario, acme(), today=START)
    assert result.primary.breakeven.requests_per_month is None
    volumes = volume_range(result, points=5)
    assert volumes[0] == pytest.approx(10.0) and volumes[-1] == pytest.approx(100_000.0)


def test_zero_volume_gives_a_usable_range() -> None:
    result = evaluate(two_way(volume=0), acme(), today=START)
    volumes = volume_range(result)
    assert volumes[0] >= 1 and volumes[-1] > volumes[0]


def test_request_parts_add_up_to_the_cost_per_request() -> None:
    scenario = two_way(extra={})
    data = scenario.model_dump(mode="json")
    data["strategies"][0]["failure"] = {"rate": 0.1, "handling": "retry", "review_usd": 0.01}
    result = evaluate(type(scenario).model_validate(data), acme(), today=START)
    parts = request_breakdown(result)
    for s in result.strategies:
        mine = parts[parts["strategy"] == s.name]
        assert mine["usd"].sum() == pytest.approx(s.per_request_usd, rel=1e-12)
    failures = parts[(parts["strategy"] == "prompt") & (parts["part"] == "Failures")]
    assert failures["usd"].item() > 0


@pytest.mark.parametrize("ft", ["acme/small", "acme/hosted-ft", "acme/gpu-ft"])
def test_fixed_parts_are_the_total_less_the_per_request_charges(ft: str) -> None:
    scenario = two_way(
        ft=ft,
        volume=2_000_000,
        growth=0.05,
        training={"examples": 800, "tokens_per_example": 400, "retrain_every_months": 4},
    )
    result = evaluate(scenario, acme(), today=START)
    parts = fixed_breakdown(result)
    months, growth = result.horizon.months, result.growth
    requests = sum(2_000_000 * (1 + growth) ** m for m in range(months))
    for s in result.strategies:
        fixed = parts.loc[parts["strategy"] == s.name, "usd"].sum()
        total = total_cost(s, 2_000_000, months, growth)
        assert fixed == pytest.approx(total - s.per_request_usd * requests, rel=1e-9, abs=1e-6)
    assert "Retraining" in set(parts["part"])


def test_histogram_bins_are_shared_and_count_every_record() -> None:
    long, short = np.array([100, 120, 150, 400]), np.array([10, 12])
    bins = token_histogram({"long": long, "short": short, "output": np.array([], dtype=int)})
    assert set(bins["column"]) == {"long", "short"}
    by_column = bins.groupby("column")
    assert by_column["records"].sum().to_dict() == {"long": 4, "short": 2}
    edges = by_column["from_tokens"].apply(list)
    assert edges["long"] == edges["short"]
    assert (bins["mid_tokens"] * 2 == bins["from_tokens"] + bins["to_tokens"]).all()


def test_histogram_of_nothing_is_empty() -> None:
    assert token_histogram({}).empty

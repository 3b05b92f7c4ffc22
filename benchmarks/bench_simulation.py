"""10,000 simulated futures of the demo: the vectorised simulation against a plain Python loop.

Run: ``python benchmarks/bench_simulation.py [--draws 10000] [--runs 3]``

The demo scenario with seven of its inputs written as ranges (hit rate,
prompt length, failure rate and price of the long prompt; the fine-tune's
training runs; volume and growth) is simulated with
``costmodel.engine.simulation.simulate``. The baseline is what one would
write without it: for each of the same draws, put the drawn values into the
scenario, validate it, price both strategies of the main comparison with
``resolve_strategy``, cut the horizon with ``horizon_for`` and call
``compare``. Both run in this process on the same draws, alternating; each
figure is the median. The script checks that every draw gives the same
status, reason, break-even, totals and payback month both ways (exactly,
to the last bit) and prints the ratio. It also times, in the same
alternation, the simulation with one possible price change added (the base
model's input price ×0.5 to ×1 from month 2 to 12, probability 30 %), as a
ratio to the plain simulation.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from costmodel.demo import demo_scenario  # noqa: E402
from costmodel.engine.comparison import Comparison, compare  # noqa: E402
from costmodel.engine.evaluate import ScenarioResult, evaluate  # noqa: E402
from costmodel.engine.lifecycle import horizon_for  # noqa: E402
from costmodel.engine.simulation import Simulation, draw_inputs, simulate  # noqa: E402
from costmodel.engine.strategy_costs import resolve_strategy  # noqa: E402
from costmodel.prices.catalog import load_catalog  # noqa: E402
from costmodel.scenario import Scenario, scenario_from_dict, scenario_to_dict  # noqa: E402
from costmodel.tokens.figures import tokens_for  # noqa: E402
from costmodel.uncertain import as_field_value, set_path  # noqa: E402

RANGES: dict[str, dict[str, Any]] = {
    "workload.requests_per_month": {"dist": "lognormal", "median": 1_000_000, "sigma": 0.6},
    "workload.monthly_growth": {"low": -0.01, "likely": 0.03, "high": 0.08},
    "strategies.0.cache.hit_rate": {"dist": "pert", "low": 0.5, "likely": 0.9, "high": 0.97},
    "strategies.0.tokens.prompt_tokens": {"low": 1050, "likely": 1076, "high": 1600},
    "strategies.0.failure.rate": {"low": 0.01, "high": 0.08},
    "strategies.0.price_multipliers.inference": {"low": 0.7, "likely": 1.0, "high": 1.3},
    "strategies.1.training.runs": {"low": 1, "likely": 3, "high": 8},
}


def with_price_change(scenario: Scenario) -> Scenario:
    """The scenario plus :data:`PRICE_CHANGE` on its main baseline."""
    data = scenario_to_dict(scenario)
    base = data["strategies"][scenario.main_pair[0]]["name"]
    data["possible_price_changes"] = [PRICE_CHANGE | {"strategy": base}]
    return scenario_from_dict(data)


PRICE_CHANGE: dict[str, Any] = {
    "price": "input",
    "factor": {"low": 0.5, "high": 1.0},
    "month": {"low": 2, "high": 12},
    "probability": 0.3,
}


def ranged_demo() -> Scenario:
    data = scenario_to_dict(demo_scenario())
    for path, spec in RANGES.items():
        set_path(data, path, spec)
    return scenario_from_dict(data)


def loop(scenario: Scenario, result: ScenarioResult, draws: int, seed: int) -> list[Comparison]:
    """The same draws, one scenario at a time through resolve_strategy and compare."""
    values = draw_inputs(scenario, draws, np.random.default_rng(seed)).values
    plain = scenario_to_dict(scenario.model_copy(update={"uncertain": {}}))
    base, challenger = scenario.main_pair
    out = []
    for i in range(draws):
        data = copy.deepcopy(plain)
        for path, column in values.items():
            set_path(data, path, as_field_value(float(column[i]), path))
        one = scenario_from_dict(data)
        a, b = (
            resolve_strategy(
                one.strategies[k],
                result.catalog,
                tokens_for(one.strategies[k], result.catalog),
                result.start,
            )
            for k in (base, challenger)
        )
        horizon = horizon_for([a, b], one.horizon_months, result.start)
        out.append(
            compare(a, b, horizon, one.workload.requests_per_month, one.workload.monthly_growth)
        )
    return out


def _volume(requests: float | None) -> float:
    return np.nan if requests is None else requests


def check(sim: Simulation, compared: list[Comparison]) -> str:
    """Every draw the same both ways; returns a one-line account."""
    status = [c.breakeven.status.value for c in compared]
    reason = [c.breakeven.reason.value for c in compared]
    volume = np.array([_volume(c.breakeven.requests_per_month) for c in compared])
    base = np.array([c.payback.baseline_total_usd for c in compared])
    chal = np.array([c.payback.challenger_total_usd for c in compared])
    month = np.array([c.payback.month or 0 for c in compared])
    assert sim.status.tolist() == status, "statuses differ"
    assert sim.reason.tolist() == reason, "reasons differ"
    np.testing.assert_array_equal(sim.breakeven, volume)
    np.testing.assert_array_equal(sim.baseline_total, base)
    np.testing.assert_array_equal(sim.challenger_total, chal)
    np.testing.assert_array_equal(sim.payback_month, month)
    return f"identical: {len(compared):,} statuses, reasons, break-evens, totals and payback months"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000, help="simulated futures")
    parser.add_argument("--runs", type=int, default=3, help="alternating runs of each")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    catalog = load_catalog()
    today = dt.date(2026, 12, 1)
    scenario = ranged_demo().model_copy(update={"start_date": today})
    result = evaluate(scenario, catalog)
    changing = with_price_change(scenario)
    vectorised, looped, repriced = [], [], []
    sim = compared = changed = None
    for _ in range(args.runs):
        start = time.perf_counter()
        sim = simulate(scenario, catalog, draws=args.draws, seed=args.seed, result=result)
        vectorised.append(time.perf_counter() - start)
        start = time.perf_counter()
        compared = loop(scenario, result, args.draws, args.seed)
        looped.append(time.perf_counter() - start)
        start = time.perf_counter()
        changed = simulate(changing, catalog, draws=args.draws, seed=args.seed, result=result)
        repriced.append(time.perf_counter() - start)
    assert sim is not None and compared is not None and changed is not None
    fast, slow = statistics.median(vectorised), statistics.median(looped)
    print(
        f"{args.draws:,} draws of the demo with {len(RANGES)} ranges, seed {args.seed}, "
        f"median of {args.runs} alternating runs"
    )
    print(f"  vectorised simulate():        {fast * 1e3:9.1f} ms")
    print(f"  Python loop over compare():   {slow * 1e3:9.1f} ms")
    print(f"  ratio:                        {slow / fast:9.1f}x")
    print(f"  {check(sim, compared)}")
    with_change = statistics.median(repriced)
    print(
        f"  with a possible price change:  {with_change * 1e3:9.1f} ms "
        f"({with_change / fast:.2f}x the plain simulation; changed in "
        f"{changed.repriced_draws:,} draws)"
    )
    print(
        f"  challenger cheaper in {sim.cheaper_share:.1%} of draws; break-even P10/P50/P90 "
        + "/".join(f"{v:,.0f}" for v in sim.breakeven_percentiles())
    )


if __name__ == "__main__":
    main()

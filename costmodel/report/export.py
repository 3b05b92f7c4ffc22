"""The break-even CSV: one row per compared pair, safe to open in a spreadsheet.

The CLI and the dashboard both write it with :func:`breakeven_csv`, so the
same scenario gives byte-identical files. Numbers stay numbers (empty when
there is none, never ``inf``); text cells that a spreadsheet would run as a
formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return)
get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping

import numpy as np

from costmodel.engine.comparison import (
    BILL_PARTS,
    Comparison,
    Sides,
    Status,
    bill_parts,
    growth_sums,
    running_costs,
)
from costmodel.engine.evaluate import ScenarioResult
from costmodel.engine.simulation import BAND, FAN, Simulation
from costmodel.report.wording import comparison_notes, reason_text, verdict

COLUMNS = (
    "scenario",
    "start_date",
    "requests_per_month",
    "monthly_growth",
    "requested_horizon_months",
    "horizon_months",
    "baseline_strategy",
    "baseline_model",
    "challenger_strategy",
    "challenger_model",
    "status",
    "breakeven_requests_per_month",
    "payback_month",
    "baseline_total_usd",
    "challenger_total_usd",
    "horizon_savings_usd",
    "monthly_savings_usd",
    "baseline_cost_per_request_usd",
    "challenger_cost_per_request_usd",
    "per_request_difference_usd",
    "baseline_one_time_usd",
    "challenger_one_time_usd",
    "one_time_difference_usd",
    "baseline_monthly_fixed_usd",
    "challenger_monthly_fixed_usd",
    "monthly_fixed_difference_usd",
    "baseline_gpus",
    "challenger_gpus",
    "baseline_retrain_usd",
    "challenger_retrain_usd",
    "baseline_retrainings",
    "challenger_retrainings",
    "baseline_all_in_per_request_usd",
    "challenger_all_in_per_request_usd",
    "baseline_prompt_tokens",
    "baseline_cacheable_prefix_tokens",
    "baseline_output_tokens",
    "challenger_prompt_tokens",
    "challenger_cacheable_prefix_tokens",
    "challenger_output_tokens",
    "baseline_cache_hit_rate",
    "challenger_cache_hit_rate",
    "baseline_batch_share",
    "challenger_batch_share",
    "training_examples",
    "training_tokens_per_example",
    "training_epochs",
    "training_runs",
    "training_cost_per_run_usd",
    "verdict",
    "reason",
    "notes",
)
"""Every column of the break-even CSV, in order; README explains each one."""

SCHEDULE_COLUMNS = (
    "strategy",
    "month",
    "requests",
    *(f"{part}_usd" for part in BILL_PARTS),
    "total_usd",
    "cumulative_usd",
)
"""Columns of the month-by-month schedule CSV."""

SIMULATION_COLUMNS = (
    "simulation_draws",
    "simulation_seed",
    "simulation_cheaper_share",
    "simulation_cheaper_standard_error",
    "simulation_breakeven_p10",
    "simulation_breakeven_p50",
    "simulation_breakeven_p90",
    *(f"simulation_{status.value}_draws" for status in Status),
    "simulation_savings_p10_usd",
    "simulation_savings_p50_usd",
    "simulation_savings_p90_usd",
    "simulation_payback_p10_month",
    "simulation_payback_p50_month",
    "simulation_payback_p90_month",
    "simulation_no_payback_draws",
    "simulation_clipped_draws",
    "simulation_repriced_draws",
)
"""Columns a simulation adds (``--simulate``): filled on the main comparison's row.

Break-even percentiles are request counts, or ``never`` where that share of
draws never pays off; payback percentiles count draws without payback as
later than any month (``none``). ``simulation_repriced_draws`` counts the
draws in which a possible price change happened within the horizon.
"""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def simulation_record(sim: Simulation) -> dict[str, object]:
    """The simulation's figures under :data:`SIMULATION_COLUMNS` (CSV and JSON alike)."""
    band = sim.breakeven_percentiles()
    volumes: tuple[object, ...] = (
        tuple("never" if math.isinf(v) else v for v in band) if band else (None,) * 3
    )
    savings = sim.savings_percentiles() if sim.available else (None,) * 3
    record: dict[str, object] = {
        "simulation_draws": sim.draws,
        "simulation_seed": sim.seed,
        "simulation_cheaper_share": sim.cheaper_share,
        "simulation_cheaper_standard_error": sim.cheaper_standard_error,
        **dict(zip(SIMULATION_COLUMNS[4:7], volumes, strict=True)),
        **{f"simulation_{s.value}_draws": n for s, n in sim.status_counts().items()},
        "simulation_savings_p10_usd": savings[0],
        "simulation_savings_p50_usd": savings[1],
        "simulation_savings_p90_usd": savings[2],
        **dict(zip(SIMULATION_COLUMNS[-6:-3], _payback_percentiles(sim), strict=True)),
        "simulation_no_payback_draws": sim.payback_counts().get(0, 0),
        "simulation_clipped_draws": sum(sim.clipped.values()),
        "simulation_repriced_draws": sim.repriced_draws,
    }
    return {k: record[k] for k in SIMULATION_COLUMNS}


def _payback_percentiles(sim: Simulation) -> tuple[object, ...]:
    """10th, 50th and 90th percentile payback month; ``none`` past the horizon's end."""
    never = np.iinfo(np.int64).max
    months = np.where(sim.payback_month > 0, sim.payback_month, never)
    found = np.percentile(months, BAND, method="inverted_cdf")
    return tuple("none" if m == never else int(m) for m in found)


def simulation_json(sim: Simulation) -> dict[str, object]:
    """The simulation for ``--json``: the CSV figures plus the full distributions."""
    fan = sim.fan()
    return {
        **simulation_record(sim),
        "baseline_strategy": sim.baseline,
        "challenger_strategy": sim.challenger,
        "payback_month_draws": {str(k or "none"): v for k, v in sim.payback_counts().items()},
        "clipped_draws_by_input": dict(sim.clipped),
        "resampled_sample_records": dict(sim.resampled),
        "possible_price_changes": [
            change.model_dump(mode="json") | {"draws_changed": n} for change, n in sim.price_changes
        ],
        "fan_percentiles": list(FAN),
        "fan_cumulative_usd": {side: band.tolist() for side, band in fan.items()},
    }


def breakeven_rows(
    result: ScenarioResult, simulation: Simulation | None = None
) -> list[dict[str, object]]:
    """One plain row per comparison, keys in :data:`COLUMNS` order.

    With a ``simulation`` every row gains :data:`SIMULATION_COLUMNS`, filled
    on the main comparison's row (the one simulated) and empty elsewhere.
    """
    rows = [_row(result, c) for c in result.comparisons]
    if simulation is None:
        return rows
    main = result.primary
    empty = dict.fromkeys(SIMULATION_COLUMNS)
    figures = simulation_record(simulation)
    pairs = [(c.a.name, c.b.name) for c in result.comparisons]
    if (main.a.name, main.b.name) not in pairs:  # a baseline listed after its challenger
        rows.append(_row(result, main))
        pairs.append((main.a.name, main.b.name))
    return [
        row | (figures if pair == (main.a.name, main.b.name) else empty)
        for row, pair in zip(rows, pairs, strict=True)
    ]


def _side(result: ScenarioResult, c: Comparison, role: str) -> dict[str, object]:
    """The per-strategy columns of one side of a comparison."""
    s = c.a if role == "baseline" else c.b
    given = next(x for x in result.scenario.strategies if x.name == s.name)
    tokens = result.tokens[s.name]
    running, gpus = running_costs(s, c.volume)
    total = c.payback.baseline_total_usd if role == "baseline" else c.payback.challenger_total_usd
    served = c.volume * float(growth_sums(np.array([c.horizon.months]), result.growth)[0])
    return {
        f"{role}_strategy": s.name,
        f"{role}_model": s.model_key,
        f"{role}_cost_per_request_usd": s.per_request_usd,
        f"{role}_one_time_usd": s.one_time_usd,
        f"{role}_monthly_fixed_usd": running,
        f"{role}_gpus": gpus if s.gpu is not None else None,
        f"{role}_retrain_usd": s.retrain_usd if s.retrain_every_months else None,
        f"{role}_retrainings": s.retrains_within(c.horizon.months),
        f"{role}_total_usd": total,
        f"{role}_all_in_per_request_usd": total / served if served > 0 else None,
        f"{role}_prompt_tokens": tokens.prompt,
        f"{role}_cacheable_prefix_tokens": tokens.cacheable_prefix,
        f"{role}_output_tokens": tokens.output + tokens.reasoning,
        f"{role}_cache_hit_rate": given.cache.effective_hit_rate if given.cache.enabled else 0.0,
        f"{role}_batch_share": given.batch_share,
    }


def _row(result: ScenarioResult, c: Comparison) -> dict[str, object]:
    sc = result.scenario
    est = c.b.training
    plan = c.b.plan
    row: dict[str, object] = {
        "scenario": sc.name,
        "start_date": c.horizon.start.isoformat(),
        "requests_per_month": c.volume,
        "monthly_growth": sc.workload.monthly_growth,
        "requested_horizon_months": c.horizon.requested_months,
        "horizon_months": c.horizon.months,
        **_side(result, c, "baseline"),
        **_side(result, c, "challenger"),
        "status": c.breakeven.status.value,
        "breakeven_requests_per_month": c.breakeven.requests_per_month,
        "payback_month": c.payback.month,
        "horizon_savings_usd": c.payback.cumulative_savings_usd if c.available else None,
        "monthly_savings_usd": c.payback.monthly_savings_usd if c.available else None,
        "training_examples": plan.examples if plan else None,
        "training_tokens_per_example": plan.tokens_per_example if plan else None,
        "training_epochs": est.epochs if est else None,
        "training_runs": plan.runs if plan else None,
        "training_cost_per_run_usd": est.cost_usd if est else None,
        "verdict": verdict(c),
        "reason": reason_text(c),
        "notes": " | ".join(comparison_notes(result, c)),
    }
    row["per_request_difference_usd"] = c.a.per_request_usd - c.b.per_request_usd
    row["one_time_difference_usd"] = c.b.one_time_usd - c.a.one_time_usd
    row["monthly_fixed_difference_usd"] = _minus(
        row["challenger_monthly_fixed_usd"], row["baseline_monthly_fixed_usd"]
    )
    return {k: row[k] for k in COLUMNS}


def _minus(x: object, y: object) -> float:
    return float(x) - float(y)  # type: ignore[arg-type]


def schedule_rows(result: ScenarioResult) -> list[dict[str, object]]:
    """Month by month, per strategy, over the main comparison's horizon: every bill part.

    The rows of one strategy add up to its total in the break-even CSV.
    """
    months = result.horizon.months
    rows: list[dict[str, object]] = []
    for s in result.strategies:
        sides = Sides.of([s])
        parts = bill_parts(sides, result.volume, np.array([months]), result.growth)
        cumulative = 0.0
        for m in range(months):
            bill = {f"{k}_usd": float(parts[k][0, m]) for k in BILL_PARTS}
            total = sum(bill.values())
            cumulative += total
            rows.append(
                {
                    "strategy": s.name,
                    "month": m + 1,
                    "requests": result.volume * (1 + result.growth) ** m,
                    **bill,
                    "total_usd": total,
                    "cumulative_usd": cumulative,
                }
            )
    return rows


def schedule_csv(result: ScenarioResult) -> str:
    """The month-by-month schedule as CSV (``costmodel breakeven --schedule``)."""
    return to_csv(schedule_rows(result), SCHEDULE_COLUMNS)


def safe_cell(value: object) -> str:
    """Render one cell: numbers as numbers, text defused against formula injection.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell(-1.5), safe_cell(None), safe_cell(float("inf"))
    ("'=HYPERLINK(1)", '-1.5', '', '')
    >>> safe_cell(8.155510204081634e-05), safe_cell(2e20)
    ('0.00008155510204081634', '200000000000000000000')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return np.format_float_positional(value, trim="-") if math.isfinite(value) else ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def to_csv(rows: Iterable[Mapping[str, object]], columns: Iterable[str]) -> str:
    """CSV text with a header, cells passed through :func:`safe_cell`."""
    columns = list(columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180; also quotes lone \r
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def breakeven_csv(result: ScenarioResult, simulation: Simulation | None = None) -> str:
    """The break-even CSV of a scenario (what ``costmodel breakeven --out`` writes).

    With a ``simulation`` the simulation's columns follow :data:`COLUMNS`.
    """
    columns = COLUMNS + SIMULATION_COLUMNS if simulation is not None else COLUMNS
    return to_csv(breakeven_rows(result, simulation), columns)

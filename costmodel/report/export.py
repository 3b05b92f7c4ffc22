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

from costmodel.engine.evaluate import Comparison, ScenarioResult

COLUMNS = (
    "scenario",
    "baseline_strategy",
    "challenger_strategy",
    "base_model",
    "ft_model",
    "base_cost_per_request_usd",
    "ft_cost_per_request_usd",
    "one_time_cost_usd",
    "monthly_fixed_cost_usd",
    "breakeven_requests_per_month",
    "payback_months",
    "verdict",
    "status",
    "reason",
    "requests_per_month",
    "monthly_growth",
    "horizon_months",
    "requested_horizon_months",
    "start_date",
    "monthly_savings_usd",
    "horizon_savings_usd",
    "base_prompt_tokens",
    "base_cacheable_prefix_tokens",
    "base_output_tokens",
    "ft_prompt_tokens",
    "ft_output_tokens",
    "base_cache_hit_rate",
    "base_batch_share",
    "training_examples",
    "training_tokens_per_example",
    "training_epochs",
    "training_runs",
    "retrain_every_months",
    "training_cost_per_run_usd",
    "horizon_notes",
)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def breakeven_rows(result: ScenarioResult) -> list[dict[str, object]]:
    """One plain row per comparison, keys in :data:`COLUMNS` order."""
    return [_row(result, c) for c in result.comparisons]


def _row(result: ScenarioResult, c: Comparison) -> dict[str, object]:
    sc = result.scenario
    by_name = {s.name: s for s in sc.strategies}
    a_in, b_in = by_name[c.a.name], by_name[c.b.name]
    ta, tb = result.tokens[c.a.name], result.tokens[c.b.name]
    plan = b_in.training
    est = c.b.training
    row: dict[str, object] = {
        "scenario": sc.name,
        "baseline_strategy": c.a.name,
        "challenger_strategy": c.b.name,
        "base_model": c.a.model_key,
        "ft_model": c.b.model_key,
        "base_cost_per_request_usd": c.a.per_request_usd,
        "ft_cost_per_request_usd": c.b.per_request_usd,
        "one_time_cost_usd": c.b.one_time_usd,
        "monthly_fixed_cost_usd": c.b.monthly_fixed_usd,
        "breakeven_requests_per_month": c.breakeven.requests_per_month,
        "payback_months": c.payback.month,
        "verdict": c.breakeven.verdict,
        "status": c.breakeven.status,
        "reason": c.breakeven.reason,
        "requests_per_month": sc.workload.requests_per_month,
        "monthly_growth": sc.workload.monthly_growth,
        "horizon_months": result.horizon.months,
        "requested_horizon_months": sc.horizon_months,
        "start_date": result.horizon.start.isoformat(),
        "monthly_savings_usd": c.payback.monthly_savings_usd,
        "horizon_savings_usd": c.payback.cumulative_savings_usd,
        "base_prompt_tokens": ta.prompt,
        "base_cacheable_prefix_tokens": ta.cacheable_prefix,
        "base_output_tokens": ta.output + ta.reasoning,
        "ft_prompt_tokens": tb.prompt,
        "ft_output_tokens": tb.output + tb.reasoning,
        "base_cache_hit_rate": a_in.cache.effective_hit_rate if a_in.cache.enabled else 0.0,
        "base_batch_share": a_in.batch_share,
        "training_examples": plan.examples if plan else None,
        "training_tokens_per_example": plan.tokens_per_example if plan else None,
        "training_epochs": est.epochs if est else None,
        "training_runs": plan.runs if plan else None,
        "retrain_every_months": plan.retrain_every_months if plan else None,
        "training_cost_per_run_usd": est.cost_usd if est else None,
        "horizon_notes": " | ".join(result.horizon.notes),
    }
    return {k: row[k] for k in COLUMNS}


def safe_cell(value: object) -> str:
    """Render one cell: numbers as numbers, text defused against formula injection.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell(-1.5), safe_cell(None), safe_cell(float("inf"))
    ("'=HYPERLINK(1)", '-1.5', '', '')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
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


def breakeven_csv(result: ScenarioResult) -> str:
    """The break-even CSV of a scenario (what ``costmodel breakeven --out`` writes)."""
    return to_csv(breakeven_rows(result), COLUMNS)

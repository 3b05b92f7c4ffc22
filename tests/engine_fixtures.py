"""Shared fixtures of the engine tests: the made-up Acme catalog and scenario builders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from costmodel.prices.catalog import Catalog, load_catalog
from costmodel.scenario import Scenario, scenario_from_dict

FIXTURE_PRICING = Path(__file__).parent / "fixtures" / "pricing"
START = dt.date(2026, 11, 1)


def acme() -> Catalog:
    return load_catalog([FIXTURE_PRICING])


def two_way(
    base: str = "acme/nocache",
    ft: str = "acme/small",
    *,
    volume: float = 100_000,
    growth: float = 0.0,
    months: int = 12,
    base_tokens: dict[str, Any] | None = None,
    ft_tokens: dict[str, Any] | None = None,
    training: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> Scenario:
    """A prompt-vs-fine-tune scenario on the Acme catalog, starting on START."""
    data: dict[str, Any] = {
        "name": "fixture",
        "start_date": START.isoformat(),
        "horizon_months": months,
        "workload": {"requests_per_month": volume, "monthly_growth": growth},
        "strategies": [
            {
                "name": "prompt",
                "kind": "prompt",
                "model": base,
                "tokens": base_tokens
                or {"prompt_tokens": 3000, "cacheable_prefix_tokens": 2000, "output_tokens": 100},
                "cache": {"hit_rate": 0.8},
            },
            {
                "name": "tuned",
                "kind": "fine-tuned",
                "model": ft,
                "tokens": ft_tokens or {"prompt_tokens": 200, "output_tokens": 100},
                "training": training
                or {"examples": 1000, "tokens_per_example": 500, "epochs": 3, "runs": 2},
            },
        ],
    }
    data.update(extra or {})
    return scenario_from_dict(data)


def compared(a, b, months: int, growth: float = 0.0, volume: float = 0.0):
    """``compare`` over a plain horizon of ``months`` (no lifecycle events)."""
    from costmodel.engine.comparison import compare
    from costmodel.engine.lifecycle import Horizon

    return compare(a, b, Horizon(months, months, START), volume, growth)


def breakeven(a, b, months: int, growth: float = 0.0):
    """The break-even part of :func:`compared`."""
    return compared(a, b, months, growth).breakeven


def payback(a, b, volume: float, months: int, growth: float = 0.0):
    """The at-volume part of :func:`compared`."""
    return compared(a, b, months, growth, volume).payback


def total_cost(s, volume: float, months: int, growth: float = 0.0) -> float:
    """One strategy's total over ``months`` at first-month ``volume``."""
    import numpy as np

    from costmodel.engine.comparison import Sides, monthly_bills

    return float(monthly_bills(Sides.of([s]), volume, np.array([months]), growth).sum())

"""Break-even volume, payback month and savings between two strategies.

Over a horizon of *H* months whose monthly volume starts at *V* and grows by
*g* a month, strategy *x* costs

    total_x(V) = one_time_x + n_retrain_x · retrain_x + H · fixed_x
                 + c_x · V · S + Σₘ gpu_x(V · (1 + g)ᵐ),      S = Σₘ (1 + g)ᵐ

where *c_x* is the cost per successful request. Without dedicated GPUs the
totals are straight lines in *V* and the break-even volume of challenger *b*
against baseline *a* is

    V* = (A_b − A_a) / ((c_a − c_b) · S)

with *A* the volume-independent part. Degenerate cases are explicit results
("never", "always") with a reason, never ``inf``, ``NaN`` or a negative volume.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from costmodel.engine.strategy_costs import StrategyCosts

Status = Literal["breaks_even", "always", "never", "cheaper_below", "equal", "unavailable"]

# Beyond ten trillion requests a month a "break-even" is no answer anyone can use.
MAX_REQUESTS_PER_MONTH = 1e13
# Volumes searched when dedicated GPUs make the totals step functions.
_GRID = np.concatenate([[0.0], np.geomspace(1e-2, MAX_REQUESTS_PER_MONTH, 3_000)])


def growth_factors(months: int, growth: float) -> np.ndarray:
    """Volume multiplier of each month: ``(1 + g)ᵐ`` for m = 0 … H − 1.

    >>> growth_factors(3, 0.1).round(4).tolist()
    [1.0, 1.1, 1.21]
    """
    return (1.0 + growth) ** np.arange(months, dtype=float)


def fixed_total(s: StrategyCosts, months: int) -> float:
    """The volume-independent part *A* of a strategy's total over ``months``."""
    if months <= 0:
        return 0.0
    return s.one_time_usd + s.retrains_within(months) * s.retrain_usd + months * s.monthly_fixed_usd


def gpu_totals(s: StrategyCosts, volumes: np.ndarray, months: int, growth: float) -> np.ndarray:
    """GPU bill over the horizon for each first-month volume (zeros without GPUs)."""
    volumes = np.asarray(volumes, dtype=float)
    if s.gpu is None or months <= 0:
        return np.zeros_like(volumes)
    monthly = volumes[..., None] * growth_factors(months, growth)
    gpus = np.ceil(monthly * s.gpu.tokens_per_request / s.gpu.tokens_per_gpu_month)
    gpus = np.maximum(gpus, s.gpu.min_replicas)
    return gpus.sum(axis=-1) * s.gpu.usd_per_gpu_month


def mean_per_request(s: StrategyCosts, months: int, growth: float) -> float:
    """Cost per request averaged over the horizon, weighted by each month's volume.

    c̄ = Σₘ cₘ·(1 + g)ᵐ / Σₘ (1 + g)ᵐ, so c̄·V·S is the whole per-request bill;
    it is ``per_request_usd`` unless a dated price change steps it.
    """
    weights = growth_factors(months, growth)
    if months <= 0:
        return s.per_request_usd
    return float(np.dot(s.per_request_by_month(months), weights) / weights.sum())


def totals(s: StrategyCosts, volumes: np.ndarray, months: int, growth: float) -> np.ndarray:
    """Total cost over the horizon for each first-month volume (any array shape)."""
    volumes = np.asarray(volumes, dtype=float)
    if months <= 0:
        return np.zeros_like(volumes)
    scale = growth_factors(months, growth).sum()
    per_request = mean_per_request(s, months, growth)
    linear = fixed_total(s, months) + per_request * scale * volumes
    return linear + gpu_totals(s, volumes, months, growth)


def monthly_costs(s: StrategyCosts, volume: float, months: int, growth: float) -> np.ndarray:
    """Cost of each month: one-time costs in month 1, retrainings in their month.

    >>> from costmodel.engine.strategy_costs import StrategyCosts
    >>> s = StrategyCosts("x", per_request_usd=0.01, one_time={"training": 100.0},
    ...                 monthly_fixed={"hosting": 10.0})
    >>> monthly_costs(s, 1000, 3, 0.0).tolist()
    [120.0, 20.0, 20.0]
    """
    volumes = volume * growth_factors(months, growth)
    cost = volumes * np.array(s.per_request_by_month(months)) + s.monthly_fixed_usd
    if s.gpu is not None:
        cost = cost + np.array([s.gpu.monthly_usd(v) for v in volumes])
    if months > 0:
        cost[0] += s.one_time_usd
    if s.retrain_every_months:
        cost[s.retrain_every_months :: s.retrain_every_months] += s.retrain_usd
    return cost


def total_cost(s: StrategyCosts, volume: float, months: int, growth: float) -> float:
    """Total over the horizon; equals ``monthly_costs(...).sum()``."""
    return float(monthly_costs(s, volume, months, growth).sum())


@dataclass(frozen=True)
class BreakEven:
    """Where challenger ``b`` and baseline ``a`` cost the same over the horizon.

    ``requests_per_month`` is the first month's volume (growth applies after
    it); it is ``None`` unless ``status`` is ``breaks_even`` or
    ``cheaper_below``, and 0 for ``always``.
    """

    baseline: str
    challenger: str
    status: Status
    requests_per_month: float | None
    reason: str
    months: int

    @property
    def verdict(self) -> str:
        return _VERDICTS[self.status].format(a=self.baseline, b=self.challenger)


TOO_SMALL = "the saving is too small: break-even above 10 trillion requests a month"

_VERDICTS = {
    "breaks_even": "{b} pays off above the break-even volume",
    "always": "{b} is cheaper at any volume",
    "never": "{b} never breaks even",
    "cheaper_below": "{b} is cheaper only below the break-even volume",
    "equal": "{a} and {b} cost the same",
    "unavailable": "{b} cannot be used",
}


def breakeven(a: StrategyCosts, b: StrategyCosts, months: int, growth: float) -> BreakEven:
    """First-month volume at which ``b`` costs the same as ``a`` over ``months``."""
    if months <= 0:
        return BreakEven(a.name, b.name, "never", None, "the horizon is empty", months)
    if a.gpu is None and b.gpu is None:
        return _linear(a, b, months, growth)
    return _stepped(a, b, months, growth)


def _linear(a: StrategyCosts, b: StrategyCosts, months: int, growth: float) -> BreakEven:
    s = float(growth_factors(months, growth).sum())
    c_a, c_b = mean_per_request(a, months, growth), mean_per_request(b, months, growth)
    saving = c_a - c_b
    extra = fixed_total(b, months) - fixed_total(a, months)

    def result(status: Status, volume: float | None, reason: str) -> BreakEven:
        return BreakEven(a.name, b.name, status, volume, reason, months)

    if saving > 0:
        if extra <= 0:
            return result("always", 0.0, "it costs less per request and no more up front")
        if extra / (saving * s) > MAX_REQUESTS_PER_MONTH:
            return result("never", None, TOO_SMALL)
        return result(
            "breaks_even",
            extra / (saving * s),
            f"it saves ${saving:.6f} per request against ${extra:,.2f} of extra fixed costs",
        )
    if saving < 0:
        if extra < 0:
            volume = extra / (saving * s)
            if volume > MAX_REQUESTS_PER_MONTH:
                return result("always", 0.0, "it costs less up front; the gap per request is tiny")
            return result("cheaper_below", volume, "it costs less up front but more per request")
        return result(
            "never",
            None,
            f"no per-request saving: ${c_b:.6f} against ${c_a:.6f}",
        )
    if extra < 0:
        return result("always", 0.0, "same cost per request and lower fixed costs")
    if extra == 0:
        return result("equal", None, "same cost per request and same fixed costs")
    return result("never", None, "no per-request saving and higher fixed costs")


def _stepped(a: StrategyCosts, b: StrategyCosts, months: int, growth: float) -> BreakEven:
    """Dedicated GPUs: find the first grid volume where ``b`` is no dearer, then refine.

    The totals are step functions (whole GPUs), so there is no closed form.
    A log grid over [0, 10¹³] brackets the first crossing; three rounds of a
    1,000-point grid inside the bracket narrow it to ~1e-11 of the volume.
    """

    def diff(volumes: np.ndarray) -> np.ndarray:
        return totals(a, volumes, months, growth) - totals(b, volumes, months, growth)

    def result(status: Status, volume: float | None, reason: str) -> BreakEven:
        return BreakEven(a.name, b.name, status, volume, reason, months)

    values = diff(_GRID)
    if values[0] >= 0:
        return result("always", 0.0, "it costs no more even at zero volume")
    ahead = np.flatnonzero(values >= 0)
    if ahead.size == 0:
        saving = mean_per_request(a, months, growth) - mean_per_request(b, months, growth)
        slope = saving - _gpu_slope(b) + _gpu_slope(a)
        why = (
            "dedicated GPU time per request outweighs the per-request saving"
            if slope <= 0
            else TOO_SMALL
        )
        return result("never", None, why)
    lo, hi = float(_GRID[ahead[0] - 1]), float(_GRID[ahead[0]])
    for _ in range(3):
        inner = np.linspace(lo, hi, 1_001)
        first = int(np.argmax(diff(inner) >= 0))
        lo, hi = float(inner[max(first - 1, 0)]), float(inner[first])
    return result("breaks_even", hi, "GPU-hour serving: first volume where it is no dearer")


def _gpu_slope(s: StrategyCosts) -> float:
    return 0.0 if s.gpu is None else s.gpu.usd_per_request


@dataclass(frozen=True)
class Payback:
    """When the challenger's cumulative cost first drops to the baseline's."""

    month: int | None
    monthly_savings_usd: float
    cumulative_savings_usd: float
    reason: str


def payback(
    a: StrategyCosts, b: StrategyCosts, volume: float, months: int, growth: float
) -> Payback:
    """Payback month (1-based) of ``b`` against ``a`` at a first-month ``volume``.

    ``monthly_savings_usd`` is the steady saving in the first month, before
    one-time costs: (c_a − c_b)·V + fixed_a − fixed_b (GPU bills included).
    """
    if months <= 0:
        return Payback(None, 0.0, 0.0, "the horizon is empty")
    cum_a = np.cumsum(monthly_costs(a, volume, months, growth))
    cum_b = np.cumsum(monthly_costs(b, volume, months, growth))
    steady = _running(a, volume) - _running(b, volume)
    total = float(cum_a[-1] - cum_b[-1])
    ahead = np.flatnonzero(cum_b <= cum_a)
    if ahead.size:
        month = int(ahead[0]) + 1
        return Payback(month, steady, total, f"pays back in month {month}")
    if steady <= 0 and growth <= 0:
        reason = (
            "the monthly saving does not cover the monthly fixed costs"
            if a.per_request_usd > b.per_request_usd
            else "no per-request saving"
        )
        return Payback(None, steady, total, reason)
    return Payback(None, steady, total, f"does not pay back within {months} months")


def _running(s: StrategyCosts, volume: float) -> float:
    gpu = 0.0 if s.gpu is None else s.gpu.monthly_usd(volume)
    return s.per_request_usd * volume + s.monthly_fixed_usd + gpu

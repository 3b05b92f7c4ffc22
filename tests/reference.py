"""A plain-Python reference of the horizon arithmetic, written month by month.

The vectorised code in ``costmodel.engine.sweeps`` and the closed forms in
``costmodel.engine.comparison`` are checked against these loops; the benchmark
measures the speed-up over them.
"""

from __future__ import annotations

import math

from costmodel.engine.strategy_costs import StrategyCosts


def ref_month_costs(s: StrategyCosts, volume: float, months: int, growth: float) -> list[float]:
    """Each month's bill, one loop iteration per month."""
    bills = []
    for m in range(months):
        requests = volume * (1 + growth) ** m
        bill = s.per_request_usd * requests
        for value in s.monthly_fixed.values():
            bill += value
        if s.gpu is not None:
            needed = math.ceil(requests * s.gpu.tokens_per_request / s.gpu.tokens_per_gpu_month)
            bill += max(s.gpu.min_replicas, needed) * s.gpu.usd_per_gpu_month
        if m == 0:
            for value in s.one_time.values():
                bill += value
        every = s.retrain_every_months
        if every and m > 0 and m % every == 0:
            bill += s.retrain_usd
        bills.append(bill)
    return bills


def ref_total(s: StrategyCosts, volume: float, months: int, growth: float) -> float:
    return sum(ref_month_costs(s, volume, months, growth))


def ref_breakeven(a: StrategyCosts, b: StrategyCosts, months: int, growth: float) -> float | None:
    """Linear totals only: fixed parts from a zero-volume run, slopes summed month by month."""
    slope_a = slope_b = 0.0
    for m in range(months):
        slope_a += a.per_request_usd * (1 + growth) ** m
        slope_b += b.per_request_usd * (1 + growth) ** m
    gap = slope_a - slope_b
    if gap <= 0:
        return None
    extra = ref_total(b, 0.0, months, growth) - ref_total(a, 0.0, months, growth)
    return max(0.0, extra / gap)


def ref_payback_month(
    a: StrategyCosts, b: StrategyCosts, volume: float, months: int, growth: float
) -> int | None:
    cum_a = cum_b = 0.0
    for m, (bill_a, bill_b) in enumerate(
        zip(
            ref_month_costs(a, volume, months, growth),
            ref_month_costs(b, volume, months, growth),
            strict=True,
        )
    ):
        cum_a += bill_a
        cum_b += bill_b
        if cum_b <= cum_a:
            return m + 1
    return None


def ref_gap(a: StrategyCosts, b: StrategyCosts, volume: float, months: int, growth: float) -> float:
    """total_a − total_b month by month, each bill part differenced before it is added.

    Differencing part by part keeps a tiny per-request gap visible next to
    large equal fixed costs, where subtracting two rounded totals would lose it.
    """
    gap = 0.0
    for m in range(months):
        requests = volume * (1 + growth) ** m
        part = (a.per_request_usd - b.per_request_usd) * requests
        part += sum(a.monthly_fixed.values()) - sum(b.monthly_fixed.values())
        if m == 0:
            part += sum(a.one_time.values()) - sum(b.one_time.values())
        for s, sign in ((a, 1.0), (b, -1.0)):
            every = s.retrain_every_months
            if every and m > 0 and m % every == 0:
                part += sign * s.retrain_usd
        gap += part
    return gap


def ref_status(a: StrategyCosts, b: StrategyCosts, months: int, growth: float) -> str:
    """Status of straight-line totals from their gap at zero and at 10¹³ requests a month.

    d(V) = total_a(V) − total_b(V) is a line, so its signs at the two ends of
    the searched range say everything: ≥ 0 at both ends is "always" (0 at
    both is "equal"), < 0 at both is "never", a rise through 0 "breaks even",
    a fall from above 0 "cheaper below". Written from the definition, not from
    the engine's table of per-request and fixed-cost signs.
    """
    if months <= 0:
        return "never"
    d0 = ref_gap(a, b, 0.0, months, growth)
    d_top = ref_gap(a, b, 1e13, months, growth)
    if d0 == 0 and d_top == 0:
        return "equal"
    if d0 >= 0 and d_top >= 0:
        return "always"
    if d0 < 0 and d_top >= 0:
        return "breaks_even"
    if d0 > 0:
        return "cheaper_below"
    return "never"

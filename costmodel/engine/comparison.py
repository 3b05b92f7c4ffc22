"""The one comparison path: break-even, payback and savings of a challenger against a baseline.

Every consumer (scenario evaluation, the catalog ranking, the tornado, the
readiness checks and the simulation) calls the functions here, so a status is
decided by one set of rules. They work on arrays: a scalar comparison is an
array of one.

Over a horizon of *H* months whose monthly volume starts at *V* and grows by
*g* a month, strategy *x* costs in month *m* (0-based)

    bill_x(m) = c_x · V·(1 + g)ᵐ + fixed_x + gpu_x(V·(1 + g)ᵐ)
                + one_time_x·[m = 0] + retrain_x·[m > 0 and r_x divides m]

with *c_x* the cost per successful request. Without dedicated GPUs the total
is a straight line in *V*: ``A_x + c_x·S·V`` with ``S = Σₘ (1 + g)ᵐ`` and *A*
the volume-independent part, so the break-even volume of challenger *b*
against baseline *a* is

    V* = (A_b − A_a) / ((c_a − c_b) · S)

Dedicated GPUs make the totals step functions; the same status rules are
then applied to the totals on a volume grid. Degenerate cases are explicit
statuses with a reason code, never ``inf``, ``NaN`` or a negative volume.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

import numpy as np

from costmodel.engine.lifecycle import Horizon
from costmodel.engine.strategy_costs import StrategyCosts

# Beyond ten trillion requests a month a "break-even" is no answer anyone can use.
MAX_REQUESTS_PER_MONTH = 1e13
# Volumes searched when dedicated GPUs make the totals step functions.
_GRID = np.concatenate([[0.0], np.geomspace(1e-2, MAX_REQUESTS_PER_MONTH, 3_000)])
# Grid cells evaluated at once (pairs × volumes × months), to bound memory.
_CHUNK_CELLS = 4_000_000
# Longest horizon a scenario may ask for; per-month prices are laid out this far.
MAX_MONTHS = 120


class Status(StrEnum):
    """How the challenger's total compares with the baseline's across volumes."""

    BREAKS_EVEN = "breaks_even"  # dearer below V*, no dearer from V* up
    ALWAYS = "always"  # no dearer at any volume
    NEVER = "never"  # dearer at every volume
    CHEAPER_BELOW = "cheaper_below"  # cheaper below V*, dearer from V* up
    EQUAL = "equal"  # the same at every volume
    UNAVAILABLE = "unavailable"  # a model cannot be bought on the start date


class Reason(StrEnum):
    """Why a status came out as it did."""

    SAVES_PER_REQUEST = "saves_per_request"
    GPU_STEPS = "gpu_steps"
    CHEAPER_ALL_ROUND = "cheaper_all_round"
    SAME_PER_REQUEST_LOWER_FIXED = "same_per_request_lower_fixed"
    GAP_TOO_SMALL = "gap_too_small"
    CHEAPER_UP_FRONT = "cheaper_up_front"
    NO_PER_REQUEST_SAVING = "no_per_request_saving"
    NO_SAVING_HIGHER_FIXED = "no_saving_higher_fixed"
    SAVING_TOO_SMALL = "saving_too_small"
    GPU_OUTWEIGHS = "gpu_outweighs"
    SAME_COSTS = "same_costs"
    EMPTY_HORIZON = "empty_horizon"
    MODEL_UNAVAILABLE = "model_unavailable"


@dataclass(frozen=True)
class Sides:
    """Strategies' cost components as parallel arrays, one element per strategy.

    ``retrain_every`` is 0 for never; strategies without dedicated GPUs have
    ``gpu`` False and zero GPU figures. ``per_request_monthly`` holds each
    month's cost per request (it steps where a dated price change applies);
    ``per_request`` is month 1's. ``fixed_change`` and ``retrain_change``
    (None: none) add to the running costs and the retrainings month by month,
    shape (strategies, months): a price change from a month on that only a
    simulated future has (a hosting fee cut, a dearer training price).
    ``gpu_factor`` (None: 1 throughout) multiplies the GPU price month by
    month in the same way.
    """

    one_time: np.ndarray
    retrain: np.ndarray
    retrain_every: np.ndarray
    monthly_fixed: np.ndarray
    per_request: np.ndarray
    per_request_monthly: np.ndarray
    gpu: np.ndarray
    gpu_usd_per_month: np.ndarray
    gpu_tokens_per_request: np.ndarray
    gpu_tokens_per_month: np.ndarray
    gpu_min: np.ndarray
    fixed_change: np.ndarray | None = None
    retrain_change: np.ndarray | None = None
    gpu_factor: np.ndarray | None = None

    @classmethod
    def of(cls, strategies: Sequence[StrategyCosts]) -> Sides:
        """Lay out ``strategies`` as arrays."""

        def column(get: object) -> np.ndarray:
            return np.array([get(s) for s in strategies], dtype=float)  # type: ignore[operator]

        return cls(
            one_time=column(lambda s: s.one_time_usd),
            retrain=column(lambda s: s.retrain_usd),
            retrain_every=column(lambda s: s.retrain_every_months or 0).astype(int),
            monthly_fixed=column(lambda s: s.monthly_fixed_usd),
            per_request=column(lambda s: s.per_request_usd),
            per_request_monthly=np.array(
                [s.per_request_by_month(MAX_MONTHS) for s in strategies], dtype=float
            ).reshape(len(strategies), MAX_MONTHS),
            gpu=np.array([s.gpu is not None for s in strategies], dtype=bool),
            gpu_usd_per_month=column(lambda s: s.gpu.usd_per_gpu_month if s.gpu else 0.0),
            gpu_tokens_per_request=column(lambda s: s.gpu.tokens_per_request if s.gpu else 0.0),
            gpu_tokens_per_month=column(lambda s: s.gpu.tokens_per_gpu_month if s.gpu else 1.0),
            gpu_min=column(lambda s: s.gpu.min_replicas if s.gpu else 0),
        )

    def take(self, index: np.ndarray) -> Sides:
        """The strategies at ``index`` (repeats allowed), e.g. one side of every pair."""
        parts: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            parts[f.name] = None if value is None else value[index]
        return Sides(**parts)


# Monthly growth: one figure for every pair, or one per pair (a simulation's draws).
Growth = float | np.ndarray


def _factors(growth: Growth, m: np.ndarray) -> np.ndarray:
    """``(1 + g)ᵐ`` for each month of ``m``: shape (months,), or (pairs, months) per pair."""
    return (1.0 + np.asarray(growth, dtype=float)[..., None]) ** m


def _months_axis(months: np.ndarray) -> np.ndarray:
    top = int(np.max(months)) if np.size(months) else 0
    return np.arange(max(top, 0))


BILL_PARTS = ("variable", "fixed", "gpu", "one_time", "retraining")


def bill_parts(
    s: Sides, volume: np.ndarray | float, months: np.ndarray, growth: Growth
) -> dict[str, np.ndarray]:
    """Each month's bill by part, each of shape (strategies, max months), zero past a horizon.

    variable = cₘ·V·(1 + g)ᵐ (cₘ the month's cost per request); fixed = running
    costs; gpu = whole GPUs for the month's tokens × their monthly price;
    one_time in month 1; retraining in months r, 2r, … (1-based r + 1, 2r + 1, …).
    """
    m = _months_axis(months)
    inside = m < np.asarray(months)[:, None]
    requests = np.asarray(volume, dtype=float)[..., None] * _factors(growth, m)
    gpus = np.ceil(requests * s.gpu_tokens_per_request[:, None] / s.gpu_tokens_per_month[:, None])
    gpus = np.where(s.gpu[:, None], np.maximum(gpus, s.gpu_min[:, None]), 0.0)
    every = s.retrain_every[:, None]
    due = (every > 0) & (m > 0) & (m % np.maximum(every, 1) == 0)
    parts = {
        "variable": requests * s.per_request_monthly[:, : len(m)],
        "fixed": np.broadcast_to(s.monthly_fixed[:, None], inside.shape),
        "gpu": gpus * s.gpu_usd_per_month[:, None]
        if s.gpu_factor is None
        else gpus * s.gpu_usd_per_month[:, None] * s.gpu_factor[:, : len(m)],
        "one_time": np.where(m == 0, s.one_time[:, None], 0.0),
        "retraining": np.where(due, s.retrain[:, None], 0.0),
    }
    if s.fixed_change is not None:
        parts["fixed"] = parts["fixed"] + s.fixed_change[:, : len(m)]
    if s.retrain_change is not None:
        parts["retraining"] = parts["retraining"] + s.retrain_change[:, : len(m)]
    return {k: np.where(inside, v, 0.0) for k, v in parts.items()}


def monthly_bills(
    s: Sides, volume: np.ndarray | float, months: np.ndarray, growth: Growth
) -> np.ndarray:
    """Each month's bill, shape (strategies, max months): the sum of :func:`bill_parts`.

    >>> from costmodel.engine.strategy_costs import StrategyCosts
    >>> s = StrategyCosts("x", per_request_usd=0.01, one_time={"training": 100.0},
    ...                   monthly_fixed={"hosting": 10.0}, retrain_usd=5.0,
    ...                   retrain_every_months=2)
    >>> monthly_bills(Sides.of([s]), 1000.0, np.array([3]), 0.0).tolist()
    [[120.0, 20.0, 25.0]]
    """
    parts = bill_parts(s, volume, months, growth)
    return sum((parts[k] for k in BILL_PARTS), start=np.zeros(()))


def running_costs(s: StrategyCosts, volume: float) -> tuple[float, int]:
    """Monthly running costs at ``volume`` requests a month (hosting, storage, GPUs) and GPUs.

    >>> from costmodel.engine.strategy_costs import GpuPlan, StrategyCosts
    >>> plan = GpuPlan(usd_per_gpu_month=7300, tokens_per_gpu_month=1e9,
    ...                tokens_per_request=1000, min_replicas=1)
    >>> running_costs(StrategyCosts("x", monthly_fixed={"storage": 5.0}, gpu=plan), 2_500_000)
    (21905.0, 3)
    """
    parts = bill_parts(Sides.of([s]), volume, np.array([1]), 0.0)
    gpus = s.gpu.gpus(volume) if s.gpu is not None else 0
    return float(parts["fixed"][0, 0] + parts["gpu"][0, 0]), gpus


def growth_sums(months: np.ndarray, growth: Growth) -> np.ndarray:
    """``S = Σₘ (1 + g)ᵐ`` over each horizon in ``months``.

    >>> growth_sums(np.array([0, 2, 3]), 0.1).round(4).tolist()
    [0.0, 2.1, 3.31]
    """
    m = _months_axis(months)
    factors = _factors(growth, m)
    return _running_total(np.where(m < np.asarray(months)[:, None], factors, 0.0))


def variable_slopes(
    per_request_monthly: np.ndarray, months: np.ndarray, growth: Growth
) -> np.ndarray:
    """``Σₘ cₘ·(1 + g)ᵐ``: what one first-month request adds to each total over its horizon.

    With a constant price it is ``c·S``. Pass a difference of two strategies'
    monthly prices to get the per-request saving's slope without rounding the
    two totals first.

    >>> variable_slopes(np.array([[2.0, 2.0, 4.0]]), np.array([3]), 0.0).tolist()
    [8.0]
    """
    m = _months_axis(months)
    factors = np.where(m < np.asarray(months)[:, None], _factors(growth, m), 0.0)
    return _running_total(per_request_monthly[:, : len(m)] * factors)


def _running_total(values: np.ndarray) -> np.ndarray:
    """Sum along the month axis in month order.

    A cumulative sum adds strictly left to right, so trailing zero months
    (pairs with shorter horizons in the same array) never change a total's
    last bit: a pair gives the same figures alone or in a catalog sweep.
    """
    if not values.shape[-1]:
        return np.zeros(values.shape[:-1])
    return np.cumsum(values, axis=-1)[..., -1]


def fixed_totals(s: Sides, months: np.ndarray) -> np.ndarray:
    """The volume-independent part *A* of each total: one-time, retrainings, running costs.

    Retrainings fall in months r, 2r, … strictly inside the horizon, so there
    are ``(H − 1) // r`` of them. A simulated future's ``fixed_change`` and
    ``retrain_change`` add their months inside the horizon.

    >>> from costmodel.engine.strategy_costs import StrategyCosts
    >>> s = StrategyCosts("x", one_time={"training": 100.0}, retrain_usd=5.0,
    ...                   retrain_every_months=6, monthly_fixed={"hosting": 10.0})
    >>> fixed_totals(Sides.of([s, s]), np.array([12, 13])).tolist()
    [225.0, 240.0]
    """
    months = np.asarray(months)
    retrains = np.where(s.retrain_every > 0, (months - 1) // np.maximum(s.retrain_every, 1), 0)
    total = s.one_time + np.maximum(retrains, 0) * s.retrain + months * s.monthly_fixed
    for change in (s.fixed_change, s.retrain_change):
        if change is not None:
            m = _months_axis(months)
            total = total + _running_total(np.where(m < months[:, None], change[:, : len(m)], 0.0))
    return np.where(months > 0, total, 0.0)


def horizon_totals(s: Sides, volumes: np.ndarray, months: np.ndarray, growth: Growth) -> np.ndarray:
    """Total over each horizon at each first-month volume: shape (strategies, volumes).

    ``A + Σₘ cₘ(1 + g)ᵐ·V`` plus the GPU bill summed month by month.
    """
    volumes = np.atleast_2d(np.asarray(volumes, dtype=float))
    slopes = variable_slopes(s.per_request_monthly, months, growth)
    linear = fixed_totals(s, months)[:, None] + slopes[:, None] * volumes
    if not s.gpu.any():
        return linear
    gpus = _gpu_months(s, volumes, months, growth)
    if s.gpu_factor is None:
        bill = _whole_total(gpus) * s.gpu_usd_per_month[:, None]
    else:
        m = gpus.shape[-1]
        bill = _running_total(gpus * s.gpu_factor[:, None, :m]) * s.gpu_usd_per_month[:, None]
    return linear + np.where(s.gpu[:, None], bill, 0.0)


def _gpu_months(s: Sides, volumes: np.ndarray, months: np.ndarray, growth: Growth) -> np.ndarray:
    """GPUs running in each month at each volume: shape (strategies, volumes, months).

    ``max(⌈V·(1 + g)ᵐ · tokens per request / tokens per GPU-month⌉, minimum)``
    inside the horizon, none after it. The array is the largest the engine
    builds (a catalog sweep asks for 3,001 volumes of every dedicated-GPU
    pair), so it is computed in place, in the same order of operations as
    the formula.
    """
    m = _months_axis(months)
    factors = np.where(m < np.asarray(months)[:, None], _factors(growth, m), 0.0)
    gpus = volumes[..., None] * factors[:, None, :]
    gpus *= s.gpu_tokens_per_request[:, None, None]
    gpus /= s.gpu_tokens_per_month[:, None, None]
    np.ceil(gpus, out=gpus)
    np.maximum(gpus, s.gpu_min[:, None, None], out=gpus)
    np.copyto(gpus, 0.0, where=~(factors > 0)[:, None, :])
    return gpus


def _whole_total(counts: np.ndarray) -> np.ndarray:
    """Sum of whole numbers along the month axis: the running total's figure, read faster.

    Sums of whole numbers below 2⁵³ are exact in any order, so a plain sum
    equals :func:`_running_total` to the last bit; larger (or infinite) counts
    keep the running total's strict month order.

    >>> _whole_total(np.array([[1.0, 2.0, 3.0]])).tolist()
    [6.0]
    """
    if counts.size and not counts.max() * counts.shape[-1] < 2.0**53:
        return _running_total(counts)
    return counts.sum(axis=-1)


@dataclass(frozen=True)
class Outcome:
    """Status, reason code and break-even volume of each pair (NaN where none)."""

    status: np.ndarray
    reason: np.ndarray
    volume: np.ndarray
    crosses_back: np.ndarray


def outcomes(a: Sides, b: Sides, months: np.ndarray, growth: Growth) -> Outcome:
    """Decide every pair (``a[i]`` against ``b[i]``) with one set of rules."""
    months = np.asarray(months)
    out = _linear(a, b, months, growth)
    stepped = np.flatnonzero(a.gpu | b.gpu)
    if stepped.size:
        part = _stepped(
            a.take(stepped), b.take(stepped), months[stepped], _per_pair(growth, stepped)
        )
        for name in ("status", "reason", "volume", "crosses_back"):
            getattr(out, name)[stepped] = getattr(part, name)
    return out


def _per_pair(growth: Growth, index: np.ndarray) -> Growth:
    """The growth of the pairs at ``index``: itself when every pair shares one figure."""
    return growth if np.ndim(growth) == 0 else np.asarray(growth)[index]


def _linear(a: Sides, b: Sides, months: np.ndarray, growth: Growth) -> Outcome:
    """Closed form for straight-line totals.

    saving = Σₘ (c_a,ₘ − c_b,ₘ)(1 + g)ᵐ per first-month request (c_a − c_b times
    S with constant prices), extra = A_b − A_a up front:

    ======== ========= =========================================
    saving   extra     status
    ======== ========= =========================================
    > 0      ≤ 0       always
    > 0      > 0       breaks even at V* (never beyond 10¹³)
    < 0      < 0       cheaper below V* (always beyond 10¹³)
    < 0      ≥ 0       never
    = 0      < 0 / = 0 / > 0   always / equal / never
    ======== ========= =========================================
    """
    saving = variable_slopes(a.per_request_monthly - b.per_request_monthly, months, growth)
    extra = fixed_totals(b, months) - fixed_totals(a, months)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        v = extra / saving
    far = ~(v <= MAX_REQUESTS_PER_MONTH)
    empty = months <= 0
    rules = [
        (empty, Status.NEVER, Reason.EMPTY_HORIZON, np.nan),
        ((saving > 0) & (extra <= 0), Status.ALWAYS, Reason.CHEAPER_ALL_ROUND, 0.0),
        ((saving > 0) & far, Status.NEVER, Reason.SAVING_TOO_SMALL, np.nan),
        (saving > 0, Status.BREAKS_EVEN, Reason.SAVES_PER_REQUEST, v),
        ((saving < 0) & (extra < 0) & far, Status.ALWAYS, Reason.GAP_TOO_SMALL, 0.0),
        ((saving < 0) & (extra < 0), Status.CHEAPER_BELOW, Reason.CHEAPER_UP_FRONT, v),
        (saving < 0, Status.NEVER, Reason.NO_PER_REQUEST_SAVING, np.nan),
        (extra < 0, Status.ALWAYS, Reason.SAME_PER_REQUEST_LOWER_FIXED, 0.0),
        (extra == 0, Status.EQUAL, Reason.SAME_COSTS, np.nan),
    ]
    return _first_rule(rules, saving.shape, (Status.NEVER, Reason.NO_SAVING_HIGHER_FIXED, np.nan))


Rule = tuple[Any, Status, Reason, Any]


def _first_rule(rules: list[Rule], shape: tuple[int, ...], default: tuple[Any, ...]) -> Outcome:
    """Each pair's outcome from the first rule whose condition holds for it (else ``default``).

    The rule's number is chosen first, then its status, reason and volume are
    read from it: one pass over the conditions instead of one per column.

    >>> yes, no = np.array([True, False]), np.array([False, False])
    >>> rules = [(no, Status.EQUAL, Reason.SAME_COSTS, np.nan),
    ...          (yes, Status.BREAKS_EVEN, Reason.SAVES_PER_REQUEST, np.array([5.0, 6.0]))]
    >>> out = _first_rule(rules, (2,), (Status.NEVER, Reason.SAME_COSTS, np.nan))
    >>> out.status.tolist(), out.volume.tolist()
    (['breaks_even', 'never'], [5.0, nan])
    """
    pick = np.full(shape, len(rules))
    for number in reversed(range(len(rules))):
        pick = np.where(rules[number][0], number, pick)
    chosen = [*rules, (None, *default)]
    status = np.array([r[1].value for r in chosen], dtype=object)[pick]
    reason = np.array([r[2].value for r in chosen], dtype=object)[pick]
    fixed = [np.nan if np.ndim(r[3]) else r[3] for r in chosen]
    volume = np.array(fixed, dtype=float)[pick]
    for number, rule in enumerate(chosen):
        if np.ndim(rule[3]):  # a volume of each pair's own
            volume = np.where(pick == number, rule[3], volume)
    return Outcome(status, reason, volume, np.zeros(shape, dtype=bool))


def _stepped(a: Sides, b: Sides, months: np.ndarray, growth: Growth) -> Outcome:
    """Step-function totals: the same statuses, read off ``d = total_a − total_b`` on a grid.

    * no volume where d < 0: equal if d is 0 everywhere, else always;
    * no volume where d ≥ 0: never;
    * d(0) > 0: cheaper below the first volume where d < 0;
    * otherwise: breaks even at the first volume where d ≥ 0 after d < 0
      (never if there is none).

    On straight lines these give exactly the closed form's statuses. Each
    crossing is then narrowed by three rounds of a 1,001-point grid to about
    1e-11 of the volume.
    """
    n = len(months)
    status = np.full(n, Status.NEVER.value, dtype=object)
    reason = np.full(n, Reason.SAVING_TOO_SMALL.value, dtype=object)
    volume = np.full(n, np.nan)
    crosses_back = np.zeros(n, dtype=bool)
    step = max(1, _CHUNK_CELLS // (len(_GRID) * max(int(np.max(months, initial=1)), 1)))
    if not n:
        return Outcome(status, reason, volume, crosses_back)
    for lo_i in range(0, n, step):
        idx = np.arange(lo_i, min(n, lo_i + step))
        _stepped_chunk(
            a.take(idx),
            b.take(idx),
            months[idx],
            _per_pair(growth, idx),
            idx,
            status,
            reason,
            volume,
            crosses_back,
        )
    return Outcome(status, reason, volume, crosses_back)


def _stepped_chunk(
    a: Sides,
    b: Sides,
    months: np.ndarray,
    growth: Growth,
    idx: np.ndarray,
    status: np.ndarray,
    reason: np.ndarray,
    volume: np.ndarray,
    crosses_back: np.ndarray,
) -> None:
    d = _gap(a, b, np.broadcast_to(_GRID, (len(months), len(_GRID))), months, growth)
    neg, nonneg = d < 0, d >= 0
    any_neg = neg.any(axis=1)
    first_neg = np.argmax(neg, axis=1)
    after_neg = nonneg & (np.arange(len(_GRID)) > first_neg[:, None])
    below = (d[:, 0] > 0) & any_neg
    crosses = ~below & any_neg & after_neg.any(axis=1)
    scale = np.maximum(growth_sums(months, growth), 1e-300)
    saving = variable_slopes(a.per_request_monthly - b.per_request_monthly, months, growth)
    slope = saving / scale - _gpu_slope(b) + _gpu_slope(a)
    empty = months <= 0
    status[idx] = np.select(
        [empty, ~any_neg & (d == 0).all(axis=1), ~any_neg, below, crosses],
        [
            Status.NEVER.value,
            Status.EQUAL.value,
            Status.ALWAYS.value,
            Status.CHEAPER_BELOW.value,
            Status.BREAKS_EVEN.value,
        ],
        Status.NEVER.value,
    )
    reason[idx] = np.select(
        [empty, ~any_neg & (d == 0).all(axis=1), ~any_neg, below | crosses, slope <= 0],
        [
            Reason.EMPTY_HORIZON.value,
            Reason.SAME_COSTS.value,
            Reason.CHEAPER_ALL_ROUND.value,
            Reason.GPU_STEPS.value,
            Reason.GPU_OUTWEIGHS.value,
        ],
        Reason.SAVING_TOO_SMALL.value,
    )
    volume[idx] = np.where(~any_neg & ~empty, 0.0, np.nan)
    solve = np.flatnonzero((below | crosses) & ~empty)
    if not solve.size:
        return
    want_neg = below[solve]
    first = np.where(want_neg, first_neg[solve], np.argmax(after_neg[solve], axis=1))
    lo, hi = _GRID[first - 1], _GRID[first]
    sub_a, sub_b, sub_m = a.take(solve), b.take(solve), months[solve]
    for _ in range(3):
        inner = lo[:, None] + (hi - lo)[:, None] * np.linspace(0.0, 1.0, 1_001)[None, :]
        d_in = _gap(sub_a, sub_b, inner, sub_m, growth)
        hit = np.where(want_neg[:, None], d_in < 0, d_in >= 0)
        k = np.argmax(hit, axis=1)
        found = hit.any(axis=1)
        rows = np.arange(len(solve))
        lo = np.where(found, inner[rows, np.maximum(k - 1, 0)], lo)
        hi = np.where(found, inner[rows, k], hi)
    volume[idx[solve]] = hi
    later = np.arange(len(_GRID))[None, :] > first[:, None]
    back = np.where(want_neg[:, None], nonneg[solve], neg[solve]) & later
    crosses_back[idx[solve]] = back.any(axis=1)


def _gap(a: Sides, b: Sides, volumes: np.ndarray, months: np.ndarray, growth: Growth) -> np.ndarray:
    """``total_a − total_b`` at each volume of each pair's row: positive where ``b`` is cheaper."""
    return horizon_totals(a, volumes, months, growth) - horizon_totals(b, volumes, months, growth)


def _gpu_slope(s: Sides) -> np.ndarray:
    """The GPU bill's long-run cost per request (0 without GPUs)."""
    return np.where(
        s.gpu, s.gpu_usd_per_month * s.gpu_tokens_per_request / s.gpu_tokens_per_month, 0.0
    )


@dataclass(frozen=True)
class AtVolume:
    """Both totals at the user's volume, the payback month (0 = none) and month 1's saving."""

    baseline_total: np.ndarray
    challenger_total: np.ndarray
    payback_month: np.ndarray
    monthly_saving: np.ndarray


def at_volume(
    a: Sides, b: Sides, volume: float | np.ndarray, months: np.ndarray, growth: Growth
) -> AtVolume:
    """Totals over each pair's horizon at first-month ``volume``, and when ``b`` pays back.

    Payback is the first month whose cumulative bill for ``b`` is no higher
    than for ``a``. Month 1's saving excludes one-time costs:
    ``(c_a − c_b)·V + fixed_a − fixed_b`` (GPU bills included).
    """
    months = np.asarray(months)
    bills_a = monthly_bills(a, volume, months, growth)
    bills_b = monthly_bills(b, volume, months, growth)
    cum_a, cum_b = np.cumsum(bills_a, axis=1), np.cumsum(bills_b, axis=1)
    if not bills_a.shape[1]:
        empty = np.zeros(len(months))
        return AtVolume(empty, empty, empty.astype(int), empty)
    inside = _months_axis(months)[None, :] < months[:, None]
    ahead = (cum_b <= cum_a) & inside
    payback = np.where(ahead.any(axis=1), np.argmax(ahead, axis=1) + 1, 0)
    first = np.where(months > 0, (bills_a[:, 0] - a.one_time) - (bills_b[:, 0] - b.one_time), 0.0)
    return AtVolume(cum_a[:, -1], cum_b[:, -1], payback, first)


@dataclass(frozen=True)
class BreakEven:
    """Where the challenger and the baseline cost the same over the horizon.

    ``requests_per_month`` is the first month's volume (growth applies after
    it): set for ``breaks_even`` and ``cheaper_below``, 0 for ``always``,
    ``None`` otherwise. ``crosses_back`` marks dedicated-GPU pairs whose
    totals cross again at a higher volume.
    """

    status: Status
    reason: Reason
    requests_per_month: float | None
    crosses_back: bool = False


@dataclass(frozen=True)
class Payback:
    """The challenger at the user's volume: both totals, payback month, month 1's saving."""

    month: int | None
    monthly_savings_usd: float
    baseline_total_usd: float
    challenger_total_usd: float

    @property
    def cumulative_savings_usd(self) -> float:
        """Baseline total minus challenger total over the horizon (negative: a loss)."""
        return self.baseline_total_usd - self.challenger_total_usd


@dataclass(frozen=True)
class Comparison:
    """Baseline ``a`` against challenger ``b`` over their own horizon."""

    a: StrategyCosts
    b: StrategyCosts
    horizon: Horizon
    volume: float
    breakeven: BreakEven
    payback: Payback

    @property
    def available(self) -> bool:
        return self.breakeven.status != Status.UNAVAILABLE

    @property
    def challenger_cheaper(self) -> bool:
        """The decision rule: switch only when the challenger's total at the volume is lower."""
        return self.available and self.payback.cumulative_savings_usd > 0


def compare(
    a: StrategyCosts, b: StrategyCosts, horizon: Horizon, volume: float, growth: float
) -> Comparison:
    """Compare challenger ``b`` with baseline ``a`` over ``horizon`` at first-month ``volume``."""
    if horizon.unavailable:
        return Comparison(
            a,
            b,
            horizon,
            volume,
            BreakEven(Status.UNAVAILABLE, Reason.MODEL_UNAVAILABLE, None),
            Payback(None, 0.0, 0.0, 0.0),
        )
    sa, sb, months = Sides.of([a]), Sides.of([b]), np.array([horizon.months])
    out = outcomes(sa, sb, months, growth)
    money = at_volume(sa, sb, volume, months, growth)
    be_volume = float(out.volume[0])
    month = int(money.payback_month[0])
    return Comparison(
        a,
        b,
        horizon,
        volume,
        BreakEven(
            Status(out.status[0]),
            Reason(out.reason[0]),
            None if np.isnan(be_volume) else be_volume,
            bool(out.crosses_back[0]),
        ),
        Payback(
            month or None,
            float(money.monthly_saving[0]),
            float(money.baseline_total[0]),
            float(money.challenger_total[0]),
        ),
    )

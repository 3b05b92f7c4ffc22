"""Which inputs move the answer most: one-at-a-time swings for a tornado chart.

Every input of the main comparison (:attr:`Scenario.main_pair`) is moved
down and up by the same relative step (default ±25 %) while every other
input stays put: token figures, cache-hit rate, failure rate, batch share,
running costs and the per-token price of both sides; the training plan and
training price, retraining interval, hosting fee, GPU price, throughput and
utilisation of a fine-tuned side; growth, horizon and volume of the
workload. All variants are decided in one vectorised call through the same
comparison path as the point estimate
(:func:`costmodel.engine.simulation.decide_rows`), one row per variant.

Each row says what was tested: the input's value, its low and high, whether
a value was clipped to what the input allows (a 90 % hit rate + 25 % is
100 %), and any *cliff* — an engine note that appears or disappears in the
variant, such as a prefix falling below the minimum cacheable length. The
swing is measured on the break-even volume or on the savings at the user's
volume (``metric``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from costmodel.engine.evaluate import ScenarioResult, evaluate
from costmodel.engine.simulation import InputDraws, NoteRows, decide_rows
from costmodel.errors import CostModelError
from costmodel.prices.catalog import Catalog
from costmodel.scenario import Scenario, scenario_to_dict
from costmodel.uncertain import RANGEABLE, get_path, template_of


class Metric(StrEnum):
    """The figure a swing is measured on."""

    BREAKEVEN = "breakeven"  # break-even volume (first-month requests)
    SAVINGS = "savings"  # baseline total minus challenger total at the user's volume


@dataclass(frozen=True)
class Lever:
    """One input the tornado moves: its code, side, value now and what a new value changes.

    ``changes(v)`` gives the scenario paths and values for the input at ``v``;
    ``path`` is the path whose legal values clip ``v``. ``step`` is None for
    a relative step (× (1 ± delta)), else an absolute one (± step).
    """

    code: str
    side: str
    value: float
    path: str
    changes: Callable[[float], dict[str, float]]
    step: float | None = None


def _single(path: str) -> Callable[[float], dict[str, float]]:
    return lambda v: {path: v}


def _side_levers(
    scenario: Scenario, result: ScenarioResult, index: int, side: str, catalog: Catalog
) -> list[Lever]:
    """The levers of one strategy of the main comparison."""
    s = scenario.strategies[index]
    costs = result.strategies[index]
    tokens = result.tokens[s.name]
    here = f"strategies.{index}."
    prefix, rest = tokens.cacheable_prefix, tokens.prompt - tokens.cacheable_prefix
    levers = [
        Lever(
            "prompt_prefix",
            side,
            prefix,
            here + "tokens.cacheable_prefix_tokens",
            lambda v: {
                here + "tokens.cacheable_prefix_tokens": v,
                here + "tokens.prompt_tokens": v + rest,
            },
        ),
        Lever(
            "prompt_rest",
            side,
            rest,
            here + "tokens.prompt_tokens",
            lambda v: {here + "tokens.prompt_tokens": prefix + v},
        ),
        Lever(
            "output_tokens",
            side,
            tokens.output,
            here + "tokens.output_tokens",
            _single(here + "tokens.output_tokens"),
        ),
        Lever(
            "cache_hit_rate",
            side,
            s.cache.hit_rate,
            here + "cache.hit_rate",
            _single(here + "cache.hit_rate"),
        ),
        Lever(
            "failure_rate",
            side,
            s.failure.rate,
            here + "failure.rate",
            _single(here + "failure.rate"),
        ),
        Lever(
            "batch_share", side, s.batch_share, here + "batch_share", _single(here + "batch_share")
        ),
        Lever(
            "monthly_fixed",
            side,
            s.monthly_fixed_usd,
            here + "monthly_fixed_usd",
            _single(here + "monthly_fixed_usd"),
        ),
        Lever(
            "inference_price",
            side,
            s.price_multipliers.inference,
            here + "price_multipliers.inference",
            _single(here + "price_multipliers.inference"),
        ),
    ]
    if s.cache.requests_per_lifetime is not None:
        levers = [lever for lever in levers if lever.code != "cache_hit_rate"]
    if s.kind != "fine-tuned":
        return levers
    plan = s.planned_training()
    training = {
        "training_examples": ("training.examples", plan.examples),
        "training_tokens_per_example": ("training.tokens_per_example", plan.tokens_per_example),
        "training_runs": ("training.runs", plan.runs),
        "data_prep_per_example": (
            "training.data_prep_usd_per_example",
            plan.data_prep_usd_per_example,
        ),
        "evaluation_per_run": ("training.eval_usd_per_run", plan.eval_usd_per_run),
        "training_price": ("price_multipliers.training", s.price_multipliers.training),
    }
    if plan.retrain_every_months:
        training["retrain_interval"] = (
            "training.retrain_every_months",
            plan.retrain_every_months,
        )
    serving = catalog.resolve(s.model).entry.fine_tuning.serving  # type: ignore[union-attr]
    if serving.mode == "hosted":
        training["hosting_price"] = ("price_multipliers.hosting", s.price_multipliers.hosting)
    if costs.gpu is not None:
        training |= {
            "gpu_price": ("price_multipliers.gpu", s.price_multipliers.gpu),
            "gpu_throughput": ("gpu.tokens_per_second", s.gpu.tokens_per_second),
            "gpu_utilization": ("gpu.utilization", s.gpu.utilization),
        }
    return levers + [
        Lever(code, side, float(value), here + path, _single(here + path))
        for code, (path, value) in training.items()
    ]


# Growth of 0 has no relative step: it moves by a percentage point a month instead.
GROWTH_STEP = 0.01


def _workload_levers(scenario: Scenario) -> list[Lever]:
    """Volume, growth and horizon."""
    w = scenario.workload
    return [
        Lever(
            "volume",
            "workload",
            w.requests_per_month,
            "workload.requests_per_month",
            _single("workload.requests_per_month"),
        ),
        Lever(
            "monthly_growth",
            "workload",
            w.monthly_growth,
            "workload.monthly_growth",
            _single("workload.monthly_growth"),
            None if w.monthly_growth else GROWTH_STEP,
        ),
        Lever(
            "horizon",
            "workload",
            float(scenario.horizon_months),
            "horizon_months",
            _single("horizon_months"),
        ),
    ]


def levers(scenario: Scenario, result: ScenarioResult, catalog: Catalog) -> list[Lever]:
    """Every input of the main comparison the tornado moves, both sides and the workload."""
    base, challenger = scenario.main_pair
    return (
        _side_levers(scenario, result, base, "baseline", catalog)
        + _side_levers(scenario, result, challenger, "challenger", catalog)
        + _workload_levers(scenario)
    )


def values_tried(lever: Lever, delta: float, sign: int) -> tuple[float, bool]:
    """The value a variant tests, and whether it was clipped to the input's legal values.

    Whole-number inputs are rounded half up (2 runs − 25 % = 1.5 → 2).

    >>> lever = Lever("cache_hit_rate", "baseline", 0.9, "strategies.0.cache.hit_rate", dict)
    >>> values_tried(lever, 0.25, +1), values_tried(lever, 0.25, -1)
    ((1.0, True), (0.675, False))
    """
    raw = lever.value + sign * lever.step if lever.step else lever.value * (1 + sign * delta)
    domain = RANGEABLE[template_of(lever.path)]
    if domain.whole:
        raw = float(np.floor(raw + 0.5))
    value = float(np.clip(raw, domain.low, domain.high))
    return value, value != raw


def tornado(
    scenario: Scenario,
    catalog: Catalog,
    *,
    today: dt.date | None = None,
    delta: float = 0.25,
    metric: Metric | str = Metric.BREAKEVEN,
) -> pd.DataFrame:
    """Each input of the main comparison at its low and high, sorted by swing (largest first).

    Columns: ``input`` and ``side`` (codes), ``value``, ``value_low`` and
    ``value_high`` with ``clipped_low`` / ``clipped_high``, ``cliff_low`` /
    ``cliff_high`` (note codes that appear or vanish, comma-separated), the
    break-even (``breakeven_low``, ``breakeven_high``, ``baseline_breakeven``;
    NaN where there is none) and savings at the volume (``savings_low``,
    ``savings_high``, ``baseline_savings``) of each variant, and ``swing`` on
    ``metric``: the larger distance of either variant from today's figure.
    A break-even appearing or vanishing is the largest move of all (+∞).
    Inputs that move nothing have a swing of 0 and come last.
    """
    if not 0 < delta < 1:
        raise CostModelError("the sensitivity step must be between 0 and 1")
    metric = Metric(metric)
    start = scenario.start_date or today or dt.date.today()
    scenario = scenario.model_copy(update={"start_date": start, "uncertain": {}})
    result = evaluate(scenario, catalog)
    moved = levers(scenario, result, result.catalog)
    variants = [(lever, *values_tried(lever, delta, sign)) for lever in moved for sign in (-1, +1)]
    inputs = _rows(result, [lever.changes(value) for lever, value, _ in variants])
    rows = decide_rows(scenario, result, inputs, np.random.default_rng(0))
    breakeven = rows.breakeven
    savings = rows.savings
    cliffs = _cliffs(rows.notes, len(variants))
    frame = pd.DataFrame(
        {
            "input": [lever.code for lever in moved],
            "side": [lever.side for lever in moved],
            "value": [lever.value for lever in moved],
            "value_low": [v for _, v, _ in variants[0::2]],
            "value_high": [v for _, v, _ in variants[1::2]],
            "clipped_low": [c for _, _, c in variants[0::2]],
            "clipped_high": [c for _, _, c in variants[1::2]],
            "cliff_low": cliffs[0::2],
            "cliff_high": cliffs[1::2],
            "breakeven_low": breakeven[1::2],
            "breakeven_high": breakeven[2::2],
            "savings_low": savings[1::2],
            "savings_high": savings[2::2],
        }
    )
    frame["baseline_breakeven"] = breakeven[0]
    frame["baseline_savings"] = savings[0]
    frame["swing"] = _swing(frame, metric)
    order = np.argsort(-frame["swing"].to_numpy(), kind="stable")
    return frame.iloc[order].reset_index(drop=True)


def _rows(result: ScenarioResult, changes: list[dict[str, float]]) -> InputDraws:
    """Row 0 is today's inputs; row i + 1 applies ``changes[i]`` to them."""
    n = len(changes) + 1
    base = _point_values(result, {path for change in changes for path in change})
    values = {path: np.full(n, value) for path, value in base.items()}
    for row, change in enumerate(changes, start=1):
        for path, value in change.items():
            values[path][row] = value
    return InputDraws(n, values, {})


def _point_values(result: ScenarioResult, paths: set[str]) -> dict[str, float]:
    """Today's value of each path, as the point estimate priced it (token figures counted)."""
    data = scenario_to_dict(result.scenario)
    out = {}
    for path in paths:
        parts = path.split(".")
        if parts[0] == "strategies" and parts[2] == "tokens":
            tokens = result.tokens[result.scenario.strategies[int(parts[1])].name]
            field = {
                "prompt_tokens": tokens.prompt,
                "cacheable_prefix_tokens": tokens.cacheable_prefix,
                "output_tokens": tokens.output,
                "reasoning_tokens": tokens.reasoning,
            }
            out[path] = float(field[parts[3]])
        else:
            out[path] = float(get_path(data, path))
    return out


def _cliffs(notes: Mapping[str, NoteRows], variants: int) -> list[str]:
    """Per variant, the note codes that differ from today's (row 0), comma-separated."""
    found = []
    for row in range(1, variants + 1):
        codes: set[str] = set()
        for tally in notes.values():
            codes |= {c.value for c in tally.codes(row) ^ tally.codes(0)}
        found.append(",".join(sorted(codes)))
    return found


def _swing(frame: pd.DataFrame, metric: Metric) -> pd.Series:
    """Larger distance of either variant from today's figure on ``metric``."""
    name = "breakeven" if metric == Metric.BREAKEVEN else "savings"
    low, high = frame[f"{name}_low"], frame[f"{name}_high"]
    reference = frame[f"baseline_{name}"]
    moves = []
    for variant in (low, high):
        both = variant.isna() & reference.isna()
        one = variant.isna() ^ reference.isna()
        moves.append(np.where(both, 0.0, np.where(one, np.inf, (variant - reference).abs())))
    return pd.Series(np.maximum(*moves), index=frame.index)

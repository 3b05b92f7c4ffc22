"""Which inputs move the break-even most: one-at-a-time swings for a tornado chart.

Each input is moved down and up by the same relative step (default ±25 %)
while every other input stays put, and the scenario is evaluated again with
the same engine. Shares (hit rate, failure rate) are clipped to [0, 1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from costmodel.engine.evaluate import evaluate
from costmodel.errors import CostModelError
from costmodel.prices.catalog import Catalog
from costmodel.prices.overrides import with_overrides
from costmodel.scenario import Scenario, scenario_from_dict, scenario_to_dict

Edit = Callable[[dict[str, Any], float], None]


_CAPS = {"hit_rate": 1.0, "rate": 0.95}


def _strategy_field(index: int, *path: str) -> Edit:
    """An edit that scales one numeric field of strategy ``index``."""

    def edit(data: dict[str, Any], factor: float) -> None:
        node = data["strategies"][index]
        for key in path[:-1]:
            node = node.get(key) or {}
        field = path[-1]
        value = node.get(field)
        if not isinstance(value, int | float) or isinstance(value, bool):
            return
        scaled = min(value * factor, _CAPS.get(field, float("inf")))
        node[field] = int(scaled + 0.5) if isinstance(value, int) else scaled

    return edit


def _long_prompt_part(index: int, part: str) -> Edit:
    """Scale the static prefix or the variable rest of a long prompt, keeping the other."""

    def edit(data: dict[str, Any], factor: float) -> None:
        tokens = data["strategies"][index]["tokens"]
        prefix = tokens["cacheable_prefix_tokens"]
        rest = tokens["prompt_tokens"] - prefix
        if part == "prefix":
            prefix *= factor
        else:
            rest *= factor
        tokens["cacheable_prefix_tokens"] = prefix
        tokens["prompt_tokens"] = prefix + rest

    return edit


def _training_price(key: str, catalog: Catalog) -> Edit | None:
    """An edit that scales the fine-tunable model's training price via a price override."""
    ft = catalog.resolve(key).entry.fine_tuning
    if ft is None:
        return None
    field = "usd_per_mtok" if ft.training.usd_per_mtok is not None else "usd_per_hour"
    price = getattr(ft.training, field)

    def edit(data: dict[str, Any], factor: float) -> None:
        override = data.setdefault("price_overrides", {}).setdefault(key, {})
        override.setdefault("fine_tuning", {}).setdefault("training", {})[field] = price * factor

    return edit


# The inputs the tornado moves, as codes; report.wording.input_label words them.
PROMPT_INPUTS = ("prompt_prefix", "prompt_rest", "cache_hit_rate", "output_tokens", "failure_rate")
TRAINING_INPUTS = (
    "training_examples",
    "training_tokens_per_example",
    "training_runs",
    "data_prep_per_example",
    "evaluation_per_run",
    "training_price",
)


def _side_inputs(
    scenario: Scenario, index: int, role: str, catalog: Catalog
) -> list[tuple[str, str, Edit]]:
    """The inputs of one side of the main comparison: (code, role, edit).

    Every strategy has its prompt (static prefix and variable part), cache-hit
    rate, output and failure rate; a fine-tuned one adds its training plan
    and training price.
    """
    s = scenario.strategies[index]
    edits: dict[str, Edit | None] = {
        "prompt_prefix": _long_prompt_part(index, "prefix"),
        "prompt_rest": _long_prompt_part(index, "rest"),
        "cache_hit_rate": _strategy_field(index, "cache", "hit_rate"),
        "output_tokens": _strategy_field(index, "tokens", "output_tokens"),
        "failure_rate": _strategy_field(index, "failure", "rate"),
    }
    if s.kind == "fine-tuned":
        edits |= {
            "training_examples": _strategy_field(index, "training", "examples"),
            "training_tokens_per_example": _strategy_field(index, "training", "tokens_per_example"),
            "training_runs": _strategy_field(index, "training", "runs"),
            "data_prep_per_example": _strategy_field(
                index, "training", "data_prep_usd_per_example"
            ),
            "evaluation_per_run": _strategy_field(index, "training", "eval_usd_per_run"),
            "training_price": _training_price(
                s.model, with_overrides(catalog, scenario.price_overrides)
            ),
        }
    return [(code, role, edit) for code, edit in edits.items() if edit is not None]


def _inputs(scenario: Scenario, catalog: Catalog) -> list[tuple[str, str, Edit]]:
    """Both sides' inputs, for the main comparison the scenario defines."""
    base, challenger = scenario.main_pair
    return _side_inputs(scenario, base, "baseline", catalog) + _side_inputs(
        scenario, challenger, "challenger", catalog
    )


def tornado(
    scenario: Scenario,
    catalog: Catalog,
    *,
    today: dt.date | None = None,
    delta: float = 0.25,
) -> pd.DataFrame:
    """Break-even volume of the main comparison with each input at −delta and +delta.

    Rows are sorted by swing, the larger distance of either variant from
    today's break-even (largest first); ``breakeven_low`` / ``breakeven_high``
    are NaN where that variant never breaks even.
    """
    if not 0 < delta < 1:
        raise CostModelError("the sensitivity step must be between 0 and 1")
    start = scenario.start_date or today or dt.date.today()
    scenario = scenario.model_copy(update={"start_date": start})
    reference = _breakeven(scenario, catalog)
    rows = []
    for code, role, edit in _inputs(scenario, catalog):
        low = _variant(scenario, catalog, edit, 1 - delta)
        high = _variant(scenario, catalog, edit, 1 + delta)
        rows.append({"input": code, "side": role, "breakeven_low": low, "breakeven_high": high})
    frame = pd.DataFrame(rows)
    frame["baseline_breakeven"] = reference
    # the larger move away from today's break-even; a variant that never breaks even
    # (NaN) while today's does is the largest move of all
    moves = frame[["breakeven_low", "breakeven_high"]].sub(reference).abs()
    moves = moves.where(frame[["breakeven_low", "breakeven_high"]].notna(), np.inf)
    frame["swing"] = moves.max(axis=1) if np.isfinite(reference) else 0.0
    frame = frame[frame["swing"] > 0]
    return frame.sort_values("swing", ascending=False).reset_index(drop=True)


def _variant(scenario: Scenario, catalog: Catalog, edit: Edit, factor: float) -> float:
    data = scenario_to_dict(scenario)
    edit(data, factor)
    try:
        changed = scenario_from_dict(data)
    except CostModelError:
        return np.nan
    return _breakeven(changed, catalog)


def _breakeven(scenario: Scenario, catalog: Catalog) -> float:
    be = evaluate(scenario, catalog).primary.breakeven
    return np.nan if be.requests_per_month is None else float(be.requests_per_month)

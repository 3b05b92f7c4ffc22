"""Widget state ↔ Scenario, in one place, so save, load and the share link agree.

The dashboard edits two strategies of a scenario: the baseline (the first
strategy, a long prompt on a base model) and the challenger the engine
compares it with first (the first fine-tuned strategy). Every editable field
has a widget key here; anything the widgets do not show (other strategies,
sample-file paths, price overrides) is kept in hidden keys so a loaded
scenario comes back unchanged when saved. A sample-file path stays in the
scenario until the user uploads that file (:mod:`ui.named_files`): the
dashboard never opens a path it was given.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping, MutableMapping
from typing import Any

from pydantic import ValidationError

from costmodel.errors import ScenarioError
from costmodel.scenario import Scenario, Training, scenario_from_dict
from costmodel.suggest import plain_message
from costmodel.tokens.figures import RequestTokens
from costmodel.uncertain import Spread, get_path, recentred, set_path

Path = tuple[str, ...]

SIDES = ("base", "ft")

SCENARIO_FIELDS: dict[str, Path] = {
    "scenario_name": ("name",),
    "scenario_description": ("description",),
    "start_date": ("start_date",),
    "horizon_months": ("horizon_months",),
    "monthly_requests": ("workload", "requests_per_month"),
    "monthly_growth": ("workload", "monthly_growth"),
}

STRATEGY_FIELDS: dict[str, Path] = {
    "label": ("name",),
    "model": ("model",),
    "prompt_tokens": ("tokens", "prompt_tokens"),
    "prefix_tokens": ("tokens", "cacheable_prefix_tokens"),
    "output_tokens": ("tokens", "output_tokens"),
    "reasoning_tokens": ("tokens", "reasoning_tokens"),
    "cache_enabled": ("cache", "enabled"),
    "cache_hit_rate": ("cache", "hit_rate"),
    "cache_requests_per_lifetime": ("cache", "requests_per_lifetime"),
    "cache_ttl": ("cache", "ttl"),
    "batch_share": ("batch_share",),
    "failure_rate": ("failure", "rate"),
    "failure_handling": ("failure", "handling"),
    "review_usd": ("failure", "review_usd"),
    "monthly_fixed_usd": ("monthly_fixed_usd",),
}

# Only the challenger trains and may run on dedicated GPUs.
CHALLENGER_FIELDS: dict[str, Path] = {
    "examples": ("training", "examples"),
    "tokens_per_example": ("training", "tokens_per_example"),
    "epochs": ("training", "epochs"),
    "runs": ("training", "runs"),
    "hours_per_run": ("training", "hours_per_run"),
    "retrain_every_months": ("training", "retrain_every_months"),
    "data_prep_usd_per_example": ("training", "data_prep_usd_per_example"),
    "eval_usd_per_run": ("training", "eval_usd_per_run"),
    "gpu_tokens_per_second": ("gpu", "tokens_per_second"),
    "gpu_utilization": ("gpu", "utilization"),
    "gpu_min_replicas": ("gpu", "min_replicas"),
}

# Figures a user replaces with their own data; while the demo's value is still
# in use next to an uploaded file, the page says so.
DEMO_VALUES = "_demo_values"
DEMO_GROUPS: dict[str, tuple[str, ...]] = {
    "long prompt": ("base_prompt_tokens", "base_prefix_tokens"),
    "short prompt": ("ft_prompt_tokens",),
    "output length": ("base_output_tokens", "ft_output_tokens"),
    "training plan": ("ft_examples", "ft_tokens_per_example"),
}
DEMO_GROUPS_KEYS = tuple(k for keys in DEMO_GROUPS.values() for k in keys)
# Figures derived from uploaded files (see ui.uploads); a loaded scenario replaces them.
SAMPLES = "_samples"
TRAINING = "_training"

STRATEGIES = "_strategies"
# Inputs written as ranges, by path (costmodel.uncertain); the widgets show their central
# values and a moved widget moves its range's centre (ui.uncertainty edits the ends).
RANGES = "_ranges"
# Widget keys of the ranges panel start with this; a loaded scenario resets them.
PANEL = "range_"
SIDE_INDEX = "_side_index"
PRICE_OVERRIDES = "price_overrides"


def key(side: str, name: str) -> str:
    """Widget key of one strategy field, e.g. ``key("ft", "examples") == "ft_examples"``."""
    return f"{side}_{name}"


def side_indices(scenario: Scenario) -> dict[str, int]:
    """Which strategies the widgets edit: the baseline and its first challenger.

    This is the pair :attr:`costmodel.engine.evaluate.ScenarioResult.primary` compares.
    """
    rest = list(enumerate(scenario.strategies))[1:]
    ft = next((i for i, s in rest if s.kind == "fine-tuned"), 1)
    return {"base": 0, "ft": ft}


def side_fields(side: str, kind: str) -> dict[str, Path]:
    """The editable fields of one side (training only for a fine-tuned challenger)."""
    if side == "ft" and kind == "fine-tuned":
        return {**STRATEGY_FIELDS, **CHALLENGER_FIELDS}
    return STRATEGY_FIELDS


def widgets_from_scenario(scenario: Scenario) -> dict[str, Any]:
    """Every widget and hidden value that shows ``scenario``; ranges are kept aside."""
    data = scenario.model_dump(mode="json", exclude={"uncertain"})
    values: dict[str, Any] = {k: _get(data, p) for k, p in SCENARIO_FIELDS.items()}
    start = values["start_date"]
    values["start_date"] = dt.date.fromisoformat(start) if start else None
    indices = side_indices(scenario)
    for side, index in indices.items():
        strategy = data["strategies"][index]
        if strategy["kind"] == "fine-tuned" and strategy["training"] is None:
            strategy["training"] = Training().model_dump(mode="json")
        for name, path in side_fields(side, strategy["kind"]).items():
            values[key(side, name)] = _get(strategy, path)
    values[STRATEGIES] = data["strategies"]
    values[SIDE_INDEX] = indices
    values[PRICE_OVERRIDES] = data["price_overrides"]
    values[RANGES] = {path: spread.as_data() for path, spread in scenario.uncertain.items()}
    return values


def scenario_from_widgets(state: Mapping[str, Any]) -> Scenario:
    """The scenario the widgets show; raises ``ScenarioError`` naming a bad field.

    A side whose prompt length was edited after counting no longer claims
    where its figures were counted, and a training plan edited after its
    file was checked no longer names the file.
    """
    strategies = copy.deepcopy(list(state[STRATEGIES]))
    for side, index in state[SIDE_INDEX].items():
        strategy = strategies[index]
        tokens = strategy["tokens"]
        if tokens.get("counted") and tokens["prompt_tokens"] != state[key(side, "prompt_tokens")]:
            tokens["counted"] = None
        plan = strategy.get("training") or {}
        if plan.get("file") and any(
            plan.get(field) != state.get(key(side, field))
            for field in ("examples", "tokens_per_example")
        ):
            plan["file"] = None
        for name, path in side_fields(side, strategy["kind"]).items():
            _set(strategy, path, state[key(side, name)])
    data: dict[str, Any] = {"schema_version": 1}
    for name, path in SCENARIO_FIELDS.items():
        _set(data, path, state[name])
    if isinstance(data["start_date"], dt.date):
        data["start_date"] = data["start_date"].isoformat()
    data["strategies"] = strategies
    data["price_overrides"] = copy.deepcopy(dict(state[PRICE_OVERRIDES]))
    for path, spec in state.get(RANGES, {}).items():
        set_path(data, path, _centred(spec, get_path(data, path), path))
    return scenario_from_dict(data, "dashboard settings")


def _centred(spec: Mapping[str, Any], value: Any, path: str) -> dict[str, Any]:
    """A kept range around the value its widget shows now (see :func:`recentred`)."""
    try:
        return recentred(Spread.model_validate(spec), float(value)).as_data()
    except ValidationError as exc:
        problems = "; ".join(plain_message(err, Spread) for err in exc.errors())
        raise ScenarioError(f"dashboard settings: {path}: {problems}") from None


def load_into(state: MutableMapping[str, Any], scenario: Scenario) -> None:
    """Show ``scenario``: set every widget and hidden value at once; no demo value is left."""
    for name, value in widgets_from_scenario(scenario).items():
        state[name] = value
    for name in [k for k in list(state.keys()) if str(k).startswith(PANEL)]:
        del state[name]
    for derived in (DEMO_VALUES, SAMPLES, TRAINING):
        state.pop(derived, None)


def _get(data: Mapping[str, Any], path: Path) -> Any:
    """The value at ``path`` in nested mappings."""
    node: Any = data
    for step in path:
        node = node[step]
    return node


def _set(data: MutableMapping[str, Any], path: Path, value: Any) -> None:
    """Set the value at ``path``, creating missing (or null) mappings on the way."""
    node: Any = data
    for step in path[:-1]:
        if node.get(step) is None:
            node[step] = {}
        node = node[step]
    node[path[-1]] = value


def forget_samples(state: MutableMapping[str, Any], index: int) -> None:
    """Strategy ``index`` no longer reads a sample file: its figures were filled from an upload."""
    strategies = copy.deepcopy(list(state[STRATEGIES]))
    strategies[index]["tokens"].update(samples=None, samples_column="long")
    state[STRATEGIES] = strategies


def attach_training_file(
    state: MutableMapping[str, Any], name: str, figures: Mapping[str, int]
) -> None:
    """The challenger now trains on the uploaded file ``name``, whose figures the widgets show.

    ``figures`` are the examples and tokens per example the file filled in;
    the copy kept here lets :func:`scenario_from_widgets` notice a later edit.
    """
    strategies = copy.deepcopy(list(state[STRATEGIES]))
    strategy = strategies[state[SIDE_INDEX]["ft"]]
    if strategy["kind"] != "fine-tuned":
        return
    strategy["training"] = {**(strategy.get("training") or {}), **figures, "file": name}
    state[STRATEGIES] = strategies


def set_tokens(state: MutableMapping[str, Any], index: int, tokens: RequestTokens) -> None:
    """Write counted figures, and where they were counted, into strategy ``index``.

    For a strategy the widgets show, the caller sets the widgets to the same
    figures; the copy kept here lets :func:`scenario_from_widgets` notice a
    later edit.
    """
    strategies = copy.deepcopy(list(state[STRATEGIES]))
    counted = tokens.counted.model_dump(mode="json") if tokens.counted is not None else None
    strategies[index]["tokens"].update(
        prompt_tokens=tokens.prompt,
        cacheable_prefix_tokens=tokens.cacheable_prefix,
        output_tokens=tokens.output,
        counted=counted,
    )
    state[STRATEGIES] = strategies

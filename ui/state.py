"""Widget state ↔ Scenario, in one place, so save, load and the share link agree.

Every strategy of a scenario is edited with the same controls. Each strategy
has a stable id (its widgets' key prefix): the headline's baseline is
``base`` and its challenger ``ft`` when a scenario is loaded, any other
strategy ``s2``, ``s3``…, and an added one the next free ``sN``, so removing
or renaming a strategy never moves another's values. Fields the widgets do
not show (sample-file paths, service tier, a training file's name) are kept
in hidden keys so a loaded scenario comes back unchanged when saved. A
sample-file path stays in the scenario until the user uploads that file
(:mod:`ui.named_files`): the dashboard never opens a path it was given.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Mapping, MutableMapping
from typing import Any

from pydantic import ValidationError

from costmodel.errors import CostModelError, ScenarioError
from costmodel.prices.catalog import Catalog
from costmodel.scenario import Scenario, Training, scenario_from_dict
from costmodel.suggest import plain_message
from costmodel.tokens.figures import RequestTokens
from costmodel.uncertain import Spread, get_path, recentred, set_path

Path = tuple[str, ...]

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

# Only a fine-tuned strategy trains and may run on dedicated GPUs.
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
LOADED_GROWTH = "_loaded_growth"  # the growth a loaded scenario was written with
SHORT_SAMPLES = "_short_samples"
TRAINING = "_training"

STRATEGIES = "_strategies"
IDS = "_ids"
BASELINE = "main_baseline"
CHALLENGER = "main_challenger"
MAIN_NAMED = "_main_named"
# Inputs written as ranges: workload paths as they are, a strategy's as "<id>:<path>" so
# adding or removing a strategy never moves another's ranges. The widgets show each
# range's central value; a moved widget moves its range's centre (ui.uncertainty edits
# the ends).
RANGES = "_ranges"
# Widget keys of the ranges panel start with this; a loaded scenario resets them.
PANEL = "range_"
PRICE_OVERRIDES = "price_overrides"
# Possible price changes, each naming its strategy by widget id (as RANGES do), so a
# renamed strategy keeps its changes and a removed one takes them away.
PRICE_CHANGES = "_price_changes"


def key(side: str, name: str) -> str:
    """Widget key of one strategy field, e.g. ``key("ft", "examples") == "ft_examples"``."""
    return f"{side}_{name}"


def main_model(state: Mapping[str, Any], role: str) -> str:
    """The model of the headline's baseline (``role=BASELINE``) or challenger."""
    ids = list(state[IDS])
    sid = state.get(role)
    if sid not in ids:
        sid = ids[0 if role == BASELINE else 1]
    return str(state[key(sid, "model")])


def fields(kind: str) -> dict[str, Path]:
    """The editable fields of a strategy of ``kind`` (training only when fine-tuned)."""
    if kind == "fine-tuned":
        return {**STRATEGY_FIELDS, **CHALLENGER_FIELDS}
    return STRATEGY_FIELDS


def strategy_ids(scenario: Scenario) -> list[str]:
    """Widget ids of the strategies: ``base`` and ``ft`` for the main pair, ``sN`` for others.

    >>> from costmodel.demo import demo_scenario
    >>> strategy_ids(demo_scenario())
    ['base', 'ft', 's2']
    """
    base, challenger = scenario.main_pair
    named = {base: "base", challenger: "ft"}
    return [named.get(i, f"s{i}") for i in range(len(scenario.strategies))]


def widgets_from_scenario(scenario: Scenario) -> dict[str, Any]:
    """Every widget and hidden value that shows ``scenario``; ranges are kept aside."""
    data = scenario.model_dump(mode="json", exclude={"uncertain"})
    values: dict[str, Any] = {k: _get(data, p) for k, p in SCENARIO_FIELDS.items()}
    names = [s.name for s in scenario.strategies]
    start = values["start_date"]
    values["start_date"] = dt.date.fromisoformat(start) if start else None
    ids = strategy_ids(scenario)
    for sid, strategy in zip(ids, data["strategies"], strict=True):
        values.update(strategy_widgets(sid, strategy))
    base, challenger = scenario.main_pair
    values[STRATEGIES] = data["strategies"]
    values[IDS] = ids
    values[BASELINE], values[CHALLENGER] = ids[base], ids[challenger]
    values[MAIN_NAMED] = scenario.baseline is not None or scenario.challenger is not None
    values[PRICE_OVERRIDES] = data["price_overrides"]
    values[RANGES] = {
        range_key(path, ids): spread.as_data() for path, spread in scenario.uncertain.items()
    }
    values[PRICE_CHANGES] = [
        change | {"strategy": ids[names.index(change["strategy"])]}
        for change in data["possible_price_changes"]
    ]
    return values


def strategy_widgets(sid: str, strategy: dict[str, Any]) -> dict[str, Any]:
    """The widget values of one strategy (a fine-tuned one without a plan shows the defaults)."""
    if strategy["kind"] == "fine-tuned" and strategy.get("training") is None:
        strategy["training"] = Training().model_dump(mode="json")
    return {key(sid, name): _get(strategy, path) for name, path in fields(strategy["kind"]).items()}


def scenario_from_widgets(state: Mapping[str, Any]) -> Scenario:
    """The scenario the widgets show; raises ``ScenarioError`` naming a bad field.

    A strategy whose prompt length was edited after counting no longer claims
    where its figures were counted, and a training plan edited after its
    file was checked no longer names the file.
    """
    strategies = copy.deepcopy(list(state[STRATEGIES]))
    for sid, strategy in zip(state[IDS], strategies, strict=True):
        tokens = strategy["tokens"]
        if tokens.get("counted") and tokens["prompt_tokens"] != state[key(sid, "prompt_tokens")]:
            tokens["counted"] = None
        plan = strategy.get("training") or {}
        if plan.get("file") and any(
            plan.get(field) != state.get(key(sid, field))
            for field in ("examples", "tokens_per_example")
        ):
            plan["file"] = None
        for name, path in fields(strategy["kind"]).items():
            _set(strategy, path, state[key(sid, name)])
    data: dict[str, Any] = {"schema_version": 1}
    for name, path in SCENARIO_FIELDS.items():
        _set(data, path, state[name])
    if isinstance(data["start_date"], dt.date):
        data["start_date"] = data["start_date"].isoformat()
    data["strategies"] = strategies
    data["price_overrides"] = copy.deepcopy(dict(state[PRICE_OVERRIDES]))
    data.update(_main_pair(state, strategies))
    ids = list(state[IDS])
    for where, spec in state.get(RANGES, {}).items():
        path = range_path(where, ids)
        if path is not None:
            set_path(data, path, _centred(spec, get_path(data, path), path))
    data["possible_price_changes"] = [
        change | {"strategy": strategies[ids.index(change["strategy"])]["name"]}
        for change in state.get(PRICE_CHANGES, [])
        if change["strategy"] in ids
    ]
    return scenario_from_dict(data, "dashboard settings")


def range_key(path: str, ids: list[str]) -> str:
    """Where ``state[RANGES]`` keeps the range of a scenario path.

    >>> range_key("strategies.1.cache.hit_rate", ["base", "ft"]), range_key("horizon_months", [])
    ('ft:cache.hit_rate', 'horizon_months')
    """
    parts = path.split(".", 2)
    if parts[0] != "strategies":
        return path
    return f"{ids[int(parts[1])]}:{parts[2]}"


def range_path(where: str, ids: list[str]) -> str | None:
    """The scenario path of a kept range; None when its strategy was removed.

    >>> range_path("ft:cache.hit_rate", ["base", "ft"]), range_path("s9:batch_share", ["base"])
    ('strategies.1.cache.hit_rate', None)
    """
    sid, sep, rest = where.partition(":")
    if not sep:
        return where
    return f"strategies.{ids.index(sid)}.{rest}" if sid in ids else None


def _centred(spec: Mapping[str, Any], value: Any, path: str) -> dict[str, Any]:
    """A kept range around the value its widget shows now (see :func:`recentred`)."""
    try:
        return recentred(Spread.model_validate(spec), float(value)).as_data()
    except ValidationError as exc:
        problems = "; ".join(plain_message(err, Spread) for err in exc.errors())
        raise ScenarioError(f"dashboard settings: {path}: {problems}") from None


def _main_pair(state: Mapping[str, Any], strategies: list[dict[str, Any]]) -> dict[str, Any]:
    """``baseline`` and ``challenger`` by name, when the user or the file chose them."""
    ids = list(state[IDS])
    chosen = [state.get(BASELINE), state.get(CHALLENGER)]
    if not state.get(MAIN_NAMED) or not all(c in ids for c in chosen) or chosen[0] == chosen[1]:
        return {}
    base, challenger = (strategies[ids.index(c)]["name"] for c in chosen)
    return {"baseline": base, "challenger": challenger}


def load_into(state: MutableMapping[str, Any], scenario: Scenario) -> None:
    """Show ``scenario``: set every widget and hidden value at once; no demo value is left."""
    for sid in state.get(IDS, ()):
        for name in fields("fine-tuned"):
            state.pop(key(sid, name), None)
    for name, value in widgets_from_scenario(scenario).items():
        state[name] = value
    for name in [k for k in list(state.keys()) if str(k).startswith(PANEL)]:
        del state[name]
    for derived in (DEMO_VALUES, SAMPLES, SHORT_SAMPLES, TRAINING):
        state.pop(derived, None)
    state[LOADED_GROWTH] = scenario.workload.monthly_growth


def growth_typed(state: Mapping[str, Any], scenario: Scenario) -> bool:
    """Whether the scenario's growth was typed into a file or link (and is unchanged since):
    then 2 may be 2 % written as a whole number. A growth picked on the percent slider was not.
    """
    return scenario.workload.monthly_growth == state.get(LOADED_GROWTH)


def keep_widget_values(state: MutableMapping[str, Any]) -> None:
    """Keep the values of strategies whose controls are not drawn in this run.

    Streamlit forgets a widget's value when the widget is not drawn; writing
    the value back makes it the session's own, so a strategy edited earlier
    keeps its figures while another one is on screen.
    """
    for sid, strategy in zip(state.get(IDS, ()), state.get(STRATEGIES, ()), strict=True):
        for name in fields(strategy["kind"]):
            k = key(sid, name)
            if k in state:
                state[k] = state[k]


def add_strategy(state: MutableMapping[str, Any], kind: str) -> str:
    """A new strategy of ``kind``, a copy of the last one of that kind (else of the baseline).

    Returns its id. The name is made unique: "Option 3", "Option 4", …
    """
    ids, strategies = list(state[IDS]), copy.deepcopy(list(state[STRATEGIES]))
    current = scenario_from_widgets_lenient(state, strategies, ids)
    same = [i for i, s in enumerate(current) if s["kind"] == kind]
    source = copy.deepcopy(current[same[-1] if same else 0])
    source["kind"] = kind
    if kind == "prompt":
        source["training"] = None
    names = {s["name"] for s in current}
    n = len(ids) + 1
    while f"Option {n}" in names:
        n += 1
    source["name"] = f"Option {n}"
    sid = next(f"s{i}" for i in range(len(ids), 10 * len(ids) + 10) if f"s{i}" not in ids)
    strategies.append(source)
    ids.append(sid)
    state.update(strategy_widgets(sid, source))
    state[STRATEGIES], state[IDS] = strategies, ids
    return sid


def remove_strategy(state: MutableMapping[str, Any], sid: str) -> None:
    """Drop strategy ``sid``; the headline pair falls back to the default when it named it."""
    ids, strategies = list(state[IDS]), list(state[STRATEGIES])
    index = ids.index(sid)
    del ids[index], strategies[index]
    for name in fields("fine-tuned"):
        state.pop(key(sid, name), None)
    state[STRATEGIES], state[IDS] = strategies, ids
    if sid in (state.get(BASELINE), state.get(CHALLENGER)):
        state[MAIN_NAMED] = False
        base, challenger = default_pair(strategies)
        state[BASELINE], state[CHALLENGER] = ids[base], ids[challenger]


def default_pair(strategies: list[dict[str, Any]]) -> tuple[int, int]:
    """The main pair when none is chosen: as :attr:`Scenario.main_pair` defines it.

    >>> default_pair([{"kind": "prompt"}, {"kind": "prompt"}, {"kind": "fine-tuned"}])
    (0, 2)
    """
    tuned = [i for i, s in enumerate(strategies) if i and s["kind"] == "fine-tuned"]
    return 0, (tuned or [1])[0]


def scenario_from_widgets_lenient(
    state: Mapping[str, Any], strategies: list[dict[str, Any]], ids: list[str]
) -> list[dict[str, Any]]:
    """The strategies as plain data with the widgets' values written in, unvalidated."""
    current = copy.deepcopy(strategies)
    for sid, strategy in zip(ids, current, strict=True):
        for name, path in fields(strategy["kind"]).items():
            if key(sid, name) in state:
                _set(strategy, path, state[key(sid, name)])
    return current


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
    """Every fine-tuned strategy now trains on the uploaded file ``name``, whose figures the
    widgets show.

    ``figures`` are the examples and tokens per example the file filled in;
    the copy kept here lets :func:`scenario_from_widgets` notice a later edit.
    """
    strategies = copy.deepcopy(list(state[STRATEGIES]))
    for strategy in strategies:
        if strategy["kind"] == "fine-tuned":
            strategy["training"] = {**(strategy.get("training") or {}), **figures, "file": name}
    state[STRATEGIES] = strategies


def set_tokens(state: MutableMapping[str, Any], index: int, tokens: RequestTokens) -> None:
    """Write counted figures, and where they were counted, into strategy ``index``.

    The controls show the same figures; the copy kept in the strategy lets
    :func:`scenario_from_widgets` notice a later edit.
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
    sid = state[IDS][index]
    state[key(sid, "prompt_tokens")] = tokens.prompt
    state[key(sid, "prefix_tokens")] = tokens.cacheable_prefix
    state[key(sid, "output_tokens")] = tokens.output


# Separators a model's name is written with: "nova-micro", "Nova Micro" and "nova.micro" agree.
_SEPARATOR = r"[\s\-_.]+"


def model_mentions(catalog: Catalog, model: str) -> list[str]:
    """How an option's name may mention ``model``, longest first.

    Its catalog name, aliases and id; the runs of two or more words that end
    its name ("Nova Micro" of "Amazon Nova Micro"); its words holding a digit
    ("gpt-oss-20b"). Longest first, so "GPT-6.1 Terra" is found before "GPT-6.1".
    """
    try:
        found = catalog.resolve(model)
    except CostModelError:
        return [model.split("/")[-1]]
    words = found.entry.name.split()
    forms = {found.entry.name, *found.entry.aliases, found.key.split("/", 1)[-1]}
    forms |= {" ".join(words[i:]) for i in range(len(words) - 1)}
    forms |= {word for word in words if any(ch.isdigit() for ch in word)}
    return sorted(forms, key=len, reverse=True)


def renamed(name: str, mentions: list[str], new: str) -> str:
    """``name`` with its first mention of the old model replaced by ``new``.

    A name that mentions none of ``mentions`` is the user's own and stays.

    >>> renamed("Fine-tuned Nova Micro, short prompt", ["Nova Micro"], "Amazon Nova Pro")
    'Fine-tuned Amazon Nova Pro, short prompt'
    >>> renamed("Long prompt on gpt-6.1-terra", ["GPT-6.1 Terra"], "GPT-6 Astra")
    'Long prompt on GPT-6 Astra'
    >>> renamed("Our current set-up", ["Nova Micro"], "Amazon Nova Pro")
    'Our current set-up'
    """
    for form in mentions:
        parts = [re.escape(part) for part in re.split(_SEPARATOR, form) if part]
        if not parts:
            continue
        pattern = r"(?<![A-Za-z0-9])" + _SEPARATOR.join(parts) + r"(?![A-Za-z0-9])"
        match = re.search(pattern, name, flags=re.IGNORECASE)
        if match:
            return name[: match.start()] + new + name[match.end() :]
    return name


def follow_model(state: MutableMapping[str, Any], sid: str, old: str, catalog: Catalog) -> None:
    """Option ``sid`` now uses another model: a name that named the old one names the new one.

    Without this the verdict would name the old model over the new one's
    figures. A name that becomes another option's gets a number, as names
    must stay unique.
    """
    new = state.get(key(sid, "model"))
    name = state.get(key(sid, "label"))
    if not isinstance(name, str) or not isinstance(new, str) or new == old:
        return
    try:
        title = catalog.resolve(new).entry.name
    except CostModelError:
        title = new
    changed = renamed(name, model_mentions(catalog, old), title)
    if changed == name:
        return
    others = {state.get(key(i, "label")) for i in state[IDS] if i != sid}
    unique, n = changed, 2
    while unique in others:
        unique, n = f"{changed} ({n})", n + 1
    state[key(sid, "label")] = unique

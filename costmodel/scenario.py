"""The one scenario format: a YAML file the dashboard saves, the CLI reads and tests use.

A scenario names two or more *strategies* — ways of serving the same feature —
and the workload they serve. The first strategy is the baseline (usually a
base model fed a long prompt); every other one is compared with it and with
each other. Loading is strict (unknown keys are errors, numbers must be
finite) and bounded (:mod:`costmodel.parsing`); saving then loading gives
back an equal scenario.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from costmodel.errors import ScenarioError
from costmodel.parsing import MAX_YAML_BYTES, load_yaml, read_text
from costmodel.suggest import plain_message
from costmodel.uncertain import (
    FINE_TUNED_PRICES,
    RANGEABLE,
    PossiblePriceChange,
    Spread,
    as_field_value,
    get_path,
    is_range,
    point_value,
    rangeable_paths,
    set_path,
    template_of,
)

EARLIEST_START = dt.date(2020, 1, 1)  # before the first fine-tunable model of the catalog
LATEST_START = dt.date(2100, 12, 31)

# Above these a figure is a typo, not a workload: a trillion requests a month is
# about 385,000 a second, and no model reads 100M tokens in one request.
MAX_REQUESTS_PER_MONTH = 1e12
MAX_TOKENS_PER_REQUEST = 1e8
# Growth of 100 % a month or more is legal but far likelier a percentage typed
# as a whole number (2 for 2 %): it is accepted with a warning.
UNLIKELY_GROWTH = 1.0
MAX_GROWTH = 2.0
MIN_GROWTH = -0.5


def percent_hint(value: float) -> str:
    """ "; did you mean 0.02?" when ``value`` looks like a percentage written as a whole number.

    >>> percent_hint(90), percent_hint(2), percent_hint(-3), percent_hint(0.5), percent_hint(500)
    ('; did you mean 0.9?', '; did you mean 0.02?', '; did you mean -0.03?', '', '')
    """
    return f"; did you mean {value / 100:g}?" if 1 <= abs(value) <= 100 else ""


def _share(value: float) -> float:
    """A share of requests is a fraction: 0.9 means 90 %."""
    if value > 1:
        raise ValueError(
            f"{value:g} is more than 1: shares are fractions (0.9 means 90 %){percent_hint(value)}"
        )
    return value


def _rate(value: float) -> float:
    """A failure rate below 1: at 1 every answer fails and no request ever succeeds."""
    if value >= 1:
        raise ValueError(
            f"{value:g} is not below 1: a failure rate is a fraction below 1, since at 1 "
            f"every answer fails (0.05 means 5 %){percent_hint(value)}"
        )
    return value


def _growth(value: float) -> float:
    """Monthly growth as a fraction, between −50 % and +200 % a month."""
    if not MIN_GROWTH <= value <= MAX_GROWTH:
        raise ValueError(
            f"{value:g} is outside {MIN_GROWTH:g} to {MAX_GROWTH:g}: monthly growth is a "
            f"fraction (0.03 means 3 % a month){percent_hint(value)}"
        )
    return value


def _volume(value: float) -> float:
    if value > MAX_REQUESTS_PER_MONTH:
        raise ValueError(
            f"{value:g} requests a month is not a plausible volume: at most "
            f"{MAX_REQUESTS_PER_MONTH:,.0f} (a trillion)"
        )
    return value


def _tokens(value: float) -> float:
    if value > MAX_TOKENS_PER_REQUEST:
        raise ValueError(
            f"{value:g} tokens in one request is beyond any model: at most "
            f"{MAX_TOKENS_PER_REQUEST:,.0f}"
        )
    return value


Share = Annotated[float, Field(ge=0), AfterValidator(_share)]
NonNeg = Annotated[float, Field(ge=0)]
TokenCount = Annotated[float, Field(ge=0), AfterValidator(_tokens)]
Count = Annotated[int, Field(ge=0)]


class _Strict(BaseModel):
    # Non-finite numbers (.inf, .nan) are refused everywhere in a scenario.
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Counted(_Strict):
    """Where written token figures were counted: the file's name, its records and the encoding.

    It changes no figure; it lets every output say where the figures came
    from, and whether the model's own tokenizer counted them.
    """

    file: str
    records: Count
    encoding: str


class Tokens(_Strict):
    """Token figures of one request, or a sample file to count them from.

    ``prompt_tokens`` is the whole input (system text, examples, context,
    user message); ``cacheable_prefix_tokens`` is its static leading part.
    When ``samples`` is given, the means of the file replace the figures;
    ``counted`` records where figures written in were counted (the dashboard
    fills it when it counts an upload).
    """

    prompt_tokens: TokenCount = 0.0
    cacheable_prefix_tokens: TokenCount = 0.0
    output_tokens: TokenCount = 0.0
    reasoning_tokens: TokenCount = 0.0
    samples: str | None = Field(
        default=None, description="path of a sample-prompt file, relative to the scenario"
    )
    samples_column: Literal["long", "short"] = "long"
    counted: Counted | None = None

    @model_validator(mode="after")
    def _prefix_within_prompt(self) -> Tokens:
        if self.cacheable_prefix_tokens > self.prompt_tokens:
            raise ValueError(
                f"cacheable_prefix_tokens ({self.cacheable_prefix_tokens:g}) exceeds "
                f"prompt_tokens ({self.prompt_tokens:g})"
            )
        return self


class Cache(_Strict):
    """Prompt-cache behaviour.

    ``hit_rate`` is the share of requests whose cacheable prefix is read from
    the cache. Each miss writes the prefix into the cache (billed at the
    model's write price when it has one). A steady stream of *R* requests per
    cache lifetime gives a hit rate of about 1 − 1/R (one write per lifetime):
    :func:`hit_rate_from_requests_per_lifetime` turns that assumption into a rate.
    """

    enabled: bool = True
    hit_rate: Share = 0.9
    requests_per_lifetime: Annotated[float, Field(gt=0)] | None = Field(
        default=None,
        description="if set, the hit rate is derived from it: 1 − 1/R (one write per lifetime)",
    )
    ttl: Literal["5m", "1h"] = "5m"

    @property
    def effective_hit_rate(self) -> float:
        """The hit rate the cost model uses: given, or derived from requests per lifetime."""
        if self.requests_per_lifetime is not None:
            return hit_rate_from_requests_per_lifetime(self.requests_per_lifetime)
        return self.hit_rate


class Failure(_Strict):
    """How often an answer is wrong, and what a wrong answer costs.

    ``retry``: the request is sent again until it succeeds (each failure may
    also cost ``review_usd`` to detect). ``review``: a person fixes the
    answer at ``review_usd``.
    """

    rate: Annotated[float, Field(ge=0), AfterValidator(_rate)] = 0.0
    handling: Literal["retry", "review"] = "retry"
    review_usd: NonNeg = 0.0


class Training(_Strict):
    """One fine-tuning plan: data size, epochs, attempts and retraining."""

    examples: Count = 500
    tokens_per_example: Count = 600
    epochs: int | Literal["auto"] = "auto"
    runs: Annotated[int, Field(ge=1)] = 1
    hours_per_run: NonNeg | None = Field(
        default=None, description="wall-clock hours per run, for per-hour (RFT) pricing"
    )
    retrain_every_months: Annotated[int, Field(ge=1)] | None = None
    data_prep_usd_per_example: NonNeg = 0.0
    eval_usd_per_run: NonNeg = 0.0
    file: str | None = Field(default=None, description="chat JSONL training file, optional")

    @model_validator(mode="after")
    def _epochs_positive(self) -> Training:
        if isinstance(self.epochs, int) and self.epochs < 1:
            raise ValueError("epochs must be 'auto' or a whole number ≥ 1")
        return self


class Gpu(_Strict):
    """Dedicated-GPU serving assumptions (only used when the model is served that way)."""

    tokens_per_second: Annotated[float, Field(gt=0)] = 2_000.0
    utilization: Annotated[float, Field(gt=0), AfterValidator(_share)] = 0.5
    min_replicas: Count = 1


class PriceMultipliers(_Strict):
    """Factors on the catalog's prices for one strategy, 1 meaning the listed price.

    ``inference`` scales every per-token price of the model as served (base
    or fine-tuned), ``training`` the training price, ``hosting`` the hourly
    hosting fee of a hosted fine-tune and ``gpu`` the hourly price of a
    dedicated GPU. Written as ranges they say how far a price may move within
    the horizon (``inference: {low: 0.8, likely: 1, high: 1.3}``).
    """

    inference: Annotated[float, Field(gt=0)] = 1.0
    training: Annotated[float, Field(gt=0)] = 1.0
    hosting: Annotated[float, Field(gt=0)] = 1.0
    gpu: Annotated[float, Field(gt=0)] = 1.0


class Strategy(_Strict):
    """One way of serving the feature.

    ``kind: prompt`` calls ``model`` at its base prices; ``kind: fine-tuned``
    trains ``model`` (a fine-tunable catalog entry) and calls the result at its
    fine-tuned prices and serving mode. ``service_tier`` (flex, priority) and
    ``data_residency`` apply the model's own factors for them; a model without
    them is refused rather than priced at the standard rate.
    """

    name: str
    kind: Literal["prompt", "fine-tuned"]
    model: str
    tokens: Tokens
    cache: Cache = Cache()
    batch_share: Share = 0.0
    service_tier: Literal["standard", "flex", "priority"] = "standard"
    data_residency: bool = False
    failure: Failure = Failure()
    training: Training | None = None
    gpu: Gpu = Gpu()
    monthly_fixed_usd: NonNeg = Field(
        default=0.0, description="other running costs per month, e.g. prompt maintenance"
    )
    price_multipliers: PriceMultipliers = PriceMultipliers()

    @model_validator(mode="after")
    def _training_only_for_fine_tuned(self) -> Strategy:
        if self.kind == "prompt" and self.training is not None:
            raise ValueError("training is only for strategies of kind 'fine-tuned'")
        return self

    def planned_training(self) -> Training:
        """The training plan, defaults included (fine-tuned strategies only)."""
        return self.training or Training()


class Workload(_Strict):
    """How much traffic the feature serves."""

    requests_per_month: Annotated[float, Field(ge=0), AfterValidator(_volume)] = 100_000
    monthly_growth: Annotated[float, AfterValidator(_growth)] = 0.0


class Scenario(_Strict):
    """Everything one break-even comparison needs."""

    schema_version: Literal[1] = 1
    name: str = "Untitled scenario"
    description: str = ""
    start_date: dt.date | None = Field(
        default=None, description="first month of the horizon (default: today)"
    )
    horizon_months: Annotated[int, Field(ge=1, le=120)] = 12
    workload: Workload = Workload()
    strategies: tuple[Strategy, ...]
    price_overrides: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="partial price fields per catalog model key, layered over the catalog",
    )
    baseline: str | None = Field(
        default=None,
        description="name of the strategy the headline compares against (default: the first)",
    )
    challenger: str | None = Field(
        default=None,
        description="name of the strategy the headline weighs against the baseline "
        "(default: the first fine-tuned strategy after the baseline, else the next one)",
    )
    uncertain: dict[str, Spread] = Field(
        default_factory=dict,
        description="inputs written as ranges, by dotted path (strategies by index); each "
        "field holds the range's central value. Written in place in the file.",
    )
    possible_price_changes: tuple[PossiblePriceChange, ...] = Field(
        default=(),
        description="prices a provider may change within the horizon, each with a "
        "probability; the simulation draws them, the point estimate keeps today's prices",
    )

    @model_validator(mode="before")
    @classmethod
    def _lift_ranges(cls, data: Any) -> Any:
        """Take every range out of its field into ``uncertain``, leaving its central value."""
        if not isinstance(data, dict):
            return data
        data = copy.deepcopy(data)
        given = data.get("uncertain") or {}
        if not isinstance(given, dict):
            return data
        lifted: dict[str, Any] = {}
        for path, spec in given.items():
            if not isinstance(path, str) or template_of(path) not in RANGEABLE:
                raise ValueError(
                    f"uncertain: {path!r} is not an input that may be a range; "
                    f"these may: {', '.join(RANGEABLE)}"
                )
            lifted[path] = spec
        for path in rangeable_paths(data):
            value = get_path(data, path)
            if is_range(value):
                lifted[path] = value
        for path, spec in lifted.items():
            spread = _spread(path, spec)
            lifted[path] = spread
            set_path(data, path, point_value(spread, path))
        data["uncertain"] = lifted
        return data

    @model_validator(mode="after")
    def _ranges_used(self) -> Scenario:
        """A range on an input the scenario does not use would be ignored: refused instead."""
        for path in self.uncertain:
            parts = path.split(".")
            if parts[0] != "strategies" or int(parts[1]) >= len(self.strategies):
                continue
            s = self.strategies[int(parts[1])]
            if parts[2:] == ["cache", "hit_rate"] and s.cache.requests_per_lifetime is not None:
                raise ValueError(
                    f"{path} is a range, but the hit rate is derived from "
                    "cache.requests_per_lifetime: give the range there or drop it"
                )
        return self

    @model_validator(mode="after")
    def _range_ends_valid(self) -> Scenario:
        """Both ends of every range must be legal values of their field."""
        ends = {p: r.ends for p, r in self.uncertain.items() if r.ends is not None}
        if not ends:
            return self
        # possible price changes are checked against the horizon's high end on their own
        plain = self.model_dump(mode="json", exclude={"uncertain", "possible_price_changes"})
        for side, label in ((0, "low"), (1, "high")):
            data = copy.deepcopy(plain)
            for path, pair in ends.items():
                value = pair[side]
                set_path(data, path, as_field_value(value, path))
            try:
                Scenario.model_validate(data)
            except ValidationError as exc:
                problems = [
                    f"{'.'.join(str(p) for p in err['loc']) or '(scenario)'}: "
                    f"{plain_message(err, Scenario)}"
                    for err in exc.errors()
                ]
                raise ValueError(
                    f"with every range at its {label} end: " + "; ".join(problems)
                ) from None
        return self

    @model_validator(mode="after")
    def _price_changes_fit(self) -> Scenario:
        """Each possible change names a strategy, a price it has and a month of the horizon."""
        names = {s.name: s for s in self.strategies}
        horizon = self.uncertain.get("horizon_months")
        last = (
            int(as_field_value(horizon.ends[1], "horizon_months"))
            if horizon is not None and horizon.ends
            else self.horizon_months
        )
        for i, change in enumerate(self.possible_price_changes):
            where = f"possible_price_changes.{i}"
            strategy = names.get(change.strategy)
            if strategy is None:
                raise ValueError(
                    f"{where}.strategy: {change.strategy!r} is not a strategy name; "
                    f"names: {', '.join(names)}"
                )
            if change.price in FINE_TUNED_PRICES and strategy.kind != "fine-tuned":
                raise ValueError(
                    f"{where}.price: {change.strategy!r} is not fine-tuned, so it has no "
                    f"{change.price} price"
                )
            ends = change.month_spread.ends
            if ends is not None and ends[1] > last:
                raise ValueError(
                    f"{where}.month: {ends[1]:g} is after the horizon's last month ({last})"
                )
        return self

    @model_validator(mode="after")
    def _start_in_range(self) -> Scenario:
        if self.start_date is not None and not EARLIEST_START <= self.start_date <= LATEST_START:
            raise ValueError(
                f"start_date {self.start_date} is outside the years the catalog prices "
                f"({EARLIEST_START.year}–{LATEST_START.year})"
            )
        return self

    @model_validator(mode="after")
    def _unique_names(self) -> Scenario:
        if len(self.strategies) < 2:
            raise ValueError(
                "a scenario compares at least two strategies (e.g. a long prompt on a base "
                "model and a fine-tuned model with a short prompt)"
            )
        names = [s.name for s in self.strategies]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"strategy names must be unique; repeated: {', '.join(dupes)}")
        for role in ("baseline", "challenger"):
            chosen = getattr(self, role)
            if chosen is not None and chosen not in names:
                raise ValueError(
                    f"{role} {chosen!r} is not a strategy name; names: {', '.join(names)}"
                )
        if self.baseline is not None and self.baseline == self.challenger:
            raise ValueError("baseline and challenger must be two different strategies")
        return self

    @property
    def main_pair(self) -> tuple[int, int]:
        """Indexes of the baseline and the challenger the headline compares.

        The one definition of "the main comparison": named in the file, or
        the first strategy against the first fine-tuned strategy after it
        (else the strategy after it).
        """
        names = [s.name for s in self.strategies]
        base = names.index(self.baseline) if self.baseline is not None else 0
        if self.challenger is not None:
            return base, names.index(self.challenger)
        others = [i for i in range(len(names)) if i != base]
        tuned = [i for i in others if self.strategies[i].kind == "fine-tuned"]
        return base, (tuned or others)[0]


def _spread(path: str, spec: Any) -> Spread:
    """A range as written, or one plain error naming its field."""
    if isinstance(spec, Spread):
        return spec
    try:
        return Spread.model_validate(spec)
    except ValidationError as exc:
        problems = "; ".join(plain_message(err, Spread) for err in exc.errors())
        raise ValueError(f"{path}: {problems}") from None


def hit_rate_from_requests_per_lifetime(requests: float) -> float:
    """Hit rate when one request in every cache lifetime writes and the rest read.

    >>> hit_rate_from_requests_per_lifetime(10)
    0.9
    >>> hit_rate_from_requests_per_lifetime(0.5)
    0.0
    """
    return 0.0 if requests <= 1 else 1.0 - 1.0 / requests


def parse_scenario(text: str, name: str = "scenario") -> Scenario:
    """Validate scenario YAML text; errors name the field and say what is wrong."""
    data = load_yaml(text, name, ScenarioError)
    if not isinstance(data, dict):
        raise ScenarioError(f"{name}: expected a mapping with 'strategies'")
    return scenario_from_dict(data, name)


def scenario_from_dict(data: dict[str, Any], name: str = "scenario") -> Scenario:
    """Validate plain data; every problem is named by its path, in plain words."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "(scenario)"
            problems.append(f"{loc}: {plain_message(err, Scenario)}")
        raise ScenarioError(f"{name}: " + "; ".join(problems)) from None


def scenario_warnings(scenario: Scenario, *, typed: bool = True) -> tuple[str, ...]:
    """Legal values that are probably mistakes, each with the likely intended value.

    ``typed=False``: the values were picked on a labelled percentage scale (the
    dashboard), so a percentage cannot have been typed as a whole number; what
    the value means is said instead, without a field path.

    >>> from costmodel.demo import demo_scenario
    >>> demo = demo_scenario()
    >>> fast = demo.model_copy(update={"workload": demo.workload.model_copy(
    ...     update={"monthly_growth": 2.0})})
    >>> scenario_warnings(fast, typed=False)
    ('monthly growth of 200% multiplies the volume by 3 every month',)
    """
    growth = scenario.workload.monthly_growth
    if growth < UNLIKELY_GROWTH:
        return ()
    if not typed:
        return (
            f"monthly growth of {growth:.0%} multiplies the volume by {1 + growth:g} every month",
        )
    return (
        f"workload.monthly_growth: {growth:g} means {growth:.0%} more requests every "
        f"month{percent_hint(growth)}",
    )


def load_scenario(path: Path) -> Scenario:
    """A scenario file, refused before reading if it is larger than any scenario."""
    return parse_scenario(read_text(path, MAX_YAML_BYTES, ScenarioError), str(path))


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """Plain data (JSON/YAML-safe): dates as ISO strings, ranges written in place."""
    data = scenario.model_dump(mode="json", exclude={"uncertain"})
    for path, spread in scenario.uncertain.items():
        set_path(data, path, spread.as_data())
    return data


def dump_scenario(scenario: Scenario) -> str:
    """YAML text that :func:`parse_scenario` turns back into an equal scenario."""
    return yaml.safe_dump(scenario_to_dict(scenario), sort_keys=False, allow_unicode=True)

"""The one scenario format: a YAML file the dashboard saves, the CLI reads and tests use.

A scenario names two or more *strategies* — ways of serving the same feature —
and the workload they serve. The first strategy is the baseline (usually a
base model fed a long prompt); every other one is compared with it and with
each other. Loading is strict (unknown keys are errors) and safe
(``yaml.safe_load``); saving then loading gives back an equal scenario.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from costmodel.errors import ScenarioError

Share = Annotated[float, Field(ge=0, le=1)]
NonNeg = Annotated[float, Field(ge=0)]
Count = Annotated[int, Field(ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Tokens(_Strict):
    """Token figures of one request, or a sample file to count them from.

    ``prompt_tokens`` is the whole input (system text, examples, context,
    user message); ``cacheable_prefix_tokens`` is its static leading part.
    When ``samples`` is given, the means of the file replace the figures.
    """

    prompt_tokens: NonNeg = 0.0
    cacheable_prefix_tokens: NonNeg = 0.0
    output_tokens: NonNeg = 0.0
    reasoning_tokens: NonNeg = 0.0
    samples: str | None = Field(
        default=None, description="path of a sample-prompt file, relative to the scenario"
    )
    samples_column: Literal["long", "short"] = "long"

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

    rate: Annotated[float, Field(ge=0, lt=1)] = 0.0
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
    utilization: Annotated[float, Field(gt=0, le=1)] = 0.5
    min_replicas: Count = 1


class Strategy(_Strict):
    """One way of serving the feature.

    ``kind: prompt`` calls ``model`` at its base prices; ``kind: fine-tuned``
    trains ``model`` (a fine-tunable catalog entry) and calls the result at its
    fine-tuned prices and serving mode.
    """

    name: str
    kind: Literal["prompt", "fine-tuned"]
    model: str
    tokens: Tokens
    cache: Cache = Cache()
    batch_share: Share = 0.0
    failure: Failure = Failure()
    training: Training | None = None
    gpu: Gpu = Gpu()
    monthly_fixed_usd: NonNeg = Field(
        default=0.0, description="other running costs per month, e.g. prompt maintenance"
    )

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

    requests_per_month: NonNeg = 100_000
    monthly_growth: Annotated[float, Field(ge=-0.5, le=2)] = 0.0


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
        return self


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
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ScenarioError(f"{name}:{where}: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{name}: expected a mapping with 'strategies'")
    return scenario_from_dict(data, name)


def scenario_from_dict(data: dict[str, Any], name: str = "scenario") -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "(scenario)"
            problems.append(f"{loc}: {err['msg'].removeprefix('Value error, ')}")
        raise ScenarioError(f"{name}: " + "; ".join(problems)) from None


def load_scenario(path: Path) -> Scenario:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read ({exc.strerror})") from None
    return parse_scenario(text, str(path))


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """Plain data (JSON/YAML-safe): dates as ISO strings."""
    return scenario.model_dump(mode="json")


def dump_scenario(scenario: Scenario) -> str:
    """YAML text that :func:`parse_scenario` turns back into an equal scenario."""
    return yaml.safe_dump(scenario_to_dict(scenario), sort_keys=False, allow_unicode=True)

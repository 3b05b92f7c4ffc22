"""Resolve a scenario strategy against the catalog into its cost components.

A strategy's cost over a horizon has three parts, each reported separately
so the dashboard can show a breakdown:

* a cost per *successful* request (per-token prices, retries and reviews),
* one-time costs (training × runs, data preparation, evaluation) and the
  cost of each retraining,
* running costs per month (hosting, storage, other) and, for models served
  on dedicated GPUs, a GPU bill that steps with the volume.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from costmodel.engine.months import months_between
from costmodel.engine.notes import Note, NoteCode
from costmodel.engine.request_cost import CacheSettings, RequestCost, request_cost
from costmodel.engine.training import CostBasis, TrainingEstimate, estimate_from_parameters
from costmodel.errors import ScenarioError
from costmodel.prices.availability import Use
from costmodel.prices.catalog import Catalog, CatalogModel
from costmodel.prices.schema import InferencePrices, Lifecycle
from costmodel.scenario import Strategy, Training
from costmodel.tokens.figures import RequestTokens

HOURS_PER_MONTH = 730.0  # 8,760 hours a year / 12, the convention cloud bills use


@dataclass(frozen=True)
class GpuPlan:
    """Dedicated GPUs sized for the volume: ``max(min_replicas, ⌈tokens / capacity⌉)``.

    >>> plan = GpuPlan(usd_per_gpu_month=7300, tokens_per_gpu_month=1e9,
    ...                tokens_per_request=1000, min_replicas=1)
    >>> plan.gpus(2_500_000), plan.monthly_usd(2_500_000)
    (3, 21900.0)
    """

    usd_per_gpu_month: float
    tokens_per_gpu_month: float
    tokens_per_request: float
    min_replicas: int

    def gpus(self, requests_per_month: float) -> int:
        needed = math.ceil(requests_per_month * self.tokens_per_request / self.tokens_per_gpu_month)
        return max(self.min_replicas, needed)

    def monthly_usd(self, requests_per_month: float) -> float:
        return float(self.gpus(requests_per_month) * self.usd_per_gpu_month)

    @property
    def usd_per_request(self) -> float:
        """The GPU bill's long-run slope: what each extra request costs in GPU time."""
        return self.usd_per_gpu_month * self.tokens_per_request / self.tokens_per_gpu_month


@dataclass(frozen=True)
class PriceStep:
    """From month ``month`` on (0 is the first month), requests cost these figures.

    A dated price change (an introductory price ending, an announced rise)
    becomes a step in the month that contains its date.
    """

    month: int
    request: RequestCost
    per_request_usd: float
    failure_usd: float


@dataclass(frozen=True)
class StrategyCosts:
    """Everything the break-even arithmetic needs about one strategy.

    ``lifecycle`` carries the model's dates, so a comparison can tell whether a
    new customer could buy the model at all (:func:`~costmodel.engine.lifecycle.horizon_for`).
    """

    name: str
    kind: str = "prompt"
    model_key: str = ""
    model_label: str = ""
    request: RequestCost = field(default_factory=lambda: RequestCost(0.0, 0.0, 0.0, 0.0))
    per_request_usd: float = 0.0
    failure_usd: float = 0.0
    one_time: Mapping[str, float] = field(default_factory=dict)
    retrain_usd: float = 0.0
    retrain_every_months: int | None = None
    monthly_fixed: Mapping[str, float] = field(default_factory=dict)
    gpu: GpuPlan | None = None
    training: TrainingEstimate | None = None
    plan: Training | None = None
    retires: dt.date | None = None
    training_ends: dt.date | None = None
    notes: tuple[Note, ...] = field(default=())
    price_steps: tuple[PriceStep, ...] = field(default=())
    released: dt.date | None = None
    lifecycle: Lifecycle | None = None

    @property
    def use(self) -> Use:
        """How the strategy uses its model, in the catalog's availability terms."""
        return "fine-tune" if self.kind == "fine-tuned" else "prompt"

    @property
    def one_time_usd(self) -> float:
        return sum(self.one_time.values())

    @property
    def monthly_fixed_usd(self) -> float:
        return sum(self.monthly_fixed.values())

    def per_request_by_month(self, months: int) -> list[float]:
        """Cost per successful request in each month of the horizon.

        ``per_request_usd`` until the first price step, then each step's figure.

        >>> step = PriceStep(1, RequestCost(0.0, 0.0, 0.0, 0.0), 0.02, 0.0)
        >>> StrategyCosts("x", per_request_usd=0.01, price_steps=(step,)).per_request_by_month(3)
        [0.01, 0.02, 0.02]
        """
        costs = [self.per_request_usd] * max(0, months)
        for step in self.price_steps:
            costs[step.month :] = [step.per_request_usd] * len(costs[step.month :])
        return costs

    def retrains_within(self, months: int) -> int:
        """Retrainings at months r, 2r, … strictly inside the horizon.

        >>> StrategyCosts("x", retrain_every_months=6).retrains_within(12)
        1
        >>> StrategyCosts("x", retrain_every_months=6).retrains_within(13)
        2
        """
        r = self.retrain_every_months
        return 0 if not r or months <= 0 else (months - 1) // r


def resolve_strategy(
    strategy: Strategy,
    catalog: Catalog,
    tokens: RequestTokens,
    start: dt.date | None = None,
) -> StrategyCosts:
    """Price ``strategy`` for requests of ``tokens`` with the catalog's figures.

    With the horizon's ``start``, the prices in force that day are used and
    each later dated change becomes a :class:`PriceStep`; without it, the
    listed prices apply throughout.
    """
    model = catalog.resolve(strategy.model)
    if strategy.kind == "prompt":
        return _prompt_costs(strategy, model, tokens, start)
    return _fine_tuned_costs(strategy, model, tokens, start)


def _prompt_costs(
    strategy: Strategy, model: CatalogModel, tokens: RequestTokens, start: dt.date | None
) -> StrategyCosts:
    if model.inference is None:
        raise ScenarioError(
            f"strategy {strategy.name!r}: {model.key} has no base-model prices; "
            "use it as a fine-tuned strategy"
        )
    request, per_request, failure = _request_side(strategy, model.inference, tokens, start)
    return StrategyCosts(
        name=strategy.name,
        kind=strategy.kind,
        model_key=model.key,
        model_label=model.label,
        request=request,
        per_request_usd=per_request,
        failure_usd=failure,
        price_steps=_price_steps(strategy, model.inference, tokens, start),
        monthly_fixed=_other_fixed(strategy),
        retires=model.entry.lifecycle.retires,
        notes=request.notes,
        released=model.lifecycle.released,
        lifecycle=model.lifecycle,
    )


def training_run_usd(name: str, key: str, estimate: TrainingEstimate) -> float:
    """The cost of one training run; without one, say which input would give it."""
    if estimate.cost_basis is CostBasis.PRICE_NOT_PUBLIC:
        raise ScenarioError(
            f"strategy {name!r}: the provider publishes no training price for {key}: give yours "
            "as fine_tuning.training.usd_per_mtok (or usd_per_hour) in a price override"
        )
    if estimate.cost_basis is CostBasis.HOURS_MISSING:
        raise ScenarioError(
            f"strategy {name!r}: {key} is priced per wall-clock training hour: "
            "give the hours per run as training.hours_per_run"
        )
    if estimate.cost_usd is None:
        raise ScenarioError(f"strategy {name!r}: no training examples, so nothing to train")
    return estimate.cost_usd


def _refuse_unpublished_calls(name: str, model: CatalogModel) -> None:
    """A fine-tune whose call price the vendor does not publish is never priced as free.

    Serverless without per-token prices, or hosted or dedicated without the
    hourly price, needs the user's own figure in a price override.
    """
    ft = model.entry.fine_tuning
    assert ft is not None  # only called for fine-tunable models
    serving = ft.serving
    if not serving.call_price_not_public:
        return
    no_calls = model.ft_inference is None and serving.mode != "dedicated"
    if no_calls or serving.missing_price:
        raise ScenarioError(
            f"strategy {name!r}: {model.label} publishes no price for calling the fine-tuned "
            "model; give yours in a price override (fine_tuning.inference for per-token "
            "prices, fine_tuning.serving.hosting_usd_per_hour or gpu_usd_per_hour for an "
            "hourly fee)"
        )


def _fine_tuned_costs(
    strategy: Strategy, model: CatalogModel, tokens: RequestTokens, start: dt.date | None
) -> StrategyCosts:
    ft = model.entry.fine_tuning
    if ft is None:
        raise ScenarioError(f"strategy {strategy.name!r}: {model.key} cannot be fine-tuned")
    plan = strategy.planned_training()
    estimate = estimate_from_parameters(
        examples=plan.examples,
        tokens_per_example=plan.tokens_per_example,
        epochs=plan.epochs,
        prices=ft.training,
        training_hours=plan.hours_per_run,
    )
    factors = strategy.price_multipliers
    training_usd = training_run_usd(strategy.name, model.key, estimate) * factors.training
    _refuse_unpublished_calls(strategy.name, model)
    notes: list[Note] = []
    if model.ft_inference is None:
        request = RequestCost(0.0, 0.0, 0.0, 0.0)
        per_request, failure = _per_success(0.0, strategy)
        notes.append(Note(NoteCode.GPU_BILLED_BY_HOUR))
    else:
        request, per_request, failure = _request_side(strategy, model.ft_inference, tokens, start)
        notes.extend(request.notes)
    serving = ft.serving
    monthly = {
        "hosting": (serving.hosting_usd_per_hour or 0.0) * factors.hosting * HOURS_PER_MONTH
        if serving.mode == "hosted"
        else 0.0,
        "storage": serving.storage_usd_per_month,
        **_other_fixed(strategy),
    }
    return StrategyCosts(
        name=strategy.name,
        kind=strategy.kind,
        model_key=model.key,
        model_label=model.label,
        request=request,
        per_request_usd=per_request,
        failure_usd=failure,
        one_time={
            "training": training_usd * plan.runs,
            "data_preparation": plan.examples * plan.data_prep_usd_per_example,
            "evaluation": plan.eval_usd_per_run * plan.runs,
        },
        retrain_usd=training_usd + plan.eval_usd_per_run,
        retrain_every_months=plan.retrain_every_months,
        monthly_fixed={k: v for k, v in monthly.items() if v},
        gpu=_gpu_plan(strategy, (serving.gpu_usd_per_hour or 0.0) * factors.gpu, tokens)
        if serving.mode == "dedicated"
        else None,
        training=estimate,
        plan=plan,
        price_steps=_price_steps(strategy, model.ft_inference, tokens, start),
        retires=model.lifecycle.ft_retires or model.lifecycle.retires,
        training_ends=model.lifecycle.training_ends,
        notes=tuple(notes),
        released=model.lifecycle.released,
        lifecycle=model.lifecycle,
    )


def _request_side(
    strategy: Strategy, prices: InferencePrices, tokens: RequestTokens, day: dt.date | None
) -> tuple[RequestCost, float, float]:
    c = strategy.cache
    cache = CacheSettings(c.enabled, c.effective_hit_rate, c.ttl)
    sheet = prices if day is None else prices.on(day)
    try:
        request = request_cost(
            sheet,
            tokens,
            cache,
            strategy.batch_share,
            service_tier=strategy.service_tier,
            data_residency=strategy.data_residency,
            price_factor=strategy.price_multipliers.inference,
        )
    except ScenarioError as exc:
        raise ScenarioError(f"strategy {strategy.name!r}: {exc}") from None
    per_success, failure = _per_success(request.total_usd, strategy)
    return request, per_success, failure


def _price_steps(
    strategy: Strategy,
    prices: InferencePrices | None,
    tokens: RequestTokens,
    start: dt.date | None,
) -> tuple[PriceStep, ...]:
    """One step per dated price change after ``start``, in the month containing its date.

    A change on 2027-01-01 in a horizon starting 2026-12-01 applies from
    month 1 (the second month); one starting 2026-12-15 already contains it
    in month 0, which then pays the new price whole (a rise is never late).
    """
    if prices is None or start is None:
        return ()
    steps = []
    for change in prices.price_changes:
        if change.starts <= start:
            continue
        request, per_request, failure = _request_side(strategy, prices, tokens, change.starts)
        steps.append(PriceStep(months_between(start, change.starts), request, per_request, failure))
    return tuple(steps)


def _per_success(attempt_usd: float, strategy: Strategy) -> tuple[float, float]:
    """Cost per successful answer, and the part of it that failures add."""
    f = strategy.failure
    total = per_success(attempt_usd, f.rate, f.review_usd, f.handling)
    return total, total - attempt_usd


def per_success(attempt_usd: Any, rate: Any, review_usd: Any, handling: str) -> Any:
    """Cost per successful answer for an attempt cost (numbers or arrays).

    retry:  (c + f·review) / (1 − f)   — 1/(1 − f) attempts, f/(1 − f) failures
    review: c + f·review               — a person fixes each failed answer

    >>> per_success(0.01, 0.5, 0.02, "retry"), per_success(0.01, 0.5, 0.02, "review")
    (0.04, 0.02)
    """
    if handling == "retry":
        return (attempt_usd + rate * review_usd) / (1 - rate)
    return attempt_usd + rate * review_usd


def attempts_per_success(rate: Any, handling: str) -> Any:
    """Requests sent per successful answer: 1/(1 − f) when failures are retried, else 1."""
    return 1 / (1 - rate) if handling == "retry" else 1.0


def gpu_tokens_per_month(tokens_per_second: Any, utilization: Any) -> Any:
    """Tokens one GPU serves in a month: tokens/s × 3,600 × 730 h × utilisation.

    >>> gpu_tokens_per_month(2_000, 0.5)
    2628000000.0
    """
    return tokens_per_second * 3600 * HOURS_PER_MONTH * utilization


def _other_fixed(strategy: Strategy) -> dict[str, float]:
    return {"other": strategy.monthly_fixed_usd} if strategy.monthly_fixed_usd else {}


def _gpu_plan(strategy: Strategy, usd_per_hour: float, tokens: RequestTokens) -> GpuPlan:
    gpu = strategy.gpu
    attempts = attempts_per_success(strategy.failure.rate, strategy.failure.handling)
    return GpuPlan(
        usd_per_gpu_month=usd_per_hour * HOURS_PER_MONTH,
        tokens_per_gpu_month=gpu_tokens_per_month(gpu.tokens_per_second, gpu.utilization),
        tokens_per_request=tokens.processed * attempts,
        min_replicas=gpu.min_replicas,
    )

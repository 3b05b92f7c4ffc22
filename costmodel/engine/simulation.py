"""How sure is the answer: the main comparison over thousands of drawn futures.

Every input written as a range (:mod:`costmodel.uncertain`) is drawn *N*
times from a seeded generator, and token figures counted from a sample file
are resampled request by request (a bootstrap: each draw picks as many
records as the file holds, with replacement, and prices their mean), so a
long tail in the prompts widens the result. Each draw's two strategies are
laid out as :class:`~costmodel.engine.comparison.Sides` arrays and decided by
the same :func:`~costmodel.engine.comparison.outcomes` and
:func:`~costmodel.engine.comparison.at_volume` as the point estimate — one
call for all draws, no status rule of its own.

Per-request prices are vectorised the way :func:`request_cost` prices one
request: draws are grouped by regime (long-context tier, prefix long enough
to cache), each group's sheets are resolved once with
:func:`~costmodel.engine.request_cost.price_sheets` and its requests priced
as arrays by :func:`~costmodel.engine.request_cost.cost_on_sheets`. With
every range collapsed to a point the draws reproduce the point estimate to
the last bit (a test holds this).

A possible price change (:class:`~costmodel.uncertain.PossiblePriceChange`)
is drawn per draw — whether it happens (probability *p*), from which month
and by what factor — and applied from that month on with the machinery of
the catalog's dated prices: the per-request cost steps month by month in
``per_request_monthly``, hosting or training prices add to
``fixed_change`` / ``retrain_change``, and a GPU price change sets
``gpu_factor``. A per-token change multiplies its invoice lines (input with
cache writes, cached input, output), which the request costs linearly:
``cost = u·f_in + c·f_cached + w·f_in + o·f_out``.

Results are codes and numbers only: status counts ("never" and "always"
are counted, not dropped), break-even percentiles (never = +∞), savings
percentiles, the payback month's distribution and a fan of cumulative cost.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from costmodel.engine.comparison import (
    MAX_MONTHS,
    Reason,
    Sides,
    Status,
    at_volume,
    monthly_bills,
    outcomes,
)
from costmodel.engine.evaluate import ScenarioResult, evaluate
from costmodel.engine.lifecycle import horizon_for
from costmodel.engine.notes import NoteCode
from costmodel.engine.request_cost import (
    CacheSettings,
    cost_on_sheets,
    long_context_tier,
    prefix_cacheable,
    price_sheets,
)
from costmodel.engine.strategy_costs import (
    HOURS_PER_MONTH,
    attempts_per_success,
    gpu_tokens_per_month,
    per_success,
    training_run_usd,
)
from costmodel.engine.training import estimate_from_parameters
from costmodel.errors import ScenarioError
from costmodel.prices.catalog import Catalog
from costmodel.prices.schema import InferencePrices
from costmodel.scenario import Scenario, Strategy
from costmodel.tokens.stats import LONG, OUTPUT, SHORT, TokenStats
from costmodel.uncertain import (
    RANGEABLE,
    PossiblePriceChange,
    Spread,
    as_field_value,
    template_of,
)

DEFAULT_DRAWS = 4_000
MAX_DRAWS = 200_000
# Percentiles the headline quotes (an 80 % band around the median) and the fan's bands.
BAND = (10.0, 50.0, 90.0)
FAN = (10.0, 25.0, 50.0, 75.0, 90.0)
# Records × draws resampled at once, to bound memory.
_BOOTSTRAP_CELLS = 8_000_000
# Above this many record × draw picks the bootstrap mean is drawn from its normal
# limit (the sample's own mean and standard error), which it matches closely.
MAX_BOOTSTRAP_PICKS = 400_000_000


# ----------------------------------------------------------------------- draws


@dataclass(frozen=True)
class ChangeDraws:
    """One possible price change in every draw.

    ``happens`` is the draw's coin (true with the change's probability),
    ``month`` the first month paying the new price (0-based, as a catalog
    price step's month) and ``factor`` what the price is multiplied by.
    """

    change: PossiblePriceChange
    happens: np.ndarray
    month: np.ndarray
    factor: np.ndarray


@dataclass(frozen=True)
class InputDraws:
    """``n`` draws of every uncertain input, by concrete path, and how many were clipped."""

    n: int
    values: Mapping[str, np.ndarray]
    clipped: Mapping[str, int]
    changes: tuple[ChangeDraws, ...] = ()


def draw_spread(spread: Spread, rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` draws of one range (a collapsed range gives its point exactly).

    PERT: ``low + (high − low)·Beta(α, β)`` with ``α = 1 + 4(likely − low)/(high − low)``,
    ``β = 1 + 4(high − likely)/(high − low)``; lognormal: ``median·e^(σ·Z)``.

    >>> draw_spread(Spread(low=3, likely=3, high=3), np.random.default_rng(0), 2).tolist()
    [3.0, 3.0]
    """
    if spread.collapsed:
        point = spread.ends[0] if spread.ends is not None else spread.point
        return np.full(n, float(point))
    kind = spread.kind
    low, likely, high = spread.low, spread.likely, spread.high
    if kind == "triangular":
        return rng.triangular(low, likely, high, n)  # type: ignore[arg-type]
    if kind == "pert":
        width = high - low  # type: ignore[operator]
        alpha = 1 + 4 * (likely - low) / width  # type: ignore[operator]
        beta = 1 + 4 * (high - likely) / width  # type: ignore[operator]
        return low + width * rng.beta(alpha, beta, n)  # type: ignore[operator]
    if kind == "uniform":
        return rng.uniform(low, high, n)  # type: ignore[arg-type]
    if kind == "normal":
        return rng.normal(spread.mean, spread.sd, n)  # type: ignore[arg-type]
    return spread.median * np.exp(spread.sigma * rng.standard_normal(n))  # type: ignore[operator]


def draw_inputs(scenario: Scenario, n: int, rng: np.random.Generator) -> InputDraws:
    """Draw every range of ``scenario`` (in path order, so a seed gives the same draws)."""
    values: dict[str, np.ndarray] = {}
    clipped: dict[str, int] = {}
    for path in sorted(scenario.uncertain):
        domain = RANGEABLE[template_of(path)]
        raw = draw_spread(scenario.uncertain[path], rng, n)
        if domain.whole:
            raw = np.floor(raw + 0.5)
        inside = np.clip(raw, domain.low, domain.high)
        clipped[path] = int(np.count_nonzero(inside != raw))
        values[path] = inside
    return InputDraws(n, values, clipped)


def draw_months(spread: Spread, rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` whole months from a range: each month from low to high equally likely
    for a uniform range, else the drawn value rounded half up.

    >>> draw_months(Spread(low=4, high=4), np.random.default_rng(0), 2).tolist()
    [4, 4]
    >>> sorted(set(draw_months(Spread(low=2, high=3), np.random.default_rng(0), 50).tolist()))
    [2, 3]
    """
    if spread.kind == "uniform" and not spread.collapsed:
        return rng.integers(int(spread.low), int(spread.high) + 1, n)  # type: ignore[arg-type]
    months = np.floor(draw_spread(spread, rng, n) + 0.5).astype(int)
    low, high = spread.ends or (1, MAX_MONTHS)
    return np.clip(months, int(low), int(high))


def draw_changes(scenario: Scenario, n: int, rng: np.random.Generator) -> tuple[ChangeDraws, ...]:
    """Each possible price change in ``n`` draws: its coin, month and factor, in file order.

    ``happens`` compares a uniform draw in [0, 1) with the probability, so
    0 never happens and 1 always does.
    """
    drawn = []
    for change in scenario.possible_price_changes:
        happens = rng.random(n) < change.probability
        month = draw_months(change.month_spread, rng, n) - 1
        factor = draw_spread(change.factor_spread, rng, n)
        drawn.append(ChangeDraws(change, happens, month, factor))
    return tuple(drawn)


def factor_by_month(
    changes: tuple[ChangeDraws, ...], strategy: str, price: str, n: int, span: int = MAX_MONTHS
) -> np.ndarray | None:
    """Each draw's factor on one price, month by month: shape (n, span), None if no change.

    The product of every change of that price that has happened by the
    month; ``span`` is the longest horizon a draw can have.

    >>> c = PossiblePriceChange(strategy="a", price="hosting", factor=0.5, month=2, probability=1)
    >>> d = ChangeDraws(c, np.array([True, False]), np.array([1, 1]), np.array([0.5, 0.5]))
    >>> factor_by_month((d,), "a", "hosting", 2, span=3).tolist()
    [[1.0, 0.5, 0.5], [1.0, 1.0, 1.0]]
    """
    chosen = [c for c in changes if c.change.strategy == strategy and c.change.price == price]
    if not chosen:
        return None
    m = np.arange(span)
    total = np.ones((n, span))
    for c in chosen:
        on = c.happens[:, None] & (m[None, :] >= c.month[:, None])
        total = np.where(on, total * c.factor[:, None], total)
    return total


def bootstrap_means(
    counts: np.ndarray, n: int, rng: np.random.Generator, paired: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray | None, bool]:
    """Mean of ``len(counts)`` records picked with replacement, ``n`` times.

    ``paired`` (the same records' output counts) is averaged over the same
    picks. Returns the means, the paired means and whether the normal limit
    was used (more than :data:`MAX_BOOTSTRAP_PICKS` picks in all).
    """
    records = len(counts)
    counts = np.asarray(counts, dtype=float)
    if records * n > MAX_BOOTSTRAP_PICKS:
        z = rng.standard_normal(n)
        means = counts.mean() + z * counts.std() / np.sqrt(records)
        other = None
        if paired is not None:
            pair = np.asarray(paired, dtype=float)
            other = pair.mean() + z * pair.std() / np.sqrt(records)
        return means, other, True
    means = np.empty(n)
    other_means = np.empty(n) if paired is not None else None
    step = max(1, _BOOTSTRAP_CELLS // max(records, 1))
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        picks = rng.integers(0, records, size=(hi - lo, records))
        means[lo:hi] = counts[picks].mean(axis=1)
        if other_means is not None and paired is not None:
            other_means[lo:hi] = np.asarray(paired, dtype=float)[picks].mean(axis=1)
    return means, other_means, False


@dataclass(frozen=True)
class NoteRows:
    """Which rows (draws) each engine note applied to, one mask per note code."""

    n: int
    masks: dict[NoteCode, np.ndarray] = field(default_factory=dict)

    def add(self, code: NoteCode, rows: np.ndarray) -> None:
        """Mark ``rows`` as priced under note ``code``."""
        self.masks.setdefault(code, np.zeros(self.n, dtype=bool))[rows] = True

    def counts(self) -> dict[NoteCode, int]:
        """How many rows each note applied to."""
        return {code: int(mask.sum()) for code, mask in self.masks.items()}

    def codes(self, row: int) -> frozenset[NoteCode]:
        """The notes that applied to one row."""
        return frozenset(code for code, mask in self.masks.items() if mask[row])


@dataclass(frozen=True)
class Resample:
    """A counted sample file whose records a strategy's requests are drawn from.

    ``column`` is ``long`` (the long prompts, with the file's shared prefix as
    the cacheable part) or ``short``.
    """

    stats: TokenStats
    column: str = "long"


@dataclass(frozen=True)
class TokenDraws:
    """Per-draw token figures of one strategy."""

    prompt: np.ndarray
    prefix: np.ndarray
    output: np.ndarray
    reasoning: np.ndarray
    resampled: int = 0  # records resampled per draw (0: figures, not a sample file)
    normal_limit: bool = False


def _token_draws(
    scenario: Scenario,
    index: int,
    result: ScenarioResult,
    inputs: InputDraws,
    rng: np.random.Generator,
    sample: Resample | None,
) -> TokenDraws:
    """Token figures per draw: resampled from the sample file, else drawn or fixed."""
    s = scenario.strategies[index]
    point = result.tokens[s.name]
    n = inputs.n

    def value(field: str, fixed: float) -> np.ndarray:
        return _input(inputs, f"strategies.{index}.tokens.{field}", fixed)

    reasoning = value("reasoning_tokens", point.reasoning)
    if sample is None:
        prompt = value("prompt_tokens", point.prompt)
        prefix = value("cacheable_prefix_tokens", point.cacheable_prefix)
        clipped = int(np.count_nonzero(prefix > prompt))
        if clipped:
            key = f"strategies.{index}.tokens.cacheable_prefix_tokens"
            inputs.clipped[key] = inputs.clipped.get(key, 0) + clipped  # type: ignore[index]
        return TokenDraws(
            prompt, np.minimum(prefix, prompt), value("output_tokens", point.output), reasoning
        )
    stats, long = sample.stats, sample.column == "long"
    column = stats.columns[LONG if long else SHORT]
    out_col = stats.columns.get(OUTPUT)
    paired = out_col.counts if out_col is not None and out_col.records == column.records else None
    prompt, output, normal = bootstrap_means(column.counts, n, rng, paired)
    if output is None:
        output = np.full(n, float(point.output))
    prefix = np.minimum(float(stats.shared_prefix_tokens), prompt) if long else np.zeros(n)
    return TokenDraws(prompt, prefix, output, reasoning, column.records, normal)


def _distinct_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows and each row's index among them (one row when all are equal).

    >>> u, i = _distinct_rows(np.array([[1, 2], [1, 2], [3, 4]]))
    >>> u.tolist(), i.tolist()
    ([[1, 2], [3, 4]], [0, 0, 1])
    """
    if not len(rows) or (rows == rows[0]).all():
        return rows[:1], np.zeros(len(rows), dtype=int)
    unique, inverse = np.unique(rows, axis=0, return_inverse=True)
    return unique, np.ravel(inverse)


def _input(inputs: InputDraws, path: str, fixed: float) -> np.ndarray:
    """The draws of the input at ``path``, or its fixed value repeated."""
    drawn = inputs.values.get(path)
    return drawn if drawn is not None else np.full(inputs.n, float(fixed))


# ------------------------------------------------------------------ the sides


def _attempt_lines(
    prices: InferencePrices,
    strategy: Strategy,
    tokens: TokenDraws,
    hit: np.ndarray,
    batch: np.ndarray,
    factor: np.ndarray,
    notes: NoteRows,
) -> np.ndarray:
    """One attempt's invoice lines per draw, regime by regime (see the module docstring).

    Shape (4, draws): uncached input, cached input, cache writes, output —
    summed in that order they are :attr:`RequestCost.total_usd`.
    """
    key = long_context_tier(prices, tokens.prompt) * 2 + prefix_cacheable(prices, tokens.prefix)
    cost = np.empty((4, len(key)))
    any_batch = bool(np.any(batch > 0))
    output = tokens.output + tokens.reasoning
    for regime in np.unique(key):
        rows = np.flatnonzero(key == regime)
        rep = rows[np.argmax(tokens.prompt[rows])]
        c = strategy.cache
        try:
            sheets = price_sheets(
                prices,
                float(tokens.prompt[rep]),
                float(tokens.prefix[rep]),
                CacheSettings(c.enabled, float(hit[rep]), c.ttl),
                batch=any_batch,
                service_tier=strategy.service_tier,
                data_residency=strategy.data_residency,
                price_factor=factor[rows],
            )
        except ScenarioError as exc:
            raise ScenarioError(f"strategy {strategy.name!r}: {exc}") from None
        for note in sheets.notes:
            notes.add(note.code, rows)
        lines = cost_on_sheets(
            sheets,
            prices,
            tokens.prompt[rows],
            tokens.prefix[rows],
            output[rows],
            hit[rows],
            batch[rows] if any_batch else None,
        )
        parts = (
            lines.uncached_input_usd,
            lines.cached_input_usd,
            lines.cache_write_usd,
            lines.output_usd,
        )
        for line, part in enumerate(parts):
            cost[line, rows] = part
    return cost


def _training_usd(
    strategy: Strategy, index: int, inputs: InputDraws, catalog: Catalog
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cost of one training run per draw, and the examples and runs drawn.

    The training estimate is computed once per distinct plan (examples,
    tokens per example, epochs, hours), since plans are whole numbers.
    """
    plan = strategy.planned_training()
    prefix = f"strategies.{index}.training."
    examples = _input(inputs, prefix + "examples", plan.examples)
    per_example = _input(inputs, prefix + "tokens_per_example", plan.tokens_per_example)
    auto = plan.epochs == "auto" and prefix + "epochs" not in inputs.values
    epochs = _input(inputs, prefix + "epochs", 0 if auto else plan.epochs)  # type: ignore[arg-type]
    # -1 stands for "no hours given" (NaN would make every plan distinct to np.unique)
    hours = _input(
        inputs,
        prefix + "hours_per_run",
        -1.0 if plan.hours_per_run is None else plan.hours_per_run,
    )
    model = catalog.resolve(strategy.model)
    ft, ft_key = model.entry.fine_tuning, model.key
    assert ft is not None  # the point estimate has already priced this strategy
    plans = np.stack([examples, per_example, epochs, hours], axis=1)
    unique, inverse = _distinct_rows(plans)
    costs = np.empty(len(unique))
    for row, (ex, tpe, ep, hrs) in enumerate(unique):
        estimate = estimate_from_parameters(
            examples=int(ex),
            tokens_per_example=int(tpe),
            epochs="auto" if auto else int(ep),
            prices=ft.training,
            training_hours=None if hrs < 0 else float(hrs),
        )
        costs[row] = training_run_usd(strategy.name, ft_key, estimate)
    training = costs[inverse] * _input(
        inputs,
        f"strategies.{index}.price_multipliers.training",
        strategy.price_multipliers.training,
    )
    runs = _input(inputs, prefix + "runs", plan.runs)
    return training, examples, runs


def draw_sides(
    scenario: Scenario,
    index: int,
    result: ScenarioResult,
    inputs: InputDraws,
    tokens: TokenDraws,
    notes: NoteRows,
) -> Sides:
    """Strategy ``index`` laid out as :class:`Sides` with one element per draw.

    Mirrors :func:`~costmodel.engine.strategy_costs.resolve_strategy` term by
    term, on arrays; the collapsed-range test holds the two together.
    """
    s = scenario.strategies[index]
    point = result.strategies[index]
    catalog, start, n = result.catalog, result.start, inputs.n
    model = catalog.resolve(s.model)
    here = f"strategies.{index}."

    def value(field: str, fixed: float) -> np.ndarray:
        return _input(inputs, here + field, fixed)

    hit = value("cache.hit_rate", s.cache.hit_rate)
    if s.cache.requests_per_lifetime is not None:
        hit = np.full(n, s.cache.effective_hit_rate)
    batch = value("batch_share", s.batch_share)
    factor = value("price_multipliers.inference", s.price_multipliers.inference)
    rate = value("failure.rate", s.failure.rate)
    review = value("failure.review_usd", s.failure.review_usd)
    prices = model.inference if s.kind == "prompt" else model.ft_inference

    later = [c.starts for c in prices.price_changes if c.starts > start] if prices else []
    periods = [
        (0, start),
        *((step.month, day) for step, day in zip(point.price_steps, later, strict=True)),
    ]
    span = longest_horizon(scenario)
    line_factors = _line_factors(inputs.changes, s, prices, n, span)
    monthly = np.empty((n, MAX_MONTHS))
    for month, day in periods:
        lines = (
            np.zeros((4, n))
            if prices is None
            else _attempt_lines(prices.on(day), s, tokens, hit, batch, factor, notes)
        )
        if line_factors is None:
            attempt = lines[0] + lines[1] + lines[2] + lines[3]
            cost = per_success(attempt, rate, review, s.failure.handling)
            monthly[:, month:] = np.asarray(cost, dtype=float)[:, None]
            continue
        u, c, w, o = (line[:, None] for line in lines)
        f_in, f_cached, f_out = (f[:, month:] for f in line_factors)
        attempt = u * f_in + c * f_cached + w * f_in + o * f_out
        monthly[:, month:span] = per_success(
            attempt, rate[:, None], review[:, None], s.failure.handling
        )
    if line_factors is not None:
        monthly[:, span:] = monthly[:, span - 1 : span]  # past every horizon: never billed
    first = monthly[:, 0].copy()

    fixed_other = value("monthly_fixed_usd", s.monthly_fixed_usd)
    fixed_change: np.ndarray | None = None
    retrain_change: np.ndarray | None = None
    gpu_factor: np.ndarray | None = None
    zeros = np.zeros(n)
    one_time, retrain, every = zeros, zeros, np.zeros(n, dtype=int)
    monthly_fixed = 0.0 + fixed_other
    gpu_on = np.zeros(n, dtype=bool)
    gpu_month, gpu_tokens, gpu_capacity, gpu_min = zeros, zeros, np.ones(n), zeros
    if s.kind == "fine-tuned":
        ft = model.entry.fine_tuning
        assert ft is not None
        plan = s.planned_training()
        training, examples, runs = _training_usd(s, index, inputs, catalog)
        prep = value("training.data_prep_usd_per_example", plan.data_prep_usd_per_example)
        evaluation = value("training.eval_usd_per_run", plan.eval_usd_per_run)
        one_time = 0.0 + training * runs + examples * prep + evaluation * runs
        retrain = training + evaluation
        interval = plan.retrain_every_months or 0
        every = value("training.retrain_every_months", interval).astype(int)
        train_factor = factor_by_month(inputs.changes, s.name, "training", n, span)
        if train_factor is not None:
            one_time = one_time + training * runs * (train_factor[:, 0] - 1)
            m = np.arange(span)[None, :]
            due = (every[:, None] > 0) & (m > 0) & (m % np.maximum(every, 1)[:, None] == 0)
            retrain_change = np.where(due, training[:, None] * (train_factor - 1), 0.0)
        serving = ft.serving
        hosting = zeros
        if serving.mode == "hosted":
            host_factor = value("price_multipliers.hosting", s.price_multipliers.hosting)
            hosting = (serving.hosting_usd_per_hour or 0.0) * host_factor * HOURS_PER_MONTH
        host_change = factor_by_month(inputs.changes, s.name, "hosting", n, span)
        if host_change is not None:
            if serving.mode != "hosted":
                raise ScenarioError(
                    f"possible_price_changes.{_change_index(inputs.changes, s.name, 'hosting')}"
                    f".price: {s.name!r} has no hosting fee, so a change of it would change "
                    "nothing"
                )
            fixed_change = np.broadcast_to(hosting, (n,))[:, None] * (host_change - 1)
        monthly_fixed = 0.0 + hosting + serving.storage_usd_per_month + fixed_other
        gpu_factor = factor_by_month(inputs.changes, s.name, "gpu", n, span)
        if gpu_factor is not None and serving.mode != "dedicated":
            raise ScenarioError(
                f"possible_price_changes.{_change_index(inputs.changes, s.name, 'gpu')}"
                f".price: {s.name!r} is not served on dedicated GPUs, so a change of the GPU "
                "price would change nothing"
            )
        if serving.mode == "dedicated":
            gpu_multiplier = value("price_multipliers.gpu", s.price_multipliers.gpu)
            attempts = attempts_per_success(rate, s.failure.handling)
            processed = tokens.prompt + tokens.output + tokens.reasoning
            gpu_on = np.ones(n, dtype=bool)
            gpu_month = (serving.gpu_usd_per_hour or 0.0) * gpu_multiplier * HOURS_PER_MONTH
            gpu_tokens = processed * attempts
            gpu_capacity = gpu_tokens_per_month(
                value("gpu.tokens_per_second", s.gpu.tokens_per_second),
                value("gpu.utilization", s.gpu.utilization),
            )
            gpu_min = np.full(n, float(s.gpu.min_replicas))
    return Sides(
        one_time=np.broadcast_to(one_time, (n,)).astype(float),
        retrain=np.broadcast_to(retrain, (n,)).astype(float),
        retrain_every=np.broadcast_to(every, (n,)).astype(int),
        monthly_fixed=np.broadcast_to(monthly_fixed, (n,)).astype(float),
        per_request=first,
        per_request_monthly=monthly,
        gpu=gpu_on,
        gpu_usd_per_month=np.broadcast_to(gpu_month, (n,)).astype(float),
        gpu_tokens_per_request=np.broadcast_to(gpu_tokens, (n,)).astype(float),
        gpu_tokens_per_month=np.broadcast_to(gpu_capacity, (n,)).astype(float),
        gpu_min=gpu_min,
        fixed_change=fixed_change,
        retrain_change=retrain_change,
        gpu_factor=gpu_factor,
    )


def _change_index(changes: tuple[ChangeDraws, ...], strategy: str, price: str) -> int:
    """Where in the file the first possible change of ``strategy``'s ``price`` is written."""
    return next(
        i for i, c in enumerate(changes) if (c.change.strategy, c.change.price) == (strategy, price)
    )


def longest_horizon(scenario: Scenario) -> int:
    """The most months any draw's horizon can have: a ranged horizon's high end, else the
    horizon itself (lifecycle cuts only shorten it); 120 for a range without ends.
    """
    spread = scenario.uncertain.get("horizon_months")
    if spread is None:
        return scenario.horizon_months
    if spread.ends is None:
        return MAX_MONTHS
    return min(MAX_MONTHS, int(as_field_value(spread.ends[1], "horizon_months")))


def _line_factors(
    changes: tuple[ChangeDraws, ...],
    strategy: Strategy,
    prices: InferencePrices | None,
    n: int,
    span: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Month-by-month factors on input (with cache writes), cached input and output.

    None when no per-token price of ``strategy`` may change (the costs are
    then summed exactly as :attr:`RequestCost.total_usd` sums them).
    """
    found = {
        price: factor_by_month(changes, strategy.name, price, n, span)
        for price in ("input", "cached_input", "output")
    }
    if all(f is None for f in found.values()):
        return None
    if prices is None:
        price = next(p for p, f in found.items() if f is not None)
        raise ScenarioError(
            f"possible_price_changes.{_change_index(changes, strategy.name, price)}.price: "
            f"{strategy.name!r} has no per-token prices (it is billed by the GPU hour), so a "
            f"change of its {price} price would change nothing"
        )
    if found["cached_input"] is not None and prices.cached_input_usd_per_mtok is None:
        raise ScenarioError(
            f"possible_price_changes.{_change_index(changes, strategy.name, 'cached_input')}"
            f".price: {strategy.name!r} has no cached input price, so a change of it would "
            "change nothing"
        )
    ones = np.ones((n, span))
    f_in, f_cached, f_out = (found[p] for p in ("input", "cached_input", "output"))
    return (
        ones if f_in is None else f_in,
        ones if f_cached is None else f_cached,
        ones if f_out is None else f_out,
    )


def _horizon_months(
    result: ScenarioResult, pair: tuple[int, int], inputs: InputDraws, a: Sides, b: Sides
) -> np.ndarray:
    """Each draw's horizon, cut by the two models' lifecycles as the point estimate cuts it.

    The cut depends on the requested months and both retraining intervals,
    so :func:`horizon_for` runs once per distinct combination.
    """
    requested = _input(inputs, "horizon_months", result.scenario.horizon_months).astype(int)
    combos = np.stack([requested, a.retrain_every, b.retrain_every], axis=1)
    unique, inverse = _distinct_rows(combos)
    base_a, base_b = (result.strategies[i] for i in pair)
    months = np.empty(len(unique), dtype=int)
    for row, (want, every_a, every_b) in enumerate(unique):
        costs = [
            dataclasses.replace(base_a, retrain_every_months=int(every_a) or None),
            dataclasses.replace(base_b, retrain_every_months=int(every_b) or None),
        ]
        months[row] = horizon_for(costs, int(want), result.start).months
    return months[inverse]


# -------------------------------------------------------------------- results


@dataclass(frozen=True)
class Decided:
    """The main comparison decided for each row (one draw or one variant): codes and numbers.

    ``status`` / ``reason`` codes, ``breakeven`` (first-month requests; 0 for
    always, NaN where there is none), both totals at the row's ``volume``
    over its horizon of ``months``, and ``payback_month`` (0 = none within
    the horizon).
    """

    status: np.ndarray
    reason: np.ndarray
    breakeven: np.ndarray
    baseline_total: np.ndarray
    challenger_total: np.ndarray
    payback_month: np.ndarray
    volume: np.ndarray
    months: np.ndarray

    @property
    def savings(self) -> np.ndarray:
        """Baseline total minus challenger total at each row's volume (negative: a loss)."""
        return self.baseline_total - self.challenger_total


@dataclass(frozen=True)
class Run:
    """Which simulation this is: ``draws`` futures from ``seed``, challenger against baseline."""

    draws: int
    seed: int
    baseline: str
    challenger: str


@dataclass(frozen=True)
class Simulation(Decided, Run):
    """The main comparison over ``draws`` drawn futures (codes and numbers only).

    The :class:`Run` fields come first, then the :class:`Decided` arrays of
    every draw. ``cumulative_a`` / ``cumulative_b`` hold each draw's running
    totals month by month, for the fan chart; ``notes`` counts the draws each
    engine note applied to, by strategy name; ``resampled`` and
    ``normal_limit`` are as in :class:`Rows`; ``drawn`` names the inputs
    written as ranges; ``price_changes`` pairs each possible price change
    with the number of draws in which it happened within the draw's horizon;
    ``repriced_draws`` counts the draws in which at least one did.
    """

    cumulative_a: np.ndarray
    cumulative_b: np.ndarray
    clipped: Mapping[str, int]
    notes: Mapping[str, Mapping[NoteCode, int]]
    resampled: Mapping[str, int]
    normal_limit: tuple[str, ...] = ()
    drawn: tuple[str, ...] = ()
    price_changes: tuple[tuple[PossiblePriceChange, int], ...] = ()
    repriced_draws: int = 0

    @property
    def available(self) -> bool:
        return not bool(np.all(self.status == Status.UNAVAILABLE.value))

    @property
    def cheaper_share(self) -> float:
        """Share of draws in which the challenger's total is lower (the decision rule)."""
        if not self.available:
            return 0.0
        return float(np.mean(self.savings > 0))

    @property
    def cheaper_standard_error(self) -> float:
        """Binomial standard error of :attr:`cheaper_share`: √(p(1 − p)/N)."""
        p = self.cheaper_share
        return float(np.sqrt(p * (1 - p) / self.draws))

    def status_counts(self) -> dict[Status, int]:
        """How many draws ended in each status (every status listed, zeros included)."""
        found = Counter(self.status.tolist())
        return {s: int(found.get(s.value, 0)) for s in Status}

    def pays_off_volumes(self) -> np.ndarray:
        """Break-even of every draw whose challenger pays off from a volume up.

        ``always`` is 0 and ``never`` is +∞; ``cheaper_below``, ``equal`` and
        ``unavailable`` draws mean something else and are left out (they are
        counted by :meth:`status_counts`).
        """
        status = self.status
        keep = np.isin(status, [Status.BREAKS_EVEN.value, Status.ALWAYS.value, Status.NEVER.value])
        volumes = np.where(status == Status.NEVER.value, np.inf, self.breakeven)
        return volumes[keep].astype(float)

    def breakeven_percentiles(self, q: tuple[float, ...] = BAND) -> tuple[float, ...] | None:
        """Percentiles of :meth:`pays_off_volumes` (+∞ where "never"), None without any."""
        volumes = self.pays_off_volumes()
        if not volumes.size:
            return None
        return tuple(float(v) for v in np.percentile(volumes, q, method="inverted_cdf"))

    def savings_percentiles(self, q: tuple[float, ...] = BAND) -> tuple[float, ...]:
        """Percentiles of the saving over the horizon at the user's volume."""
        return tuple(float(v) for v in np.percentile(self.savings, q))

    def payback_counts(self) -> dict[int, int]:
        """Draws by payback month (1-based), 0 for no payback within the horizon."""
        found = Counter(self.payback_month.tolist())
        return {int(k): int(v) for k, v in sorted(found.items())}

    def fan(self, q: tuple[float, ...] = FAN) -> dict[str, np.ndarray]:
        """Percentile bands of cumulative cost per month, shape (len(q), months), by side.

        ``saving`` bands the running saving (baseline minus challenger) of the
        same draws, so its median is not a difference of two medians.
        """
        return {
            "baseline": np.percentile(self.cumulative_a, q, axis=0),
            "challenger": np.percentile(self.cumulative_b, q, axis=0),
            "saving": np.percentile(self.cumulative_a - self.cumulative_b, q, axis=0),
        }


@dataclass(frozen=True)
class Rows(Decided):
    """The main comparison decided for every row of an :class:`InputDraws` (one call).

    Beside the :class:`Decided` arrays: each row's ``growth``, both sides
    laid out, and ``notes``: per strategy name, which rows each engine note
    applied to — how the tornado names a cliff. ``resampled`` gives the
    records resampled per row from each strategy's sample file, by strategy
    name; ``normal_limit`` names the strategies whose resampled mean was drawn
    from its normal limit.
    """

    growth: np.ndarray
    sides: tuple[Sides, Sides]
    notes: Mapping[str, NoteRows]
    resampled: Mapping[str, int]
    normal_limit: tuple[str, ...]


def decide_rows(
    scenario: Scenario,
    result: ScenarioResult,
    inputs: InputDraws,
    rng: np.random.Generator,
    samples: Mapping[int, Resample | None] | None = None,
) -> Rows:
    """Lay out the main pair for every row of ``inputs`` and decide them all at once.

    ``samples`` maps a strategy's index to the sample file its requests are
    resampled from (none: its token figures are drawn or fixed).
    """
    pair = scenario.main_pair
    notes: dict[str, NoteRows] = {}
    sides: list[Sides] = []
    resampled: dict[str, int] = {}
    normal: list[str] = []
    for index in pair:
        s = scenario.strategies[index]
        sample = (samples or {}).get(index)
        tokens = _token_draws(scenario, index, result, inputs, rng, sample)
        if tokens.resampled:
            resampled[s.name] = tokens.resampled
        if tokens.normal_limit:
            normal.append(s.name)
        notes[s.name] = NoteRows(inputs.n)
        sides.append(draw_sides(scenario, index, result, inputs, tokens, notes[s.name]))
    a, b = sides
    n = inputs.n
    volume = _input(inputs, "workload.requests_per_month", scenario.workload.requests_per_month)
    growth = _input(inputs, "workload.monthly_growth", scenario.workload.monthly_growth)
    if result.primary.horizon.unavailable:
        nothing = np.zeros(n)
        return Rows(
            np.full(n, Status.UNAVAILABLE.value, dtype=object),
            np.full(n, Reason.MODEL_UNAVAILABLE.value, dtype=object),
            np.full(n, np.nan),
            nothing,
            nothing,
            np.zeros(n, dtype=int),
            volume,
            np.zeros(n, dtype=int),
            growth,
            (a, b),
            notes,
            resampled,
            tuple(normal),
        )
    months = _horizon_months(result, pair, inputs, a, b)
    decided = outcomes(a, b, months, growth)
    money = at_volume(a, b, volume, months, growth)
    return Rows(
        decided.status,
        decided.reason,
        decided.volume,
        money.baseline_total,
        money.challenger_total,
        money.payback_month,
        volume,
        months,
        growth,
        (a, b),
        notes,
        resampled,
        tuple(normal),
    )


def simulate(
    scenario: Scenario,
    catalog: Catalog,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    today: dt.date | None = None,
    base_dir: Path | None = None,
    samples: Mapping[str, Resample] | None = None,
    resample: bool = True,
    result: ScenarioResult | None = None,
) -> Simulation:
    """Draw ``draws`` futures of the scenario's main comparison with ``seed``.

    ``samples`` gives counted sample files by strategy name (files named in
    the scenario are the ones the point estimate counted, not read again);
    ``resample`` False keeps the sample means fixed. ``result`` is the point
    estimate when already known.
    """
    if not 1 <= draws <= MAX_DRAWS:
        raise ScenarioError(f"the number of draws must be between 1 and {MAX_DRAWS:,}")
    if result is None:
        result = evaluate(scenario, catalog, base_dir=base_dir, today=today)
    pair = scenario.main_pair
    _changes_on_pair(scenario, pair)
    rng = np.random.default_rng(seed)
    inputs = draw_inputs(scenario, draws, rng)
    changes = draw_changes(scenario, draws, rng)
    inputs = InputDraws(inputs.n, inputs.values, dict(inputs.clipped), changes)
    files = {
        i: _sample_for(scenario.strategies[i], result, samples) if resample else None for i in pair
    }
    rows = decide_rows(scenario, result, inputs, rng, files)
    a, b = rows.sides
    happened = [(c, c.happens & (c.month < rows.months)) for c in changes]
    if rows.months.size and rows.months.max() > 0:
        cumulative_a = np.cumsum(monthly_bills(a, rows.volume, rows.months, rows.growth), axis=1)
        cumulative_b = np.cumsum(monthly_bills(b, rows.volume, rows.months, rows.growth), axis=1)
    else:
        cumulative_a = cumulative_b = np.zeros((draws, 0))
    return Simulation(
        draws=draws,
        seed=seed,
        baseline=scenario.strategies[pair[0]].name,
        challenger=scenario.strategies[pair[1]].name,
        **{f.name: getattr(rows, f.name) for f in dataclasses.fields(Decided)},
        cumulative_a=cumulative_a,
        cumulative_b=cumulative_b,
        clipped={k: v for k, v in inputs.clipped.items() if v},
        notes={k: v.counts() for k, v in rows.notes.items()},
        resampled=rows.resampled,
        normal_limit=rows.normal_limit,
        drawn=tuple(sorted(scenario.uncertain)),
        price_changes=tuple((c.change, int(np.count_nonzero(m))) for c, m in happened),
        repriced_draws=int(np.count_nonzero(np.any([m for _, m in happened], axis=0)))
        if happened
        else 0,
    )


def _changes_on_pair(scenario: Scenario, pair: tuple[int, int]) -> None:
    """A possible price change of a strategy outside the simulated pair is refused, not ignored."""
    names = [scenario.strategies[i].name for i in pair]
    for i, change in enumerate(scenario.possible_price_changes):
        if change.strategy not in names:
            raise ScenarioError(
                f"possible_price_changes.{i}.strategy: {change.strategy!r} is not in the "
                f"simulated comparison ({names[1]} against {names[0]}); name one of those two"
            )


def _sample_for(
    strategy: Strategy, result: ScenarioResult, samples: Mapping[str, Resample] | None
) -> Resample | None:
    """The counted sample file of ``strategy``: given, else the one evaluate read, else None."""
    if samples is not None and strategy.name in samples:
        return samples[strategy.name]
    stats = result.samples.get(strategy.name)
    return None if stats is None else Resample(stats, strategy.tokens.samples_column)

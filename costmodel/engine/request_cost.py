"""What one request costs, split the way a provider's invoice splits it.

For a price sheet with input price *p_in*, cached-read price *p_c*, write
price *p_w* and output price *p_out* (USD per 1M tokens), a request with
prompt *P* tokens of which the leading *X* are cacheable, hit rate *h*,
output *O* and reasoning *R* tokens costs, in USD:

    uncached input = (P − X) · p_in                 (all of P when X is not cacheable)
    cached input   = h · X · p_c
    cache writes   = (1 − h) · X · p_w              (p_w = p_in when no write premium)
    output         = (O + R) · p_out

all divided by 10⁶. A share *b* of traffic sent through the batch API is
priced the same way on the batch sheet; the result is the traffic-weighted
mean. A prompt above a long-context threshold is priced on that tier's sheet
as a whole; a prompt longer than the model's context window is refused. A
model with no cached price never gets caching for free: its prefix is billed
as ordinary input.

A flex or priority service tier multiplies the standard sheet (batch traffic
keeps the batch sheet); a data-residency endpoint multiplies every sheet by
1 + its uplift.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np

from costmodel.engine.notes import Note, NoteCode
from costmodel.errors import ScenarioError
from costmodel.prices.schema import InferencePrices
from costmodel.tokens.figures import RequestTokens

PER_MTOK = 1_000_000


@dataclass(frozen=True)
class CacheSettings:
    enabled: bool = True
    hit_rate: float = 0.0
    ttl: str = "5m"


@dataclass(frozen=True)
class Sheet:
    """One resolved set of per-1M prices (a tier, standard or batch)."""

    input: float
    cached: float | None
    write: float | None
    output: float


@dataclass(frozen=True)
class RequestCost:
    """USD per request by invoice line; ``notes`` say which assumptions applied."""

    uncached_input_usd: float
    cached_input_usd: float
    cache_write_usd: float
    output_usd: float
    notes: tuple[Note, ...] = ()

    @property
    def total_usd(self) -> float:
        return (
            self.uncached_input_usd + self.cached_input_usd + self.cache_write_usd + self.output_usd
        )


ServiceTier = Literal["standard", "flex", "priority"]


def request_cost(
    prices: InferencePrices,
    tokens: RequestTokens,
    cache: CacheSettings = CacheSettings(),
    batch_share: float = 0.0,
    *,
    service_tier: ServiceTier = "standard",
    data_residency: bool = False,
    price_factor: float = 1.0,
) -> RequestCost:
    """Expected cost of one request on ``prices`` (every price times ``price_factor``).

    Hand-checked: 3,000 prompt tokens of which 2,000 cacheable at an 80 % hit
    rate, 100 output tokens, at $2.00 in / $0.50 cached / $8.00 out:
    1,000·2 + 0.8·2,000·0.5 + 0.2·2,000·2 + 100·8 = 4,400 → $0.0044.

    >>> p = InferencePrices(input_usd_per_mtok=2, cached_input_usd_per_mtok=0.5,
    ...                     output_usd_per_mtok=8)
    >>> cost = request_cost(p, RequestTokens(3000, 2000, 100), CacheSettings(True, 0.8))
    >>> round(cost.total_usd, 10)
    0.0044
    """
    if not 0 <= batch_share <= 1:
        raise ValueError("batch share must be between 0 and 1")
    sheets = price_sheets(
        prices,
        tokens.prompt,
        tokens.cacheable_prefix,
        cache,
        batch=batch_share > 0,
        service_tier=service_tier,
        data_residency=data_residency,
        price_factor=price_factor,
    )
    cost = cost_on_sheets(
        sheets,
        prices,
        tokens.prompt,
        tokens.cacheable_prefix,
        tokens.output + tokens.reasoning,
        cache.hit_rate,
        batch_share if batch_share > 0 else None,
    )
    return replace(cost, notes=sheets.notes)


@dataclass(frozen=True)
class PricedSheets:
    """The sheets a request is priced on, and whether its prefix is cached.

    Which sheets apply depends only on the prompt's long-context tier
    (:func:`long_context_tier`) and on whether the prefix is long enough to
    cache (:func:`prefix_cacheable`), so many requests of one such regime
    share them; :func:`cost_on_sheets` then prices arrays of requests at once.
    """

    standard: Sheet
    batch: Sheet | None
    cacheable: bool
    notes: tuple[Note, ...]


def price_sheets(
    prices: InferencePrices,
    prompt: float,
    prefix: float,
    cache: CacheSettings,
    *,
    batch: bool,
    service_tier: ServiceTier = "standard",
    data_residency: bool = False,
    price_factor: float | np.ndarray = 1.0,
) -> PricedSheets:
    """Resolve the sheets for a prompt of ``prompt`` tokens with a ``prefix``-token prefix."""
    limit = prices.max_prompt_tokens
    if limit is not None and prompt > limit:
        raise ScenarioError(
            f"a prompt of {prompt:,.0f} tokens is longer than the model accepts ({limit:,} tokens)"
        )
    listed, in_tier, notes = _tier_sheet(prices, prompt, cache.ttl)
    standard, tier_notes = _service_tier(prices, listed, service_tier)
    regional, region_notes = _regional(prices, data_residency)
    standard = _scale(_scale(standard, regional), price_factor)
    notes += tier_notes + region_notes
    cacheable, cache_note = _cacheable(prices, standard, prefix, cache)
    notes += cache_note
    batch_sheet = None
    if batch:
        batch_sheet, batch_note = _batch_sheet(prices, listed, in_tier)
        batch_sheet = _scale(_scale(batch_sheet, regional), price_factor)
        notes += batch_note
    return PricedSheets(standard, batch_sheet, cacheable, tuple(notes))


def cost_on_sheets(
    sheets: PricedSheets,
    prices: InferencePrices,
    prompt: float | np.ndarray,
    prefix: float | np.ndarray,
    output: float | np.ndarray,
    hit: float | np.ndarray,
    batch_share: float | np.ndarray | None,
) -> RequestCost:
    """Price requests (numbers or arrays of one regime) on resolved sheets.

    ``output`` counts output and reasoning tokens; ``batch_share`` None sends
    nothing through the batch API. A share of 0 gives the same figures as
    None to the last bit (1·x + 0·y = x).
    """
    if sheets.cacheable:
        prefix = cache_steps(prices, prefix)
    hit = hit if sheets.cacheable else 0.0
    cost = _sheet_cost(sheets.standard, prompt, prefix, output, hit, sheets.cacheable)
    if batch_share is None or sheets.batch is None:
        return cost
    batch_cost = _sheet_cost(sheets.batch, prompt, prefix, output, hit, sheets.cacheable)
    return _mix(cost, batch_cost, batch_share)


def long_context_tier(prices: InferencePrices, prompt: float | np.ndarray) -> np.ndarray:
    """Which sheet a prompt is priced on: 0 for the listed prices, i for long-context tier i.

    A prompt above a tier's threshold takes the last such tier in the list.

    >>> from costmodel.prices.schema import LongContextTier
    >>> p = InferencePrices(input_usd_per_mtok=1, output_usd_per_mtok=2, long_context=[
    ...     LongContextTier(above_prompt_tokens=200_000, input_usd_per_mtok=2,
    ...                     output_usd_per_mtok=4)])
    >>> long_context_tier(p, np.array([1_000, 250_000])).tolist()
    [0, 1]
    """
    prompt = np.asarray(prompt, dtype=float)
    index = np.zeros(prompt.shape, dtype=int)
    for i, tier in enumerate(prices.long_context, start=1):
        index = np.where(prompt > tier.above_prompt_tokens, i, index)
    return index


def prefix_cacheable(prices: InferencePrices, prefix: float | np.ndarray) -> np.ndarray:
    """A prefix the provider caches: present and at least the model's minimum length.

    >>> p = InferencePrices(input_usd_per_mtok=1, cached_input_usd_per_mtok=0.1,
    ...                     output_usd_per_mtok=4, min_cacheable_tokens=1024)
    >>> prefix_cacheable(p, np.array([0, 900, 1024])).tolist()
    [False, False, True]
    """
    prefix = np.asarray(prefix, dtype=float)
    return (prefix > 0) & (prefix >= (prices.min_cacheable_tokens or 0))


def _service_tier(
    prices: InferencePrices, sheet: Sheet, tier: ServiceTier
) -> tuple[Sheet, list[Note]]:
    """Flex and priority scale the whole standard sheet; a tier without a price is refused.

    Batch traffic is priced on the batch sheet whatever the tier of the rest.
    """
    if tier == "standard":
        return sheet, []
    factor = prices.flex_multiplier if tier == "flex" else prices.priority_multiplier
    if factor is None:
        raise ScenarioError(f"the model has no {tier} service tier price")
    return _scale(sheet, factor), [Note(NoteCode.SERVICE_TIER, {"tier": tier, "factor": factor})]


def _regional(prices: InferencePrices, data_residency: bool) -> tuple[float, list[Note]]:
    """The factor a data-residency endpoint adds, e.g. 1.10 for OpenAI's +10 %."""
    if not data_residency:
        return 1.0, []
    if prices.regional_uplift is None:
        raise ScenarioError(
            "the model has no data-residency price: choose a regional catalog entry "
            "or give regional_uplift in a price override"
        )
    uplift = prices.regional_uplift
    return 1 + uplift, [Note(NoteCode.REGIONAL_UPLIFT, {"uplift": f"{uplift:.0%}"})]


def _tier_sheet(prices: InferencePrices, prompt: float, ttl: str) -> tuple[Sheet, bool, list[Note]]:
    """The standard sheet for this prompt length (long-context tiers reprice all of it)."""
    index = int(long_context_tier(prices, prompt))
    source: object = prices.long_context[index - 1] if index else prices
    notes: list[Note] = []
    if source is not prices:
        notes.append(
            Note(NoteCode.LONG_CONTEXT_TIER, {"above": source.above_prompt_tokens})  # type: ignore[attr-defined]
        )
    write = getattr(source, "cache_write_usd_per_mtok", None)
    write_1h = getattr(source, "cache_write_1h_usd_per_mtok", None)
    if ttl == "1h":
        if write_1h is not None:
            write = write_1h
        elif write is not None:
            notes.append(Note(NoteCode.NO_1H_WRITE_PRICE))
    return (
        Sheet(
            input=source.input_usd_per_mtok,  # type: ignore[attr-defined]
            cached=source.cached_input_usd_per_mtok,  # type: ignore[attr-defined]
            write=write,
            output=source.output_usd_per_mtok,  # type: ignore[attr-defined]
        ),
        source is not prices,
        notes,
    )


def _cacheable(
    prices: InferencePrices, sheet: Sheet, prefix: float, cache: CacheSettings
) -> tuple[bool, list[Note]]:
    """Caching applies only to a prefix that exists, is long enough and has a price."""
    if not cache.enabled or prefix <= 0:
        return False, []
    if sheet.cached is None:
        return False, [Note(NoteCode.NO_CACHED_PRICE)]
    minimum = prices.min_cacheable_tokens
    if not prefix_cacheable(prices, prefix):
        return False, [
            Note(NoteCode.PREFIX_BELOW_CACHE_MINIMUM, {"prefix": prefix, "minimum": minimum or 0})
        ]
    if minimum is None:
        return True, [Note(NoteCode.CACHE_MINIMUM_UNKNOWN)]
    cached = cached_length(prices, prefix)
    if cached < prefix:
        values = {
            "step": prices.cache_increment_tokens or 0,
            "cached": cached,
            "prefix": prefix,
        }
        return True, [Note(NoteCode.CACHE_STEPS, values)]
    return True, []


def cached_length(prices: InferencePrices, prefix: float) -> float:
    """The part of a cacheable prefix a provider really caches.

    Above the minimum the cache grows in whole steps: ``m + ⌊(X − m) / s⌋ · s``.
    OpenAI (m = 1,024, s = 128): a 1,100-token prefix caches 1,024 tokens, a
    1,200-token one 1,152.

    >>> p = InferencePrices(input_usd_per_mtok=1, cached_input_usd_per_mtok=0.1,
    ...                     output_usd_per_mtok=4, min_cacheable_tokens=1024,
    ...                     cache_increment_tokens=128)
    >>> cached_length(p, 1100), cached_length(p, 1200), cached_length(p, 900)
    (1024, 1152, 0)
    """
    if prefix < (prices.min_cacheable_tokens or 0):
        return 0
    return cache_steps(prices, prefix)


def cache_steps(prices: InferencePrices, prefix: Any) -> Any:
    """``m + ⌊(X − m) / s⌋ · s`` for a prefix at or above the minimum (numbers or arrays)."""
    minimum, step = prices.min_cacheable_tokens or 0, prices.cache_increment_tokens
    if step is None:
        return prefix
    return minimum + (prefix - minimum) // step * step


def _batch_sheet(
    prices: InferencePrices, standard: Sheet, in_tier: bool
) -> tuple[Sheet, list[Note]]:
    """Batch prices: the vendor's printed sheet, else its discount, else none."""
    if prices.batch is not None:
        full = prices.input_usd_per_mtok
        ratio = prices.batch.input_usd_per_mtok / full if full else 1.0
        if in_tier:
            return _scale(standard, ratio), [Note(NoteCode.BATCH_TIER_SCALED)]
        scaled = _scale(standard, ratio)
        cached = prices.batch.cached_input_usd_per_mtok
        return (
            Sheet(
                input=prices.batch.input_usd_per_mtok,
                cached=cached if cached is not None else scaled.cached,
                write=scaled.write,
                output=prices.batch.output_usd_per_mtok,
            ),
            [],
        )
    if prices.batch_discount is not None:
        return _scale(standard, 1 - prices.batch_discount), []
    return standard, [Note(NoteCode.NO_BATCH_PRICE)]


def _scale(sheet: Sheet, factor: Any) -> Sheet:
    return Sheet(
        input=sheet.input * factor,
        cached=None if sheet.cached is None else sheet.cached * factor,
        write=None if sheet.write is None else sheet.write * factor,
        output=sheet.output * factor,
    )


def _sheet_cost(
    sheet: Sheet, prompt: Any, prefix: Any, output: Any, hit: Any, cacheable: bool
) -> RequestCost:
    prefix = prefix if cacheable else 0.0
    variable = prompt - prefix
    miss_prefix = (1 - hit) * prefix
    write_price = sheet.write
    uncached = variable * sheet.input + (miss_prefix * sheet.input if write_price is None else 0.0)
    writes = 0.0 if write_price is None else miss_prefix * write_price
    cached = hit * prefix * sheet.cached if cacheable and sheet.cached is not None else 0.0
    output = output * sheet.output
    return RequestCost(
        uncached_input_usd=uncached / PER_MTOK,
        cached_input_usd=cached / PER_MTOK,
        cache_write_usd=writes / PER_MTOK,
        output_usd=output / PER_MTOK,
    )


def _mix(standard: RequestCost, batch: RequestCost, share: Any) -> RequestCost:
    keep = 1 - share
    return RequestCost(
        uncached_input_usd=keep * standard.uncached_input_usd + share * batch.uncached_input_usd,
        cached_input_usd=keep * standard.cached_input_usd + share * batch.cached_input_usd,
        cache_write_usd=keep * standard.cache_write_usd + share * batch.cache_write_usd,
        output_usd=keep * standard.output_usd + share * batch.output_usd,
    )

"""Typed, strict schema of one ``pricing/<provider>.yaml`` file.

Prices are stored the way vendors quote them, in USD per 1M tokens, and every
field name carries its unit. All models are frozen and reject unknown keys, so
a typo in a price file is an error, not a silently ignored figure.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    model_validator,
)

# Above this a per-1M-token price is a typo (the dearest list price is ~$150).
ABSURD_USD_PER_MTOK = 10_000.0


def _not_absurd(value: float | None) -> float | None:
    if value is not None and value > ABSURD_USD_PER_MTOK:
        raise ValueError(f"{value} USD per 1M tokens is above the ${ABSURD_USD_PER_MTOK:,.0f} cap")
    return value


UsdPerMtok = Annotated[float, Field(ge=0), AfterValidator(_not_absurd)]
Usd = Annotated[float, Field(ge=0)]
Share = Annotated[float, Field(ge=0, le=1)]


def _check_cached(cached: float | None, uncached: float) -> None:
    """A cache read dearer than an uncached read is always a typo in the table."""
    if cached is not None and cached > uncached:
        raise ValueError(
            f"cached_input_usd_per_mtok ({cached}) is above input_usd_per_mtok ({uncached})"
        )


def field_at(obj: object, path: str) -> object | None:
    """The value at a dotted path such as ``fine_tuning.training.usd_per_mtok``.

    Returns None when any step is missing or unset, so callers can tell a
    real figure from a typo in a path.

    >>> field_at(Lifecycle(retires=dt.date(2027, 1, 14)), "retires")
    datetime.date(2027, 1, 14)
    >>> field_at(Lifecycle(), "retires.year") is None
    True
    """
    value: object | None = obj
    for step in path.split("."):
        if isinstance(value, tuple) and step.isdigit():
            value = value[int(step)] if int(step) < len(value) else None
        elif isinstance(value, BaseModel) and step in type(value).model_fields:
            value = getattr(value, step)
        else:
            return None
        if value is None or value == ():
            return None
    return value


class Strict(BaseModel):
    """Base for every schema object: immutable, no unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class LongContextTier(Strict):
    """Prices for the whole request once its prompt exceeds a threshold."""

    above_prompt_tokens: Annotated[int, Field(gt=0)]
    input_usd_per_mtok: UsdPerMtok
    cached_input_usd_per_mtok: UsdPerMtok | None = None
    cache_write_usd_per_mtok: UsdPerMtok | None = None
    cache_write_1h_usd_per_mtok: UsdPerMtok | None = None
    output_usd_per_mtok: UsdPerMtok

    @model_validator(mode="after")
    def _cached_not_dearer(self) -> LongContextTier:
        _check_cached(self.cached_input_usd_per_mtok, self.input_usd_per_mtok)
        return self


class BatchPrices(Strict):
    """Explicit batch-API prices, for vendors that print them instead of a discount.

    ``cache_write_usd_per_mtok`` is the batch price of writing the prompt cache,
    for vendors that charge cache writes and print a batch rate for them.
    """

    input_usd_per_mtok: UsdPerMtok
    cached_input_usd_per_mtok: UsdPerMtok | None = None
    cache_write_usd_per_mtok: UsdPerMtok | None = None
    output_usd_per_mtok: UsdPerMtok

    @model_validator(mode="after")
    def _cached_not_dearer(self) -> BatchPrices:
        _check_cached(self.cached_input_usd_per_mtok, self.input_usd_per_mtok)
        return self


class PriceChange(Strict):
    """Standard prices that replace the model's own from a date on.

    For an introductory price that ends or an announced rise (several Gemini
    Flash prices double on 2027-01-01). Each cache price the model has must be
    given again, for the same reason as in a long-context tier.
    """

    starts: dt.date
    input_usd_per_mtok: UsdPerMtok
    cached_input_usd_per_mtok: UsdPerMtok | None = None
    cache_write_usd_per_mtok: UsdPerMtok | None = None
    output_usd_per_mtok: UsdPerMtok

    @model_validator(mode="after")
    def _cached_not_dearer(self) -> PriceChange:
        _check_cached(self.cached_input_usd_per_mtok, self.input_usd_per_mtok)
        return self


class InferencePrices(Strict):
    """Per-token prices of one way of calling a model.

    ``cached_input_usd_per_mtok`` absent means the model has no prompt caching
    (never that cached reads are free). ``cache_write_usd_per_mtok`` absent means
    writing the cache costs the ordinary input price; present, it is the
    vendor's write price (e.g. Anthropic's 1.25× for 5-minute caches).
    ``cache_increment_tokens`` is the step in which a cached prefix grows above
    ``min_cacheable_tokens`` (OpenAI: 128), so only whole steps are cached.
    ``max_prompt_tokens`` is the context window: a longer prompt is refused.
    ``flex_multiplier`` and ``priority_multiplier`` scale the standard sheet
    for those service tiers (OpenAI flex 0.5); ``regional_uplift`` is the
    extra share a data-residency endpoint costs (OpenAI 0.10);
    ``price_changes`` replace the standard sheet from their dates on.
    """

    input_usd_per_mtok: UsdPerMtok
    cached_input_usd_per_mtok: UsdPerMtok | None = None
    cache_write_usd_per_mtok: UsdPerMtok | None = None
    cache_write_1h_usd_per_mtok: UsdPerMtok | None = None
    output_usd_per_mtok: UsdPerMtok
    min_cacheable_tokens: Annotated[int, Field(ge=0)] | None = None
    cache_increment_tokens: Annotated[int, Field(gt=0)] | None = None
    batch_discount: Share | None = None
    batch: BatchPrices | None = None
    long_context: tuple[LongContextTier, ...] = ()
    reasoning: bool = False
    max_prompt_tokens: Annotated[int, Field(gt=0)] | None = None
    flex_multiplier: Annotated[float, Field(gt=0, le=1)] | None = None
    priority_multiplier: Annotated[float, Field(ge=1, le=10)] | None = None
    regional_uplift: Annotated[float, Field(ge=0, le=1)] | None = None
    price_changes: tuple[PriceChange, ...] = ()

    @model_validator(mode="after")
    def _coherent(self) -> InferencePrices:
        _check_cached(self.cached_input_usd_per_mtok, self.input_usd_per_mtok)
        if self.batch is not None and self.batch_discount is not None:
            raise ValueError("give either batch prices or batch_discount, not both")
        thresholds = [t.above_prompt_tokens for t in self.long_context]
        if thresholds != sorted(set(thresholds)):
            raise ValueError("long_context tiers must have increasing above_prompt_tokens")
        if self.max_prompt_tokens is not None and any(
            t >= self.max_prompt_tokens for t in thresholds
        ):
            raise ValueError(
                f"a long_context tier starts at or above max_prompt_tokens "
                f"({self.max_prompt_tokens:,}): no prompt could reach it"
            )
        _tiers_keep_cache_prices(self)
        _changes_coherent(self)
        return self

    def on(self, day: dt.date) -> InferencePrices:
        """The prices in force on ``day``: the latest dated change that has started.

        >>> p = InferencePrices(input_usd_per_mtok=0.75, output_usd_per_mtok=3.75,
        ...     price_changes=[{"starts": "2027-01-01", "input_usd_per_mtok": 1.5,
        ...                     "output_usd_per_mtok": 7.5}])
        >>> [p.on(dt.date(2026, 12, d)).input_usd_per_mtok for d in (1, 31)]
        [0.75, 0.75]
        >>> p.on(dt.date(2027, 1, 1)).input_usd_per_mtok
        1.5
        """
        started = [c for c in self.price_changes if c.starts <= day]
        if not started:
            return self
        change = started[-1].model_dump(exclude={"starts"})
        later = tuple(c for c in self.price_changes if c.starts > day)
        return self.model_copy(update={**change, "price_changes": later})


_CACHE_FIELDS = ("cached_input_usd_per_mtok", "cache_write_usd_per_mtok")


def _changes_coherent(prices: InferencePrices) -> None:
    """Dated changes in order, each keeping the cache prices the model has.

    A change replaces the standard sheet only; combined with long-context tiers
    or printed batch prices it would leave those silently at the old figures,
    so that is refused until a model needs it.
    """
    dates = [c.starts for c in prices.price_changes]
    if dates != sorted(set(dates)):
        raise ValueError("price_changes must have increasing start dates")
    if prices.price_changes and (prices.long_context or prices.batch is not None):
        raise ValueError(
            "price_changes cannot be combined with long_context tiers or printed batch prices; "
            "give a separate entry for the new prices"
        )
    for change in prices.price_changes:
        for name in _CACHE_FIELDS:
            if getattr(prices, name) is not None and getattr(change, name) is None:
                raise ValueError(
                    f"the price change of {change.starts} has no {name} although the model "
                    "has one; give the new price"
                )


def _tiers_keep_cache_prices(prices: InferencePrices) -> None:
    """A tier without a cache price the base sheet has would silently turn caching off.

    Above the threshold every cached token would then be billed as fresh input
    (4.1x too dear per request on a 300K prompt with a 290K cached prefix), so
    a tier must repeat each cache price, even when it is unchanged.
    """
    for tier in prices.long_context:
        for name in _CACHE_FIELDS:
            if getattr(prices, name) is not None and getattr(tier, name) is None:
                raise ValueError(
                    f"long_context tier above {tier.above_prompt_tokens:,} tokens has no "
                    f"{name} although the model has one; give the tier's price"
                )


class TrainingPrices(Strict):
    """What one fine-tuning job costs: per training token or per wall-clock hour.

    ``price_not_public: true`` (and no price) says the vendor sells training but
    publishes no price: a comparison then asks for the user's price instead of
    treating it as free. ``free_reason`` goes with a price of zero and names
    the vendor's offer (e.g. Fireworks: reinforcement fine-tuning is free under
    16B); the shipped tables always give it.
    """

    usd_per_mtok: UsdPerMtok | None = None
    usd_per_hour: Usd | None = None
    price_not_public: bool = False
    free_reason: str | None = None
    min_job_usd: Usd = 0.0
    max_tokens_per_example: Annotated[int, Field(gt=0)] | None = None
    validation_billed: bool | None = None
    max_job_usd: Usd | None = None

    @model_validator(mode="after")
    def _one_unit(self) -> TrainingPrices:
        priced = (self.usd_per_mtok is not None) + (self.usd_per_hour is not None)
        if self.price_not_public:
            if priced:
                raise ValueError("price_not_public cannot come with a training price")
            return self
        if priced != 1:
            raise ValueError(
                "give exactly one of usd_per_mtok or usd_per_hour "
                "(or price_not_public: true when the vendor publishes none)"
            )
        free = (self.usd_per_mtok or self.usd_per_hour or 0.0) == 0
        if self.free_reason and not free:
            raise ValueError("free_reason is only for a training price of zero")
        return self


class Serving(Strict):
    """How a fine-tuned model is served, and the fixed costs that come with it.

    * ``serverless``: per-token prices only (plus storage, if any).
    * ``hosted``: per-token prices plus a deployment fee per hour (Azure).
    * ``dedicated``: GPUs rented per hour; per-token prices usually absent.

    ``call_price_not_public: true`` says the vendor sells this way of calling
    the fine-tuned model but publishes no price for it (Together's serverless
    LoRA, Bedrock's Provisioned Throughput): the hourly or per-token price may
    then be missing, and a comparison asks for the user's price instead of
    treating the calls as free.
    """

    mode: Literal["serverless", "hosted", "dedicated"] = "serverless"
    hosting_usd_per_hour: Usd | None = None
    gpu_usd_per_hour: Usd | None = None
    gpu_type: str | None = None
    storage_usd_per_month: Usd = 0.0
    call_price_not_public: bool = False

    @property
    def missing_price(self) -> bool:
        """True when the hourly price this mode bills is not given."""
        if self.mode == "hosted":
            return self.hosting_usd_per_hour is None
        return self.mode == "dedicated" and self.gpu_usd_per_hour is None

    @model_validator(mode="after")
    def _mode_has_price(self) -> Serving:
        if self.call_price_not_public:
            return self
        if self.mode == "hosted" and self.hosting_usd_per_hour is None:
            raise ValueError("serving mode 'hosted' needs hosting_usd_per_hour")
        if self.mode == "dedicated" and self.gpu_usd_per_hour is None:
            raise ValueError("serving mode 'dedicated' needs gpu_usd_per_hour")
        return self


Method = Literal["sft", "dpo", "rft", "lora-sft", "lora-dpo", "full-sft", "full-dpo", "classifier"]


class FineTuning(Strict):
    """Everything about training a model and calling the result.

    ``base_model`` names the catalog model whose long-prompt inference this
    fine-tune replaces (defaults to the model itself). ``inference`` holds the
    fine-tuned model's per-token prices; omit it only with
    ``inference_same_as_base: true`` or a ``dedicated`` serving mode.
    """

    methods: tuple[Method, ...]
    base_model: str | None = None
    training: TrainingPrices
    inference: InferencePrices | None = None
    inference_same_as_base: bool = False
    serving: Serving = Serving()

    @model_validator(mode="after")
    def _has_inference(self) -> FineTuning:
        if self.inference is not None and self.inference_same_as_base:
            raise ValueError("give fine-tuned inference prices or inference_same_as_base, not both")
        if (
            self.inference is None
            and not self.inference_same_as_base
            and self.serving.mode != "dedicated"
            and not self.serving.call_price_not_public
        ):
            raise ValueError(
                "fine-tuned inference prices are missing: give inference, set "
                "inference_same_as_base: true, use serving mode 'dedicated', or set "
                "serving.call_price_not_public: true when the vendor publishes none"
            )
        return self


class Lifecycle(Strict):
    """Dates that decide who can buy a model, and until when.

    * ``training_ends`` / ``retires`` / ``ft_retires``: the last dates for
      everyone (no new training job; base model gone; fine-tuned models gone).
    * ``training_ends_new_customers``: from this date a customer who has not
      fine-tuned here before cannot start (OpenAI closed this on 2026-05-07,
      Azure at each base model's retirement).
    * ``inference_ends_new_customers``: from this date a new customer cannot
      call the base model (a "legacy, existing customers only" model).
    * ``existing_customers``: who still qualifies after a new-customer date,
      in the vendor's terms (e.g. "organisations with fine-tuned-model traffic
      in the last 60 days").

    Every date is a "from this day on" date: on ``retires`` the model no
    longer answers. A date known only as "no later than" is written as that
    day, which is the conservative reading for a plan.
    """

    released: dt.date | None = None
    training_ends: dt.date | None = None
    retires: dt.date | None = None
    ft_retires: dt.date | None = None
    training_ends_new_customers: dt.date | None = None
    inference_ends_new_customers: dt.date | None = None
    existing_customers: str | None = None

    @model_validator(mode="after")
    def _new_customers_first(self) -> Lifecycle:
        pairs = (
            ("training_ends_new_customers", "training_ends"),
            ("inference_ends_new_customers", "retires"),
        )
        for early, late in pairs:
            first, last = getattr(self, early), getattr(self, late)
            if first is not None and last is not None and first > last:
                raise ValueError(f"{early} ({first}) is after {late} ({last})")
        return self


class Disagreement(Strict):
    """Another source's figure for a field, where it differs from the one kept.

    The entry keeps the figure that is safer for the decision at hand (the
    higher price, the earlier date); this records what the other source says
    so the difference is shown, never hidden.
    """

    field: str
    other_value: float | dt.date | str
    source: str
    as_of: dt.date
    note: str | None = None


class Source(Strict):
    """An extra source for part of a model's figures."""

    url: HttpUrl
    as_of: dt.date
    covers: str


class ModelEntry(Strict):
    """One model as a provider sells it.

    ``promo_until`` is the last day the vendor promises a promotional price;
    after it the listed prices may have gone back up, so the catalog warns.
    Every path in ``unverified`` and ``disputed`` must name a field that is
    set, so a flag can never point at nothing.
    """

    name: str
    aliases: tuple[str, ...] = ()
    source_url: HttpUrl
    as_of: dt.date
    promo_until: dt.date | None = None
    note: str | None = None
    unverified: tuple[str, ...] = Field(
        default=(),
        description="dotted field paths whose figures have no primary source",
    )
    more_sources: tuple[Source, ...] = ()
    disputed: tuple[Disagreement, ...] = ()
    lifecycle: Lifecycle = Lifecycle()
    inference: InferencePrices | None = None
    fine_tuning: FineTuning | None = None

    @model_validator(mode="after")
    def _sellable(self) -> ModelEntry:
        if self.inference is None and self.fine_tuning is None:
            raise ValueError("a model needs base inference prices, fine_tuning, or both")
        ft = self.fine_tuning
        if ft and ft.inference_same_as_base and not self.inference and ft.base_model is None:
            raise ValueError("inference_same_as_base needs inference prices or a base_model")
        return self

    @model_validator(mode="after")
    def _unverified_paths_exist(self) -> ModelEntry:
        for path in self.unverified:
            if field_at(self, path) is None:
                raise ValueError(f"unverified path {path!r} names no field that is set")
        for dispute in self.disputed:
            if field_at(self, dispute.field) is None:
                raise ValueError(f"disputed field {dispute.field!r} names no field that is set")
        return self

    @property
    def role(self) -> Literal["base", "fine-tunable"]:
        """``fine-tunable`` when the provider sells training for it, else ``base``."""
        return "fine-tunable" if self.fine_tuning is not None else "base"


class PricingFile(Strict):
    """The whole content of one ``pricing/<provider>.yaml``.

    An alias may not repeat a model id or another alias of the same file:
    a name must lead to one model.
    """

    schema_version: Literal[1] = 1
    provider: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    provider_name: str
    notes: tuple[str, ...] = ()
    models: dict[str, ModelEntry]

    @model_validator(mode="after")
    def _names_unique(self) -> PricingFile:
        seen = {model_id.lower(): model_id for model_id in self.models}
        for model_id, entry in self.models.items():
            for alias in entry.aliases:
                other = seen.setdefault(alias.lower(), model_id)
                if other != model_id:
                    raise ValueError(f"alias {alias!r} of {model_id} is already used by {other}")
        return self


_SECTION_WORDS = {
    "inference": "",
    "fine_tuning.inference": "fine-tuned ",
    "fine_tuning.training": "training ",
    "fine_tuning.serving": "",
    "fine_tuning": "fine-tuning ",
    "inference.batch": "batch ",
    "lifecycle": "",
}
_FIELD_WORDS = {
    "input_usd_per_mtok": "input price",
    "cached_input_usd_per_mtok": "cached-input price",
    "cache_write_usd_per_mtok": "cache-write price",
    "cache_write_1h_usd_per_mtok": "1-hour cache-write price",
    "output_usd_per_mtok": "output price",
    "usd_per_mtok": "price per 1M tokens",
    "usd_per_hour": "price per hour",
    "min_job_usd": "minimum job fee",
    "max_job_usd": "job cap",
    "max_tokens_per_example": "token cap per example",
    "validation_billed": "validation billing",
    "min_cacheable_tokens": "minimum cacheable prompt",
    "cache_increment_tokens": "cache step",
    "flex_multiplier": "flex-tier factor",
    "priority_multiplier": "priority-tier factor",
    "regional_uplift": "regional uplift",
    "price_changes": "dated price changes",
    "price_not_public": "training price not public",
    "call_price_not_public": "price of calling the fine-tuned model not public",
    "max_prompt_tokens": "context window",
    "batch_discount": "batch discount",
    "long_context": "long-context prices",
    "methods": "methods",
    "hosting_usd_per_hour": "hosting per hour",
    "gpu_usd_per_hour": "GPU price per hour",
    "storage_usd_per_month": "storage per month",
    "retires": "retirement date",
    "training_ends": "end of new training",
    "training_ends_new_customers": "end of training for new customers",
    "inference_ends_new_customers": "end of sales to new customers",
    "ft_retires": "fine-tuned model retirement date",
    "inference_same_as_base": "calls priced as the base model",
}


def field_words(path: str) -> str:
    """A dotted schema path in plain words, for people reading a warning.

    >>> field_words("fine_tuning.training.usd_per_mtok")
    'training price per 1M tokens'
    >>> field_words("inference.output_usd_per_mtok")
    'output price'
    >>> field_words("fine_tuning.inference_same_as_base")
    'fine-tuning calls priced as the base model'
    """
    section, _, leaf = path.rpartition(".")
    words = _FIELD_WORDS.get(leaf, leaf.replace("_", " "))
    prefix = _SECTION_WORDS.get(section, section.replace("_", " ") + " " if section else "")
    return f"{prefix}{words}"

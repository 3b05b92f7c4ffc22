"""Human views of the pricing catalog: a terminal table, JSON rows and a Markdown page.

The listing answers "which figures can I trust today?" (stale, unverified,
retiring), so it takes ``today`` explicitly. The Markdown page is committed to
the repository and checked in CI, so it depends on the price files only: no
date of generation and no staleness in it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from costmodel.engine.months import add_months
from costmodel.prices import DEFAULT_STALE_DAYS
from costmodel.prices.availability import Availability
from costmodel.prices.catalog import Catalog, CatalogModel, is_stale
from costmodel.prices.freshness import CheckResult
from costmodel.prices.schema import BatchPrices, InferencePrices, Serving, field_words
from costmodel.report.numbers import money

MISSING = "–"
# Issue kinds worth printing when a file is validated: the others (stale,
# retiring, unverified) are routine and shown by ``pricing list``.
SUSPICIOUS_KINDS = ("odd", "ambiguous")


@dataclass(frozen=True)
class ModelRow:
    """One catalog model flattened for a table or JSON; prices in USD per 1M tokens.

    ``base_model`` is set when the base prices shown belong to another model.
    """

    provider: str
    model: str
    key: str
    name: str
    role: str
    base_model: str | None
    input_usd_per_mtok: float | None
    cached_input_usd_per_mtok: float | None
    output_usd_per_mtok: float | None
    training_usd_per_mtok: float | None
    training_usd_per_hour: float | None
    training_price_not_public: bool
    ft_input_usd_per_mtok: float | None
    ft_cached_input_usd_per_mtok: float | None
    ft_output_usd_per_mtok: float | None
    ft_serving: str
    as_of: dt.date
    source_url: str
    flags: tuple[str, ...]
    availability: Availability = "available"
    next_change: tuple[dt.date, Availability] | None = None
    age_days: int = 0
    stale: bool = False

    def as_json(self) -> dict[str, Any]:
        """Plain JSON types: dates as ISO text, flags as a list, the next change split."""
        data = dataclasses.asdict(self)
        data["as_of"] = self.as_of.isoformat()
        data["flags"] = list(self.flags)
        change = self.next_change
        data["next_change"] = (
            None if change is None else {"on": change[0].isoformat(), "becomes": change[1]}
        )
        return data


AVAILABILITY_WORDS: dict[Availability, str] = {
    "available": "new customers",
    "existing-customers": "existing customers only",
    "training-closed": "training closed",
    "retired": "retired",
    "not-released": "not released yet",
}


def availability_text(code: Availability, change: tuple[dt.date, Availability] | None) -> str:
    """Who can buy it, and until when, in a few words.

    >>> availability_text("available", None)
    'new customers'
    >>> availability_text("existing-customers", (dt.date(2027, 4, 14), "training-closed"))
    'existing customers only; training closed from 2027-04-14'
    """
    text = AVAILABILITY_WORDS[code]
    if change is not None:
        text += f"; {AVAILABILITY_WORDS[change[1]]} from {change[0]}"
    return text


def pair_availability_text(base: str, tuned: str, buyable: bool) -> str:
    """Who can buy a ranked pair, in a few words: what holds back each side.

    >>> pair_availability_text("available", "available", True)
    'new customers'
    >>> pair_availability_text("available", "existing-customers", False)
    'fine-tune: existing customers only'
    >>> pair_availability_text("retired", "available", False)
    'base: retired'
    >>> pair_availability_text("available", "available", False)
    'closes inside the horizon'
    """
    if buyable:
        return AVAILABILITY_WORDS["available"]
    held = [
        f"{side}: {AVAILABILITY_WORDS[code]}"  # type: ignore[index]
        for side, code in (("base", base), ("fine-tune", tuned))
        if code != "available"
    ]
    return "; ".join(held) or "closes inside the horizon"


def age_text(row: ModelRow) -> str:
    """The as-of date with its age in days, marked when stale.

    The age is what a buyer checks first: a price read months ago may have moved.
    """
    return as_of_text(row.as_of, row.age_days, row.stale)


def as_of_text(as_of: dt.date, age_days: int, stale: bool) -> str:
    """A price's date and age, with ``stale`` after it when it is too old to trust unchecked.

    >>> as_of_text(dt.date(2026, 8, 11), 112, True)
    '2026-08-11 (112 d) stale'
    """
    text = f"{as_of.isoformat()} ({age_days} d)"
    return f"{text} stale" if stale else text


def model_age_text(m: CatalogModel, today: dt.date, stale_days: int = DEFAULT_STALE_DAYS) -> str:
    """One catalog model's as-of date and age on ``today``."""
    return as_of_text(m.entry.as_of, m.age_days(today), is_stale(m.entry, today, stale_days))


def serving_text(serving: Serving | None) -> str:
    """The fixed costs of calling a fine-tune, in a few words.

    >>> serving_text(Serving(mode="hosted", hosting_usd_per_hour=1.7))
    'hosted $1.70/h'
    >>> serving_text(Serving(mode="dedicated", gpu_usd_per_hour=8, gpu_type="H100"))
    'dedicated H100 $8.00/h'
    >>> serving_text(Serving(mode="dedicated", call_price_not_public=True))
    'dedicated, price not public'
    """
    if serving is None:
        return MISSING
    if serving.call_price_not_public and (serving.missing_price or serving.mode == "serverless"):
        return f"{serving.mode}, price not public"
    if serving.mode == "hosted":
        text = f"hosted {money(serving.hosting_usd_per_hour, exact=True)}/h"
    elif serving.mode == "dedicated":
        gpu = f"{serving.gpu_type} " if serving.gpu_type else "GPU "
        text = f"dedicated {gpu}{money(serving.gpu_usd_per_hour, exact=True)}/h"
    else:
        text = "serverless"
    if serving.storage_usd_per_month:
        text += f" + {money(serving.storage_usd_per_month, exact=True)}/mo storage"
    return text


def status_flags(m: CatalogModel, today: dt.date, stale_days: int) -> tuple[str, ...]:
    """Short warnings for one model, judged on ``today``."""
    e = m.entry
    found = ["stale"] if is_stale(e, today, stale_days) else []
    if e.unverified:
        found.append("unverified")
    if e.disputed:
        found.append("disputed")
    if e.promo_until is not None:
        verb = "was promised until" if e.promo_until < today else "until"
        found.append(f"promo {verb} {e.promo_until}")
    life = m.lifecycle
    if life.retires is not None:
        found.append(f"{'retired' if life.retires <= today else 'retires'} {life.retires}")
    if life.training_ends is not None and e.fine_tuning is not None:
        verb = "closed" if life.training_ends <= today else "closes"
        found.append(f"training {verb} {life.training_ends}")
    return tuple(found)


def model_row(
    m: CatalogModel, base: InferencePrices | None, today: dt.date, stale_days: int
) -> ModelRow:
    """Flatten one model with the base prices its fine-tune would replace.

    ``base`` is the model's own inference, or its base model's when the entry
    only sells fine-tuning, so every fine-tunable row shows both sides.
    """
    ft = m.ft_inference
    ft_setup = m.entry.fine_tuning
    training = ft_setup.training if ft_setup else None
    return ModelRow(
        provider=m.provider,
        model=m.model_id,
        key=m.key,
        name=m.entry.name,
        role=m.role,
        base_model=m.base_model_key if m.base_model_key != m.key else None,
        input_usd_per_mtok=base.input_usd_per_mtok if base else None,
        cached_input_usd_per_mtok=base.cached_input_usd_per_mtok if base else None,
        output_usd_per_mtok=base.output_usd_per_mtok if base else None,
        training_usd_per_mtok=training.usd_per_mtok if training else None,
        training_usd_per_hour=training.usd_per_hour if training else None,
        training_price_not_public=bool(training and training.price_not_public),
        ft_input_usd_per_mtok=ft.input_usd_per_mtok if ft else None,
        ft_cached_input_usd_per_mtok=ft.cached_input_usd_per_mtok if ft else None,
        ft_output_usd_per_mtok=ft.output_usd_per_mtok if ft else None,
        ft_serving=serving_text(ft_setup.serving if ft_setup else None),
        as_of=m.entry.as_of,
        source_url=str(m.entry.source_url),
        flags=status_flags(m, today, stale_days),
        availability=m.availability(today),
        next_change=m.next_change(today),
        age_days=m.age_days(today),
        stale=is_stale(m.entry, today, stale_days),
    )


def model_rows(
    catalog: Catalog,
    today: dt.date,
    stale_days: int = DEFAULT_STALE_DAYS,
    provider: str | None = None,
    role: str | None = None,
    buyable_only: bool = False,
    months: int = 0,
) -> list[ModelRow]:
    """The catalog as rows, optionally narrowed to one provider and/or one role.

    ``buyable_only`` keeps what a new customer can buy on ``today`` and keep
    for ``months`` (0: the day itself), each model judged by its role:
    fine-tuning for a fine-tunable entry.
    """
    last_day = add_months(today, months) - dt.timedelta(days=1) if months else today
    return [
        model_row(m, _base_prices(catalog, m), today, stale_days)
        for m in catalog.values()
        if (provider is None or m.provider == provider)
        and (role is None or m.role == role)
        and (not buyable_only or m.buyable_over(today, last_day))
    ]


def _base_prices(catalog: Catalog, m: CatalogModel) -> InferencePrices | None:
    """A model's own base prices, else those of the base model it fine-tunes."""
    if m.inference is None and m.base_model_key is not None:
        return catalog[m.base_model_key].inference
    return m.inference


def training_text(per_mtok: float | None, per_hour: float | None, unpublished: bool = False) -> str:
    """A training price with its unit, since some vendors bill by the hour.

    >>> training_text(0.48, None), training_text(None, 100.0), training_text(None, None, True)
    ('$0.48/1M', '$100.00/h', 'not public')
    """
    if unpublished:
        return "not public"
    if per_mtok is not None:
        return f"{money(per_mtok, exact=True)}/1M"
    if per_hour is not None:
        return f"{money(per_hour, exact=True)}/h"
    return MISSING


_TABLE_HEADER = (
    "PROVIDER",
    "MODEL",
    "ROLE",
    "IN",
    "CACHED",
    "OUT",
    "FT TRAIN",
    "FT IN",
    "FT OUT",
    "FT SERVING",
    "AVAILABLE TO",
    "AS OF (AGE)",
    "FLAGS",
)
_RIGHT_ALIGNED = {"IN", "CACHED", "OUT", "FT TRAIN", "FT IN", "FT OUT"}


def _table_cells(row: ModelRow) -> tuple[str, ...]:
    return (
        row.provider,
        row.model,
        row.role,
        money(row.input_usd_per_mtok, exact=True),
        money(row.cached_input_usd_per_mtok, exact=True),
        money(row.output_usd_per_mtok, exact=True),
        training_text(
            row.training_usd_per_mtok, row.training_usd_per_hour, row.training_price_not_public
        ),
        money(row.ft_input_usd_per_mtok, exact=True),
        money(row.ft_output_usd_per_mtok, exact=True),
        row.ft_serving,
        availability_text(row.availability, row.next_change),
        age_text(row),
        ", ".join(f for f in row.flags if f != "stale") or MISSING,
    )


def format_table(rows: Sequence[ModelRow]) -> str:
    """A fixed-width text table; prices are right-aligned so the decimals line up."""
    lines = [_TABLE_HEADER, *(_table_cells(r) for r in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(_TABLE_HEADER))]
    out = []
    for line in lines:
        cells = [
            cell.rjust(w) if head in _RIGHT_ALIGNED else cell.ljust(w)
            for head, cell, w in zip(_TABLE_HEADER, line, widths, strict=True)
        ]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)


def hidden_line(hidden: int, today: dt.date, months: int = 0) -> str:
    """The footer of a default listing, so a shorter list never reads as the whole catalog.

    >>> hidden_line(2, dt.date(2026, 12, 1))
    '2 more models cannot be bought by a new customer on 2026-12-01; --all-models lists them'
    >>> hidden_line(1, dt.date(2026, 12, 1), 12).split("; ")
    ['1 more model cannot be bought by a new customer on 2026-12-01 and kept for 12 months', \
'--all-models lists it']
    """
    kept = f" and kept for {months} month{'s' * (months != 1)}" if months else ""
    if hidden == 0:
        return f"every model listed can be bought by a new customer on {today}{kept}"
    noun, it = ("model", "it") if hidden == 1 else ("models", "them")
    return (
        f"{hidden} more {noun} cannot be bought by a new customer on {today}{kept}; "
        f"--all-models lists {it}"
    )


def check_lines(result: CheckResult, threshold: float, reference: str, today: dt.date) -> list[str]:
    """``pricing check`` as text: a summary line, then one line per difference.

    >>> from costmodel.prices.freshness import Difference
    >>> r = CheckResult(3, 1, (Difference("a/b", "input_usd_per_mtok", 1.04, 0.88),), ())
    >>> check_lines(r, 0.05, "genai-prices 0.2.3", dt.date(2026, 12, 1))[1]
    'a/b  input price: catalog $1.04, genai-prices $0.88 (+18.2%) NEEDS A REASON'
    """
    source = reference.split()[0]
    lines = [
        f"compared {result.compared} prices of {result.models} models with {reference} "
        f"as of {today}: {len(result.differences)} differ, "
        f"{len(result.unexplained(threshold))} unexplained above {threshold:.0%}"
    ]
    for d in result.differences:
        change = (d.ours - d.theirs) / d.theirs if d.theirs else 1.0
        verdict = (
            f"kept: {' '.join(d.reason.split())}"
            if d.reason
            else ("NEEDS A REASON" if d.relative > threshold else "within the threshold")
        )
        lines.append(
            f"{d.key}  {field_words('inference.' + d.field)}: "
            f"catalog {money(d.ours, exact=True)}, "
            f"{source} {money(d.theirs, exact=True)} ({change:+.1%}) {verdict}"
        )
    lines.extend(
        f"note: the reviewed difference for {k.model} {field_words('inference.' + k.field)} "
        f"({money(k.ours, exact=True)} against {money(k.theirs, exact=True)}) no longer occurs; "
        "remove it from the file"
        for k in result.stale_explanations
    )
    return lines


def check_json(
    result: CheckResult, threshold: float, reference: str, today: dt.date
) -> dict[str, Any]:
    """``pricing check`` as plain JSON types."""
    return {
        "reference": reference,
        "as_of": today.isoformat(),
        "compared": result.compared,
        "models": result.models,
        "threshold": threshold,
        "differences": [
            {
                "model": d.key,
                "field": d.field,
                "catalog": d.ours,
                "reference": d.theirs,
                "relative": d.relative,
                "reason": d.reason,
                "needs_reason": not d.explained and d.relative > threshold,
            }
            for d in result.differences
        ],
        "reviewed_but_gone": [k.model_dump() for k in result.stale_explanations],
    }


def validation_summary(catalog: Catalog, user_files: int) -> str:
    """One line that says what was checked, so a silent success is still informative."""
    models = list(catalog.values())
    tunable = sum(1 for m in models if m.role == "fine-tunable")
    providers = len({m.provider for m in models})
    shipped = len(catalog.sources) - user_files
    files = f"{shipped} shipped file{'s' * (shipped != 1)}"
    if user_files:
        files += f" + {user_files} user file{'s' * (user_files != 1)}"
    return (
        f"pricing OK: {files}; {providers} providers, {len(models)} models "
        f"({len(models) - tunable} base, {tunable} fine-tunable)"
    )


# --- Markdown page ------------------------------------------------------------------------------

_DOC_HEADER = (
    "| Model | Role | In / cached / out | Cache write 5m / 1h | Batch | Training "
    "| FT in / cached / out | FT serving | Availability | As of | Source | Flags |"
)


def _cell(text: str) -> str:
    """Table cells cannot hold pipes or line breaks."""
    return text.replace("|", "\\|").replace("\n", " ")


def _triple(p: InferencePrices | BatchPrices | None) -> str:
    if p is None:
        return MISSING
    prices = (p.input_usd_per_mtok, p.cached_input_usd_per_mtok, p.output_usd_per_mtok)
    return " / ".join(money(v, exact=True) for v in prices)


def _cache_writes(p: InferencePrices | None) -> str:
    if p is None or (p.cache_write_usd_per_mtok is None and p.cache_write_1h_usd_per_mtok is None):
        return MISSING
    five_minutes = money(p.cache_write_usd_per_mtok, exact=True)
    return f"{five_minutes} / {money(p.cache_write_1h_usd_per_mtok, exact=True)}"


def _batch(p: InferencePrices | None) -> str:
    if p is None:
        return MISSING
    if p.batch_discount is not None:
        return f"{p.batch_discount:.0%} off"
    return _triple(p.batch)


def _doc_flags(m: CatalogModel) -> str:
    """Date-free flags: the page must not change when only the calendar does."""
    e = m.entry
    found = [f"unverified: {', '.join(e.unverified)}"] if e.unverified else []
    if e.promo_until is not None:
        found.append(f"promo until {e.promo_until}")
    found.extend(f"disputed: {d.field}" for d in e.disputed)
    return "; ".join(found)


def lifecycle_text(m: CatalogModel) -> str:
    """Who can buy the model, written with dates only, so it never depends on today.

    Each date is the first day on which the change applies.
    """
    life, tunable = m.lifecycle, m.entry.fine_tuning is not None
    parts = []
    if life.released is not None:
        parts.append(f"released {life.released}")
    if tunable and life.training_ends_new_customers is not None:
        parts.append(f"fine-tuning closed to new customers {life.training_ends_new_customers}")
    if life.inference_ends_new_customers is not None:
        parts.append(f"closed to new customers {life.inference_ends_new_customers}")
    if tunable and life.training_ends is not None:
        parts.append(f"training ends {life.training_ends}")
    if life.retires is not None:
        parts.append(f"{'base model ' if tunable else ''}retires {life.retires}")
    if tunable and life.ft_retires is not None and life.ft_retires != life.retires:
        parts.append(f"fine-tuned models retire {life.ft_retires}")
    return "; ".join(parts) or "no end announced"


def _doc_role(m: CatalogModel) -> str:
    if m.base_model_key is None or m.base_model_key == m.key:
        return m.role
    return f"fine-tune of `{m.base_model_key.split('/', 1)[1]}`"


def _doc_row(m: CatalogModel) -> str:
    ft = m.entry.fine_tuning
    training = ft.training if ft else None
    cells = (
        f"`{m.model_id}`",
        _doc_role(m),
        _triple(m.inference),
        _cache_writes(m.inference),
        _batch(m.inference),
        training_text(training.usd_per_mtok, training.usd_per_hour, training.price_not_public)
        if training
        else MISSING,
        _triple(m.ft_inference) if ft else MISSING,
        serving_text(ft.serving) if ft else MISSING,
        lifecycle_text(m),
        m.entry.as_of.isoformat(),
        f"[{m.entry.source_url.host}]({m.entry.source_url})",
        _doc_flags(m),
    )
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _long_context_text(p: InferencePrices) -> Iterable[str]:
    for tier in p.long_context:
        cached = (
            f" / {money(tier.cached_input_usd_per_mtok, exact=True)} cached"
            if tier.cached_input_usd_per_mtok is not None
            else ""
        )
        yield (
            f"above {tier.above_prompt_tokens:,} prompt tokens the request costs "
            f"{money(tier.input_usd_per_mtok, exact=True)} in{cached} / "
            f"{money(tier.output_usd_per_mtok, exact=True)} out"
        )
    for change in p.price_changes:
        cached = money(change.cached_input_usd_per_mtok, exact=True)
        yield (
            f"from {change.starts} the prices are "
            f"{money(change.input_usd_per_mtok, exact=True)} in / "
            f"{cached} cached / {money(change.output_usd_per_mtok, exact=True)} out"
        )
    tiers = [
        f"{name} × {factor:g}"
        for name, factor in (("flex", p.flex_multiplier), ("priority", p.priority_multiplier))
        if factor is not None
    ]
    if tiers:
        yield f"service tiers: {', '.join(tiers)} of the standard prices"
    if p.regional_uplift is not None:
        yield f"data-residency endpoints cost {p.regional_uplift:.0%} more"
    if p.max_prompt_tokens is not None:
        yield f"prompts are limited to {p.max_prompt_tokens:,} tokens"


def _doc_notes(models: Sequence[CatalogModel]) -> list[str]:
    lines = []
    for m in models:
        parts = [m.entry.note.strip()] if m.entry.note else []
        if m.inference is not None:
            parts.extend(s[0].upper() + s[1:] + "." for s in _long_context_text(m.inference))
        if parts:
            lines.append(f"- `{m.model_id}`: {' '.join(parts)}")
    return lines


def _doc_provider(models: Sequence[CatalogModel], notes: Sequence[str]) -> list[str]:
    first = models[0]
    lines = [f"## {first.provider_name} (`{first.provider}`)", ""]
    if notes:
        lines += [f"- {' '.join(n.split())}" for n in notes] + [""]
    lines += [_DOC_HEADER, "|" + "---|" * _DOC_HEADER.count(" | ") + "---|"]
    lines += [_doc_row(m) for m in models]
    model_notes = _doc_notes(models)
    if model_notes:
        lines += ["", "Notes:", "", *model_notes]
    return [*lines, ""]


def render_docs(catalog: Catalog) -> str:
    """The whole catalog as Markdown, one section per provider in alphabetical order."""
    by_provider: dict[str, list[CatalogModel]] = {}
    for m in catalog.values():
        by_provider.setdefault(m.provider, []).append(m)
    lines = [
        "# Pricing catalog",
        "",
        "Generated from `pricing/*.yaml` by `costmodel pricing docs`; do not edit by hand.",
        "Prices are USD per 1M tokens unless marked per hour (/h) or per month (/mo);",
        f"{MISSING} means not offered or not found. Availability lists the dates on which a",
        "model closes to new customers, stops training and retires. Who can buy it today and",
        "the age of each price depend on the day you read this, so they are not shown here:",
        "`costmodel pricing list` shows both, and marks prices read more than",
        f"{DEFAULT_STALE_DAYS} days ago as stale.",
        "",
    ]
    for provider in sorted(by_provider):
        lines += _doc_provider(by_provider[provider], catalog.provider_notes.get(provider, ()))
    return "\n".join(lines)

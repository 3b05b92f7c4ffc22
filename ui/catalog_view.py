"""How catalog models are offered in the model pickers: sorted by provider, priced, flagged.

Each option reads ``Provider · Model — prices · as of date`` with a warning
mark when a figure is unverified, old, promotional, or the model retires or
stops training; the full remark is shown under the picker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from costmodel.prices.catalog import Catalog, CatalogIssue, CatalogModel
from costmodel.report.numbers import money, per_million

FLAGGED_KINDS = (
    "unverified",
    "stale",
    "promo",
    "retired",
    "training-closed",
    "existing-customers",
    "disputed",
    "lifecycle",
)


@dataclass(frozen=True)
class ModelChoices:
    """Options of one model picker: catalog keys, their labels and their remarks."""

    keys: tuple[str, ...]
    labels: dict[str, str]
    flags: dict[str, str] = field(default_factory=dict)
    help: str = ""

    def label(self, key: str) -> str:
        """The option text of ``key``; a model outside the catalog shows its key."""
        return self.labels.get(key, key)


def catalog_choices(catalog: Catalog, today: dt.date) -> tuple[ModelChoices, ModelChoices]:
    """The two pickers: models with base prices (long prompt), fine-tunable models (short)."""
    flags = _flags(catalog.issues(today))

    def choices(models: list[CatalogModel], prices: Callable[[CatalogModel], str], note: str):
        labels = {m.key: _label(m, prices(m), flags) for m in sorted(models, key=_order)}
        return ModelChoices(tuple(labels), labels, flags, note)

    return (
        choices(
            catalog.base_models(),
            _base_prices,
            "Prices are USD per 1M tokens, input / output, with the date they were read.",
        ),
        choices(
            catalog.fine_tunable(),
            _ft_prices,
            "Training price, then the fine-tuned model's input / output prices per 1M tokens.",
        ),
    )


def _order(m: CatalogModel) -> tuple[str, str]:
    """Providers alphabetically, then their models."""
    return (m.provider_name.lower(), m.entry.name.lower())


def _label(m: CatalogModel, prices: str, flags: dict[str, str]) -> str:
    """One option line: provider and model, prices, date and a warning mark."""
    mark = " ⚠" if m.key in flags else ""
    return f"{m.label} — {prices} · as of {m.entry.as_of:%Y-%m-%d}{mark}"


def _base_prices(m: CatalogModel) -> str:
    """Base input and output prices per 1M tokens."""
    p = m.inference
    assert p is not None  # base_models() only lists models with base prices
    return f"{per_million(p.input_usd_per_mtok)} in, {per_million(p.output_usd_per_mtok)} out"


def _ft_prices(m: CatalogModel) -> str:
    """Training price and the fine-tuned model's call prices."""
    ft = m.entry.fine_tuning
    assert ft is not None  # fine_tunable() only lists models with fine-tuning
    t = ft.training
    hourly = f"{money(t.usd_per_hour)} / hour"
    train = per_million(t.usd_per_mtok) if t.usd_per_mtok is not None else hourly
    calls = m.ft_inference
    if calls is None:
        return f"train {train}, served on dedicated GPUs"
    return (
        f"train {train}, calls {per_million(calls.input_usd_per_mtok)} in, "
        f"{per_million(calls.output_usd_per_mtok)} out"
    )


def _flags(issues: Iterable[CatalogIssue]) -> dict[str, str]:
    """One plain remark per model, joining everything a careful user should know."""
    notes: dict[str, list[str]] = {}
    for issue in issues:
        if issue.kind in FLAGGED_KINDS:
            notes.setdefault(issue.key, []).append(issue.message)
    return {k: "; ".join(v) for k, v in notes.items()}

"""Compare the catalog's base-model prices with a maintained price database.

The shipped tables are read by hand from vendors' pages and drift as vendors
change prices. A second, independently maintained database catches that: every
base-model price both cover is compared, and each difference is listed with
both figures. Differences kept on purpose (a dearer reading chosen, a database
known to lag) live in a reviewed file with their reason; anything else above
the threshold needs a look before a number built on it is trusted.

Batch prices are compared where the database gives them (the catalog's printed
batch sheet, or its discount applied to the standard sheet).

The reference database is pydantic's ``genai-prices``, installed as a library,
so the check needs no network. Only :func:`reference_prices` knows its types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from costmodel.errors import PricingError
from costmodel.parsing import MAX_YAML_BYTES, load_yaml, read_text
from costmodel.prices.catalog import Catalog, CatalogModel
from costmodel.prices.schema import InferencePrices, Strict

DEFAULT_THRESHOLD = 0.05
REFERENCE_NAME = "genai-prices"
# Catalog provider → the reference database's provider id. Vertex's Gemini prices are the
# Gemini API list prices, which the catalog assumes Vertex matches. Azure entries are
# deployment tiers of fine-tunes, which the database does not describe.
PROVIDER_IDS = {
    "anthropic": "anthropic",
    "bedrock": "aws",
    "cohere": "cohere",
    "fireworks": "fireworks",
    "mistral": "mistral",
    "openai": "openai",
    "together": "together",
    "vertex": "google",
}
PriceField = Literal[
    "input_usd_per_mtok",
    "cached_input_usd_per_mtok",
    "cache_write_usd_per_mtok",
    "output_usd_per_mtok",
    "batch.input_usd_per_mtok",
    "batch.cached_input_usd_per_mtok",
    "batch.output_usd_per_mtok",
]
PRICE_FIELDS: tuple[PriceField, ...] = (
    "input_usd_per_mtok",
    "cached_input_usd_per_mtok",
    "cache_write_usd_per_mtok",
    "output_usd_per_mtok",
    "batch.input_usd_per_mtok",
    "batch.cached_input_usd_per_mtok",
    "batch.output_usd_per_mtok",
)

# A reference lookup: (provider id, model names to try, day) → its prices per field, or None.
Lookup = Callable[[str, Sequence[str], dt.date], Mapping[PriceField, float] | None]


@dataclass(frozen=True)
class Difference:
    """One price on which the catalog and the reference disagree."""

    key: str
    field: PriceField
    ours: float
    theirs: float
    reason: str | None = None

    @property
    def relative(self) -> float:
        """|ours − theirs| / theirs; a price the reference gives as zero counts as 100 %.

        >>> Difference("a/b", "input_usd_per_mtok", 1.04, 0.88).relative.__round__(4)
        0.1818
        """
        if self.theirs == 0:
            return 0.0 if self.ours == 0 else 1.0
        return abs(self.ours - self.theirs) / self.theirs

    @property
    def explained(self) -> bool:
        return self.reason is not None


@dataclass(frozen=True)
class CheckResult:
    """What the check compared and what it found."""

    compared: int
    models: int
    differences: tuple[Difference, ...]
    stale_explanations: tuple[KnownDifference, ...]

    def unexplained(self, threshold: float = DEFAULT_THRESHOLD) -> list[Difference]:
        """Differences above ``threshold`` with no reviewed reason."""
        return [d for d in self.differences if not d.explained and d.relative > threshold]


class KnownDifference(Strict):
    """A reviewed difference: both figures as they stood, and why ours is kept."""

    model: str
    field: PriceField
    ours: float
    theirs: float
    reason: str = Field(min_length=10)


class KnownDifferences(Strict):
    schema_version: Literal[1] = 1
    reference: str
    differences: tuple[KnownDifference, ...] = ()


def load_known_differences(path: Path) -> tuple[KnownDifference, ...]:
    """The reviewed file; a bad one is one clear error naming the file."""
    text = read_text(path, MAX_YAML_BYTES, PricingError)
    doc = load_yaml(text, str(path), PricingError)
    try:
        return KnownDifferences.model_validate(doc).differences
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PricingError(f"{path}: field {where}: {first['msg']}") from None


def compare(
    catalog: Catalog,
    lookup: Lookup,
    on: dt.date,
    known: Iterable[KnownDifference] = (),
) -> CheckResult:
    """Every base-model price both sides give for ``on``, and where they differ.

    A known difference explains a finding only while both figures are still
    the ones reviewed: when either side moves, the finding is new again.
    """
    reviewed = {(k.model, k.field, k.ours, k.theirs): k for k in known}
    used: set[tuple[str, str, float, float]] = set()
    found: list[Difference] = []
    compared = models = 0
    for m in catalog.values():
        theirs = _reference_for(m, lookup, on)
        if not theirs or m.inference is None:
            continue
        models += 1
        ours = _our_prices(m.inference.on(on))
        for name in PRICE_FIELDS:
            ours_value = ours.get(name)
            their_value = theirs.get(name)
            if ours_value is None or their_value is None:
                continue
            compared += 1
            if _same(ours_value, their_value):
                continue
            k = (m.key, name, ours_value, their_value)
            note = reviewed.get(k)
            if note is not None:
                used.add(k)
            found.append(
                Difference(m.key, name, ours_value, their_value, note.reason if note else None)
            )
    stale = tuple(v for k, v in reviewed.items() if k not in used)
    return CheckResult(compared, models, tuple(found), stale)


def _our_prices(p: InferencePrices) -> dict[PriceField, float]:
    """The standard sheet and the batch sheet (printed, or the discount applied)."""
    found: dict[PriceField, float] = {}
    for name in PRICE_FIELDS[:4]:
        value = getattr(p, name)
        if value is not None:
            found[name] = value
    if p.batch is not None:
        batch = {
            "batch.input_usd_per_mtok": p.batch.input_usd_per_mtok,
            "batch.cached_input_usd_per_mtok": p.batch.cached_input_usd_per_mtok,
            "batch.output_usd_per_mtok": p.batch.output_usd_per_mtok,
        }
    elif p.batch_discount is not None:
        keep = 1 - p.batch_discount
        cached = p.cached_input_usd_per_mtok
        batch = {
            "batch.input_usd_per_mtok": p.input_usd_per_mtok * keep,
            "batch.cached_input_usd_per_mtok": None if cached is None else cached * keep,
            "batch.output_usd_per_mtok": p.output_usd_per_mtok * keep,
        }
    else:
        batch = {}
    found.update({k: v for k, v in batch.items() if v is not None})  # type: ignore[misc]
    return found


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)


def _reference_for(
    m: CatalogModel, lookup: Lookup, on: dt.date
) -> Mapping[PriceField, float] | None:
    provider = PROVIDER_IDS.get(m.provider)
    if provider is None:
        return None
    return lookup(provider, (m.model_id, *m.entry.aliases), on)


# --- the genai-prices adapter ---------------------------------------------------------------------

_GP_FIELDS: Mapping[str, PriceField] = {
    "input_mtok": "input_usd_per_mtok",
    "cache_read_mtok": "cached_input_usd_per_mtok",
    "cache_write_mtok": "cache_write_usd_per_mtok",
    "output_mtok": "output_usd_per_mtok",
}


def reference_prices() -> Lookup:
    """A lookup into the installed genai-prices data (no network is used)."""
    from genai_prices import data  # imported on use: the CLI starts without it

    providers = {p.id: p for p in data.providers}

    def lookup(provider_id: str, names: Sequence[str], on: dt.date) -> Mapping[PriceField, float]:
        provider = providers.get(provider_id)
        model = None
        for name in names if provider is not None else ():
            model = provider.find_model(name)  # type: ignore[union-attr]
            if model is not None:
                break
        if model is None:
            return {}
        when = dt.datetime(on.year, on.month, on.day, 12, tzinfo=dt.UTC)
        found = dict(_gp_fields(model.get_prices(when)))
        batch = model.get_prices(when, {"processing": "batch"})
        if batch != model.get_prices(when):  # the database gives batch rates for this model
            for name, value in _gp_fields(batch):
                if name in (
                    "input_usd_per_mtok",
                    "cached_input_usd_per_mtok",
                    "output_usd_per_mtok",
                ):
                    found[f"batch.{name}"] = value  # type: ignore[index]
        return found

    return lookup


def _gp_fields(price: Any) -> Iterator[tuple[PriceField, float]]:
    """Per-1M prices of one genai-prices sheet; a tiered price counts by its base rate."""
    for gp_name, ours in _GP_FIELDS.items():
        value = getattr(price, gp_name, None)
        value = getattr(value, "base", value)
        if value is not None:
            yield ours, float(value)


def reference_version() -> str:
    """The installed reference database's version, for the report."""
    from importlib.metadata import version

    return f"{REFERENCE_NAME} {version(REFERENCE_NAME)}"

"""The editable price table: the figures of the chosen models, and edits back to overrides.

A scenario's ``price_overrides`` maps a catalog key to a partial model entry
(see :mod:`costmodel.prices.overrides`). The dashboard shows the prices that matter
for the two chosen models as flat rows — one figure per row, with its unit,
the catalog value and whether it is unverified — and turns edited rows back
into that nested form. Only figures that differ from the catalog become
overrides; overrides of other models or other fields are left as they were.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from costmodel.prices.catalog import Catalog, CatalogModel
from costmodel.prices.schema import field_at

PER_MTOK = "USD / 1M tokens"
_INFERENCE_FIELDS = {
    "input_usd_per_mtok": "Input",
    "cached_input_usd_per_mtok": "Cached input",
    "cache_write_usd_per_mtok": "Cache write",
    "output_usd_per_mtok": "Output",
}
_FT_FIELDS = {
    "training.usd_per_mtok": ("Training", PER_MTOK),
    "training.usd_per_hour": ("Training", "USD / hour"),
    "serving.hosting_usd_per_hour": ("Hosting", "USD / hour"),
    "serving.gpu_usd_per_hour": ("Dedicated GPU", "USD / hour"),
    "serving.storage_usd_per_month": ("Storage", "USD / month"),
}


@dataclass(frozen=True)
class PriceRow:
    """One price of one model: where it lives in the entry and what the catalog says."""

    key: str
    model: str
    price: str
    unit: str
    path: str
    catalog_usd: float
    unverified: bool


def price_rows(catalog: Catalog, base_key: str, ft_key: str) -> list[PriceRow]:
    """Rows for the base model's prices and the fine-tuned model's training and serving.

    A fine-tune billed at its base model's per-token prices shows those base
    prices (editing them changes both sides, as it would on the invoice).
    """
    rows: list[PriceRow] = []
    base = catalog.resolve(base_key)
    rows.extend(_inference_rows(base, "inference", ""))
    ft = catalog.resolve(ft_key)
    tuning = ft.entry.fine_tuning
    if tuning is not None:
        rows.extend(_ft_rows(ft))
        if tuning.inference is not None:
            rows.extend(_inference_rows(ft, "fine_tuning.inference", "Fine-tuned "))
        elif ft.base_model_key is not None:
            rows.extend(_inference_rows(catalog[ft.base_model_key], "inference", ""))
    unique: dict[tuple[str, str], PriceRow] = {}
    for row in rows:
        unique.setdefault((row.key, row.path), row)
    return list(unique.values())


def _inference_rows(model: CatalogModel, prefix: str, label: str) -> Iterator[PriceRow]:
    """Rows of one per-token price block."""
    for name, price in _INFERENCE_FIELDS.items():
        yield from _row(model, f"{prefix}.{name}", label + price.lower(), PER_MTOK)


def _ft_rows(model: CatalogModel) -> Iterator[PriceRow]:
    """Rows of training and serving prices."""
    for path, (price, unit) in _FT_FIELDS.items():
        yield from _row(model, f"fine_tuning.{path}", price, unit)


def _row(model: CatalogModel, path: str, price: str, unit: str) -> Iterator[PriceRow]:
    """The row of one figure, if the entry sets it (unset serving fees are left out)."""
    value = field_at(model.entry, path)
    unset_fee = path.startswith("fine_tuning.serving.") and not value
    if isinstance(value, int | float) and not isinstance(value, bool) and not unset_fee:
        flags = model.entry.unverified
        doubtful = any(path == f or path.startswith(f + ".") for f in flags)
        yield PriceRow(
            model.key, model.label, price[:1].upper() + price[1:], unit, path, value, doubtful
        )


def override_value(overrides: Mapping[str, Mapping[str, Any]], row: PriceRow) -> float | None:
    """The user's figure for ``row``, or None when the catalog's applies.

    >>> row = PriceRow("a/m", "M", "Input", PER_MTOK, "inference.input_usd_per_mtok", 2.0, False)
    >>> override_value({"a/m": {"inference": {"input_usd_per_mtok": 1.5}}}, row)
    1.5
    >>> override_value({}, row) is None
    True
    """
    node: Any = overrides.get(row.key)
    for step in row.path.split("."):
        if not isinstance(node, Mapping) or step not in node:
            return None
        node = node[step]
    return float(node) if isinstance(node, int | float) and not isinstance(node, bool) else None


def apply_edits(
    overrides: Mapping[str, Mapping[str, Any]],
    rows: Sequence[PriceRow],
    values: Iterable[float | None],
) -> dict[str, dict[str, Any]]:
    """New overrides: each row's figure replaced by its edited value.

    A value equal to the catalog's (or left empty) removes that override;
    every other override is kept.

    >>> row = PriceRow("a/m", "M", "Input", PER_MTOK, "inference.input_usd_per_mtok", 2.0, False)
    >>> apply_edits({}, [row], [1.5])
    {'a/m': {'inference': {'input_usd_per_mtok': 1.5}}}
    >>> apply_edits({"a/m": {"inference": {"input_usd_per_mtok": 1.5}}}, [row], [2.0])
    {}
    """
    result: dict[str, dict[str, Any]] = copy.deepcopy({k: dict(v) for k, v in overrides.items()})
    for row, value in zip(rows, values, strict=True):
        entry = result.setdefault(row.key, {})
        _remove(entry, row.path.split("."))
        if value is not None and value != row.catalog_usd:
            _set(entry, row.path.split("."), float(value))
        if not entry:
            del result[row.key]
    return result


def _remove(node: dict[str, Any], steps: list[str]) -> None:
    """Delete the value at ``steps`` and any mapping it leaves empty."""
    head, rest = steps[0], steps[1:]
    if head not in node:
        return
    if rest and isinstance(node[head], dict):
        _remove(node[head], rest)
        if not node[head]:
            del node[head]
    elif not rest:
        del node[head]


def _set(node: dict[str, Any], steps: list[str], value: float) -> None:
    """Set the value at ``steps``, creating mappings on the way."""
    for step in steps[:-1]:
        node = node.setdefault(step, {})
    node[steps[-1]] = value

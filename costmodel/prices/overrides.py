"""Layer a scenario's price overrides over an already-loaded catalog.

An override is a partial model entry keyed by catalog key
(``provider/model_id``): it is deep-merged into the entry and the result is
validated with the same strict schema as the shipped tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from costmodel.errors import PricingError
from costmodel.prices.catalog import Catalog, assemble
from costmodel.prices.layering import layer
from costmodel.prices.schema import ModelEntry, PricingFile
from costmodel.suggest import plain_message


def with_overrides(catalog: Catalog, overrides: Mapping[str, Mapping[str, Any]]) -> Catalog:
    """A new catalog whose entries carry ``overrides``; the original is untouched."""
    if not overrides:
        return catalog
    providers: dict[str, dict[str, Any]] = {}
    for model in catalog.values():
        slot = providers.setdefault(
            model.provider, {"provider": model.provider, "provider_name": model.provider_name}
        )
        slot.setdefault("models", {})[model.model_id] = model.entry
    origins = {(m.provider, m.model_id): m.origin for m in catalog.values()}
    for key, fields in overrides.items():
        model = catalog.resolve(key)
        raw = layer(model.entry.model_dump(mode="json", exclude_unset=True), fields)
        try:
            entry = ModelEntry.model_validate(raw)
        except ValidationError as exc:
            problems = "; ".join(
                f"field {'.'.join(map(str, e['loc']))}: {plain_message(e, ModelEntry)}"
                for e in exc.errors()
            )
            raise PricingError(f"price override for {model.key}: {problems}") from None
        providers[model.provider]["models"][model.model_id] = entry
        origins[(model.provider, model.model_id)] = f"{model.origin} + price override"
    files = {p: PricingFile.model_validate(doc) for p, doc in providers.items()}
    return assemble(files, origins, (*catalog.sources, "price overrides"))

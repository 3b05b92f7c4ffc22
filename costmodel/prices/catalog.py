"""Load ``pricing/*.yaml`` into one immutable, validated catalog.

Users may layer their own files on top: a model id that already exists is
deep-merged field by field (so a file can change one price), a new id is
added. Every error names the file, the model and the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import ValidationError

from costmodel.errors import PricingError
from costmodel.parsing import MAX_YAML_BYTES, decode_text, load_yaml, read_text
from costmodel.prices import DEFAULT_STALE_DAYS
from costmodel.prices import availability as _availability
from costmodel.prices.availability import Availability, Use
from costmodel.prices.layering import layer
from costmodel.prices.schema import (
    InferencePrices,
    Lifecycle,
    ModelEntry,
    PricingFile,
    field_words,
)
from costmodel.suggest import did_you_mean, plain_message


def default_pricing_dir() -> Path:
    """The shipped tables: inside the wheel, or ``pricing/`` beside the package."""
    package = Path(__file__).resolve().parent.parent
    bundled = package / "_pricing"
    return bundled if bundled.is_dir() else package.parent / "pricing"


@dataclass(frozen=True)
class CatalogModel:
    """A model with its provider, its origin and its resolved prices."""

    key: str
    provider: str
    provider_name: str
    model_id: str
    entry: ModelEntry
    origin: str
    base_model_key: str | None = None
    ft_inference: InferencePrices | None = None
    inherited_lifecycle: Lifecycle | None = None

    @property
    def role(self) -> str:
        return self.entry.role

    @property
    def lifecycle(self) -> Lifecycle:
        """The entry's dates, with those of the base model it runs on filled in.

        A fine-tune served on its base model's shared endpoint (serverless LoRA,
        Azure's Developer tier) stops when that model does; one on dedicated
        GPUs runs the weights itself and keeps only its own dates.
        """
        return self.inherited_lifecycle or self.entry.lifecycle

    @property
    def inference(self) -> InferencePrices | None:
        """Prices when this model is prompted as a base model."""
        return self.entry.inference

    @property
    def label(self) -> str:
        return f"{self.provider_name} · {self.entry.name}"

    def availability(self, on: dt.date, use: Use | None = None) -> Availability:
        """Who can buy it on ``on``: ``available``, ``existing-customers``,
        ``training-closed``, ``retired`` or ``not-released``.

        ``use`` is ``prompt`` (call it as sold) or ``fine-tune``; by default a
        fine-tunable entry is judged as a fine-tune, any other as a prompt.
        """
        return _availability.availability(self.lifecycle, on, use or self.default_use)

    def buyable_over(self, start: dt.date, end: dt.date, use: Use | None = None) -> bool:
        """True when a new customer can buy it on ``start`` and nothing closes by ``end``."""
        return _availability.buyable_over(self.lifecycle, start, end, use or self.default_use)

    def next_change(
        self, on: dt.date, use: Use | None = None
    ) -> tuple[dt.date, Availability] | None:
        """The next date after ``on`` when it becomes less available, and what it becomes."""
        return _availability.next_change(self.lifecycle, on, use or self.default_use)

    @property
    def default_use(self) -> Use:
        return _availability.default_use(self.entry)

    def age_days(self, today: dt.date) -> int:
        """Days since the entry's prices were read (its ``as_of``)."""
        return (today - self.entry.as_of).days


@dataclass(frozen=True)
class CatalogIssue:
    """A non-fatal remark about an entry: stale, unverified, retiring, odd."""

    key: str
    kind: str
    message: str


@dataclass(frozen=True)
class Catalog(Mapping[str, CatalogModel]):
    """Immutable mapping ``provider/model_id`` → :class:`CatalogModel`.

    ``provider_notes`` keeps each provider file's ``notes`` (billing rules that
    belong to no single model) for listings and the generated docs.
    """

    models: Mapping[str, CatalogModel]
    sources: tuple[str, ...] = ()
    _names: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    provider_notes: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def __getitem__(self, key: str) -> CatalogModel:
        return self.models[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.models)

    def __len__(self) -> int:
        return len(self.models)

    def resolve(self, name: str) -> CatalogModel:
        """Find a model by ``provider/id``, bare id or alias; ambiguity is an error."""
        if name in self.models:
            return self.models[name]
        keys = self._names.get(name.lower(), ())
        if len(keys) == 1:
            return self.models[keys[0]]
        if keys:
            raise PricingError(f"model {name!r} is ambiguous; use one of: {', '.join(keys)}")
        # A provider/id is matched against provider/ids, a bare name against ids and aliases.
        known = self.models if "/" in name else self._names
        raise PricingError(
            f"model {name!r} is not in the pricing catalog{did_you_mean(name, known)}"
        )

    def base_models(self) -> list[CatalogModel]:
        """Models that can be prompted with a long prompt (they have base prices)."""
        return [m for m in self.models.values() if m.inference is not None]

    def fine_tunable(self) -> list[CatalogModel]:
        return [m for m in self.models.values() if m.entry.fine_tuning is not None]

    def buyable(
        self, start: dt.date, end: dt.date | None = None, use: Use | None = None
    ) -> list[CatalogModel]:
        """Models a new customer can buy on ``start`` and keep through ``end`` (default ``start``).

        ``use`` narrows to models usable that way (``prompt`` needs base prices,
        ``fine-tune`` needs fine-tuning); by default each model is judged by its role.
        """
        end = end or start
        chosen = []
        for m in self.models.values():
            if use == "prompt" and m.inference is None:
                continue
            if use == "fine-tune" and m.entry.fine_tuning is None:
                continue
            if m.buyable_over(start, end, use):
                chosen.append(m)
        return chosen

    def issues(
        self, today: dt.date | None = None, stale_days: int = DEFAULT_STALE_DAYS
    ) -> list[CatalogIssue]:
        """Remarks a careful user should see before trusting a figure."""
        today = today or dt.date.today()
        found: list[CatalogIssue] = []
        for m in self.models.values():
            base = self.models[m.base_model_key].inference if m.base_model_key else None
            found.extend(_entry_issues(m, today, stale_days))
            found.extend(_odd_prices(m, base))
        for name, keys in sorted(self._names.items()):
            if len(keys) > 1:
                found.append(
                    CatalogIssue(keys[0], "ambiguous", f"name {name!r} matches {', '.join(keys)}")
                )
        return found


def is_stale(entry: ModelEntry, today: dt.date, stale_days: int = DEFAULT_STALE_DAYS) -> bool:
    """Prices read more than ``stale_days`` ago may have changed since."""
    return (today - entry.as_of).days > stale_days


def _entry_issues(m: CatalogModel, today: dt.date, stale_days: int) -> Iterator[CatalogIssue]:
    """Date-dependent remarks: age, unverified figures, promotions, shutdowns."""
    e = m.entry
    if is_stale(e, today, stale_days):
        age = (today - e.as_of).days
        yield CatalogIssue(m.key, "stale", f"prices are {age} days old (as of {e.as_of})")
    if e.as_of > today:
        yield CatalogIssue(m.key, "odd", f"as_of {e.as_of} is in the future")
    if e.unverified:
        words = ", ".join(field_words(path) for path in e.unverified)
        yield CatalogIssue(m.key, "unverified", f"unverified: {words}")
    if e.promo_until is not None:
        state = "was promised only until" if e.promo_until < today else "runs until at least"
        yield CatalogIssue(
            m.key, "promo", f"promotional price {state} {e.promo_until}; check the current price"
        )
    life = m.lifecycle
    events = [
        ("retired", "retired on", "retires", life.retires),
        ("training-closed", "fine-tuning closed on", "fine-tuning closes", life.training_ends),
    ]
    if life.ft_retires != life.retires:
        events.append(
            ("retired", "fine-tuned models retired on", "fine-tuned models retire", life.ft_retires)
        )
    if e.fine_tuning is not None:
        events.append(
            (
                "existing-customers",
                "fine-tuning closed to new customers on",
                "fine-tuning closes to new customers",
                life.training_ends_new_customers,
            )
        )
    events.append(
        (
            "existing-customers",
            "closed to new customers on",
            "closes to new customers",
            life.inference_ends_new_customers,
        )
    )
    for kind, past, future, date in events:
        if date is not None and date <= today:
            yield CatalogIssue(m.key, kind, f"{past} {date}")
        elif date is not None:
            yield CatalogIssue(m.key, "lifecycle", f"{future} {date}")
    last_call = life.ft_retires or life.retires
    if life.training_ends and last_call and life.training_ends > last_call:
        yield CatalogIssue(m.key, "odd", "training_ends is after the model retires")
    for d in e.disputed:
        yield CatalogIssue(
            m.key,
            "disputed",
            f"{field_words(d.field)}: {d.source} ({d.as_of}) gives {d.other_value}",
        )


def _odd_prices(m: CatalogModel, base: InferencePrices | None) -> Iterator[CatalogIssue]:
    """Legal but suspicious figures, usually a swapped or mistyped column."""
    ft = m.ft_inference
    own_ft = None if ft is base else ft  # inherited base prices were checked as base
    for label, prices in (("base", m.inference), ("fine-tuned", own_ft)):
        if prices is not None:
            for problem in _price_oddities(prices):
                yield CatalogIssue(m.key, "odd", f"{label} prices: {problem}")
    if ft is not None and base is not None and ft.input_usd_per_mtok < base.input_usd_per_mtok:
        yield CatalogIssue(m.key, "odd", "fine-tuned input price is below the base price")


def _price_oddities(p: InferencePrices) -> Iterator[str]:
    """What in one price block looks like a typo, in plain words."""
    if p.output_usd_per_mtok < p.input_usd_per_mtok:
        yield "output is cheaper than input (columns swapped?)"
    for name in ("cache_write_usd_per_mtok", "cache_write_1h_usd_per_mtok"):
        write = getattr(p, name)
        if write is not None and write < p.input_usd_per_mtok:
            yield f"{name} is below the input price"
    if p.batch is not None and (
        p.batch.input_usd_per_mtok > p.input_usd_per_mtok
        or p.batch.output_usd_per_mtok > p.output_usd_per_mtok
    ):
        yield "batch prices are above the standard prices"
    for tier in p.long_context:
        if tier.input_usd_per_mtok < p.input_usd_per_mtok:
            yield f"long-context tier above {tier.above_prompt_tokens} tokens is cheaper"


def load_catalog(
    paths: Iterable[Path] | None = None,
    overrides: Sequence[Path] = (),
    uploads: Sequence[tuple[str, str | bytes]] = (),
) -> Catalog:
    """Load pricing files (default: the shipped ones), then layer user prices.

    ``paths`` and ``overrides`` may name files or folders of ``*.yaml`` files;
    ``uploads`` are ``(name, text or bytes)`` pairs, e.g. a file uploaded in the
    dashboard. An override that sets a figure listed in ``unverified`` clears
    that flag: the user has vouched for the number.
    """
    base_files = expand_paths(list(paths) if paths is not None else [default_pricing_dir()])
    raw: dict[str, dict[str, Any]] = {}
    origins: dict[tuple[str, str], str] = {}
    for path in base_files:
        doc = _read_yaml(path)
        provider = _provider_of(doc, str(path))
        if provider in raw:
            raise PricingError(f"{path}: provider {provider!r} is defined twice")
        raw[provider] = doc
        origins[(provider, "")] = str(path)
        for model_id in _models_of(doc, str(path)):
            origins[(provider, model_id)] = str(path)
    layers = [(str(p), _read_yaml(p)) for p in expand_paths(overrides)]
    layers += [(name, _parse_yaml(_decode(data, name), name)) for name, data in uploads]
    for name, doc in layers:
        _apply_override(raw, origins, doc, name)
    files = {p: _validate(doc, origins, p) for p, doc in raw.items()}
    sources = tuple(str(p) for p in base_files) + tuple(name for name, _ in layers)
    return assemble(files, origins, sources)


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """The pricing files behind ``paths``: files as given, folders as their ``*.yaml``."""
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files.extend(sorted(p.glob("*.yaml")) + sorted(p.glob("*.yml")))
        elif p.is_file():
            files.append(p)
        else:
            raise PricingError(f"{p}: no such pricing file or folder")
    return files


def _read_yaml(path: Path) -> dict[str, Any]:
    return _parse_yaml(read_text(path, MAX_YAML_BYTES, PricingError), str(path))


def _decode(data: str | bytes, name: str) -> str:
    """Uploads arrive as bytes; a binary or Latin-1 file must fail with its name."""
    return data if isinstance(data, str) else decode_text(data, name, PricingError)


def _parse_yaml(text: str, name: str) -> dict[str, Any]:
    """Parse one file into a mapping, within :mod:`costmodel.parsing`'s limits."""
    doc = load_yaml(text, name, PricingError)
    if doc is None:
        raise PricingError(f"{name}: the file is empty; expected 'provider' and 'models'")
    if not isinstance(doc, dict):
        raise PricingError(
            f"{name}: expected a mapping with 'provider' and 'models', found a {type(doc).__name__}"
        )
    return doc


def _provider_of(doc: Mapping[str, Any], name: str) -> str:
    provider = doc.get("provider")
    if not isinstance(provider, str) or not provider:
        raise PricingError(f"{name}: field 'provider' is missing")
    return provider


def _models_of(doc: Mapping[str, Any], name: str) -> dict[str, Any]:
    models = doc.get("models") or {}
    if not isinstance(models, dict):
        raise PricingError(f"{name}: field 'models' must be a mapping of model id to prices")
    return models


def _apply_override(
    raw: dict[str, dict[str, Any]],
    origins: dict[tuple[str, str], str],
    doc: dict[str, Any],
    name: str,
) -> None:
    provider = _provider_of(doc, name)
    models = _models_of(doc, name)
    unknown = sorted(set(doc) - set(PricingFile.model_fields), key=str)
    if unknown:
        allowed = ", ".join(PricingFile.model_fields)
        raise PricingError(f"{name}: unknown key {unknown[0]!r}; a pricing file has {allowed}")
    if provider not in raw:
        raw[provider] = doc
        origins[(provider, "")] = name
        for model_id in models:
            origins[(provider, model_id)] = name
        return
    target = raw[provider]
    target_models = dict(target.get("models") or {})
    for model_id, fields in models.items():
        old = target_models.get(model_id)
        if isinstance(old, dict) and isinstance(fields, Mapping):
            target_models[model_id] = layer(old, fields)
            origins[(provider, model_id)] += f" + {name}"
        else:
            target_models[model_id] = fields
            origins[(provider, model_id)] = name
    raw[provider] = {**target, "models": target_models}


def _validate(
    doc: dict[str, Any], origins: Mapping[tuple[str, str], str], provider: str
) -> PricingFile:
    try:
        return PricingFile.model_validate(doc)
    except ValidationError as exc:
        raise PricingError(_describe(exc, doc, origins, provider)) from None


def _describe(
    exc: ValidationError,
    doc: Mapping[str, Any],
    origins: Mapping[tuple[str, str], str],
    provider: str,
) -> str:
    """One line per problem: ``file: model X: field a.b: message``."""
    lines = []
    for err in exc.errors():
        loc = [str(part) for part in err["loc"]]
        msg = plain_message(err, PricingFile)
        if len(loc) >= 2 and loc[0] == "models":
            model_id, fields = loc[1], ".".join(loc[2:]) or "(entry)"
            origin = origins.get((provider, model_id), provider)
            lines.append(f"{origin}: model {model_id}: field {fields}: {msg}")
        else:
            origin = origins.get((provider, ""), provider)
            lines.append(f"{origin}: field {'.'.join(loc) or '(file)'}: {msg}")
    return "; ".join(lines)


def assemble(
    files: Mapping[str, PricingFile],
    origins: Mapping[tuple[str, str], str],
    sources: tuple[str, ...],
) -> Catalog:
    """The catalog of validated pricing files: keys, names, base models and inherited prices.

    ``origins`` names the file each provider and model came from, for error
    messages and the price list.
    """
    entries: dict[str, tuple[PricingFile, str, ModelEntry]] = {}
    for provider, pf in files.items():
        for model_id, entry in pf.models.items():
            entries[f"{provider}/{model_id}"] = (pf, model_id, entry)
    names: dict[str, list[str]] = {}
    for key, (_, model_id, entry) in entries.items():
        for name in {model_id, *entry.aliases}:
            names.setdefault(name.lower(), []).append(key)
    models: dict[str, CatalogModel] = {}
    for key, (pf, model_id, entry) in entries.items():
        origin = origins.get((pf.provider, model_id), pf.provider)
        base_key = _base_key(key, pf.provider, entry, entries, origin)
        models[key] = CatalogModel(
            key=key,
            provider=pf.provider,
            provider_name=pf.provider_name,
            model_id=model_id,
            entry=entry,
            origin=origin,
            base_model_key=base_key,
            ft_inference=_ft_inference(entry, base_key, entries),
            inherited_lifecycle=_inherited_lifecycle(entry, key, base_key, entries),
        )
    return Catalog(
        models=MappingProxyType(models),
        sources=sources,
        _names=MappingProxyType({k: tuple(v) for k, v in names.items()}),
        provider_notes=MappingProxyType({p: pf.notes for p, pf in files.items()}),
    )


def _base_key(
    key: str,
    provider: str,
    entry: ModelEntry,
    entries: Mapping[str, tuple[PricingFile, str, ModelEntry]],
    origin: str,
) -> str | None:
    ft = entry.fine_tuning
    if ft is None:
        return None
    if ft.base_model is None:
        if entry.inference is None:
            raise PricingError(
                f"{origin}: model {key.split('/', 1)[1]}: field fine_tuning.base_model: "
                "needed because the model has no base inference prices"
            )
        return key
    ref = ft.base_model if "/" in ft.base_model else f"{provider}/{ft.base_model}"
    target = entries.get(ref)
    if target is None or target[2].inference is None:
        raise PricingError(
            f"{origin}: model {key.split('/', 1)[1]}: field fine_tuning.base_model: "
            f"{ft.base_model!r} is not a catalog model with base inference prices"
        )
    return ref


def _ft_inference(
    entry: ModelEntry,
    base_key: str | None,
    entries: Mapping[str, tuple[PricingFile, str, ModelEntry]],
) -> InferencePrices | None:
    ft = entry.fine_tuning
    if ft is None:
        return None
    if ft.inference is not None:
        return ft.inference
    if ft.inference_same_as_base and base_key is not None:
        return entries[base_key][2].inference
    return None


def _inherited_lifecycle(
    entry: ModelEntry,
    key: str,
    base_key: str | None,
    entries: Mapping[str, tuple[PricingFile, str, ModelEntry]],
) -> Lifecycle | None:
    """Own dates, with the base model's filling the gaps when the fine-tune runs on it.

    Only a fine-tune that is not on dedicated GPUs depends on its base model's
    endpoint; None means the entry's own lifecycle stands alone.
    """
    ft = entry.fine_tuning
    if ft is None or base_key is None or base_key == key or ft.serving.mode == "dedicated":
        return None
    own = entry.lifecycle.model_dump(exclude_none=True)
    base = entries[base_key][2].lifecycle.model_dump(exclude_none=True)
    merged = {**base, **own}
    return None if merged == own else Lifecycle.model_validate(merged)

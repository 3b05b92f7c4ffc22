"""Where the figures come from, in one line under the verdict.

Each part names an input the figures use right now: the sample file (or
that the token figures were typed or edited), the tokenizer, the training
file, the prices (catalog date, the user's pricing file, edited prices) and
the start of the horizon. A part is "demo" only while the demo's own value is
in use, so nothing on screen claims a file the figures no longer follow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from costmodel.engine.evaluate import ScenarioResult
from costmodel.report.numbers import count
from ui.state import DEMO_GROUPS, DEMO_VALUES
from ui.uploads import (
    PRICING,
    SAMPLES,
    SHORT_SAMPLES,
    TRAINING,
    Outcome,
    sample_prefill,
    short_prefill,
    training_prefill,
)


def parts(state: Mapping[str, Any], result: ScenarioResult) -> list[str]:
    """``["Tokens: …", "Training: …", "Prices: …", "From …"]``, plain text, the empty ones left out.

    Short, so the line under the verdict holds them all on a wide screen:
    ``Tokens: support_prompts.jsonl (demo, 240 records, o200k_base) · Training: demo plan ·
    Prices: catalog as of 2026-10-07–2026-11-01 · From 2026-12-01, 12 months``.
    """
    found = [_tokens(state), _short(state), _training(state, result), _prices(state, result)]
    h = result.horizon
    found.append(f"From {h.start:%Y-%m-%d}, {count(h.months)} month{'s' if h.months != 1 else ''}")
    return [p for p in found if p]


def overrides_count(overrides: Mapping[str, Any]) -> int:
    """How many single prices the scenario sets over the catalog.

    >>> overrides_count({"a/b": {"inference": {"input_usd_per_mtok": 1, "output_usd_per_mtok": 2}},
    ...                  "c/d": {"fine_tuning": {"training": {"usd_per_mtok": 3}}}})
    3
    """
    return sum(overrides_count(v) if isinstance(v, Mapping) else 1 for v in overrides.values())


def _follows(state: Mapping[str, Any], values: Mapping[str, float]) -> bool:
    """Whether every control a file filled still holds the file's figure."""
    return bool(values) and all(state.get(k) == v for k, v in values.items())


def _tokens(state: Mapping[str, Any]) -> str:
    outcome: Outcome | None = state.get(SAMPLES)
    if outcome is None or outcome.problem:
        return "Tokens: typed in the sidebar"
    stats = outcome.value
    demo = "demo, " if outcome.demo else ""
    counted = f"{outcome.name} ({demo}{count(stats.records)} records, {stats.encoding})"
    if _follows(state, sample_prefill(stats, state)):
        return f"Tokens: {counted}"
    return f"Tokens: edited after counting {counted}"


def _short(state: Mapping[str, Any]) -> str:
    outcome: Outcome | None = state.get(SHORT_SAMPLES)
    if outcome is None or outcome.problem:
        return ""
    counted = f"{outcome.name} ({count(outcome.value.records)} records)"
    if _follows(state, short_prefill(outcome.value, state)):
        return f"Short prompts: {counted}"
    return f"Short prompts: edited after counting {counted}"


def _training(state: Mapping[str, Any], result: ScenarioResult) -> str:
    if not any(s.kind == "fine-tuned" for s in result.strategies):
        return ""
    outcome: Outcome | None = state.get(TRAINING)
    if outcome is None or outcome.problem:
        if _still_demo(state, "training plan"):
            return "Training: demo plan"
        return "Training: plan in the sidebar"
    figures = training_prefill(outcome.value, state)
    if _follows(state, figures):
        return f"Training: {outcome.name} ({count(outcome.value.examples)} examples)"
    return f"Training: edited after checking {outcome.name}"


def _prices(state: Mapping[str, Any], result: ScenarioResult) -> str:
    dates = sorted({result.catalog[s.model_key].entry.as_of for s in _priced(result)})
    source = "catalog"
    upload: Outcome | None = state.get(PRICING)
    if upload is not None and not upload.problem:
        source = f"catalog with {upload.name}"
    text = f"Prices: {source}"
    if dates:
        text += f" as of {dates[0]:%Y-%m-%d}"
        if dates[-1] != dates[0]:
            text += f"–{dates[-1]:%Y-%m-%d}"
    edited = overrides_count(result.scenario.price_overrides)
    if edited:
        text += f", ✎ {count(edited)} price{'s' if edited != 1 else ''} set by you"
    return text


def demo_leftovers(state: Mapping[str, Any]) -> str:
    """A warning when the user's files sit next to figures still taken from the demo.

    Empty while no file of the user's is in use, or when nothing of the demo is left.
    """
    samples: Outcome | None = state.get(SAMPLES)
    training: Outcome | None = state.get(TRAINING)
    short: Outcome | None = state.get(SHORT_SAMPLES)
    files = (samples, short, training)
    mine = [o.name for o in files if o is not None and not o.demo and not o.problem]
    if not mine:
        return ""
    left = [group for group in DEMO_GROUPS if _still_demo(state, group)]
    if not left:
        return ""
    return (
        f"Next to your {' and '.join(mine)}, these figures are still the demo's: "
        f"{', '.join(left)}. Set them in the sidebar or upload a file that has them."
    )


def _still_demo(state: Mapping[str, Any], group: str) -> bool:
    demo = state.get(DEMO_VALUES)
    return demo is not None and all(state.get(k) == demo[k] for k in DEMO_GROUPS[group])


def _priced(result: ScenarioResult) -> Sequence[Any]:
    return [s for s in result.strategies if s.model_key in result.catalog]

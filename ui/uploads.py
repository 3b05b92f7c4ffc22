"""Uploads: sample prompts, a training file and a pricing file, each from (bytes, name).

The reading functions take the file's bytes and name, so tests call them
directly; the ``render_*`` functions put an uploader on screen and store only
derived figures (token statistics, a training estimate, a catalog) in this
session's state, keyed by a digest of the bytes, so a file is read once and
never shared with another session. Problems are shown in plain words beside
the uploader; the dashboard keeps working with the previous figures.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import streamlit as st

from costmodel.engine.training import TrainingEstimate, estimate_from_file, training_figures
from costmodel.errors import CostModelError, ScenarioError
from costmodel.prices.catalog import Catalog, load_catalog
from costmodel.scenario import Scenario, parse_scenario
from costmodel.tokens.figures import RequestTokens, counted_from, progress_share, sample_figures
from costmodel.tokens.stats import TokenStats, token_stats
from costmodel.tokens.tokenizers import tokenizer_for
from ui.results import md
from ui.state import (
    IDS,
    SAMPLES,
    SHORT_SAMPLES,
    STRATEGIES,
    TRAINING,
    attach_training_file,
    forget_samples,
    key,
    set_tokens,
)

PRICING = "_pricing"
SAMPLE_TYPES = ["csv", "tsv", "jsonl", "ndjson", "json", "txt"]

State = MutableMapping[str, Any]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Outcome:
    """What became of one uploaded file: its digest, and the figures or the problem."""

    name: str
    digest: str
    value: Any = None
    problem: str = ""
    demo: bool = False

    @property
    def reason(self) -> str:
        """The problem without the file's name in front, for a sentence that names it already.

        >>> Outcome("a.csv", "", problem="a.csv: not UTF-8 text").reason
        'not UTF-8 text'
        """
        return self.problem.removeprefix(f"{self.name}: ")


def file_digest(data: bytes) -> str:
    """Identity of an upload's content (the same file uploaded twice is read once)."""
    return hashlib.sha256(data).hexdigest()


def refused_key(slot: str) -> str:
    """Where a refused file of upload ``slot`` is kept, apart from the file still in use."""
    return f"{slot}_refused"


def refused(state: Mapping[str, Any], slot: str) -> Outcome | None:
    """The file of ``slot`` that could not be used, while it is still in its uploader."""
    return state.get(refused_key(slot))


def _keep(state: State, slot: str, outcome: Outcome) -> Outcome:
    """Keep a checked upload: a usable one becomes the slot's file; a refused one is kept
    apart, so the file in use, and every figure it filled, stays until a usable one comes."""
    if outcome.problem:
        state[refused_key(slot)] = outcome
    else:
        state.pop(refused_key(slot), None)
        state[slot] = outcome
    return outcome


def _uploader_holds(state: State, slot: str, digest: str | None) -> bool:
    """Forget a refusal once its file left the uploader; whether ``digest`` was checked before.

    ``digest`` is the uploader's file (None: empty). Bytes already kept or
    refused are not checked again on a later rerun.
    """
    refusal = refused(state, slot)
    if refusal is not None and refusal.digest != digest:
        state.pop(refused_key(slot))
        refusal = None
    kept: Outcome | None = state.get(slot)
    return digest is not None and digest in {o.digest for o in (kept, refusal) if o is not None}


def show_refusal(state: Mapping[str, Any], slot: str, failed: str, kept: str) -> None:
    """The refused file of ``slot``, if any: ``failed`` (naming it as ``{name}``), why, and
    ``kept``, what is still in use: "{name} could not be counted: why. So kept."."""
    refusal = refused(state, slot)
    if refusal is not None:
        said = failed.format(name=refusal.name)
        st.error(md(f"{said}: {refusal.reason}. So {kept}."))


def _check_new(
    state: State, slot: str, upload: Any, check: Callable[[bytes, str], Any]
) -> Outcome | None:
    """Check an upload ``slot`` has not seen yet (same bytes, same digest) and keep the outcome.

    Returns the new outcome, or None when these bytes were already checked (or
    the uploader is empty), so a caller fills its widgets once per file and
    never on a later rerun.
    """
    if upload is None:
        _uploader_holds(state, slot, None)
        return None
    data = upload.getvalue()
    digest = file_digest(data)
    if _uploader_holds(state, slot, digest):
        return None
    try:
        outcome = Outcome(upload.name, digest, check(data, upload.name))
    except CostModelError as exc:
        outcome = Outcome(upload.name, digest, problem=str(exc))
    return _keep(state, slot, outcome)


def read_scenario(data: bytes, name: str) -> Scenario:
    """A scenario YAML file, strictly validated."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioError(f"{name}: not UTF-8 text") from None
    return parse_scenario(text, name)


def count_samples(
    data: bytes, name: str, model_id: str, progress: Progress | None = None
) -> TokenStats:
    """Exact token statistics of a sample-prompt file, with the model's tokenizer."""
    return token_stats((data, name), model=model_id, progress=progress)


def sample_prefill(stats: TokenStats, state: Mapping[str, Any]) -> dict[str, float]:
    """Widget values the sample file fills in (columns it lacks are left alone).

    Every prompt strategy takes the long prompt, every fine-tuned one the
    short prompt, and all of them the output length.
    """
    figures = sample_figures(stats)
    values: dict[str, float] = {}
    for sid, kind in strategy_kinds(state):
        if kind == "prompt":
            values[key(sid, "prompt_tokens")] = figures.long_prompt
            values[key(sid, "prefix_tokens")] = figures.cacheable_prefix
        elif figures.short_prompt is not None:
            values[key(sid, "prompt_tokens")] = figures.short_prompt
            values[key(sid, "prefix_tokens")] = 0.0
        if figures.output is not None:
            values[key(sid, "output_tokens")] = figures.output
    return values


def strategy_kinds(state: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Each strategy's widget id and kind."""
    return [(sid, s["kind"]) for sid, s in zip(state[IDS], state[STRATEGIES], strict=True)]


def check_training(data: bytes, name: str, model_id: str) -> TrainingEstimate:
    """Check a chat JSONL training file and count its billed tokens; errors name the file."""
    encoding = tokenizer_for(model_id).encoding
    stream = io.BytesIO(data)
    stream.name = name
    return estimate_from_file(stream, encoding, "auto", None)


def training_prefill(estimate: TrainingEstimate, state: Mapping[str, Any]) -> dict[str, int]:
    """Widget values a training file fills in, for every fine-tuned strategy; nothing when
    it has no usable example."""
    if not estimate.examples:
        return {}
    figures = training_figures(estimate)
    values: dict[str, int] = {}
    for sid, kind in strategy_kinds(state):
        if kind == "fine-tuned":
            values[key(sid, "examples")] = figures.examples
            values[key(sid, "tokens_per_example")] = figures.tokens_per_example
    return values


def catalog_with_upload(data: bytes, name: str) -> Catalog:
    """The shipped catalog with a user's pricing file layered on top."""
    return load_catalog(uploads=[(name, data)])


def store_counted(state: State, outcome: Outcome) -> Outcome:
    """Keep a counted sample file in ``state`` and fill the token widgets from it.

    A side whose prompt figures the file fills no longer reads a file named in
    the scenario: the upload replaces it. Each strategy the file fills records
    where its figures were counted, so the saved scenario, the CSV and the
    command line name the file too.
    """
    values = sample_prefill(outcome.value, state)
    state.update(values)
    for index, sid in enumerate(state[IDS]):
        if key(sid, "prompt_tokens") in values:
            forget_samples(state, index)
            set_tokens(state, index, _side_tokens(state, sid, outcome.value))
    return _keep(state, SAMPLES, outcome)


def _side_tokens(state: State, sid: str, stats: TokenStats) -> RequestTokens:
    """The figures the controls of strategy ``sid`` now show, counted from ``stats``."""
    return RequestTokens(
        prompt=state[key(sid, "prompt_tokens")],
        cacheable_prefix=state[key(sid, "prefix_tokens")],
        output=state[key(sid, "output_tokens")],
        counted=counted_from(stats),
    )


def render_samples(state: State, model_id: str) -> Outcome | None:
    """Sample-prompt uploader; counts a new file with a progress bar."""
    upload = st.file_uploader(
        "Sample prompts (CSV, JSONL, chat JSONL, JSON or TXT)",
        type=SAMPLE_TYPES,
        key="samples_file",
        help="Columns: long_prompt (or prompt), optional short_prompt and output. Chat "
        "records use 'messages'. Text files separate prompts with a '---' line.",
    )
    new = _check_new(state, SAMPLES, upload, partial(_count_shown, model_id))
    if new is not None and not new.problem:
        store_counted(state, new)
    return state.get(SAMPLES)


def render_short_samples(state: State, model_id: str) -> Outcome | None:
    """Uploader for short prompts kept in their own file: they set every fine-tuned option's
    prompt length (the file's prompt column, counted with the fine-tuned model's tokenizer)."""
    upload = st.file_uploader(
        "Short prompts, if they are in their own file",
        type=SAMPLE_TYPES,
        key="short_samples_file",
        help="Same formats as the sample prompts. Each record's prompt (or long_prompt) is "
        "read as the short prompt a fine-tuned model gets; the mean sets the fine-tuned "
        "options' prompt length.",
    )
    new = _check_new(state, SHORT_SAMPLES, upload, partial(_count_shown, model_id))
    if new is not None and not new.problem:
        _fill_short(state, new.value)
    outcome: Outcome | None = state.get(SHORT_SAMPLES)
    still = f"short prompts still come from {outcome.name}" if outcome else "nothing changed"
    show_refusal(state, SHORT_SAMPLES, "{name} was not used", still)
    return outcome


def _count_shown(model_id: str, data: bytes, name: str) -> TokenStats:
    """Count a file under a progress bar, which goes away if the file cannot be counted."""
    bar = _ProgressBar(name)
    try:
        return count_samples(data, name, model_id, bar)
    except CostModelError:
        bar.clear()
        raise


def short_prefill(stats: TokenStats, state: Mapping[str, Any]) -> dict[str, float]:
    """Prompt length of every fine-tuned option from a short-prompt file (no cached prefix)."""
    mean = sample_figures(stats).long_prompt
    values: dict[str, float] = {}
    for sid, kind in strategy_kinds(state):
        if kind == "fine-tuned":
            values[key(sid, "prompt_tokens")] = mean
            values[key(sid, "prefix_tokens")] = 0.0
    return values


def _fill_short(state: State, stats: TokenStats) -> None:
    """Write a short-prompt file's figures into the fine-tuned options, naming the file."""
    values = short_prefill(stats, state)
    state.update(values)
    for index, sid in enumerate(state[IDS]):
        if key(sid, "prompt_tokens") in values:
            forget_samples(state, index)
            set_tokens(state, index, _side_tokens(state, sid, stats))


def render_training(state: State, model_id: str) -> Outcome | None:
    """Training-file uploader; checks a new file and fills the training plan."""
    upload = st.file_uploader(
        "Training file (chat JSONL)",
        type=["jsonl"],
        key="training_file",
        help="One {'messages': [...]} example per line, as the provider expects it.",
    )

    def check(data: bytes, name: str) -> TrainingEstimate:
        with st.spinner(md(f"Checking {name}…")):
            return check_training(data, name, model_id)

    new = _check_new(state, TRAINING, upload, check)
    if new is not None and not new.problem:
        _fill_training(state, new.name, new.value)
    return state.get(TRAINING)


def _fill_training(state: State, name: str, estimate: TrainingEstimate) -> None:
    """Fill the training plan from a checked file and name the file in the scenario."""
    values = training_prefill(estimate, state)
    if not values:
        return
    state.update(values)
    figures = training_figures(estimate)
    attach_training_file(
        state,
        name,
        {"examples": figures.examples, "tokens_per_example": figures.tokens_per_example},
    )


def checked_training(state: State) -> dict[str, TrainingEstimate]:
    """The uploaded training file by name, once checked (empty when none is usable)."""
    outcome: Outcome | None = state.get(TRAINING)
    if outcome is None or outcome.problem:
        return {}
    return {outcome.name: outcome.value}


def pricing_catalog(state: State, default: Catalog) -> Catalog:
    """The catalog in use: the user's pricing file layered over ``default``, if one is kept."""
    outcome: Outcome | None = state.get(PRICING)
    if outcome is None or outcome.problem:
        return default
    return outcome.value


def render_pricing(state: State, default: Catalog) -> Catalog:
    """Pricing-file uploader; the catalog to use (the shipped one if the file is bad).

    A pricing file stays in use when the uploader is not on screen (another
    tab is open) until the user removes it with the button under it.
    """
    upload = st.file_uploader(
        "Your own prices (pricing YAML)",
        type=["yaml", "yml"],
        key="pricing_file",
        help="Same format as the shipped pricing/*.yaml: a provider and models. A model "
        "that exists is changed field by field; a new one is added.",
    )
    _check_new(state, PRICING, upload, catalog_with_upload)
    outcome: Outcome | None = state.get(PRICING)
    still = f"the prices of {outcome.name} stay" if outcome else "the shipped prices stay"
    show_refusal(state, PRICING, "Your prices in {name} were not used", still)
    if outcome is None:
        return default
    st.success(md(f"Prices from {outcome.name} are layered over the shipped catalog."))
    if st.button("Use the shipped prices only", key="pricing_forget"):
        state.pop(PRICING, None)
        st.rerun()
    return pricing_catalog(state, default)


class _ProgressBar:
    """A progress bar moved as bytes are read (a :data:`Progress` callback), or taken away."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._bar = st.progress(0.0, text=md(f"Counting tokens in {name}…"))

    def __call__(self, done: int, total: int) -> None:
        share = progress_share(done, total)
        name = self._name
        self._bar.progress(
            share, text=md(f"Counting tokens in {name}…" if share < 1 else f"Counted {name}.")
        )

    def clear(self) -> None:
        """Take the bar away: the file could not be counted, and an error says so."""
        self._bar.empty()

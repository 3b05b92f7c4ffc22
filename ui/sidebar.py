"""The sidebar: every scenario input, each with a unit, a range, a tooltip and a stable key.

The workload comes first, then the options compared: every strategy is
listed, and the one chosen is edited with the same controls whatever its
kind; options can be added and removed. Only the controls that apply to the
chosen model are drawn (no GPU settings unless it runs on dedicated GPUs, no
training hours unless training is billed by the hour); the others keep their
values.

Widgets take their values from session state (set by :mod:`ui.state`), never
from a ``value=`` argument, so loading a scenario, a share link or an upload
simply rewrites the state. Option lists always contain the current value, so
a loaded figure that is not on the grid is kept exactly.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from costmodel.errors import CostModelError
from costmodel.prices.catalog import Catalog
from costmodel.report.numbers import count, money, percent
from ui.catalog_view import ModelChoices, availability_toggle
from ui.results import md
from ui.state import (
    BASELINE,
    CHALLENGER,
    IDS,
    STRATEGIES,
    add_strategy,
    follow_model,
    keep_widget_values,
    key,
    remove_strategy,
)

VOLUMES = (
    *(100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 300_000),
    *(500_000, 1_000_000, 2_000_000, 3_000_000, 5_000_000, 10_000_000, 20_000_000, 50_000_000),
    *(100_000_000, 200_000_000, 500_000_000, 1_000_000_000, 2_000_000_000, 5_000_000_000),
)
GROWTH = (-0.5, -0.2, -0.1, -0.05, -0.02, -0.01, 0.0, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1)
GROWTH_HIGH = (0.15, 0.2, 0.3, 0.5, 1.0, 2.0)
SHARES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99, 1.0)
FAILURES = (0.0, 0.005, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5)
UTILISATION = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
EPOCHS = ("auto", *range(1, 26))
MAX_TOKENS = 2_000_000.0
EDITING = "editing_option"

State = MutableMapping[str, Any]


def render(state: State, base: ModelChoices, ft: ModelChoices, catalog: Catalog) -> None:
    """Lay out every control in the sidebar."""
    keep_widget_values(state)
    with st.sidebar:
        st.header("Your workload")
        _workload(state)
        st.header("Options compared")
        availability_toggle((base, ft))
        sid = _options(state)
        index = list(state[IDS]).index(sid)
        kind = state[STRATEGIES][index]["kind"]
        applies = _applies(catalog, state.get(key(sid, "model")))
        _strategy_head(state, sid, kind, base if kind == "prompt" else ft, catalog)
        with st.expander("Tokens per request", expanded=True):
            _tokens(state, sid, kind)
        with st.expander("Caching and batch"):
            _caching(state, sid)
        if kind == "fine-tuned":
            with st.expander("Training plan", expanded=True):
                _training(state, sid, applies.hourly)
        with st.expander("Quality and running costs"):
            _quality(state, sid)
        if kind == "fine-tuned" and applies.dedicated:
            with st.expander("Dedicated GPU serving"):
                _gpu(state, sid)
        with st.expander("Scenario name and notes"):
            _names()


@dataclass(frozen=True)
class Applies:
    """Which model-dependent controls apply to a strategy's model."""

    dedicated: bool
    hourly: bool


def _applies(catalog: Catalog, model: str | None) -> Applies:
    """Dedicated-GPU serving and per-hour training, read from the catalog entry.

    A model outside the catalog shows every control: nothing says which apply.
    """
    try:
        ft = catalog.resolve(str(model)).entry.fine_tuning
    except CostModelError:
        return Applies(dedicated=True, hourly=True)
    if ft is None:
        return Applies(dedicated=False, hourly=False)
    return Applies(
        dedicated=ft.serving.mode == "dedicated", hourly=ft.training.usd_per_hour is not None
    )


def _options(state: State) -> str:
    """The list of options compared, the one being edited, and add / remove buttons."""
    ids = list(state[IDS])
    names = {sid: str(state.get(key(sid, "label")) or sid) for sid in ids}
    if state.get(EDITING) not in ids:
        state[EDITING] = ids[0]
    sid = st.radio(
        "Option to edit",
        ids,
        key=EDITING,
        format_func={i: _option_text(state, i, names[i]) for i in ids}.__getitem__,
        help="Every option the scenario compares. The headline weighs the two chosen "
        "above it; every pair is in the Costs tab.",
    )
    with st.container(horizontal=True, gap="small"):
        st.button(
            "Add a prompt option",
            key="add_prompt",
            icon=":material/add:",
            width="content",
            on_click=_add,
            args=(state, "prompt"),
            help="Add an option that prompts a base model, copied from the last one of that kind.",
        )
        st.button(
            "Add a fine-tuned option",
            key="add_fine_tuned",
            icon=":material/add:",
            width="content",
            on_click=_add,
            args=(state, "fine-tuned"),
            help="Add a fine-tuned option, copied from the last one of that kind.",
        )
        st.button(
            "Remove this option",
            key="remove_option",
            icon=":material/delete:",
            width="content",
            on_click=_remove,
            args=(state, str(sid)),
            disabled=len(ids) <= 2,
            help="Remove the option being edited (a scenario compares at least two).",
        )
    return str(sid)


def _add(state: State, kind: str) -> None:
    """Button callback: a new option of ``kind``, opened in the editor."""
    state[EDITING] = add_strategy(state, kind)


def _remove(state: State, sid: str) -> None:
    """Button callback: drop the option being edited and edit the first one."""
    remove_strategy(state, sid)
    state[EDITING] = state[IDS][0]


def _option_text(state: State, sid: str, name: str) -> str:
    """``name · fine-tuned`` with the headline's role, if any."""
    index = list(state[IDS]).index(sid)
    kind = state[STRATEGIES][index]["kind"]
    role = {state.get(BASELINE): " · baseline", state.get(CHALLENGER): " · challenger"}
    return f"{name} ({kind}){role.get(sid, '')}"


def _strategy_head(
    state: State, sid: str, kind: str, choices: ModelChoices, catalog: Catalog
) -> None:
    """The option's name and model; a name that named the old model follows a new one."""
    st.text_input(
        "Name of this option",
        key=key(sid, "label"),
        max_chars=100,
        help="How the verdict, the charts and the files call this option.",
    )
    label = "Base model (long prompt)" if kind == "prompt" else "Model to fine-tune (short prompt)"
    _model(state, sid, choices, label, catalog)


def _workload(state: State) -> None:
    """Volume, growth, horizon and start date: what the comparison is about."""
    _grid(
        state,
        "monthly_requests",
        "Requests per month (first month)",
        VOLUMES,
        count,
        "How many requests the feature serves in its first month. The scale is "
        "logarithmic: each step multiplies the volume.",
    )
    _grid(
        state,
        "monthly_growth",
        "Monthly growth of requests",
        GROWTH + GROWTH_HIGH,
        percent,
        "How much the volume changes each month (negative for a declining feature).",
    )
    st.slider(
        "Horizon (months)",
        min_value=1,
        max_value=120,
        step=1,
        key="horizon_months",
        help="How long the comparison runs. A model retiring earlier cuts it short.",
    )
    st.date_input(
        "Start date (first month of the horizon)",
        key="start_date",
        format="YYYY-MM-DD",
        help="The comparison runs from this date. Model retirements and the end of "
        "fine-tuning are counted from it, and saved files and share links keep it, so they "
        "give the same figures whenever they are opened. A new scenario starts today.",
    )


def _model(state: State, side: str, choices: ModelChoices, label: str, catalog: Catalog) -> None:
    """A searchable model picker; the remark about the chosen model sits under it."""
    options = list(choices.keys)
    current = state.get(key(side, "model"))
    if current is not None and current not in options:
        options.append(current)
    st.selectbox(
        label,
        options,
        key=key(side, "model"),
        format_func=choices.label,
        help=choices.help,
        placeholder="Type to search by provider or model",
        on_change=follow_model,
        args=(state, side, current, catalog),
    )
    if current is not None:
        st.caption(md(choices.note(str(current))))


def _tokens(state: State, sid: str, kind: str) -> None:
    """Per-request token figures of one option, filled from sample prompts."""
    st.caption("Filled from your sample prompts when you upload them; adjust freely.")
    long = kind == "prompt"
    _tokens_input(
        sid,
        "prompt_tokens",
        "Prompt (tokens)",
        "Everything sent to the base model: system text, few-shot examples, context and the "
        "user's input."
        if long
        else "What the fine-tuned model still needs: a short instruction and the user's input.",
    )
    _tokens_input(
        sid,
        "prefix_tokens",
        "…of which a cacheable prefix (tokens)",
        "The static leading part of the prompt that prompt caching can reuse. It cannot be "
        "longer than the prompt.",
    )
    prompt, prefix = state.get(key(sid, "prompt_tokens")), state.get(key(sid, "prefix_tokens"))
    if prompt is not None and prefix is not None and prefix > prompt:
        st.error(
            f"The cacheable prefix ({count(prefix)} tokens) cannot be longer than the prompt "
            f"({count(prompt)} tokens): lower the prefix or raise the prompt."
        )
    _tokens_input(sid, "output_tokens", "Output (tokens)", "Mean answer length.")
    _tokens_input(
        sid,
        "reasoning_tokens",
        "Reasoning (tokens)",
        "Hidden reasoning tokens billed as output (reasoning models only).",
    )


def _tokens_input(side: str, name: str, label: str, help_text: str) -> None:
    """A token count: whole tokens shown, means from samples kept exactly."""
    widget_key = key(side, name)
    st.number_input(
        _with_value(label, st.session_state.get(widget_key), count),
        min_value=0.0,
        max_value=MAX_TOKENS,
        step=10.0,
        format="%.0f",
        key=widget_key,
        help=help_text,
    )


def _caching(state: State, sid: str) -> None:
    """Prompt caching and batch share of one option."""
    st.toggle(
        "Prompt caching",
        key=key(sid, "cache_enabled"),
        help="Off: the prefix is billed as ordinary input on every request.",
    )
    if state.get(key(sid, "cache_enabled")):
        _grid(
            state,
            key(sid, "cache_hit_rate"),
            "Cache-hit rate",
            SHARES,
            percent,
            "Share of requests that read the prefix from the cache. About 1 − 1/R when R "
            "requests arrive within one cache lifetime.",
        )
        st.number_input(
            _with_value(
                "…or requests per cache lifetime",
                state.get(key(sid, "cache_requests_per_lifetime")),
                count,
            ),
            min_value=0.001,
            max_value=1e9,
            step=1.0,
            format="%.1f",
            key=key(sid, "cache_requests_per_lifetime"),
            placeholder="use the hit rate above",
            help="If set, the hit rate is derived from it: one request in R writes the cache "
            "and the others read it (1 − 1/R).",
        )
        st.segmented_control(
            "Cache lifetime",
            ["5m", "1h"],
            key=key(sid, "cache_ttl"),
            help="Longer lifetimes raise the hit rate but may cost more per cache write.",
        )
    _grid(
        state,
        key(sid, "batch_share"),
        "Share sent through the batch API",
        SHARES,
        percent,
        "Traffic that can wait for the provider's discounted batch API.",
    )


def _training(state: State, sid: str, hourly: bool) -> None:
    """The fine-tuning plan: data, epochs, runs, retraining and their costs."""
    st.caption("Filled from your training file when you upload it.")
    st.number_input(
        _with_value("Training examples", state.get(key(sid, "examples")), count),
        min_value=0,
        max_value=10_000_000,
        step=50,
        key=key(sid, "examples"),
        help="Examples in the fine-tuning file: 10 is the minimum, gains usually show from "
        "50–100, and most tasks need several hundred.",
    )
    st.number_input(
        _with_value(
            "Tokens per training example", state.get(key(sid, "tokens_per_example")), count
        ),
        min_value=0,
        max_value=1_000_000,
        step=10,
        key=key(sid, "tokens_per_example"),
        help="Billed tokens of one example (all its messages).",
    )
    options = list(EPOCHS)
    current = state.get(key(sid, "epochs"))
    if current is not None and current not in options:
        options.append(current)
    st.selectbox(
        "Epochs",
        options,
        key=key(sid, "epochs"),
        format_func=lambda e: "auto (provider's rule)" if e == "auto" else f"{e} epochs",
        help="Passes over the data. 'auto' follows the provider's rule (3 for 100–8,333 examples).",
    )
    st.number_input(
        "Training runs before it is good enough",
        min_value=1,
        max_value=100,
        step=1,
        key=key(sid, "runs"),
        help="Attempts (data fixes, new hyper-parameters) paid for up front.",
    )
    st.number_input(
        "Retrain every (months)",
        min_value=1,
        max_value=120,
        step=1,
        key=key(sid, "retrain_every_months"),
        placeholder="never",
        help="How often requirements change enough to retrain. Leave empty for never.",
    )
    _money_input(
        key(sid, "data_prep_usd_per_example"),
        "Data preparation (USD per example)",
        "Labelling or cleaning cost of one training example.",
    )
    _money_input(
        key(sid, "eval_usd_per_run"),
        "Evaluation (USD per run)",
        "Checking a trained model before it ships: people or tooling, per run.",
    )
    if not hourly:
        return
    st.number_input(
        "Training hours per run",
        min_value=0.0,
        max_value=10_000.0,
        step=1.0,
        format="%.1f",
        key=key(sid, "hours_per_run"),
        placeholder="not billed per hour",
        help="Wall-clock hours of one job, for models billed per training hour (RFT).",
    )


def _quality(state: State, sid: str) -> None:
    """Failure rate and what a failure costs, and other running costs of one option."""
    _grid(
        state,
        key(sid, "failure_rate"),
        "Failure rate",
        FAILURES,
        percent,
        "Share of answers that are wrong and must be retried or fixed.",
    )
    st.segmented_control(
        "Failed answers",
        ["retry", "review"],
        key=key(sid, "failure_handling"),
        help="retry: send the request again; review: a person fixes the answer.",
    )
    _money_input(
        key(sid, "review_usd"),
        "Review cost per failure (USD)",
        "What detecting or fixing one failed answer costs.",
    )
    _money_input(
        key(sid, "monthly_fixed_usd"),
        "Other running costs (USD / month)",
        "E.g. prompt maintenance or monitoring, per month.",
    )


def _gpu(state: State, sid: str) -> None:
    """Throughput and utilisation of dedicated GPUs, for models served that way."""
    st.caption("This model is served on rented GPUs, billed by the hour whatever the volume.")
    st.number_input(
        _with_value(
            "Throughput per GPU (tokens per second)",
            state.get(key(sid, "gpu_tokens_per_second")),
            count,
        ),
        min_value=1.0,
        max_value=1_000_000.0,
        step=100.0,
        format="%.0f",
        key=key(sid, "gpu_tokens_per_second"),
        help="Prompt and output tokens one GPU processes per second.",
    )
    _grid(
        state,
        key(sid, "gpu_utilization"),
        "Average GPU utilisation",
        UTILISATION,
        percent,
        "Share of the time the GPUs do useful work (traffic is uneven).",
    )
    st.number_input(
        "Minimum GPUs",
        min_value=0,
        max_value=1_000,
        step=1,
        key=key(sid, "gpu_min_replicas"),
        help="GPUs kept running even at zero traffic.",
    )


def _names() -> None:
    """The scenario's own name and notes (each option is named in its editor)."""
    st.text_input(
        "Scenario name",
        key="scenario_name",
        max_chars=200,
        help="Names the saved files and the first column of the CSV.",
    )
    st.text_area(
        "Description", key="scenario_description", max_chars=2_000, help="Notes saved with it."
    )


def _money_input(widget_key: str, label: str, help_text: str) -> None:
    """An amount in USD, shown with cents."""
    st.number_input(
        _with_value(label, st.session_state.get(widget_key), money),
        min_value=0.0,
        max_value=1e9,
        step=1.0,
        format="%.2f",
        key=widget_key,
        help=help_text,
    )


def _with_value(label: str, value: object, fmt: Callable[[float], str]) -> str:
    r"""The label, followed by the value with thousands separators once it reaches 1,000.

    A number field shows its value the printf way ("120000"); the label says it
    the way people read it, so a digit too many or too few is seen at once.
    Below 1,000 the field already reads the same, and the label stays short.

    >>> _with_value("Training examples", 120_000, count)
    'Training examples · 120\\,000'
    >>> _with_value("Training examples", 500, count)
    'Training examples'
    """
    if not isinstance(value, int | float) or abs(value) < 1_000:
        return label
    return f"{label} · {md(fmt(value))}"


def _grid(
    state: State,
    widget_key: str,
    label: str,
    grid: Sequence[float],
    fmt: Callable[[float], str],
    help_text: str,
) -> None:
    """A select slider over ``grid``, extended by the current value if it is off the grid."""
    current = state.get(widget_key)
    options = sorted({*grid, current} if isinstance(current, int | float) else set(grid))
    st.select_slider(label, options, key=widget_key, format_func=fmt, help=help_text)

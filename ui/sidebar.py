"""The sidebar: every scenario input, each with a unit, a range, a tooltip and a stable key.

Widgets take their values from session state (set by :mod:`ui.state`), never
from a ``value=`` argument, so loading a scenario, a share link or an upload
simply rewrites the state. Option lists always contain the current value, so
a loaded figure that is not on the grid is kept exactly.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from typing import Any

import streamlit as st

from costmodel.report.numbers import count, percent
from ui.catalog_view import ModelChoices, availability_toggle
from ui.results import md
from ui.state import key

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

State = MutableMapping[str, Any]


def render(state: State, base: ModelChoices, ft: ModelChoices) -> None:
    """Lay out every control in the sidebar."""
    with st.sidebar:
        st.header("Your workload")
        _workload(state)
        st.header("Models")
        availability_toggle((base, ft))
        _model(state, "base", base, "Base model (long prompt)")
        _model(state, "ft", ft, "Model to fine-tune (short prompt)")
        with st.expander("Tokens per request", expanded=True):
            _tokens()
        with st.expander("Caching and batch"):
            _caching(state)
        with st.expander("Training plan", expanded=True):
            _training(state)
        with st.expander("Quality and running costs"):
            _quality(state)
        with st.expander("Dedicated GPU serving"):
            _gpu(state)
        with st.expander("Names"):
            _names()


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


def _model(state: State, side: str, choices: ModelChoices, label: str) -> None:
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
    )
    if current is not None:
        st.caption(md(choices.note(str(current))))


def _tokens() -> None:
    """Per-request token figures of both options, filled from sample prompts."""
    st.caption("Filled from your sample prompts when you upload them; adjust freely.")
    _tokens_input(
        "base",
        "prompt_tokens",
        "Long prompt (tokens)",
        "Everything sent to the base "
        "model: system text, few-shot examples, context and the user's input.",
    )
    _tokens_input(
        "base",
        "prefix_tokens",
        "…of which a cacheable prefix (tokens)",
        "The static leading part of the long prompt that prompt caching can reuse.",
    )
    _tokens_input(
        "ft",
        "prompt_tokens",
        "Short prompt (tokens)",
        "What the fine-tuned model still needs: a short instruction and the user's input.",
    )
    _tokens_input(
        "ft",
        "prefix_tokens",
        "…of which a cacheable prefix (tokens)",
        "Static leading part of the short prompt, if any.",
    )
    _tokens_input("base", "output_tokens", "Output, base model (tokens)", "Mean answer length.")
    _tokens_input("ft", "output_tokens", "Output, fine-tuned (tokens)", "Mean answer length.")
    _tokens_input(
        "base",
        "reasoning_tokens",
        "Reasoning, base model (tokens)",
        "Hidden reasoning tokens billed as output (reasoning models only).",
    )
    _tokens_input(
        "ft",
        "reasoning_tokens",
        "Reasoning, fine-tuned (tokens)",
        "Hidden reasoning tokens billed as output (reasoning models only).",
    )


def _tokens_input(side: str, name: str, label: str, help_text: str) -> None:
    """A token count: whole tokens shown, means from samples kept exactly."""
    st.number_input(
        label,
        min_value=0.0,
        max_value=MAX_TOKENS,
        step=10.0,
        format="%.0f",
        key=key(side, name),
        help=help_text,
    )


def _caching(state: State) -> None:
    """Prompt caching and batch share, per option."""
    for side, who in (("base", "base model"), ("ft", "fine-tuned model")):
        st.toggle(
            f"Prompt caching on the {who}",
            key=key(side, "cache_enabled"),
            help="Off: the prefix is billed as ordinary input on every request.",
        )
        _grid(
            state,
            key(side, "cache_hit_rate"),
            f"Cache-hit rate, {who}",
            SHARES,
            percent,
            "Share of requests that read the prefix from the cache. About 1 − 1/R when R "
            "requests arrive within one cache lifetime.",
        )
        st.number_input(
            f"…or requests per cache lifetime, {who}",
            min_value=0.001,
            max_value=1e9,
            step=1.0,
            format="%.1f",
            key=key(side, "cache_requests_per_lifetime"),
            placeholder="use the hit rate above",
            help="If set, the hit rate is derived from it: one request in R writes the cache "
            "and the others read it (1 − 1/R).",
        )
        st.segmented_control(
            f"Cache lifetime, {who}",
            ["5m", "1h"],
            key=key(side, "cache_ttl"),
            help="Longer lifetimes raise the hit rate but may cost more per cache write.",
        )
        _grid(
            state,
            key(side, "batch_share"),
            f"Share sent through the batch API, {who}",
            SHARES,
            percent,
            "Traffic that can wait for the provider's discounted batch API.",
        )


def _training(state: State) -> None:
    """The fine-tuning plan: data, epochs, runs, retraining and their costs."""
    if key("ft", "examples") not in state:
        st.caption("The second option is not fine-tuned, so these settings do not apply.")
    else:
        st.caption("Filled from your training file when you upload it.")
    st.number_input(
        "Training examples",
        min_value=0,
        max_value=10_000_000,
        step=50,
        key="ft_examples",
        help="Examples in the fine-tuning file: 10 is the minimum, gains usually show from "
        "50–100, and most tasks need several hundred.",
    )
    st.number_input(
        "Tokens per training example",
        min_value=0,
        max_value=1_000_000,
        step=10,
        key="ft_tokens_per_example",
        help="Billed tokens of one example (all its messages).",
    )
    options = list(EPOCHS)
    current = state.get("ft_epochs")
    if current is not None and current not in options:
        options.append(current)
    st.selectbox(
        "Epochs",
        options,
        key="ft_epochs",
        format_func=lambda e: "auto (provider's rule)" if e == "auto" else f"{e} epochs",
        help="Passes over the data. 'auto' follows the provider's rule (3 for 100–8,333 examples).",
    )
    st.number_input(
        "Training runs before it is good enough",
        min_value=1,
        max_value=100,
        step=1,
        key="ft_runs",
        help="Attempts (data fixes, new hyper-parameters) paid for up front.",
    )
    st.number_input(
        "Retrain every (months)",
        min_value=1,
        max_value=120,
        step=1,
        key="ft_retrain_every_months",
        placeholder="never",
        help="How often requirements change enough to retrain. Leave empty for never.",
    )
    _money_input(
        "ft_data_prep_usd_per_example",
        "Data preparation (USD per example)",
        "Labelling or cleaning cost of one training example.",
    )
    _money_input(
        "ft_eval_usd_per_run",
        "Evaluation (USD per run)",
        "Checking a trained model before it ships: people or tooling, per run.",
    )
    st.number_input(
        "Training hours per run (per-hour pricing only)",
        min_value=0.0,
        max_value=10_000.0,
        step=1.0,
        format="%.1f",
        key="ft_hours_per_run",
        placeholder="not billed per hour",
        help="Wall-clock hours of one job, for models billed per training hour (RFT).",
    )


def _quality(state: State) -> None:
    """Failure rates and what a failure costs, and other running costs."""
    for side, who in (("base", "base model"), ("ft", "fine-tuned model")):
        _grid(
            state,
            key(side, "failure_rate"),
            f"Failure rate, {who}",
            FAILURES,
            percent,
            "Share of answers that are wrong and must be retried or fixed.",
        )
        st.segmented_control(
            f"Failed answers, {who}",
            ["retry", "review"],
            key=key(side, "failure_handling"),
            help="retry: send the request again; review: a person fixes the answer.",
        )
        _money_input(
            key(side, "review_usd"),
            f"Review cost per failure, {who} (USD)",
            "What detecting or fixing one failed answer costs.",
        )
        _money_input(
            key(side, "monthly_fixed_usd"),
            f"Other running costs, {who} (USD/month)",
            "E.g. prompt maintenance or monitoring, per month.",
        )


def _gpu(state: State) -> None:
    """Throughput and utilisation of dedicated GPUs, for models served that way."""
    st.caption("Used only when the fine-tuned model is served on rented GPUs.")
    st.number_input(
        "Throughput per GPU (tokens per second)",
        min_value=1.0,
        max_value=1_000_000.0,
        step=100.0,
        format="%.0f",
        key="ft_gpu_tokens_per_second",
        help="Prompt and output tokens one GPU processes per second.",
    )
    _grid(
        state,
        "ft_gpu_utilization",
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
        key="ft_gpu_min_replicas",
        help="GPUs kept running even at zero traffic.",
    )


def _names() -> None:
    """Labels: they name the options in the verdict and files."""
    st.text_input(
        "Scenario name",
        key="scenario_name",
        max_chars=200,
        help="Names the saved files and the first column of the CSV.",
    )
    st.text_area(
        "Description", key="scenario_description", max_chars=2_000, help="Notes saved with it."
    )
    st.text_input(
        "Name of the long-prompt option",
        key="base_label",
        max_chars=100,
        help="How the verdict and the charts call the base-model option.",
    )
    st.text_input(
        "Name of the fine-tuned option",
        key="ft_label",
        max_chars=100,
        help="How the verdict and the charts call the fine-tuned option.",
    )


def _money_input(widget_key: str, label: str, help_text: str) -> None:
    """An amount in USD, shown with cents."""
    st.number_input(
        label,
        min_value=0.0,
        max_value=1e9,
        step=1.0,
        format="%.2f",
        key=widget_key,
        help=help_text,
    )


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

"""What the user's files contain: token statistics, histograms and training-file checks."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import pandas as pd
import streamlit as st

from costmodel.engine.training import Issue, TrainingEstimate
from costmodel.report.charts import token_histogram
from costmodel.report.numbers import count
from costmodel.report.wording import training_issue_text
from costmodel.tokens.stats import LONG, SHORT, TokenStats
from ui import charts
from ui.memo import remembered
from ui.results import md
from ui.state import SAMPLES, TRAINING
from ui.uploads import Outcome, show_refusal

COLUMN_NAMES = {"long": "Long prompt", "short": "Short prompt", "output": "Output"}


def show_samples(
    state: MutableMapping[str, Any], outcome: Outcome | None, encoding_now: str
) -> None:
    """Summary, histogram and warnings of the counted sample file; a refused one first."""
    still = f"the figures still come from {outcome.name}" if outcome else "nothing changed"
    show_refusal(state, SAMPLES, "{name} could not be counted", still)
    if outcome is None:
        st.info("No sample prompts yet: the token figures are the scenario's own.")
        return
    stats: TokenStats = outcome.value
    exact = "approximately" if stats.approximate else "exactly"
    summary = (
        f" — {count(stats.records)} records, counted {exact} with {stats.encoding}. {stats.reason}."
    )
    st.markdown(f"**{md(outcome.name)}**{md(summary)}")
    if stats.encoding != encoding_now:
        st.warning(f"The base model now uses {encoding_now}: upload the file again to recount it.")
    with st.container(horizontal=True, gap="small"):  # each as wide as its text: none is cut
        for label, value in (
            ("Records", stats.records),
            ("Mean long prompt, tokens", stats.long.mean),
            ("p95 long prompt, tokens", stats.long.p95),
            ("Shared prefix, tokens", stats.shared_prefix_tokens),
        ):
            st.metric(label, count(value), width="content")
    st.dataframe(_table(stats), hide_index=True, key="samples_table")
    counts = {name: stats.columns[name].counts for name in (LONG, SHORT) if name in stats.columns}
    bins = remembered(state, "histogram", (outcome.digest,), lambda: token_histogram(counts))
    if not bins.empty:
        st.plotly_chart(charts.token_histogram(bins), key="histogram_chart")
    for warning in stats.warnings:
        st.warning(md(warning))


def _table(stats: TokenStats) -> pd.DataFrame:
    """Token statistics per column, formatted for reading."""
    return pd.DataFrame(
        [
            {
                "Column": COLUMN_NAMES.get(name, name),
                "Records": count(col.records),
                "Mean": count(col.mean),
                "Median": count(col.p50),
                "p90": count(col.p90),
                "p95": count(col.p95),
                "Max": count(col.max),
            }
            for name, col in stats.columns.items()
        ]
    )


def show_short(outcome: Outcome | None) -> None:
    """The short-prompt file's size and mean, when one is in use."""
    if outcome is None or outcome.problem:
        return
    stats: TokenStats = outcome.value
    long = stats.columns[LONG]
    st.markdown(
        md(
            f"Short prompts from {outcome.name}: {count(stats.records)} records, mean "
            f"{count(long.mean)} tokens (p95 {count(long.p95)}), counted with {stats.encoding}."
        )
    )


def show_training(state: MutableMapping[str, Any], outcome: Outcome | None) -> None:
    """Examples, tokens and format problems of the training file; a refused one first."""
    still = f"the training plan still comes from {outcome.name}" if outcome else "nothing changed"
    show_refusal(state, TRAINING, "{name} could not be read", still)
    if outcome is None:
        st.info("No training file yet: the training plan uses the figures in the sidebar.")
        return
    estimate: TrainingEstimate = outcome.value
    cols = st.columns(3)
    cols[0].metric("Usable examples", count(estimate.examples))
    cols[1].metric("Mean tokens per example", count(estimate.tokens_per_example_mean))
    cols[2].metric("Billed tokens per epoch", count(estimate.billing_tokens_per_epoch))
    if not estimate.examples:
        st.error("The file has no usable example, so the training plan was not changed.")
    for issue in estimate.format_errors:
        st.error(md(_issue(issue, "The provider would reject")))
    for issue in estimate.warnings:
        st.warning(md(_issue(issue, "Check")))


def _issue(issue: Issue, lead: str) -> str:
    """``lead line 13: message`` or ``lead 40 lines (3, 5, 9, …): message``."""
    message = training_issue_text(issue)
    if not issue.lines:
        return f"{lead}: {message}."
    where = ", ".join(str(n) for n in issue.lines)
    if issue.count == 1:
        return f"{lead} line {where}: {message}."
    more = ", …" if issue.count > len(issue.lines) else ""
    return f"{lead} {count(issue.count)} lines ({where}{more}): {message}."

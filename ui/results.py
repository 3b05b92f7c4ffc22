"""The answer first: the verdict, the headline figures and the readiness checks.

Every figure is a field of the engine's result put through
:mod:`costmodel.report.numbers`; nothing here computes.
"""

from __future__ import annotations

import datetime as dt
import string

import pandas as pd
import streamlit as st

from costmodel.engine.comparison import running_costs
from costmodel.engine.evaluate import ScenarioResult
from costmodel.engine.readiness import Check, readiness
from costmodel.report.export import safe_cell
from costmodel.report.numbers import money
from costmodel.report.wording import (
    TOPICS,
    breakeven_value,
    check_text,
    payback_text,
    payback_value,
    reason_text,
    scenario_notes,
    strategy_notes,
    verdict,
)

ICONS = {
    "ok": ":green[:material/check_circle:]",
    "info": ":blue[:material/info:]",
    "warn": ":orange[:material/warning:]",
    "stop": ":red[:material/block:]",
}

BREAKEVEN = "Break-even (requests / month)"
PAYBACK = "Payback"
MONTHLY = "Monthly saving"
ONE_TIME = "One-time cost"
HORIZON = "Saved over the horizon"


def md(text: str) -> str:
    """Text shown through Markdown exactly as written: names and messages never become markup.

    Every ASCII punctuation character is backslash-escaped (CommonMark shows an
    escaped character as itself), so a name cannot become a link, an image,
    emphasis, a heading, Streamlit's coloured text or a dollar formula, and a
    bare address is not turned into a link.

    >>> md("$5 [log in](https://x.example)")
    '\\$5 \\[log in\\]\\(https\\:\\/\\/x\\.example\\)'
    """
    return text.translate(_ESCAPES)


_ESCAPES = str.maketrans({c: "\\" + c for c in string.punctuation})


def render_headline(result: ScenarioResult, today: dt.date) -> None:
    """Verdict sentence, five figures and the readiness checks."""
    c = result.primary
    box = st.success if c.challenger_cheaper else st.warning
    box(md(verdict(c)))
    cols = st.columns([1.4, 1, 1, 1, 1])
    cols[0].metric(
        BREAKEVEN,
        breakeven_value(c),
        help=md(
            f"Requests in the first month at which both options cost the same over the "
            f"horizon: {reason_text(c)}."
        ),
    )
    cols[1].metric(
        PAYBACK,
        payback_value(c),
        help=md(
            f"At your volume, the month the challenger has paid for itself: {payback_text(c)}."
        ),
    )
    cols[2].metric(
        MONTHLY,
        money(c.payback.monthly_savings_usd),
        help="At your volume, the first month's running cost of the long prompt minus the "
        "fine-tuned model's, before one-time costs.",
    )
    cols[3].metric(
        ONE_TIME,
        money(c.b.one_time_usd),
        help="Fine-tuning's training runs, data preparation and evaluation, paid in month 1.",
    )
    cols[4].metric(
        HORIZON,
        money(c.payback.cumulative_savings_usd),
        help=f"At your volume, total over {result.horizon.months} months, one-time costs and "
        "retraining included (negative: fine-tuning costs more).",
    )
    h = result.horizon
    st.caption(
        f"Over {h.months} month{'s' if h.months != 1 else ''} from {h.start:%Y-%m-%d} "
        "(the start date in the sidebar)."
    )
    for note in scenario_notes(result):
        st.caption(md(note))
    render_readiness(readiness(result, today))


def render_readiness(checks: list[Check]) -> None:
    """One line per check, worst first so a blocker cannot be missed."""
    order = {"stop": 0, "warn": 1, "info": 2, "ok": 3}
    with st.container(border=True):
        st.markdown("**Is fine-tuning right for you?**")
        for check in sorted(checks, key=lambda c: order[c.level]):
            topic, text = md(TOPICS[check.topic]), md(check_text(check))
            st.markdown(f"{ICONS[check.level]} **{topic}** — {text}")


def render_comparisons(result: ScenarioResult) -> None:
    """Every pair of strategies in the scenario, with its break-even and payback.

    Names go through :func:`safe_cell`, as in the CSV export: the table's own
    "Download as CSV" must not hand a spreadsheet a formula.
    """
    rows = [
        {
            "Baseline": safe_cell(c.a.name),
            "Alternative": safe_cell(c.b.name),
            "Break-even (requests / month)": breakeven_value(c),
            "Payback": payback_value(c),
            "Months compared": c.horizon.months,
            "Monthly savings": money(c.payback.monthly_savings_usd),
            "Saved over horizon": money(c.payback.cumulative_savings_usd),
        }
        for c in result.comparisons
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="comparisons_table")


def render_strategies(result: ScenarioResult) -> None:
    """Cost per request and fixed costs of each strategy, with the engine's notes.

    Running costs are those of the first month at the user's volume, dedicated
    GPUs included, as in the CLI table and the CSV.
    """
    rows = []
    for s in result.strategies:
        running, gpus = running_costs(s, result.volume)
        rows.append(
            {
                "Option": safe_cell(s.name),
                "Model": safe_cell(s.model_label),
                "Per request": money(s.per_request_usd),
                "One-time": money(s.one_time_usd),
                "Per month at your volume": money(running),
                "Dedicated GPUs": str(gpus) if s.gpu is not None else "–",
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="strategies_table")
    for s in result.strategies:
        for note in strategy_notes(result, s.name):
            st.caption(md(note))

"""The answer first: the verdict, the headline figures and the readiness checks.

Every figure is a field of the engine's result put through
:mod:`costmodel.report.numbers`; nothing here computes.
"""

from __future__ import annotations

import datetime as dt
import string

import pandas as pd
import streamlit as st

from costmodel.engine.evaluate import Comparison, ScenarioResult
from costmodel.engine.readiness import Check, readiness
from costmodel.report.export import safe_cell
from costmodel.report.numbers import count, money
from costmodel.report.wording import note_text

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


def breakeven_text(c: Comparison, unit: str = " / month") -> str:
    """The break-even volume in words (never a bare float)."""
    be = c.breakeven
    if be.status == "breaks_even":
        return f"{count(be.requests_per_month)}{unit}"
    if be.status == "cheaper_below":
        return f"below {count(be.requests_per_month)}{unit}"
    return {"always": "any volume", "equal": "same cost", "unavailable": "not available"}.get(
        be.status, "never"
    )


def payback_text(c: Comparison, months: int) -> str:
    """The payback month in words."""
    month = c.payback.month
    return f"month {month}" if month is not None else f"not within {months} months"


def render_headline(result: ScenarioResult, today: dt.date) -> None:
    """Verdict sentence, five figures and the readiness checks."""
    c = result.primary
    box = st.success if c.payback.month is not None else st.warning
    box(md(result.verdict))
    cols = st.columns([1.4, 1, 1, 1, 1])
    cols[0].metric(
        BREAKEVEN,
        breakeven_text(c, unit=""),
        help=md(
            f"Requests in the first month at which both options cost the same over the "
            f"horizon: {c.breakeven.reason}."
        ),
    )
    cols[1].metric(
        PAYBACK,
        payback_text(c, result.horizon.months),
        help=md(f"At your volume, the month fine-tuning has paid for itself: {c.payback.reason}."),
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
    for note in h.notes:
        st.warning(md(f"Horizon: {note}."))
    render_readiness(readiness(result, today))


def render_readiness(checks: list[Check]) -> None:
    """One line per check, worst first so a blocker cannot be missed."""
    order = {"stop": 0, "warn": 1, "info": 2, "ok": 3}
    with st.container(border=True):
        st.markdown("**Is fine-tuning right for you?**")
        for check in sorted(checks, key=lambda c: order[c.level]):
            st.markdown(f"{ICONS[check.level]} **{md(check.topic)}** — {md(check.message)}")


def render_comparisons(result: ScenarioResult) -> None:
    """Every pair of strategies in the scenario, with its break-even and payback.

    Names go through :func:`safe_cell`, as in the CSV export: the table's own
    "Download as CSV" must not hand a spreadsheet a formula.
    """
    rows = [
        {
            "Baseline": safe_cell(c.a.name),
            "Alternative": safe_cell(c.b.name),
            "Break-even": breakeven_text(c),
            "Payback": payback_text(c, result.horizon.months),
            "Monthly savings": money(c.payback.monthly_savings_usd),
            "Saved over horizon": money(c.payback.cumulative_savings_usd),
        }
        for c in result.comparisons
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="comparisons_table")


def render_strategies(result: ScenarioResult) -> None:
    """Cost per request and fixed costs of each strategy, with the engine's notes."""
    rows = [
        {
            "Option": safe_cell(s.name),
            "Model": safe_cell(s.model_label),
            "Per request": money(s.per_request_usd),
            "One-time": money(s.one_time_usd),
            "Per month (fixed)": money(s.monthly_fixed_usd),
        }
        for s in result.strategies
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="strategies_table")
    for s in result.strategies:
        for note in s.notes:
            st.caption(md(f"{s.name}: {note_text(note)}"))

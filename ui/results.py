"""The answer first: the verdict, the headline figures and the readiness checks.

Every figure is a field of the engine's result put through
:mod:`costmodel.report.numbers`; nothing here computes.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Callable, MutableMapping, Sequence
from typing import Any

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
from costmodel.scenario import (
    Cache,
    Failure,
    Gpu,
    Scenario,
    Strategy,
    Tokens,
    Training,
    Workload,
)
from ui.state import BASELINE, CHALLENGER, IDS, MAIN_NAMED, key

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
NAME_WIDTH = 200  # pixels of a name column in the result tables


def md(text: str) -> str:
    r"""Text shown through Markdown exactly as written: names and messages never become markup.

    Every ASCII punctuation character is backslash-escaped (CommonMark shows an
    escaped character as itself), so a name cannot become a link, an image,
    emphasis, a heading, Streamlit's coloured text or a dollar formula, and a
    bare address is not turned into a link.

    >>> md("$5 [log in](https://x.example)")
    '\\$5 \\[log in\\]\\(https\\:\\/\\/x\\.example\\)'
    """
    return text.translate(_ESCAPES)


_ESCAPES = str.maketrans({c: "\\" + c for c in string.punctuation})


def plain_problem(problem: str, names: Sequence[str]) -> str:
    """A scenario error in the user's words: options by name, fields without underscores.

    >>> plain_problem("dashboard settings: strategies.0.tokens: cacheable_prefix_tokens (5000) "
    ...               "exceeds prompt_tokens (1076.32)", ["Long prompt"])
    'Long prompt, tokens: cacheable prefix tokens (5000) exceeds prompt tokens (1076.32)'
    >>> plain_problem("give yours as fine_tuning.training.usd_per_mtok (or usd_per_hour) in a "
    ...               "price override", [])
    'enter one as its training price on the Prices tab'
    """
    text = problem.removeprefix("dashboard settings: ")
    for written, shown in _WHERE_ON_THE_PAGE.items():
        text = text.replace(written, shown)

    def option(match: re.Match[str]) -> str:
        index = int(match[1])
        return f"{names[index]}, " if index < len(names) else match[0]

    text = re.sub(r"strategies\.(\d+)\.", option, text)
    return _FIELD_NAMES.sub(lambda m: m[0].replace("_", " "), text)


# What a scenario file would set, said as where the dashboard sets it.
_WHERE_ON_THE_PAGE = {
    "give yours as fine_tuning.training.usd_per_mtok (or usd_per_hour) in a price override": (
        "enter one as its training price on the Prices tab"
    ),
    "give the hours per run as training.hours_per_run": (
        "give the training hours per run under Training plan in the sidebar"
    ),
}

# Scenario field names with underscores; user text (names, paths) is never rewritten.
_FIELD_NAMES = re.compile(
    r"\b("
    + "|".join(
        sorted(
            {
                name
                for model in (Scenario, Workload, Strategy, Tokens, Cache, Failure, Training, Gpu)
                for name in model.model_fields
                if "_" in name
            },
            key=len,
            reverse=True,
        )
    )
    + r")\b"
)


def render_pair_picker(state: MutableMapping[str, Any], main_pair: tuple[int, int] | None) -> None:
    """Which two options the headline weighs: the scenario's main pair, chosen here.

    Until the user picks, the pickers follow the scenario's own main pair
    (:attr:`Scenario.main_pair`), so adding an option never changes the
    headline behind the user's back.
    """
    ids = list(state[IDS])
    if main_pair is not None and not state.get(MAIN_NAMED):
        state[BASELINE], state[CHALLENGER] = ids[main_pair[0]], ids[main_pair[1]]

    names = {sid: str(state.get(key(sid, "label")) or sid) for sid in ids}
    name = names.__getitem__  # plain data: the pickers' text never reads the session later

    left, right = st.columns(2)
    left.selectbox(
        "Headline baseline",
        ids,
        key=BASELINE,
        format_func=name,
        on_change=_picked,
        args=(state, BASELINE),
        help="The option you use today, or the one to beat.",
    )
    right.selectbox(
        "Compared with",
        ids,
        key=CHALLENGER,
        format_func=name,
        on_change=_picked,
        args=(state, CHALLENGER),
        help="The option the headline weighs against the baseline. Every other pair is in "
        "the Costs tab.",
    )


def _picked(state: MutableMapping[str, Any], changed: str) -> None:
    """Picker callback: the pair is the user's choice from now on; never one option twice."""
    state[MAIN_NAMED] = True
    other = CHALLENGER if changed == BASELINE else BASELINE
    if state[other] == state[changed]:
        ids = list(state[IDS])
        state[other] = next(i for i in ids if i != state[changed])


def render_headline(
    result: ScenarioResult,
    today: dt.date,
    origin: Sequence[str] = (),
    below_figures: Callable[[], None] | None = None,
) -> None:
    """Verdict sentence, where the figures come from, five figures and the readiness checks.

    The figures sit in a wrapping row, each as wide as its own text, so no
    value or label is ever cut: on a narrow screen they move to the next line.
    ``below_figures`` draws right under them (how sure the figures are).
    """
    c = result.primary
    box = st.success if c.challenger_cheaper else st.warning
    box(md(verdict(c)))
    if origin:
        render_origin(origin)
    with st.container(horizontal=True, gap="small", key="headline_figures"):
        _figure(
            BREAKEVEN,
            breakeven_value(c),
            f"Requests in the first month at which both options cost the same over the "
            f"horizon: {reason_text(c)}.",
        )
        _figure(
            PAYBACK,
            payback_value(c),
            f"At your volume, the month the challenger has paid for itself: {payback_text(c)}.",
        )
        _figure(
            MONTHLY,
            money(c.payback.monthly_savings_usd),
            "At your volume, the first month's running cost of the baseline minus the "
            "challenger's, before one-time costs.",
        )
        _figure(
            ONE_TIME,
            money(c.b.one_time_usd),
            "The challenger's training runs, data preparation and evaluation, paid in month 1.",
        )
        _figure(
            HORIZON,
            money(c.payback.cumulative_savings_usd),
            f"At your volume, total over {result.horizon.months} months, one-time costs and "
            "retraining included (negative: the challenger costs more).",
        )
    if below_figures is not None:
        below_figures()
    notes = scenario_notes(result)
    if notes:  # one block, a line each: seven notes no longer push the tabs a screen down
        st.caption("  \n".join(md(note) for note in notes))
    render_readiness(readiness(result, today))


ORIGIN = "provenance"  # the strip's container key, and so its CSS class ``st-key-provenance``
# One line at any width: what does not fit ends in an ellipsis, and the tooltip's icon, pinned
# to the right end of the line, opens the whole list.
ORIGIN_STYLE = f"""<style>
.st-key-{ORIGIN} [data-testid="stCaptionContainer"] p {{
    white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
    position: relative; padding-right: 1.5rem;
}}
.st-key-{ORIGIN} [data-testid="stCaptionContainer"] p span:has(label) {{
    position: absolute; right: 0; top: 0;
}}
</style>"""


def render_origin(parts: Sequence[str]) -> None:
    """Where the figures come from, on one line; the tooltip lists every part in full.

    On a narrow screen the line ends in "…"; the ⓘ beside it (hover, or tap
    on a phone) shows each part on its own line, so nothing is lost.
    """
    st.html(ORIGIN_STYLE)
    with st.container(key=ORIGIN):
        st.caption(
            md(" · ".join(parts)),
            help="\n".join(f"- {md(part)}" for part in parts),
        )


def _figure(label: str, value: str, help_text: str) -> None:
    """One headline figure, as wide as its label or value."""
    st.metric(label, value, help=md(help_text), width="content", border=True)


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
            "Break-even": breakeven_value(c),
            "Payback": payback_value(c),
            "Months": c.horizon.months,
            "Monthly saving": money(c.payback.monthly_savings_usd),
            "Total saved": money(c.payback.cumulative_savings_usd),
        }
        for c in result.comparisons
    ]
    helps = {
        "Break-even": "Requests in the first month at which both cost the same over the months "
        "compared.",
        "Months": "Months compared: the horizon, or less where a model retires sooner.",
        "Monthly saving": "At your volume, the first month's running cost of the baseline "
        "minus the alternative's, before one-time costs.",
        "Total saved": "At your volume, over the months compared, one-time costs and "
        "retraining included (negative: the alternative costs more).",
    }
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        key="comparisons_table",
        column_config=_names_column("Baseline", "Alternative")
        | {label: st.column_config.Column(label, help=text) for label, text in helps.items()},
    )


def _names_column(*labels: str) -> dict[str, Any]:
    """Name columns of a bounded width, so the figures beside them fit on a laptop's screen;
    a cut name shows whole when its cell is hovered."""
    return {label: st.column_config.TextColumn(label, width=NAME_WIDTH) for label in labels}


def render_strategies(result: ScenarioResult) -> None:
    """Cost per request and fixed costs of each strategy, with the engine's notes.

    Running costs are those of the first month at the user's volume (hosting,
    storage, other running costs and dedicated GPUs), as in the CLI table and
    the CSV; request costs are per 1,000 requests, so cents read as cents.
    """
    rows = []
    for s in result.strategies:
        running, gpus = running_costs(s, result.volume)
        rows.append(
            {
                "Option": safe_cell(s.name),
                "Model": safe_cell(s.model_label),
                "Per 1,000 requests": money(s.per_request_usd * 1_000),
                "One-time": money(s.one_time_usd),
                "Per month at your volume": money(running),
                "Dedicated GPUs": str(gpus) if s.gpu is not None else "–",
            }
        )
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        key="strategies_table",
        column_config=_names_column("Option", "Model"),
    )
    for s in result.strategies:
        for note in strategy_notes(result, s.name):
            st.caption(md(note))

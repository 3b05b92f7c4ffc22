"""The catalog as a buyer sees it: the model pickers and the procurement view of every pair.

Each picker option reads ``Provider · Model — prices · as of date (age) ·
who can buy it`` with a warning mark when a figure is unverified, old,
promotional, or the model retires or stops training; the full remark is
shown under the picker. By default the pickers offer what a new customer can
buy on the start date and keep for the whole horizon; one toggle shows
everything, each option saying who can still buy it.

The procurement view ranks every catalog pair by the saving, or by the total
cost of the fine-tuned option, at the user's volume, with the break-even, the
one-time, monthly fixed and per-request costs and who can buy each pair; the
user's own pair is highlighted with its rank, and every pair downloads as CSV.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from costmodel.engine.lifecycle import add_months
from costmodel.engine.sweeps import PAIR_COLUMNS
from costmodel.prices.availability import Use
from costmodel.prices.catalog import Catalog, CatalogIssue, CatalogModel
from costmodel.report.export import safe_cell, to_csv
from costmodel.report.numbers import count, money, per_million
from costmodel.report.price_list import (
    AVAILABILITY_WORDS,
    model_age_text,
    pair_availability_text,
)
from costmodel.report.wording import plural, reason_phrase
from ui.results import md

FLAGGED_KINDS = (
    "unverified",
    "stale",
    "promo",
    "retired",
    "training-closed",
    "existing-customers",
    "disputed",
    "lifecycle",
)
ALL_MODELS = "models_show_all"
PAIRS_ALL_MODELS = "pairs_show_all"
RANKED = ("breaks_even", "always")
LISTED_PAIRS = 100
PER_THOUSAND = 1_000

State = MutableMapping[str, Any]


@dataclass(frozen=True)
class ModelChoices:
    """Options of one model picker: catalog keys, their labels and their remarks.

    ``hidden`` counts the catalog models left out because a new customer
    could not buy them for the whole horizon.
    """

    keys: tuple[str, ...]
    labels: dict[str, str]
    flags: dict[str, str] = field(default_factory=dict)
    help: str = ""
    hidden: int = 0

    def label(self, key: str) -> str:
        """The option text of ``key``; a model outside the catalog shows its key."""
        return self.labels.get(key, key)

    def note(self, key: str) -> str:
        """What to show under the picker: the whole option text (a closed picker cuts it
        short), then any warning about the model."""
        warning = self.flags.get(key)
        return f"{self.label(key)}. ⚠ {warning}" if warning else self.label(key)


def catalog_choices(
    catalog: Catalog,
    today: dt.date,
    start: dt.date | None = None,
    months: int = 12,
    show_all: bool = False,
) -> tuple[ModelChoices, ModelChoices]:
    """The two pickers: models prompted with the long prompt, models to fine-tune.

    The first lists models with base prices judged as prompted, the second
    fine-tunable models judged as fine-tuned. Unless ``show_all``, only models
    a new customer can buy on ``start`` (default ``today``) and keep for
    ``months`` are offered.
    """
    start = start or today
    last_day = add_months(start, months) - dt.timedelta(days=1)
    flags = _flags(catalog.issues(today))

    def choices(
        models: list[CatalogModel], use: Use, prices: Callable[[CatalogModel], str], note: str
    ) -> ModelChoices:
        shown = [m for m in models if show_all or m.buyable_over(start, last_day, use)]
        labels = {
            m.key: _label(m, prices(m), flags, today, m.availability(start, use))
            for m in sorted(shown, key=_order)
        }
        return ModelChoices(tuple(labels), labels, flags, note, len(models) - len(shown))

    return (
        choices(
            catalog.base_models(),
            "prompt",
            _base_prices,
            "Base models, prompted as sold. Prices are USD per 1M tokens, input / output, "
            "with the date they were read and its age; then who can buy the model.",
        ),
        choices(
            catalog.fine_tunable(),
            "fine-tune",
            _ft_prices,
            "Models you can fine-tune. Training price, then the fine-tuned model's input / "
            "output prices per 1M tokens, the date they were read and who can buy it.",
        ),
    )


def availability_toggle(choices: Iterable[ModelChoices]) -> None:
    """The one switch that shows models a new customer cannot buy, with how many it hides."""
    hidden = sum(c.hidden for c in choices)
    st.toggle(
        "Show models a new customer cannot buy",
        key=ALL_MODELS,
        help=(
            "Off: only models a new customer can buy on the start date and keep for the "
            f"whole horizon ({count(hidden)} hidden now). On: every catalog model, "
            "including those open to existing customers only, closing inside the horizon "
            "or retired; each option says who can still buy it."
        ),
    )


def _order(m: CatalogModel) -> tuple[str, str]:
    """Providers alphabetically, then their models."""
    return (m.provider_name.lower(), m.entry.name.lower())


def _label(m: CatalogModel, prices: str, flags: dict[str, str], today: dt.date, state: str) -> str:
    """One option line: provider and model, prices, date and age, who can buy it, a mark."""
    mark = " ⚠" if m.key in flags else ""
    sold = AVAILABILITY_WORDS[state]  # type: ignore[index]
    return f"{m.label} — {prices} · as of {model_age_text(m, today)} · {sold}{mark}"


def _base_prices(m: CatalogModel) -> str:
    """Base input and output prices per 1M tokens."""
    p = m.inference
    assert p is not None  # base_models() only lists models with base prices
    return f"{per_million(p.input_usd_per_mtok)} in, {per_million(p.output_usd_per_mtok)} out"


def _ft_prices(m: CatalogModel) -> str:
    """Training price and the fine-tuned model's call prices."""
    ft = m.entry.fine_tuning
    assert ft is not None  # fine_tunable() only lists models with fine-tuning
    t = ft.training
    if t.price_not_public:
        train = "training price not public"
    elif t.usd_per_mtok is not None:
        train = f"train {per_million(t.usd_per_mtok)}"
    else:
        train = f"train {money(t.usd_per_hour)} / hour"
    calls = m.ft_inference
    if ft.serving.call_price_not_public and (calls is None or ft.serving.missing_price):
        return f"{train}, call price not public"
    if calls is None:
        return f"{train}, served on dedicated GPUs"
    return (
        f"{train}, calls {per_million(calls.input_usd_per_mtok)} in, "
        f"{per_million(calls.output_usd_per_mtok)} out"
    )


def _flags(issues: Iterable[CatalogIssue]) -> dict[str, str]:
    """One plain remark per model, joining everything a careful user should know."""
    notes: dict[str, list[str]] = {}
    for issue in issues:
        if issue.kind in FLAGGED_KINDS:
            notes.setdefault(issue.key, []).append(issue.message)
    return {k: "; ".join(v) for k, v in notes.items()}


# --- The procurement view -----------------------------------------------------------------------

SORTS = {
    "Saving at your volume (largest first)": ("savings_usd", False),
    "Total cost of the fine-tuned option (lowest first)": ("challenger_total_usd", True),
}


def pairs_wanted_all(state: State) -> bool:
    """Whether the ranking should include models a new customer cannot buy."""
    return bool(state.get(PAIRS_ALL_MODELS, False))


def procurement(ranking: pd.DataFrame | str, mine: tuple[str, str], months: int) -> None:
    """Every base × fine-tunable pair for this workload, ranked, filtered, highlighted.

    ``mine`` is the user's own (base model, fine-tuned model); ``months`` the
    requested horizon, for the column headings.
    """
    st.toggle(
        "Include models a new customer cannot buy",
        key=PAIRS_ALL_MODELS,
        help="Off: pairs a new customer can buy on the start date and keep for the whole "
        "horizon. On: every catalog pair, each marked with who can still buy it.",
    )
    if isinstance(ranking, str):
        st.info(md(f"No ranking: {ranking}"))
        return
    sort = st.selectbox(
        "Rank by",
        list(SORTS),
        key="pairs_sort",
        help="The saving is the base model's total minus the fine-tuned option's total over "
        "the horizon at your volume; the total cost is what the fine-tuned option costs in "
        "all (training, hosting, GPUs and requests).",
    )
    _not_ranked(ranking.attrs.get("skipped", {}))
    shown = _filtered(ranking, mine)
    column, ascending = SORTS[sort]
    ordered = _ordered(shown, column, ascending)
    _my_rank(ordered, mine)
    table = _table(ordered.head(LISTED_PAIRS), months)
    st.dataframe(
        table.style.apply(_highlight(ordered.head(LISTED_PAIRS), mine), axis=1),
        hide_index=True,
        key="pairs_table",
        column_config=_column_config(),
    )
    st.caption(
        md(
            f"The first {count(len(table))} of {count(len(ordered))} pairs shown; the CSV holds "
            f"all {count(len(ranking))} pairs of the ranking, unfiltered."
        )
    )
    st.download_button(
        f"Download all {count(len(ranking))} pairs (CSV)",
        pairs_csv(ranking),
        file_name="catalog-pairs.csv",
        mime="text/csv",
        key="pairs_csv",
        help="Every pair of the ranking with every figure unrounded, one row per pair.",
    )


def _not_ranked(skipped: dict[str, str]) -> None:
    """The models the ranking could not price, each with its reason: nothing drops silently."""
    if not skipped:
        return
    with st.expander(f"Not ranked: {plural(len(skipped), 'model')} with no price to rank"):
        for reason in skipped.values():
            st.caption(md(reason))


def pairs_csv(ranking: pd.DataFrame) -> str:
    """Every pair, every column, cells made safe for spreadsheets."""
    rows = ranking.astype(object).where(ranking.notna(), None).to_dict("records")
    return to_csv(rows, PAIR_COLUMNS)


def _filtered(ranking: pd.DataFrame, mine: tuple[str, str]) -> pd.DataFrame:
    """The pairs the filters keep: providers on each side, and my base model only."""
    left, right = st.columns(2)
    with left:
        base_providers = _provider_filter(ranking, "baseline_provider", "Base-model providers")
    with right:
        ft_providers = _provider_filter(ranking, "challenger_provider", "Fine-tuning providers")
    only_mine = st.toggle(
        "Only pairs with my base model",
        value=False,
        key="pairs_my_base_only",
        help="On: which model to fine-tune instead of the base model you use today. "
        "Off: every base model of the catalog as well.",
    )
    keep = pd.Series(True, index=ranking.index)
    if base_providers:
        keep &= ranking["baseline_provider"].isin(base_providers)
    if ft_providers:
        keep &= ranking["challenger_provider"].isin(ft_providers)
    if only_mine:
        keep &= ranking["baseline_model"] == mine[0]
    return ranking[keep]


def _provider_filter(ranking: pd.DataFrame, column: str, label: str) -> list[str]:
    """Providers to keep on one side; none chosen keeps them all."""
    return st.multiselect(
        label,
        sorted(set(ranking[column])),
        key=f"pairs_{column}",
        placeholder="All providers",
        help="Only pairs whose model on this side is sold by one of these providers; "
        "leave empty for every provider.",
    )


def _ordered(ranking: pd.DataFrame, column: str, ascending: bool) -> pd.DataFrame:
    """Usable pairs by the chosen figure, pairs that cannot be used last."""
    usable = ranking["status"] != "unavailable"
    first = ranking[usable].sort_values(column, ascending=ascending, kind="stable")
    return pd.concat([first, ranking[~usable]]).reset_index(drop=True)


def _my_rank(ordered: pd.DataFrame, mine: tuple[str, str]) -> None:
    """Where the user's own pair stands, or why it is not in the list."""
    at = ordered.index[
        (ordered["baseline_model"] == mine[0]) & (ordered["challenger_model"] == mine[1])
    ]
    if len(at):
        row = ordered.loc[at[0]]
        st.markdown(
            md(
                f"Your pair, {row['baseline_label']} → {row['challenger_label']}, ranks "
                f"{count(at[0] + 1)} of {count(len(ordered))}: it saves "
                f"{money(row['savings_usd'])} at your volume."
            )
        )
    else:
        st.caption(
            "Your pair is not in this list: a filter hides it, or a new customer cannot buy "
            "one of its models (turn on “Include models a new customer cannot buy”)."
        )


def _table(ranking: pd.DataFrame, months: int) -> pd.DataFrame:
    """The ranking as a readable table: rank, labels, words and formatted money.

    When some pair covers fewer than the requested ``months`` (a model retires
    inside the horizon), a column says how many months each pair covers.
    """
    per_k = f"per {count(PER_THOUSAND)} requests"
    cut = ranking["horizon_months"] != months
    saving = f"Saving over {months} months" if not cut.any() else "Saving over its months"
    columns: dict[str, Any] = {}
    if cut.any():  # a model retiring inside the horizon shortens its pairs
        columns["Months"] = ranking["horizon_months"].to_numpy()
    return pd.DataFrame(
        {
            "Rank": range(1, len(ranking) + 1),
            "Base model": ranking["baseline_label"].map(safe_cell).to_numpy(),
            "Fine-tuned model": ranking["challenger_label"].map(safe_cell).to_numpy(),
            **columns,
            saving: ranking["savings_usd"].map(money).to_numpy(),
            "Fine-tuned total": ranking["challenger_total_usd"].map(money).to_numpy(),
            "Break-even (requests / month)": [
                count(v) if s in RANKED else s.replace("_", " ")
                for v, s in zip(
                    ranking["breakeven_requests_per_month"], ranking["status"], strict=True
                )
            ],
            "One-time": ranking["challenger_one_time_usd"].map(money).to_numpy(),
            "Monthly fixed (hosting, GPUs)": ranking["challenger_monthly_fixed_usd"]
            .map(money)
            .to_numpy(),
            f"Base {per_k}": (ranking["baseline_cost_per_request_usd"] * PER_THOUSAND)
            .map(money)
            .to_numpy(),
            f"Fine-tuned {per_k}": (ranking["challenger_cost_per_request_usd"] * PER_THOUSAND)
            .map(money)
            .to_numpy(),
            "Who can buy it": [
                pair_availability_text(a, b, bool(ok))
                for a, b, ok in zip(
                    ranking["baseline_availability"],
                    ranking["challenger_availability"],
                    ranking["buyable"],
                    strict=True,
                )
            ],
            "Why": ranking["reason"].map(reason_phrase).to_numpy(),
        }
    )


def _highlight(ranking: pd.DataFrame, mine: tuple[str, str]) -> Callable[[pd.Series], list[str]]:
    """Row styles: the user's own pair stands out."""
    is_mine = (
        (ranking["baseline_model"] == mine[0]) & (ranking["challenger_model"] == mine[1])
    ).to_numpy()

    def style(row: pd.Series) -> list[str]:
        css = "background-color: rgba(255, 215, 0, 0.35); font-weight: bold"
        return [css if is_mine[row.name] else ""] * len(row)

    return style


def _column_config() -> dict[str, Any]:
    """Every column sized to its content (the table scrolls sideways on a narrow screen)."""
    return {"Rank": st.column_config.NumberColumn(help="Position in this list", pinned=True)}

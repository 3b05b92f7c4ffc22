"""The result tabs: charts and tables laid out from the engine's result and sweeps."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from costmodel.engine.evaluate import ScenarioResult
from costmodel.engine.sweeps import cost_curves, cumulative_costs
from costmodel.report.charts import fixed_breakdown, request_breakdown, volume_range
from costmodel.report.export import safe_cell
from costmodel.report.numbers import count, money
from costmodel.report.wording import reason_phrase
from ui import charts, results
from ui.results import md

TOP_PAIRS = 15
LISTED_PAIRS = 100
RANKED = ("breaks_even", "always")


def costs(result: ScenarioResult) -> None:
    """Cost against volume, cumulative cost over the horizon, and every comparison."""
    c = result.primary
    curves = cost_curves(result, volume_range(result))
    st.subheader("Average monthly cost by volume")
    st.caption(
        "One-time and retraining costs spread over the horizon. Where the lines cross, "
        "both options cost the same: the break-even."
    )
    st.plotly_chart(charts.cost_curves(curves, c), key="cost_curve_chart")
    st.subheader("Cumulative cost at your volume")
    st.plotly_chart(
        charts.cumulative(cumulative_costs(result), c.payback, result.horizon),
        key="cumulative_chart",
    )
    st.subheader("Every comparison in this scenario")
    results.render_comparisons(result)


def breakdown(result: ScenarioResult) -> None:
    """What each option's costs are made of."""
    st.subheader("Cost of each option")
    results.render_strategies(result)
    st.subheader("What one request costs")
    st.plotly_chart(
        charts.breakdown(request_breakdown(result), "Cost per successful request (USD)"),
        key="request_breakdown_chart",
    )
    st.subheader("Costs that do not grow with requests")
    fixed = fixed_breakdown(result)
    if fixed.empty:
        st.caption("None: every option is paid per request only.")
        return
    st.plotly_chart(
        charts.breakdown(fixed, "Costs over the horizon besides requests (USD)"),
        key="fixed_breakdown_chart",
    )


def sensitivity(swings: pd.DataFrame | str) -> None:
    """The tornado: which inputs move the break-even most."""
    if isinstance(swings, str):
        st.info(md(f"No sensitivity chart: {swings}"))
        return
    st.caption("Each input moved 25 % down and up, all others unchanged.")
    st.plotly_chart(charts.tornado(swings), key="tornado_chart")


def pairs(ranking: pd.DataFrame | str, base_key: str, base_label: str) -> None:
    """Every base × fine-tunable pair of the catalog for this workload, best first."""
    if isinstance(ranking, str):
        st.info(md(f"No ranking: {ranking}"))
        return
    st.caption(
        "Your token figures and training plan, priced on every pair of catalog models. "
        "Largest saving at your volume first; pairs that cannot be used are listed last."
    )
    mine = st.toggle(
        f"Only pairs with my base model ({base_label})",
        value=True,
        key="pairs_my_base_only",
        help="On: which model to fine-tune instead of the base model you use today. "
        "Off: every base model of the catalog as well.",
    )
    if mine:
        ranking = ranking[ranking["baseline_model"] == base_key]
    top = (
        ranking[ranking["status"].isin(RANKED)]
        .sort_values("breakeven_requests_per_month", kind="stable")
        .head(TOP_PAIRS)
    )
    if top.empty:
        st.info("No pair of catalog models breaks even for this workload.")
    else:
        st.plotly_chart(charts.pairs(top), key="pairs_chart")
    listed = ranking.head(LISTED_PAIRS)
    st.dataframe(_pairs_table(listed), hide_index=True, key="pairs_table")
    st.caption(f"The {count(len(listed))} largest savings of {count(len(ranking))} pairs.")


def _pairs_table(ranking: pd.DataFrame) -> pd.DataFrame:
    """The ranking as a readable table: labels, words and formatted money."""
    return pd.DataFrame(
        {
            "Base model": ranking["baseline_label"].map(safe_cell),
            "Fine-tuned model": ranking["challenger_label"].map(safe_cell),
            "Saving at your volume": ranking["savings_usd"].map(money),
            "Break-even (requests / month)": [
                count(v) if s in RANKED else s.replace("_", " ")
                for v, s in zip(
                    ranking["breakeven_requests_per_month"], ranking["status"], strict=True
                )
            ],
            "Base per request": ranking["baseline_cost_per_request_usd"].map(money),
            "Fine-tuned per request": ranking["challenger_cost_per_request_usd"].map(money),
            "One-time": ranking["challenger_one_time_usd"].map(money),
            "Monthly fixed": ranking["challenger_monthly_fixed_usd"].map(money),
            "Why": ranking["reason"].map(reason_phrase),
        }
    )

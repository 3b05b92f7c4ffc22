"""The result tabs: charts and tables laid out from the engine's result and sweeps."""

from __future__ import annotations

import streamlit as st

from costmodel.engine.evaluate import ScenarioResult
from costmodel.engine.sweeps import cost_curves, cumulative_costs
from costmodel.report.charts import FIXED_PARTS, fixed_breakdown, request_breakdown, volume_range
from costmodel.report.numbers import count
from ui import charts, results
from ui.results import md

PER = 1_000  # requests: per-request amounts read in cents, not micro-dollars
MONTHLY_PARTS = [FIXED_PARTS[k] for k in ("hosting", "storage", "other", "gpu")]


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
    pair = (c.a.name, c.b.name)
    others = [s.name for s in result.strategies if s.name not in pair]
    if others:
        st.caption(
            md(
                f"The two options of the headline are drawn; click {', '.join(others)} in the "
                "legend to add " + ("it." if len(others) == 1 else "them.")
            )
        )
    st.plotly_chart(
        charts.cumulative(cumulative_costs(result), c.payback, result.horizon, pair),
        key="cumulative_chart",
    )
    st.subheader("Every comparison in this scenario")
    results.render_comparisons(result)


def breakdown(result: ScenarioResult) -> None:
    """What each option's costs are made of: per 1,000 requests, per month, one-time."""
    st.subheader("Cost of each option")
    results.render_strategies(result)
    st.subheader("What 1,000 requests cost")
    per_thousand = request_breakdown(result).assign(usd=lambda f: f["usd"] * PER)
    st.plotly_chart(
        charts.breakdown(per_thousand, "Cost per 1,000 successful requests (USD)"),
        key="request_breakdown_chart",
    )
    fixed = fixed_breakdown(result)
    monthly = fixed[fixed["part"].isin(MONTHLY_PARTS)].assign(
        usd=lambda f: f["usd"] / result.horizon.months
    )
    once = fixed[~fixed["part"].isin(MONTHLY_PARTS)]
    st.subheader("Running costs per month that do not grow with each request")
    if monthly.empty:
        st.caption("None: no option pays hosting, storage or GPUs by the month.")
    else:
        st.caption(
            "Hosting, storage, other running costs and dedicated GPUs, averaged over the "
            f"{count(result.horizon.months)} months at your volume and growth."
        )
        st.plotly_chart(
            charts.breakdown(monthly, "Average per month (USD)"), key="monthly_breakdown_chart"
        )
    st.subheader("One-time and retraining costs over the horizon")
    if once.empty:
        st.caption("None: no option trains.")
        return
    st.plotly_chart(charts.breakdown(once, "Over the horizon (USD)"), key="fixed_breakdown_chart")

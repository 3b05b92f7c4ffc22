"""The result tabs: charts and tables laid out from the engine's result and sweeps."""

from __future__ import annotations

import streamlit as st

from costmodel.engine.evaluate import ScenarioResult
from costmodel.engine.sweeps import cost_curves, cumulative_costs
from costmodel.report.charts import fixed_breakdown, request_breakdown, volume_range
from ui import charts, results


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

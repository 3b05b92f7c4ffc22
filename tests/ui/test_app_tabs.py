"""Each tab draws its own charts, and only when it is open: a control's rerun draws the open tab."""

from __future__ import annotations

from app_helpers import fresh_app, open_tab

# Chart keys each tab draws on the demo (the simulated futures belong with the sensitivity).
CHARTS = {
    "Costs": {"cost_curve_chart", "cumulative_chart"},
    "Sensitivity": {"fan_chart", "breakeven_histogram", "tornado_chart"},
}


def _charts(at) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(c.proto.id).split("-", 2)[-1] for c in at.get("plotly_chart")}


def test_each_tab_draws_its_own_charts_only_when_open():
    at = fresh_app()
    assert _charts(at) == CHARTS["Costs"]  # the first tab is open on a new session
    open_tab(at, "Sensitivity")
    assert _charts(at) == CHARTS["Sensitivity"]
    at.select_slider(key="monthly_requests").set_value(2_000_000).run()
    assert _charts(at) == CHARTS["Sensitivity"]

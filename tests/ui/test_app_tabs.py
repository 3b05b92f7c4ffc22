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


def test_every_dollar_axis_writes_the_dollar_on_every_tick():
    # A prefix is left off a log axis's in-between ticks ("$10,000", "20,000"); the currency
    # in the number format is not.
    import json

    at = fresh_app()
    axes = []
    for tab in ("Costs", "Breakdown", "Sensitivity"):
        open_tab(at, tab)
        for chart in at.get("plotly_chart"):
            layout = json.loads(chart.proto.spec)["layout"]
            axes += [a for name, a in layout.items() if name[1:5] == "axis"]
    dollars = [a for a in axes if "USD" in str(a.get("title", {}).get("text", ""))]
    assert len(dollars) >= 5
    for axis in dollars:
        assert "tickprefix" not in axis and axis["tickformat"].startswith("$"), axis


def test_the_cumulative_chart_draws_the_headline_pair_and_keeps_the_rest_in_its_legend():
    import json

    at = fresh_app()
    chart = next(c for c in at.get("plotly_chart") if "cumulative_chart" in str(c.proto.id))
    traces = json.loads(chart.proto.spec)["data"]
    hidden = {t["name"] for t in traces if t.get("visible") == "legendonly"}
    drawn = {t["name"] for t in traces if "visible" not in t}
    assert drawn == {"Long prompt on GPT-6.1 Terra", "Fine-tuned Nova Micro, short prompt"}
    third = "Fine-tuned gpt-oss-20b (LoRA, dedicated GPU), short prompt"
    assert hidden == {third}
    assert any(third in c.value.replace("\\", "") and "legend" in c.value for c in at.caption)


def test_a_one_month_horizon_shows_its_cumulative_cost_as_bars():
    import json

    at = fresh_app()
    at.slider(key="horizon_months").set_value(1).run()
    chart = next(c for c in at.get("plotly_chart") if "cumulative_chart" in str(c.proto.id))
    traces = json.loads(chart.proto.spec)["data"]
    assert {t["type"] for t in traces} == {"bar"} and all(len(t["x"]) == 1 for t in traces)

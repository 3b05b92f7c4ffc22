"""The ranges panel, the simulated headline line and the charts, component by component.

Expected texts come from ``costmodel`` (the simulation and report.wording),
never from the dashboard code under test.
"""

from __future__ import annotations

import datetime as dt

import pytest
from app_helpers import fresh_app
from streamlit.testing.v1 import AppTest

from costmodel.demo import demo_scenario
from costmodel.engine.evaluate import evaluate
from costmodel.engine.simulation import simulate
from costmodel.prices.catalog import load_catalog
from costmodel.report.wording import simulation_headline, status_counts_text
from costmodel.scenario import scenario_from_dict, scenario_to_dict
from ui.state import RANGES, scenario_from_widgets, widgets_from_scenario

TODAY = dt.date(2026, 12, 1)


def _ranged_demo():
    data = scenario_to_dict(demo_scenario())
    data["workload"]["requests_per_month"] = {"low": 2e5, "likely": 1e6, "high": 3e6}
    data["strategies"][0]["cache"]["hit_rate"] = {"dist": "normal", "mean": 0.9, "sd": 0.03}
    data["strategies"][1]["training"]["runs"] = {"low": 1, "high": 5}
    return scenario_from_dict(data)


def test_ranges_survive_the_trip_through_the_controls():
    scenario = _ranged_demo()
    widgets = widgets_from_scenario(scenario)
    assert widgets["monthly_requests"] == 1e6  # the control shows the likely value
    assert scenario_from_widgets(widgets) == scenario


def test_a_moved_control_moves_its_range_centre():
    widgets = widgets_from_scenario(_ranged_demo())
    widgets["monthly_requests"] = 2e6
    widgets["base_cache_hit_rate"] = 0.8
    moved = scenario_from_widgets(widgets)
    assert moved.uncertain["workload.requests_per_month"].likely == 2e6
    assert moved.uncertain["strategies.0.cache.hit_rate"].mean == 0.8
    # a uniform range whose midpoint (3) is no longer the control's value becomes triangular
    widgets["ft_runs"] = 2
    assert moved.uncertain["strategies.1.training.runs"].kind == "uniform"
    again = scenario_from_widgets(widgets).uncertain["strategies.1.training.runs"]
    assert (again.kind, again.low, again.likely, again.high) == ("triangular", 1, 2, 5)


def test_a_control_moved_outside_its_range_is_refused_by_name():
    widgets = widgets_from_scenario(_ranged_demo())
    widgets["monthly_requests"] = 5e6
    with pytest.raises(Exception, match=r"workload.requests_per_month: .*outside low to high"):
        scenario_from_widgets(widgets)


def _panel() -> None:
    import streamlit as st

    from costmodel.demo import demo_scenario as demo
    from costmodel.scenario import scenario_from_dict as load_dict
    from costmodel.scenario import scenario_to_dict as dump
    from ui import uncertainty
    from ui.state import load_into as load

    which = st.session_state.get("_load", "demo")
    if st.session_state.get("_loaded") != which:
        data = dump(demo())
        if which == "ranged":
            data["workload"]["requests_per_month"] = {"low": 2e5, "likely": 1e6, "high": 3e6}
            data["strategies"][0]["cache"]["hit_rate"] = {"dist": "normal", "mean": 0.9, "sd": 0.03}
            data["strategies"][1]["training"]["runs"] = {"low": 1, "high": 5}
        load(st.session_state, load_dict(data))
        st.session_state["_loaded"] = which
    uncertainty.render_inputs(st.session_state)


def test_ticking_volume_adds_a_range_around_the_slider_value():
    at = AppTest.from_function(_panel)
    at.run()
    assert at.session_state[RANGES] == {}
    at.checkbox(key="range_volume_on").check().run()
    # default ends: half and double the volume, likely the volume itself (1,000,000)
    assert at.number_input(key="range_volume_low").value == 500_000
    assert at.number_input(key="range_volume_high").value == 2_000_000
    assert at.session_state[RANGES] == {
        "workload.requests_per_month": {"low": 500_000, "high": 2_000_000, "likely": 1_000_000}
    }
    at.number_input(key="range_volume_low").set_value(1_500_000).run()
    assert at.session_state[RANGES] == {}
    assert "must lie between the low and the high" in at.warning[0].value
    at.checkbox(key="range_volume_on").uncheck().run()
    assert not at.warning and at.session_state[RANGES] == {}


def test_percent_controls_write_fractions():
    at = AppTest.from_function(_panel)
    at.run()
    at.checkbox(key="range_growth_on").check().run()
    at.number_input(key="range_growth_low").set_value(-1.0).run()
    at.number_input(key="range_growth_high").set_value(8.0).run()
    # the demo grows 3 % a month: the range is −1 % to 8 %, likely 3 %
    assert at.session_state[RANGES]["workload.monthly_growth"] == {
        "low": -0.01,
        "high": 0.08,
        "likely": 0.03,
    }


def test_a_loaded_range_fills_the_panel():
    at = AppTest.from_function(_panel)
    at.run()
    at.session_state["_load"] = "ranged"  # as a loaded file or share link does
    at.run()
    assert at.checkbox(key="range_volume_on").value is True
    assert at.number_input(key="range_volume_low").value == 200_000
    assert at.number_input(key="range_runs_high").value == 5
    # the normal hit-rate range has no ends to edit: it is named, not dropped
    assert at.checkbox(key="range_hit_rate_on").value is True
    assert any("normal range from the loaded scenario" in c.value for c in at.caption)


def _headline(ranged: bool) -> None:
    import datetime as dt

    from costmodel.demo import demo_scenario as demo
    from costmodel.engine.evaluate import evaluate as run
    from costmodel.engine.simulation import simulate as draw
    from costmodel.prices.catalog import load_catalog as catalog
    from costmodel.scenario import scenario_from_dict as load
    from costmodel.scenario import scenario_to_dict as dump
    from ui import uncertainty

    data = dump(demo())
    if ranged:
        data["strategies"][1]["training"]["runs"] = {"low": 1, "high": 5}
    result = run(load(data), catalog(), today=dt.date(2026, 12, 1))
    sim = draw(result.scenario, result.catalog, draws=300, seed=2, result=result)
    uncertainty.render_headline(result.primary, sim if ranged else None)
    uncertainty.render_charts(sim if ranged else None)


def test_headline_shows_the_simulated_range_the_engine_gives():
    at = AppTest.from_function(_headline, args=(True,))
    at.run()
    assert not at.exception
    data = scenario_to_dict(demo_scenario())
    data["strategies"][1]["training"]["runs"] = {"low": 1, "high": 5}
    result = evaluate(scenario_from_dict(data), load_catalog(), today=TODAY)
    sim = simulate(result.scenario, result.catalog, draws=300, seed=2, result=result)
    (box,) = at.info
    assert box.value.replace("\\", "") == simulation_headline(result.primary, sim)
    assert "80 % of outcomes" in box.value.replace("\\", "")
    assert any(status_counts_text(sim) in c.value.replace("\\", "") for c in at.caption)
    assert len(at.get("plotly_chart")) == 2  # the fan and the histogram


def test_without_ranges_the_headline_says_how_to_get_them():
    at = AppTest.from_function(_headline, args=(False,))
    at.run()
    assert not at.info
    assert any("Uncertain inputs" in c.value for c in at.caption)
    assert not at.get("plotly_chart")


def test_whole_page_shows_the_range_after_a_tick():
    at = fresh_app()
    at.checkbox(key="range_runs_on").check().run()
    assert not at.exception
    (box,) = at.info
    text = box.value.replace("\\", "")
    assert "80 % of outcomes" in text and "simulated futures at your volume" in text


def _tornado_tab() -> None:
    import datetime as dt

    import streamlit as st

    from costmodel.demo import demo_scenario as demo
    from costmodel.prices.catalog import load_catalog as catalog
    from ui import uncertainty

    scenario = demo().model_copy(update={"start_date": dt.date(2026, 12, 1)})
    uncertainty.render_tornado(
        st.session_state, scenario, catalog(), "shipped", scenario.start_date
    )


def test_tornado_names_tested_values_clipping_and_cliffs():
    from costmodel.engine.sensitivity import tornado
    from costmodel.report.wording import input_label, swing_range_text

    at = AppTest.from_function(_tornado_tab, default_timeout=60)
    at.run()
    assert not at.exception
    frame = tornado(demo_scenario(), load_catalog(), today=TODAY)
    moving = frame[frame["swing"] > 0]
    flagged = moving[moving["clipped_high"] | (moving["cliff_low"] != "")]
    assert len(flagged) >= 2  # the demo's hit rate is clipped at 100 %, its prefix has a cliff
    shown = [c.value.replace("\\", "") for c in at.caption]
    for r in flagged.itertuples():
        text = swing_range_text(
            r.input, r.value_low, r.value_high, r.clipped_low, r.clipped_high,
            r.cliff_low, r.cliff_high,
        )  # fmt: skip
        assert f"{input_label(r.input, r.side)}: {text}" in shown
    assert any("the prefix falls below the minimum cacheable length" in c for c in shown)
    at.radio(key="tornado_metric").set_value(at.radio(key="tornado_metric").options[1]).run()
    assert not at.exception
    assert not any(c.startswith("No effect") and "Requests per month" in c for c in
                   (c.value.replace("\\", "") for c in at.caption))  # fmt: skip

"""The uncertainty panel's possible price change, and the headline's count of repriced futures.

Expected texts come from ``costmodel`` (report.wording), never from the dashboard code.
"""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from costmodel.demo import demo_scenario
from costmodel.engine.evaluate import evaluate
from costmodel.engine.simulation import simulate
from costmodel.prices.catalog import load_catalog
from costmodel.report.wording import repriced_text
from costmodel.scenario import scenario_from_dict, scenario_to_dict
from ui.state import PRICE_CHANGES, scenario_from_widgets, widgets_from_scenario

TODAY = dt.date(2026, 12, 1)
CHANGE = {"price": "input", "factor": {"low": 0.6, "high": 0.9}, "month": {"low": 3, "high": 8}}


def _changed_demo(**given):
    data = scenario_to_dict(demo_scenario())
    change = CHANGE | {"strategy": data["strategies"][0]["name"], "probability": 0.4} | given
    data["possible_price_changes"] = [change]
    return scenario_from_dict(data)


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
        if which == "changed":
            data["possible_price_changes"] = [
                {
                    "strategy": data["strategies"][0]["name"],
                    "price": "input",
                    "factor": {"low": 0.6, "high": 0.9},
                    "month": {"low": 3, "high": 8},
                    "probability": 0.4,
                }
            ]
        if which == "triangular":
            data["possible_price_changes"] = [
                {
                    "strategy": data["strategies"][1]["name"],
                    "price": "training",
                    "factor": 2,
                    "month": {"low": 2, "likely": 4, "high": 9},
                    "probability": 1,
                }
            ]
        load(st.session_state, load_dict(data))
        st.session_state["_loaded"] = which
    uncertainty.render_inputs(st.session_state)


def _widgets(at: AppTest) -> list:
    return [*at.checkbox, *at.selectbox, *at.number_input]


def test_ticking_the_change_adds_one_with_units_and_help():
    at = AppTest.from_function(_panel, default_timeout=30)
    at.run()
    assert at.session_state[PRICE_CHANGES] == []
    at.checkbox(key="range_change_on").check().run()
    # defaults: the baseline's input price −50 % to 0 % from month 2 to the horizon's
    # last (the demo runs 12 months), with probability 50 %
    assert at.session_state[PRICE_CHANGES] == [
        {
            "strategy": "base",
            "price": "input",
            "factor": {"low": 0.5, "high": 1.0},
            "month": {"low": 2, "high": 12},
            "probability": 0.5,
        }
    ]
    for widget in _widgets(at):
        assert widget.help, widget.label
    labels = [w.label for w in at.number_input if w.key.startswith("range_change_")]
    assert all("(" in label for label in labels), labels  # every number names its unit
    scenario = scenario_from_widgets(dict(at.session_state.items()))
    (change,) = scenario.possible_price_changes
    assert change.strategy == demo_scenario().strategies[0].name


def test_the_challengers_training_price_with_a_fixed_size_and_month():
    at = AppTest.from_function(_panel, default_timeout=30)
    at.run()
    at.checkbox(key="range_change_on").check().run()
    at.selectbox(key="range_change_side").set_value("ft").run()
    assert at.selectbox(key="range_change_price").options == [
        "input price",
        "cached input price",
        "output price",
        "training price",
        "hosting fee per hour",
        "GPU price per hour",
    ]
    at.selectbox(key="range_change_price").set_value("training").run()
    at.number_input(key="range_change_low").set_value(20.0).run()
    at.number_input(key="range_change_high").set_value(20.0).run()
    at.number_input(key="range_change_from").set_value(7).run()
    at.number_input(key="range_change_to").set_value(7).run()
    at.number_input(key="range_change_chance").set_value(100.0).run()
    assert at.session_state[PRICE_CHANGES] == [
        {"strategy": "ft", "price": "training", "factor": 1.2, "month": 7, "probability": 1.0}
    ]


def test_a_reversed_range_is_not_used_and_says_why():
    at = AppTest.from_function(_panel, default_timeout=30)
    at.run()
    at.checkbox(key="range_change_on").check().run()
    at.number_input(key="range_change_low").set_value(10.0).run()
    assert at.session_state[PRICE_CHANGES] == []
    assert "Not used" in at.warning[0].value
    at.checkbox(key="range_change_on").uncheck().run()
    assert not at.warning and at.session_state[PRICE_CHANGES] == []


def test_a_loaded_change_fills_the_panel_and_survives_the_controls():
    at = AppTest.from_function(_panel, default_timeout=30)
    at.run()
    at.session_state["_load"] = "changed"  # as a loaded file or share link does
    at.run()
    assert at.checkbox(key="range_change_on").value is True
    assert at.number_input(key="range_change_low").value == -40
    assert at.number_input(key="range_change_high").value == -10
    assert at.number_input(key="range_change_from").value == 3
    assert at.number_input(key="range_change_to").value == 8
    assert at.number_input(key="range_change_chance").value == 40
    scenario = scenario_from_widgets(dict(at.session_state.items()))
    assert scenario.possible_price_changes == _changed_demo().possible_price_changes


def test_a_change_the_panel_cannot_show_is_kept_as_written():
    at = AppTest.from_function(_panel, default_timeout=30)
    at.run()
    at.session_state["_load"] = "triangular"
    at.run()
    assert "kept as written" in at.caption[-1].value
    kept = scenario_from_widgets(dict(at.session_state.items())).possible_price_changes
    assert kept[0].month_spread.likely == 4


def test_widgets_give_back_a_scenario_with_changes():
    scenario = _changed_demo()
    assert scenario_from_widgets(widgets_from_scenario(scenario)) == scenario


def _headline(scenario_data: dict) -> None:
    import datetime as dt

    from costmodel.engine.evaluate import evaluate as run
    from costmodel.engine.simulation import simulate as draw
    from costmodel.prices.catalog import load_catalog as prices
    from costmodel.scenario import scenario_from_dict as load_dict
    from ui import uncertainty

    scenario = load_dict(scenario_data)
    result = run(scenario, prices(), today=dt.date(2026, 12, 1))
    sim = draw(scenario, prices(), draws=200, seed=0, result=result)
    uncertainty.render_headline(result.primary, sim)


def test_the_headline_counts_the_repriced_futures():
    scenario = _changed_demo()
    at = AppTest.from_function(_headline, args=(scenario_to_dict(scenario),), default_timeout=60)
    at.run()
    result = evaluate(scenario, load_catalog(), today=TODAY)
    sim = simulate(scenario, load_catalog(), draws=200, seed=0, result=result)
    assert 0 < sim.repriced_draws < 200
    assert repriced_text(sim) in at.caption[0].value

"""A saved scenario or share link pins its start date, so it gives the same figures later."""

from __future__ import annotations

import datetime as dt

from app_helpers import APP, demo_data, headline, plain, shipped, shown
from streamlit.testing.v1 import AppTest

from costmodel.engine.evaluate import evaluate
from costmodel.scenario import scenario_from_dict
from ui.share import PARAM, decode, encode

START = dt.date(2026, 10, 1)
LATER = dt.date(2027, 3, 1)
NEARER = dt.date(2026, 12, 1)  # a shorter horizon before the retirement
# Retires 2027-01-14 in the shipped tables: inside a 12-month horizon from START,
# before LATER, so the start date decides the figures.
RETIRING = "openai/gpt-4.1-mini-2025-04-14"


def _retiring_scenario(start: dt.date | None) -> dict:
    data = demo_data()
    data["start_date"] = start.isoformat() if start else None
    for strategy in data["strategies"]:
        strategy["model"] = RETIRING
    return data


def _opened(link: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params[PARAM] = link
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _param(at: AppTest) -> str:
    """The scenario the address bar carries after the run."""
    value = at.query_params[PARAM]
    return value if isinstance(value, str) else value[-1]


def test_a_link_opened_later_shows_the_figures_it_was_made_with() -> None:
    scenario = scenario_from_dict(_retiring_scenario(START))
    made = headline(evaluate(scenario, shipped(), today=START))
    # The same scenario without its date moves with the calendar: the model has retired.
    loose = scenario.model_copy(update={"start_date": None})
    assert evaluate(loose, shipped(), today=LATER).primary.breakeven.status == "unavailable"

    at = _opened(encode(scenario))  # opened today, whatever today is
    assert shown(at) == made == headline(evaluate(scenario, shipped(), today=LATER))
    assert at.date_input(key="start_date").value == START
    assert decode(_param(at)).start_date == START


def test_a_scenario_without_a_start_date_is_pinned_to_the_day_it_is_opened() -> None:
    at = _opened(encode(scenario_from_dict(_retiring_scenario(None))))
    today = at.date_input(key="start_date").value
    assert isinstance(today, dt.date)
    assert decode(_param(at)).start_date == today
    assert any(f"From {today.isoformat()}" in plain(c.value) for c in at.caption)


def test_changing_the_start_date_changes_the_link_and_the_figures() -> None:
    at = _opened(encode(scenario_from_dict(_retiring_scenario(START))))
    at.date_input(key="start_date").set_value(NEARER).run()
    assert decode(_param(at)).start_date == NEARER
    moved = scenario_from_dict(_retiring_scenario(NEARER))
    assert shown(at) == headline(evaluate(moved, shipped(), today=START))
    assert shown(at) != headline(evaluate(scenario_from_dict(_retiring_scenario(START)), shipped()))


def test_a_likely_percentage_typo_is_pointed_out_on_the_page() -> None:
    data = _retiring_scenario(START)
    data["workload"]["monthly_growth"] = 2
    at = _opened(encode(scenario_from_dict(data)))
    assert any("did you mean 0.02?" in plain(w.value) for w in at.warning)

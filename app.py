"""Fine-tune or keep prompting? The dashboard: compose the pieces in ``ui/``, compute nothing.

Order matters: uploads and a loaded scenario rewrite the controls' values,
so they run before anything is evaluated. The headline is drawn next, from
the controls' values as the run starts, into the space reserved for it at the
top of the page and before the sidebar's controls are sent, so the browser
shows new figures before it redraws anything else. Drawing the uncertainty
panel can still change the scenario (a range edited): then the run starts
again, and that run draws the headline after the controls. With the Prices tab
open, and on a new session's first page, the headline comes after the
controls, as it always did: an edited price is never drawn over by a run
started again, and a first page showing its figures is whole. The open tab is
drawn last.

Only the open tab runs (``st.tabs`` with ``on_change="rerun"``): the
sensitivity tornado, the charts of the simulated futures and the catalog
ranking are computed and drawn when their tab is shown, never on a rerun
caused by a control while another tab is open. The headline's own line on
how sure it is stays at the top.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from costmodel.scenario import scenario_warnings
from costmodel.tokens.tokenizers import tokenizer_for
from ui import (
    catalog_view,
    data_view,
    named_files,
    prices,
    provenance,
    results,
    setup,
    share,
    sidebar,
    tabs,
    uncertainty,
    uploads,
)
from ui.results import md
from ui.state import BASELINE, CHALLENGER, IDS, STRATEGIES, growth_typed, key, main_model

TABS = [
    "Costs",
    "Breakdown",
    "Sensitivity",
    "All model pairs",
    "Your data",
    "Prices",
    "Save & share",
]
TAB = "open_tab"
LAST_GOOD = "_last_good_result"
AGAIN = "_figures_after_controls"  # this run draws the figures after the controls

st.set_page_config(page_title="Fine-tune or keep prompting?", page_icon="⚖️", layout="wide")
state = st.session_state
today = dt.date.today()

starting = not state.get(setup.STARTED)
notice = setup.start(state, st.query_params, setup.shipped_catalog())
if starting and named_files.names_files(state[STRATEGIES]):
    state[TAB] = "Your data"  # a link naming files opens where they are uploaded
st.title("Fine-tune or keep prompting?")
st.caption(
    "Long prompt on a base model, or a short prompt on a fine-tuned one: the monthly volume "
    "at which fine-tuning pays off, from real prices and your own token counts. Your workload "
    "and the options compared are set in the sidebar (the » button at the top left on a "
    "narrow screen)."
)
if notice:
    st.warning(md(notice))
head = st.container()
costs, breakdown, sensitivity, pairs, data, price_tab, save = st.tabs(
    TABS, key=TAB, on_change="rerun"
)

catalog = uploads.pricing_catalog(state, setup.shipped_catalog())
if price_tab.open:
    with price_tab:
        catalog = uploads.render_pricing(state, setup.shipped_catalog())
if save.open:
    with save:
        share.render_upload(state)
if data.open:
    with data:
        named_files.render(state, catalog)
        left, right = st.columns(2)
        with left:
            samples = uploads.render_samples(
                state, setup.model_id(catalog, main_model(state, BASELINE))
            )
        with right:
            short = uploads.render_short_samples(
                state, setup.model_id(catalog, main_model(state, CHALLENGER))
            )
            training = uploads.render_training(
                state, setup.model_id(catalog, main_model(state, CHALLENGER))
            )

setup.pin_start_date(state, today)


def simulated(result: Any) -> Any:
    """The simulated futures of ``result``: one run serves the headline and the Sensitivity tab."""
    return uncertainty.simulation(state, result, catalog, setup.catalog_tag(state), today)


def draw_figures(run: setup.Evaluation) -> Any:
    """Warnings, the verdict and the headline figures of ``run``; the result on screen."""
    shown = run.result or state.get(LAST_GOOD)
    scenario = run.scenario
    warnings = (
        scenario_warnings(scenario, typed=growth_typed(state, scenario))
        if scenario is not None
        else ()
    )
    for warning in warnings:
        st.warning(md(f"Check this input: {warning}"))
    leftovers = provenance.demo_leftovers(state)
    if leftovers:
        st.warning(md(leftovers))
    if run.result is None:
        names = [str(state.get(key(sid, "label"))) for sid in state[IDS]]
        problem = results.plain_problem(run.problem, names)
        st.error(md(f"These settings cannot be priced: {problem}"))
        if shown is not None:
            st.caption("The figures below are the last ones that could be priced.")
    if shown is not None:
        results.render_headline(
            shown,
            today,
            provenance.parts(state, shown),
            lambda: uncertainty.render_headline(shown.primary, simulated(shown)),
        )
    return shown


# The figures as the controls stand when the run starts, drawn before the sidebar's
# controls are sent, so the browser shows them first. When drawing the controls
# changes the scenario (a range or a possible price change edited), the run starts
# again from the new values, once; the run after that draws the figures after the
# controls, as they are in the end.
with head:
    picker = st.container()
    figures = st.container()
# With the Prices tab open the figures always come after the controls: a run started
# again would draw the price editor anew and could drop the edit the user just made.
# A new session's first page also draws the controls first, so once its figures show,
# the whole page is there.
again = state.pop(AGAIN, False)
late = again or starting or price_tab.open
early = None if late else setup.evaluate_widgets(state, catalog, today)
if early is not None:
    with picker:
        results.render_pair_picker(state, early.scenario.main_pair if early.scenario else None)
    with figures:
        draw_figures(early)

sidebar.render(state, *setup.model_choices(state, catalog, today), catalog)
uncertainty.render_inputs(state)
if price_tab.open:
    with price_tab:
        prices.render(state, catalog)
else:
    prices.forget_editor(state)

run = setup.evaluate_widgets(state, catalog, today, known=early)
if early is not None and run is not early:
    state[AGAIN] = True
    st.rerun()
if run.scenario is not None:
    share.sync_link(run.scenario)
if early is None:
    with picker:
        results.render_pair_picker(state, run.scenario.main_pair if run.scenario else None)
    with figures:
        draw_figures(run)

if run.result is not None:
    state[LAST_GOOD] = run.result
shown = run.result or state.get(LAST_GOOD)


if data.open:
    with data:
        with left:
            base_id = setup.model_id(catalog, main_model(state, BASELINE))
            data_view.show_samples(state, samples, tokenizer_for(base_id).encoding)
        with right:
            data_view.show_short(short)
            data_view.show_training(state, training)
if save.open and run.scenario is not None:
    with save:
        share.render_downloads(run.scenario, run.result)
if shown is None:
    st.stop()

if costs.open:
    with costs:
        tabs.costs(shown)
if breakdown.open:
    with breakdown:
        tabs.breakdown(shown)
if sensitivity.open:
    with sensitivity:
        uncertainty.render_charts(simulated(shown))
        uncertainty.render_tornado(state, shown.scenario, catalog, setup.catalog_tag(state), today)
if pairs.open:
    with pairs:
        main = shown.primary
        catalog_view.procurement(
            setup.ranked_pairs(state, shown.scenario, catalog, today),
            (main.a.model_key, main.b.model_key),
            shown.scenario.horizon_months,
        )

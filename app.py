"""Fine-tune or keep prompting? The dashboard: compose the pieces in ``ui/``, compute nothing.

Order matters: uploads and a loaded scenario rewrite the controls' values,
so they run before the sidebar draws the controls; the results are drawn
last into the space reserved for them at the top of the page.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from costmodel.scenario import scenario_warnings
from costmodel.tokens.tokenizers import tokenizer_for
from ui import (
    catalog_view,
    data_view,
    named_files,
    prices,
    results,
    setup,
    share,
    sidebar,
    tabs,
    uploads,
)
from ui.results import md
from ui.state import key

TABS = [
    "Costs",
    "Breakdown",
    "Sensitivity",
    "All model pairs",
    "Your data",
    "Prices",
    "Save & share",
]

st.set_page_config(page_title="Fine-tune or keep prompting?", page_icon="⚖️", layout="wide")
state = st.session_state
today = dt.date.today()

notice = setup.start(state, st.query_params, setup.shipped_catalog())
st.title("Fine-tune or keep prompting?")
st.caption(
    "Long prompt on a base model, or a short prompt on a fine-tuned one: the monthly volume "
    "at which fine-tuning pays off, from real prices and your own token counts."
)
if notice:
    st.warning(md(notice))
head = st.container()
costs, breakdown, sensitivity, pairs, data, price_tab, save = st.tabs(TABS)

with price_tab:
    catalog = uploads.render_pricing(state, setup.shipped_catalog())
with save:
    share.render_upload(state)
base_id = setup.model_id(catalog, state[key("base", "model")])
with data:
    named_files.render(state, catalog)
    left, right = st.columns(2)
    with left:
        samples = uploads.render_samples(state, base_id)
    with right:
        training = uploads.render_training(
            state, setup.model_id(catalog, state[key("ft", "model")])
        )

setup.pin_start_date(state, today)
sidebar.render(state, *setup.model_choices(state, catalog, today))
with price_tab:
    prices.render(state, catalog)
with data:
    with left:
        data_view.show_samples(state, samples, tokenizer_for(base_id).encoding)
    with right:
        data_view.show_training(training)

run = setup.evaluate_widgets(state, catalog, today)
if run.scenario is not None:
    share.sync_link(run.scenario)
with save:
    if run.scenario is not None:
        share.render_downloads(run.scenario, run.result)

with head:
    for warning in scenario_warnings(run.scenario) if run.scenario is not None else ():
        st.warning(md(f"Check this input: {warning}"))
    if run.result is None:
        st.error(md(f"These settings cannot be priced: {run.problem}"))
        st.stop()
    results.render_headline(run.result, today)

with costs:
    tabs.costs(run.result)
with breakdown:
    tabs.breakdown(run.result)
with sensitivity:
    tabs.sensitivity(setup.sensitivity(state, run.scenario, catalog, today))
with pairs:
    main = run.result.primary
    catalog_view.procurement(
        setup.ranked_pairs(state, run.scenario, catalog, today),
        (main.a.model_key, main.b.model_key),
        run.scenario.horizon_months,
    )

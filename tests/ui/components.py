"""Pieces of the dashboard on their own, for ``AppTest.from_function``.

Each function is a small Streamlit script (it must hold its own imports: the
test runs its source) that draws one part of the page the way ``app.py``
does, without the rest. A test of the sidebar's controls then pays for the
controls and the headline only, not for every tab's charts and tables.
``app.py`` itself keeps its whole-page tests (first screen, share links,
server files, the browser tests).
"""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

TIMEOUT = 60


def controls_and_headline(tab: str | None = None) -> None:
    """The session start, the sidebar's controls and the headline they drive.

    ``tab`` adds one tab's content below the headline: ``"Your data"`` (the
    sample and training uploaders with what they read), ``"Breakdown"`` or
    ``"All model pairs"``.
    """
    import datetime as dt

    import streamlit as st

    from costmodel.tokens.tokenizers import tokenizer_for
    from ui import data_view, provenance, results, setup, sidebar, tabs, uploads
    from ui.state import key

    state = st.session_state
    today = dt.date.today()
    setup.start(state, st.query_params, setup.shipped_catalog())
    catalog = setup.shipped_catalog()
    if tab == "Your data":
        base_model, ft_model = state[key("base", "model")], state[key("ft", "model")]
        samples = uploads.render_samples(state, setup.model_id(catalog, base_model))
        training = uploads.render_training(state, setup.model_id(catalog, ft_model))
    setup.pin_start_date(state, today)
    sidebar.render(state, *setup.model_choices(state, catalog, today))
    run = setup.evaluate_widgets(state, catalog, today)
    if run.result is None:
        st.error(results.md(f"These settings cannot be priced: {run.problem}"))
        st.stop()
    results.render_headline(run.result, today, provenance.strip(state, run.result))
    if tab == "Your data":
        base_id = setup.model_id(catalog, state[key("base", "model")])
        data_view.show_samples(state, samples, tokenizer_for(base_id).encoding)
        data_view.show_training(training)
    elif tab == "Breakdown":
        tabs.breakdown(run.result)
    elif tab == "All model pairs":
        base = run.result.strategies[0]
        ranking = setup.ranked_pairs(state, run.scenario, catalog, today)
        tabs.pairs(ranking, base.model_key, base.model_label)


def component(script: Any, **kwargs: Any) -> AppTest:
    """``script`` after its first run, which must not raise."""
    at = AppTest.from_function(script, default_timeout=TIMEOUT, kwargs=kwargs)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at

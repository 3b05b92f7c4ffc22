"""Session start and the per-run evaluation: demo or share link in, engine result out.

A new session opens on the built-in demo with its bundled sample prompts
counted, unless the address carries a shared scenario. Each run turns the
widgets into a scenario and evaluates it; a bad input becomes one sentence
for the page instead of a traceback. Results that do not depend on the
monthly volume (the catalog ranking and the tornado) are computed once per
distinct input for the whole server: moving the volume slider never
recomputes them, and two sessions with equal scenarios, catalog and day share
one table (at most :data:`SHARED_TABLES` are kept). A session is handed only
a table of inputs equal to its own, which it would have computed the same.

What every new session would compute the same way is computed once per
server process: the demo's counted samples and the model pickers of the
shipped catalog. Uploaded files and their counts stay in their own session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import streamlit as st

from costmodel.demo import DEMO_DIR, demo_scenario
from costmodel.engine.evaluate import ScenarioResult, evaluate
from costmodel.engine.sensitivity import tornado
from costmodel.engine.sweeps import pair_table, sweep_pairs
from costmodel.errors import CostModelError
from costmodel.prices.catalog import Catalog, load_catalog
from costmodel.scenario import Scenario
from costmodel.tokens.stats import TokenStats
from ui import named_files, share, uploads
from ui import state as ui_state
from ui.catalog_view import ALL_MODELS, ModelChoices, catalog_choices, pairs_wanted_all
from ui.memo import remembered

DEMO_SAMPLES = DEMO_DIR / "support_prompts.jsonl"
STARTED = "_started"
# Volume-free tables (rankings, tornado) kept for every session: each is under 1 MB.
SHARED_TABLES = 32

State = MutableMapping[str, Any]


@st.cache_resource(show_spinner=False)
def shipped_catalog() -> Catalog:
    """The pricing tables shipped with the package (read once per server)."""
    return load_catalog()


def model_id(catalog: Catalog, name: str) -> str:
    """The provider's id of a model, which picks its tokenizer."""
    try:
        return catalog.resolve(name).model_id
    except CostModelError:
        return name


def start(state: State, params: Mapping[str, str], catalog: Catalog) -> str:
    """Fill a new session with the shared scenario or the demo; returns a notice, if any.

    The session counts as started only once it holds a whole scenario, so a
    link that cannot be opened never leaves it half filled.
    """
    if state.get(STARTED):
        return ""
    notice = ""
    shared = None
    if share.PARAM in params:
        try:
            shared = share.decode(params[share.PARAM])
        except CostModelError as exc:
            notice = f"The shared link could not be opened ({exc}); showing the demo instead."
    if shared is None:
        load_demo(state, catalog)
    else:
        ui_state.load_into(state, shared)
    state[STARTED] = True
    return notice


def pin_start_date(state: State, today: dt.date) -> None:
    """A scenario without a start date starts today, written in, so saving or sharing it pins it.

    Without this a link opened next month would start a month later, and any
    retirement inside the horizon would change its figures.
    """
    if state.get("start_date") is None:
        state["start_date"] = today


def load_demo(state: State, catalog: Catalog) -> None:
    """The demo scenario, token figures counted from its bundled sample prompts."""
    ui_state.load_into(state, demo_scenario())
    if DEMO_SAMPLES.is_file():
        data = DEMO_SAMPLES.read_bytes()
        base = model_id(catalog, ui_state.main_model(state, ui_state.BASELINE))
        digest = uploads.file_digest(data)
        stats = _demo_stats(digest, base)
        demo = uploads.Outcome(DEMO_SAMPLES.name, digest, stats, demo=True)
        uploads.store_counted(state, demo)
    state[ui_state.DEMO_VALUES] = {k: state.get(k) for k in ui_state.DEMO_GROUPS_KEYS}


@st.cache_resource(show_spinner=False, max_entries=4)
def _demo_stats(digest: str, base_model: str) -> TokenStats:
    """The bundled demo samples counted once per server (``digest`` keys the file's content)."""
    return uploads.count_samples(DEMO_SAMPLES.read_bytes(), DEMO_SAMPLES.name, base_model)


@dataclass(frozen=True)
class Evaluation:
    """This run's scenario and result, or the sentence saying why there is none."""

    scenario: Scenario | None
    result: ScenarioResult | None
    problem: str = ""


def evaluate_widgets(
    state: State, catalog: Catalog, today: dt.date, known: Evaluation | None = None
) -> Evaluation:
    """The scenario on screen, evaluated; never raises for bad input.

    ``known`` is an evaluation from earlier in the same run (same catalog and
    files): it is returned as it is when the widgets still give its scenario,
    or the same problem. A scenario that still names a sample file is not
    evaluated: the engine would open that path on the server.
    """
    try:
        scenario = ui_state.scenario_from_widgets(state)
    except CostModelError as exc:
        if known is not None and known.scenario is None and known.problem == str(exc):
            return known
        return Evaluation(None, None, str(exc))
    if known is not None and known.scenario == scenario:
        return known
    unread = named_files.unread_files(scenario)
    if unread:
        return Evaluation(scenario, None, unread)
    try:
        checked = uploads.checked_training(state)
        return Evaluation(scenario, evaluate(scenario, catalog, today=today, checked=checked))
    except CostModelError as exc:
        return Evaluation(scenario, None, str(exc))


def volume_free(scenario: Scenario) -> str:
    """Identity of a scenario up to its volume, which break-even volumes do not depend on."""
    workload = scenario.workload.model_copy(update={"requests_per_month": 0.0})
    return scenario.model_copy(update={"workload": workload}).model_dump_json()


def catalog_tag(state: State) -> str:
    """Which catalog is in use: the shipped one, or the digest of the user's pricing file."""
    upload = state.get(uploads.PRICING)
    return "shipped" if upload is None or upload.problem else upload.digest


def model_choices(
    state: State, catalog: Catalog, today: dt.date
) -> tuple[ModelChoices, ModelChoices]:
    """The two model pickers' options, built once per catalog, day, start date, horizon and
    the show-everything switch (once per server for the shipped catalog).

    By default they offer what a new customer can buy on the start date and keep for the
    horizon (:func:`ui.catalog_view.catalog_choices`).
    """
    start = state.get("start_date") or today
    months = int(state.get("horizon_months") or 12)
    show_all = bool(state.get(ALL_MODELS, False))
    if catalog_tag(state) == "shipped":
        return _shipped_choices(today, start, months, show_all, catalog)
    return remembered(
        state,
        "choices",
        (catalog_tag(state), today, start, months, show_all),
        lambda: catalog_choices(catalog, today, start, months, show_all),
    )


@st.cache_resource(show_spinner=False, max_entries=16)
def _shipped_choices(
    today: dt.date, start: dt.date, months: int, show_all: bool, _catalog: Catalog
) -> tuple[ModelChoices, ModelChoices]:
    """The pickers of the shipped catalog, shared by every session with the same dates."""
    return catalog_choices(_catalog, today, start, months, show_all)


def ranked_pairs(state: State, scenario: Scenario, catalog: Catalog, today: dt.date) -> Any:
    """Every catalog pair ranked at the scenario's volume, or the reason there is no ranking.

    The pairs are decided once per volume-free scenario; only the totals at
    the volume are recomputed when the volume moves. Pairs a new customer
    cannot buy take part only when the procurement view asks for them.
    """
    if pairs_wanted_all(state):
        sweep = _volume_free_result(
            state, "pairs_all", scenario, catalog, today, partial(sweep_pairs, all_models=True)
        )
    else:
        sweep = _volume_free_result(state, "pairs", scenario, catalog, today, sweep_pairs)
    if isinstance(sweep, str):
        return sweep
    return pair_table(sweep, scenario.workload.requests_per_month)


def sensitivity(state: State, scenario: Scenario, catalog: Catalog, today: dt.date) -> Any:
    """The tornado table, or the reason there is none."""
    return _volume_free_result(state, "tornado", scenario, catalog, today, tornado)


def _volume_free_result(
    state: State,
    name: str,
    scenario: Scenario,
    catalog: Catalog,
    today: dt.date,
    compute_table: Callable[..., Any],
) -> Any:
    """A table that does not depend on the volume, computed once per distinct input.

    Its inputs are the scenario up to its volume, the catalog in use (the
    shipped one, or the digest of the user's pricing file layered over it)
    and the day, so two sessions with equal inputs share one table, and a
    session that moves only the volume keeps it. A training file the scenario
    names is never opened here (:func:`named_files.without_training_files`).
    """
    scenario = named_files.without_training_files(scenario)
    ident = (volume_free(scenario), catalog_tag(state), today)
    return _shared_table(name, ident, compute_table, scenario, catalog)


@st.cache_resource(show_spinner=False, max_entries=SHARED_TABLES)
def _shared_table(
    name: str,
    ident: tuple[str, str, dt.date],
    _compute: Callable[..., Any],
    _scenario: Scenario,
    _catalog: Catalog,
) -> Any:
    """One table per name and input (``ident`` keys it), shared by every session."""
    return _table_or_reason(_compute, _scenario, _catalog, ident[2])


def _table_or_reason(
    compute_table: Callable[..., Any], scenario: Scenario, catalog: Catalog, today: dt.date
) -> Any:
    try:
        return compute_table(scenario, catalog, today=today)
    except CostModelError as exc:
        return str(exc)

"""Files a scenario names: the dashboard asks for them and never opens a path itself.

A scenario written for the command line may read its token figures from a
sample file (``tokens.samples``) or name a training file (``training.file``).
On the server those strings are only text: opening them would let anyone who
can send a link read the server's files. So a scenario that names a sample
file is not priced until that file is uploaded here (or the user chooses the
figures written in the scenario), and the message never depends on whether
such a path exists on the server. A named training file is never read by the
pricing; it is mentioned so the user can upload it to check it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

import streamlit as st

from costmodel.errors import CostModelError
from costmodel.prices.catalog import Catalog
from costmodel.scenario import Scenario, Strategy
from costmodel.tokens.figures import RequestTokens, counted_tokens
from ui import state as ui_state
from ui.results import md
from ui.uploads import SAMPLE_TYPES, checked_training, count_samples, file_digest

PROBLEMS = "_named_file_problems"

State = MutableMapping[str, Any]


def named_samples(strategies: Sequence[Mapping[str, Any]]) -> dict[str, list[int]]:
    """Each sample-file path the strategies name, with the indices of the strategies naming it.

    >>> named_samples([{"tokens": {"samples": "a.csv"}}, {"tokens": {}},
    ...                {"tokens": {"samples": "a.csv"}}])
    {'a.csv': [0, 2]}
    """
    paths: dict[str, list[int]] = {}
    for index, strategy in enumerate(strategies):
        path = (strategy.get("tokens") or {}).get("samples")
        if path:
            paths.setdefault(path, []).append(index)
    return paths


def names_files(strategies: Sequence[Mapping[str, Any]]) -> bool:
    """Whether any strategy names a sample or training file (to be uploaded, never opened)."""
    return bool(named_samples(strategies)) or any(
        (s.get("training") or {}).get("file") for s in strategies
    )


def unread_files(scenario: Scenario) -> str:
    """Why ``scenario`` cannot be priced here yet, or ``""`` when it names no sample file."""
    waiting = [s for s in scenario.strategies if s.tokens.samples]
    if not waiting:
        return ""
    listed = "; ".join(f"{s.name!r} reads {s.tokens.samples!r}" for s in waiting)
    return (
        f"this scenario takes token figures from sample files that are not uploaded yet "
        f"({listed}). The dashboard does not open files named in a scenario: upload each one "
        f"under 'Your data' → 'Files this scenario names', or use the figures written in the "
        f"scenario there."
    )


def without_training_files(scenario: Scenario) -> Scenario:
    """``scenario`` as the dashboard prices it: a named training file is text, never opened.

    The training plan then uses the figures on screen, which an uploaded
    training file fills in (:func:`render` says so).
    """
    strategies = tuple(
        s.model_copy(update={"training": s.training.model_copy(update={"file": None})})
        if s.training is not None and s.training.file
        else s
        for s in scenario.strategies
    )
    return scenario.model_copy(update={"strategies": strategies})


def render(state: State, catalog: Catalog) -> None:
    """An uploader for every sample file the scenario names (before the controls are drawn)."""
    strategies = state[ui_state.STRATEGIES]
    uploaded = checked_training(state)
    training = [
        (s["name"], s["training"]["file"])
        for s in strategies
        if (s.get("training") or {}).get("file") not in (None, "", *uploaded)
    ]
    for name, path in training:
        st.info(
            md(
                f"{name!r} names the training file {path!r}. The dashboard does not open files "
                f"named in a scenario: upload it under 'Training file' to check it and count "
                f"its examples; until then the training plan uses the figures in the sidebar."
            )
        )
    named = named_samples(strategies)
    if not named:
        return
    st.subheader("Files this scenario names")
    st.caption(
        "The dashboard never opens a file named in a scenario or a link. Upload each file "
        "below to count it, or use the figures written in the scenario."
    )
    for path, indices in named.items():
        users = ", ".join(repr(strategies[i]["name"]) for i in indices)
        upload = st.file_uploader(
            md(f"{path} (read by {users})"),
            type=SAMPLE_TYPES,
            key=f"named_{hashlib.sha256(path.encode()).hexdigest()[:16]}",
        )
        if upload is not None:
            _fill(state, catalog, indices, upload.getvalue(), upload.name, path)
        _, problem = state.get(PROBLEMS, {}).get(path, ("", ""))
        if problem and upload is not None:
            st.error(md(problem))
    if st.button("Use the figures written in the scenario instead", key="named_files_ignore"):
        for indices in named.values():
            for index in indices:
                ui_state.forget_samples(state, index)
        st.rerun()


def _fill(
    state: State, catalog: Catalog, indices: list[int], data: bytes, name: str, path: str
) -> None:
    """Count an uploaded file for every strategy naming ``path`` and write in its figures."""
    problems = state.setdefault(PROBLEMS, {})
    digest = file_digest(data)
    if problems.get(path, ("", ""))[0] == digest:
        return
    try:
        scenario = ui_state.scenario_from_widgets(state)
        figures = {i: _counted(scenario.strategies[i], catalog, data, name) for i in indices}
    except CostModelError as exc:
        problems[path] = (digest, f"{name} was not used: {exc}")
        return
    problems.pop(path, None)
    for index, tokens in figures.items():
        ui_state.forget_samples(state, index)
        ui_state.set_tokens(state, index, tokens)


def _counted(strategy: Strategy, catalog: Catalog, data: bytes, name: str) -> RequestTokens:
    """The figures ``strategy`` takes from the uploaded bytes, counted with its model."""
    stats = count_samples(data, name, catalog.resolve(strategy.model).model_id)
    return counted_tokens(strategy, stats)

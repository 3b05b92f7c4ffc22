"""The price table of the two chosen models, editable; edits become ``price_overrides``.

The editor is seeded with the catalog figures and the scenario's overrides.
The seed is rebuilt only when the models, the catalog or the overrides change
from outside (a loaded scenario or share link), so the editor keeps its edits
while the user works.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from costmodel.errors import CostModelError
from costmodel.prices.catalog import Catalog
from costmodel.prices.edits import PriceRow, apply_edits, override_value, price_rows
from costmodel.report.export import safe_cell
from ui.results import md
from ui.state import BASELINE, CHALLENGER, PRICE_OVERRIDES, main_model

SEED = "_price_seed"
EDITOR = "price_editor"
YOURS = "Your price"


@dataclass(frozen=True)
class Seed:
    """The table the editor starts from, and the overrides it last produced."""

    signature: tuple[Any, ...]
    produced: dict[str, Any]
    frame: pd.DataFrame


def render(state: MutableMapping[str, Any], catalog: Catalog) -> None:
    """Show the editor and store its figures as the scenario's price overrides."""
    try:
        rows = tuple(
            price_rows(catalog, main_model(state, BASELINE), main_model(state, CHALLENGER))
        )
    except CostModelError as exc:
        st.error(md(f"Prices cannot be shown: {exc}"))
        return
    signature = (catalog.sources, tuple((r.key, r.path, r.catalog_usd) for r in rows))
    overrides = state[PRICE_OVERRIDES]
    seed: Seed | None = state.get(SEED)
    if seed is None or seed.signature != signature or seed.produced != overrides:
        seed = Seed(signature, overrides, _frame(rows, overrides, catalog))
    st.caption(
        "Change a figure in the last column to try your negotiated or expected price; "
        "the scenario keeps it as a price override, marked ✎ here and counted under the "
        "verdict. ⚠ marks figures without a primary source."
    )
    edited = st.data_editor(
        seed.frame,
        key=EDITOR,
        hide_index=True,
        num_rows="fixed",
        disabled=[c for c in seed.frame.columns if c != YOURS],
        column_config={
            YOURS: st.column_config.NumberColumn(YOURS, min_value=0.0, format="%.4f"),
            "Catalog": st.column_config.NumberColumn("Catalog", format="%.4f"),
            "Link": st.column_config.LinkColumn("Link", display_text="source"),
        },
    )
    values = [None if pd.isna(v) else float(v) for v in edited[YOURS]]
    produced = apply_edits(overrides, rows, values)
    state[PRICE_OVERRIDES] = produced
    if produced != seed.produced:  # the next showing marks the edited figure as the user's
        seed = Seed(signature, produced, _frame(rows, produced, catalog))
    state[SEED] = seed


def forget_editor(state: MutableMapping[str, Any]) -> None:
    """The editor is off screen: its next showing starts from the overrides in use.

    Streamlit drops the edits of a table that is not drawn, so a seed kept
    from before would show the catalog figures and undo the user's prices.
    """
    state.pop(SEED, None)


def _frame(rows: tuple[PriceRow, ...], overrides: dict[str, Any], catalog: Catalog) -> pd.DataFrame:
    """One row per price: model, figure, unit, where it comes from, catalog value, value in use.

    A figure the user set reads "✎ yours" in the source column, so an override
    is visible in the table as well as near the headline.
    """
    return pd.DataFrame(
        {
            "Model": [safe_cell(r.model) for r in rows],  # inert in the grid's own CSV
            "Price": [r.price for r in rows],
            "Unit": [r.unit for r in rows],
            "Source": [_source(overrides, r) for r in rows],
            "As of": [catalog[r.key].entry.as_of.isoformat() for r in rows],
            "Link": [str(catalog[r.key].entry.source_url) for r in rows],
            "Catalog": [r.catalog_usd for r in rows],
            YOURS: [_in_use(overrides, r) for r in rows],
        }
    )


def _source(overrides: dict[str, Any], row: PriceRow) -> str:
    """Where the figure in use comes from: the user, or the catalog (flagged if unverified)."""
    if override_value(overrides, row) is not None:
        return "✎ yours"
    return "⚠ catalog, unverified" if row.unverified else "catalog"


def _in_use(overrides: dict[str, Any], row: PriceRow) -> float:
    """The figure the scenario uses: the override, else the catalog's."""
    mine = override_value(overrides, row)
    return row.catalog_usd if mine is None else mine

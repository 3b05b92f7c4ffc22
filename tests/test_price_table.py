"""Price table rows and the overrides edits turn into."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from engine_fixtures import FIXTURE_PRICING, START, acme, two_way

from costmodel.engine.evaluate import evaluate
from costmodel.prices.catalog import load_catalog
from costmodel.prices.edits import apply_edits, override_value, price_rows


def _paths(rows: list) -> list[tuple[str, str]]:
    return [(r.key, r.path) for r in rows]


def test_rows_of_a_base_and_a_separately_priced_fine_tune() -> None:
    rows = price_rows(acme(), "acme/writer", "acme/big")
    assert _paths(rows) == [
        ("acme/writer", "inference.input_usd_per_mtok"),
        ("acme/writer", "inference.cached_input_usd_per_mtok"),
        ("acme/writer", "inference.cache_write_usd_per_mtok"),
        ("acme/writer", "inference.output_usd_per_mtok"),
        ("acme/big", "fine_tuning.training.usd_per_mtok"),
        ("acme/big", "fine_tuning.inference.input_usd_per_mtok"),
        ("acme/big", "fine_tuning.inference.cached_input_usd_per_mtok"),
        ("acme/big", "fine_tuning.inference.output_usd_per_mtok"),
    ]
    assert [r.catalog_usd for r in rows[:4]] == [1.0, 0.1, 1.25, 5.0]
    assert rows[4].price == "Training" and rows[5].price == "Fine-tuned input"


def test_a_fine_tune_billed_at_base_prices_shows_those_and_its_fees() -> None:
    rows = price_rows(acme(), "acme/small", "acme/hosted-ft")
    assert _paths(rows) == [
        ("acme/small", "inference.input_usd_per_mtok"),
        ("acme/small", "inference.cached_input_usd_per_mtok"),
        ("acme/small", "inference.output_usd_per_mtok"),
        ("acme/hosted-ft", "fine_tuning.training.usd_per_mtok"),
        ("acme/hosted-ft", "fine_tuning.serving.hosting_usd_per_hour"),
    ]
    gpu = price_rows(acme(), "acme/small", "acme/gpu-ft")
    assert ("acme/gpu-ft", "fine_tuning.serving.gpu_usd_per_hour") in _paths(gpu)
    assert ("acme/gpu-ft", "fine_tuning.serving.storage_usd_per_month") in _paths(gpu)


def test_per_hour_training_is_labelled_per_hour() -> None:
    rows = price_rows(acme(), "acme/big", "acme/rft")
    training = next(r for r in rows if r.price == "Training")
    assert (training.path, training.unit) == ("fine_tuning.training.usd_per_hour", "USD / hour")


def test_unverified_figures_are_flagged(tmp_path: Path) -> None:
    flag = tmp_path / "flag.yaml"
    flag.write_text(
        "provider: acme\nmodels:\n  big:\n    unverified: [fine_tuning.training]\n",
        encoding="utf-8",
    )
    rows = price_rows(load_catalog([FIXTURE_PRICING], overrides=[flag]), "acme/big", "acme/big")
    assert [r.path for r in rows if r.unverified] == ["fine_tuning.training.usd_per_mtok"]


def test_edits_become_overrides_the_engine_applies() -> None:
    catalog = acme()
    rows = price_rows(catalog, "acme/nocache", "acme/small")
    values = [r.catalog_usd for r in rows]
    values[0] = 0.5  # base input, $1.00 in the catalog
    overrides = apply_edits({"acme/big": {"inference": {"output_usd_per_mtok": 9.0}}}, rows, values)
    assert overrides == {
        "acme/big": {"inference": {"output_usd_per_mtok": 9.0}},
        "acme/nocache": {"inference": {"input_usd_per_mtok": 0.5}},
    }
    scenario = two_way().model_copy(update={"price_overrides": overrides})
    cheaper = evaluate(scenario, catalog, today=START).strategies[0]
    listed = evaluate(two_way(), catalog, today=START).strategies[0]
    # 3,000 prompt tokens at $0.50 instead of $1.00 per 1M: $0.0015 less (hand-computed).
    assert listed.request.uncached_input_usd - cheaper.request.uncached_input_usd == (
        pytest.approx(0.0015)
    )


def test_setting_a_figure_back_or_clearing_it_removes_the_override() -> None:
    rows = price_rows(acme(), "acme/nocache", "acme/small")
    edited = apply_edits({}, rows, [0.5, *[r.catalog_usd for r in rows[1:]]])
    assert override_value(edited, rows[0]) == 0.5
    assert apply_edits(edited, rows, [1.0, *[r.catalog_usd for r in rows[1:]]]) == {}
    assert apply_edits(edited, rows, [None] * len(rows)) == {}


def test_other_fields_of_an_edited_model_are_kept() -> None:
    rows = price_rows(acme(), "acme/nocache", "acme/small")
    kept = {"acme/nocache": {"inference": {"batch_discount": 0.5}, "as_of": str(dt.date.today())}}
    edited = apply_edits(kept, rows, [r.catalog_usd for r in rows])
    assert edited == kept

"""``pricing check``: the catalog against a maintained price database, one difference at a time."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from costmodel.cli import main
from costmodel.errors import PricingError
from costmodel.prices.catalog import default_pricing_dir, load_catalog
from costmodel.prices.freshness import (
    KnownDifference,
    compare,
    load_known_differences,
    reference_prices,
    reference_version,
)

FIXTURE = Path(__file__).parent / "fixtures" / "pricing"
TODAY = dt.date(2026, 12, 1)
KNOWN = default_pricing_dir() / "reviewed" / "known-differences.yaml"


def fake_reference(table: Mapping[str, Mapping[str, float]]):
    """A reference database written by hand: model name → prices (any provider)."""

    def lookup(provider: str, names: Sequence[str], on: dt.date) -> Mapping[str, float]:
        for name in names:
            if name in table:
                return table[name]
        return {}

    return lookup


def test_each_shared_price_is_compared_and_each_difference_listed() -> None:
    # acme is no provider the reference knows: map nothing, compare nothing
    assert compare(load_catalog([FIXTURE]), fake_reference({}), TODAY).compared == 0


def test_differences_on_the_shipped_shape(tmp_path: Path) -> None:
    catalog = load_catalog(overrides=[_override(tmp_path, 2.20)])
    reference = fake_reference(
        {"gpt-6.1-sol": {"input_usd_per_mtok": 2.00, "output_usd_per_mtok": 10.00}}
    )
    result = compare(catalog, reference, TODAY)
    # two prices compared (input, output); input differs by (2.20 − 2.00) / 2.00 = 10 %
    assert (result.compared, result.models) == (2, 1)
    [diff] = result.differences
    assert (diff.key, diff.field, diff.ours, diff.theirs) == (
        "openai/gpt-6.1-sol",
        "input_usd_per_mtok",
        2.20,
        2.00,
    )
    assert diff.relative == pytest.approx(0.10)
    assert result.unexplained(0.05) == [diff]
    assert result.unexplained(0.11) == []  # 10 % is within an 11 % threshold


def test_a_reviewed_difference_explains_only_the_figures_reviewed(tmp_path: Path) -> None:
    reference = fake_reference({"gpt-6.1-sol": {"input_usd_per_mtok": 2.00}})
    reason = "kept on purpose for this test"
    known = [
        KnownDifference(
            model="openai/gpt-6.1-sol",
            field="input_usd_per_mtok",
            ours=2.20,
            theirs=2.00,
            reason=reason,
        )
    ]
    same = compare(load_catalog(overrides=[_override(tmp_path, 2.20)]), reference, TODAY, known)
    assert [d.reason for d in same.differences] == [reason]
    assert same.unexplained() == [] and same.stale_explanations == ()
    # our price moves again: the old reason no longer covers it, and is reported as stale
    moved = compare(load_catalog(overrides=[_override(tmp_path, 2.40)]), reference, TODAY, known)
    assert [d.reason for d in moved.differences] == [None]
    assert moved.stale_explanations == tuple(known)


def _override(tmp_path: Path, price: float) -> Path:
    path = tmp_path / f"sol-{price}.yaml"
    path.write_text(
        f"provider: openai\nmodels:\n  gpt-6.1-sol:\n    inference:\n"
        f"      input_usd_per_mtok: {price}\n",
        encoding="utf-8",
    )
    return path


# --- the shipped catalog against the pinned database ------------------------------------------


def test_the_shipped_catalog_has_no_unexplained_difference_above_5_percent() -> None:
    result = compare(load_catalog(), reference_prices(), TODAY, load_known_differences(KNOWN))
    assert result.compared > 100  # the check really covers the catalog
    problems = [f"{d.key} {d.field}: {d.ours} vs {d.theirs}" for d in result.unexplained(0.05)]
    assert problems == []
    assert result.stale_explanations == ()


def test_the_check_compares_the_prices_in_force_on_the_day() -> None:
    # Gemini 3.6 Flash doubles on 2027-01-01 in both the catalog and the database.
    known = load_known_differences(KNOWN)
    after = compare(load_catalog(), reference_prices(), dt.date(2027, 1, 2), known)
    assert after.unexplained(0.05) == []
    before = compare(load_catalog(), reference_prices(), TODAY, known)
    assert before.compared == after.compared


def test_the_reviewed_file_names_the_pinned_database() -> None:
    # Bumping the pinned version means reviewing the file again.
    reviewed = KNOWN.read_text(encoding="utf-8")
    assert f"reference: {reference_version()}\n" in reviewed


def test_a_known_price_is_read_from_the_database() -> None:
    # genai-prices 0.2.3: gpt-6-luna 0.10 in / 0.01 cached / 0.125 write / 0.50 out,
    # batch 0.05 / 0.005 / 0.25
    prices = reference_prices()("openai", ["gpt-6-luna"], TODAY)
    assert prices == {
        "input_usd_per_mtok": 0.10,
        "cached_input_usd_per_mtok": 0.01,
        "cache_write_usd_per_mtok": 0.125,
        "output_usd_per_mtok": 0.50,
        "batch.input_usd_per_mtok": 0.05,
        "batch.cached_input_usd_per_mtok": 0.005,
        "batch.output_usd_per_mtok": 0.25,
    }


def test_a_dated_price_in_the_database_is_read_on_the_day_asked() -> None:
    # genai-prices: Gemini 3.6 Flash input 0.75 until 2026-12-31, 1.50 from 2027-01-01
    lookup = reference_prices()
    assert lookup("google", ["gemini-3.6-flash"], TODAY)["input_usd_per_mtok"] == 0.75
    assert lookup("google", ["gemini-3.6-flash"], dt.date(2027, 1, 1))["input_usd_per_mtok"] == 1.5


def test_a_broken_reviewed_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "known.yaml"
    bad.write_text("reference: x\ndifferences:\n  - model: a\n", encoding="utf-8")
    with pytest.raises(PricingError, match=r"known\.yaml: field differences\.0\.field"):
        load_known_differences(bad)


# --- the command --------------------------------------------------------------------------------


def test_check_command_passes_on_the_shipped_tables(capsys) -> None:
    code = main(["pricing", "check", "--today", "2026-12-01"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("compared ")
    assert "0 unexplained above 5%" in out.splitlines()[0]


def test_check_command_fails_on_a_new_difference(capsys, tmp_path: Path) -> None:
    # the shipped gpt-6-luna input is 0.10 in both; an override of 0.12 is 20 % off
    path = tmp_path / "luna.yaml"
    path.write_text(
        "provider: openai\nmodels:\n  gpt-6-luna:\n"
        "    inference:\n      input_usd_per_mtok: 0.12\n",
        encoding="utf-8",
    )
    code = main(["pricing", "check", "--today", "2026-12-01", "--pricing", str(path), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    [new] = [d for d in data["differences"] if d["needs_reason"]]
    assert (new["model"], new["catalog"], new["reference"]) == ("openai/gpt-6-luna", 0.12, 0.10)
    assert new["relative"] == pytest.approx(0.2)


def test_batch_prices_are_compared_too(capsys, tmp_path: Path) -> None:
    # genai-prices: gpt-6-luna batch 0.05 in / 0.005 cached / 0.25 out, as shipped; an
    # override of the batch input to 0.06 is (0.06 − 0.05) / 0.05 = 20 % off
    path = tmp_path / "luna-batch.yaml"
    path.write_text(
        "provider: openai\nmodels:\n  gpt-6-luna:\n    inference:\n"
        "      batch: {input_usd_per_mtok: 0.06}\n",
        encoding="utf-8",
    )
    code = main(["pricing", "check", "--today", "2026-12-01", "--pricing", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    assert "openai/gpt-6-luna  batch input price: catalog $0.06, genai-prices $0.05 (+20.0%)" in out

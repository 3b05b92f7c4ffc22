"""Loading and layering price files: user overrides, clear errors, and warnings.

Most tests build a small made-up catalog in a temporary folder so that the
expected numbers are written here, not read from the shipped tables.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from costmodel.errors import PricingError
from costmodel.prices.catalog import Catalog, load_catalog

TODAY = dt.date(2026, 11, 24)

DEMO = """\
provider: demo
provider_name: Demo Cloud
notes: [Training is billed per token.]
models:
  big-1:
    name: Big 1
    aliases: [big]
    source_url: https://example.com/pricing
    as_of: 2026-11-01
    unverified: [fine_tuning.training.usd_per_mtok, inference.batch_discount]
    lifecycle: {training_ends: 2027-01-06, retires: 2027-01-14}
    inference:
      input_usd_per_mtok: 2.00
      cached_input_usd_per_mtok: 0.50
      output_usd_per_mtok: 8.00
      batch_discount: 0.5
    fine_tuning:
      methods: [sft]
      training: {usd_per_mtok: 25.00}
      inference: {input_usd_per_mtok: 3.00, output_usd_per_mtok: 12.00}
  big-1-cheap-ft:
    name: Big 1 discounted fine-tune
    source_url: https://example.com/pricing
    as_of: 2026-11-01
    fine_tuning:
      methods: [sft]
      base_model: big-1
      training: {usd_per_hour: 100}
      inference: {input_usd_per_mtok: 1.00, output_usd_per_mtok: 4.00}
"""


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A one-provider 'shipped' folder standing in for pricing/."""
    folder = tmp_path / "shipped"
    folder.mkdir()
    (folder / "demo.yaml").write_text(DEMO, encoding="utf-8")
    return folder


def user_file(tmp_path: Path, text: str, name: str = "mine.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(shipped: Path, text: str | bytes, name: str = "mine.yaml") -> str:
    """The single-line message of the PricingError an upload causes."""
    with pytest.raises(PricingError) as info:
        load_catalog([shipped], uploads=[(name, text)])
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    return message


# --- loading and resolving --------------------------------------------------------------------


def test_models_are_keyed_by_provider_and_found_by_id_or_alias(shipped: Path) -> None:
    cat = load_catalog([shipped])
    assert sorted(cat) == ["demo/big-1", "demo/big-1-cheap-ft"]
    assert cat.resolve("big").key == "demo/big-1"
    assert cat.resolve("BIG-1").key == "demo/big-1"
    assert cat.resolve("demo/big-1-cheap-ft").base_model_key == "demo/big-1"
    assert cat.provider_notes == {"demo": ("Training is billed per token.",)}


def test_unknown_and_ambiguous_names_are_pricing_errors(shipped: Path, tmp_path: Path) -> None:
    cat = load_catalog([shipped])
    with pytest.raises(PricingError, match="not in the pricing catalog"):
        cat.resolve("small-9")
    other = user_file(tmp_path, DEMO.replace("provider: demo", "provider: other"), "other.yaml")
    both = load_catalog([shipped, other])
    with pytest.raises(PricingError, match="ambiguous; use one of: demo/big-1, other/big-1"):
        both.resolve("big")


def test_the_same_provider_twice_in_the_shipped_tables_is_an_error(
    shipped: Path, tmp_path: Path
) -> None:
    copy = user_file(tmp_path, DEMO, "copy.yaml")
    with pytest.raises(PricingError, match="provider 'demo' is defined twice"):
        load_catalog([shipped, copy])


def test_a_fine_tune_without_base_prices_must_name_an_existing_base(shipped: Path) -> None:
    text = """\
provider: demo
models:
  orphan-ft:
    name: Orphan
    source_url: https://example.com/
    as_of: 2026-11-01
    fine_tuning:
      methods: [sft]
      base_model: nowhere-1
      training: {usd_per_mtok: 1}
      inference: {input_usd_per_mtok: 1, output_usd_per_mtok: 1}
"""
    message = error_of(shipped, text)
    assert message == (
        "mine.yaml: model orphan-ft: field fine_tuning.base_model: "
        "'nowhere-1' is not a catalog model with base inference prices"
    )


# --- bring your own prices ---------------------------------------------------------------------


def test_a_user_file_can_add_a_model_to_an_existing_provider(shipped: Path, tmp_path: Path) -> None:
    mine = user_file(
        tmp_path,
        """\
provider: demo
models:
  tiny-2:
    name: Tiny 2
    source_url: https://example.com/my-quote
    as_of: 2026-11-20
    inference: {input_usd_per_mtok: 0.05, output_usd_per_mtok: 0.20}
""",
    )
    cat = load_catalog([shipped], overrides=[mine])
    assert len(cat) == 3
    tiny = cat.resolve("tiny-2")
    assert tiny.inference is not None and tiny.inference.output_usd_per_mtok == 0.20
    assert tiny.origin == str(mine)
    assert cat.sources[-1] == str(mine)


def test_a_user_file_can_add_a_whole_provider(shipped: Path) -> None:
    text = """\
provider: mylab
provider_name: My Lab
models:
  house-7b:
    name: House 7B
    source_url: https://example.com/quote
    as_of: 2026-11-20
    inference: {input_usd_per_mtok: 0.10, output_usd_per_mtok: 0.10}
"""
    cat = load_catalog([shipped], uploads=[("upload.yaml", text)])
    assert cat["mylab/house-7b"].provider_name == "My Lab"
    assert cat["mylab/house-7b"].origin == "upload.yaml"


def test_a_user_file_can_override_one_field_and_keep_the_rest(
    shipped: Path, tmp_path: Path
) -> None:
    mine = user_file(
        tmp_path,
        "provider: demo\nmodels:\n  big-1:\n    fine_tuning:\n      training: {usd_per_mtok: 20}\n",
    )
    cat = load_catalog([shipped], overrides=[mine])
    big = cat["demo/big-1"]
    ft = big.entry.fine_tuning
    assert ft is not None and ft.training.usd_per_mtok == 20
    assert ft.methods == ("sft",)
    assert big.ft_inference is not None and big.ft_inference.output_usd_per_mtok == 12.00
    assert big.inference is not None and big.inference.input_usd_per_mtok == 2.00
    assert big.origin == f"{shipped / 'demo.yaml'} + {mine}"


def test_overriding_an_unverified_figure_clears_only_its_flag(shipped: Path) -> None:
    text = "provider: demo\nmodels:\n  big-1:\n    fine_tuning: {training: {usd_per_mtok: 20}}\n"
    cat = load_catalog([shipped], uploads=[("quote.yaml", text)])
    assert cat["demo/big-1"].entry.unverified == ("inference.batch_discount",)


def test_an_override_may_restate_its_own_unverified_list(shipped: Path) -> None:
    text = (
        "provider: demo\nmodels:\n  big-1:\n"
        "    unverified: [fine_tuning.training.usd_per_mtok]\n"
        "    fine_tuning: {training: {usd_per_mtok: 20}}\n"
    )
    cat = load_catalog([shipped], uploads=[("quote.yaml", text)])
    assert cat["demo/big-1"].entry.unverified == ("fine_tuning.training.usd_per_mtok",)


def test_uploads_layer_after_override_files(shipped: Path, tmp_path: Path) -> None:
    mine = user_file(
        tmp_path, "provider: demo\nmodels:\n  big-1: {inference: {output_usd_per_mtok: 9}}\n"
    )
    later = "provider: demo\nmodels:\n  big-1: {inference: {output_usd_per_mtok: 10}}\n"
    cat = load_catalog([shipped], overrides=[mine], uploads=[("later.yaml", later.encode())])
    price = cat["demo/big-1"].inference
    assert price is not None and price.output_usd_per_mtok == 10


# --- errors name the user's file, the model and the field ---------------------------------------


def override(field_yaml: str) -> str:
    return f"provider: demo\nmodels:\n  big-1:\n    inference: {{{field_yaml}}}\n"


def test_a_negative_price_names_file_model_and_field(shipped: Path) -> None:
    assert error_of(shipped, override("input_usd_per_mtok: -1")) == (
        f"{shipped / 'demo.yaml'} + mine.yaml: model big-1: field inference.input_usd_per_mtok: "
        "Input should be greater than or equal to 0 (got -1)"
    )


def test_cached_above_input_is_rejected(shipped: Path) -> None:
    message = error_of(shipped, override("cached_input_usd_per_mtok: 3"))
    assert "mine.yaml: model big-1: field inference: " in message
    assert "cached_input_usd_per_mtok (3.0) is above input_usd_per_mtok (2.0)" in message


def test_an_absurd_output_price_is_rejected(shipped: Path) -> None:
    message = error_of(shipped, override("output_usd_per_mtok: 80000"))
    assert "model big-1: field inference.output_usd_per_mtok:" in message
    assert "80000.0 USD per 1M tokens is above the $10,000 cap" in message


def test_missing_required_prices_say_what_is_missing(shipped: Path) -> None:
    text = """\
provider: demo
models:
  half-1:
    name: Half
    source_url: https://example.com/
    as_of: 2026-11-01
    inference: {input_usd_per_mtok: 1.0}
"""
    assert error_of(shipped, text) == (
        "mine.yaml: model half-1: field inference.output_usd_per_mtok: is required but missing"
    )


def test_a_misspelt_field_is_reported_as_unknown(shipped: Path) -> None:
    message = error_of(shipped, override("ouptut_usd_per_mtok: 9"))
    assert message.endswith(
        "model big-1: field inference.ouptut_usd_per_mtok: "
        "is not a known field; did you mean output_usd_per_mtok?"
    )


def test_a_new_provider_without_its_name_blames_the_user_file(shipped: Path) -> None:
    text = "provider: mylab\nmodels: {}\n"
    assert error_of(shipped, text, "lab.yaml") == (
        "lab.yaml: field provider_name: is required but missing"
    )


def test_several_problems_are_reported_on_one_line(shipped: Path) -> None:
    message = error_of(shipped, override("input_usd_per_mtok: -1, output_usd_per_mtok: -2"))
    assert message.count("greater than or equal to 0") == 2
    assert "; " in message


# --- files that are not price tables ------------------------------------------------------------


def test_a_yaml_list_is_not_a_pricing_file(shipped: Path) -> None:
    assert error_of(shipped, "- gpt-4.1\n- 2.00\n") == (
        "mine.yaml: expected a mapping with 'provider' and 'models', found a list"
    )


def test_broken_yaml_reports_its_line(shipped: Path) -> None:
    text = "provider: demo\nmodels:\n  big-1: {inference: [1, 2\n"
    message = error_of(shipped, text)
    assert message.startswith("mine.yaml: line 4: invalid YAML: ")


def test_an_empty_file_is_reported_as_empty(shipped: Path) -> None:
    assert error_of(shipped, "  \n# nothing here\n") == (
        "mine.yaml: the file is empty; expected 'provider' and 'models'"
    )


def test_non_utf8_bytes_are_rejected_for_uploads_and_files(shipped: Path, tmp_path: Path) -> None:
    latin1 = "provider: demo\nprovider_name: Démo\n".encode("latin-1")
    # 15 bytes on line 1, then "provider_name: D" is 16 more: the é is byte 31
    assert error_of(shipped, latin1) == "mine.yaml: not UTF-8 text (undecodable byte at offset 31)"
    path = tmp_path / "latin.yaml"
    path.write_bytes(latin1)
    with pytest.raises(PricingError, match=r"latin\.yaml: not UTF-8 text"):
        load_catalog([shipped], overrides=[path])


def test_a_byte_order_mark_is_accepted(shipped: Path) -> None:
    text = "\ufeffprovider: demo\nmodels:\n  big-1: {inference: {output_usd_per_mtok: 9}}\n"
    cat = load_catalog([shipped], uploads=[("bom.yaml", text.encode("utf-8"))])
    assert cat["demo/big-1"].inference.output_usd_per_mtok == 9  # type: ignore[union-attr]


def test_a_missing_path_is_a_pricing_error(shipped: Path, tmp_path: Path) -> None:
    with pytest.raises(PricingError, match="no such pricing file or folder"):
        load_catalog([shipped], overrides=[tmp_path / "absent.yaml"])


def test_a_file_without_provider_is_rejected(shipped: Path) -> None:
    assert error_of(shipped, "models: {}\n") == "mine.yaml: field 'provider' is missing"


# --- warnings -------------------------------------------------------------------------------------


def issues_of(
    cat: Catalog, today: dt.date = TODAY, stale_days: int = 180
) -> set[tuple[str, str, str]]:
    return {(i.key, i.kind, i.message) for i in cat.issues(today, stale_days)}


def test_dates_unverified_figures_and_shutdowns_become_issues(shipped: Path) -> None:
    found = issues_of(load_catalog([shipped]), today=dt.date(2027, 1, 10))
    assert ("demo/big-1", "retired", "retired on 2027-01-14") not in found
    assert ("demo/big-1", "lifecycle", "retires 2027-01-14") in found
    assert ("demo/big-1", "training-closed", "fine-tuning closed on 2027-01-06") in found
    assert (
        "demo/big-1",
        "unverified",
        "unverified: training price per 1M tokens, batch discount",
    ) in found


def test_stale_is_strictly_older_than_the_limit(shipped: Path) -> None:
    cat = load_catalog([shipped])
    # as_of 2026-11-01: 23 days old on TODAY
    assert not any(kind == "stale" for _, kind, _ in issues_of(cat, stale_days=23))
    assert ("demo/big-1", "stale", "prices are 23 days old (as of 2026-11-01)") in issues_of(
        cat, stale_days=22
    )


def test_a_fine_tune_cheaper_than_its_base_is_odd(shipped: Path) -> None:
    found = issues_of(load_catalog([shipped]))
    assert ("demo/big-1-cheap-ft", "odd", "fine-tuned input price is below the base price") in found
    assert not any(key == "demo/big-1" and kind == "odd" for key, kind, _ in found)


def test_swapped_columns_and_cheap_cache_writes_are_odd(shipped: Path) -> None:
    text = override("output_usd_per_mtok: 1, cache_write_usd_per_mtok: 1.5")
    found = issues_of(load_catalog([shipped], uploads=[("odd.yaml", text)]))
    assert (
        "demo/big-1",
        "odd",
        "base prices: output is cheaper than input (columns swapped?)",
    ) in found
    assert (
        "demo/big-1",
        "odd",
        "base prices: cache_write_usd_per_mtok is below the input price",
    ) in found


def test_promotions_warn_before_and_after_their_date(shipped: Path) -> None:
    text = "provider: demo\nmodels:\n  big-1: {promo_until: 2026-11-21}\n"
    cat = load_catalog([shipped], uploads=[("promo.yaml", text)])
    before = issues_of(cat, today=dt.date(2026, 11, 1))
    after = issues_of(cat, today=TODAY)
    message = "promotional price runs until at least 2026-11-21; check the current price"
    assert ("demo/big-1", "promo", message) in before
    message = "promotional price was promised only until 2026-11-21; check the current price"
    assert ("demo/big-1", "promo", message) in after


def test_names_shared_across_providers_are_reported(shipped: Path, tmp_path: Path) -> None:
    other = user_file(tmp_path, DEMO.replace("provider: demo", "provider: other"), "other.yaml")
    found = issues_of(load_catalog([shipped, other]))
    assert ("demo/big-1", "ambiguous", "name 'big' matches demo/big-1, other/big-1") in found


def test_an_as_of_date_in_the_future_is_odd(shipped: Path) -> None:
    text = "provider: demo\nmodels:\n  big-1: {as_of: 2027-02-01}\n"
    found = issues_of(load_catalog([shipped], uploads=[("x.yaml", text)]))
    assert ("demo/big-1", "odd", "as_of 2027-02-01 is in the future") in found


def test_unknown_model_suggests_close_names():
    catalog = load_catalog()
    with pytest.raises(PricingError, match=r"did you mean gpt-4\.1-mini"):
        catalog.resolve("gpt-4.1-mni")

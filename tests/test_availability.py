"""Who can buy a model on a given day: hand-set lifecycles, the catalog API and the shipped data."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costmodel.prices.availability import AVAILABILITY_CODES, availability, buyable_over
from costmodel.prices.catalog import load_catalog
from costmodel.prices.schema import Lifecycle

D = dt.date
# OpenAI's fine-tuning wind-down, as written in the shipped tables.
OPENAI_FT = Lifecycle(
    training_ends_new_customers=D(2026, 5, 7),
    training_ends=D(2027, 1, 6),
    retires=D(2027, 1, 14),
    ft_retires=D(2027, 1, 14),
)
# Azure's two-phase retirement: base gone, training for existing customers, deployments later.
AZURE_FT = Lifecycle(
    retires=D(2026, 10, 14),
    training_ends_new_customers=D(2026, 10, 14),
    training_ends=D(2027, 4, 14),
    ft_retires=D(2027, 10, 14),
)


@pytest.mark.parametrize(
    ("life", "on", "use", "code"),
    [
        (OPENAI_FT, D(2026, 5, 6), "fine-tune", "available"),
        (OPENAI_FT, D(2026, 5, 7), "fine-tune", "existing-customers"),  # the closing day counts
        (OPENAI_FT, D(2027, 1, 6), "fine-tune", "training-closed"),
        (OPENAI_FT, D(2027, 1, 14), "fine-tune", "retired"),
        (OPENAI_FT, D(2026, 12, 1), "prompt", "available"),  # the base model is still sold
        (AZURE_FT, D(2026, 12, 1), "fine-tune", "existing-customers"),
        (AZURE_FT, D(2026, 12, 1), "prompt", "retired"),  # the base model itself is gone
        (AZURE_FT, D(2027, 5, 1), "fine-tune", "training-closed"),
        (AZURE_FT, D(2027, 10, 14), "fine-tune", "retired"),
        (Lifecycle(released=D(2027, 2, 1)), D(2026, 12, 1), "prompt", "not-released"),
        (
            Lifecycle(inference_ends_new_customers=D(2026, 6, 1)),
            D(2026, 12, 1),
            "prompt",
            "existing-customers",
        ),
        (Lifecycle(), D(2026, 12, 1), "fine-tune", "available"),
    ],
)
def test_availability_on_a_day(life: Lifecycle, on: dt.date, use: str, code: str) -> None:
    assert availability(life, on, use) == code  # type: ignore[arg-type]


def test_buyable_over_needs_every_closing_date_after_the_end() -> None:
    life = Lifecycle(retires=D(2027, 5, 19))
    start = D(2026, 12, 1)
    assert buyable_over(life, start, D(2027, 5, 18), "prompt")
    assert not buyable_over(life, start, D(2027, 5, 19), "prompt")
    # OpenAI's base model can still be called, but a new customer cannot fine-tune it
    assert buyable_over(OPENAI_FT, start, start, "prompt")
    assert not buyable_over(OPENAI_FT, start, start, "fine-tune")


dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2029, 12, 31))


@given(a=dates, b=dates, c=dates, on=dates, later=st.integers(0, 800))
def test_availability_only_worsens_with_time(a, b, c, on, later) -> None:
    # Whatever the dates, a model never becomes more available as days pass.
    first, second, third = sorted((a, b, c))
    life = Lifecycle(training_ends_new_customers=first, training_ends=second, ft_retires=third)
    rank = {code: i for i, code in enumerate(AVAILABILITY_CODES[:4])}
    now = availability(life, on, "fine-tune")
    then = availability(life, on + dt.timedelta(days=later), "fine-tune")
    assert rank[then] >= rank[now]


@given(start=dates, span=st.integers(0, 800), retires=dates)
def test_buyable_over_a_span_implies_buyable_over_any_shorter_span(start, span, retires) -> None:
    life = Lifecycle(retires=retires)
    end = start + dt.timedelta(days=span)
    if buyable_over(life, start, end, "prompt"):
        assert buyable_over(life, start, start + dt.timedelta(days=span // 2), "prompt")


# --- the catalog API --------------------------------------------------------------------------

CATALOG = load_catalog()
TODAY = D(2026, 12, 1)


def test_catalog_model_judges_a_fine_tunable_entry_as_a_fine_tune_by_default() -> None:
    gpt41 = CATALOG["openai/gpt-4.1-2025-04-14"]
    assert gpt41.availability(TODAY) == "existing-customers"
    assert gpt41.availability(TODAY, "prompt") == "available"
    assert gpt41.next_change(TODAY) == (D(2027, 1, 6), "training-closed")
    assert gpt41.age_days(TODAY) == (TODAY - gpt41.entry.as_of).days


def test_catalog_buyable_filters_by_use() -> None:
    prompt = {m.key for m in CATALOG.buyable(TODAY, use="prompt")}
    tune = {m.key for m in CATALOG.buyable(TODAY, use="fine-tune")}
    assert "openai/gpt-4.1-2025-04-14" in prompt
    assert "openai/gpt-4.1-2025-04-14" not in tune
    assert "fireworks/gpt-oss-20b-lora-sft" in tune
    # gpt-5-mini shuts down on 2026-12-11: buyable today, not over a year
    assert "openai/gpt-5-mini" in prompt
    year = {m.key for m in CATALOG.buyable(TODAY, D(2027, 12, 1), use="prompt")}
    assert "openai/gpt-5-mini" not in year


# --- the shipped tables, against the 2026-12 audit ----------------------------------------------


def test_no_azure_openai_fine_tune_is_open_to_a_new_subscription() -> None:
    # Microsoft's schedule: training "for existing customers only" after the base retires.
    azure_openai = [
        m
        for m in CATALOG.values()
        if m.provider == "azure" and m.model_id.startswith(("gpt-4", "o"))
    ]
    assert len(azure_openai) == 20
    assert {m.availability(TODAY) for m in azure_openai} <= {"existing-customers", "retired"}


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("vertex/gemini-2.5-flash", "retired"),
        ("mistral/open-mistral-nemo", "retired"),
        ("mistral/mistral-large-2411", "retired"),
        ("bedrock/anthropic.claude-3-haiku-20240307-v1:0", "retired"),
        ("openai/gpt-4o-mini-2024-07-18", "existing-customers"),
        ("openai/o4-mini-2025-04-16", "retired"),
        ("bedrock/amazon.nova-micro-v1:0", "available"),
    ],
)
def test_audited_entries_read_as_the_audit_found_them(key: str, code: str) -> None:
    assert CATALOG[key].availability(TODAY) == code


def test_every_lifecycle_date_in_the_shipped_tables_names_its_source() -> None:
    for m in CATALOG.values():
        life = m.entry.lifecycle
        dated = [name for name, value in life if value is not None and name != "released"]
        if not dated:
            continue
        covers = " ".join(s.covers for s in m.entry.more_sources)
        assert "lifecycle" in covers, f"{m.key}: lifecycle dates {dated} without a source"

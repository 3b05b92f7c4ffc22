"""Closest-name hints: the name the user most likely meant comes first."""

from __future__ import annotations

import pytest

from costmodel.errors import PricingError
from costmodel.prices.catalog import load_catalog
from costmodel.suggest import closest, did_you_mean


def test_a_name_that_extends_the_query_ranks_above_lookalikes():
    known = ["openai/gpt-5-mini", "openai/gpt-5.4-mini", "openai/gpt-4.1-mini-2025-04-14"]
    assert closest("openai/gpt-4.1-mini", known)[0] == "openai/gpt-4.1-mini-2025-04-14"


def test_a_typo_finds_the_field_and_nothing_far_away():
    assert closest("hit_rat", ["enabled", "hit_rate", "requests_per_lifetime", "ttl"]) == [
        "hit_rate"
    ]
    assert did_you_mean("banana", ["hit_rate", "ttl"]) == ""


def test_matching_ignores_case_and_keeps_the_known_spelling():
    assert closest("LLAMA-3.3-70B", ["Llama-3.3-70B-Instruct"]) == ["Llama-3.3-70B-Instruct"]


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("openai/gpt-4.1-mini", "openai/gpt-4.1-mini-2025-04-14"),
        ("gtp-4.1-mini", "gpt-4.1-mini"),
        ("gemini-2.5-flsh", "gemini-2.5-flash"),
        ("openai/claude-sonnet-4-6", "anthropic/claude-sonnet-4-6"),
    ],
)
def test_the_shipped_catalog_suggests_the_intended_model_first(typed, first):
    with pytest.raises(PricingError, match=rf"did you mean {first.replace('.', '[.]')}[,?]"):
        load_catalog().resolve(typed)

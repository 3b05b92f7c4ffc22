"""The dashboard shows exactly what the engine returns, before and after each control moves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from app_helpers import (
    demo_data,
    demo_with_samples,
    edit_option,
    expected,
    fresh_app,
    headline,
    plain,
    shown,
    texts,
    verdict,
    verdict_of,
)

Edit = Callable[[dict[str, Any]], None]


def _base(**tokens: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        _merge(data["strategies"][0], tokens)

    return edit


def _ft(**fields: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        _merge(data["strategies"][1], fields)

    return edit


def _top(**fields: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        _merge(data, fields)

    return edit


def _merge(node: dict[str, Any], fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if isinstance(value, dict):
            _merge(node[name], value)
        else:
            node[name] = value


def test_first_screen_is_the_demo_with_its_samples_counted() -> None:
    at = fresh_app()
    result = expected(demo_with_samples())
    assert shown(at) == headline(result)
    assert verdict(at) == verdict_of(result)


# (widget kind, key, new value, the same change made to the scenario data)
CONTROLS: list[tuple[str, str, Any, Edit]] = [
    ("select_slider", "monthly_requests", 5_000_000, _top(workload={"requests_per_month": 5e6})),
    ("select_slider", "monthly_growth", 0.1, _top(workload={"monthly_growth": 0.1})),
    ("slider", "horizon_months", 24, _top(horizon_months=24)),
    # A new model renames an option whose name named the old one (catalog names in pricing/).
    (
        "selectbox",
        "base_model",
        "openai/gpt-6.1-sol",
        _base(model="openai/gpt-6.1-sol", name="Long prompt on GPT-6.1 Sol"),
    ),
    (
        "selectbox",
        "base_model",
        "openai/gpt-6-luna",
        _base(model="openai/gpt-6-luna", name="Long prompt on GPT-6 Luna"),
    ),
    (
        "selectbox",
        "ft_model",
        "bedrock/amazon.nova-lite-v1:0",
        _ft(
            model="bedrock/amazon.nova-lite-v1:0", name="Fine-tuned Amazon Nova Lite, short prompt"
        ),
    ),
    ("number_input", "base_prompt_tokens", 3_000.0, _base(tokens={"prompt_tokens": 3_000.0})),
    ("number_input", "base_prefix_tokens", 200.0, _base(tokens={"cacheable_prefix_tokens": 200.0})),
    ("number_input", "ft_prompt_tokens", 300.0, _ft(tokens={"prompt_tokens": 300.0})),
    ("number_input", "base_output_tokens", 80.0, _base(tokens={"output_tokens": 80.0})),
    ("number_input", "ft_reasoning_tokens", 40.0, _ft(tokens={"reasoning_tokens": 40.0})),
    ("select_slider", "base_cache_hit_rate", 0.5, _base(cache={"hit_rate": 0.5})),
    ("toggle", "base_cache_enabled", False, _base(cache={"enabled": False})),
    ("select_slider", "base_batch_share", 0.5, _base(batch_share=0.5)),
    ("number_input", "ft_examples", 2_000, _ft(training={"examples": 2_000})),
    ("number_input", "ft_tokens_per_example", 900, _ft(training={"tokens_per_example": 900})),
    ("selectbox", "ft_epochs", 8, _ft(training={"epochs": 8})),
    ("number_input", "ft_runs", 5, _ft(training={"runs": 5})),
    ("number_input", "ft_retrain_every_months", 2, _ft(training={"retrain_every_months": 2})),
    (
        "number_input",
        "ft_data_prep_usd_per_example",
        1.5,
        _ft(training={"data_prep_usd_per_example": 1.5}),
    ),
    ("number_input", "ft_eval_usd_per_run", 400.0, _ft(training={"eval_usd_per_run": 400.0})),
    ("select_slider", "base_failure_rate", 0.1, _base(failure={"rate": 0.1})),
    ("number_input", "base_review_usd", 0.02, _base(failure={"review_usd": 0.02})),
    ("select_slider", "ft_failure_rate", 0.005, _ft(failure={"rate": 0.005})),
    ("number_input", "ft_monthly_fixed_usd", 25.0, _ft(monthly_fixed_usd=25.0)),
]


@pytest.mark.parametrize(
    ("kind", "key", "value", "edit"), CONTROLS, ids=[f"{c[1]}={c[2]}" for c in CONTROLS]
)
def test_each_control_changes_the_figures_to_the_engines(
    kind: str, key: str, value: Any, edit: Edit
) -> None:
    at = fresh_app()
    if key.startswith("ft_"):
        edit_option(at, "ft")
    before = shown(at)
    getattr(at, kind)(key=key).set_value(value).run()
    assert not at.exception, [e.value for e in at.exception]
    data = demo_data()
    edit(data)
    want = expected(data)
    assert shown(at) == headline(want)
    assert verdict(at) == verdict_of(want)
    assert shown(at) != before, "the control must move at least one figure"


def test_a_contradiction_is_explained_and_the_page_keeps_working() -> None:
    at = fresh_app()
    before = shown(at)
    at.number_input(key="base_prefix_tokens").set_value(5_000.0).run()
    assert not at.exception
    # in plain words beside the field, and named by option above the last good figures
    assert "cannot be longer than the prompt" in texts(at.sidebar.error)
    problem = plain(at.main.error[0].value)
    assert "Long prompt on GPT-6.1 Terra, tokens: cacheable prefix tokens (5000)" in problem
    assert "strategies.0" not in problem and "_" not in problem
    assert shown(at) == before
    at.number_input(key="base_prefix_tokens").set_value(100.0).run()
    data = demo_data()
    data["strategies"][0]["tokens"]["cacheable_prefix_tokens"] = 100.0
    assert shown(at) == headline(expected(data))


def test_a_model_without_a_public_training_price_says_where_to_give_one() -> None:
    at = edit_option(fresh_app(), "ft")
    before = shown(at)
    at.selectbox(key="ft_model").set_value("bedrock/amazon.nova-2-lite").run()
    assert not at.exception
    problem = plain(at.main.error[0].value)
    assert "publishes no training price" in problem
    assert problem.endswith("enter one as its training price on the Prices tab")
    assert "fine_tuning" not in problem and "price override" not in problem
    assert shown(at) == before  # the last figures that could be priced stay


def test_a_growth_picked_at_200_percent_is_explained_in_the_sliders_terms() -> None:
    at = fresh_app()
    at.select_slider(key="monthly_growth").set_value(2.0).run()
    warnings = " ".join(plain(w.value) for w in at.warning)
    assert "monthly growth of 200% multiplies the volume by 3 every month" in warnings
    assert "workload" not in warnings and "did you mean" not in warnings

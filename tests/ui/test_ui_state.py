"""Widget state ↔ scenario: every scenario survives the trip through the controls."""

from __future__ import annotations

import pytest

from costmodel.demo import demo_scenario
from costmodel.errors import ScenarioError
from costmodel.scenario import Scenario, scenario_from_dict
from ui.state import forget_samples, scenario_from_widgets, widgets_from_scenario


def _two(**ft: object) -> Scenario:
    return scenario_from_dict(
        {
            "start_date": "2027-02-01",
            "workload": {"requests_per_month": 123_457, "monthly_growth": -0.013},
            "price_overrides": {"acme/big": {"inference": {"input_usd_per_mtok": 1.0}}},
            "strategies": [
                {
                    "name": "long",
                    "kind": "prompt",
                    "model": "gpt-4.1",
                    "tokens": {"prompt_tokens": 1234.5, "cacheable_prefix_tokens": 1000},
                    "cache": {"requests_per_lifetime": 7.5, "ttl": "1h"},
                },
                {
                    "name": "short",
                    "kind": "fine-tuned",
                    "model": "acme/big",
                    "tokens": {"prompt_tokens": 99, "output_tokens": 3.25},
                    **ft,
                },
            ],
        }
    )


@pytest.mark.parametrize(
    "scenario",
    [
        demo_scenario(),
        _two(training={"epochs": 40, "retrain_every_months": 5, "hours_per_run": 2.5}),
        _two(
            training={"examples": 50},
            gpu={"tokens_per_second": 900, "utilization": 0.33, "min_replicas": 0},
        ),
    ],
)
def test_widgets_give_back_the_scenario(scenario: Scenario) -> None:
    assert scenario_from_widgets(widgets_from_scenario(scenario)) == scenario


def test_a_missing_training_plan_is_shown_with_its_defaults() -> None:
    widgets = widgets_from_scenario(_two())
    assert widgets["ft_examples"] == 500 and widgets["ft_epochs"] == "auto"
    again = scenario_from_widgets(widgets)
    assert again.strategies[1].planned_training() == _two().strategies[1].planned_training()


def test_a_prompt_challenger_has_no_training_fields() -> None:
    data = _two().model_dump(mode="json")
    data["strategies"][1] = {**data["strategies"][1], "kind": "prompt", "training": None}
    scenario = scenario_from_dict(data)
    widgets = widgets_from_scenario(scenario)
    assert "ft_examples" not in widgets
    assert scenario_from_widgets(widgets) == scenario


def test_the_challenger_is_the_first_fine_tuned_strategy() -> None:
    data = _two().model_dump(mode="json")
    extra = {**data["strategies"][0], "name": "medium"}
    data["strategies"].insert(1, extra)
    widgets = widgets_from_scenario(scenario_from_dict(data))
    assert widgets["ft_label"] == "short"
    widgets["ft_label"] = "renamed"
    names = [s.name for s in scenario_from_widgets(widgets).strategies]
    assert names == ["long", "medium", "renamed"]


def test_a_named_sample_file_stays_until_an_upload_replaces_it() -> None:
    data = _two().model_dump(mode="json")
    data["strategies"][0]["tokens"]["samples"] = "prompts.jsonl"
    widgets = widgets_from_scenario(scenario_from_dict(data))
    assert scenario_from_widgets(widgets).strategies[0].tokens.samples == "prompts.jsonl"
    forget_samples(widgets, 0)
    assert scenario_from_widgets(widgets).strategies[0].tokens.samples is None


def test_bad_widget_values_raise_the_scenario_error() -> None:
    widgets = widgets_from_scenario(_two())
    widgets["base_prefix_tokens"] = 10_000.0
    with pytest.raises(ScenarioError, match="cacheable_prefix_tokens"):
        scenario_from_widgets(widgets)


def test_a_name_that_follows_its_model_never_repeats_another_options_name():
    from costmodel.prices.catalog import load_catalog
    from ui.state import follow_model

    state = {
        "_ids": ["base", "ft", "s2"],
        "ft_label": "Fine-tuned Nova Micro, short prompt",
        "ft_model": "bedrock/amazon.nova-pro-v1:0",  # the picker's new value
        "s2_label": "Fine-tuned Amazon Nova Pro, short prompt",
        "base_label": "Long prompt",
    }
    follow_model(state, "ft", "bedrock/amazon.nova-micro-v1:0", load_catalog())
    # "Nova Micro" becomes "Amazon Nova Pro", which s2 is already called: a number is added
    assert state["ft_label"] == "Fine-tuned Amazon Nova Pro, short prompt (2)"
    state["ft_model"] = "bedrock/amazon.nova-pro-v1:0"
    follow_model(state, "ft", "bedrock/amazon.nova-pro-v1:0", load_catalog())  # no change
    assert state["ft_label"] == "Fine-tuned Amazon Nova Pro, short prompt (2)"

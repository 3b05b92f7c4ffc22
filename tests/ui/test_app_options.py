"""Every option compared is on screen and editable: add, rename, remove, pick the headline pair."""

from __future__ import annotations

import copy

from app_helpers import (
    demo_data,
    edit_option,
    expected,
    fresh_app,
    headline,
    open_tab,
    shown,
    verdict,
)
from app_helpers import verdict_of as verdict_for


def test_every_option_is_listed_and_the_third_one_is_editable() -> None:
    at = fresh_app()
    names = [s["name"] for s in demo_data()["strategies"]]
    listed = at.radio(key="editing_option").options
    assert len(listed) == 3 and all(n in o for n, o in zip(names, listed, strict=True))
    edit_option(at, "s2")
    at.number_input(key="s2_prompt_tokens").set_value(90.0).run()
    at.selectbox(key="main_challenger").set_value("s2").run()
    data = demo_data()
    data["strategies"][2]["tokens"]["prompt_tokens"] = 90.0
    data["challenger"] = data["strategies"][2]["name"]
    want = expected(data)
    assert shown(at) == headline(want)
    assert verdict(at) == verdict_for(want)


def test_an_added_option_is_priced_and_can_be_the_challenger() -> None:
    at = fresh_app()
    at.button(key="add_fine_tuned").click().run()
    assert at.radio(key="editing_option").value == "s3"
    at.text_input(key="s3_label").set_value("Nova Lite").run()
    at.selectbox(key="s3_model").set_value("bedrock/amazon.nova-lite-v1:0").run()
    at.selectbox(key="main_challenger").set_value("s3").run()
    assert not at.exception and not at.error
    data = demo_data()
    added = copy.deepcopy(data["strategies"][2])  # a copy of the last fine-tuned option
    added.update(name="Nova Lite", model="bedrock/amazon.nova-lite-v1:0")
    data["strategies"].append(added)
    data["challenger"] = "Nova Lite"
    want = expected(data)
    assert shown(at) == headline(want)
    assert "Nova Lite" in verdict(at)


def test_removing_the_challenger_falls_back_to_the_next_fine_tuned_option() -> None:
    at = fresh_app()
    edit_option(at, "ft")
    at.button(key="remove_option").click().run()
    assert not at.exception
    assert len(at.radio(key="editing_option").options) == 2
    data = demo_data()
    del data["strategies"][1]
    want = expected(data)
    assert shown(at) == headline(want)
    assert verdict(at) == verdict_for(want)
    assert at.button(key="remove_option").disabled  # two options left: nothing to compare less
    for tab in ("Breakdown", "Your data", "Prices", "Save & share"):  # every tab still works
        open_tab(at, tab)
        assert not at.exception and not at.error, tab


def test_a_renamed_option_is_named_in_the_verdict() -> None:
    at = fresh_app()
    edit_option(at, "ft").text_input(key="ft_label").set_value("Small tuned model").run()
    data = demo_data()
    data["strategies"][1]["name"] = "Small tuned model"
    assert verdict(at) == verdict_for(expected(data))
    assert "Small tuned model" in verdict(at)


def test_a_name_that_named_the_old_model_follows_a_new_model() -> None:
    at = fresh_app()
    edit_option(at, "ft").selectbox(key="ft_model").set_value("bedrock/amazon.nova-pro-v1:0").run()
    # "Fine-tuned Nova Micro, short prompt": "Nova Micro" ends the catalog name "Amazon Nova
    # Micro", so it is replaced by the new model's catalog name, "Amazon Nova Pro".
    assert at.text_input(key="ft_label").value == "Fine-tuned Amazon Nova Pro, short prompt"
    data = demo_data()
    data["strategies"][1].update(
        name="Fine-tuned Amazon Nova Pro, short prompt", model="bedrock/amazon.nova-pro-v1:0"
    )
    assert verdict(at) == verdict_for(expected(data))
    assert "Nova Micro" not in verdict(at)


def test_a_name_of_the_users_own_stays_when_the_model_changes() -> None:
    at = fresh_app()
    edit_option(at, "ft").text_input(key="ft_label").set_value("Small tuned model").run()
    at.selectbox(key="ft_model").set_value("bedrock/amazon.nova-pro-v1:0").run()
    assert at.text_input(key="ft_label").value == "Small tuned model"
    assert "Small tuned model" in verdict(at)

"""The catalog ranking: by default only the user's own base model, every pair on request."""

from __future__ import annotations

from app_helpers import TODAY, demo_data, fresh_app, shipped

from costmodel.engine.sweeps import catalog_pairs
from costmodel.report.numbers import count, money
from costmodel.scenario import scenario_from_dict


def _ranking_table(at):
    tables = [d.value for d in at.dataframe if "Fine-tuned model" in d.value.columns]
    assert len(tables) == 1
    return tables[0]


def test_ranking_defaults_to_my_base_model_and_can_show_all():
    at = fresh_app("All model pairs")
    expected = catalog_pairs(scenario_from_dict(demo_data()), shipped(), today=TODAY)
    base_key = demo_data()["strategies"][0]["model"]
    mine = expected[expected["baseline_model"] == base_key]
    shown = _ranking_table(at)
    assert set(shown["Base model"]) == {shipped()[base_key].label}
    first = mine.iloc[0]
    assert shown["Fine-tuned model"].iloc[0] == first["challenger_label"]
    assert shown["Saving at your volume"].iloc[0] == money(first["savings_usd"])
    if first["status"] == "breaks_even":
        assert shown["Break-even (requests / month)"].iloc[0] == count(
            first["breakeven_requests_per_month"]
        )
    at.toggle(key="pairs_my_base_only").set_value(False).run()
    every = _ranking_table(at)
    assert len(set(every["Base model"])) > 1
    assert every["Base model"].iloc[0] == expected.iloc[0]["baseline_label"]

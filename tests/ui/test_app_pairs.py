"""The procurement view in the whole app: the demo's pair ranked among every buyable pair."""

from __future__ import annotations

from app_helpers import TODAY, demo_data, fresh_app, shipped

from costmodel.engine.sweeps import catalog_pairs
from costmodel.report.numbers import money
from costmodel.scenario import scenario_from_dict


def _ranking_table(at):
    tables = [d.value for d in at.dataframe if "Fine-tuned model" in d.value.columns]
    assert len(tables) == 1
    return tables[0]


def test_the_app_ranks_every_buyable_pair_and_names_my_rank():
    at = fresh_app("All model pairs")
    expected = catalog_pairs(scenario_from_dict(demo_data()), shipped(), today=TODAY)
    shown = _ranking_table(at)
    first = expected.iloc[0]
    assert shown["Fine-tuned model"].iloc[0] == first["challenger_label"]
    assert shown["Saving over 12 months"].iloc[0] == money(first["savings_usd"])
    assert set(shown["Who can buy it"]) == {"new customers"}
    base, tuned = (s["model"] for s in demo_data()["strategies"][:2])
    at_mine = expected.index[
        (expected["baseline_model"] == base) & (expected["challenger_model"] == tuned)
    ]
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert f"ranks {at_mine[0] + 1} of {len(expected):,}" in text
    at.toggle(key="pairs_my_base_only").set_value(True).run()
    assert set(_ranking_table(at)["Base model"]) == {shipped()[base].label}


def test_two_sessions_with_equal_inputs_share_one_ranking(monkeypatch):
    import ui.setup

    calls = []
    real = ui.setup.sweep_pairs

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(ui.setup, "sweep_pairs", counted)
    ui.setup._shared_table.clear()
    first, second = fresh_app("All model pairs"), fresh_app("All model pairs")
    assert len(calls) == 1  # the demo: ranked once for both sessions
    for at in (first, second):  # the same edit in each: the second session reuses the first's
        at.select_slider(key="monthly_growth").set_value(0.10).run()
    assert len(calls) == 2
    first.select_slider(key="monthly_requests").set_value(2_000_000).run()
    assert len(calls) == 2  # the volume alone: the ranking is not computed again
    assert _ranking_table(first).shape[0] == _ranking_table(second).shape[0]

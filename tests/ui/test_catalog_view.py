"""The model pickers and the procurement view, each tested as a component.

Expected rows come from ``costmodel`` (the sweep, the catalog), never from the view.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from streamlit.testing.v1 import AppTest

from costmodel.engine.sweeps import PAIR_COLUMNS, catalog_pairs
from costmodel.prices.catalog import load_catalog
from costmodel.report.numbers import count, money
from ui.catalog_view import catalog_choices, pairs_csv

START = dt.date(2026, 12, 1)
CATALOG = load_catalog()


def test_pickers_offer_what_a_new_customer_can_buy_with_prices_date_and_availability():
    base, ft = catalog_choices(CATALOG, START, START, 12)
    last = dt.date(2027, 11, 30)  # the 12 months from 2026-12-01
    assert set(base.keys) == {
        m.key for m in CATALOG.base_models() if m.buyable_over(START, last, "prompt")
    }
    assert set(ft.keys) == {
        m.key for m in CATALOG.fine_tunable() if m.buyable_over(START, last, "fine-tune")
    }
    assert base.hidden == len(CATALOG.base_models()) - len(base.keys) > 0
    assert ft.hidden == len(CATALOG.fine_tunable()) - len(ft.keys) > 0
    # provider, both prices, the date with its age, who can buy it
    assert base.label("openai/gpt-6-luna") == (
        "OpenAI · GPT-6 Luna — $0.10 / 1M in, $0.50 / 1M out · as of 2026-11-01 (30 d) · "
        "new customers"
    )
    # a listed price as written ($0.035, not $0.04); no training price is "not public"
    short_ft = catalog_choices(CATALOG, START, START, 3)[1]
    assert "calls $0.035 / 1M in, $0.14 / 1M out" in short_ft.label(
        "bedrock/amazon.nova-micro-v1:0"
    )
    vertex = short_ft.label("vertex/gemini-3.5-flash")
    assert "training price not public" in vertex and vertex.endswith("new customers ⚠")
    # Gemini 3.5 Flash retires on 2027-05-19: offered for 3 months, hidden for 12
    assert "vertex/gemini-3.5-flash" not in ft.keys
    # prices read more than 90 days ago are marked stale
    assert "as of 2026-08-11 (112 d) stale · new customers" in short_ft.label(
        "azure/gpt-oss-20b-ft-global"
    )


def test_under_the_picker_the_whole_option_and_its_warnings():
    _, ft = catalog_choices(CATALOG, START, START, 3)
    key = "vertex/gemini-3.5-flash"
    assert ft.note(key) == f"{ft.label(key)}. ⚠ {ft.flags[key]}"
    assert ft.flags[key] == "retires 2027-05-19"
    plain = "bedrock/amazon.nova-micro-v1:0"
    assert plain not in ft.flags and ft.note(plain) == ft.label(plain)


def test_the_switch_shows_every_model_marked_with_who_can_buy_it():
    base, ft = catalog_choices(CATALOG, START, START, 12, show_all=True)
    assert len(base.keys) == len(CATALOG.base_models())
    assert len(ft.keys) == len(CATALOG.fine_tunable())
    assert (base.hidden, ft.hidden) == (0, 0)
    assert ft.label("vertex/gemini-2.5-flash").endswith(" · retired ⚠")
    assert "existing customers only" in ft.label("openai/gpt-4.1-mini-2025-04-14")
    # the Mistral fine-tunes were read in December 2024: stale
    assert ") stale · retired" in ft.label("mistral/open-mistral-nemo")


def _picker_app():
    import datetime as dt

    import streamlit as st

    from costmodel.prices.catalog import load_catalog
    from ui.catalog_view import ALL_MODELS, availability_toggle, catalog_choices

    start = dt.date(2026, 12, 1)
    show_all = bool(st.session_state.get(ALL_MODELS, False))
    base, ft = catalog_choices(load_catalog(), start, start, 12, show_all)
    availability_toggle((base, ft))
    st.selectbox("Model to fine-tune", ft.keys, key="ft_model", format_func=ft.label)


def test_the_picker_toggle_adds_the_models_a_new_customer_cannot_buy():
    at = AppTest.from_function(_picker_app, default_timeout=30).run()
    assert not at.exception
    default = list(at.selectbox(key="ft_model").options)
    assert not any("retired" in option for option in default)
    hidden = catalog_choices(CATALOG, START, START, 12)[1].hidden
    base_hidden = catalog_choices(CATALOG, START, START, 12)[0].hidden
    assert f"({count(hidden + base_hidden)} hidden now)" in at.toggle[0].help
    at.toggle[0].set_value(True).run()
    every = list(at.selectbox(key="ft_model").options)
    assert len(every) == len(default) + hidden
    assert any(option.endswith("retired ⚠") for option in every)


def _ranking(all_models: bool = False) -> pd.DataFrame:
    from engine_fixtures import acme, two_way

    return catalog_pairs(two_way(), acme(), all_models=all_models)


def _procurement_app(all_models: bool):
    import streamlit as st
    from engine_fixtures import acme, two_way

    from costmodel.engine.sweeps import catalog_pairs
    from ui.catalog_view import PAIRS_ALL_MODELS, procurement

    every = bool(st.session_state.get(PAIRS_ALL_MODELS, all_models))
    ranking = catalog_pairs(two_way(), acme(), all_models=every)
    procurement(ranking, ("acme/nocache", "acme/hosted-ft"), 12)


def _table(at):
    tables = [d.value for d in at.dataframe if "Fine-tuned model" in d.value.columns]
    assert len(tables) == 1
    return tables[0]


def test_procurement_ranks_by_saving_and_highlights_my_pair(downloads):
    at = AppTest.from_function(_procurement_app, args=(False,), default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    ranking = _ranking()
    table = _table(at)
    usable = ranking[ranking["status"] != "unavailable"].sort_values(
        "savings_usd", ascending=False, kind="stable"
    )
    assert list(table["Rank"]) == list(range(1, len(ranking) + 1))
    assert list(table["Fine-tuned model"]) == list(usable["challenger_label"])
    assert list(table["Saving over 12 months"]) == [money(v) for v in usable["savings_usd"]]
    # per 1,000 requests: 1,000 times the cost of one
    assert list(table["Fine-tuned per 1,000 requests"]) == [
        money(v * 1000) for v in usable["challenger_cost_per_request_usd"]
    ]
    assert set(table["Who can buy it"]) == {"new customers"}
    mine = usable.reset_index(drop=True)
    rank = mine.index[
        (mine["baseline_model"] == "acme/nocache") & (mine["challenger_model"] == "acme/hosted-ft")
    ][0]
    text = " ".join(m.value for m in at.markdown)
    assert f"ranks {rank + 1} of {len(ranking)}" in text.replace("\\", "")
    # acme/rft cannot be priced for this plan: it is named with its reason, not dropped
    assert [e.label for e in at.expander] == ["Not ranked: 1 model with no price to rank"]
    assert at.expander[0].caption[0].value.replace("\\", "").startswith("strategy 'acme/rft'")
    # the CSV holds every pair, every column, unrounded
    data = downloads["catalog-pairs.csv"].decode("utf-8")
    assert data == pairs_csv(ranking)
    back = pd.read_csv(io.StringIO(data))
    assert list(back.columns) == PAIR_COLUMNS and len(back) == len(ranking)


def test_procurement_sorts_by_total_cost_and_filters_by_provider():
    at = AppTest.from_function(_procurement_app, args=(False,), default_timeout=30).run()
    at.selectbox(key="pairs_sort").set_value(
        "Total cost of the fine-tuned option (lowest first)"
    ).run()
    ranking = _ranking()
    cheapest = ranking.sort_values("challenger_total_usd", kind="stable")
    assert list(_table(at)["Fine-tuned total"]) == [
        money(v) for v in cheapest["challenger_total_usd"]
    ]
    # no provider chosen keeps every pair; one keeps that provider's
    assert len(_table(at)) == len(ranking)
    at.multiselect(key="pairs_challenger_provider").set_value(["Acme AI (test fixture)"]).run()
    assert len(_table(at)) == len(ranking)
    at.toggle(key="pairs_my_base_only").set_value(True).run()
    mine = ranking[ranking["baseline_model"] == "acme/nocache"]
    assert list(_table(at)["Base model"]) == list(mine["baseline_label"])


def test_procurement_can_include_pairs_a_new_customer_cannot_buy():
    at = AppTest.from_function(_procurement_app, args=(False,), default_timeout=30).run()
    assert len(_table(at)) == len(_ranking())
    at.toggle(key="pairs_show_all").set_value(True).run()
    table = _table(at)
    every = _ranking(all_models=True)
    assert len(table) == len(every) > len(_ranking())
    assert (table["Who can buy it"] == "closes inside the horizon").sum() == (
        ~every["buyable"]
    ).sum()
    # acme/big retires on 2027-06-01, 7 whole months after the 2026-11-01 start: its pairs
    # cover 7 of the 12 months, and say so
    assert "Saving over its months" in table.columns
    assert sorted(set(table["Months"])) == sorted(set(every["horizon_months"])) == [7, 12]

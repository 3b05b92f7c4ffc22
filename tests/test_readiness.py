"""Readiness checks: each rule of thumb fires at its documented threshold."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from costmodel.engine.comparison import BreakEven, Comparison, Payback, Reason, Status
from costmodel.engine.evaluate import evaluate
from costmodel.engine.lifecycle import Cut, CutCode, Horizon
from costmodel.engine.readiness import (
    lifecycle,
    prices,
    readiness,
    requirement_changes,
    training_data,
    volume_against_breakeven,
)
from costmodel.engine.strategy_costs import StrategyCosts
from costmodel.prices.catalog import load_catalog
from costmodel.report.wording import TOPICS, check_text, closure_text
from costmodel.scenario import scenario_from_dict

FIXTURES = Path(__file__).parent / "fixtures" / "pricing"
TODAY = dt.date(2026, 11, 24)


START = dt.date(2026, 12, 1)


def _comparison(
    status: str = "breaks_even",
    threshold: float | None = 100_000.0,
    saving: float = 500.0,
    volume: float = 100_000.0,
    **b: object,
) -> Comparison:
    challenger = StrategyCosts(name="ft", kind="fine-tuned", **b)
    be = BreakEven(Status(status), Reason.SAVES_PER_REQUEST, threshold)
    horizon = Horizon(12, 12, START)
    return Comparison(
        StrategyCosts(name="base"), challenger, horizon, volume, be, Payback(3, saving, 0.0, 0.0)
    )


@pytest.mark.parametrize(
    ("examples", "level"),
    [
        (None, "info"),
        (0, "stop"),
        (9, "stop"),
        (10, "warn"),
        (49, "warn"),
        (50, "info"),
        (299, "info"),
        (300, "ok"),
        (5_000, "ok"),
    ],
)
def test_training_data_levels_follow_the_thresholds(examples: int | None, level: str) -> None:
    assert training_data(examples).level == level


def test_training_data_names_the_minimum() -> None:
    assert "fewer than 10" in check_text(training_data(5))


def test_no_retraining_plan_prices_each_change() -> None:
    check = requirement_changes(_comparison(retrain_usd=180.0))
    assert check.level == "info"
    assert "$180.00" in check_text(check)


def test_retraining_that_eats_the_saving_warns() -> None:
    # 600 every 1 month = $600 a month against a $500 saving: hand-computed.
    c = _comparison(saving=500.0, retrain_usd=600.0, retrain_every_months=1)
    check = requirement_changes(c)
    assert check.level == "warn"
    assert "11 retrainings in 12 months" in check_text(check)  # retrainings at months 1..11 of 12
    assert "$6,600.00" in check_text(check)


def test_retraining_covered_by_the_saving_is_fine() -> None:
    c = _comparison(saving=500.0, retrain_usd=600.0, retrain_every_months=6)
    check = requirement_changes(c)
    assert check.level == "ok"
    assert "1 retraining in 12 months" in check_text(check)


def test_prompt_challenger_needs_no_retraining() -> None:
    base = _comparison()
    c = Comparison(
        StrategyCosts("x"), StrategyCosts("x"), base.horizon, 0.0, base.breakeven, base.payback
    )
    assert requirement_changes(c).level == "info"


@pytest.mark.parametrize(
    ("status", "threshold", "volume", "level", "text"),
    [
        ("breaks_even", 100_000.0, 250_000, "ok", "2.5× the break-even of 100,000"),
        ("breaks_even", 100_000.0, 25_000, "warn", "25% of the break-even"),
        ("breaks_even", 100_000.0, 25_000, "warn", "grow 4×"),
        ("breaks_even", 1_000.0, 1_234_000, "ok", "1,234×"),
        ("breaks_even", 100_000.0, 0, "warn", "No traffic"),
        ("always", 0.0, 10, "ok", "cheaper at any volume"),
        ("never", None, 10, "stop", "never pays off"),
        ("unavailable", None, 10, "stop", "never pays off"),
        ("cheaper_below", 50_000.0, 10_000, "ok", "only below 50,000"),
        ("cheaper_below", 50_000.0, 90_000, "warn", "only below 50,000"),
        ("equal", None, 10, "info", "same"),
    ],
)
def test_volume_against_breakeven(
    status: str, threshold: float | None, volume: float, level: str, text: str
) -> None:
    check = volume_against_breakeven(_comparison(status, threshold, volume=volume))
    assert check.level == level
    assert text in check_text(check)


def _with_horizon(h: Horizon) -> Comparison:
    c = _comparison()
    return Comparison(c.a, c.b, h, c.volume, c.breakeven, c.payback)


def test_lifecycle_levels() -> None:
    start = START
    assert lifecycle(_with_horizon(Horizon(12, 12, start))).level == "ok"
    retires = Cut(CutCode.RETIRES, "ft", "X", dt.date(2027, 6, 1), 6)
    cut = lifecycle(_with_horizon(Horizon(6, 12, start, (retires,))))
    assert cut.level == "warn"
    assert check_text(cut) == "X retires on 2027-06-01: the comparison stops after 6 months."
    closed = Cut(CutCode.TRAINING_CLOSED, "ft", "X", dt.date(2026, 5, 7))
    blocked = lifecycle(_with_horizon(Horizon(12, 12, start, (), (closed,))))
    assert blocked.level == "stop"
    assert check_text(blocked) == "X accepts no new fine-tuning jobs since 2026-05-07."


def test_prices_flag_only_the_models_in_use(tmp_path: Path) -> None:
    flagged = tmp_path / "flag.yaml"
    flagged.write_text(
        "provider: acme\nmodels:\n  small:\n    unverified: [inference.output_usd_per_mtok]\n",
        encoding="utf-8",
    )
    catalog = load_catalog([FIXTURES], overrides=[flagged])
    assert prices(catalog, ["acme/big"], TODAY).level == "ok"
    check = prices(catalog, ["acme/small"], TODAY)
    assert check.level == "warn"
    assert "Acme Small" in check_text(check)
    assert "output price" in check_text(check)


def test_readiness_of_a_whole_scenario() -> None:
    catalog = load_catalog([FIXTURES])
    scenario = scenario_from_dict(
        {
            "start_date": "2026-12-01",
            "horizon_months": 12,
            "workload": {"requests_per_month": 1_000_000},
            "strategies": [
                {
                    "name": "long",
                    "kind": "prompt",
                    "model": "acme/big",
                    "tokens": {"prompt_tokens": 3_000, "output_tokens": 20},
                },
                {
                    "name": "short",
                    "kind": "fine-tuned",
                    "model": "acme/big",
                    "tokens": {"prompt_tokens": 100},
                    "training": {"examples": 40, "retrain_every_months": 3},
                },
            ],
        }
    )
    checks = readiness(evaluate(scenario, catalog), TODAY)
    by_topic = {TOPICS[c.topic]: c for c in checks}
    assert list(by_topic) == [
        "Volume",
        "Training data",
        "Requirement changes",
        "Model lifecycle",
        "Prices",
    ]
    assert by_topic["Training data"].level == "warn"
    # acme/big retires 2027-06-01: six whole calendar months after 2026-12-01.
    assert by_topic["Model lifecycle"].level == "warn"
    assert "the comparison stops after 6 months" in check_text(by_topic["Model lifecycle"])


def test_a_model_closed_to_new_customers_is_flagged_in_the_lifecycle_check() -> None:
    # OpenAI closed fine-tuning to new organisations on 2026-05-07; on 2026-12-01 a
    # plan to fine-tune gpt-4.1-mini is open to existing customers only.
    from costmodel.prices.catalog import load_catalog

    scenario = scenario_from_dict(
        {
            "name": "closed",
            "start_date": "2026-12-01",
            "horizon_months": 1,
            "workload": {"requests_per_month": 1000},
            "strategies": [
                {
                    "name": "long",
                    "kind": "prompt",
                    "model": "openai/gpt-6-luna",
                    "tokens": {"prompt_tokens": 3000},
                },
                {
                    "name": "short",
                    "kind": "fine-tuned",
                    "model": "openai/gpt-4.1-mini-2025-04-14",
                    "tokens": {"prompt_tokens": 100},
                },
            ],
        }
    )
    result = evaluate(scenario, load_catalog())
    closed = result.primary.horizon.closed
    assert [closure_text(c) for c in closed] == [
        "OpenAI · GPT-4.1 mini is open to existing customers only on 2026-12-01"
    ]
    check = {c.topic: c for c in readiness(result, TODAY)}["lifecycle"]
    assert check.level == "warn"
    assert "existing customers only" in check_text(check)
    # the same fact opens the verdict, so the CLI text and the CSV column say it first
    from costmodel.report.export import breakeven_rows
    from costmodel.report.wording import verdict

    lead = (
        "A new customer cannot buy this: OpenAI · GPT-4.1 mini is open to existing "
        "customers only on 2026-12-01. "
    )
    assert verdict(result.primary).startswith(lead)
    assert str(breakeven_rows(result)[0]["verdict"]).startswith(lead)

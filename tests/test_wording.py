"""Every sentence about a result, pinned word for word: one per status and edge case."""

from __future__ import annotations

import datetime as dt

import pytest

from costmodel.engine.comparison import BreakEven, Comparison, Payback, Reason, Status
from costmodel.engine.lifecycle import Closure, Cut, CutCode, Horizon
from costmodel.engine.readiness import requirement_changes
from costmodel.engine.strategy_costs import StrategyCosts
from costmodel.report.wording import check_text, verdict

START = dt.date(2026, 12, 1)
BASE = StrategyCosts("Long prompt", per_request_usd=0.002)
TUNED = StrategyCosts("Tuned", kind="fine-tuned", per_request_usd=0.0005,
                      one_time={"training": 900.0})  # fmt: skip


def _c(status, reason, volume, base_total, tuned_total, month=None, months=12, *, h=None,
       crosses_back=False, b=TUNED):  # fmt: skip
    horizon = h or Horizon(months, months, START)
    return Comparison(
        BASE, b, horizon, 1000.0,
        BreakEven(Status(status), Reason(reason), volume, crosses_back),
        Payback(month, 10.0, base_total, tuned_total),
    )  # fmt: skip


RETIRES = Cut(CutCode.RETIRES, "Tuned", "Acme Tuned", dt.date(2027, 1, 14), 1)
CLOSED = Cut(CutCode.TRAINING_CLOSED, "Tuned", "Acme Tuned", dt.date(2026, 5, 7))

CASES = [
    (
        _c("breaks_even", "saves_per_request", 600.0, 24.0, 15.0, 3),
        "Switch to Tuned: at 1,000 requests a month it saves $9.00 over 12 months and pays "
        "back in month 3. Tuned pays off from 600 requests a month.",
    ),
    (
        _c("breaks_even", "saves_per_request", 1_090_000.0, 1000.0, 1180.0, 5),
        "Keep Long prompt: at 1,000 requests a month Tuned would cost $180.00 more over 12 "
        "months. Tuned pays off from 1.09M requests a month. It is ahead in month 5, but "
        "later costs (a retraining, shrinking traffic) put it behind by the end.",
    ),
    (
        _c("never", "no_per_request_saving", None, 10.0, 30.0),
        "Keep Long prompt: at 1,000 requests a month Tuned would cost $20.00 more over 12 "
        "months. Tuned never breaks even: no per-request saving: $0.0005 against $0.002 a "
        "request.",
    ),
    (
        _c("always", "cheaper_all_round", 0.0, 30.0, 10.0, 1, months=1),
        "Switch to Tuned: at 1,000 requests a month it saves $20.00 over 1 month and pays "
        "back in month 1. Tuned is cheaper at any volume.",
    ),
    (
        _c("cheaper_below", "cheaper_up_front", 5000.0, 30.0, 10.0, 1),
        "Switch to Tuned: at 1,000 requests a month it saves $20.00 over 12 months and pays "
        "back in month 1. Tuned is cheaper only below 5,000 requests a month.",
    ),
    (
        _c("equal", "same_costs", None, 10.0, 10.0, 1),
        "Long prompt and Tuned cost the same at every volume.",
    ),
    (
        _c(
            "unavailable",
            "model_unavailable",
            None,
            0.0,
            0.0,
            h=Horizon(12, 12, START, (), (CLOSED,)),
        ),
        "Long prompt and Tuned cannot be compared: Acme Tuned accepts no new fine-tuning jobs "
        "since 2026-05-07.",
    ),
    (
        _c(
            "breaks_even",
            "gpu_steps",
            600.0,
            24.0,
            15.0,
            1,
            crosses_back=True,
            h=Horizon(1, 12, START, (RETIRES,)),
        ),
        "Switch to Tuned: at 1,000 requests a month it saves $9.00 over 1 month and pays back "
        "in month 1. Tuned pays off from 600 requests a month. At higher volumes the GPU "
        "steps put it behind again. Only 1 month of 12 counts: Acme Tuned retires on "
        "2027-01-14: the comparison stops after 1 month.",
    ),
]


@pytest.mark.parametrize(("comparison", "sentence"), CASES)
def test_verdict_sentences(comparison, sentence):
    assert verdict(comparison) == sentence


MINI = "OpenAI · GPT-4.1 mini"
CLOSED_NOW = Closure(MINI, "existing-customers", START)
CLOSES_LATER = Closure(MINI, "training-closed", dt.date(2027, 1, 6), later=True)
# The same retirement as a cut (RETIRES) and as a closure: told once, as the cut.
RETIRES_TOO = Closure("Acme Tuned", "retired", dt.date(2027, 1, 14), later=True)

CLOSED_CASES = [
    (
        _c("breaks_even", "saves_per_request", 600.0, 24.0, 15.0, 3,
           h=Horizon(12, 12, START, closed=(CLOSED_NOW,))),
        "A new customer cannot buy this: OpenAI · GPT-4.1 mini is open to existing customers "
        "only on 2026-12-01. Switch to Tuned: at 1,000 requests a month it saves $9.00 over "
        "12 months and pays back in month 3. Tuned pays off from 600 requests a month.",
    ),
    (
        _c("never", "no_per_request_saving", None, 10.0, 30.0,
           h=Horizon(12, 12, START, closed=(CLOSES_LATER,))),
        "A new customer could not keep this for the whole horizon: OpenAI · GPT-4.1 mini "
        "accepts no new training from 2027-01-06. Keep Long prompt: at 1,000 requests a month "
        "Tuned would cost $20.00 more over 12 months. Tuned never breaks even: no per-request "
        "saving: $0.0005 against $0.002 a request.",
    ),
    (
        _c("breaks_even", "saves_per_request", 600.0, 24.0, 15.0, 1,
           h=Horizon(1, 12, START, (RETIRES,), closed=(RETIRES_TOO, CLOSED_NOW))),
        "A new customer cannot buy this: OpenAI · GPT-4.1 mini is open to existing customers "
        "only on 2026-12-01. Switch to Tuned: at 1,000 requests a month it saves $9.00 over "
        "1 month and pays back in month 1. Tuned pays off from 600 requests a month. Only 1 "
        "month of 12 counts: Acme Tuned retires on 2027-01-14: the comparison stops after "
        "1 month.",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("comparison", "sentence"), CLOSED_CASES)
def test_verdict_names_a_model_a_new_customer_cannot_buy_first(comparison, sentence):
    assert verdict(comparison) == sentence


def test_a_gain_is_never_called_a_loss_and_back():
    # the headline's recommendation follows the sign of the saving at the user's volume
    for comparison, sentence in CASES:
        saving = comparison.payback.cumulative_savings_usd
        assert sentence.startswith("Switch") == (saving > 0 and comparison.available)


@pytest.mark.parametrize(
    ("every", "retrain", "saving", "sentence"),
    [
        (6, 60.75, 57.76,
         # $60.75 / 6 months = $10.125 a month, rounded half to even at display: $10.12
         "Retraining every 6 months costs $60.75 each, about $10.12 a month at that pace "
         "(1 retraining in 12 months: $60.75), covered by the $57.76 monthly saving."),
        (1, 600.0, 500.0,
         "Retraining every 1 month costs $600.00 each, about $600.00 a month at that pace "
         "(11 retrainings in 12 months: $6,600.00), more than the $500.00 monthly saving. If "
         "requirements change this often, keep prompting."),
        (24, 600.0, 500.0,
         "Retraining every 24 months costs $600.00 each, about $25.00 a month at that pace "
         "(0 retrainings in 12 months: $0.00), covered by the $500.00 monthly saving."),
        (1, 20.06, -785.97,
         "Retraining every 1 month costs $20.06 each, about $20.06 a month at that pace "
         "(11 retrainings in 12 months: $220.66), and there is no monthly saving to cover it "
         "(month 1 costs $785.97 more). If requirements change this often, keep prompting."),
    ],
)  # fmt: skip
def test_retraining_sentences(every, retrain, saving, sentence):
    tuned = StrategyCosts("Tuned", kind="fine-tuned", retrain_usd=retrain,
                          retrain_every_months=every)  # fmt: skip
    c = Comparison(
        BASE, tuned, Horizon(12, 12, START), 1000.0,
        BreakEven(Status.BREAKS_EVEN, Reason.SAVES_PER_REQUEST, 100.0),
        Payback(3, saving, 0.0, 0.0),
    )  # fmt: skip
    assert check_text(requirement_changes(c)) == sentence


def _sim(volumes, savings, statuses=None, months=None):
    """A simulation of len(volumes) draws with the given break-evens and savings."""
    import numpy as np

    from costmodel.engine.simulation import Simulation

    n = len(volumes)
    zeros = np.zeros(n)
    return Simulation(
        n, 7, "Long prompt", "Tuned",
        np.array(statuses or ["breaks_even"] * n, dtype=object), np.array(["x"] * n, dtype=object),
        np.array(volumes, dtype=float), np.array(savings, dtype=float), zeros,
        np.array(months or [1] * n), zeros, zeros, np.zeros((n, 0)), np.zeros((n, 0)), {}, {}, {},
    )  # fmt: skip


def test_simulation_headline_and_lines_word_for_word():
    from costmodel.report.wording import simulation_headline, simulation_lines

    # 10 draws: break-evens 100k … 1M; inverted-CDF percentiles: P10 = 1st, P50 = 5th,
    # P90 = 9th value → 100,000 / 500,000 / 900,000. Savings: 8 positive of 10 → 80 %.
    volumes = [i * 100_000.0 for i in range(1, 11)]
    savings = [-5.0, -1.0, *([1234.0] * 8)]
    sim = _sim(volumes, savings, months=[0, 0, 1, 1, 2, 2, 2, 3, 3, 3])
    c = _c("breaks_even", "saves_per_request", 590_000.0, 24.0, 15.0, 3)
    assert simulation_headline(c, sim) == (
        "Tuned pays off from 590,000 requests a month (100,000–900,000, 80 % of outcomes) — "
        "cheaper in 80 % of simulated futures at your volume."
    )
    # savings percentiles (linear): P10 = −5 + 0.9·4 = −1.4 → −$1; P50 = P90 = $1,234 → $1,200
    assert simulation_lines(sim) == [
        "Simulated futures: 10 draws with seed 7, Tuned against Long prompt",
        "  cheaper in 80 % of simulated futures at your volume (standard error 12.6 percentage "
        "points)",
        "  break-even (requests a month): 10th percentile 100,000, median 500,000, "
        "90th percentile 900,000",
        "  outcomes: pays off from a volume in 10 of 10 futures",
        "  savings over the horizon at your volume: 10th percentile −$1, median $1,200, "
        "90th percentile $1,200",
        "  payback: not within the horizon in 20 %, month 1 in 20 %, month 2 in 30 %, "
        "month 3 in 30 %",
        "  no input is written as a range and no sample file is resampled: every draw is the "
        "point estimate",
    ]


def test_never_draws_are_named_in_the_band():
    from costmodel.report.wording import breakeven_band, status_counts_text

    # 5 of 10 never pay off: +∞ from the 6th value on, so P90 is "never"
    sim = _sim([1e5] * 5 + [float("nan")] * 5, [1.0] * 10,
               statuses=["breaks_even"] * 5 + ["never"] * 5)  # fmt: skip
    assert breakeven_band(sim) == "100,000–never, 80 % of outcomes"
    assert (
        status_counts_text(sim) == "pays off from a volume in 5 of 10 futures, never pays off in 5"
    )
    same = _sim([123_456.0] * 10, [1.0] * 10)
    assert breakeven_band(same) == "about 123,000 in at least 80 % of outcomes"

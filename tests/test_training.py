"""Tests of costmodel.engine.training: file checks, the epochs heuristic and the billing arithmetic.

Oracles: token counts are rebuilt here from the raw encoder and OpenAI's
documented chat framing (3 tokens per message, +1 per name, +3 reply priming);
prices are the round made-up figures written in each test.
"""

from __future__ import annotations

import io
import json
import tracemalloc
from collections.abc import Iterator
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costmodel.engine.training import (
    CostBasis,
    DatasetScan,
    auto_epochs,
    estimate_from_file,
    estimate_from_parameters,
    estimate_from_scan,
    resolve_epochs,
    scan_file,
)
from costmodel.errors import CostModelError, SampleFileError, TrainingError
from costmodel.prices.schema import TrainingPrices
from costmodel.report.wording import training_cost_text, training_issue_text
from costmodel.tokens.tokenizers import get_encoding

FIXTURES = Path(__file__).parent / "fixtures" / "training"
VALID = FIXTURES / "valid_12.jsonl"
FLAWED = FIXTURES / "flawed.jsonl"
VALIDATION = FIXTURES / "validation_3.jsonl"

PER_TOKEN = TrainingPrices(usd_per_mtok=10.0)
MIN_FEE = TrainingPrices(usd_per_mtok=10.0, min_job_usd=4.0)
HOURLY = TrainingPrices(usd_per_hour=100.0, max_job_usd=250.0)


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(p["text"] for p in value if isinstance(p, dict) and "text" in p)
    return ""


def framed_tokens(messages: list[dict[str, object]], encoding: str = "o200k_base") -> int:
    """OpenAI's chat framing by hand: 3 + Σ (3 + tokens of each text value + 1 per name).

    Like the cookbook, every value of a message is encoded; the non-text
    fields (weight, tool_calls, function_call) are outside the formula.
    """
    enc = get_encoding(encoding)
    total = 3
    for m in messages:
        total += 3
        for key, value in m.items():
            if key not in ("weight", "tool_calls", "function_call"):
                total += len(enc.encode_ordinary(_text(value)))
        total += 1 if "name" in m else 0
    return total


def line_tokens(path: Path, encoding: str = "o200k_base") -> dict[int, int]:
    """{1-based line: framed tokens} for every line holding a messages list."""
    found = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and isinstance(record.get("messages"), list):
            messages = [m for m in record["messages"] if isinstance(m, dict)]
            found[number] = framed_tokens(messages, encoding)
    return found


def categories(issues: tuple) -> dict[str, tuple[int, ...]]:
    return {i.category: i.lines for i in issues}


# --- auto epochs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (10, 10),  # 30 < 100 → min(25, 100 // 10 = 10)
        (20, 5),  # 60 < 100 → min(25, 100 // 20 = 5)
        (40, 3),  # 120 in [100, 25,000] → target 3
        (100, 3),  # 300 → target 3
        (10_000, 2),  # 30,000 > 25,000 → max(1, 25,000 // 10,000 = 2)
        (30_000, 1),  # 90,000 > 25,000 → max(1, 25,000 // 30,000 = 0) = 1
        (1, 25),  # 3 < 100 → min(25, 100)
        (33, 3),  # 99 < 100 → min(25, 100 // 33 = 3)
        (8_334, 2),  # 25,002 > 25,000 → 25,000 // 8,334 = 2
        (0, 25),  # no examples: the formula's limit, never a ZeroDivisionError
    ],
)
def test_auto_epochs_matches_the_cookbook_heuristic(n: int, expected: int) -> None:
    assert auto_epochs(n) == expected


def test_auto_epochs_rejects_negative_counts() -> None:
    with pytest.raises(TrainingError, match="negative"):
        auto_epochs(-1)


@given(st.integers(min_value=0, max_value=10**9))
def test_auto_epochs_always_between_1_and_25(n: int) -> None:
    assert 1 <= auto_epochs(n) <= 25


@pytest.mark.parametrize("bad", [0, -2, True, 2.5, "three"])
def test_resolve_epochs_rejects_anything_but_a_positive_int_or_auto(bad: object) -> None:
    with pytest.raises(TrainingError, match="epochs must be"):
        resolve_epochs(bad, 100)  # type: ignore[arg-type]


def test_given_epochs_are_kept_and_labelled() -> None:
    assert resolve_epochs(7, 10_000) == (7, "given")


# --- estimate from parameters -------------------------------------------------------------------


def test_per_token_cost_is_tokens_times_epochs_times_price() -> None:
    # 200 × 1,000 = 200,000 tokens per epoch; auto epochs for 200 = 3 (600 in range)
    # 600,000 / 1e6 × $10 = $6.00, above the $4 minimum.
    e = estimate_from_parameters(200, 1_000, "auto", MIN_FEE)
    assert (e.billing_tokens_per_epoch, e.epochs, e.epochs_source) == (200_000, 3, "heuristic")
    assert e.charged_tokens == 600_000
    assert e.cost_usd == pytest.approx(6.0)
    assert not e.min_fee_applied


def test_minimum_job_fee_applies_below_it() -> None:
    # 100 × 1,000 × 3 = 300,000 tokens → $3.00 < $4.00 minimum → $4.00
    e = estimate_from_parameters(100, 1_000, 3, MIN_FEE)
    assert e.cost_usd == 4.0
    assert e.min_fee_applied
    assert (e.cost_basis, dict(e.cost_values)) == (
        CostBasis.PER_TOKEN,
        {"tokens": 300_000, "usd_per_mtok": 10.0, "min_job_usd": 4.0},
    )
    assert training_cost_text(e) == "300,000 tokens × $10.00 per 1M; the $4.00 minimum applies"


def test_examples_are_truncated_and_billed_at_the_cap() -> None:
    # 10 examples of 50 tokens, cap 30 → 300 per epoch; auto epochs for 10 = 10 → 3,000
    # tokens → 3,000 / 1e6 × $10 = $0.03
    prices = TrainingPrices(usd_per_mtok=10.0, max_tokens_per_example=30)
    e = estimate_from_parameters(10, 50, "auto", prices)
    assert (e.max_tokens_per_example, e.billing_tokens_per_epoch) == (30, 300)
    assert e.charged_tokens == 3_000
    assert e.cost_usd == pytest.approx(0.03)
    assert e.tokens_per_example_mean == 50.0
    assert categories(e.warnings)["over_token_limit"] == ()
    assert next(i.count for i in e.warnings if i.category == "over_token_limit") == 10


def test_user_cap_overrides_the_models_cap() -> None:
    prices = TrainingPrices(usd_per_mtok=10.0, max_tokens_per_example=30)
    e = estimate_from_parameters(10, 50, 1, prices, max_tokens_per_example=40)
    assert e.billing_tokens_per_epoch == 400  # 10 × min(50, 40)


def test_no_price_gives_tokens_but_no_cost() -> None:
    e = estimate_from_parameters(100, 1_000, 2, None)
    assert e.charged_tokens == 200_000
    assert e.cost_usd is None
    assert e.cost_basis is CostBasis.NO_MODEL
    assert "no model" in training_cost_text(e)


def test_hourly_price_needs_hours() -> None:
    e = estimate_from_parameters(100, 1_000, 3, HOURLY)
    assert e.cost_usd is None
    assert (e.cost_basis, dict(e.cost_values)) == (CostBasis.HOURS_MISSING, {"usd_per_hour": 100})
    assert training_cost_text(e) == (
        "priced at $100.00 per wall-clock training hour: give the hours per run"
    )
    assert e.charged_tokens == 300_000  # still reported


def test_hourly_price_is_hours_times_rate() -> None:
    # 2.5 h × $100/h = $250.00, exactly the $250 pause threshold: no warning
    e = estimate_from_parameters(100, 1_000, 3, HOURLY, training_hours=2.5)
    assert e.cost_usd == pytest.approx(250.0)
    assert "over_max_job" not in categories(e.warnings)


def test_hourly_cost_above_the_providers_pause_is_flagged() -> None:
    e = estimate_from_parameters(100, 1_000, 3, HOURLY, training_hours=3)
    assert e.cost_usd == pytest.approx(300.0)  # 3 h × $100/h
    assert "over_max_job" in categories(e.warnings)


def test_hours_given_for_a_per_token_model_are_ignored_with_a_warning() -> None:
    e = estimate_from_parameters(100, 1_000, 3, PER_TOKEN, training_hours=5)
    assert e.cost_usd == pytest.approx(3.0)  # 300,000 / 1e6 × $10
    assert "training_hours_ignored" in categories(e.warnings)


def test_zero_examples_is_an_explicit_result() -> None:
    e = estimate_from_parameters(0, 1_000, "auto", MIN_FEE)
    assert (e.examples, e.charged_tokens, e.tokens_per_example_mean) == (0, 0, 0.0)
    assert e.cost_usd is None
    assert e.cost_basis is CostBasis.NO_EXAMPLES
    assert "no examples" in training_cost_text(e)
    assert "too_few_examples" in categories(e.format_errors)


@pytest.mark.parametrize(
    ("n", "error", "warning"),
    [(9, True, False), (10, False, True), (99, False, True), (100, False, False)],
)
def test_dataset_size_checks(n: int, error: bool, warning: bool) -> None:
    e = estimate_from_parameters(n, 100, 1, PER_TOKEN)
    assert ("too_few_examples" in categories(e.format_errors)) is error
    assert ("small_dataset" in categories(e.warnings)) is warning


@pytest.mark.parametrize(
    "kwargs",
    [
        {"examples": -1},
        {"tokens_per_example": -5},
        {"training_hours": -1.0},
        {"training_hours": float("nan")},
        {"max_tokens_per_example": 0},
        {"n_evals": -1},
        {"validation_examples": -3},
    ],
)
def test_negative_or_impossible_inputs_are_rejected(kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {"examples": 10, "tokens_per_example": 100, "epochs": 1}
    args |= kwargs
    with pytest.raises(CostModelError):
        estimate_from_parameters(prices=PER_TOKEN, **args)  # type: ignore[arg-type]


def test_billed_validation_adds_validation_tokens_per_eval() -> None:
    # Together's rule: 3 × 100,000 train + 3 evals × (20 × 500 = 10,000) = 330,000 → $3.30
    prices = TrainingPrices(usd_per_mtok=10.0, validation_billed=True)
    e = estimate_from_parameters(
        100, 1_000, 3, prices, validation_examples=20, validation_tokens_per_example=500
    )
    assert e.validation is not None
    assert (e.validation.billing_tokens_per_pass, e.validation.evals) == (10_000, 3)
    assert e.validation.charged_tokens == 30_000
    assert e.charged_tokens == 330_000
    assert e.cost_usd == pytest.approx(3.30)


def test_given_n_evals_replaces_the_epoch_count() -> None:
    # 300,000 train + 1 eval × 10,000 = 310,000 tokens → $3.10
    prices = TrainingPrices(usd_per_mtok=10.0, validation_billed=True)
    e = estimate_from_parameters(
        100, 1_000, 3, prices, validation_examples=20, validation_tokens_per_example=500, n_evals=1
    )
    assert e.charged_tokens == 310_000
    assert e.cost_usd == pytest.approx(3.10)


@pytest.mark.parametrize(("billed", "warned"), [(False, False), (None, True)])
def test_unbilled_validation_is_reported_but_not_charged(billed: bool | None, warned: bool) -> None:
    prices = TrainingPrices(usd_per_mtok=10.0, validation_billed=billed)
    e = estimate_from_parameters(
        100, 1_000, 3, prices, validation_examples=20, validation_tokens_per_example=500
    )
    assert e.validation is not None
    assert e.validation.billing_tokens_per_pass == 10_000
    assert e.validation.charged_tokens == 0
    assert e.charged_tokens == 300_000
    assert ("validation_billing_unknown" in categories(e.warnings)) is warned


def test_scan_arithmetic_uses_billing_tokens_not_raw_tokens() -> None:
    # 4,000 billing tokens × 2 epochs = 8,000 → $0.08, raised to the $4 minimum
    scan = DatasetScan(examples=10, tokens=5_000, billing_tokens=4_000)
    e = estimate_from_scan(scan, 2, MIN_FEE)
    assert (e.charged_tokens, e.cost_usd, e.min_fee_applied) == (8_000, 4.0, True)
    assert e.tokens_per_example_mean == 500.0


def test_estimate_is_immutable_and_json_ready() -> None:
    e = estimate_from_parameters(5, 10, 1, PER_TOKEN)
    with pytest.raises(FrozenInstanceError):
        e.epochs = 2  # type: ignore[misc]
    data = json.loads(json.dumps(e.to_dict()))
    assert data["format_errors"] == {
        "too_few_examples": {
            "count": 5,
            "lines": [],
            "values": {"examples": 5, "minimum": 10},
        }
    }
    assert [training_issue_text(i) for i in e.format_errors] == [
        "5 examples; OpenAI requires at least 10"
    ]


# --- property tests -----------------------------------------------------------------------------

prices_st = st.builds(
    TrainingPrices,
    usd_per_mtok=st.floats(min_value=0, max_value=100, allow_nan=False),
    min_job_usd=st.floats(min_value=0, max_value=50, allow_nan=False),
    max_tokens_per_example=st.none() | st.integers(min_value=1, max_value=70_000),
    validation_billed=st.sampled_from([True, False, None]),
)
examples_st = st.integers(min_value=1, max_value=200_000)
tokens_st = st.integers(min_value=0, max_value=100_000)
epochs_st = st.integers(min_value=1, max_value=50) | st.just("auto")


@given(prices_st, examples_st, examples_st, tokens_st, st.integers(min_value=1, max_value=50))
def test_cost_never_falls_with_more_examples(prices, n1, n2, tokens, epochs) -> None:
    low, high = sorted((n1, n2))
    a = estimate_from_parameters(low, tokens, epochs, prices)
    b = estimate_from_parameters(high, tokens, epochs, prices)
    assert a.cost_usd is not None and b.cost_usd is not None
    assert a.cost_usd <= b.cost_usd


@given(prices_st, examples_st, tokens_st, tokens_st, epochs_st)
def test_cost_never_falls_with_longer_examples(prices, n, t1, t2, epochs) -> None:
    low, high = sorted((t1, t2))
    a = estimate_from_parameters(n, low, epochs, prices)
    b = estimate_from_parameters(n, high, epochs, prices)
    assert a.cost_usd is not None and b.cost_usd is not None
    assert a.cost_usd <= b.cost_usd


@given(prices_st, examples_st, tokens_st, st.integers(1, 50), st.integers(1, 50))
def test_cost_never_falls_with_more_epochs(prices, n, tokens, e1, e2) -> None:
    low, high = sorted((e1, e2))
    a = estimate_from_parameters(n, tokens, low, prices)
    b = estimate_from_parameters(n, tokens, high, prices)
    assert a.cost_usd is not None and b.cost_usd is not None
    assert a.cost_usd <= b.cost_usd


@given(
    st.one_of(prices_st, st.builds(TrainingPrices, usd_per_hour=st.floats(0, 500))),
    examples_st,
    tokens_st,
    epochs_st,
    st.floats(min_value=0, max_value=100),
)
def test_cost_is_at_least_the_minimum_fee_when_priced(prices, n, tokens, epochs, hours) -> None:
    e = estimate_from_parameters(n, tokens, epochs, prices, training_hours=hours)
    assert e.cost_usd is not None
    assert e.cost_usd >= prices.min_job_usd


@settings(deadline=None)  # tokenizes up to 40 lines per case; timing varies with load
@given(
    st.integers(min_value=1, max_value=40),
    st.text(alphabet="abc xyz.!é\n", min_size=0, max_size=60),
    prices_st,
    epochs_st,
)
def test_file_and_parameter_estimates_agree_for_identical_examples(n, text, prices, epochs) -> None:
    messages = [{"role": "user", "content": text or "x"}, {"role": "assistant", "content": "ok"}]
    line = json.dumps({"messages": messages}).encode() + b"\n"
    tokens = framed_tokens(messages)
    from_file = estimate_from_file(io.BytesIO(line * n), "o200k_base", epochs, prices)
    from_params = estimate_from_parameters(n, tokens, epochs, prices)
    for field in ("examples", "billing_tokens_per_epoch", "epochs", "charged_tokens", "cost_usd"):
        assert getattr(from_file, field) == getattr(from_params, field), field
    assert from_file.tokens_per_example_mean == pytest.approx(from_params.tokens_per_example_mean)
    assert (
        categories(from_file.format_errors).keys() == categories(from_params.format_errors).keys()
    )


# --- files --------------------------------------------------------------------------------------


def test_valid_file_tokens_and_cost() -> None:
    per_line = line_tokens(VALID)
    assert len(per_line) == 12  # line 11 is blank and skipped
    total = sum(per_line.values())
    e = estimate_from_file(VALID, "o200k_base", "auto", PER_TOKEN)
    assert e.examples == 12
    assert e.billing_tokens_per_epoch == total
    assert e.epochs == 8  # 36 < 100 → min(25, 100 // 12 = 8)
    assert e.charged_tokens == total * 8
    assert e.cost_usd == pytest.approx(total * 8 / 1e6 * 10.0)
    assert e.tokens_per_example_mean == pytest.approx(total / 12)
    assert e.format_errors == ()
    assert set(categories(e.warnings)) == {"small_dataset"}


def test_file_examples_over_the_cap_are_billed_at_the_cap_and_listed() -> None:
    per_line = line_tokens(VALID)
    e = estimate_from_file(VALID, "o200k_base", 2, PER_TOKEN, max_tokens_per_example=30)
    assert e.billing_tokens_per_epoch == sum(min(t, 30) for t in per_line.values())
    over = tuple(n for n, t in per_line.items() if t > 30)
    assert over == (3, 4, 5, 6, 8, 12)  # the fixture's long lines, found by hand
    assert categories(e.warnings)["over_token_limit"] == over


def test_each_format_error_is_reported_on_its_line() -> None:
    e = estimate_from_file(FLAWED, "o200k_base", 1, None)
    assert categories(e.format_errors) == {
        "invalid_json": (2,),
        "record_not_object": (3,),
        "dpo_record_unsupported": (4,),
        "missing_messages_list": (5,),
        "message_missing_key": (6,),
        "message_unrecognized_key": (7,),
        "unrecognized_role": (8,),
        "missing_content": (9,),
        "example_missing_assistant_message": (10,),
        "too_few_examples": (),
    }
    # line 11: an assistant tool call without content is valid but under-counted
    assert categories(e.warnings) == {"uncounted_tokens": (11,)}
    messages = {i.category: training_issue_text(i) for i in e.format_errors}
    assert messages["invalid_json"].startswith("line 2 is not valid JSON")
    assert "'mood'" in messages["message_unrecognized_key"]


def test_flawed_records_with_messages_still_count() -> None:
    per_line = line_tokens(FLAWED)
    # lines 1 and 6–11 have a messages list; 2 is broken JSON, 3–5 have none
    assert sorted(per_line) == [1, 6, 7, 8, 9, 10, 11]
    e = estimate_from_file(FLAWED, "o200k_base", 1, None)
    assert e.examples == 7
    assert e.billing_tokens_per_epoch == sum(per_line.values())


def test_line_numbers_are_capped_at_twenty_but_counted_in_full() -> None:
    line = b'{"messages": [{"role": "user", "content": "hi"}]}\n'
    e = estimate_from_file(io.BytesIO(line * 25), "o200k_base", 1, None)
    issue = next(i for i in e.format_errors if i.category == "example_missing_assistant_message")
    assert issue.count == 25
    assert issue.lines == tuple(range(1, 21))


def test_validation_file_is_scanned_and_billed_when_the_model_bills_it() -> None:
    train, val = sum(line_tokens(VALID).values()), sum(line_tokens(VALIDATION).values())
    prices = TrainingPrices(usd_per_mtok=10.0, validation_billed=True)
    e = estimate_from_file(VALID, "o200k_base", 2, prices, validation=VALIDATION)
    assert e.validation is not None
    assert (e.validation.examples, e.validation.billing_tokens_per_pass) == (3, val)
    assert e.charged_tokens == 2 * train + 2 * val  # 2 epochs, n_evals defaults to 2
    assert e.validation.format_errors == ()


def test_validation_file_errors_make_the_estimate_flawed(tmp_path: Path) -> None:
    bad = tmp_path / "val.jsonl"
    bad.write_text('{"messages": [{"role": "user", "content": "no reply"}]}\n', encoding="utf-8")
    e = estimate_from_file(VALID, "o200k_base", 1, PER_TOKEN, validation=bad)
    assert e.format_errors == ()
    assert e.validation is not None
    assert categories(e.validation.format_errors) == {"example_missing_assistant_message": (1,)}
    assert e.has_format_errors


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.read_bytes())
    assert scan_file(path, "o200k_base", None).format_errors == ()


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", "is empty"),
        (b"\n  \n\t\n", "is empty"),
        (b'{"messages": []}\n\x00\x01\x02binary\n', "looks binary .NUL byte on line 2"),
        (b'{"messages": []}\n{"messages": "caf\xe9"}\n', "line 2 is not UTF-8"),
        (b'[\n  {\n    "messages": []\n  }\n]\n', "not JSON Lines"),
    ],
)
def test_unreadable_files_raise_one_clear_error(tmp_path: Path, content: bytes, match: str) -> None:
    path = tmp_path / "train.jsonl"
    path.write_bytes(content)
    with pytest.raises(SampleFileError, match=match):
        scan_file(path, "o200k_base", None)


@pytest.mark.parametrize("name", ["missing.jsonl", ""])
def test_missing_file_or_folder_raises_a_read_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(SampleFileError, match="cannot read"):
        scan_file(tmp_path / name, "o200k_base", None)


class _Stream:
    """A binary stream that hands out the lines of a generator, one ``readline`` at a time."""

    def __init__(self, lines: Iterator[bytes]) -> None:
        self._lines = lines

    def readline(self, limit: int = -1) -> bytes:
        return next(self._lines, b"")


def test_file_is_read_line_by_line_and_stops_at_the_first_unreadable_line() -> None:
    good = json.dumps({"messages": [{"role": "user", "content": "hi"}]}).encode() + b"\n"

    def lines() -> Iterator[bytes]:
        yield good
        yield b"\xff\xfe\n"
        raise AssertionError("the scan read past the unreadable line")

    with pytest.raises(SampleFileError, match="line 2 is not UTF-8"):
        scan_file(_Stream(lines()), "o200k_base", None)  # type: ignore[arg-type]


@pytest.mark.slow
def test_large_file_is_streamed_without_holding_its_records() -> None:
    # 6,000 records of ~400 bytes: holding them as dicts takes ~7.8 MB (1.3 KB each),
    # four times the bound; a streaming scan's peak does not grow with the count.
    record = {
        "messages": [
            {"role": "user", "content": "word " * 60},
            {"role": "assistant", "content": "ok"},
        ]
    }
    line = json.dumps(record).encode() + b"\n"
    n = 6_000

    def lines() -> Iterator[bytes]:
        for _ in range(n):
            yield line

    get_encoding("o200k_base")  # load the encoder first: the peak must measure the scan alone
    tracemalloc.start()
    scan = scan_file(_Stream(lines()), "o200k_base", None)  # type: ignore[arg-type]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert scan.examples == n
    assert scan.tokens == n * framed_tokens(record["messages"])
    assert peak < 2_000_000

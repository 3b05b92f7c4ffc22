"""Tests of ``costmodel training``: exact exit codes, JSON values and the human summary.

Prices come from tests/fixtures/training_pricing (made-up round figures); token
counts from the raw encoder plus OpenAI's chat framing (see test_training.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_training import FLAWED, VALID, VALIDATION, line_tokens

from costmodel.cli import main

PRICING = str(Path(__file__).parent / "fixtures" / "training_pricing")
TRAIN = sum(line_tokens(VALID).values())  # 377 tokens over 12 examples
VAL = sum(line_tokens(VALIDATION).values())
AUTO_EPOCHS_12 = 8  # 12 × 3 = 36 < 100 → min(25, 100 // 12 = 8)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(["training", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def priced(*argv: str) -> tuple[str, ...]:
    return (*argv, "--pricing", PRICING)


def test_without_a_model_tokens_are_counted_and_no_price_applies(capsys) -> None:
    code, data = run_json(capsys, str(VALID))
    assert code == 0
    assert data["model"] is None
    assert (data["encoding"], data["approximate"]) == ("o200k_base", False)
    assert data["examples"] == 12
    assert data["billing_tokens_per_epoch"] == TRAIN
    assert (data["epochs"], data["epochs_source"]) == (AUTO_EPOCHS_12, "heuristic")
    assert data["charged_tokens"] == TRAIN * AUTO_EPOCHS_12
    assert data["cost_usd"] is None
    assert "no model" in data["cost_reason"]
    assert data["format_errors"] == {}
    assert list(data["warnings"]) == ["small_dataset"]


def test_per_token_model_cost(capsys) -> None:
    code, data = run_json(capsys, *priced(str(VALID), "--model", "trainlab/gpt-4o-trainlab"))
    assert code == 0
    assert data["model"] == "trainlab/gpt-4o-trainlab"
    assert data["approximate"] is False  # a gpt-4o id uses o200k_base exactly
    # tokens × 8 epochs × $10 per 1M
    assert data["cost_usd"] == pytest.approx(TRAIN * AUTO_EPOCHS_12 / 1e6 * 10.0)
    assert data["min_fee_applied"] is False


def test_given_epochs_and_cl100k_encoding(capsys) -> None:
    cl100k = sum(line_tokens(VALID, "cl100k_base").values())
    assert cl100k != TRAIN  # the two encodings split this file differently (378 vs 377)
    code, data = run_json(capsys, str(VALID), "--encoding", "cl100k_base", "--epochs", "4")
    assert code == 0
    assert data["encoding"] == "cl100k_base"
    assert (data["epochs"], data["epochs_source"]) == (4, "given")
    assert data["billing_tokens_per_epoch"] == cl100k
    assert data["charged_tokens"] == cl100k * 4


def test_model_cap_truncates_long_examples(capsys) -> None:
    per_line = line_tokens(VALID)
    code, data = run_json(capsys, *priced(str(VALID), "--model", "trainlab/capped"))
    assert code == 0
    assert data["approximate"] is True  # 'capped' has no known tokenizer
    assert data["max_tokens_per_example"] == 30
    assert data["billing_tokens_per_epoch"] == sum(min(t, 30) for t in per_line.values())
    assert data["warnings"]["over_token_limit"]["lines"] == [3, 4, 5, 6, 8, 12]


def test_cap_option_overrides_the_model(capsys) -> None:
    per_line = line_tokens(VALID)
    argv = priced(str(VALID), "--model", "trainlab/capped", "--max-tokens-per-example", "35")
    code, data = run_json(capsys, *argv)
    assert code == 0
    assert data["billing_tokens_per_epoch"] == sum(min(t, 35) for t in per_line.values())


def test_minimum_fee(capsys) -> None:
    # 377 × 8 = 3,016 tokens → $0.03 < $4.00 minimum
    code, data = run_json(capsys, *priced(str(VALID), "--model", "trainlab/minfee"))
    assert code == 0
    assert data["cost_usd"] == 4.0
    assert data["min_fee_applied"] is True


def test_hourly_model_without_hours_has_no_cost(capsys) -> None:
    code, data = run_json(capsys, *priced(str(VALID), "--model", "trainlab/hourly"))
    assert code == 0
    assert data["cost_usd"] is None
    assert "per wall-clock training hour" in data["cost_reason"]


def test_hourly_model_with_hours(capsys) -> None:
    argv = priced(str(VALID), "--model", "trainlab/hourly", "--training-hours", "1.5")
    code, data = run_json(capsys, *argv)
    assert code == 0
    assert data["cost_usd"] == pytest.approx(150.0)  # 1.5 h × $100/h
    assert data["training_hours"] == 1.5


def test_billed_validation_adds_one_pass_per_epoch(capsys) -> None:
    argv = priced(str(VALID), "--model", "trainlab/evalbilled", "--validation", str(VALIDATION))
    code, data = run_json(capsys, *argv)
    assert code == 0
    assert data["validation"]["billing_tokens_per_pass"] == VAL
    assert data["validation"]["billed"] is True
    assert data["charged_tokens"] == AUTO_EPOCHS_12 * TRAIN + AUTO_EPOCHS_12 * VAL


def test_n_evals_sets_the_number_of_validation_passes(capsys) -> None:
    argv = priced(
        str(VALID),
        "--model",
        "trainlab/evalbilled",
        "--validation",
        str(VALIDATION),
        "--n-evals",
        "2",
    )
    code, data = run_json(capsys, *argv)
    assert code == 0
    assert data["charged_tokens"] == AUTO_EPOCHS_12 * TRAIN + 2 * VAL


def test_unbilled_validation_is_reported_only(capsys) -> None:
    argv = priced(str(VALID), "--model", "trainlab/capped", "--validation", str(VALIDATION))
    code, data = run_json(capsys, *argv)
    assert code == 0
    assert data["validation"]["billed"] is False
    assert data["validation"]["charged_tokens"] == 0
    assert data["charged_tokens"] == data["billing_tokens_per_epoch"] * AUTO_EPOCHS_12


def test_format_errors_exit_1_and_are_listed_with_lines(capsys) -> None:
    code, data = run_json(capsys, str(FLAWED))
    assert code == 1
    assert data["examples"] == 7
    assert data["format_errors"]["invalid_json"]["lines"] == [2]
    assert data["format_errors"]["unrecognized_role"] == {
        "count": 1,
        "lines": [8],
        "values": {"roles": "assistant, developer, function, system, tool, user"},
        "message": "a message's role is not one of assistant, developer, function, system, "
        "tool, user",
    }
    assert data["format_errors"]["too_few_examples"]["count"] == 7


def test_human_summary_is_exact(capsys) -> None:
    code = main(["training", *priced(str(VALID), "--model", "trainlab/gpt-4o-trainlab")])
    charged = TRAIN * AUTO_EPOCHS_12  # 3,016
    mean = TRAIN / 12
    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        f"File                    {VALID}",
        "Model                   trainlab/gpt-4o-trainlab",
        "Tokenizer               o200k_base",
        "Examples                12",
        f"Tokens per example      {mean:,.1f} mean",
        f"Billing tokens / epoch  {TRAIN:,}",
        "Epochs                  8 (auto heuristic)",
        f"Charged tokens          {charged:,}",
        f"Cost                    $0.03  ({charged:,} tokens × $10.00 per 1M)",
        "Warnings:",
        "  small_dataset                     12 examples: OpenAI usually sees improvements "
        "from 50–100 examples, and more with several hundred",
    ]


def test_human_summary_lists_format_errors_with_line_numbers(capsys) -> None:
    assert main(["training", str(FLAWED)]) == 1
    out = capsys.readouterr().out
    assert "Format errors (the provider would reject the file):" in out
    assert "  invalid_json                      line 2: line 2 is not valid JSON" in out
    assert "  example_missing_assistant_message line 10: no assistant message" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["missing.jsonl"], "cannot read"),
        ([str(VALID), "--epochs", "0"], "epochs must be"),
        ([str(VALID), "--training-hours", "-1"], "training hours"),
        ([*priced(str(VALID), "--model", "trainlab/base-only")], "cannot be fine-tuned"),
        ([*priced(str(VALID), "--model", "no-such-model")], "not in the pricing catalog"),
        ([str(VALID), "--encoding", "p50k_base"], "unknown encoding"),
    ],
)
def test_unusable_input_exits_2_with_one_line(capsys, argv: list[str], message: str) -> None:
    assert main(["training", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("costmodel: error: ")
    assert message in captured.err
    assert captured.err.count("\n") == 1


def test_empty_file_exits_2(tmp_path: Path, capsys) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert main(["training", str(empty)]) == 2
    assert "is empty" in capsys.readouterr().err


def test_bad_epochs_text_is_an_argument_error(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["training", str(VALID), "--epochs", "many"])
    assert exit_info.value.code == 2
    assert "expected a whole number or 'auto'" in capsys.readouterr().err


def test_help_documents_the_exit_codes(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["training", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "1  the file has format errors" in out
    assert "2  a file cannot be read at all" in out

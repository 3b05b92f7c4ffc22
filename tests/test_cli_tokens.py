"""``costmodel tokens``: exit codes, JSON figures and the human table."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from costmodel import cli
from costmodel.tokens.tokenizers import get_encoding

REPO = Path(__file__).parents[1]
DEMO = REPO / "costmodel" / "demo" / "support_prompts.jsonl"
FIXTURES = REPO / "tests" / "fixtures" / "samples"


@pytest.fixture(autouse=True)
def only_tokens_command(monkeypatch):
    """Build the parser from this command alone, so other commands cannot break these tests."""
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("tokens",))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["tokens", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def nearest_rank(values: list[int], percent: int) -> int:
    """Textbook nearest-rank percentile: the value at rank ceil(p/100 * n)."""
    ordered = sorted(values)
    return ordered[math.ceil(percent / 100 * len(ordered)) - 1]


def demo_column(key: str, encoding: str) -> list[int]:
    enc = get_encoding(encoding)
    records = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines()]
    return [len(enc.encode_ordinary(r[key])) for r in records]


def test_json_output_for_the_demo_matches_tiktoken_counted_directly(capsys):
    code, out, err = run(capsys, str(DEMO), "--model", "gpt-4o", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    long = demo_column("long_prompt", "o200k_base")
    assert data["records"] == len(long) == 240
    assert data["total_tokens"] == sum(long)
    assert data["mean"] == pytest.approx(sum(long) / len(long))
    assert data["p50"] == nearest_rank(long, 50)
    assert data["p95"] == nearest_rank(long, 95)
    assert data["max"] == max(long)
    assert (data["encoding"], data["approximate"]) == ("o200k_base", False)
    assert data["reason"] == "o200k_base is gpt-4o-2024-08-06's tokenizer"  # the catalog's id
    assert data["format"] == "jsonl"
    assert data["warnings"] == []
    assert set(data["columns"]) == {"long", "short", "output"}
    short = demo_column("short_prompt", "o200k_base")
    assert data["columns"]["short"]["total_tokens"] == sum(short)
    assert data["columns"]["short"]["p90"] == nearest_rank(short, 90)
    output = demo_column("output", "o200k_base")
    assert data["columns"]["output"]["min"] == min(output)
    assert data["columns"]["long"]["total_tokens"] == data["total_tokens"]


def test_json_shared_prefix_is_the_common_token_prefix(capsys):
    code, out, _ = run(capsys, str(DEMO), "--encoding", "cl100k_base", "--json")
    enc = get_encoding("cl100k_base")
    records = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines()]
    token_lists = [enc.encode_ordinary(r["long_prompt"]) for r in records]
    shared = 0
    while all(len(t) > shared and t[shared] == token_lists[0][shared] for t in token_lists):
        shared += 1
    assert code == 0
    assert json.loads(out)["shared_prefix_tokens"] == shared


def test_approximate_model_uses_the_given_encoding_as_reference(capsys):
    code, out, _ = run(
        capsys, str(FIXTURES / "prompts.jsonl"), "--model", "claude-sonnet-4", "--encoding",
        "cl100k_base", "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0
    assert (data["encoding"], data["approximate"]) == ("cl100k_base", True)
    assert (
        data["reason"] == "claude-sonnet-4 has no public tokenizer; approximated with cl100k_base"
    )


def test_a_model_outside_the_catalog_is_counted_only_with_an_encoding(capsys):
    code, out, err = run(capsys, str(FIXTURES / "prompts.jsonl"), "--model", "my-own-model",
                         "--encoding", "o200k_base", "--json")  # fmt: skip
    data = json.loads(out)
    assert (code, err) == (0, "")
    assert (data["encoding"], data["approximate"]) == ("o200k_base", True)
    assert data["reason"] == "no tokenizer is known for my-own-model; approximated with o200k_base"


def test_warnings_are_in_the_json(capsys):
    code, out, _ = run(capsys, str(FIXTURES / "empty_prompts.csv"), "--json")
    assert code == 0
    assert json.loads(out)["warnings"] == [
        "skipped 2 record(s) with an empty prompt (line 3, line 4)"
    ]


def test_human_table_is_aligned_with_thousands_separators(capsys):
    code, out, err = run(capsys, str(DEMO))
    long = demo_column("long_prompt", "o200k_base")
    lines = out.splitlines()
    assert code == 0
    assert err == ""
    assert lines[0] == "support_prompts.jsonl (jsonl, 240 records)"
    header = next(line for line in lines if line.startswith("column"))
    row = next(line for line in lines if line.startswith("long "))
    assert f"{sum(long):,}" in row.split()
    assert f"{max(long):,}" == row.split()[-1]
    assert len(header) == len(row), "numbers are right-aligned under their headings"
    assert lines[-1].startswith("shared prefix: 1,")


def test_human_output_puts_warnings_on_stderr(capsys):
    code, out, err = run(capsys, str(FIXTURES / "prompts.csv"))
    assert code == 0
    assert err.splitlines() == [
        "costmodel: warning: ignored fields: 'ticket_id'",
        "costmodel: warning: short prompt missing in 1 of 3 records; its statistics cover "
        "the other 2",
    ]
    assert "warning" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            [str(FIXTURES / "bad_line.jsonl")],
            "costmodel: error: bad_line.jsonl: line 3 is not valid JSON: Expecting property "
            "name enclosed in double quotes (column 20)\n",
        ),
        (
            [str(FIXTURES / "no_such_file.csv")],
            f"costmodel: error: no_such_file.csv: no such file ({FIXTURES / 'no_such_file.csv'})\n",
        ),
        (
            [str(DEMO), "--model", "gpt-4o", "--encoding", "cl100k_base"],
            "costmodel: error: encoding cl100k_base conflicts with model gpt-4o-2024-08-06, "
            "which uses o200k_base; give only one of them\n",
        ),
        (
            [str(DEMO), "--model", "gtp-4.1-mini"],
            "costmodel: error: model 'gtp-4.1-mini' is not in the pricing catalog; did you mean "
            "gpt-4.1-mini, gpt-4o-mini, gpt-5.4-mini? (to count with an encoding anyway, add "
            "--encoding)\n",
        ),
        (
            [str(DEMO), "--encoding", "p50k_base"],
            "costmodel: error: unknown encoding 'p50k_base'; known encodings: cl100k_base, "
            "o200k_base\n",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line_on_stderr(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert (code, out, err) == (2, "", message)


def test_missing_file_argument_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["tokens"])
    assert info.value.code == 2
    assert "the following arguments are required: FILE" in capsys.readouterr().err


def test_help_documents_the_model_encoding_rule(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["tokens", "--help"])
    out = capsys.readouterr().out
    assert info.value.code == 0
    assert "an --encoding that differs from it is an error" in " ".join(out.split())


def test_real_entry_point_runs_in_a_subprocess():
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "costmodel", "tokens", str(FIXTURES / "prompts.jsonl"), "--json"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["records"] == 3


def test_a_large_file_starts_fastokens_before_the_counting_modules_load(tmp_path):
    """fastokens' tables take seconds to build: the command starts them before importing
    numpy and the counting code, and before reading a record."""
    code = """
import sys
from costmodel.tokens import fast

imported = []
start = fast.ExactEncoder.start_bulk

def spy(self, wait=False):
    imported.append(sorted({"numpy", "costmodel.tokens.stats"} & set(sys.modules)))
    start(self, wait)

fast.ExactEncoder.start_bulk = spy
fast.BULK_MIN_BYTES["o200k_base"] = 0  # this small file counts as large
from costmodel.cli import main

code = main(["tokens", sys.argv[1], "--json"])
sys.stderr.write(repr(imported[0]))
sys.exit(code)
"""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code, str(FIXTURES / "prompts.jsonl")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["records"] == 3
    assert done.stderr == "[]"

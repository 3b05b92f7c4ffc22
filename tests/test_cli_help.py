"""The command line explains itself: usage on a bare call, plain help texts, ranked pairs."""

from __future__ import annotations

import argparse
import csv
import io
import json
import math

import pandas as pd
import pytest
from engine_fixtures import acme, two_way

from costmodel import cli
from costmodel.cli import breakeven as breakeven_cli
from costmodel.scenario import dump_scenario

COMMANDS = ("dashboard", "demo", "breakeven", "scenario", "tokens", "training", "pricing")


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    """argparse wraps help to the terminal width; pin it so the text is exact."""
    monkeypatch.setenv("COLUMNS", "100")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_bare_call_prints_the_full_help_and_exits_2(capsys):
    code, out, err = run(capsys)
    assert (code, err) == (2, "")
    assert out == (
        "usage: costmodel [-h] COMMAND ...\n"
        "\n"
        "Fine-tune or keep prompting? Token counts, prices and break-even volumes.\n"
        "\n"
        "options:\n"
        "  -h, --help  show this help message and exit\n"
        "\n"
        "commands:\n"
        "  COMMAND\n"
        "    dashboard\n"
        "              start the dashboard (a local web page) in a Streamlit server\n"
        "    demo      copy the demo scenario, sample prompts and training file into a folder\n"
        "    breakeven\n"
        "              break-even volume and payback for a scenario\n"
        "    scenario  example and validation of scenario files\n"
        "    tokens    count the tokens of sample prompts (.txt, .csv, .tsv, .json, .jsonl)\n"
        "    training  check a chat fine-tuning JSONL file and estimate the training cost\n"
        "    pricing   check and list the price tables\n"
        "\n"
        "Run `costmodel COMMAND --help` for a command's options. Bad input exits 2 with one "
        "line on stderr.\n"
    )


@pytest.mark.parametrize("group", ["pricing", "scenario"])
def test_a_command_group_without_its_sub_command_prints_its_help(capsys, group):
    code, out, err = run(capsys, group)
    assert (code, err) == (2, "")
    assert out.startswith(f"usage: costmodel {group} [-h] COMMAND ...\n")
    assert "validate" in out


def _parsers(parser: argparse.ArgumentParser):
    """Every parser of the command tree, the root included."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


ALL_PARSERS = list(_parsers(cli.build_parser()))


def test_the_tree_has_every_command():
    names = {p.prog for p in ALL_PARSERS}
    assert {f"costmodel {c}" for c in COMMANDS} <= names
    assert len(names) == 1 + len(COMMANDS) + 4 + 2  # pricing and scenario sub-commands


@pytest.mark.parametrize("parser", ALL_PARSERS, ids=lambda p: p.prog)
def test_help_has_no_docstring_markup(parser):
    text = parser.format_help()
    for markup in ("``", ":func:", ":class:", ":data:", ":mod:"):
        assert markup not in text, f"{parser.prog}: {markup}"


@pytest.mark.parametrize("parser", ALL_PARSERS, ids=lambda p: p.prog)
def test_every_option_and_argument_is_explained(parser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
            continue
        assert action.help, f"{parser.prog} {action.option_strings or action.dest} has no help"


@pytest.mark.parametrize(
    ("command", "option", "unit"),
    [
        (("breakeven",), "--limit", "rows"),
        (("training",), "--max-tokens-per-example", "tokens"),
        (("training",), "--training-hours", "hours"),
        (("training",), "--n-evals", "passes"),
        (("training",), "--epochs", "passes"),
        (("pricing", "list"), "--stale-days", "days"),
        (("pricing", "list"), "--today", "date"),
        (("breakeven",), "--out", "CSV"),
        (("breakeven",), "--scenario", "YAML"),
        (("dashboard",), "--port", "port number"),
        (("breakeven",), "--pricing", "USD per 1M tokens"),
    ],
)
def test_options_with_a_quantity_name_its_unit(command, option, unit):
    parser = next(p for p in ALL_PARSERS if p.prog == "costmodel " + " ".join(command))
    (action,) = [a for a in parser._actions if option in a.option_strings]
    assert unit in action.help


def test_tokens_help_lists_every_accepted_column(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["tokens", "--help"])
    out = capsys.readouterr().out
    assert info.value.code == 0
    assert "  long prompt     long_prompt, prompt, input, text\n" in out
    assert "  short prompt    short_prompt (optional)\n" in out
    assert "  output          output, completion, response, expected_output (optional)\n" in out
    assert "  chat (JSON)     messages, short_messages" in out


def test_pairs_table_ranks_and_titles_the_first_rows():
    frame = pd.DataFrame(
        {
            "baseline_model": ["p/a", "p/long-base-name", "p/a"],
            "challenger_model": ["p/t", "p/t", "p/u"],
            "savings_usd": [3249.0, 12.5, -900.0],
            "baseline_cost_per_request_usd": [0.0032, 0.0044, 0.0032],
            "challenger_cost_per_request_usd": [0.00048, 0.00048, 0.0018],
            "challenger_one_time_usd": [15.0, 15.0, 1234.5],
            "challenger_monthly_fixed_usd": [0.0, 0.0, 1460.0],
            "breakeven_requests_per_month": [459.6, 2_500_000.0, math.nan],
            "status": ["breaks_even", "breaks_even", "never"],
            "baseline_availability": ["available", "available", "available"],
            "challenger_availability": ["available", "available", "existing-customers"],
            "buyable": [True, True, False],
        }
    )
    scenario = two_way()
    lines = breakeven_cli.pairs_table(frame, scenario, 2, False).splitlines()
    assert lines[:3] == [
        "fixture: 3 catalog pairs a new customer can buy and keep for the whole horizon "
        "(--all-models adds the others); base model × fine-tunable model ranked by the saving "
        "over the horizon at 100,000 requests a month, largest first; pairs that cannot be "
        "used come last.",
        "The first 2: --limit 0 prints all; --out FILE.csv or --json gives every row.",
        "",
    ]
    assert lines[3].split()[:4] == ["rank", "base", "model", "fine-tuned"]
    assert lines[4].split() == ["1", "p/a", "p/t", "$3,249.00", "460", "$0.0032", "$0.00048",
                                "$15.00", "$0.00", "new", "customers"]  # fmt: skip
    assert lines[5].split()[:5] == ["2", "p/long-base-name", "p/t", "$12.50", "2.5M"]
    every = breakeven_cli.pairs_table(frame, scenario, 0, True).splitlines()
    assert every[0].startswith(
        "fixture: 3 catalog pairs, models a new customer cannot buy included; "
    )
    assert len(every) == 3 + 3  # title, blank, heading, three rows: no "first N" line
    assert every[-1].split() == ["3", "p/a", "p/u", "−$900.00", "never", "$0.0032", "$0.0018",
                                 "$1,234.50", "$1,460.00", "fine-tune:", "existing",
                                 "customers", "only"]  # fmt: skip


@pytest.fixture
def fixture_pairs(monkeypatch, tmp_path):
    """``breakeven --all-pairs`` over the Acme test catalog alone.

    20 pairs in all; 12 without acme/big, which retires inside the 12 months.
    """
    monkeypatch.setattr(breakeven_cli, "catalog_from_args", lambda args: acme())
    path = tmp_path / "s.yaml"
    path.write_text(dump_scenario(two_way()), encoding="utf-8")
    return str(path)


def test_all_pairs_text_prints_a_header_and_the_top_rows(capsys, fixture_pairs):
    code, out, err = run(capsys, "breakeven", "--scenario", fixture_pairs, "--all-pairs",
                         "--limit", "3")  # fmt: skip
    lines = out.splitlines()
    assert (code, err) == (0, "")
    assert lines[0].startswith("fixture: 12 catalog pairs a new customer can buy")
    # acme/rft trains by the hour and the plan gives no hours: named, not dropped silently
    assert lines[1] == "Not ranked: 1 model that cannot be priced here."
    assert lines[2].startswith("  strategy 'acme/rft': ")
    lines = [lines[0], *lines[3:]]
    assert lines[1] == (
        "The first 3: --limit 0 prints all; --out FILE.csv or --json gives every row."
    )
    assert lines[3].split()[:3] == ["rank", "base", "model"]
    # nocache → small: 3,000 prompt tokens at $1/M + 100 output at $2/M = $0.0032;
    # tuned: 200 × $0.80/M + 100 × $3.20/M = $0.00048; training 1,000 × 500 × 3 epochs
    # × 2 runs = 3M tokens at $5/M = $15; break-even 15 / ((0.0032 − 0.00048) × 12) = 459.6;
    # saving at 100,000 a month: 12 × 100,000 × (0.0032 − 0.00048) − 15 = $3,249.
    assert lines[4].split() == ["1", "acme/nocache", "acme/small", "$3,249.00", "460",
                                "$0.0032", "$0.00048", "$15.00", "$0.00", "new",
                                "customers"]  # fmt: skip
    assert len(lines) == 4 + 3


def test_all_pairs_default_is_twenty_rows(capsys, fixture_pairs):
    code, out, _ = run(capsys, "breakeven", "--scenario", fixture_pairs, "--all-pairs",
                       "--all-models")  # fmt: skip
    lines = out.splitlines()[2:]  # the title and the model that cannot be ranked, then:
    assert code == 0
    assert lines[1] == ""  # all 20 pairs fit the default: no "the first N" line
    assert [line.split()[0] for line in lines[3:]] == [str(i) for i in range(1, 21)]
    # the pairs with acme/big are marked: it closes inside the horizon
    assert sum(line.endswith("closes inside the horizon") for line in lines[3:]) == 8


def test_all_pairs_lists_only_buyable_pairs_unless_asked(capsys, fixture_pairs):
    _, out, _ = run(capsys, "breakeven", "--scenario", fixture_pairs, "--all-pairs", "--json")
    assert len(json.loads(out)) == 12
    _, out, _ = run(capsys, "breakeven", "--scenario", fixture_pairs, "--all-pairs", "--json",
                    "--all-models")  # fmt: skip
    pairs = json.loads(out)
    assert len(pairs) == 20
    assert sum(not p["buyable"] for p in pairs) == 8


def test_all_pairs_json_and_csv_carry_every_row(capsys, fixture_pairs, tmp_path):
    out_csv = tmp_path / "pairs.csv"
    code, out, _ = run(capsys, "breakeven", "--scenario", fixture_pairs, "--all-pairs",
                       "--json", "--limit", "1", "--out", str(out_csv),
                       "--all-models")  # fmt: skip
    assert code == 0
    assert len(json.loads(out)) == 20
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8"))))
    assert len(rows) == 20
    assert (rows[0]["baseline_model"], rows[0]["challenger_model"]) == (
        "acme/nocache",
        "acme/small",
    )


@pytest.mark.parametrize("value", ["-1", "x"])
def test_a_bad_limit_is_a_usage_error(capsys, fixture_pairs, value):
    with pytest.raises(SystemExit) as info:
        cli.main(["breakeven", "--scenario", fixture_pairs, "--all-pairs", "--limit", value])
    assert info.value.code == 2
    assert capsys.readouterr().err.startswith("costmodel breakeven: error: argument --limit")

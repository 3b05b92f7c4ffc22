"""The README's command-line examples run as written, in order, from an empty folder.

The example price file shown in the README is saved as ``my-prices.yaml``
first, as the README tells the reader to. The CSV sections must name every
column the code writes.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from costmodel.cli import main
from costmodel.engine.sweeps import PAIR_COLUMNS
from costmodel.report.export import COLUMNS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    """The README text from a ``## title`` heading to the next one."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"the README has no '## {title}' section"
    return match.group(1)


def _blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", text, re.M | re.S)


COMMANDS = [
    line
    for line in _blocks(_section("Command line"), "bash")[0].splitlines()
    if line.startswith("costmodel ")
]


def test_the_set_up_commands_come_first():
    first = _blocks(README, "bash")[0].splitlines()
    assert first == [
        "python3 -m venv .venv && . .venv/bin/activate && pip install -e . && streamlit run app.py",
        'python3 -m venv .venv && . .venv/bin/activate && pip install -e ".[test]" && '
        "python -m pytest",
    ]


def test_readme_has_examples():
    assert len(COMMANDS) >= 8
    assert COMMANDS[0].startswith("costmodel demo ")


def test_readme_examples_run_in_order_from_an_empty_folder(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    (price_file,) = _blocks(_section("Your own prompts, training file and prices"), "yaml")
    assert "saved as `my-prices.yaml`" in README
    (tmp_path / "my-prices.yaml").write_text(price_file, encoding="utf-8")
    for command in COMMANDS:
        code = main(shlex.split(command)[1:])
        out, err = capsys.readouterr()
        assert code == 0, f"{command}: {err}"
        assert out.strip(), command
    assert (tmp_path / "breakeven.csv").is_file() and (tmp_path / "pairs.csv").is_file()


@pytest.mark.parametrize("column", [*COLUMNS, *PAIR_COLUMNS])
def test_every_csv_column_is_explained(column):
    assert f"`{column}`" in _section("Reading the break-even CSV"), column

"""The README's command-line examples run as written and succeed."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from costmodel.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = [line for line in re.findall(r"^costmodel .*$", README, flags=re.MULTILINE)]


def test_readme_has_examples():
    assert len(COMMANDS) >= 5


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_example_runs(command, monkeypatch, tmp_path, capsys):
    argv = shlex.split(command)[1:]
    argv = [str(ROOT / a) if "/" in a and (ROOT / a).exists() else a for a in argv]
    monkeypatch.chdir(tmp_path)  # --out files land in a scratch folder
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.strip()

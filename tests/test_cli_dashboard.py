"""``costmodel dashboard`` and ``costmodel demo``: what they start and what they write."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from costmodel import cli
from costmodel.cli import dashboard
from costmodel.demo import DEMO_DIR

ROOT = Path(__file__).resolve().parent.parent


def test_in_a_checkout_the_dashboard_is_app_py_with_the_checkout_settings():
    assert dashboard.dashboard_files() == (ROOT / "app.py", ROOT / ".streamlit" / "config.toml")


def test_the_command_runs_streamlit_on_the_app_with_every_shipped_setting():
    command = dashboard.streamlit_command(8600, "localhost")
    assert command[:5] == [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py")]
    assert command[-2:] == ["--server.port=8600", "--server.address=localhost"]
    assert "--server.headless=true" in command
    assert "--browser.gatherUsageStats=false" in command
    assert "--client.showErrorDetails=none" in command
    assert "--theme.font=sans serif" in command


def test_dashboard_becomes_the_streamlit_server(monkeypatch, capsys):
    started = []
    monkeypatch.setattr(os, "execv", lambda path, argv: started.append((path, argv)))
    assert cli.main(["dashboard", "--port", "9000"]) == 0
    command = dashboard.streamlit_command(9000, "localhost")
    assert started == [(sys.executable, command)]


@pytest.mark.parametrize("port", ["0", "65536", "http"])
def test_a_bad_port_is_a_usage_error(capsys, port):
    with pytest.raises(SystemExit) as info:
        cli.main(["dashboard", "--port", port])
    assert info.value.code == 2
    assert capsys.readouterr().err == (
        f"costmodel dashboard: error: argument --port: {port!r} is not a port number (1 to 65535)\n"
    )


def test_demo_copies_the_demo_files(capsys, tmp_path):
    folder = tmp_path / "try"
    assert cli.main(["demo", str(folder)]) == 0
    for name in ("scenario.yaml", "support_prompts.jsonl", "support_train.jsonl"):
        assert (folder / name).read_bytes() == (DEMO_DIR / name).read_bytes()
    assert capsys.readouterr().out.startswith(f"wrote {folder / 'scenario.yaml'}, ")


def test_demo_never_overwrites(capsys, tmp_path):
    (tmp_path / "scenario.yaml").write_text("mine", encoding="utf-8")
    assert cli.main(["demo", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"costmodel: error: {tmp_path}: scenario.yaml already exists; choose another folder\n"
    )
    assert (tmp_path / "scenario.yaml").read_text(encoding="utf-8") == "mine"

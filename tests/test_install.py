"""The built wheel, installed on its own, gives the command line and the dashboard.

The wheel is built and installed offline into a fresh virtual environment
whose only other packages are this environment's dependencies (a ``.pth``
file points at them; the checkout is never on its path). Every command then
runs from an empty folder, so nothing can come from the checkout.
"""

from __future__ import annotations

import os
import site
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _run(args: list[str | Path], cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=check
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a virtual environment holding only the wheel and its dependencies."""
    tmp = tmp_path_factory.mktemp("install")
    wheels = tmp / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
          "-q", "-w", wheels, ROOT], cwd=tmp)  # fmt: skip
    (wheel,) = wheels.glob("costmodel-*.whl")
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp)
    (purelib,) = (venv / "lib").glob("python3*/site-packages")
    deps = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (purelib / "test_dependencies.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install",
          "--no-deps", "--no-index", "-q", wheel], cwd=tmp)  # fmt: skip
    return venv / "bin"


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """An empty folder outside the checkout."""
    return tmp_path


def test_the_package_comes_from_the_wheel(installed: Path, elsewhere: Path) -> None:
    code = "import costmodel, ui; print(costmodel.__file__); print(ui.__file__)"
    lines = _run([installed / "python", "-c", code], cwd=elsewhere).stdout.splitlines()
    assert all(line.startswith(str(installed.parent)) for line in lines), lines


def test_help_and_a_break_even_run_from_another_folder(installed: Path, elsewhere: Path) -> None:
    done = _run([installed / "costmodel", "--help"], cwd=elsewhere)
    assert done.stdout.startswith("usage: costmodel [-h] COMMAND ...")
    assert "dashboard" in done.stdout
    demo = _run([installed / "costmodel", "demo", "demo"], cwd=elsewhere)
    assert demo.returncode == 0, demo.stderr
    done = _run([installed / "costmodel", "breakeven", "--scenario", "demo/scenario.yaml",
                 "--out", "b.csv"], cwd=elsewhere)  # fmt: skip
    assert done.stdout.startswith("Support-ticket classifier\n")
    assert "break-even" in done.stdout
    assert (elsewhere / "b.csv").read_text(encoding="utf-8").startswith("scenario,")
    done = _run([installed / "costmodel", "pricing", "validate"], cwd=elsewhere)
    assert "_pricing" not in done.stderr and done.returncode == 0


def test_dashboard_help(installed: Path, elsewhere: Path) -> None:
    done = _run([installed / "costmodel", "dashboard", "--help"], cwd=elsewhere)
    assert done.stdout.startswith("usage: costmodel dashboard [-h] [--port N] [--address HOST]")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_dashboard_starts_the_installed_app_and_stops(installed: Path, elsewhere: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [installed / "costmodel", "dashboard", "--port", str(port), "--address", "127.0.0.1"],
        cwd=elsewhere,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        health = f"http://127.0.0.1:{port}/_stcore/health"
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            try:
                with urllib.request.urlopen(health, timeout=2) as reply:
                    assert reply.read() == b"ok"
                    break
            except OSError:
                assert time.monotonic() < deadline, "the dashboard did not start within 60 s"
                time.sleep(0.5)
    finally:
        server.terminate()  # the command became the server: one signal stops it
        server.wait(timeout=30)
    with pytest.raises(OSError):  # nothing is left listening
        urllib.request.urlopen(health, timeout=2)


def test_the_dashboard_runs_the_script_and_settings_inside_the_wheel(
    installed: Path, elsewhere: Path
) -> None:
    code = "from costmodel.cli.dashboard import dashboard_files as f; print(*f(), sep='\\n')"
    lines = _run([installed / "python", "-c", code], cwd=elsewhere).stdout.splitlines()
    assert [Path(line).relative_to(installed.parent).parts[-3:] for line in lines] == [
        ("ui", "dashboard", "app.py"),
        ("ui", "dashboard", "config.toml"),
    ]

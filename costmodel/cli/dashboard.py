"""``costmodel dashboard``: start the dashboard that was installed with the package.

The dashboard is a Streamlit script. In a checkout it is ``app.py`` beside the
``ui`` package; an installed wheel carries it inside ``ui`` (see
pyproject.toml), together with the server settings of ``.streamlit/config.toml``
which Streamlit would otherwise only read from the folder it is started in.
This module only finds those files and starts ``python -m streamlit run``: it
never imports Streamlit, so the core stays free of it.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

from costmodel.cli import COMMAND_HELP
from costmodel.errors import CostModelError

DEFAULT_PORT = 8501
# Where the wheel puts the script and the settings, relative to the ``ui`` package.
INSTALLED_SCRIPT = Path("dashboard") / "app.py"
INSTALLED_SETTINGS = Path("dashboard") / "config.toml"


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "dashboard",
        help=COMMAND_HELP["dashboard"],
        description="Start the dashboard in a local Streamlit server and print its address; "
        "open that address in a browser. Stop the server with Ctrl+C.",
    )
    p.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        metavar="N",
        help=f"TCP port number the server listens on (default {DEFAULT_PORT})",
    )
    p.add_argument(
        "--address",
        default="localhost",
        metavar="HOST",
        help="network address (host name or IP) to listen on; default localhost, so only "
        "this computer can open it",
    )
    p.set_defaults(func=run)


def _port(text: str) -> int:
    """argparse type: a TCP port, 1–65535."""
    if not text.isdigit() or not 1 <= int(text) <= 65_535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1 to 65535)")
    return int(text)


def run(args: argparse.Namespace) -> int:
    """Become the Streamlit server, so Ctrl+C or a stop signal reaches it directly.

    Replacing this process (rather than starting a child) means stopping
    ``costmodel dashboard`` can never leave an orphaned server behind.
    """
    if importlib.util.find_spec("streamlit") is None:
        raise CostModelError("the dashboard needs Streamlit, which is not installed")
    command = streamlit_command(args.port, args.address)
    sys.stdout.flush()
    os.execv(command[0], command)
    return 0  # not reached: execv does not return


def streamlit_command(port: int, address: str) -> list[str]:
    """``python -m streamlit run <script>`` with the shipped settings as flags."""
    import tomllib  # here: its regular expressions would slow every other command's start

    script, settings = dashboard_files()
    flags = settings_flags(tomllib.loads(settings.read_text(encoding="utf-8")))
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        *flags,
        f"--server.port={port}",
        f"--server.address={address}",
    ]


def dashboard_files() -> tuple[Path, Path]:
    """The Streamlit script and its settings file, installed or in a checkout."""
    spec = importlib.util.find_spec("ui")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for folder in map(Path, locations):
        installed = (folder / INSTALLED_SCRIPT, folder / INSTALLED_SETTINGS)
        checkout = (folder.parent / "app.py", folder.parent / ".streamlit" / "config.toml")
        for script, settings in (installed, checkout):
            if script.is_file() and settings.is_file():
                return script, settings
    raise CostModelError(
        "the dashboard's files are not installed; reinstall the package (pip install .)"
    )


def settings_flags(config: dict[str, Any]) -> list[str]:
    """Streamlit's ``[section] key = value`` settings as ``--section.key=value`` flags.

    >>> settings_flags({"server": {"headless": True, "maxUploadSize": 200}})
    ['--server.headless=true', '--server.maxUploadSize=200']
    """
    flags = []
    for section, values in config.items():
        for key, value in values.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            flags.append(f"--{section}.{key}={text}")
    return flags

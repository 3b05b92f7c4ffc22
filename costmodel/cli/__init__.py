"""``costmodel`` command line: parse arguments, call the core, print.

Each sub-command lives in its own module with a ``register(subparsers)``
function. Bad input exits 2 with one line on stderr, never a traceback. A
call that names no command (``costmodel``, ``costmodel pricing``) prints
that level's full help and exits 2: it asked nothing, so it did nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module

from costmodel.cli.common import EXIT_BAD_INPUT, add_commands
from costmodel.errors import CostModelError

# In the order a new user needs them: the dashboard, files to try, the comparison, the parts.
COMMAND_MODULES = ("dashboard", "demo", "breakeven", "scenario", "tokens", "training", "pricing")


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, like every other error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="costmodel",
        description="Fine-tune or keep prompting? Token counts, prices and break-even volumes.",
        epilog="Run `costmodel COMMAND --help` for a command's options. Bad input exits 2 "
        "with one line on stderr.",
    )
    subparsers = add_commands(parser, "command")
    for name in COMMAND_MODULES:
        import_module(f"costmodel.cli.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CostModelError as exc:
        sys.stderr.write(f"costmodel: error: {exc}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("costmodel: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0

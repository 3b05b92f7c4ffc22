"""``costmodel`` command line: parse arguments, call the core, print.

Each sub-command lives in its own module with a ``register(subparsers)``
function. Bad input exits 2 with one line on stderr, never a traceback. A
call that names no command (``costmodel``, ``costmodel pricing``) prints
that level's full help and exits 2: it asked nothing, so it did nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Collection, Sequence
from importlib import import_module

from costmodel.cli.common import EXIT_BAD_INPUT, add_commands
from costmodel.errors import CostModelError

# In the order a new user needs them: the dashboard, files to try, the comparison, the parts.
# The one-line help of each lives here, so ``costmodel --help`` lists every command
# without importing any of them.
COMMAND_HELP = {
    "dashboard": "start the dashboard (a local web page) in a Streamlit server",
    "demo": "copy the demo scenario, sample prompts and training file into a folder",
    "breakeven": "break-even volume and payback for a scenario",
    "scenario": "example and validation of scenario files",
    "tokens": "count the tokens of sample prompts (.txt, .csv, .tsv, .json, .jsonl)",
    "training": "check a chat fine-tuning JSONL file and estimate the training cost",
    "pricing": "check and list the price tables",
}
COMMAND_MODULES = tuple(COMMAND_HELP)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, like every other error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser(full: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The command tree; only the commands in ``full`` (default: all) get their options.

    The others are listed with their one-line help alone, so a call imports
    the module of the command it runs and no other.
    """
    parser = _Parser(
        prog="costmodel",
        description="Fine-tune or keep prompting? Token counts, prices and break-even volumes.",
        epilog="Run `costmodel COMMAND --help` for a command's options. Bad input exits 2 "
        "with one line on stderr.",
    )
    subparsers = add_commands(parser, "command")
    for name in COMMAND_MODULES:
        if full is None or name in full:
            import_module(f"costmodel.cli.{name}").register(subparsers)
        else:
            subparsers.add_parser(name, help=COMMAND_HELP[name])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(full=argv[:1])
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


def entry() -> None:
    """The ``costmodel`` program: :func:`main`, then the process ends at once.

    Once a command has answered, only freeing memory is left, and the system
    frees a process's memory in one step where the interpreter's teardown
    frees every object one by one: after ``costmodel tokens`` on a large file
    that takes a tenth of a second or more (fastokens' tables alone are over
    100 MiB), with the answer already printed. A count interrupted or refused
    while fastokens still loads ends without waiting for the load. Output is
    flushed first; no command leaves a file open or work it still needs.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass  # the reader left, as main() allows
    os._exit(code)

"""``costmodel scenario``: print the documented example, or check a scenario file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from costmodel.cli import COMMAND_HELP
from costmodel.cli.common import add_commands, print_warnings


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "scenario",
        help=COMMAND_HELP["scenario"],
        description="Print the documented demo scenario, or check a scenario file.",
    )
    sub = add_commands(p, "scenario_command")
    example = sub.add_parser(
        "example",
        help="print a documented, realistic example scenario",
        description="Print the demo scenario with its comments: a starting point for your own.",
    )
    example.set_defaults(func=_example)
    check = sub.add_parser(
        "validate",
        help="check a scenario file against the schema",
        description="Check a scenario YAML file; exit 0 when it is valid, 2 with the problems.",
    )
    check.add_argument("file", type=Path, metavar="FILE", help="scenario YAML file")
    check.set_defaults(func=_validate)


def _example(args: argparse.Namespace) -> int:
    from costmodel.demo import example_scenario_text

    sys.stdout.write(example_scenario_text())
    return 0


def _validate(args: argparse.Namespace) -> int:
    from costmodel.scenario import load_scenario, scenario_warnings

    scenario = load_scenario(args.file)
    print_warnings(scenario_warnings(scenario))
    print(
        f"{args.file}: valid scenario {scenario.name!r} with {len(scenario.strategies)} strategies"
    )
    return 0

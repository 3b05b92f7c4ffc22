"""Small helpers the sub-commands share: sub-command groups, JSON output, catalog options."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable

# Not typing.TYPE_CHECKING, and json, math and pathlib imported where used: this
# module is loaded by every call, ``costmodel --help`` included, which needs none.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from costmodel.prices.catalog import Catalog

EXIT_BAD_INPUT = 2


def add_commands(parser: argparse.ArgumentParser, dest: str) -> argparse._SubParsersAction:
    """Sub-commands of ``parser``; a call that names none prints the full help and exits 2."""
    parser.set_defaults(func=lambda args: _usage(parser))
    return parser.add_subparsers(dest=dest, metavar="COMMAND", title="commands")


def _usage(parser: argparse.ArgumentParser) -> int:
    """The whole help on stdout: the caller asked for nothing, so show what there is."""
    parser.print_help(sys.stdout)
    return EXIT_BAD_INPUT


def print_warnings(warnings: Iterable[str]) -> None:
    """Each warning on its own stderr line, so stdout stays the result alone."""
    for warning in warnings:
        sys.stderr.write(f"costmodel: warning: {warning}\n")


def add_pricing_option(parser: argparse.ArgumentParser) -> None:
    from pathlib import Path

    parser.add_argument(
        "--pricing",
        type=Path,
        action="append",
        default=[],
        metavar="PATH",
        help="your own pricing YAML file or folder (prices in USD per 1M tokens), layered "
        "over the shipped tables (repeatable)",
    )


def catalog_from_args(args: argparse.Namespace) -> Catalog:
    from costmodel.prices.catalog import load_catalog

    return load_catalog(overrides=list(getattr(args, "pricing", []) or []))


def _finite(value: Any) -> Any:
    """JSON has no inf/NaN: such values become null rather than invalid JSON."""
    import math

    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def non_negative_int(text: str) -> int:
    """argparse type: a whole number, 0 or more (a row limit, a day count)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return value


def print_json(data: Any) -> None:
    import json

    json.dump(_finite(data), sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")

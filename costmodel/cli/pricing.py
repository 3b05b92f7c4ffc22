"""``costmodel pricing``: validate price files, list the catalog, regenerate its docs page."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from costmodel.cli import COMMAND_HELP
from costmodel.cli.common import (
    add_commands,
    add_pricing_option,
    catalog_from_args,
    non_negative_int,
    print_json,
)
from costmodel.errors import CostModelError, PricingError
from costmodel.prices import DEFAULT_STALE_DAYS, ROLES

DEFAULT_DOCS = Path("docs/pricing.md")
EXIT_DOCS_STALE = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``pricing`` and its three sub-commands."""
    parser = subparsers.add_parser(
        "pricing",
        help=COMMAND_HELP["pricing"],
        description="Check price files, list the catalog's models with their prices, dates "
        "and warnings, or regenerate the Markdown price page.",
    )
    commands = add_commands(parser, "pricing_command")
    _register_validate(commands)
    _register_list(commands)
    _register_check(commands)
    _register_docs(commands)


def _register_validate(commands: argparse._SubParsersAction) -> None:
    validate = commands.add_parser(
        "validate",
        help="check the shipped price tables, or your own files on top of them",
        description=(
            "Without PATH, check the shipped tables. Each PATH (a YAML file or a folder of "
            "them) is layered over the shipped tables exactly as --pricing layers it: a file "
            "for a new provider must be complete, a file for a shipped provider may change "
            "single fields or add models. Exit 0 when everything loads, 2 with the first error."
        ),
    )
    validate.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="pricing YAML file or folder of them"
    )
    validate.set_defaults(func=_validate)


def _register_list(commands: argparse._SubParsersAction) -> None:
    listing = commands.add_parser(
        "list",
        help="list models with prices, dates and warnings",
        description=(
            "List catalog models with base and fine-tuning prices, who can buy them, as-of "
            "dates with their age, and flags. By default only what a new customer can buy on "
            "the day; --all-models lists everything, retired models marked as such."
        ),
    )
    listing.add_argument("--provider", metavar="P", help="only this provider (e.g. openai)")
    listing.add_argument("--role", choices=ROLES, help="only base or only fine-tunable models")
    listing.add_argument(
        "--stale-days",
        type=non_negative_int,
        default=DEFAULT_STALE_DAYS,
        metavar="N",
        help=f"flag prices read more than N days ago as stale (default {DEFAULT_STALE_DAYS})",
    )
    listing.add_argument(
        "--today",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="judge staleness and shutdowns as of this date (default: today)",
    )
    listing.add_argument(
        "--months",
        type=non_negative_int,
        default=0,
        metavar="N",
        help="list only what a new customer can buy and keep for N months from the day, "
        "e.g. a scenario's horizon (default 0: the day itself)",
    )
    listing.add_argument(
        "--all-models",
        "--all",
        dest="all",
        action="store_true",
        help="also list models a new customer cannot buy today (existing customers only, "
        "training closed, retired)",
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    add_pricing_option(listing)
    listing.set_defaults(func=_list)


def _register_check(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser(
        "check",
        help="compare the shipped base-model prices with a maintained price database",
        description=(
            "Compare every base-model price the catalog and the installed genai-prices "
            "database both give, and list each difference with both figures. Differences "
            "reviewed in pricing/reviewed/known-differences.yaml show their reason. Exit 0 "
            "when no unexplained difference is above the threshold, 1 otherwise."
        ),
    )
    check.add_argument(
        "--threshold",
        type=_share,
        default=0.05,
        metavar="SHARE",
        help="relative difference that needs a reason, e.g. 0.05 for 5%% (default 0.05)",
    )
    check.add_argument(
        "--today",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="compare the prices in force on this date (default: today)",
    )
    check.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_pricing_option(check)
    check.set_defaults(func=_check)


def _register_docs(commands: argparse._SubParsersAction) -> None:
    docs = commands.add_parser(
        "docs",
        help="write the Markdown price table generated from pricing/",
        description=(
            "Generate the Markdown page of the shipped catalog. With --check, write nothing "
            "and exit 1 when the page differs from what would be generated."
        ),
    )
    docs.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_DOCS,
        metavar="PATH",
        help="Markdown file to write (default %(default)s)",
    )
    docs.add_argument("--check", action="store_true", help="only check that the page is current")
    docs.set_defaults(func=_docs)


def _share(text: str) -> float:
    """argparse type: a share between 0 and 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 1")
    return value


def _iso_date(text: str) -> dt.date:
    """argparse type: a calendar date written YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-24") from None


def _validate(args: argparse.Namespace) -> int:
    from costmodel.prices.catalog import expand_paths, load_catalog
    from costmodel.report.price_list import SUSPICIOUS_KINDS, validation_summary

    catalog = load_catalog(overrides=args.paths)
    user_files = len(expand_paths(args.paths))
    for issue in catalog.issues():
        if issue.kind in SUSPICIOUS_KINDS:
            print(f"warning: {issue.key}: {issue.message}")
    print(validation_summary(catalog, user_files))
    return 0


def _list(args: argparse.Namespace) -> int:
    from costmodel.report.price_list import format_table, hidden_line, model_rows

    catalog = catalog_from_args(args)
    if args.provider and not any(m.provider == args.provider for m in catalog.values()):
        known = ", ".join(sorted({m.provider for m in catalog.values()}))
        raise PricingError(f"provider {args.provider!r} is not in the catalog; known: {known}")
    today = args.today or dt.date.today()
    rows = model_rows(
        catalog,
        today,
        args.stale_days,
        args.provider,
        args.role,
        buyable_only=not args.all,
        months=args.months,
    )
    if args.json:
        print_json([row.as_json() for row in rows])
        return 0
    print(format_table(rows))
    if not args.all:
        every = model_rows(catalog, today, args.stale_days, args.provider, args.role)
        print(hidden_line(len(every) - len(rows), today, args.months))
    return 0


def _check(args: argparse.Namespace) -> int:
    from costmodel.prices.catalog import default_pricing_dir
    from costmodel.prices.freshness import (
        compare,
        load_known_differences,
        reference_prices,
        reference_version,
    )
    from costmodel.report.price_list import check_json, check_lines

    catalog = catalog_from_args(args)
    known = load_known_differences(default_pricing_dir() / "reviewed" / "known-differences.yaml")
    today = args.today or dt.date.today()
    result = compare(catalog, reference_prices(), today, known)
    if args.json:
        print_json(check_json(result, args.threshold, reference_version(), today))
    else:
        print("\n".join(check_lines(result, args.threshold, reference_version(), today)))
    return 1 if result.unexplained(args.threshold) else 0


def _docs(args: argparse.Namespace) -> int:
    from costmodel.prices.catalog import load_catalog
    from costmodel.report.price_list import render_docs

    text = render_docs(load_catalog())
    out: Path = args.output
    if args.check:
        current = _read_existing(out)
        if current != text:
            sys.stderr.write(
                f"costmodel: {out} is out of date with pricing/; "
                "run `costmodel pricing docs` and commit the result\n"
            )
            return EXIT_DOCS_STALE
        print(f"{out} is up to date")
        return 0
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CostModelError(f"{out}: cannot write ({exc.strerror})") from None
    print(f"wrote {out}")
    return 0


def _read_existing(path: Path) -> str | None:
    """The committed page, or None when it does not exist yet (so it is out of date)."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise CostModelError(f"{path}: cannot read ({exc})") from None

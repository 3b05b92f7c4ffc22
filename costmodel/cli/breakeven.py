"""``costmodel breakeven``: evaluate a scenario file, print or export the result."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from costmodel.cli.common import (
    add_pricing_option,
    catalog_from_args,
    print_json,
    print_warnings,
)
from costmodel.errors import CostModelError
from costmodel.report.numbers import count, money

if TYPE_CHECKING:
    import pandas as pd

    from costmodel.engine.evaluate import ScenarioResult
    from costmodel.prices.catalog import Catalog
    from costmodel.scenario import Scenario

DEFAULT_LIMIT = 20
PAIR_HEADINGS = (
    "rank",
    "base model",
    "fine-tuned model",
    "break-even/month",
    "base/request",
    "tuned/request",
    "tuned one-time",
)
FIRST_FIGURE = 3


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "breakeven",
        help="break-even volume and payback for a scenario",
        description="Evaluate a scenario YAML: cost per request, fixed costs, break-even "
        "volume and payback month for every pair of strategies.",
    )
    p.add_argument("--scenario", type=Path, required=True, metavar="FILE", help="scenario YAML")
    p.add_argument(
        "--out",
        type=Path,
        metavar="FILE.csv",
        help="also write a CSV file: one row per pair (with --all-pairs: every catalog pair)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object per pair (every row)")
    p.add_argument(
        "--all-pairs",
        action="store_true",
        help="rank every base × fine-tunable pair of the catalog for this workload instead",
    )
    p.add_argument(
        "--limit",
        type=_row_count,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"with --all-pairs: rows (pairs) printed in the text table, default {DEFAULT_LIMIT}; "
        "0 prints every pair",
    )
    add_pricing_option(p)
    p.set_defaults(func=run)


def _row_count(text: str) -> int:
    """argparse type: a number of rows, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return value


def run(args: argparse.Namespace) -> int:
    from costmodel.engine.evaluate import evaluate
    from costmodel.report.export import breakeven_csv, breakeven_rows
    from costmodel.scenario import load_scenario, scenario_warnings

    scenario = load_scenario(args.scenario)
    print_warnings(scenario_warnings(scenario))
    catalog = catalog_from_args(args)
    if args.all_pairs:
        return _all_pairs(args, scenario, catalog)
    result = evaluate(scenario, catalog, base_dir=args.scenario.parent)
    if args.out:
        _write(args.out, breakeven_csv(result))
    if args.json:
        print_json(breakeven_rows(result))
    else:
        print(_report(result))
    return 0


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise CostModelError(f"{path}: cannot write ({exc.strerror})") from None


def _report(result: ScenarioResult) -> str:
    lines = [result.scenario.name, result.verdict, ""]
    h = result.horizon
    lines.append(f"Horizon: {h.months} of {h.requested_months} months from {h.start:%Y-%m-%d}")
    lines.extend(f"  note: {n}" for n in h.notes + result.token_notes)
    lines.append("")
    lines.append(
        f"{'strategy':<32} {'model':<40} {'per request':>12} {'one-time':>12} {'monthly':>10}"
    )
    for s in result.strategies:
        lines.append(
            f"{s.name[:32]:<32} {s.model_key[:40]:<40} {money(s.per_request_usd):>12} "
            f"{money(s.one_time_usd):>12} {money(s.monthly_fixed_usd):>10}"
        )
    lines.append("")
    for c in result.comparisons:
        be, pb = c.breakeven, c.payback
        volume = count(be.requests_per_month) if be.requests_per_month is not None else "never"
        month = str(pb.month) if pb.month is not None else "–"
        lines.append(f"{c.a.name} → {c.b.name}: {be.verdict}")
        lines.append(
            f"  break-even {volume} requests/month; payback month {month} "
            f"({pb.reason}); monthly savings {money(pb.monthly_savings_usd)}"
        )
        lines.append(f"  why: {be.reason}")
    return "\n".join(lines)


def _all_pairs(args: argparse.Namespace, scenario: Scenario, catalog: Catalog) -> int:
    from costmodel.engine.sweeps import catalog_pairs
    from costmodel.report.export import to_csv

    frame = catalog_pairs(scenario, catalog)
    if args.out:
        _write(args.out, to_csv(frame.to_dict("records"), frame.columns))
    if args.json:
        print_json(frame.astype(object).where(frame.notna(), None).to_dict("records"))
        return 0
    print(pairs_table(frame, scenario, args.limit))
    return 0


def pairs_table(frame: pd.DataFrame, scenario: Scenario, limit: int) -> str:
    """A titled, ranked table of the first ``limit`` pairs (all of them for 0).

    Columns: rank, both models, the break-even volume (or why there is none),
    both per-request costs and the fine-tuned side's one-time cost.
    """
    shown = frame if limit == 0 else frame.head(limit)
    lines = [
        f"{scenario.name}: {len(frame):,} catalog pairs (base model × fine-tunable model) "
        "ranked by break-even volume (requests a month), lowest first."
    ]
    if len(shown) < len(frame):
        lines.append(
            f"The first {len(shown):,}: --limit 0 prints all; --out FILE.csv or --json gives "
            "every row."
        )
    rows = [PAIR_HEADINGS]
    for rank, row in enumerate(shown.itertuples(), start=1):
        rows.append(
            (
                str(rank),
                row.base_model,
                row.ft_model,
                _volume(row.status, row.breakeven_requests_per_month),
                money(row.base_cost_per_request_usd),
                money(row.ft_cost_per_request_usd),
                money(row.one_time_cost_usd),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(PAIR_HEADINGS))]
    lines.append("")
    lines.extend(_cells(r, widths) for r in rows)
    return "\n".join(lines)


def _cells(cells: tuple[str, ...], widths: list[int]) -> str:
    """Rank and models left-aligned, figures right-aligned, two spaces apart.

    >>> _cells(("1", "a/b", "c/d", "9", "$1", "$2", "$3"), [4, 3, 3, 2, 3, 3, 3])
    '1     a/b  c/d   9   $1   $2   $3'
    """
    parts = [
        cell.rjust(width) if i >= FIRST_FIGURE else cell.ljust(width)
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
    ]
    return "  ".join(parts).rstrip()


def _volume(status: str, volume: float) -> str:
    """A break-even volume, or the status word where there is no number."""
    if status in ("breaks_even", "always"):
        return count(volume)
    return status.replace("_", " ")

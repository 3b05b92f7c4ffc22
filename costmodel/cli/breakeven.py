"""``costmodel breakeven``: evaluate a scenario file, print or export the result."""

from __future__ import annotations

import argparse
from pathlib import Path

from costmodel.cli.common import add_pricing_option, catalog_from_args, print_json
from costmodel.engine.evaluate import ScenarioResult, evaluate
from costmodel.engine.sweeps import catalog_pairs
from costmodel.errors import CostModelError
from costmodel.prices.catalog import Catalog
from costmodel.report.export import breakeven_csv, breakeven_rows, to_csv
from costmodel.report.numbers import count, money
from costmodel.scenario import Scenario, load_scenario


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "breakeven",
        help="break-even volume and payback for a scenario",
        description="Evaluate a scenario YAML: cost per request, fixed costs, break-even "
        "volume and payback month for every pair of strategies.",
    )
    p.add_argument("--scenario", type=Path, required=True, metavar="FILE", help="scenario YAML")
    p.add_argument("--out", type=Path, metavar="FILE.csv", help="also write the break-even CSV")
    p.add_argument("--json", action="store_true", help="print one JSON object per pair")
    p.add_argument(
        "--all-pairs",
        action="store_true",
        help="rank every base × fine-tunable pair of the catalog for this workload instead",
    )
    add_pricing_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
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
    frame = catalog_pairs(scenario, catalog)
    if args.out:
        _write(args.out, to_csv(frame.to_dict("records"), frame.columns))
    if args.json:
        print_json(frame.astype(object).where(frame.notna(), None).to_dict("records"))
        return 0
    for row in frame.itertuples():
        volume = (
            count(row.breakeven_requests_per_month)
            if row.status in ("breaks_even", "always")
            else row.status
        )
        print(f"{row.base_model:<45} {row.ft_model:<45} {volume:>12}")
    return 0

"""``costmodel breakeven``: evaluate a scenario file, print or export the result."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from costmodel.cli import COMMAND_HELP
from costmodel.cli.common import (
    add_pricing_option,
    catalog_from_args,
    non_negative_int,
    print_json,
    print_warnings,
)
from costmodel.errors import CostModelError
from costmodel.report.numbers import count, money

if TYPE_CHECKING:
    import pandas as pd

    from costmodel.engine.evaluate import ScenarioResult
    from costmodel.engine.simulation import Simulation
    from costmodel.prices.catalog import Catalog
    from costmodel.scenario import Scenario

DEFAULT_LIMIT = 20
PAIR_HEADINGS = (
    "rank",
    "base model",
    "fine-tuned model",
    "saving",
    "break-even/month",
    "base/request",
    "tuned/request",
    "tuned one-time",
    "tuned fixed/month",
    "who can buy it",
)
FIRST_FIGURE = 3
LAST_FIGURE = 8


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "breakeven",
        help=COMMAND_HELP["breakeven"],
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
    p.add_argument(
        "--schedule",
        type=Path,
        metavar="FILE.csv",
        help="also write the month-by-month bills of every strategy (USD) as CSV",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object per pair (every row)")
    p.add_argument(
        "--all-pairs",
        action="store_true",
        help="rank every base × fine-tunable pair of the catalog for this workload instead",
    )
    p.add_argument(
        "--all-models",
        action="store_true",
        help="with --all-pairs: also rank models a new customer cannot buy and keep for the "
        "whole horizon (existing customers only, retiring, retired), marked as such",
    )
    p.add_argument(
        "--limit",
        type=non_negative_int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"with --all-pairs: rows (pairs) printed in the text table, default {DEFAULT_LIMIT}; "
        "0 prints every pair",
    )
    p.add_argument(
        "--simulate",
        type=_draw_count,
        metavar="N",
        help="also draw N futures of the main comparison from the inputs written as ranges "
        "(and resampled sample files): probability of saving, break-even percentiles",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="with --simulate: seed of the random draws, default 0 (same seed, same answer)",
    )
    add_pricing_option(p)
    p.set_defaults(func=run)


def _draw_count(text: str) -> int:
    """argparse type: a number of simulated draws, at least 1."""
    value = non_negative_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("at least 1 draw is needed")
    return value


def run(args: argparse.Namespace) -> int:
    from costmodel.engine.evaluate import evaluate
    from costmodel.report.export import breakeven_csv, schedule_csv
    from costmodel.scenario import load_scenario, scenario_warnings

    scenario = load_scenario(args.scenario)
    print_warnings(scenario_warnings(scenario))
    if scenario.possible_price_changes and (not args.simulate or args.all_pairs):
        from costmodel.report.wording import unsimulated_changes_text

        print_warnings([unsimulated_changes_text(len(scenario.possible_price_changes))])
    catalog = catalog_from_args(args)
    if args.all_pairs:
        return _all_pairs(args, scenario, catalog)
    result = evaluate(scenario, catalog, base_dir=args.scenario.parent)
    sim = None
    if args.simulate:
        from costmodel.engine.simulation import simulate

        sim = simulate(
            scenario,
            catalog,
            draws=args.simulate,
            seed=args.seed,
            base_dir=args.scenario.parent,
            result=result,
        )
    if args.out:
        _write(args.out, breakeven_csv(result, sim))
    if args.schedule:
        _write(args.schedule, schedule_csv(result))
    if args.json:
        print_json(_json_rows(result, sim))
    else:
        print(_report(result))
        if sim is not None:
            from costmodel.report.wording import simulation_lines

            print("\n" + "\n".join(simulation_lines(sim)))
    return 0


def _json_rows(result: ScenarioResult, sim: Simulation | None) -> list[dict[str, object]]:
    """One object per pair; the main comparison's carries ``simulation`` when simulated."""
    from costmodel.report.export import SIMULATION_COLUMNS, breakeven_rows, simulation_json

    if sim is None:
        return breakeven_rows(result)
    rows = breakeven_rows(result, sim)
    out = []
    for row in rows:
        filled = row.get("simulation_draws") is not None
        plain = {k: v for k, v in row.items() if k not in SIMULATION_COLUMNS}
        out.append(plain | ({"simulation": simulation_json(sim)} if filled else {}))
    return out


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise CostModelError(f"{path}: cannot write ({exc.strerror})") from None


def _report(result: ScenarioResult) -> str:
    """The CLI text: the verdict, every note, every cost part, then each comparison."""
    from costmodel.engine.comparison import running_costs
    from costmodel.report.price_list import availability_text, model_age_text
    from costmodel.report.wording import (
        payback_text,
        plural,
        reason_text,
        scenario_notes,
        status_text,
        verdict,
    )

    main = result.primary
    h = main.horizon
    lines = [result.scenario.name, verdict(main), ""]
    lines.append(
        f"Start {h.start:%Y-%m-%d}; {result.volume:,.0f} requests in month 1, "
        f"growing {result.growth:.1%} a month; horizon {h.requested_months} months"
    )
    lines.extend(f"  note: {n}" for n in scenario_notes(result))
    lines.append("")
    header = (
        f"{'strategy':<28} {'model':<36} {'per request':>12} {'one-time':>11} "
        f"{'monthly fixed':>14} {'GPUs':>5} {'retraining':>11}"
    )
    lines.append(header)
    for s in result.strategies:
        running, gpus = running_costs(s, result.volume)
        retrain = money(s.retrain_usd) if s.retrain_every_months else "–"
        lines.append(
            f"{s.name[:28]:<28} {s.model_key[:36]:<36} {money(s.per_request_usd):>12} "
            f"{money(s.one_time_usd):>11} {money(running):>14} "
            f"{gpus if s.gpu else '–':>5} {retrain:>11}"
        )
    lines.append(
        f"(monthly fixed at {result.volume:,.0f} requests a month: hosting, storage, GPUs)"
    )
    today = dt.date.today()
    for key, use in sorted({(s.model_key, s.use) for s in result.strategies}):
        model = result.catalog[key]
        sold = availability_text(model.availability(today, use), model.next_change(today, use))
        lines.append(f"prices of {model.label}: as of {model_age_text(model, today)}; {sold}")
    for c in result.comparisons:
        pb = c.payback
        lines.append("")
        lines.append(f"{c.a.name} → {c.b.name} ({plural(c.horizon.months, 'month')})")
        lines.append(f"  verdict: {verdict(c)}")
        lines.append(f"  break-even: {status_text(c)} ({reason_text(c)})")
        if c.available:
            lines.append(
                f"  at your volume: {money(pb.baseline_total_usd)} against "
                f"{money(pb.challenger_total_usd)}, savings {money(pb.cumulative_savings_usd)}; "
                f"{payback_text(c)}; month 1 saves {money(pb.monthly_savings_usd)}"
            )
    return "\n".join(lines)


def _all_pairs(args: argparse.Namespace, scenario: Scenario, catalog: Catalog) -> int:
    from costmodel.engine.sweeps import catalog_pairs
    from costmodel.report.export import to_csv

    frame = catalog_pairs(
        scenario, catalog, base_dir=args.scenario.parent, all_models=args.all_models
    )
    if args.out:
        _write(args.out, to_csv(frame.to_dict("records"), frame.columns))
    if args.json:
        print_json(frame.astype(object).where(frame.notna(), None).to_dict("records"))
        return 0
    print(pairs_table(frame, scenario, args.limit, args.all_models))
    return 0


def pairs_table(frame: pd.DataFrame, scenario: Scenario, limit: int, all_models: bool) -> str:
    """A titled, ranked table of the first ``limit`` pairs (all of them for 0).

    Columns: rank, both models, the saving at the volume, the break-even
    volume (or why there is none), both per-request costs, the fine-tuned
    side's one-time and monthly fixed costs, and who can buy the pair.
    """
    from costmodel.report.price_list import pair_availability_text
    from costmodel.report.wording import plural

    shown = frame if limit == 0 else frame.head(limit)
    which = (
        "catalog pairs, models a new customer cannot buy included"
        if all_models
        else "catalog pairs a new customer can buy and keep for the whole horizon "
        "(--all-models adds the others)"
    )
    lines = [
        f"{scenario.name}: {len(frame):,} {which}; base model × fine-tunable model "
        f"ranked by the saving over the horizon at {count(scenario.workload.requests_per_month)} "
        "requests a month, largest first; pairs that cannot be used come last."
    ]
    skipped = frame.attrs.get("skipped", {})
    if skipped:
        lines.append(f"Not ranked: {plural(len(skipped), 'model')} that cannot be priced here.")
        lines.extend(f"  {reason}" for reason in skipped.values())
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
                row.baseline_model,
                row.challenger_model,
                money(row.savings_usd),
                _volume(row.status, row.breakeven_requests_per_month),
                money(row.baseline_cost_per_request_usd),
                money(row.challenger_cost_per_request_usd),
                money(row.challenger_one_time_usd),
                money(row.challenger_monthly_fixed_usd),
                pair_availability_text(
                    row.baseline_availability, row.challenger_availability, row.buyable
                ),
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
        cell.rjust(width) if FIRST_FIGURE <= i <= LAST_FIGURE else cell.ljust(width)
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
    ]
    return "  ".join(parts).rstrip()


def _volume(status: str, volume: float) -> str:
    """A break-even volume, or the status word where there is no number."""
    if status in ("breaks_even", "cheaper_below"):
        prefix = "below " if status == "cheaper_below" else ""
        return prefix + count(volume)
    return status.replace("_", " ")

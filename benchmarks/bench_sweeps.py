"""The catalog ranking as the dashboard computes it, against one evaluation of the page.

Run: ``python benchmarks/bench_sweeps.py [--runs 15]``

The dashboard ranks every (base, fine-tunable) pair of the catalog with
``costmodel.engine.sweeps.catalog_pairs(scenario, catalog, today=...)`` whenever an
input other than the volume changes (ui/setup.py, ``ranked_pairs``). The
reference is what every rerun pays anyway: ``evaluate`` of the same scenario,
the user's own pair. Both run in this process on the same inputs, alternating,
and each figure is the median; the ratio says how many page evaluations one
ranking costs. Scenarios: the demo, and the demo with each control the ranking
depends on moved (growth, horizon, cache hit rate, the fine-tuned model). The
ranking is measured as it opens (what a new customer can buy over the horizon)
and with every model (the procurement view's switch, ``all_models=True``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from costmodel.demo import demo_scenario  # noqa: E402
from costmodel.engine.evaluate import evaluate  # noqa: E402
from costmodel.engine.sweeps import catalog_pairs  # noqa: E402
from costmodel.prices.catalog import Catalog, load_catalog  # noqa: E402
from costmodel.scenario import Scenario  # noqa: E402


def variants(catalog: Catalog) -> dict[str, Scenario]:
    """The demo, and the demo with one ranking input moved at a time."""
    demo = demo_scenario()
    workload = demo.workload
    base, ft, *others = demo.strategies  # every option stays: only one input moves
    other_ft = next(m.key for m in catalog.fine_tunable() if m.key != ft.model)
    cache = base.cache.model_copy(update={"enabled": True, "hit_rate": 0.5})
    return {
        "demo": demo,
        "growth 10%/month": demo.model_copy(
            update={"workload": workload.model_copy(update={"monthly_growth": 0.10})}
        ),
        "horizon 36 months": demo.model_copy(
            update={"workload": workload.model_copy(update={"horizon_months": 36})}
        ),
        "cache hit rate 50%": demo.model_copy(
            update={"strategies": [base.model_copy(update={"cache": cache}), ft, *others]}
        ),
        "other fine-tuned model": demo.model_copy(
            update={"strategies": [base, ft.model_copy(update={"model": other_ft}), *others]}
        ),
    }


def alternate(runs: int, *fns: Callable[[], object]) -> list[list[float]]:
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="alternating runs per scenario")
    args = parser.parse_args()
    catalog = load_catalog()
    today = dt.date.today()
    rows = [
        ["scenario", "pairs", "evaluate ms", "ranking ms", "ratio", "all pairs", "all ms", "ratio"]
    ]
    for name, scenario in variants(catalog).items():
        pairs = len(catalog_pairs(scenario, catalog, today=today))  # warm, and the count
        every = len(catalog_pairs(scenario, catalog, today=today, all_models=True))
        page, ranking, full = alternate(
            args.runs,
            lambda s=scenario: evaluate(s, catalog, today=today),
            lambda s=scenario: catalog_pairs(s, catalog, today=today),
            lambda s=scenario: catalog_pairs(s, catalog, today=today, all_models=True),
        )
        page_ms, ranking_ms, full_ms = (statistics.median(t) * 1e3 for t in (page, ranking, full))
        rows.append(
            [
                name,
                f"{pairs:,}",
                f"{page_ms:.1f}",
                f"{ranking_ms:.1f}",
                f"{ranking_ms / page_ms:.1f}x",
                f"{every:,}",
                f"{full_ms:.1f}",
                f"{full_ms / page_ms:.1f}x",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = enumerate(zip(row, widths, strict=True))
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in cells))
    print(
        f"medians of {args.runs} alternating runs; {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.2f} at the end"
    )


if __name__ == "__main__":
    main()

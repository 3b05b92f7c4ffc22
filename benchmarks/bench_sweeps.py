"""Benchmark: vectorised catalog sweep against the plain-Python reference.

Every (base model, fine-tunable model) pair of the shipped catalog is priced
at 1,000 first-month volumes, once with ``costmodel.engine.sweeps.pair_totals`` and
once with the month-by-month loops of ``tests/reference.py``. Both run in the
same process on the same inputs; the ratio is what matters on a noisy machine.

Run: ``python benchmarks/bench_sweeps.py``
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from reference import ref_total  # noqa: E402

from costmodel.demo import demo_scenario  # noqa: E402
from costmodel.engine.evaluate import evaluate  # noqa: E402
from costmodel.engine.strategy_costs import resolve_strategy  # noqa: E402
from costmodel.engine.sweeps import pair_totals  # noqa: E402
from costmodel.errors import CostModelError  # noqa: E402
from costmodel.prices.catalog import load_catalog  # noqa: E402

VOLUMES = np.geomspace(1, 1e9, 1000)
REPEATS = 3


def sides():
    """Price every catalog model once with the demo scenario's settings."""
    catalog = load_catalog()
    scenario = demo_scenario()
    result = evaluate(scenario, catalog)
    base_t, ft_t = scenario.strategies[0], scenario.strategies[1]
    base, ft = [], []
    for keys, template, out in (
        ([m.key for m in catalog.base_models()], base_t, base),
        ([m.key for m in catalog.fine_tunable()], ft_t, ft),
    ):
        for key in keys:
            try:
                out.append(
                    resolve_strategy(
                        template.model_copy(update={"model": key}),
                        catalog,
                        result.tokens[template.name],
                    )
                )
            except CostModelError:
                continue
    return base, ft, result.horizon.months, scenario.workload.monthly_growth


def best_of(fn) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(REPEATS):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def reference(base, ft, months, growth):
    out = []
    for a in base:
        for b in ft:
            out.append(
                [
                    ref_total(b, float(v), months, growth) - ref_total(a, float(v), months, growth)
                    for v in VOLUMES
                ]
            )
    return np.array(out)


def main() -> None:
    base, ft, months, growth = sides()
    pairs = len(base) * len(ft)
    fast_s, (ta, tb) = best_of(lambda: pair_totals(base, ft, VOLUMES, months, growth))
    start = time.perf_counter()
    ref = reference(base, ft, months, growth)
    ref_s = time.perf_counter() - start
    diff = tb - ta
    rel = float(np.max(np.abs(diff - ref) / np.maximum(np.abs(ref), 1e-9)))
    print(f"pairs: {pairs:,} × volumes: {len(VOLUMES):,} × months: {months}")
    print(f"vectorised sweep   {fast_s * 1e3:10.1f} ms (best of {REPEATS})")
    print(f"python reference   {ref_s * 1e3:10.1f} ms (one run)")
    print(f"speed-up           {ref_s / fast_s:10.1f}×   (goal ≥ 50×)")
    print(f"max relative error {rel:10.2e}   (goal ≤ 1e-9)")


if __name__ == "__main__":
    main()

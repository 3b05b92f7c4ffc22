"""The numbers behind the dashboard's charts, computed here so the UI only draws.

* :func:`volume_range` — the monthly volumes a cost-curve chart spans: two
  decades either side of the chosen volume and the break-even, with both
  exact values included so their markers sit on the curves.
* :func:`request_breakdown` — what one successful request costs, by invoice line.
* :func:`fixed_breakdown` — what each strategy costs over the horizon apart
  from per-request charges: one-time work, retrainings, running fees, GPUs.
* :func:`token_histogram` — token lengths of sample prompts binned on shared
  edges, so long and short prompts can be compared bar for bar.
* :func:`cost_fan` and :func:`breakeven_histogram` — a simulation's cumulative
  cost bands month by month and its break-even volumes on logarithmic bins.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from costmodel.engine.comparison import Sides, bill_parts
from costmodel.engine.evaluate import ScenarioResult
from costmodel.engine.simulation import FAN, Simulation

CURVE_POINTS = 121
DECADES_AROUND = 2
MIN_VOLUME = 1.0

REQUEST_PARTS = {
    "uncached_input_usd": "Uncached input",
    "cached_input_usd": "Cached input",
    "cache_write_usd": "Cache writes",
    "output_usd": "Output",
}
HISTOGRAM_COLUMNS = ("column", "from_tokens", "to_tokens", "mid_tokens", "width_tokens", "records")
FIXED_PARTS = {
    "training": "Training",
    "data_preparation": "Data preparation",
    "evaluation": "Evaluation",
    "retraining": "Retraining",
    "hosting": "Hosting",
    "storage": "Storage",
    "other": "Other running costs",
    "gpu": "Dedicated GPUs",
}


def volume_range(result: ScenarioResult, points: int = CURVE_POINTS) -> np.ndarray:
    """Log-spaced first-month volumes around the chosen volume and the break-even."""
    marks = [result.volume, result.primary.breakeven.requests_per_month]
    known = [float(m) for m in marks if m is not None and m > 0]
    low = max(MIN_VOLUME, min(known, default=MIN_VOLUME) / 10**DECADES_AROUND)
    high = max(known, default=MIN_VOLUME) * 10**DECADES_AROUND
    grid = np.geomspace(low, max(high, low * 10), points)
    return np.union1d(grid, np.array(known))


def request_breakdown(result: ScenarioResult) -> pd.DataFrame:
    """USD per successful request by part, one row per strategy and part.

    The request lines are per attempt; ``Failures`` adds retries and reviews,
    so each strategy's parts sum to its ``per_request_usd``.
    """
    rows = []
    for s in result.strategies:
        for attr, label in REQUEST_PARTS.items():
            rows.append(_part(s.name, label, getattr(s.request, attr)))
        rows.append(_part(s.name, "Failures", s.failure_usd))
    return pd.DataFrame(rows, columns=["strategy", "part", "usd"])


def fixed_breakdown(result: ScenarioResult) -> pd.DataFrame:
    """USD over the horizon that do not scale per request, by part and strategy.

    Retraining counts the runs due inside the horizon; running fees are
    monthly × months; dedicated GPUs are summed month by month at the
    scenario's volume and growth.
    """
    months = result.horizon.months
    rows: list[dict[str, object]] = []
    for s in result.strategies:
        bills = bill_parts(Sides.of([s]), result.volume, np.array([months]), result.growth)
        parts: dict[str, float] = dict(s.one_time)
        parts["retraining"] = float(bills["retraining"].sum())
        parts.update({k: v * months for k, v in s.monthly_fixed.items()})
        if s.gpu is not None:
            parts["gpu"] = float(bills["gpu"].sum())
        rows.extend(_part(s.name, FIXED_PARTS.get(k, k), v) for k, v in parts.items() if v)
    return pd.DataFrame(rows, columns=["strategy", "part", "usd"])


def token_histogram(columns: Mapping[str, np.ndarray], bins: int = 40) -> pd.DataFrame:
    """Records per token-length bin for each column, on edges shared by all columns.

    >>> h = token_histogram({"long": np.array([10, 20, 30]), "short": np.array([10])}, bins=2)
    >>> h[["column", "from_tokens", "to_tokens", "records"]].to_dict("list")
    {'column': ['long', 'long', 'short', 'short'], 'from_tokens': [10.0, 20.0, 10.0, 20.0], \
'to_tokens': [20.0, 30.0, 20.0, 30.0], 'records': [1, 2, 1, 0]}
    """
    present = {name: counts for name, counts in columns.items() if len(counts)}
    if not present:
        return pd.DataFrame(columns=[*HISTOGRAM_COLUMNS])
    everything = np.concatenate(list(present.values()))
    edges = np.histogram_bin_edges(everything, bins=bins)
    frames = []
    for name, counts in present.items():
        records, _ = np.histogram(counts, bins=edges)
        frames.append(
            pd.DataFrame(
                {
                    "column": name,
                    "from_tokens": edges[:-1],
                    "to_tokens": edges[1:],
                    "mid_tokens": (edges[:-1] + edges[1:]) / 2,
                    "width_tokens": np.diff(edges),
                    "records": records,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _part(strategy: str, part: str, usd: float) -> dict[str, object]:
    """One row of a breakdown."""
    return {"strategy": strategy, "part": part, "usd": float(usd)}


FAN_COLUMNS = ("side", "month", "p10_usd", "p25_usd", "p50_usd", "p75_usd", "p90_usd")
BREAKEVEN_BINS = 40


def cost_fan(sim: Simulation) -> pd.DataFrame:
    """Cumulative cost percentiles month by month, one row per side and month (1-based).

    Columns :data:`FAN_COLUMNS`; sides ``baseline``, ``challenger`` and
    ``saving`` (the running saving of the same draws).
    """
    rows = []
    for side, bands in sim.fan(FAN).items():
        for month in range(bands.shape[1]):
            rows.append((side, month + 1, *(float(v) for v in bands[:, month])))
    return pd.DataFrame(rows, columns=list(FAN_COLUMNS))


def breakeven_histogram(sim: Simulation, bins: int = BREAKEVEN_BINS) -> pd.DataFrame:
    """Draws by break-even volume on logarithmic bins (only draws that pay off from a volume).

    ``always`` draws (0) and ``never`` draws (+∞) have no place on a log
    axis: :meth:`Simulation.status_counts` counts them for the caption.

    >>> import numpy as np
    >>> from costmodel.engine.simulation import Simulation
    >>> z = np.zeros(3)
    >>> sim = Simulation(3, 0, "a", "b", np.array(["breaks_even"] * 3, dtype=object), z,
    ...                  np.array([10.0, 100.0, 1000.0]), z, z, z.astype(int), z, z,
    ...                  np.zeros((3, 0)), np.zeros((3, 0)), {}, {}, {})
    >>> breakeven_histogram(sim, bins=2)["draws"].tolist()
    [1, 2]
    """
    volumes = sim.pays_off_volumes()
    volumes = volumes[np.isfinite(volumes) & (volumes > 0)]
    if not volumes.size:
        return pd.DataFrame(columns=["from_requests", "to_requests", "draws"])
    low, high = np.log10(volumes.min()), np.log10(volumes.max())
    if high - low < 1e-9:
        low, high = low - 0.05, high + 0.05
    counts, edges = np.histogram(np.log10(volumes), bins=bins, range=(low, high))
    return pd.DataFrame(
        {"from_requests": 10 ** edges[:-1], "to_requests": 10 ** edges[1:], "draws": counts}
    )

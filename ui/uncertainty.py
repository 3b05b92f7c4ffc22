"""How sure is the answer: range inputs, the simulated headline line, a fan and a histogram.

The sidebar's value of an input stays its most likely value; the "Uncertain
inputs" panel adds a low and a high around it, kept in ``state[RANGES]`` by
path (:mod:`ui.state` writes them into the scenario), and may add a price
that a provider changes from some month on with some probability, kept in
``state[PRICE_CHANGES]``. The simulation runs
through :func:`costmodel.engine.simulation.simulate` and is kept for the
session until the scenario, catalog, day or sample file changes, so moving
to another tab or back never recomputes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from costmodel.engine.comparison import Comparison
from costmodel.engine.evaluate import ScenarioResult
from costmodel.engine.sensitivity import Metric, tornado
from costmodel.engine.simulation import Resample, Simulation, simulate
from costmodel.errors import CostModelError
from costmodel.prices.catalog import Catalog
from costmodel.report.charts import breakeven_histogram, cost_fan
from costmodel.report.numbers import count
from costmodel.report.wording import (
    input_label,
    price_change_text,
    price_name,
    repriced_text,
    simulation_headline,
    status_counts_text,
    swing_range_text,
)
from costmodel.scenario import Scenario
from costmodel.uncertain import FINE_TUNED_PRICES, PossiblePriceChange, Spread
from ui import setup
from ui.charts import HEIGHT, Figure, _figure, _label
from ui.memo import remembered
from ui.results import md
from ui.state import (
    BASELINE,
    CHALLENGER,
    IDS,
    PANEL,
    PRICE_CHANGES,
    RANGES,
    SAMPLES,
    STRATEGIES,
    key,
)

DRAWS = 2_000
# Dedicated-GPU pairs are decided volume by volume on a grid (several milliseconds a
# draw), so fewer futures keep the page interactive.
STEPPED_DRAWS = 200
SEED = 0

State = MutableMapping[str, Any]


@dataclass(frozen=True)
class Row:
    """One input the panel can give a range: where it lives and how its widget shows it."""

    name: str
    path: str
    label: str
    unit: str
    to_widget: Callable[[float], float]
    from_widget: Callable[[float], float]
    ends: Callable[[float], tuple[float, float]]
    step: float
    help: str
    fmt: str = "%.1f"


def _same(x: float) -> float:
    return x


def _to_percent(x: float) -> float:
    return round(x * 100, 6)


def _from_percent(x: float) -> float:
    return x / 100


def _change_to_percent(x: float) -> float:
    return round((x - 1) * 100, 6)


def _percent_to_change(x: float) -> float:
    return 1 + x / 100


def rows(state: State) -> list[Row]:
    """The inputs offered a range: volume, growth, the baseline's hit rate and price,
    and the challenger's training runs."""
    base, ft = state[BASELINE], state[CHALLENGER]
    out = [
        Row(
            "volume",
            "workload.requests_per_month",
            "Requests per month",
            "requests",
            _same,
            _same,
            lambda v: (v / 2, v * 2),
            1_000.0,
            "How low and how high the first month's volume may turn out.",
            "%.0f",
        ),
        Row(
            "growth",
            "workload.monthly_growth",
            "Monthly growth",
            "% a month",
            _to_percent,
            _from_percent,
            lambda v: (max(-0.5, v - 0.02), min(2.0, v + 0.02)),
            0.5,
            "The lowest and highest monthly growth you think plausible.",
        ),
        Row(
            "hit_rate",
            f"{base}:cache.hit_rate",
            "Cache-hit rate (base model)",
            "%",
            _to_percent,
            _from_percent,
            lambda v: (max(0.0, v - 0.2), min(1.0, v + 0.05)),
            1.0,
            "Share of requests whose prompt prefix is read from the cache, at worst and best.",
        ),
        Row(
            "price",
            f"{base}:price_multipliers.inference",
            "Base model's price change within the horizon",
            "% of today's price",
            _change_to_percent,
            _percent_to_change,
            lambda v: (v * 0.8, v * 1.25),
            5.0,
            "How far the provider may cut (negative) or raise (positive) the base model's "
            "per-token prices within the horizon.",
        ),
    ]
    if _strategy(state, ft)["kind"] == "fine-tuned":
        out.append(
            Row(
                "runs",
                f"{ft}:training.runs",
                "Training runs until it works",
                "runs",
                _same,
                _same,
                lambda v: (1.0, max(2.0, v * 2)),
                1.0,
                "The fewest and the most training runs it may take to get a model that works.",
                "%.0f",
            )
        )
    return out


def _strategy(state: State, sid: str) -> dict[str, Any]:
    """The kept plain data of strategy ``sid``."""
    return dict(state[STRATEGIES][list(state[IDS]).index(sid)])


def _current(state: State, row: Row) -> float:
    """The value the rest of the dashboard gives the input now (the range's likely value)."""
    base, ft = state[BASELINE], state[CHALLENGER]
    widget = {
        "volume": "monthly_requests",
        "growth": "monthly_growth",
        "hit_rate": key(base, "cache_hit_rate"),
        "runs": key(ft, "runs"),
    }.get(row.name)
    if widget is not None:
        return float(state[widget])
    factors = _strategy(state, base).get("price_multipliers") or {}
    return float(factors.get("inference", 1.0))


def render_inputs(state: State) -> None:
    """The sidebar panel: a low and a high for each input the user is unsure of."""
    ranges = dict(state.get(RANGES) or {})
    expanded = bool(ranges) or bool(state.get(PRICE_CHANGES))
    with st.sidebar.expander("Uncertain inputs (ranges)", expanded=expanded):
        st.caption(
            "Tick what you are unsure of and give its lowest and highest plausible value; "
            "the value set above stays the most likely one. The answer then comes with a "
            f"range and a probability, from {count(DRAWS)} simulated futures."
        )
        panel = rows(state)
        for row in panel:
            _row(state, row, ranges)
        others = sorted(set(ranges) - {r.path for r in panel})
        if others:
            st.caption(
                md("Also written as ranges in the loaded scenario: " + ", ".join(others) + ".")
            )
        render_price_change(state)
    state[RANGES] = ranges


CHANGE = f"{PANEL}change_"
PRICES = ("input", "cached_input", "output", "training", "hosting", "gpu")


def render_price_change(state: State) -> None:
    """A price a provider may change from some month on, with a probability.

    The panel edits the first possible change of ``state[PRICE_CHANGES]``;
    further ones (from a loaded scenario) are kept as they are and named.
    """
    ids = list(state[IDS])
    changes = [dict(c) for c in state.get(PRICE_CHANGES) or [] if c["strategy"] in ids]
    first, rest = (changes[0] if changes else None), changes[1:]
    on = f"{CHANGE}on"
    if on not in state:
        state[on] = first is not None
    ticked = st.checkbox(
        "A provider may change a price from some month on",
        key=on,
        help="Say whose price may change, by how much, from which month and how likely "
        "that is; each simulated future decides whether it happens. The figures above keep "
        "today's prices.",
    )
    if ticked:
        made = _change_controls(state, first)
        state[PRICE_CHANGES] = ([] if made is None else [made]) + rest
    else:
        state[PRICE_CHANGES] = rest
    if rest:
        st.caption(md(f"Also in the loaded scenario: {len(rest)} more possible price changes."))


def _change_controls(state: State, first: dict[str, Any] | None) -> dict[str, Any] | None:
    """The change's controls; the change they describe, or None (with a warning) if unusable."""
    sides = [state[BASELINE], state[CHALLENGER]]
    names = {sid: str(_strategy(state, sid)["name"]) for sid in sides}
    loaded = _loaded(first, names) if first is not None else None
    if first is not None and loaded is None:
        owner = str(_strategy(state, first["strategy"])["name"])
        change = PossiblePriceChange.model_validate(first | {"strategy": owner})
        st.caption(md(f"From the loaded scenario, kept as written: {price_change_text(change)}."))
        return first
    side_key, price_key = f"{CHANGE}side", f"{CHANGE}price"
    if loaded is not None:
        for name, value in loaded.items():
            state.setdefault(f"{CHANGE}{name}", value)
    if state.get(side_key, sides[0]) not in sides:
        state[side_key] = sides[0]  # the main pair changed since
    side = st.selectbox(
        "Whose price",
        sides,
        format_func=names.__getitem__,
        key=side_key,
        help="The baseline's or the challenger's price.",
    )
    fine_tuned = _strategy(state, side)["kind"] == "fine-tuned"
    prices = [p for p in PRICES if fine_tuned or p not in FINE_TUNED_PRICES]
    if state.get(price_key) not in prices:
        state[price_key] = prices[0]
    price = st.selectbox(
        "Which price",
        prices,
        format_func=price_name,
        key=price_key,
        help="Input includes cache writes; output includes reasoning tokens. A hosting fee "
        "applies only to a fine-tune served on a hosted deployment, a GPU price only to "
        "one served on dedicated GPUs.",
    )
    state.setdefault(f"{CHANGE}low", -50.0)
    state.setdefault(f"{CHANGE}high", 0.0)
    state.setdefault(f"{CHANGE}from", 2)
    state.setdefault(f"{CHANGE}to", int(state.get("horizon_months") or 12))
    state.setdefault(f"{CHANGE}chance", 50.0)
    left, right = st.columns(2)
    size_help = (
        "How far the provider may cut (negative) or raise (positive) the price, in % of "
        "today's: −50 halves it. Each future draws a change between the lowest and the highest."
    )
    month_help = (
        "The first month of the horizon that pays the new price (1 is the first month); each "
        "future draws one between the earliest and the latest, all equally likely."
    )
    with left:
        low = st.number_input(
            "Lowest change (%)",
            key=f"{CHANGE}low",
            step=5.0,
            format="%.0f",
            help=size_help,
        )
        first_month = st.number_input(
            "Earliest (month)",
            key=f"{CHANGE}from",
            min_value=1,
            step=1,
            help=month_help,
        )
    with right:
        high = st.number_input(
            "Highest change (%)",
            key=f"{CHANGE}high",
            step=5.0,
            format="%.0f",
            help=size_help,
        )
        last_month = st.number_input(
            "Latest (month)",
            key=f"{CHANGE}to",
            min_value=1,
            step=1,
            help=month_help,
        )
    chance = st.number_input(
        "Probability it happens within the horizon (%)",
        key=f"{CHANGE}chance",
        min_value=0.0,
        max_value=100.0,
        step=5.0,
        format="%.0f",
        help="0 %: it never happens; 100 %: it happens in every simulated future.",
    )
    if not (low <= high and first_month <= last_month and low > -100):
        st.warning(
            "Not used: the change must be above −100 % with its lower end first, and the "
            "first month no later than the latest."
        )
        return None
    factors = (1 + low / 100, 1 + high / 100)
    return {
        "strategy": side,
        "price": price,
        "factor": factors[0] if low == high else {"low": factors[0], "high": factors[1]},
        "month": int(first_month)
        if first_month == last_month
        else {"low": int(first_month), "high": int(last_month)},
        "probability": chance / 100,
    }


def _loaded(change: dict[str, Any], names: dict[str, str]) -> dict[str, Any] | None:
    """The panel's widget values for a kept change, None when the panel cannot show it.

    The panel shows a uniform or fixed factor and month of the baseline or
    the challenger; anything else (a triangular month, a lognormal factor,
    another strategy) is kept as written.
    """
    if change["strategy"] not in names:
        return None
    parsed = PossiblePriceChange.model_validate(change)
    factor, month = parsed.factor_spread, parsed.month_spread
    if (
        factor.kind != "uniform"
        or month.kind != "uniform"
        or factor.ends is None
        or month.ends is None
    ):
        return None
    return {
        "side": change["strategy"],
        "price": change["price"],
        "low": round((factor.ends[0] - 1) * 100, 6),
        "high": round((factor.ends[1] - 1) * 100, 6),
        "from": int(month.ends[0]),
        "to": int(month.ends[1]),
        "chance": round(parsed.probability * 100, 6),
    }


def _row(state: State, row: Row, ranges: dict[str, Any]) -> None:
    """One input's tick box and its low and high, written into ``ranges`` when usable."""
    on, low_key, high_key = (f"{PANEL}{row.name}_{part}" for part in ("on", "low", "high"))
    spec = ranges.get(row.path)
    spread = Spread.model_validate(spec) if spec is not None else None
    current = _current(state, row)
    if on not in state:
        state[on] = spread is not None
    if st.checkbox(f"{row.label} is uncertain", key=on, help=row.help) is False:
        ranges.pop(row.path, None)
        return
    if spread is not None and spread.ends is None:
        st.caption(md(f"{spread.kind} range from the loaded scenario: {spread.as_data()}"))
        return
    low, high = spread.ends if spread is not None and spread.ends else row.ends(current)
    state.setdefault(low_key, row.to_widget(low))
    state.setdefault(high_key, row.to_widget(high))
    left, right = st.columns(2)
    with left:
        st.number_input(
            f"Low ({row.unit})", key=low_key, step=row.step, format=row.fmt, help=row.help
        )
    with right:
        st.number_input(
            f"High ({row.unit})", key=high_key, step=row.step, format=row.fmt, help=row.help
        )
    low, high = row.from_widget(state[low_key]), row.from_widget(state[high_key])
    if not low <= current <= high:
        st.warning(
            md(
                f"Not used: the most likely value, {row.to_widget(current):g} {row.unit}, "
                "must lie between the low and the high."
            )
        )
        ranges.pop(row.path, None)
        return
    data = spread.as_data() if spread is not None else {}
    data |= {"low": low, "high": high}
    if spread is None:
        data["likely"] = current
    ranges[row.path] = data


def uncertain(state: State, result: ScenarioResult) -> bool:
    """True when anything is drawn: a range, a possible price change, or a sample file
    resampled per request."""
    scenario = result.scenario
    drawn = scenario.uncertain or scenario.possible_price_changes
    return bool(drawn) or bool(samples(state, result))


def samples(state: State, result: ScenarioResult) -> dict[str, Resample]:
    """Counted sample files still behind a side's figures, by strategy name.

    As the upload fills them: a prompt strategy resamples the long prompts, a
    fine-tuned one the short ones; a strategy whose figures were typed over
    (its ``counted`` cleared) is not resampled.
    """
    outcome = state.get(SAMPLES)
    if outcome is None or outcome.problem or outcome.value is None:
        return {}
    stats = outcome.value
    found = {}
    for strategy in result.scenario.strategies:
        counted = strategy.tokens.counted
        if counted is None or counted.file != Path(stats.source).name:
            continue
        column = "long" if strategy.kind == "prompt" else "short"
        if column == "long" or "short" in stats.columns:
            found[strategy.name] = Resample(stats, column)
    return found


def simulation(
    state: State, result: ScenarioResult, catalog: Catalog, tag: str, today: dt.date
) -> Simulation | str | None:
    """The simulated futures of the main comparison, kept until an input changes.

    None when nothing is uncertain; the reason as text when it cannot run.
    """
    if not uncertain(state, result):
        return None
    drawn = samples(state, result)
    main = result.primary
    draws = STEPPED_DRAWS if main.a.gpu is not None or main.b.gpu is not None else DRAWS
    outcome = state.get(SAMPLES)
    ident = (
        result.scenario.model_dump_json(),
        tag,
        today,
        outcome.digest if drawn and outcome is not None else "",
        draws,
    )

    def compute() -> Simulation | str:
        try:
            return simulate(
                result.scenario, catalog, draws=draws, seed=SEED, result=result, samples=drawn
            )
        except CostModelError as exc:
            return str(exc)

    return remembered(state, "simulation", ident, compute)


def render_headline(c: Comparison, sim: Simulation | str | None) -> None:
    """The point figures' range and probability, right under the headline figures."""
    if sim is None:
        st.caption(
            "One exact-looking answer from inputs nobody knows exactly: tick what you are "
            "unsure of under “Uncertain inputs” in the sidebar to see how sure it is."
        )
        return
    if isinstance(sim, str):
        st.warning(md(f"The simulated futures could not be drawn: {sim}"))
        return
    st.info(md(simulation_headline(c, sim)), icon=":material/casino:")
    parts = [f"{count(sim.draws)} simulated futures (seed {sim.seed})"]
    if sim.resampled:
        parts.append("sample prompts resampled request by request in each")
    repriced = repriced_text(sim)
    if repriced is not None:
        parts.append(f"{repriced}, while the figures above keep today's prices")
    st.caption(md("; ".join(parts) + f". Outcomes: {status_counts_text(sim)}."))


def render_charts(sim: Simulation | str | None) -> None:
    """The fan of cumulative cost and the histogram of the break-even."""
    if sim is None or isinstance(sim, str) or not sim.available:
        return
    st.subheader("How sure: cumulative cost in the simulated futures")
    st.caption(
        "Shaded bands hold the middle 80 % and 50 % of futures at your volume; the line is "
        "the median. Where the futures barely differ (only the sample prompts vary until an "
        "input is ticked as uncertain), the bands are too thin to see."
    )
    st.plotly_chart(fan_chart(cost_fan(sim), sim), key="fan_chart")
    st.subheader("How sure: where it pays off")
    st.caption(
        md(f"Break-even volume of each simulated future. Outcomes: {status_counts_text(sim)}.")
    )
    histogram = breakeven_histogram(sim)
    if histogram.empty:
        st.caption("No simulated future pays off from a volume up.")
        return
    st.plotly_chart(histogram_chart(histogram), key="breakeven_histogram")


COLOURS = {"baseline": "#57606a", "challenger": "#1f6feb"}


def fan_chart(fan: pd.DataFrame, sim: Simulation) -> Figure:
    """Bands (10–90th and 25–75th percentile) and the median of each side's cumulative cost."""
    data: list[dict[str, Any]] = []
    names = {"baseline": sim.baseline, "challenger": sim.challenger}
    for side, colour in COLOURS.items():
        part = fan[fan["side"] == side]
        months = part["month"].tolist()
        name = _label(names[side])
        for low, high, alpha in (("p10_usd", "p90_usd", 0.15), ("p25_usd", "p75_usd", 0.3)):
            fill = _rgba(colour, alpha)
            data.append(_line(months, part[low], name, colour, 0, False, "skip"))
            data.append(
                _line(months, part[high], name, colour, 0, False, "skip")
                | {"fill": "tonexty", "fillcolor": fill}
            )
        data.append(
            _line(months, part["p50_usd"], f"{name} (median)", colour, 2, True, "all")
            | {"hovertemplate": "$%{y:,.0f}<extra>%{fullData.name}</extra>"}
        )
    return _figure(
        data,
        "Month",
        "Cumulative cost (USD)",
        xaxis={"dtick": 1} if len(set(fan["month"])) <= 24 else {},
        yaxis={"tickformat": "$,.0f"},
    )


def _line(
    months: list[int],
    values: pd.Series,
    name: str,
    colour: str,
    width: int,
    legend: bool,
    hover: str,
) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines",
        "x": months,
        "y": values.tolist(),
        "name": name,
        "legendgroup": name,
        "showlegend": legend,
        "hoverinfo": hover,
        "line": {"color": colour, "width": width},
    }


def _rgba(hex_colour: str, alpha: float) -> str:
    """``#1f6feb`` at ``alpha`` opacity as a CSS colour."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def histogram_chart(bins: pd.DataFrame) -> Figure:
    """Draws per break-even bin as a filled step line on a logarithmic volume axis."""
    edges = [*bins["from_requests"].tolist(), float(bins["to_requests"].iloc[-1])]
    draws = [*bins["draws"].tolist(), int(bins["draws"].iloc[-1])]
    text = [
        f"{count(lo)}–{count(hi)} requests a month"
        for lo, hi in zip(bins["from_requests"], bins["to_requests"], strict=True)
    ]
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": edges,
            "y": draws,
            "line": {"shape": "hv", "color": COLOURS["challenger"]},
            "fill": "tozeroy",
            "fillcolor": _rgba(COLOURS["challenger"], 0.35),
            "text": [*text, text[-1]],
            "hovertemplate": "%{text}: %{y:,} futures<extra></extra>",
            "name": "futures",
        }
    ]
    return _figure(
        data,
        "Break-even (requests in the first month, log scale)",
        "Simulated futures",
        xaxis={"type": "log"},
        hovermode="closest",
        showlegend=False,
    )


METRICS = {
    Metric.BREAKEVEN: "Break-even volume",
    Metric.SAVINGS: "Saving at your volume",
}


def render_tornado(
    state: State, scenario: Scenario, catalog: Catalog, tag: str, today: dt.date
) -> None:
    """The tornado over every input, on the figure the user picks."""
    metric = st.radio(
        "Swing measured on",
        list(METRICS),
        format_func=METRICS.__getitem__,
        horizontal=True,
        key="tornado_metric",
        help="Break-even: the first-month volume at which both options cost the same. "
        "Saving: the baseline's total minus the challenger's over the horizon at your volume.",
    )
    if metric == Metric.BREAKEVEN:
        frame = setup.sensitivity(state, scenario, catalog, today)
    else:
        frame = remembered(
            state,
            "tornado_savings",
            (scenario.model_dump_json(), tag, today),
            lambda: _tornado_or_reason(scenario, catalog, today, metric),
        )
    if isinstance(frame, str):
        st.info(md(f"No sensitivity chart: {frame}"))
        return
    moving, still = frame[frame["swing"] > 0], frame[frame["swing"] == 0]
    st.caption(
        "Each input moved 25 % down (blue) and up (red), all others unchanged; hover a bar "
        "for the values tested. Clipped values and cliffs are named."
    )
    st.plotly_chart(tornado_chart(moving, Metric(metric)), key="tornado_chart")
    notes = [
        f"{input_label(r.input, r.side)}: "
        + swing_range_text(
            r.input,
            r.value_low,
            r.value_high,
            r.clipped_low,
            r.clipped_high,
            r.cliff_low,
            r.cliff_high,
        )
        for r in moving.itertuples()
        if r.clipped_low or r.clipped_high or r.cliff_low or r.cliff_high
    ]
    for note in notes:
        st.caption(md(note))
    if len(still):
        names = ", ".join(input_label(r.input, r.side) for r in still.itertuples())
        st.caption(md(f"No effect on this figure: {names}."))


def _tornado_or_reason(
    scenario: Scenario, catalog: Catalog, today: dt.date, metric: str
) -> pd.DataFrame | str:
    try:
        return tornado(scenario, catalog, today=today, metric=metric)
    except CostModelError as exc:
        return str(exc)


LOW, HIGH, NOW = "#1f6feb", "#d1242f", "#57606a"


def tornado_chart(frame: pd.DataFrame, metric: Metric) -> Figure:
    """One bar per input from its low variant's figure to its high one's; widest first."""
    name = "breakeven" if metric == Metric.BREAKEVEN else "savings"
    x: list[float | None] = []
    y: list[str | None] = []
    colours: list[str] = []
    text: list[str] = []
    for row in frame.itertuples():
        label = _label(input_label(row.input, row.side))
        tried = swing_range_text(
            row.input,
            row.value_low,
            row.value_high,
            row.clipped_low,
            row.clipped_high,
            row.cliff_low,
            row.cliff_high,
        )
        low, high = getattr(row, f"{name}_low"), getattr(row, f"{name}_high")
        x += [_finite(low), _finite(high), None]
        y += [label, label, None]
        colours += [LOW, HIGH, LOW]
        text += [_label(tried)] * 3
    figure_format = ",.0f" if metric == Metric.BREAKEVEN else "$,.0f"
    data = {
        "type": "scatter",
        "mode": "lines+markers",
        "x": x,
        "y": y,
        "text": text,
        "line": {"width": 10, "color": "#8ab4f8"},
        "marker": {"size": 12, "color": colours},
        "showlegend": False,
        "connectgaps": False,
        "hovertemplate": f"%{{y}}<br>%{{text}}<br>%{{x:{figure_format}}}<extra></extra>",
    }
    shapes, labels = [], []
    if len(frame):
        now = _finite(float(frame[f"baseline_{name}"].iloc[0]))
        if now is not None:
            shapes.append(
                {"type": "line", "xref": "x", "yref": "paper", "x0": now, "x1": now}
                | {"y0": 0, "y1": 1, "line": {"color": NOW, "dash": "dot"}}
            )
            labels.append(
                {"x": now, "xref": "x", "y": 1, "yref": "paper", "text": "today's inputs"}
                | {"showarrow": False, "xanchor": "left"}
            )
    title = (
        "Break-even (requests per month)"
        if metric == Metric.BREAKEVEN
        else "Saving over the horizon at your volume (USD)"
    )
    return _figure(
        [data],
        f"{title}<br>blue = input low, red = input high",
        "",
        height=max(HEIGHT, 34 * len(frame)),
        hovermode="closest",
        shapes=shapes,
        annotations=labels,
        yaxis={"autorange": "reversed"},
        xaxis={"tickformat": "$,.0f"} if metric == Metric.SAVINGS else {},
    )


def _finite(value: float) -> float | None:
    """A figure for the chart; a missing one (never breaks even) leaves a gap."""
    return None if value is None or not np.isfinite(value) else float(value)

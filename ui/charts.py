"""Plotly figures drawn from what ``costmodel`` returns: no figure computes a number.

Figures are plain Plotly dictionaries (Streamlit validates them once when it
draws them), which keeps a rerun after a slider move fast. Money axes use
dollar tick formats; volume axes are logarithmic; every marker (break-even,
your volume, payback month, horizon cut) is a value the engine gave.
"""

from __future__ import annotations

import textwrap
from collections.abc import Collection
from typing import Any

import pandas as pd

from costmodel.engine.comparison import Comparison, Payback
from costmodel.engine.lifecycle import Horizon
from costmodel.report.numbers import count

Figure = dict[str, Any]

HEIGHT = 380
FEW_RECORDS = 10  # at most this many records in a bin: the records axis ticks every record
MARK = "#d1242f"
NOW = "#57606a"
# Option colours: none is the red of the break-even marker or the grey of "your volume".
COLORWAY = ["#1f6feb", "#1a7f37", "#8250df", "#bf8700", "#0a7f8f", "#953800", "#bf3989"]


def _label(text: object) -> str:
    """A name as Plotly text: its own tags (links, styles) written as plain characters.

    >>> _label('<a href="https://x.example">log in</a> & more')
    '&lt;a href="https://x.example"&gt;log in&lt;/a&gt; &amp; more'
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _figure(data: list[dict[str, Any]], x_title: str, y_title: str, **layout: Any) -> Figure:
    """A figure dictionary with the shared layout and axis titles."""
    base = {
        "height": HEIGHT,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "hovermode": "x unified",
        "colorway": COLORWAY,
        # Streamlit's theme styles every chart in the browser; Plotly's default template
        # would only be merged and validated on each rerun, then sent and replaced.
        "template": "none",
    }
    base.update(layout)
    base["xaxis"] = {"title": {"text": x_title}, **base.get("xaxis", {})}
    base["yaxis"] = {"title": {"text": y_title}, **base.get("yaxis", {})}
    return {"data": data, "layout": base}


def _month_line(month: float, text: str, color: str, where: str) -> tuple[dict, dict]:
    """A vertical line at a month on a linear axis, with its label."""
    line = {"type": "line", "xref": "x", "yref": "paper", "x0": month, "x1": month, "y0": 0}
    line |= {"y1": 1, "line": {"color": color, "dash": "dash", "width": 2}}
    label = {"x": month, "xref": "x", "y": 1 if where == "top" else 0, "yref": "paper"}
    label |= {"text": text, "showarrow": False, "xanchor": "left", "font": {"color": color}}
    return line, label


def cost_curves(curves: pd.DataFrame, c: Comparison) -> Figure:
    """Average monthly cost of each strategy against first-month volume (log scales).

    The break-even and your volume are marked on the curves themselves: both
    volumes are points of ``curves``.
    """
    be, volume = c.breakeven, c.volume
    data: list[dict[str, Any]] = []
    for name, part in curves.groupby("strategy", sort=False):
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": _label(name),
                "x": part["requests_per_month"].tolist(),
                "y": part["average_monthly_cost_usd"].tolist(),
                "hovertemplate": "$%{y:,.2f} a month<extra>%{fullData.name}</extra>",
            }
        )
    yours = curves[curves["requests_per_month"] == volume]
    data.append(_marks(yours, f"your volume: {count(volume)}", NOW, "circle", text=False))
    if be.requests_per_month and be.status in ("breaks_even", "cheaper_below"):
        on_baseline = curves[
            (curves["requests_per_month"] == be.requests_per_month)
            & (curves["strategy"] == c.a.name)
        ]
        label = f"break-even {count(be.requests_per_month)}"
        data.append(_marks(on_baseline, label, MARK, "x", text=True))
    return _figure(
        data,
        "Requests in the first month",
        "Average cost per month (USD)",
        xaxis={"type": "log"},
        yaxis={"type": "log", "tickformat": "$,.2~f"},
    )


def _marks(points: pd.DataFrame, name: str, color: str, symbol: str, text: bool) -> dict:
    """Markers on the cost curves at one volume, optionally labelled."""
    return {
        "type": "scatter",
        "mode": "markers+text" if text else "markers",
        "name": name,
        "x": points["requests_per_month"].tolist(),
        "y": points["average_monthly_cost_usd"].tolist(),
        "text": [name] if text else None,
        "textposition": "top left",
        "marker": {"color": color, "size": 11, "symbol": symbol},
        "hoverinfo": "skip",
        "showlegend": not text,
    }


def cumulative(
    frame: pd.DataFrame, payback: Payback, horizon: Horizon, drawn: Collection[str] = ()
) -> Figure:
    """Cumulative spend month by month at the chosen volume, with payback and horizon cut.

    Only the options named in ``drawn`` (all when empty) are drawn at first; the
    others wait in the legend, one click away, so an option costing far more
    does not flatten the two the headline compares on this linear scale.
    """
    months = frame.index.tolist()
    data = [
        {
            # one month is a bar each, not a lone dot per option
            **(
                {"type": "bar"}
                if len(months) == 1
                else {"type": "scatter", "mode": "lines+markers"}
            ),
            "name": _label(name),
            "x": months,
            "y": frame[name].tolist(),
            "hovertemplate": "$%{y:,.0f}<extra>%{fullData.name}</extra>",
            **({} if not drawn or name in drawn else {"visible": "legendonly"}),
        }
        for name in frame.columns
    ]
    shapes, labels = [], []
    if payback.month is not None:
        line, label = _month_line(payback.month, f"pays back in month {payback.month}", MARK, "top")
        shapes.append(line)
        labels.append(label)
    if horizon.cut:
        text = f"horizon cut at month {horizon.months} (model lifecycle)"
        line, label = _month_line(horizon.months, text, NOW, "bottom")
        shapes.append(line)
        labels.append(label)
    return _figure(
        data,
        "Month",
        "Cumulative cost (USD)",
        shapes=shapes,
        annotations=labels,
        xaxis={"dtick": 1} if len(months) <= 24 else {},
        yaxis={"tickformat": "$,.0f"},
    )


def _wrapped(text: str, width: int = 22) -> str:
    """A bar's name on lines of about ``width`` characters, so a phone keeps room for the bars.

    >>> _wrapped("Fine-tuned gpt-oss-20b (LoRA, dedicated GPU), short prompt")
    'Fine-tuned gpt-oss-20b<br>(LoRA, dedicated GPU),<br>short prompt'
    """
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False)) or text


def breakdown(parts: pd.DataFrame, x_title: str) -> Figure:
    """Stacked horizontal bars: each strategy's cost split into its parts."""
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": _label(name),
            "y": [_wrapped(_label(n)) for n in part["strategy"]],
            "x": part["usd"].tolist(),
            "hovertemplate": "%{fullData.name}: $%{x:,.2f}<extra></extra>",
        }
        for name, part in parts.groupby("part", sort=False)
    ]
    return _figure(
        data,
        x_title,
        "",
        barmode="stack",
        hovermode="closest",
        xaxis={"tickformat": "$,.2~f"},
    )


def token_histogram(bins: pd.DataFrame) -> Figure:
    """Records per token length, long and short prompts on shared bins."""
    data = [
        {
            "type": "bar",
            "name": f"{name} prompt",
            "x": part["mid_tokens"].tolist(),
            "width": part["width_tokens"].tolist(),
            "y": part["records"].tolist(),
            "customdata": part[["from_tokens", "to_tokens"]].to_numpy().tolist(),
            "hovertemplate": "%{customdata[0]:,.0f}–%{customdata[1]:,.0f} tokens: "
            "%{y:,} records<extra></extra>",
            "opacity": 0.75,
        }
        for name, part in bins.groupby("column", sort=False)
    ]
    few = bool(len(bins)) and bins["records"].max() <= FEW_RECORDS
    return _figure(
        data,
        "Tokens per record",
        "Records",
        barmode="overlay",
        hovermode="closest",
        yaxis={"dtick": 1} if few else {},  # whole records: no "0.5" tick on a small file
    )

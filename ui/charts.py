"""Plotly figures drawn from what ``costmodel`` returns: no figure computes a number.

Money axes use dollar tick formats; volume axes are logarithmic; every
marker (break-even, payback month, horizon cut) is a value the engine gave.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from costmodel.breakeven import BreakEven, Payback
from costmodel.formatting import count
from costmodel.horizon import Horizon

HEIGHT = 380
MARK = "#d1242f"
NOW = "#6e7781"


def _layout(fig: go.Figure, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        height=HEIGHT,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        xaxis_title=x_title,
        yaxis_title=y_title,
        hovermode="x unified",
    )
    return fig


def cost_curves(curves: pd.DataFrame, be: BreakEven, volume: float) -> go.Figure:
    """Average monthly cost of each strategy against first-month volume (log scale)."""
    fig = go.Figure()
    for name, part in curves.groupby("strategy", sort=False):
        fig.add_scatter(
            x=part["requests_per_month"],
            y=part["average_monthly_cost_usd"],
            name=str(name),
            mode="lines",
            hovertemplate="$%{y:,.2f} a month<extra>%{fullData.name}</extra>",
        )
    if be.requests_per_month and be.status in ("breaks_even", "cheaper_below"):
        fig.add_vline(
            x=be.requests_per_month,
            line={"color": MARK, "dash": "dash"},
            annotation_text=f"break-even {count(be.requests_per_month)}",
            annotation_position="top left",
        )
    fig.add_vline(
        x=volume,
        line={"color": NOW, "dash": "dot"},
        annotation_text=f"you: {count(volume)}",
        annotation_position="bottom right",
    )
    fig.update_xaxes(type="log")
    fig.update_yaxes(type="log", tickprefix="$", tickformat=",.2~f")
    return _layout(fig, "Requests in the first month", "Average cost per month (USD)")


def cumulative(frame: pd.DataFrame, payback: Payback, horizon: Horizon) -> go.Figure:
    """Cumulative spend month by month at the chosen volume, with payback and horizon cut."""
    fig = go.Figure()
    for name in frame.columns:
        fig.add_scatter(
            x=frame.index,
            y=frame[name],
            name=str(name),
            mode="lines+markers",
            hovertemplate="$%{y:,.0f}<extra>%{fullData.name}</extra>",
        )
    if payback.month is not None:
        fig.add_vline(
            x=payback.month,
            line={"color": MARK, "dash": "dash"},
            annotation_text=f"pays back in month {payback.month}",
            annotation_position="top left",
        )
    if horizon.cut:
        fig.add_vline(
            x=horizon.months,
            line={"color": NOW, "width": 3},
            annotation_text=f"horizon cut at month {horizon.months} (model lifecycle)",
            annotation_position="bottom left",
        )
    fig.update_yaxes(tickprefix="$", tickformat=",.0f")
    fig.update_xaxes(dtick=1 if len(frame.index) <= 24 else None)
    return _layout(fig, "Month", "Cumulative cost (USD)")


def breakdown(parts: pd.DataFrame, x_title: str) -> go.Figure:
    """Stacked horizontal bars: each strategy's cost split into its parts."""
    fig = go.Figure()
    for name, part in parts.groupby("part", sort=False):
        fig.add_bar(
            y=part["strategy"],
            x=part["usd"],
            name=str(name),
            orientation="h",
            hovertemplate="%{fullData.name}: $%{x:,.6~f}<extra></extra>",
        )
    fig.update_layout(barmode="stack", hovermode="closest")
    fig.update_xaxes(tickprefix="$")
    return _layout(fig, x_title, "")


def pairs(top: pd.DataFrame) -> go.Figure:
    """Break-even volume of the best catalog pairs, lowest first."""
    names = top["base_label"] + " → " + top["ft_label"]
    fig = go.Figure(
        go.Bar(
            y=names,
            x=top["breakeven_requests_per_month"],
            orientation="h",
            hovertemplate="%{y}<br>break-even %{x:,.0f} requests a month<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(type="log")
    fig.update_layout(height=max(HEIGHT, 28 * len(top)), hovermode="closest")
    return _layout(fig, "Break-even (requests per month, log scale)", "")


def tornado(frame: pd.DataFrame) -> go.Figure:
    """Break-even with each input 25 % lower and higher: the widest bars matter most."""
    fig = go.Figure()
    for _, row in frame.iloc[::-1].iterrows():
        fig.add_scatter(
            x=[row["breakeven_low"], row["breakeven_high"]],
            y=[row["input"], row["input"]],
            mode="lines+markers",
            line={"width": 10, "color": "#8ab4f8"},
            marker={"size": 12, "color": ["#1f6feb", MARK]},
            showlegend=False,
            hovertemplate="%{y}: break-even %{x:,.0f}<extra></extra>",
        )
    if len(frame):
        fig.add_vline(
            x=frame["baseline_breakeven"].iloc[0],
            line={"color": NOW, "dash": "dot"},
            annotation_text="today's inputs",
        )
    fig.update_layout(height=max(HEIGHT, 34 * len(frame)), hovermode="closest")
    return _layout(fig, "Break-even (requests per month); blue = input −25 %, red = +25 %", "")


def token_histogram(bins: pd.DataFrame) -> go.Figure:
    """Records per token length, long and short prompts side by side."""
    fig = go.Figure()
    for name, part in bins.groupby("column", sort=False):
        fig.add_bar(
            x=part["mid_tokens"],
            width=part["width_tokens"],
            y=part["records"],
            name=f"{name} prompt" if name != "output" else "output",
            customdata=part[["from_tokens", "to_tokens"]],
            hovertemplate="%{customdata[0]:,.0f}–%{customdata[1]:,.0f} tokens: "
            "%{y:,} records<extra></extra>",
            opacity=0.75,
        )
    fig.update_layout(barmode="overlay", hovermode="closest")
    return _layout(fig, "Tokens per record", "Records")

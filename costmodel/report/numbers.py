"""Human formatting of money and counts, shared by the dashboard and the CLI."""

from __future__ import annotations

import math


def money(value: float | None, *, cents: bool | None = None, exact: bool = False) -> str:
    """USD with thousands separators; small amounts keep significant digits.

    ``cents=True`` always shows cents, ``cents=False`` whole dollars. ``exact``
    shows a listed price as written: cents, and more digits (up to six
    decimals) only when the figure has them, so $0.035 per 1M is not rounded.

    >>> money(1234.5), money(0.0042), money(0.000048), money(-12), money(None)
    ('$1,234.50', '$0.0042', '$0.000048', '−$12.00', '–')
    >>> money(2, exact=True), money(0.035, exact=True), money(1_234_567.891, exact=True)
    ('$2.00', '$0.035', '$1,234,567.891')
    """
    if value is None or not math.isfinite(value):
        return "–"
    sign = "−" if value < 0 else ""
    v = abs(value)
    if exact:
        shown = f"{v:,.2f}" if abs(round(v, 2) - v) < 1e-9 else f"{v:,.6f}".rstrip("0")
        return f"{sign}${shown}"
    if cents is False or v >= 1_000_000:
        return f"{sign}${v:,.0f}"
    if v == 0 or v >= 0.01 or cents:
        return f"{sign}${v:,.2f}"
    decimals = min(12, math.floor(-math.log10(v)) + 2)  # two significant digits
    return f"{sign}${v:.{decimals}f}".rstrip("0")


def count(value: float | None) -> str:
    """A whole count with thousands separators; large ones abbreviated.

    >>> count(1234), count(2_500_000), count(3.2e9), count(None)
    ('1,234', '2.5M', '3.2B', '–')
    """
    if value is None or not math.isfinite(value):
        return "–"
    v = abs(value)
    sign = "−" if value < 0 else ""
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if v >= size:
            return f"{sign}{v / size:.3g}{suffix}"
    return f"{sign}{v:,.0f}"


def per_million(value: float | None) -> str:
    """A vendor price quoted per 1M tokens, shown as the vendor writes it (never rounded).

    >>> per_million(2.5), per_million(0.035), per_million(None)
    ('$2.50 / 1M', '$0.035 / 1M', '–')
    """
    return "–" if value is None else f"{money(value, exact=True)} / 1M"


def percent(value: float) -> str:
    """A share as a percentage.

    >>> percent(0.125)
    '12.5%'
    """
    return f"{value * 100:.3g}%"


def significant(value: float, digits: int = 2) -> float:
    """``value`` rounded to ``digits`` significant figures, for figures known only roughly.

    A percentile of simulated futures is not known to the request: 62,525
    reads 63,000.

    >>> significant(62_525), significant(-335.88), significant(0.0), significant(1_178.2, 3)
    (63000.0, -340.0, 0.0, 1180.0)
    """
    if value == 0 or not math.isfinite(value):
        return float(value)
    return float(round(value, digits - 1 - math.floor(math.log10(abs(value)))))

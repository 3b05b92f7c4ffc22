"""Uncertain inputs: a number in a scenario may be written as a range instead.

Nobody knows next year's cache-hit rate or volume to the request, so any
numeric input listed in :data:`RANGEABLE` may be given as a distribution:

* ``{low: 0.7, likely: 0.9, high: 0.95}`` — triangular (``dist: pert`` for a
  PERT curve, which weights the likely value more);
* ``{low: 0.7, high: 0.95}`` — uniform;
* ``{dist: normal, mean: 0.03, sd: 0.01}``;
* ``{dist: lognormal, median: 1e6, sigma: 0.4}`` — for volumes and other
  quantities that are more likely to be far above than far below.

The point estimate uses the range's central value (:attr:`Spread.point`:
the likely value, the midpoint of a uniform range, the mean, the median);
the simulation draws from the whole range. A range whose ends meet is a
fixed number.

A price may also *change* within the horizon, or not: a
:class:`PossiblePriceChange` says that one side's price (``input``,
``cached_input``, ``output``, ``training``, ``hosting`` or ``gpu``) is multiplied by
``factor`` from month ``month`` of the horizon on, with probability
``probability``. Each draw decides whether it happens, from which month and
by how much; the point estimate keeps today's prices.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_serializer,
    field_validator,
    model_validator,
)

RANGE_KEYS = frozenset({"dist", "low", "likely", "high", "mean", "sd", "median", "sigma"})


class Domain(NamedTuple):
    """Where draws of one input must fall: whole numbers or not, and the legal interval.

    Draws outside it (a normal tail below zero, a hit rate above 100 %) are
    clipped to it, and the simulation counts how many were.
    """

    whole: bool = False
    low: float = 0.0
    high: float = math.inf


_SHARE = Domain(high=1.0)
_POSITIVE = Domain(low=1e-9)
# Every input that may be a range: a dotted path, ``*`` standing for a strategy's index.
RANGEABLE: dict[str, Domain] = {
    "horizon_months": Domain(True, 1, 120),
    "workload.requests_per_month": Domain(high=1e12),
    "workload.monthly_growth": Domain(low=-0.5, high=2.0),
    "strategies.*.tokens.prompt_tokens": Domain(),
    "strategies.*.tokens.cacheable_prefix_tokens": Domain(),
    "strategies.*.tokens.output_tokens": Domain(),
    "strategies.*.tokens.reasoning_tokens": Domain(),
    "strategies.*.cache.hit_rate": _SHARE,
    "strategies.*.batch_share": _SHARE,
    "strategies.*.failure.rate": Domain(high=0.99),
    "strategies.*.failure.review_usd": Domain(),
    "strategies.*.training.examples": Domain(True),
    "strategies.*.training.tokens_per_example": Domain(True),
    "strategies.*.training.epochs": Domain(True, 1),
    "strategies.*.training.runs": Domain(True, 1),
    "strategies.*.training.hours_per_run": Domain(),
    "strategies.*.training.retrain_every_months": Domain(True, 1),
    "strategies.*.training.data_prep_usd_per_example": Domain(),
    "strategies.*.training.eval_usd_per_run": Domain(),
    "strategies.*.gpu.tokens_per_second": _POSITIVE,
    "strategies.*.gpu.utilization": Domain(low=1e-9, high=1.0),
    "strategies.*.monthly_fixed_usd": Domain(),
    "strategies.*.price_multipliers.inference": _POSITIVE,
    "strategies.*.price_multipliers.training": _POSITIVE,
    "strategies.*.price_multipliers.hosting": _POSITIVE,
    "strategies.*.price_multipliers.gpu": _POSITIVE,
}

Dist = Literal["triangular", "pert", "uniform", "normal", "lognormal"]


class Spread(BaseModel):
    """One uncertain input: a named distribution and its parameters.

    >>> Spread(low=0.7, likely=0.9, high=0.95).point, Spread(low=2, high=4).point
    (0.9, 3.0)
    >>> Spread(dist="lognormal", median=1e6, sigma=0.4).kind
    'lognormal'
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    dist: Dist | None = None
    low: float | None = None
    likely: float | None = None
    high: float | None = None
    mean: float | None = None
    sd: float | None = None
    median: float | None = None
    sigma: float | None = None

    @property
    def kind(self) -> Dist:
        """The distribution: named, else triangular with a likely value, else uniform."""
        if self.dist is not None:
            return self.dist
        return "triangular" if self.likely is not None else "uniform"

    @model_validator(mode="after")
    def _parameters_fit(self) -> Spread:
        needs: dict[str, tuple[str, ...]] = {
            "triangular": ("low", "likely", "high"),
            "pert": ("low", "likely", "high"),
            "uniform": ("low", "high"),
            "normal": ("mean", "sd"),
            "lognormal": ("median", "sigma"),
        }
        wanted = needs[self.kind]
        given = {k for k in RANGE_KEYS - {"dist"} if getattr(self, k) is not None}
        missing = [k for k in wanted if k not in given]
        extra = sorted(given - set(wanted))
        if missing or extra:
            raise ValueError(
                f"a {self.kind} range takes {', '.join(wanted)}"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; not {', '.join(extra)}" if extra else "")
            )
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low:g}) is above high ({self.high:g})")
        if self.likely is not None and not self.low <= self.likely <= self.high:  # type: ignore[operator]
            raise ValueError(f"likely ({self.likely:g}) is outside low to high")
        if (self.sd or 0) < 0 or (self.sigma or 0) < 0:
            raise ValueError("a spread (sd, sigma) cannot be negative")
        if self.median is not None and self.median <= 0:
            raise ValueError("a lognormal median must be above 0")
        return self

    @property
    def point(self) -> float:
        """The value the point estimate uses."""
        kind = self.kind
        if kind in ("triangular", "pert"):
            return float(self.likely)  # type: ignore[arg-type]
        if kind == "uniform":
            return (float(self.low) + float(self.high)) / 2  # type: ignore[arg-type]
        if kind == "normal":
            return float(self.mean)  # type: ignore[arg-type]
        return float(self.median)  # type: ignore[arg-type]

    @property
    def ends(self) -> tuple[float, float] | None:
        """Low and high where the range has them (None for normal and lognormal)."""
        if self.low is None or self.high is None:
            return None
        return self.low, self.high

    @property
    def collapsed(self) -> bool:
        """True when the range is one number (ends that meet, or no spread)."""
        if self.ends is not None:
            return self.ends[0] == self.ends[1]
        return (self.sd if self.kind == "normal" else self.sigma) == 0

    def as_data(self) -> dict[str, Any]:
        """The range as the scenario file writes it."""
        return self.model_dump(exclude_none=True)


def is_range(value: object) -> bool:
    """A mapping made only of range keys (``low``, ``high``, ``dist`` …).

    >>> is_range({"low": 1, "high": 2}), is_range({"hit_rate": 0.9}), is_range(3)
    (True, False, False)
    """
    return isinstance(value, dict) and bool(value) and set(value) <= RANGE_KEYS


def template_of(path: str) -> str:
    """The :data:`RANGEABLE` template a concrete path matches.

    >>> template_of("strategies.1.cache.hit_rate")
    'strategies.*.cache.hit_rate'
    """
    return re.sub(r"^strategies\.\d+\.", "strategies.*.", path)


def rangeable_paths(data: dict[str, Any]) -> list[str]:
    """Every concrete rangeable path of a scenario's plain data."""
    count = len(data.get("strategies") or ()) if isinstance(data.get("strategies"), list) else 0
    paths = []
    for template in RANGEABLE:
        if template.startswith("strategies.*."):
            paths += [template.replace("*", str(i)) for i in range(count)]
        else:
            paths.append(template)
    return paths


def get_path(data: Any, path: str) -> Any:
    """The value at a dotted path of plain data, None where it is absent."""
    node = data
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set the value at a dotted path, creating mappings on the way."""
    parts = path.split(".")
    node: Any = data
    for part in parts[:-1]:
        if isinstance(node, list):
            node = node[int(part)]
        else:
            if not isinstance(node.get(part), dict | list):
                node[part] = {}
            node = node[part]
    node[parts[-1]] = value


def point_value(spread: Spread, path: str) -> float | int:
    """The range's central value, rounded for whole-number fields."""
    return as_field_value(spread.point, path)


def as_field_value(value: float, path: str) -> float | int:
    """A number as the field at ``path`` holds it: rounded half up for whole-number fields.

    >>> as_field_value(2.5, "horizon_months"), as_field_value(2.5, "workload.monthly_growth")
    (3, 2.5)
    """
    return math.floor(value + 0.5) if RANGEABLE[template_of(path)].whole else value


def recentred(spread: Spread, value: float) -> Spread:
    """The same range with its central value moved to ``value`` (a control was moved).

    Triangular and PERT ranges take ``value`` as their likely value, normal
    ones as their mean, lognormal ones as their median; a uniform range whose
    midpoint is no longer ``value`` becomes triangular around it. A value
    outside the range's ends is refused by the range's own check.

    >>> recentred(Spread(low=1, likely=2, high=5), 3).likely
    3.0
    >>> recentred(Spread(low=1, high=5), 3) == Spread(low=1, high=5)
    True
    >>> recentred(Spread(low=1, high=5), 4).kind
    'triangular'
    """
    if value == spread.point:
        return spread
    kind = spread.kind
    if kind in ("triangular", "pert", "uniform"):
        return Spread.model_validate({**spread.as_data(), "likely": value})
    field = "mean" if kind == "normal" else "median"
    return Spread.model_validate({**spread.as_data(), field: value})


# Prices only a fine-tuned strategy has.
FINE_TUNED_PRICES = frozenset({"training", "hosting", "gpu"})
Price = Literal["input", "cached_input", "output", "training", "hosting", "gpu"]


class PossiblePriceChange(BaseModel):
    """A provider may change one price of one strategy from some month on.

    ``factor`` multiplies the price in force (0.5 halves it) and ``month`` is
    the first month of the horizon that pays the new price (1 = the first);
    each may be a number or a range. ``probability`` is the chance that the
    change happens at all within the horizon.

    >>> c = PossiblePriceChange(strategy="Base", price="input",
    ...     factor={"low": 0.5, "high": 1.0}, month={"low": 4, "high": 9}, probability=0.3)
    >>> c.factor_spread.ends, c.month_spread.ends
    ((0.5, 1.0), (4.0, 9.0))
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    strategy: str
    price: Price
    factor: float | Spread
    month: int | Spread
    probability: Annotated[float, Field(ge=0, le=1)]

    @field_validator("factor", mode="before")
    @classmethod
    def _factor(cls, value: Any) -> float | Spread:
        spread = _number_or_range(value, "a price factor")
        if spread.ends is not None and spread.ends[0] <= 0:
            raise ValueError(f"a price factor must be above 0 (got {spread.ends[0]:g})")
        if spread.kind == "normal":
            raise ValueError("a normal range could draw a negative price: give low and high")
        return _plain_or_range(value, spread)

    @field_validator("month", mode="before")
    @classmethod
    def _month(cls, value: Any) -> int | Spread:
        spread = _number_or_range(value, "a month")
        if spread.ends is None:
            raise ValueError("a month takes a number or a range with low and high")
        low, high = spread.ends
        if any(end != int(end) or end < 1 for end in (low, high)):
            got = f"{low:g}" if low == high else f"{low:g} to {high:g}"
            raise ValueError(
                f"months are whole numbers from 1, the horizon's first month (got {got})"
            )
        return int(value) if not isinstance(value, dict) else spread

    @property
    def factor_spread(self) -> Spread:
        """The factor as a range (a number is a range whose ends meet)."""
        return _as_spread(self.factor)

    @property
    def month_spread(self) -> Spread:
        """The first month as a range (a number is a range whose ends meet)."""
        return _as_spread(self.month)

    @field_serializer("factor", "month")
    def _plain(self, value: float | Spread) -> Any:
        return value.as_data() if isinstance(value, Spread) else value


def _number_or_range(value: Any, what: str) -> Spread:
    """A plain number or a range as written, as a range; else one plain error."""
    if isinstance(value, Spread):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return Spread(low=value, high=value)
    if not is_range(value):
        raise ValueError(f"{what} is a number or a range such as {{low: 0.5, high: 1.0}}")
    try:
        return Spread.model_validate(value)
    except ValidationError as exc:
        problems = (str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        raise ValueError("; ".join(problems)) from None


def _plain_or_range(value: Any, spread: Spread) -> float | Spread:
    return float(value) if not isinstance(value, dict | Spread) else spread


def _as_spread(value: float | Spread) -> Spread:
    return value if isinstance(value, Spread) else Spread(low=value, high=value)

"""Closed intervals of real numbers: the arithmetic that carries a figure's wording into a claim.

A printed figure allows a range of values (``约13.6亿元`` is 13.55亿 to 13.65亿, ``20多家`` is 20
to 30; see ``quantities``). A statement derived from figures allows whatever the arithmetic
gives over those ranges, and nothing narrower: that is what :class:`Interval` computes.

* An open end is ``-inf`` or ``inf``; ``None`` (or NaN, as in the figures table) given for an end
  means the same. Ends are treated as closed, a safe superset of the printed wording.
* An exact figure is a point: ``point(4344)``.
* Division by an interval with zero at one end (``[0, 5]``) leaves out zero itself, which
  cannot be divided by, and gives a ray; with zero strictly inside (``[-1, 5]``) it gives the
  whole line, the hull of two rays; by exactly zero it raises ZeroDivisionError. Never a
  silently narrow answer.
* The empty interval (``Interval.empty()``) is what :func:`whole` gives when no whole number
  fits; arithmetic on it stays empty and it meets nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from . import quantities as q

INF = math.inf
REL_TOL = 1e-9  # float noise allowed when comparing ends (4344 / 463 * 463 is not 4344)


def _end(x: float | None, default: float) -> float:
    return default if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _times(a: float, b: float) -> float:
    return 0.0 if a == 0 or b == 0 else a * b  # an end of 0 times an open end stays 0


@dataclass(frozen=True)
class Interval:
    """The closed interval [low, high]; ends may be infinite (open)."""

    low: float
    high: float

    def __post_init__(self) -> None:
        lo, hi = _end(self.low, -INF) + 0.0, _end(self.high, INF) + 0.0  # -0.0 becomes 0.0
        if lo > hi and not (lo == INF and hi == -INF):
            raise ValueError(f"low {lo} is above high {hi}; expected low <= high")
        object.__setattr__(self, "low", lo)
        object.__setattr__(self, "high", hi)

    @classmethod
    def empty(cls) -> Interval:
        return cls(INF, -INF)

    @property
    def is_empty(self) -> bool:
        return self.low > self.high

    @property
    def is_point(self) -> bool:
        return self.low == self.high

    def __str__(self) -> str:
        return format_interval(self)

    # --- arithmetic ---------------------------------------------------------------------

    def __add__(self, other: Interval | float) -> Interval:
        o = as_interval(other)
        if self.is_empty or o.is_empty:
            return Interval.empty()
        return Interval(self.low + o.low, self.high + o.high)

    def __neg__(self) -> Interval:
        return self if self.is_empty else Interval(-self.high, -self.low)

    def __sub__(self, other: Interval | float) -> Interval:
        return self + -as_interval(other)

    def __mul__(self, other: Interval | float) -> Interval:
        o = as_interval(other)
        if self.is_empty or o.is_empty:
            return Interval.empty()
        ends = [_times(a, b) for a in (self.low, self.high) for b in (o.low, o.high)]
        return Interval(min(ends), max(ends))

    def reciprocal(self) -> Interval:
        """1 / self, by the division rule in the module docstring."""
        if self.is_empty:
            return self
        lo, hi = self.low, self.high
        if lo == 0 and hi == 0:
            raise ZeroDivisionError("division by an interval that is exactly zero")
        if lo > 0 or hi < 0:
            return Interval(1 / hi, 1 / lo)
        if lo == 0:
            return Interval(1 / hi, INF)
        if hi == 0:
            return Interval(-INF, 1 / lo)
        return Interval(-INF, INF)

    def __truediv__(self, other: Interval | float) -> Interval:
        o = as_interval(other)
        if self.is_empty or o.is_empty or o.low <= 0 <= o.high:
            return self * o.reciprocal()
        # quotients of the ends, so that exact figures divide exactly (4344 / 463 is one float);
        # inf / inf has no value, and the other ends already bound the result
        ends = [
            a / b
            for a in (self.low, self.high)
            for b in (o.low, o.high)
            if not (math.isinf(a) and math.isinf(b))
        ]
        return Interval(min(ends), max(ends))

    __radd__ = __add__
    __rmul__ = __mul__

    def __rsub__(self, other: float) -> Interval:
        return as_interval(other) - self

    def __rtruediv__(self, other: float) -> Interval:
        return as_interval(other) / self

    # --- comparison ---------------------------------------------------------------------

    def contains(self, x: float) -> bool:
        return not self.is_empty and q.contains(self.low, self.high, x, rel=REL_TOL)

    def meets(self, other: Interval) -> bool:
        """Whether the two share at least one value (ends compared with float tolerance)."""
        if self.is_empty or other.is_empty:
            return False
        return _le(self.low, other.high) and _le(other.low, self.high)

    def within(self, other: Interval) -> bool:
        """Whether every value of self lies in other."""
        if self.is_empty:
            return True
        return _le(other.low, self.low) and _le(self.high, other.high)

    def hull(self, other: Interval) -> Interval:
        if self.is_empty or other.is_empty:
            return other if self.is_empty else self
        return Interval(min(self.low, other.low), max(self.high, other.high))


def _six_digits(v: float) -> str:
    return f"{v:.6g}".replace("inf", "∞")


_WORDS = {  # format_interval's words, in English and in Chinese
    "en": {
        "any": "any value",
        "at_most": "at most ",
        "at_least": "at least ",
        "to": " to ",
        "space": " ",
    },
    "zh": {"any": "任意值", "at_most": "至多", "at_least": "至少", "to": "至", "space": ""},
}


def format_interval(
    x: Interval,
    end: Callable[[float], str] = _six_digits,
    *,
    words: bool = False,
    unit: str = "",
    collapse: bool = False,
    round_open: bool = False,
    empty: str = "∅",
    lang: str = "en",
) -> str:
    """An interval as text: the one formatter behind ``str(Interval)``, ``report.show`` and
    ``expr.describe``.

    ``end`` writes one end (default: 6 significant digits, ∞ for an open end). In brackets
    (default) both ends show, ``[1, 2]``; ``collapse`` writes a point as one end (when both
    ends are written alike), ``round_open`` puts a round bracket at an open end (``[20, ∞)``).
    ``words`` writes ``1 to 2 unit``, ``at least 1 unit``, ``at most 2 unit``, ``any value``,
    a point as one end; with ``lang="zh"`` ``1至2unit``, ``至少1unit``, ``至多2unit``, ``任意值``.
    ``empty`` is the text of the empty interval.
    """
    if x.is_empty:
        return empty
    lo, hi = x.low, x.high
    if words:
        w = _WORDS["zh" if lang == "zh" else "en"]
        u = f"{w['space']}{unit}" if unit else ""
        if lo == -INF and hi == INF:
            return w["any"]
        if lo == -INF:
            return f"{w['at_most']}{end(hi)}{u}"
        if hi == INF:
            return f"{w['at_least']}{end(lo)}{u}"
        if end(lo) == end(hi):
            return f"{end(lo)}{u}"
        return f"{end(lo)}{w['to']}{end(hi)}{u}"
    if collapse and end(lo) == end(hi):
        return end(lo)
    left = "(" if round_open and math.isinf(lo) else "["
    right = ")" if round_open and math.isinf(hi) else "]"
    return f"{left}{end(lo)}, {end(hi)}{right}"


def _le(a: float, b: float) -> bool:
    return a <= b or math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-12)


def as_interval(x: Interval | float) -> Interval:
    return x if isinstance(x, Interval) else point(x)


def point(x: float) -> Interval:
    """An exact value."""
    return Interval(x, x)


def from_figure(fig) -> Interval:
    """The interval a figure allows, from a ``figures.Figure``, a table row or a mapping."""
    if isinstance(fig, Mapping):
        return Interval(fig["low"], fig["high"])
    return Interval(fig.low, fig.high)


def whole(x: Interval) -> Interval:
    """The whole numbers in x, as the interval from the least to the greatest (empty if none)."""
    if x.is_empty:
        return x
    lo = x.low if math.isinf(x.low) else math.ceil(x.low - REL_TOL * max(1.0, abs(x.low)))
    hi = x.high if math.isinf(x.high) else math.floor(x.high + REL_TOL * max(1.0, abs(x.high)))
    return Interval(lo, hi) if lo <= hi else Interval.empty()


def whole_numbers(x: Interval) -> list[int]:
    """The whole numbers in x, each listed (a count must be one of them); [] if none fits.

    ValueError for an open end, which would hold endlessly many.
    """
    if not x.is_empty and (math.isinf(x.low) or math.isinf(x.high)):
        raise ValueError(f"interval {x} has an open end; expected two finite bounds")
    w = whole(x)
    return [] if w.is_empty else list(range(int(w.low), int(w.high) + 1))


def counts_for_share(share_pct: Interval, n: int) -> list[int]:
    """The whole counts k of ``n`` whose share 100·k/n lies in ``share_pct`` (percent)."""
    return whole_numbers(share_pct * (n / 100))


def remainder(total: Interval, *parts: Interval) -> Interval:
    """The whole number left of ``total`` after ``parts`` (people, firms): the whole numbers in
    total − sum(parts)."""
    rest = total
    for p in parts:
        rest = rest - p
    return whole(rest)


def ratio(a: Interval, b: Interval) -> Interval:
    """a / b, in times."""
    return a / b


def share(part: Interval, whole_: Interval) -> Interval:
    """part as a percentage of whole_ (0-100 numbers, like the figures table)."""
    return part / whole_ * 100


def growth_rate(start: Interval, end: Interval) -> Interval:
    """The change from start to end, in percent of start."""
    return (end / start - 1) * 100


def per_unit_growth(total_growth: Interval, volume_growth: Interval) -> Interval:
    """Growth of value per unit, in percent, from growth of the total value and of the volume
    (both in percent): (1 + total) / (1 + volume) − 1."""
    return ((1 + total_growth / 100) / (1 + volume_growth / 100) - 1) * 100


def compound_factor(rate_pct: Interval, years: int) -> Interval:
    """How many times a quantity grows in ``years`` at a mean annual rate within ``rate_pct``
    (percent): (1 + rate) ** years, the inverse of :func:`cagr`. An open upper end stays open.
    """
    base = 1 + as_interval(rate_pct) / 100
    if base.low < 0:
        raise ValueError(
            f"rate {rate_pct} can be below -100 percent; expected a rate a quantity can compound at"
        )
    return Interval(base.low**years, base.high**years)


def _root(r: float, y: float) -> float:
    if r == 0:
        return 0.0
    if r == INF:
        return 1.0 if y == INF else INF
    return r ** (1 / y)  # y == inf gives r ** 0 == 1


def cagr(start: Interval, end: Interval, years: Interval | float) -> Interval:
    """The compound annual rate, in percent, that takes start to end in ``years`` steps.

    (end / start) ** (1 / years) - 1 is monotone in each argument, so its range is found at
    the corners. A ratio that can be negative (a change of sign) has no compound rate:
    ValueError.
    """
    r, y = end / start, as_interval(years)
    if r.is_empty or y.is_empty:
        return Interval.empty()
    if r.low < 0:
        raise ValueError(f"end / start {r} can be negative; a compound rate needs a positive ratio")
    if y.low <= 0:
        raise ValueError(f"years {y} must be positive")
    ends = [_root(a, b) for a in (r.low, r.high) for b in (y.low, y.high)]
    return (Interval(min(ends), max(ends)) - 1) * 100

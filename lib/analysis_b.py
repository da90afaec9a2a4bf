"""Derived numbers for the little-giants and Ningxia-computing reports (notebooks 03, 04).

Every function works on intervals given as ``(low, high)`` tuples in base units, the way
``data/figures.csv`` stores them (``Figure.interval``); ``None`` is an open end (超过 has no upper
end, 不到 no lower one). Ends are treated as closed, the safe superset the codebook prescribes;
an exact figure is ``(x, x)``. All quantities here are positive, which keeps division simple.
Nothing here types a number from the page: the notebooks pass figures in.
"""

from __future__ import annotations

import math

import pandas as pd

Interval = tuple[float | None, float | None]


def _lo(a: Interval) -> float:
    return -math.inf if a[0] is None or math.isnan(a[0]) else float(a[0])


def _hi(a: Interval) -> float:
    return math.inf if a[1] is None or math.isnan(a[1]) else float(a[1])


def _out(lo: float, hi: float) -> Interval:
    if lo > hi:
        raise ValueError(f"interval ({lo}, {hi}) runs backwards; expected low <= high")
    return (None if math.isinf(lo) else lo), (None if math.isinf(hi) else hi)


def add(*terms: Interval) -> Interval:
    """The sum of intervals."""
    return _out(sum(_lo(t) for t in terms), sum(_hi(t) for t in terms))


def sub(a: Interval, b: Interval) -> Interval:
    """a − b: the lowest a minus the highest b, up to the highest a minus the lowest b."""
    return _out(_lo(a) - _hi(b), _hi(a) - _lo(b))


def div(a: Interval, b: Interval) -> Interval:
    """a ÷ b for positive intervals; an open upper end of ``b`` brings the quotient down to 0."""
    if _lo(a) < 0 or _lo(b) <= 0:
        raise ValueError(f"div expects a >= 0 and b > 0; got {a!r} and {b!r}")
    lo = _lo(a) / _hi(b) if not math.isinf(_hi(b)) else 0.0
    return _out(lo, _hi(a) / _lo(b))


def scale(a: Interval, k: float) -> Interval:
    """a × k for a positive constant k (unit changes: yuan → 亿元, ratio → percent)."""
    return _out(_lo(a) * k, _hi(a) * k)


def percent(part: Interval, whole: Interval) -> Interval:
    """part as a percentage of whole."""
    return scale(div(part, whole), 100)


def overlaps(a: Interval, b: Interval) -> bool:
    """True when the two intervals share a value: a derived number agrees with a printed one."""
    return max(_lo(a), _lo(b)) <= min(_hi(a), _hi(b))


def whole_numbers(a: Interval) -> list[int]:
    """The whole numbers inside a finite interval (a count of firms must be one of these)."""
    lo, hi = _lo(a), _hi(a)
    if math.isinf(lo) or math.isinf(hi):
        raise ValueError(f"interval {a!r} has an open end; expected two finite bounds")
    return list(range(math.ceil(lo - 1e-9), math.floor(hi + 1e-9) + 1))


def counts_for_share(share_pct: Interval, n: int) -> list[int]:
    """The whole firm counts k of ``n`` whose share 100·k/n lies in the printed share."""
    return whole_numbers(scale(share_pct, n / 100))


def compound_factor(rate_pct: Interval, years: int) -> Interval:
    """How many times a quantity grows in ``years`` at a mean annual rate within ``rate_pct``."""
    lo, hi = _lo(rate_pct), _hi(rate_pct)
    return _out((1 + lo / 100) ** years, math.inf if math.isinf(hi) else (1 + hi / 100) ** years)


def rounded(a: Interval, digits: int = 2) -> list[float | None]:
    """An interval as a two-item list rounded for display and JSON (``None`` for an open end)."""
    return [None if x is None else round(x, digits) for x in a]


def show(a: Interval, digits: int = 2) -> str:
    """An interval as text: ``[1.5, 2.5]``, ``(20, ∞)`` for an open upper end."""
    lo, hi = rounded(a, digits)
    left = "(−∞" if lo is None else f"[{lo:,.{digits}f}"
    right = "∞)" if hi is None else f"{hi:,.{digits}f}]"
    return f"{left}, {right}"


def figures_table(ids: list[str], lang: str, figures: pd.DataFrame) -> pd.DataFrame:
    """The figures ``ids`` as a display table: subject, printed value and unit, qualifier, the
    interval in base units and the quote, with headers in ``lang`` ("zh" or "en")."""
    rows = figures.set_index("id").loc[ids].reset_index()
    subject = "subject_zh" if lang == "zh" else "subject_en"
    out = pd.DataFrame({
        "id": rows["id"], "subject": rows[subject], "value": rows["value"] + " " + rows["unit"],
        "qualifier": rows["qualifier"],
        "interval": [show((lo, hi), 4 if unit in ("percent", "pp", "ratio") else 0)
                     for lo, hi, unit in zip(_nan_none(rows["low"]), _nan_none(rows["high"]),
                                             rows["base_unit"])],
        "base_unit": rows["base_unit"], "quote": rows["quote"]})
    if lang == "zh":
        out.columns = ["编号", "指标", "版面数值", "限定词", "区间", "基本单位", "原文"]
    return out


def _nan_none(col: pd.Series) -> list[float | None]:
    return [None if pd.isna(x) else float(x) for x in col]

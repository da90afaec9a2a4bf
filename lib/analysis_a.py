"""Derived numbers for the Shenzhen-migration and Chongqing-IC reports (notebooks 01, 02).

Built on :mod:`lib.intervals`: every quantity is an :class:`~lib.intervals.Interval` in base units
(count, percent, times, yuan), so a derived number allows whatever the printed wording allows and
nothing narrower. Nothing here types a number from the page: the notebooks pass figures in.
"""

from __future__ import annotations

import math

import pandas as pd

from .intervals import Interval, as_interval, cagr, point, ratio, share, whole

GROWTH_READINGS = ("to", "by")  # 增长N倍: grew to N times the start, or by N times (to N + 1)
YEAR_COUNTS = ("difference", "inclusive")  # 2017–2021: 4 steps, or 5 calendar years


def factor_from_multiple(multiple: Interval, reading: str) -> Interval:
    """The factor end / start that 增长N倍 states: ``"to"`` reads it as N times the start,
    ``"by"`` as N times more than the start, i.e. N + 1 times."""
    if reading not in GROWTH_READINGS:
        raise ValueError(f"reading {reading!r} is not one of {GROWTH_READINGS}")
    return multiple if reading == "to" else multiple + 1


def year_steps(first: int, last: int, count: str) -> int:
    """How many years lie between ``first`` and ``last``: ``"difference"`` counts the steps
    (2017 to 2021 is 4), ``"inclusive"`` counts the calendar years (2016 to 2020 is 5)."""
    if count not in YEAR_COUNTS:
        raise ValueError(f"count {count!r} is not one of {YEAR_COUNTS}")
    if last <= first:
        raise ValueError(f"last year {last} must come after first year {first}")
    return last - first + (1 if count == "inclusive" else 0)


def growth_check(start: Interval, end: Interval, multiple: Interval, reading: str,
                 years: int) -> dict[str, Interval | bool]:
    """The page's 增长N倍 against its own counts, under one reading.

    ``computed``: end / start; ``printed``: the factor the wording states under ``reading``;
    ``agrees``: whether the two share a value; ``cagr_computed`` and ``cagr_printed``: the
    compound annual rates, in percent, over ``years`` steps.
    """
    computed = ratio(end, start)
    printed = factor_from_multiple(multiple, reading)
    return {"computed": computed, "printed": printed, "agrees": computed.meets(printed),
            "cagr_computed": cagr(start, end, years),
            "cagr_printed": cagr(point(1), printed, years)}


def change_percent(start: Interval, end: Interval) -> Interval:
    """The change from start to end, in percent of start (negative for a fall)."""
    return (end / start - 1) * 100


def shares_need_different_bases(part_share: Interval, whole_share: Interval) -> bool:
    """Whether a region's share exceeds, for every value its wording allows, the share of a
    region containing it: out of one denominator that is impossible, so the bases differ."""
    return part_share.low > whole_share.high


def share_of_share(share_in_group: Interval, group_share: Interval) -> Interval:
    """A share of a subgroup (``其中 … 占比``, percent) as a share of everyone, in percent."""
    return share_in_group * group_share / 100


def per_unit_growth(total_growth: Interval, volume_growth: Interval) -> Interval:
    """Growth of value per unit, in percent, from growth of the total value and of the volume
    (both in percent): (1 + total) / (1 + volume) − 1."""
    return ((1 + total_growth / 100) / (1 + volume_growth / 100) - 1) * 100


def annual_volume(per_month: Interval, months: float) -> Interval:
    """A monthly volume kept up for ``months`` months."""
    return per_month * months


def remainder(total: Interval, *parts: Interval) -> Interval:
    """The whole number left of ``total`` after ``parts`` (people, firms): the whole numbers in
    total − sum(parts)."""
    rest = total
    for p in parts:
        rest = rest - p
    return whole(rest)


def percent_of(part: Interval, whole_: Interval) -> Interval:
    """part as a percentage of whole_."""
    return share(part, whole_)


def mid(x: Interval) -> float:
    """The midpoint of a bounded interval, for marking a computed value on a chart."""
    if math.isinf(x.low) or math.isinf(x.high):
        raise ValueError(f"interval {x} has an open end; it has no midpoint")
    return (x.low + x.high) / 2


def show(x: Interval | float, digits: int = 2) -> str:
    """An interval for display, rounded: ``[9.38, 9.38]`` shows as ``9.38``, open ends as ∞."""
    x = as_interval(x)
    if x.is_empty:
        return "∅"

    def f(v: float) -> str:
        if math.isinf(v):
            return "∞" if v > 0 else "−∞"
        return f"{v:,.{digits}f}"

    if f(x.low) == f(x.high):
        return f(x.low)
    return f"[{f(x.low)}, {f(x.high)}]"


def rounded(x: Interval, digits: int = 4) -> list[float | None]:
    """[low, high] rounded for a results JSON; an open end is None."""
    return [None if math.isinf(v) else round(v, digits) for v in (x.low, x.high)]


def figures_table(ids: list[str], lang: str, figures: pd.DataFrame) -> pd.DataFrame:
    """The figures ``ids`` as a display table: subject, printed value and unit, qualifier, the
    interval in base units and the quote, with headers in ``lang`` ("zh" or "en")."""
    rows = figures.set_index("id").loc[ids].reset_index()
    subject = "subject_zh" if lang == "zh" else "subject_en"
    intervals = [show(Interval(lo, hi), 2 if unit in ("percent", "times") else 0)
                 for lo, hi, unit in zip(rows["low"], rows["high"], rows["base_unit"])]
    out = pd.DataFrame({
        "id": rows["id"], "subject": rows[subject], "value": rows["value"] + " " + rows["unit"],
        "qualifier": rows["qualifier"], "interval": intervals, "base_unit": rows["base_unit"],
        "quote": rows["quote"]})
    if lang == "zh":
        out.columns = ["编号", "指标", "版面数值", "限定词", "区间", "基本单位", "原文"]
    return out

"""The page's wording read each way it allows, for the report notebooks (01, 06).

增长N倍 can mean grew *to* N times or *by* N times; "2016 to 2020" can be 4 year steps or 5
calendar years; a share printed under 其中 can be of a subgroup or of everyone; a line's mean span
can be over its towers or over the gaps between them. Each function takes the reading as an
argument, so a notebook can show every reading side by side. Quantities are
:class:`~lib.intervals.Interval` in base units (count, percent, times, km); nothing here types a
number from the page: the notebooks pass figures in.
"""

from __future__ import annotations

from .intervals import Interval, cagr, point, ratio

GROWTH_READINGS = ("to", "by")  # 增长N倍: grew to N times the start, or by N times (to N + 1)
YEAR_COUNTS = ("difference", "inclusive")  # 2017–2021: 4 steps, or 5 calendar years
SPAN_READINGS = ("towers", "gaps")  # a line's length over its towers, or over towers − 1


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


def shares_need_different_bases(part_share: Interval, whole_share: Interval) -> bool:
    """Whether a region's share exceeds, for every value its wording allows, the share of a
    region containing it: out of one denominator that is impossible, so the bases differ."""
    return part_share.low > whole_share.high


def share_of_share(share_in_group: Interval, group_share: Interval) -> Interval:
    """A share of a subgroup (``其中 … 占比``, percent) as a share of everyone, in percent."""
    return share_in_group * group_share / 100


def span_length_m(length_km: Interval, towers: int, reading: str = "towers") -> Interval:
    """Average span in metres: the line's length over the towers (``"towers"``) or over the
    gaps between them, towers − 1 (``"gaps"``)."""
    if reading not in SPAN_READINGS:
        raise ValueError(f"reading {reading!r}; expected one of {SPAN_READINGS}")
    n = towers if reading == "towers" else towers - 1
    if n <= 0:
        raise ValueError(f"{n} spans; expected at least one")
    return length_km * (1000 / n)

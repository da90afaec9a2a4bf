"""Derived numbers for the maths-competition report and the briefs and captions (notebooks 05, 06).

Every function works on intervals given as ``(low, high)`` tuples of floats in base units, the
way ``data/figures.csv`` stores them (``Figure.interval``). Ends are treated as closed, the safe
superset the codebook prescribes; an exact figure is ``(x, x)``. Nothing here types a number from
the page: the notebooks pass figures in.
"""

from __future__ import annotations

import math
from itertools import product

import pandas as pd

Interval = tuple[float, float]
SPAN_READINGS = ("towers", "gaps")


def _check(a: Interval) -> Interval:
    lo, hi = a
    if lo is None or hi is None or math.isnan(lo) or math.isnan(hi):
        raise ValueError(f"interval {a!r} has an open end; expected two finite bounds")
    if lo > hi:
        raise ValueError(f"interval {a!r} runs backwards; expected low <= high")
    return float(lo), float(hi)


def point(x: float) -> Interval:
    """The interval of an exact number: ``(x, x)``."""
    return float(x), float(x)


def add(a: Interval, b: Interval) -> Interval:
    """a + b."""
    (a0, a1), (b0, b1) = _check(a), _check(b)
    return a0 + b0, a1 + b1


def sub(a: Interval, b: Interval) -> Interval:
    """a − b: the lowest a minus the highest b, up to the highest a minus the lowest b."""
    (a0, a1), (b0, b1) = _check(a), _check(b)
    return a0 - b1, a1 - b0


def mul(a: Interval, b: Interval) -> Interval:
    """a × b (any signs)."""
    (a0, a1), (b0, b1) = _check(a), _check(b)
    ends = [a0 * b0, a0 * b1, a1 * b0, a1 * b1]
    return min(ends), max(ends)


def div(a: Interval, b: Interval) -> Interval:
    """a ÷ b; ``b`` must not contain zero."""
    (b0, b1) = _check(b)
    if b0 <= 0 <= b1:
        raise ValueError(f"cannot divide by {b!r}: it contains zero")
    return mul(a, (1 / b1, 1 / b0))


def scale(a: Interval, k: float) -> Interval:
    """a × k for an exact number k."""
    return mul(a, point(k))


def share(part: Interval, whole: Interval) -> Interval:
    """part as a percentage of whole."""
    return scale(div(part, whole), 100)


def rate_per(count: Interval, base: Interval, per: float = 10_000) -> Interval:
    """count per ``per`` of base (e.g. winners per 10,000 entrants)."""
    return scale(div(count, base), per)


def whole_numbers(a: Interval) -> list[int]:
    """The whole numbers inside a (both ends included)."""
    lo, hi = _check(a)
    return list(range(math.ceil(lo), math.floor(hi) + 1))


def round_interval(a: Interval, digits: int = 2) -> list[float]:
    """a rounded for display or JSON, as a list ``[low, high]``."""
    lo, hi = _check(a)
    return [round(lo, digits), round(hi, digits)]


# --- maths competition ---------------------------------------------------------------------


def prize_tier_counts(pool_yuan: Interval, usd_cny: float, winners: int, gold: int,
                      prizes_usd: dict[str, float]) -> pd.DataFrame:
    """Every split of the winners into prize tiers whose total prize money fits the pool.

    ``prizes_usd`` maps the tiers, highest first, to the prize per person in US dollars; the
    first tier is the gold one and has exactly ``gold`` winners; the other ``winners - gold``
    are shared among the remaining tiers (each may be empty). The pool is in yuan and is
    converted at ``usd_cny`` yuan per dollar; the ends of the pool count as inside.

    Columns: one per tier (count of winners), ``total_usd``, ``total_yuan``. Sorted by the
    tier counts, highest tier first.
    """
    tiers = list(prizes_usd)
    if gold > winners:
        raise ValueError(f"gold {gold} exceeds winners {winners}")
    lo_usd, hi_usd = scale(pool_yuan, 1 / usd_cny)
    rest = winners - gold
    gold_usd = gold * prizes_usd[tiers[0]]
    others = tiers[1:]
    rows = []
    for counts in product(range(rest + 1), repeat=len(others) - 1):
        last = rest - sum(counts)
        if last < 0:
            continue
        split = dict(zip(others, [*counts, last]))
        total = gold_usd + sum(n * prizes_usd[t] for t, n in split.items())
        if lo_usd - 1e-6 <= total <= hi_usd + 1e-6:
            rows.append({tiers[0]: gold, **split, "total_usd": total,
                         "total_yuan": total * usd_cny})
    df = pd.DataFrame(rows, columns=[*tiers, "total_usd", "total_yuan"])
    for t in tiers:
        df[t] = df[t].astype("int64")
    return df.sort_values(tiers, ascending=False, ignore_index=True)


def tier_ranges(splits: pd.DataFrame, tiers: list[str]) -> pd.DataFrame:
    """The fewest and most winners each tier can have across the feasible splits.

    Columns: ``tier``, ``min``, ``max``.
    """
    return pd.DataFrame({"tier": tiers,
                         "min": [int(splits[t].min()) for t in tiers],
                         "max": [int(splits[t].max()) for t in tiers]})


# --- transmission line -----------------------------------------------------------------------


def span_length_m(length_km: Interval, towers: int, reading: str = "towers") -> Interval:
    """Average span in metres: the line's length over the towers (``"towers"``) or over the
    gaps between them, towers − 1 (``"gaps"``)."""
    if reading not in SPAN_READINGS:
        raise ValueError(f"reading {reading!r}; expected one of {SPAN_READINGS}")
    n = towers if reading == "towers" else towers - 1
    if n <= 0:
        raise ValueError(f"{n} spans; expected at least one")
    return scale(length_km, 1000 / n)

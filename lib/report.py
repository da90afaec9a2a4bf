"""What the report notebooks (01–06) share: figures as display tables, intervals as text and JSON.

The arithmetic is :mod:`lib.intervals`; this module only presents its results. Nothing here
types a number from the page: the notebooks pass figures in.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from .intervals import Interval, as_interval, format_interval

NOTATIONS = ("compact", "interval")
HEADERS_ZH = ["编号", "指标", "版面数值", "限定词", "区间", "基本单位", "原文"]


def show(x: Interval | float, digits: int = 2, notation: str = "compact") -> str:
    """An interval for display, each end rounded to ``digits`` places with thousands separators.

    ``"compact"``: a point shows as one number (``[9.38, 9.38]`` as ``9.38``), an open end as
    ∞ inside square brackets (``[20, ∞]``), the empty interval as ``∅``. ``"interval"``: always
    both ends, an open end with a round bracket (``[20, ∞)``, ``(−∞, 1.20]``).
    """
    if notation not in NOTATIONS:
        raise ValueError(f"notation {notation!r} is not one of {NOTATIONS}")

    def f(v: float) -> str:
        if math.isinf(v):
            return "∞" if v > 0 else "−∞"
        return f"{v:,.{digits}f}"

    return format_interval(
        as_interval(x), f, collapse=notation == "compact", round_open=notation == "interval"
    )


def between(x: Interval | float, digits: int = 2, lang: str = "en") -> str:
    """An interval in a sentence, each end rounded to ``digits`` places with thousands
    separators: ``13.10 to 13.12`` (``13.10至13.12`` in Chinese), one number when both ends
    round alike, ``at least 20`` for an open end."""
    return format_interval(as_interval(x), lambda v: f"{v:,.{digits}f}", words=True, lang=lang)


def rounded(x: Interval | float, digits: int = 4) -> list[float | None]:
    """[low, high] rounded for a results JSON; an open end is None."""
    x = as_interval(x)
    return [None if math.isinf(v) else round(v, digits) for v in (x.low, x.high)]


def mid(x: Interval) -> float:
    """The midpoint of a bounded interval, for marking a computed value on a chart."""
    if math.isinf(x.low) or math.isinf(x.high):
        raise ValueError(f"interval {x} has an open end; it has no midpoint")
    return (x.low + x.high) / 2


def figures_table(
    ids: list[str],
    lang: str,
    figures: pd.DataFrame,
    digits: Mapping[str, int] | None = None,
    notation: str = "compact",
) -> pd.DataFrame:
    """The figures ``ids`` as a display table: subject, printed value and unit, qualifier, the
    interval in base units and the quote, with headers in ``lang`` ("zh" or "en").

    ``digits`` maps a base unit to the decimal places its interval shows (default: 2 for
    percent and times; any unit not named shows whole numbers); ``notation`` as in :func:`show`.
    """
    digits = {"percent": 2, "times": 2} if digits is None else digits
    rows = figures.set_index("id").loc[ids].reset_index()
    subject = "subject_zh" if lang == "zh" else "subject_en"
    intervals = [
        show(Interval(lo, hi), digits.get(unit, 0), notation)
        for lo, hi, unit in zip(rows["low"], rows["high"], rows["base_unit"])
    ]
    out = pd.DataFrame(
        {
            "id": rows["id"],
            "subject": rows[subject],
            "value": rows["value"] + " " + rows["unit"],
            "qualifier": rows["qualifier"],
            "interval": intervals,
            "base_unit": rows["base_unit"],
            "quote": rows["quote"],
        }
    )
    if lang == "zh":
        out.columns = HEADERS_ZH
    return out


def figures_by_prefix(prefix: str, lang: str, figures: pd.DataFrame) -> pd.DataFrame:
    """The figures whose id starts with ``prefix``: printed value, wording, interval and quote,
    as the table stores them (``low``/``high`` in base units, NaN for an open end)."""
    rows = figures[figures["id"].str.startswith(prefix)]
    subject = "subject_zh" if lang == "zh" else "subject_en"
    out = rows[["id", subject, "value", "unit", "qualifier", "low", "high", "base_unit", "quote"]]
    return out.rename(columns={subject: "指标" if lang == "zh" else "subject"}).reset_index(
        drop=True
    )


def print_findings(findings: list[str]) -> None:
    """Print a notebook's "What we found": one numbered paragraph per finding.

    Each finding is a sentence or two built in the notebook from its computed results, in the
    run's language, so the prose cannot drift from the numbers (nbval compares the printout).
    The same list goes into the results JSON as ``findings``; its first item is the one the
    batch's index shows.
    """
    if not findings:
        raise ValueError("no findings; expected at least one sentence")
    print("\n\n".join(f"{k}. {text}" for k, text in enumerate(findings, 1)))

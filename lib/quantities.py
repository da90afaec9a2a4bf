"""Units, multipliers, numerals and qualifiers: the one rule set that turns wording into intervals.

Everything that decides what values a printed figure allows lives here; the curated table
(``figures.py``), the extractor and the claims audit all call these functions.

The rules, in words (``data/README.md`` repeats them for readers):

* A printed number is rounded at its printed precision. ``13.6`` allows 13.55 to 13.65, ``13``
  (percentage points) allows 12.5 to 13.5. A whole number of things, yuan or dollars printed
  without decimals is exact, multiplier or not: prizes (``4万美元``), band edges (``5000万元至1亿元``),
  totals (``2710亿元``) and counts (``4344家``, ``72万架``) are stated amounts; a decimal
  (``64.97万亿元``) is rounded at its last digit.
* ``approx`` (约, 左右): half a unit of the last *significant* digit either side (``约4900`` is
  4850 to 4950, ``约80%`` is 75% to 85%, ``约13.6`` is 13.55 to 13.65).
* ``over`` (余, 多 after the number): above the number, below the next step of its last
  significant digit (``20多家`` is 20 to 30, ``130余名`` is 130 to 140, ``5.3万余`` is 5.3万 to 5.4万).
* ``more_than`` (超过, 超, 逾, 高于): above the number, no upper end.
* ``at_least`` (以上, 达…以上, 不少于): the number or more, no upper end.
* ``near`` (近, 将近, 接近): below the number, by at most a tenth (``近10倍`` is 9 to 10). The tenth
  is this project's convention, chosen so that ``近`` excludes a value half the size; an analysis
  that needs another reading can pass its own bound.
* ``less_than`` (不到, 不足, 小于, 尚未占到): below the number, no lower end.
* ``at_most`` (小于等于, 不超过, 以下): the number or less, no lower end.
* ``irregular`` (二三十, 几十, 一半 …): the bounds are stored explicitly in the table.

Bounds are given as numbers; whether an end is open or closed follows from the qualifier
(``QUALIFIERS[q].low_open`` / ``high_open``). Interval arithmetic treats them as closed, which is
a safe superset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# --- units --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    name: str
    base_unit: str
    discrete: bool  # whole things (or whole yuan, dollars): a full printed integer is exact


KINDS = {
    "money_cny": Kind("money_cny", "yuan", True),
    "money_usd": Kind("money_usd", "usd", True),
    "count": Kind("count", "count", True),
    "percent": Kind("percent", "percent", False),
    "points": Kind("points", "pp", False),
    "multiple": Kind("multiple", "times", False),
    "distance": Kind("distance", "km", False),
    "size": Kind("size", "inch", True),
    "voltage": Kind("voltage", "kV", True),
    "duration": Kind("duration", "year", True),
    "age": Kind("age", "year", False),
    "rank": Kind("rank", "rank", True),
    "ratio": Kind("ratio", "ratio", False),
    "fx_rate": Kind("fx_rate", "cny_per_usd", False),
}

# base unit as printed -> kind. Counters are the measure words the page uses.
BASE_UNITS: dict[str, str] = {
    "元": "money_cny",
    "美元": "money_usd",
    "%": "percent",
    "个百分点": "points",
    "倍": "multiple",
    "千米": "distance",
    "英寸": "size",
    "千伏": "voltage",
    "年": "duration",
    "岁": "age",
    "名次": "rank",
    "比值": "ratio",
    "元/美元": "fx_rate",
}
COUNTERS = ("家", "个", "名", "座", "架", "片", "份", "届", "位", "人", "所", "套", "台", "项",
            "地")
for _c in COUNTERS:
    BASE_UNITS[_c] = "count"

MULTIPLIERS = {"万亿": 10**12, "亿": 10**8, "万": 10**4}
MULTIPLIABLE = {"money_cny", "money_usd", "count"}


@dataclass(frozen=True)
class Unit:
    printed: str  # e.g. 亿元
    base: str  # e.g. 元
    factor: int  # e.g. 10**8
    kind: Kind

    @property
    def base_unit(self) -> str:
        return self.kind.base_unit


def known_units() -> list[str]:
    """The printed units accepted, without multiplier prefixes."""
    return list(BASE_UNITS)


def parse_unit(printed: str) -> Unit:
    """Parse a printed unit such as 亿元, 万片, %, 个百分点. ValueError if unknown."""
    if printed in BASE_UNITS:
        return Unit(printed, printed, 1, KINDS[BASE_UNITS[printed]])
    for prefix, factor in MULTIPLIERS.items():  # longest prefix first: 万亿 before 亿 and 万
        if printed.startswith(prefix):
            base = printed[len(prefix):]
            kind = BASE_UNITS.get(base)
            if kind in MULTIPLIABLE:
                return Unit(printed, base, factor, KINDS[kind])
    shown = ", ".join(list(BASE_UNITS)[:14])
    raise ValueError(f"'{printed}' is not a known unit (known: {shown}, …; money and counts may "
                     f"carry 万, 亿 or 万亿, as in 亿元, 万片)")


# --- numbers ------------------------------------------------------------------------------

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_LARGE = {"万": 10**4, "亿": 10**8}
FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
ARABIC = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


def _cn_section(s: str) -> int:
    total, digit = 0, None
    for ch in s:
        if ch in CN_DIGITS:
            if digit is not None and CN_DIGITS[ch] != 0 and digit != 0:
                raise ValueError(s)  # 二三十: two digits in a row is a range, not a number
            digit = CN_DIGITS[ch]
        elif ch in CN_SMALL:
            total += (1 if digit is None else digit) * CN_SMALL[ch]
            digit = None
        else:
            raise ValueError(ch)
    return total + (digit or 0)


def parse_chinese(s: str) -> int:
    """Value of a Chinese numeral: 四 → 4, 十三 → 13, 二十 → 20, 百 → 100, 一万二千 → 12000."""
    if not s or any(ch not in CN_DIGITS and ch not in CN_SMALL and ch not in CN_LARGE for ch in s):
        raise ValueError(f"'{s}' is not a Chinese numeral")
    total, rest = 0, s
    for ch, mult in sorted(CN_LARGE.items(), key=lambda kv: -kv[1]):
        if ch in rest:
            head, rest = rest.split(ch, 1)
            total += (_cn_section(head) if head else 1) * mult
    return total + _cn_section(rest)


def parse_number(printed: str) -> float:
    """The value of a printed number: Arabic (half- or full-width, with , separators) or Chinese.

    Irregular wordings (二三十, 几十, 一半) have no single value: ValueError.
    """
    s = printed.strip().translate(FULLWIDTH)
    if ARABIC.match(s):
        return float(s.replace(",", ""))
    try:
        return float(parse_chinese(s))
    except ValueError:
        raise ValueError(f"'{printed}' is not a number (expected Arabic digits such as 13.6 or "
                         f"4,344, or a Chinese numeral such as 四 or 二十)") from None


def precision(printed: str) -> tuple[Decimal, Decimal]:
    """(last printed digit's unit, last significant digit's unit) of a printed number.

    ``13.6`` → (0.1, 0.1); ``4900`` → (1, 100); ``80`` → (1, 10); ``四`` → (1, 1); ``百`` → (1, 100).
    """
    s = printed.strip().translate(FULLWIDTH).replace(",", "").lstrip("+-")
    if ARABIC.match(s):
        if "." in s:
            decimals = len(s.split(".")[1])
            last = Decimal(1).scaleb(-decimals)
            return last, last
        stripped = s.rstrip("0")
        zeros = len(s) - len(stripped) if stripped else 0
        return Decimal(1), Decimal(1).scaleb(zeros)
    value = parse_chinese(s)
    sig = Decimal(1)
    while value and value % (sig * 10) == 0:
        sig *= 10
    return Decimal(1), sig


# --- qualifiers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Qualifier:
    name: str
    markers: tuple[str, ...]  # the wordings that carry it
    meaning: str
    low_open: bool = False  # the low end is excluded (or absent)
    high_open: bool = False


QUALIFIERS = {q.name: q for q in [
    Qualifier("exact", ("",), "as printed, rounded at its printed precision"),
    Qualifier("approx", ("约", "左右", "大约", "约为", "约占"),
              "about: ± half a unit of the last significant digit"),
    Qualifier("over", ("余", "多"), "a little more: above it, below its next significant step",
              low_open=True, high_open=True),
    Qualifier("more_than", ("超过", "超", "逾", "高于"), "more than: above it, no upper end",
              low_open=True, high_open=True),
    Qualifier("at_least", ("以上", "不少于", "不低于"), "at least: it or more, no upper end",
              high_open=True),
    Qualifier("near", ("近", "将近", "接近"), "nearly: below it by at most a tenth",
              high_open=True),
    Qualifier("less_than", ("不到", "不足", "小于", "尚未占到"), "less than: below it, no lower end",
              low_open=True, high_open=True),
    Qualifier("at_most", ("小于等于", "不超过", "以下"), "at most: it or less, no lower end",
              low_open=True),
    Qualifier("irregular", (), "irregular wording; the bounds are stored explicitly"),
]}

NEAR_FRACTION = Decimal("0.1")


def interval(printed: str, qualifier: str, unit: str | Unit) -> tuple[float | None, float | None]:
    """The (low, high) a printed figure's wording allows, in base units; None for an open end.

    >>> interval("13.6", "approx", "亿元")
    (1355000000.0, 1365000000.0)
    >>> interval("20", "over", "家")
    (20.0, 30.0)
    """
    u = unit if isinstance(unit, Unit) else parse_unit(unit)
    if qualifier not in QUALIFIERS or qualifier == "irregular":
        raise ValueError(f"'{qualifier}' has no interval rule (rules: "
                         f"{', '.join(q for q in QUALIFIERS if q != 'irregular')}); "
                         f"irregular figures store their bounds")
    v = Decimal(str(parse_number(printed)))
    last, sig = precision(printed)
    f = Decimal(u.factor)
    if qualifier == "exact":
        if u.kind.discrete and last == 1 and v == v.to_integral_value():
            lo = hi = v
        else:
            lo, hi = v - last / 2, v + last / 2
    elif qualifier == "approx":
        lo, hi = v - sig / 2, v + sig / 2
    elif qualifier == "over":
        lo, hi = v, v + sig
    elif qualifier in ("more_than", "at_least"):
        lo, hi = v, None
    elif qualifier == "near":
        lo, hi = v * (1 - NEAR_FRACTION), v
    else:  # less_than, at_most
        lo, hi = None, v
    return (None if lo is None else float(lo * f), None if hi is None else float(hi * f))


def base_value(printed: str, unit: str | Unit) -> float:
    """The printed value in the unit's base unit (``13.6`` 亿元 → 1.36e9 yuan)."""
    u = unit if isinstance(unit, Unit) else parse_unit(unit)
    return float(Decimal(str(parse_number(printed))) * u.factor)


def contains(low: float | None, high: float | None, x: float, rel: float = 1e-9) -> bool:
    """Whether x lies in the closed interval [low, high] (None is an open end)."""
    tol = rel * max(1.0, abs(x))
    return (low is None or x >= low - tol) and (high is None or x <= high + tol)

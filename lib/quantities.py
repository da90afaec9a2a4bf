"""Units, multipliers, numerals and qualifiers: the one rule set that turns wording into intervals.

Everything that decides what values a printed figure allows lives here; the curated table
(``figures.py``), the extractor and the claims audit all call these functions.

The rules, in words (``data/README.md`` repeats them for readers):

* A printed number is rounded at its printed precision. ``13.6`` allows 13.55 to 13.65, ``13``
  (percentage points) allows 12.5 to 13.5. A whole number of things, yuan or dollars printed
  without decimals is exact, multiplier or not: prizes (``4万美元``), band edges
  (``5000万元至1亿元``),
  totals (``2710亿元``) and counts (``4344家``, ``72万架``) are stated amounts; a decimal
  (``64.97万亿元``) is rounded at its last digit.
* ``approx`` (约, 左右): half a unit of the last *significant* digit either side (``约4900`` is
  4850 to 4950, ``约80%`` is 75% to 85%, ``约13.6`` is 13.55 to 13.65).
* ``over`` (余, 多 after the number): above the number, below the next step of its last
  significant digit (``20多家`` is 20 to 30, ``130余名`` is 130 to 140, ``5.3万余`` is 5.3万
  to 5.4万).
* ``more_than`` (超过, 超, 逾, 高于, 大于, 多于; 过 after a measure's name; 比…大/多/高/长/重;
  之上 after the number): above the number, no upper end.
* ``at_least`` (以上, 达…以上, 不少于, 不小于, 大于等于, 至少): the number or more, no upper end.
* ``near`` (近, 将近, 接近): below the number, by at most a tenth (``近10倍`` is 9 to 10). The tenth
  is this project's convention, chosen so that ``近`` excludes a value half the size; an analysis
  that needs another reading can pass its own bound.
* ``less_than`` (不到, 不足, 小于, 低于, 少于, 尚未占到; 比…小/少/低/短/轻; 之下 after the
  number): below the number, no lower end.
* ``equals`` (等于): as printed, like ``exact``; a number with no unit is that number.
* ``at_most`` (小于等于, 不超过, 不大于, 以下, 至多, 最多): the number or less, no lower end.
* ``irregular`` (二三十, 几十, 一半 …): the bounds are stored explicitly in the table; for vague
  words ``vague_interval`` gives them (``VAGUE_WORDS``): 一半 and 半数 are 45 to 55 percent (our
  convention, like the tenth of 近: a word a reader takes loosely), 过半 is above 50 and at most
  100, 几十/数十 20 to 99, 十几 11 to 19, 二三十 20 to 39, 几百/数百 200 to 999, 上百/上千/上万 that
  number or more with no upper end.

Numerals: ``parse_chinese`` reads every well-formed Chinese numeral exactly (mixed 万/亿 groups,
零, 两, abbreviated tails such as 两千四百五, 点 decimals, financial capitals, Arabic digits in
digit places) and refuses anything else with the reason. Units: ``UNITS`` is the one table of
printed units (money in many currencies, shares, mass, length, area, volume, energy, power,
counters, ages), each with its kind and its size in the kind's base unit.

Bounds are given as numbers; whether an end is open or closed follows from the qualifier
(``QUALIFIERS[q].low_open`` / ``high_open``). Interval arithmetic treats them as closed, which is
a safe superset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

# --- units --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    name: str
    base_unit: str
    discrete: bool  # whole things (or whole yuan, dollars): a full printed integer is exact
    multipliable: bool = False  # may carry 万, 亿 or 万亿 (亿元, 万吨, 万千瓦时)


def _money(name: str, base: str) -> Kind:
    return Kind(name, base, True, True)


KINDS = {
    k.name: k
    for k in [
        _money("money_cny", "yuan"),
        _money("money_usd", "usd"),
        _money("money_hkd", "hkd"),
        _money("money_mop", "mop"),
        _money("money_twd", "twd"),
        _money("money_jpy", "jpy"),
        _money("money_eur", "eur"),
        _money("money_gbp", "gbp"),
        _money("money_krw", "krw"),
        _money("money_chf", "chf"),
        _money("money_aud", "aud"),
        _money("money_cad", "cad"),
        _money("money_sgd", "sgd"),
        _money("money_rub", "rub"),
        _money("money_inr", "inr"),
        _money("money_ngn", "ngn"),
        Kind("count", "count", True, True),
        Kind("percent", "percent", False),
        Kind("points", "pp", False),
        Kind("multiple", "times", False),
        Kind("distance", "km", False, True),
        Kind("size", "inch", True),
        Kind("voltage", "kV", True),
        Kind("duration", "year", True),
        Kind("age", "year", False),
        Kind("rank", "rank", True),
        Kind("ratio", "ratio", False),
        Kind("fx_rate", "cny_per_usd", False),
        Kind("mass", "kg", False, True),
        Kind("area", "m2", False, True),
        Kind("area_mu", "mu", False, True),  # 亩 is 2000/3 m²: kept in its own unit, exactly
        Kind("volume", "m3", False, True),
        Kind("energy", "kWh", False, True),
        Kind("power", "kW", False, True),
        Kind("data", "byte", False, True),
        Kind("frequency", "Hz", False, True),
        Kind("heat", "kcal", False, True),
    ]
}

# The units table: printed unit -> (kind, size in the kind's base unit). The extractor matches
# these longest first, so that 台币 is never the counter 台, 千瓦时 never 千瓦, 平方公里 never 公里.
# Counters are the measure words of whole things.
UNITS: dict[str, tuple[str, Decimal]] = {
    "元": ("money_cny", Decimal(1)),
    "美元": ("money_usd", Decimal(1)),
    "%": ("percent", Decimal(1)),
    "个百分点": ("points", Decimal(1)),
    "倍": ("multiple", Decimal(1)),
    "千米": ("distance", Decimal(1)),
    "英寸": ("size", Decimal(1)),
    "千伏": ("voltage", Decimal(1)),
    "年": ("duration", Decimal(1)),
    "岁": ("age", Decimal(1)),
    "名次": ("rank", Decimal(1)),
    "比值": ("ratio", Decimal(1)),
    "元/美元": ("fx_rate", Decimal(1)),
    # money beyond the page
    "元人民币": ("money_cny", Decimal(1)),
    "人民币": ("money_cny", Decimal(1)),
    "美金": ("money_usd", Decimal(1)),
    "美圆": ("money_usd", Decimal(1)),
    "港元": ("money_hkd", Decimal(1)),
    "港币": ("money_hkd", Decimal(1)),
    "澳门元": ("money_mop", Decimal(1)),
    "澳门币": ("money_mop", Decimal(1)),
    "新台币": ("money_twd", Decimal(1)),
    "台币": ("money_twd", Decimal(1)),
    "日元": ("money_jpy", Decimal(1)),
    "欧元": ("money_eur", Decimal(1)),
    "英镑": ("money_gbp", Decimal(1)),
    "韩元": ("money_krw", Decimal(1)),
    "瑞士法郎": ("money_chf", Decimal(1)),
    "澳元": ("money_aud", Decimal(1)),
    "加元": ("money_cad", Decimal(1)),
    "新加坡元": ("money_sgd", Decimal(1)),
    "卢布": ("money_rub", Decimal(1)),
    "卢比": ("money_inr", Decimal(1)),
    "奈拉": ("money_ngn", Decimal(1)),
    # shares: per mille, per ten thousand (千分之, 万分之) and tenths (两成, 七成五)
    "‰": ("percent", Decimal("0.1")),
    "‱": ("percent", Decimal("0.01")),
    "成": ("percent", Decimal(10)),
    # mass, in kg
    "克": ("mass", Decimal("0.001")),
    "千克": ("mass", Decimal(1)),
    "公斤": ("mass", Decimal(1)),
    "吨": ("mass", Decimal(1000)),
    "公吨": ("mass", Decimal(1000)),
    "斤": ("mass", Decimal("0.5")),
    "毫克": ("mass", Decimal("0.000001")),
    "微克": ("mass", Decimal("0.000000001")),
    # length, in km
    "公里": ("distance", Decimal(1)),
    "米": ("distance", Decimal("0.001")),
    "厘米": ("distance", Decimal("0.00001")),
    "公分": ("distance", Decimal("0.00001")),
    "毫米": ("distance", Decimal("0.000001")),
    "海里": ("distance", Decimal("1.852")),
    "英里": ("distance", Decimal("1.609344")),
    # area, in m² (亩 on its own)
    "平方米": ("area", Decimal(1)),
    "平方公里": ("area", Decimal(1000000)),
    "平方千米": ("area", Decimal(1000000)),
    "公顷": ("area", Decimal(10000)),
    "亩": ("area_mu", Decimal(1)),
    # volume, in m³
    "立方米": ("volume", Decimal(1)),
    "升": ("volume", Decimal("0.001")),
    "毫升": ("volume", Decimal("0.000001")),
    # energy in kWh (度 is a kWh of electricity), power in kW
    "千瓦时": ("energy", Decimal(1)),
    "度": ("energy", Decimal(1)),
    "兆瓦时": ("energy", Decimal(1000)),
    "瓦时": ("energy", Decimal("0.001")),
    "千瓦": ("power", Decimal(1)),
    "兆瓦": ("power", Decimal(1000)),
    "吉瓦": ("power", Decimal(1000000)),
    "瓦": ("power", Decimal("0.001")),
    "周岁": ("age", Decimal(1)),
    # Latin symbols as Chinese text prints them after a number (168cm); never followed by a letter
    "cm": ("distance", Decimal("0.00001")),
    "mm": ("distance", Decimal("0.000001")),
    "m": ("distance", Decimal("0.001")),
    "kg": ("mass", Decimal(1)),
    "m²": ("area", Decimal(1)),
    "km²": ("area", Decimal(10**6)),
    "m³": ("volume", Decimal(1)),
    # data (decimal prefixes, as storage is sold), frequency, food energy
    "比特": ("data", Decimal("0.125")),
    "字节": ("data", Decimal(1)),
    "千字节": ("data", Decimal(1000)),
    "兆字节": ("data", Decimal(10**6)),
    "吉字节": ("data", Decimal(10**9)),
    "赫兹": ("frequency", Decimal(1)),
    "千赫兹": ("frequency", Decimal(1000)),
    "兆赫兹": ("frequency", Decimal(10**6)),
    "吉赫兹": ("frequency", Decimal(10**9)),
    "千卡": ("heat", Decimal(1)),
    "大卡": ("heat", Decimal(1)),
    # discounts: 七五折 pays 75% of the price; the extractor reads one digit as tenths (九折 is 90%)
    "折": ("percent", Decimal(10)),
}
COUNTERS = (
    "家",
    "个",
    "名",
    "座",
    "架",
    "片",
    "份",
    "届",
    "位",
    "人",
    "所",
    "套",
    "台",
    "项",
    "地",
    "只",
    "次",
    "辆",
    "户",
    "艘",
    "人次",
    "张",
    "件",
    "条",
    "栋",
    "株",
    "头",
    "部",
    "款",
    "篇",
    "场",
    "颗",
    "枚",
    "批",
)  # not 间: 20与30间 is "between"
for _c in COUNTERS:
    UNITS[_c] = ("count", Decimal(1))
# A unit's characters followed by these are another word, not the unit: 两成本 is not 两成 本,
# 3升级 not 3 升. The extractor reads a unit only when the next character is not listed here.
NOT_A_UNIT_BEFORE = {
    "折": "合旧扣算叠射腾返损价现",
    "m": "A-Za-z0-9²³",
    "cm": "A-Za-z0-9²³",
    "mm": "A-Za-z",
    "kg": "A-Za-z",
    "成": "不本为立功果员都交长熟型效绩就品分材年人像套倍",
    "升": "级至到值高",
    "米": "粮饭面",
    "次": "序",
    "部": "分门署长委",
    "批": "准复",
    "场": "景馆所合",
    "条": "件例款",
    "件": "事",
    "款": "项",
    "只": "是有要能",
    "户": "籍口",
    "张": "家",
    "头": "部等",
    "度": "假",
    "克": "服隆",
    "台": "湾州阶",
}
BASE_UNITS: dict[str, str] = {printed: kind for printed, (kind, _) in UNITS.items()}
PRINTED_UNITS = sorted(UNITS, key=len, reverse=True)  # longest first: 台币 before 台

MULTIPLIERS = {"万亿": 10**12, "万万": 10**8, "亿": 10**8, "万": 10**4}
MULTIPLIABLE = {name for name, k in KINDS.items() if k.multipliable}


@dataclass(frozen=True)
class Unit:
    printed: str  # e.g. 亿元
    base: str  # e.g. 元
    factor: int  # the multiplier, e.g. 10**8
    kind: Kind
    size: Decimal = Decimal(1)  # one printed base unit in the kind's base unit (米: 0.001 km)

    @property
    def base_unit(self) -> str:
        return self.kind.base_unit

    @property
    def scale(self) -> Decimal:
        """One printed unit in the base unit: multiplier × size (亿元: 10**8 yuan)."""
        return self.factor * self.size


def known_units() -> list[str]:
    """The printed units accepted, without multiplier prefixes."""
    return list(UNITS)


@lru_cache(maxsize=4096)  # pure: news repeats its numerals and units
def parse_unit(printed: str) -> Unit:
    """Parse a printed unit such as 亿元, 万片, %, 个百分点, 万吨. ValueError if unknown."""
    if printed in UNITS:
        kind, size = UNITS[printed]
        return Unit(printed, printed, 1, KINDS[kind], size)
    for prefix, factor in MULTIPLIERS.items():  # longest prefix first: 万亿 before 亿 and 万
        if printed.startswith(prefix):
            base = printed[len(prefix) :]
            kind, size = UNITS.get(base, ("", Decimal(1)))
            if kind in MULTIPLIABLE:
                return Unit(printed, base, factor, KINDS[kind], size)
    shown = ", ".join(list(UNITS)[:14])
    raise ValueError(
        f"'{printed}' is not a known unit (known: {shown}, …; money, counts and "
        f"measures may carry 万, 亿 or 万亿, as in 亿元, 万片)"
    )


# --- numbers ------------------------------------------------------------------------------

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_LARGE = {"万": 10**4, "亿": 10**8}
# Financial capitals (壹贰叁 … 拾佰仟) and the traditional forms of numeral characters, read as
# the everyday ones. A capital on its own is not read as a numeral by the extractor: 陆地, 队伍,
# 收拾 and 放肆 are words.
CAPITALS = {
    "壹": "一",
    "贰": "二",
    "貳": "二",
    "叁": "三",
    "參": "三",
    "肆": "四",
    "伍": "五",
    "陆": "六",
    "陸": "六",
    "柒": "七",
    "捌": "八",
    "玖": "九",
    "拾": "十",
    "佰": "百",
    "仟": "千",
    "萬": "万",
    "億": "亿",
    "兩": "两",
    "倆": "两",
    "點": "点",
    "負": "负",
    "幾": "几",
}
CANON = str.maketrans(
    {
        **CAPITALS,
        "０": "0",
        "１": "1",
        "２": "2",
        "３": "3",
        "４": "4",
        "５": "5",
        "６": "6",
        "７": "7",
        "８": "8",
        "９": "9",
        "．": ".",
        "，": ",",
        "−": "-",
        "－": "-",
        "／": "/",
        " ": None,
        "\u3000": None,
    }
)
FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
ARABIC = re.compile(r"^[+-]?((\d{1,3}(,\d{3})+|\d+)(\.\d+)?|\.\d+)$")
_NUMERAL_PART = re.compile(r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]")
_DECIMALS = re.compile(r"([零〇一二三四五六七八九]+)(万亿|万万|亿|万)?")
_ARABIC_MAGNITUDE = re.compile(r"(\d+(?:\.\d+)?)(万亿|万万|亿|万)?")
_SUFFIX = {"": 1, "万": 10**4, "亿": 10**8, "万万": 10**8, "万亿": 10**12}


def _bad(printed: str, why: str) -> ValueError:
    return ValueError(f"'{printed}' is not a well-formed numeral: {why}")


def _integer(s: str, printed: str) -> int:
    """An integer written with Chinese numerals, Arabic digits in digit places allowed.

    Groups of 万 and 亿 in any order the language allows (三亿五千万, 一万五千亿, 四万万), 零 for
    skipped places, 两, a leading 十/百/千 without a digit (十五, 百亿), and the abbreviated tail
    of speech and print (两千四百五 is 2450, 三万五 is 35000). ValueError for anything else,
    e.g. 二三十 (a range), 二〇二二 (digits read out one by one), 十十, 五万三亿.
    """
    if s in ("零", "〇"):
        return 0
    tokens = _NUMERAL_PART.findall(s)
    if "".join(tokens) != s:
        raise _bad(printed, "a character that is not part of a numeral")
    reader = _NumeralReader(printed)
    for k, tok in enumerate(tokens):
        if tok[0].isdigit() or CN_DIGITS.get(tok):
            reader.digit(tok)
        elif tok in "零〇":
            reader.zero(last=k == len(tokens) - 1)
        elif tok in CN_SMALL:
            reader.small(tok)
        else:  # 万, 亿
            reader.large(tok, tokens[k:])
    return reader.finish()


class _NumeralReader:
    """The state of ``_integer`` as it reads a numeral's tokens left to right: one method per
    kind of token, each raising ValueError (naming ``printed``) where the token cannot stand."""

    def __init__(self, printed: str) -> None:
        self.printed = printed
        self.parts: list[tuple[int, int]] = []  # (value, magnitude) of the finished 万/亿 groups
        self.section = 0  # the value of the group being read
        self.last_small: int | None = None  # the group's last 十/百/千
        self.pending: int | None = None  # a digit not placed yet
        self.arabic = 0  # the pending digit's length if it was written in Arabic digits
        self.before = ""  # the kind of token before the pending digit
        self.prev = ""  # the kind of the previous token: digit, zero, small, large

    def digit(self, tok: str) -> None:
        if self.pending is not None:
            raise _bad(
                self.printed,
                "two digits in a row (a range such as 二三十, or digits read out one by one)",
            )
        if "." in tok:
            raise _bad(self.printed, "a decimal inside a Chinese numeral")
        self.pending = int(tok) if tok[0].isdigit() else CN_DIGITS[tok]
        self.before = self.prev
        self.arabic = len(tok) if tok[0].isdigit() else 0
        self.prev = "digit"

    def zero(self, last: bool) -> None:
        if self.prev not in ("small", "large") or last:
            raise _bad(self.printed, "零 must stand between a place and what follows it")
        self.prev = "zero"

    def small(self, tok: str) -> None:
        u = CN_SMALL[tok]
        if self.pending is None and self.prev not in ("", "zero"):
            raise _bad(self.printed, f"{tok} without a digit")
        if self.arabic > 1 or (self.last_small is not None and u >= self.last_small):
            raise _bad(self.printed, f"{tok} out of place")
        self.section += (1 if self.pending is None else self.pending) * u
        self.pending, self.arabic, self.last_small, self.prev = None, 0, u, "small"

    def _tens_digit(self) -> bool:
        """Whether the pending digit completes its group as units: first in the group, after a
        零, or after a 十 written in Chinese (十五, 二十五)."""
        return self.before in ("", "zero") or (
            self.before == "small" and self.last_small == 10 and not self.arabic
        )

    def large(self, tok: str, rest: list[str]) -> None:
        """A 万 or 亿; ``rest`` is this token and the tokens after it."""
        big = CN_LARGE[tok]
        parts = self.parts
        if self.pending is None and self.section == 0:
            if self.prev == "large":  # 万亿, 万万: the last group is multiplied again
                v, m = parts.pop()
                if parts and parts[-1][1] <= m * big:
                    raise _bad(self.printed, "magnitudes out of order")
                parts.append((v * big, m * big))
                return
            if self.prev != "" or any(t not in CN_LARGE for t in rest):
                raise _bad(self.printed, f"{tok} without a digit")  # 万一 is "in case"
            self.pending = 1  # a leading 万 or 亿 is one of it (万亿级)
        elif self.pending is not None and not (
            self._tens_digit() or self.before == "large" and big < parts[-1][1]
        ):  # 五亿一万, not 五万三亿
            raise _bad(self.printed, f"a digit before {tok} whose place is unclear")
        value = self.section + (self.pending or 0)
        low = sum(v for v, m in parts if m < big)
        mag = big * max([m for _, m in parts if m < big], default=1)
        self.parts = [(v, m) for v, m in parts if m >= big]
        if self.parts and self.parts[-1][1] <= mag:
            raise _bad(self.printed, "magnitudes out of order")
        self.parts.append(((low + value) * big, mag))
        self.section, self.last_small, self.pending, self.arabic = 0, None, None, 0
        self.prev = "large"

    def finish(self) -> int:
        """The numeral's value, its trailing digit placed (两千四百五, 三万五, 3万4000)."""
        pending, before, arabic = self.pending, self.before, self.arabic
        if pending is not None:
            if self._tens_digit():
                self.section += pending
            elif before == "small" and not arabic:
                self.section += pending * self.last_small // 10  # 两千四百五: the next place
            elif before == "large" and not arabic:
                self.section += pending * self.parts[-1][1] // 10  # 三万五: 5 of the next place
            elif before == "large" and arabic == len(str(self.parts[-1][1])) - 1:
                self.section += pending  # 3万4000
            else:
                raise _bad(self.printed, "a trailing number whose place is unclear")
        return sum(v for v, _ in self.parts) + self.section


@lru_cache(maxsize=4096)
def parse_chinese(s: str) -> Decimal:
    """Value of a Chinese numeral, exactly: 四 → 4, 十三 → 13, 一千零十 → 1010, 三亿五千万 →
    350000000, 十五点七 → 15.7, 十五点七亿 → 1570000000, 负三十二 → -32, 肆佰陆拾 → 460.

    Arabic digits may stand in digit places (3万4000, 5千6百, 1.5万). ValueError, naming the
    numeral and the reason, for anything not well formed (二三十, 二〇二二, 十十, 兆).
    """
    t = s.translate(CANON)
    sign = -1 if t[:1] in ("负", "-") else 1
    t = t[1:] if sign < 0 or t[:1] == "+" else t
    if not t:
        raise _bad(s, "no digits")
    whole, point, tail = t.partition("点")
    if point:
        m = _DECIMALS.fullmatch(tail)
        if not m or not whole:
            raise _bad(s, "点 must have digits on both sides")
        if m.group(2) and any(ch in CN_LARGE for ch in whole):
            raise _bad(s, "a multiplier on both sides of 点")
        digits = "".join(str(CN_DIGITS[ch]) for ch in m.group(1))
        value = Decimal(_integer(whole, s)) + Decimal("0." + digits)
        return sign * value * _SUFFIX[m.group(2) or ""]
    m = _ARABIC_MAGNITUDE.fullmatch(
        t.replace(",", "") if ARABIC.match(t.split("万")[0].split("亿")[0]) else t
    )
    if m:
        return sign * Decimal(m.group(1)) * _SUFFIX[m.group(2) or ""]
    return sign * Decimal(_integer(t, s))


def parse_fraction(printed: str) -> Decimal:
    """Value of a fraction, exactly: 三分之一 → 1/3, 16分之5, 3/5, 三百五又三分之一 (a whole and a
    fraction: 350⅓), 负一又二分之一 → -1.5. ValueError for a zero denominator or a bad part."""
    t = printed.translate(CANON)
    sign = -1 if t[:1] in ("负", "-") else 1
    t = t.lstrip("负-")
    whole, _, part = t.rpartition("又") if "又" in t else ("", "", t)
    den, num = part.split("分之") if "分之" in part else part.split("/")[::-1]
    d = parse_chinese(den)
    if not d:
        raise ValueError(f"'{printed}' is not a fraction: its denominator is zero")
    return sign * ((parse_chinese(whole) if whole else 0) + parse_chinese(num) / d)


@lru_cache(maxsize=4096)
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
        raise ValueError(
            f"'{printed}' is not a number (expected Arabic digits such as 13.6 or "
            f"4,344, or a Chinese numeral such as 四 or 二十)"
        ) from None


@lru_cache(maxsize=4096)
def precision(printed: str) -> tuple[Decimal, Decimal]:
    """(last printed digit's unit, last significant digit's unit) of a printed number.

    ``13.6`` → (0.1, 0.1); ``4900`` → (1, 100); ``80`` → (1, 10); ``四`` → (1, 1);
    ``百`` → (1, 100);
    ``十五点七`` → (0.1, 0.1).
    """
    s = printed.strip().translate(CANON).replace(",", "").lstrip("+-负")
    if ARABIC.match(s):
        if "." in s:
            decimals = len(s.split(".")[1])
            last = Decimal(1).scaleb(-decimals)
            return last, last
        stripped = s.rstrip("0")
        zeros = len(s) - len(stripped) if stripped else 0
        return Decimal(1), Decimal(1).scaleb(zeros)
    if "点" in s:
        decimals = len(_DECIMALS.fullmatch(s.partition("点")[2]).group(1))
        last = Decimal(1).scaleb(-decimals)
        return last, last
    value = abs(parse_chinese(s))
    sig = Decimal(1)
    while value and value % (sig * 10) == 0:
        sig *= 10
    return Decimal(1), sig


# --- vague quantity words -----------------------------------------------------------------


@dataclass(frozen=True)
class Vague:
    word: str
    low: float
    high: float
    low_open: bool
    high_open: bool
    unit: str  # "%" for shares of a whole, "" for counts (in units of the word: 几十 is 20 to 99)
    meaning: str


INF = float("inf")
VAGUE_WORDS: dict[str, Vague] = {
    v.word: v
    for v in [
        Vague(
            "一半",
            45,
            55,
            False,
            False,
            "%",
            "half, as a word a reader takes loosely: 45 to 55 percent (our convention, like the "
            "tenth of 近: exactly 50 would make 一半 of an odd number impossible)",
        ),
        Vague("半数", 45, 55, False, False, "%", "the same as 一半"),
        Vague("过半", 50, 100, True, False, "%", "more than half: above 50, at most 100 percent"),
        Vague("过半数", 50, 100, True, False, "%", "the same as 过半"),
        Vague("半百", 50, 50, False, False, "", "half a hundred: 50 (年过半百 is over 50)"),
        Vague("几十", 20, 99, False, False, "", "several tens: 20 to 99"),
        Vague("数十", 20, 99, False, False, "", "the same as 几十"),
        Vague("十几", 11, 19, False, False, "", "ten-odd: 11 to 19"),
        Vague("几百", 200, 999, False, False, "", "several hundred: 200 to 999"),
        Vague("数百", 200, 999, False, False, "", "the same as 几百"),
        Vague("几千", 2000, 9999, False, False, "", "several thousand: 2000 to 9999"),
        Vague("数千", 2000, 9999, False, False, "", "the same as 几千"),
        Vague("几万", 20000, 99999, False, False, "", "several ten thousands: 20000 to 99999"),
        Vague("数万", 20000, 99999, False, False, "", "the same as 几万"),
        Vague("几亿", 2 * 10**8, 10**9 - 1, False, False, "", "several hundred million"),
        Vague("数亿", 2 * 10**8, 10**9 - 1, False, False, "", "the same as 几亿"),
        Vague("上百", 100, INF, False, True, "", "upwards of a hundred: 100 or more, no upper end"),
        Vague("上千", 1000, INF, False, True, "", "upwards of a thousand: 1000 or more"),
        Vague("上万", 10000, INF, False, True, "", "upwards of ten thousand: 10000 or more"),
        Vague("上亿", 10**8, INF, False, True, "", "upwards of a hundred million"),
        Vague(
            "近百",
            90,
            100,
            False,
            True,
            "",
            "nearly a hundred: the rule of 近, below 100 by at most a tenth",
        ),
        Vague("近千", 900, 1000, False, True, "", "nearly a thousand, by the rule of 近"),
        Vague("二三十", 20, 39, False, False, "", "twenty or thirty odd: 20 to 39"),
    ]
}
_NEIGHBOURS = re.compile(r"([一二两三四五六七八九])([二两三四五六七八九])([十百千万]?)")
_TENS_ODD = re.compile(r"([二三四五六七八九])十几")


def vague_interval(word: str) -> tuple[float, float, bool, bool]:
    """(low, high, low_open, high_open) of a vague quantity word; high is inf for no upper end.

    Shares (一半, 半数, 过半) are in percent; counts are in units of the word (几十 is 20 to 99,
    so 几十万 is 20 to 99 times 10**4). Besides the table ``VAGUE_WORDS``, two neighbouring digits
    give a span (七八 is 7 to 8, 三四百 is 300 to 499, like 二三十: the second number and its
    odd units) and X十几 is X1 to X9 (二十几 is 21 to 29). ValueError for any other word.

    >>> vague_interval("上百")
    (100.0, inf, False, True)
    """
    if word in VAGUE_WORDS:
        v = VAGUE_WORDS[word]
        return float(v.low), float(v.high), v.low_open, v.high_open
    m = _NEIGHBOURS.fullmatch(word)
    if m and (CN_DIGITS[m.group(2)] == CN_DIGITS[m.group(1)] + 1 or m.group(1, 2) == ("三", "五")):
        place = {"": 1, **CN_SMALL, **CN_LARGE}[m.group(3)]
        high = (CN_DIGITS[m.group(2)] + 1) * place - 1 if place > 1 else CN_DIGITS[m.group(2)]
        return float(CN_DIGITS[m.group(1)] * place), float(high), False, False
    m = _TENS_ODD.fullmatch(word)
    if m:
        tens = CN_DIGITS[m.group(1)] * 10
        return float(tens + 1), float(tens + 9), False, False
    raise ValueError(
        f"'{word}' is not a known vague quantity word (known: "
        f"{', '.join(VAGUE_WORDS)}; or two neighbouring digits such as 七八 or "
        f"三四百, or X十几 such as 二十几)"
    )


# --- qualifiers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Qualifier:
    name: str
    markers: tuple[str, ...]  # the wordings that carry it
    meaning: str
    low_open: bool = False  # the low end is excluded (or absent)
    high_open: bool = False


QUALIFIERS = {
    q.name: q
    for q in [
        Qualifier("exact", ("",), "as printed, rounded at its printed precision"),
        Qualifier(
            "equals",
            ("等于",),
            "stated equal: as printed, like exact; a number with no unit "
            "is that number (x等于170 is [170, 170])",
        ),
        Qualifier(
            "approx",
            ("约", "左右", "大约", "约为", "约占"),
            "about: ± half a unit of the last significant digit",
        ),
        Qualifier(
            "over",
            ("余", "多"),
            "a little more: above it, below its next significant step",
            low_open=True,
            high_open=True,
        ),
        Qualifier(
            "more_than",
            (
                "超过",
                "超",
                "逾",
                "高于",
                "大于",
                "多于",
                "超过了",
                ">",
                "＞",
                "过",
                "之上",
                "比…大",
                "比…多",
                "比…高",
                "比…长",
                "比…重",
            ),
            "more than: above it, no upper end",
            low_open=True,
            high_open=True,
        ),
        Qualifier(
            "at_least",
            (
                "以上",
                "不少于",
                "不低于",
                "不小于",
                "大于等于",
                "大于或等于",
                "大于或者等于",
                "至少",
                "至少有",
                "至少是",
                "最少",
                "≥",
                ">=",
                "＞＝",
                "> =",
            ),
            "at least: it or more, no upper end",
            high_open=True,
        ),
        Qualifier(
            "near", ("近", "将近", "接近"), "nearly: below it by at most a tenth", high_open=True
        ),
        Qualifier(
            "less_than",
            (
                "不到",
                "不足",
                "小于",
                "尚未占到",
                "低于",
                "少于",
                "<",
                "＜",
                "之下",
                "比…小",
                "比…少",
                "比…低",
                "比…短",
                "比…轻",
            ),
            "less than: below it, no lower end",
            low_open=True,
            high_open=True,
        ),
        Qualifier(
            "at_most",
            (
                "小于等于",
                "小于或等于",
                "小于或者等于",
                "不超过",
                "以下",
                "不大于",
                "至多",
                "最多",
                "最多为",
                "≤",
                "<=",
                "＜＝",
                "< =",
            ),
            "at most: it or less, no lower end",
            low_open=True,
        ),
        Qualifier("irregular", (), "irregular wording; the bounds are stored explicitly"),
    ]
}

NEAR_FRACTION = Decimal("0.1")
# Qualifiers whose bounds need no printed precision: a number without a unit still gets them
# (x大于10, x等于170).
STATED_BOUNDS = ("more_than", "at_least", "less_than", "at_most", "equals")
# 比X大 / 比X低: the comparative frame. 比 right before the number (a space allowed), one of these
# characters right after it (or after its unit); the marker is "比…" and the character. Not after
# these characters, whose 比 is another word (对比, 相比, 同比, 环比, 占比, 评比 …), and only
# when the character ends the phrase (followed by one of COMPARATIVE_ENDS or a clause break):
# 比3家大银行 is not read.
COMPARATIVE_NOT_AFTER = "对相类评排无好正反占环同"
COMPARATIVE_ENDS = ("一些", "一点", "些", "点", "得多", "很多", "了", "的")
# A marker that is a qualifier only after one of these characters: 过 after a measure's name
# (占比过20, 人数过万, 增速过5%), never the 过 of 经过, 通过, 度过 (经过3年 is not "over 3 years").
MARKER_ONLY_AFTER = {"过": "比率重额量数值速价温龄"}


@lru_cache(maxsize=4096)
def interval(printed: str, qualifier: str, unit: str | Unit) -> tuple[float | None, float | None]:
    """The (low, high) a printed figure's wording allows, in base units; None for an open end.

    >>> interval("13.6", "approx", "亿元")
    (1355000000.0, 1365000000.0)
    >>> interval("20", "over", "家")
    (20.0, 30.0)
    """
    u = unit if isinstance(unit, Unit) else parse_unit(unit)
    if qualifier not in QUALIFIERS or qualifier == "irregular":
        raise ValueError(
            f"'{qualifier}' has no interval rule (rules: "
            f"{', '.join(q for q in QUALIFIERS if q != 'irregular')}); "
            f"irregular figures store their bounds"
        )
    v = Decimal(str(parse_number(printed)))
    last, sig = precision(printed)
    f = u.scale
    if qualifier in ("exact", "equals"):
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


def stated_interval(value: Decimal, qualifier: str) -> tuple[float | None, float | None]:
    """The (low, high) of a value stated exactly rather than rounded (a fraction: 三分之一), by the
    same qualifier rules; None for an open end. ``approx`` and ``over`` need a printed precision
    that a fraction does not have: ValueError."""
    if qualifier in ("exact", "equals"):
        lo, hi = value, value
    elif qualifier in ("more_than", "at_least"):
        lo, hi = value, None
    elif qualifier in ("less_than", "at_most"):
        lo, hi = None, value
    elif qualifier == "near":
        lo, hi = value * (1 - NEAR_FRACTION), value
    else:
        raise ValueError(
            f"'{qualifier}' has no rule for a value stated exactly, such as a "
            f"fraction (rules: exact, more_than, at_least, less_than, at_most, near)"
        )
    return (None if lo is None else float(lo), None if hi is None else float(hi))


@lru_cache(maxsize=4096)
def base_value(printed: str, unit: str | Unit) -> float:
    """The printed value in the unit's base unit (``13.6`` 亿元 → 1.36e9 yuan)."""
    u = unit if isinstance(unit, Unit) else parse_unit(unit)
    return float(Decimal(str(parse_number(printed))) * u.scale)


def contains(low: float | None, high: float | None, x: float, rel: float = 1e-9) -> bool:
    """Whether x lies in the closed interval [low, high] (None is an open end)."""
    tol = rel * max(1.0, abs(x))
    return (low is None or x >= low - tol) and (high is None or x <= high + tol)

"""Find every quantity in Chinese news text and propose it as a mention, with its interval.

``extract(text)`` reads raw text (PDF line breaks and all), normalises it with
``page.normalise`` and returns one row per mention. The wording → interval rules are not here:
units, multipliers, numerals and qualifiers are parsed and bounded by ``quantities`` (the same
code the curated table uses); this module only finds the words and decides which go together.

What it reads:

* Arabic numbers (``13.6``, ``4,344``, full-width ``１２``, ``.5``, a sign in ``增长-3.2%`` or
  ``负3.9%``) and Chinese numerals, every well-formed one (``quantities.parse_chinese``:
  ``三亿五千万``, ``一千零十``, ``两千四百五``, ``十五点七``, financial capitals ``壹佰伍拾``,
  traditional ``萬``/``億``, Arabic digits inside ``3亿5000万`` and ``8千``), with a multiplier
  (万, 亿, 万亿, 万万) and a unit from the table ``quantities.UNITS``, matched longest first
  (元, 美元, 台币 before the counter 台, 亩, 公顷, 千瓦时, 吨, %, 个百分点, 倍, 千米, a counter
  such as
  家, 辆 or 人次 …): ``1.2亿元``, ``5306亿台币``, ``二十万人``, ``千万元`` (numeral 千, unit 万元),
  ``超过百亿级`` (百, 亿元, more_than). 千 of ``一百千瓦`` belongs to the unit.
* Shares: ``百分之三十五`` and ``百分之22`` (unit %), ``千分之一`` (‰), ``万分之三`` (‱),
  fractions ``三分之一``, ``16分之5``, ``1/3`` and ``三百五又三分之一`` (unit 比值, stated exactly),
  tenths ``两成``, ``七成五`` (unit 成), discounts ``九折``, ``七五折`` (unit 折), and a half after
  a measure: ``一吨半`` is 1.5 吨 (never after a counter: ``3家半导体``).
* Ranges and lists: ``10亿-30亿元`` and ``3至4元`` are two mentions; a number printed without
  a unit takes the unit of the next one (``10亿`` → 亿元, ``2021-2025年`` → two years). A bare
  ``363.5亿`` ending its clause takes the currency of the next figure of its sentence when that
  figure has the same multiplier (``最高值为363.5亿，最低值为1.2亿元``: a list whose unit is printed
  once); no other figure lends a unit (``种植387万尾，投资10亿元``: 387万 has none). ``百亿级``
  takes its sentence's one currency, or 元.
* Vague wordings, qualifier ``irregular``, bounds from ``quantities.vague_interval``: ``二三十名``
  [20, 39], ``几十个`` [20, 99], ``数百家`` [200, 999], ``十几`` [11, 19], ``上百家`` [100, ∞),
  ``数亿元``, ``一半`` and ``半数`` [45, 55] %, ``过半`` (50, 100] %; and an order of magnitude
  with no other qualifier: ``达到万亿级`` is value 万亿, unit 元, [10^12, 10^13].
* Qualifier words, looked up in ``quantities.QUALIFIERS`` (the rule and its bounds live there):
  before the number (约, 约为, 近, 超过, 超, 逾, 高于, 大于, 不到, 不足, 低于, 至少, 最多,
  小于等于 …; 约占 and 尚未占到 also from a distance within the clause:
  ``约占重庆市相关产业的80%``; a word of two
  or more characters also across a short noun phrase ending in 的: ``不到全部企业的3%``), between
  number and unit (余, 多: ``130余名``, ``400余万元``, ``5.3万余人``) and after the unit (左右,
  以上, 以下, 之上, 之下); 比 before and 大/多/高/小/少/低 … after (``比10元高``), 过 after a
  measure's name (``占比过20%``), 等于. When a word before and a word after both apply, the
  one before wins. Bounds:
  超过/超/逾/高于/大于 give a lower bound only, 以上/不少于/至少 a closed lower bound, 不到/不足/
  小于/低于 an upper bound only, 以下/小于等于/不超过/最多 a closed upper bound, 近 an upper bound
  (and a tenth below), 约/左右 and 余/多 both ends. ``达``/``达到`` is not a qualifier (the figure
  is exact); ``达…以上`` is at_least. 下降 and 减少 are wording, not a sign. A number without a
  unit gets only a one-sided bound (``人口低于20793``), or itself after 等于 (``x等于170``).
* Ranks (``第四``, ``第二位``, ``第3名``: unit 名次), calendar years (``2021年``, ``2022阿里巴巴``:
  unit 年份) and dates (``9月7日``, ``今年7月``: unit 日期), which carry no interval.
* Every Arabic number becomes a mention, even without a unit (``1357``, ``奇虎360``, ``00后``)
  or inside a name (``5G``, ``B7``): unit "" and no interval, for the exclusion list to claim.
  A bare number after PUE, 比值, 系数 or 比率 in its clause is a ratio (unit 比值).
  Chinese numerals need a unit: ``十四五``, ``三星``, ``一是`` and ``一片繁忙`` (一 before a
  counter is the article "a", except at the start of a quoted name: ``“一个集群”``) are not
  mentions. ``三大基地`` counts (3 个).
* Never a guess: what cannot be read with certainty is a mention with no number and no interval,
  and the ``reason`` column says why: a numeral that is not well formed (``3万5``, ``五万三亿``),
  ``兆`` as a magnitude (10^6 or 10^12 by region), ``度`` away from 电, a number after ``$`` or
  ``¥``, digits the layout joined across a space (``1 ３``), ``2.2.3``, ``约三分之一``.
"""

from __future__ import annotations

import argparse
import bisect
import os
import re
import sys
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import quantities as q
from .errors import DataError
from .figures import FIGURE_COLUMNS  # the table the extractor's rows are shaped like
from .page import SENTENCE_SPLIT, normalise

COLUMNS = [
    "start",
    "end",
    "raw_start",
    "raw_end",
    "printed",
    "value",
    "number",
    "unit",
    "multiplier",
    "base_value",
    "base_unit",
    "qualifier",
    "low",
    "high",
    "sentence",
    "reason",
]
COLUMN_TYPES = {
    "start": "int64",
    "end": "int64",
    "raw_start": "int64",
    "raw_end": "int64",
    "multiplier": "int64",
    "number": float,
    "base_value": float,
    "low": float,
    "high": float,
}
YEAR, DATE, RANK, RATIO = "年份", "日期", "名次", "比值"

# --- the words, all derived from quantities where it has them ------------------------------

MARKERS = {m: name for name, qual in q.QUALIFIERS.items() for m in qual.markers if m}
MID_WORDS = [w for w in ("余", "多") if w in MARKERS]  # between number and unit
POST_WORDS = sorted(
    [w for w in ("左右", "以上", "以下", "以内", "上下", "之上", "之下") if w in MARKERS] + ["级"],
    key=len,
    reverse=True,
)  # 级 (百亿级) is read even if no marker
PRE_WORDS = sorted(
    (m for m in MARKERS if m not in MID_WORDS and m not in POST_WORDS and "…" not in m),
    key=len,
    reverse=True,
)
# 比X大, 比X低: the character after the number -> its marker (比…大), from quantities
COMPARATIVES = {m[-1]: m for m in MARKERS if m.startswith("比…")}
GAP_WORDS = [m for m in PRE_WORDS if m.endswith(("占", "占到"))]  # 约占 … 的80%
# Before a short noun phrase and 的 (不到全部企业的3%): words of two or more characters only, so
# that 近 of 近年 or 超 of 超市 is never taken for a qualifier, and no 最多 or 至少.
PHRASE_WORDS = [
    m for m in PRE_WORDS if len(m) >= 2 and m not in GAP_WORDS and m[0] not in "最至"
]  # 最多的省份 is a superlative, not a bound
PHRASE_LONGEST = 12
PRE_LAST = {w[-1] for w in PRE_WORDS}
PRE_LONGEST = max(map(len, PRE_WORDS))
PRE_RE = re.compile("(?:" + "|".join(map(re.escape, PRE_WORDS)) + ")$")
GAP_RE = re.compile("|".join(map(re.escape, GAP_WORDS + PHRASE_WORDS)))
NUMERAL_CHAR = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿]")
PRINTED_UNITS = [u for u in q.PRINTED_UNITS if u not in (RANK, RATIO)] + ["％"]
RATIO_WORDS = ("PUE", "比值", "系数", "比率")
MONEY = {u for u, kind in q.BASE_UNITS.items() if kind.startswith("money_")}
CLAUSE_BREAKS = set("，。；：！？、,;:!?\n“”")
ARTICLE_COUNTERS = set(q.COUNTERS)  # 一个, 一家, 一片: the article "a", not a count
OPENING_QUOTES = set('“‘「『"')
RANK_FOLLOWERS = set("，。、；：！？,.;:)）”’和与及或的之") | {""}  # 第十五之间
DIGITS = "0-9０-９"
SIGN_BLOCKERS = (
    set("0123456789０１２３４５６７８９%％")
    | set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    | {u[-1] for u in q.BASE_UNITS}
    | set("万亿年月日号")
    | set(q.CN_DIGITS)
    | set(q.CN_SMALL)
)
MINUS = str.maketrans({"−": "-", "－": "-"})

CN_CHARS = "零〇一二两三四五六七八九十百千万亿" + "".join(
    ch for ch, to in q.CAPITALS.items() if to in q.CN_DIGITS or to in q.CN_SMALL or to in "万亿"
)
# 千 of 千瓦, 千米, 千克 belongs to the unit, not the numeral (一百千瓦 is 100 kW)
_SMALL_BEFORE_UNIT = {c: [u[1:] for u in q.PRINTED_UNITS if u[0] == c] for c in q.CN_SMALL}
SMALL = "|".join(
    c + (f"(?!{'|'.join(map(re.escape, tails))})" if tails else "")
    for c, tails in _SMALL_BEFORE_UNIT.items()
)
CN_DECIMALS = "零〇一二三四五六七八九" + "".join(
    ch for ch, to in q.CAPITALS.items() if to in q.CN_DIGITS
)
_CN_NOT_SMALL = CN_CHARS.translate({ord(c): None for c in q.CN_SMALL})
_ZHAO_UNITS = "|".join(re.escape(u[1:]) for u in q.PRINTED_UNITS if u[0] == "兆")  # 兆瓦 …
CN_NUM = (
    rf"(?:[{_CN_NOT_SMALL}]|{SMALL})"
    rf"(?:[{_CN_NOT_SMALL}]|{SMALL}|兆(?!{_ZHAO_UNITS}))*"  # 兆 as a magnitude: refused
    rf"(?:点[{CN_DECIMALS}]+[万亿]*)?"
)
AR_NUM = (
    rf"(?:[０-９]+(?:，[０-９]{{3}}(?![０-９]))+|[{DIGITS}]+(?:,[{DIGITS}]{{3}}(?![{DIGITS}]))*"
    rf"|(?<![.．{DIGITS[:3]}{DIGITS[3:]}])(?=[.．][{DIGITS}]))(?:[.．][{DIGITS}]+)?"
)
VAGUE_TOKENS = sorted((w for w in q.VAGUE_WORDS if not w.startswith("近")), key=len, reverse=True)
# Folded before scanning, one character for one, so offsets stay: traditional numeral characters.
FOLD = str.maketrans(
    {ch: to for ch, to in q.CAPITALS.items() if ch in "萬億兩倆點負幾"} | {"個": "个"}
)
FOLDED = re.compile("[" + "".join(chr(c) for c in FOLD) + "]")
PER = {"百": "%", "千": "‰", "万": "‱"}  # 百分之, 千分之, 万分之

TOKEN = re.compile(
    rf"""
    (?P<sign>[-−－]|负)?(?P<arabic>{AR_NUM})
  | (?P<irr>{"|".join(VAGUE_TOKENS)}                              # 一半, 上百, 几十, 数万 …
           | [一二两三四五六七八九][二三四五六七八九两][十百千万]?  # 二三十, 七八, 两三千
           | [二三四五六七八九]十几)                           # 二十几
  | (?P<cnsign>负)?(?P<cn>{CN_NUM})
""",
    re.X,
)
# After a numeral token, read only where they can apply (cheaper than more alternatives above):
SHARE = re.compile(rf"分之(?P<num>{AR_NUM}|{CN_NUM})")  # 百分之三十五, 千分之2.4, 三分之一
MIXED = re.compile(
    rf"[{DIGITS}]+(?:(?:[十百千万亿零]+[{DIGITS}]+)+[十百千万亿]*"  # 3亿5000万, 5千6百
    rf"|(?:{SMALL})[十百千万亿]*)"
)  # 8千元, but not 220千伏
FRACTION_TAIL = re.compile(
    rf"又(?:[{DIGITS}]+|[{CN_CHARS}]+)分之(?:{AR_NUM}|{CN_NUM})"  # 三百五又三分之一
    rf"|[/／][{DIGITS}]+(?![{DIGITS}/／])"
)  # 3/5, but not 2022/9/7
CURRENCY_SIGNS = dict.fromkeys(
    "$＄", "$ is the sign of many dollars (US, Hong Kong, Taiwan …): not read"
) | dict.fromkeys("￥¥", "¥ is the sign of both the yuan and the yen: not read")
DOTTED = re.compile(rf"(?:[.．][{DIGITS}]+)+")
HALF_TAIL = re.compile(r"半(?![导岛年月天日价数成径场夜])")  # 一吨半 is 1.5 吨, not 半导体
HALVES = {
    "distance",
    "mass",
    "area",
    "area_mu",
    "volume",
    "energy",
    "power",
    "duration",
    "age",
    "multiple",
}  # units a 半 may follow: never a counter (3家半导体企业)
UNIT_PATTERN = "|".join(
    re.escape(u) + (f"(?![{q.NOT_A_UNIT_BEFORE[u]}])" if u in q.NOT_A_UNIT_BEFORE else "")
    for u in PRINTED_UNITS
)  # longest first, from quantities' table
TAIL = re.compile(
    r"\s?(?P<q1>{mid})?(?P<mult>万亿|万万|亿|万)?(?P<q2>{mid})?\s?(?P<unit>{units})?"
    r"(?P<post>{post})?".format(
        mid="|".join(MID_WORDS) or "(?!)", units=UNIT_PATTERN, post="|".join(POST_WORDS)
    )
)
TENTHS_TAIL = re.compile(r"[一二三四五六七八九半](?![十百千万亿点成倍%])")  # 七成五, 三成半
DATE_TAIL = re.compile(
    rf"(?:年(?P<month>[{DIGITS}]{{1,2}})月|月)"
    rf"(?:份|(?P<day>[{DIGITS}]{{1,2}})[日号])?"
)
# Four-character idioms whose numeral stands before a unit or counter: not quantities.
IDIOM = re.compile(
    "|".join(
        [
            "千篇一律",
            "三番五次",
            "五次三番",
            "千家万户",
            "百家争鸣",
            "三头六臂",
            "一五一十",
            "万家灯火",
            "千头万绪",
            "百年大计",
            "千里之外",
            "一日千里",
            "九牛一毛",
            "半斤八两",
            "一年半载",
            "三年五载",
            "千秋万代",
            "百战百胜",
            "一次性",
        ]
    )
)
CONNECTORS = {"-", "－", "—", "–", "~", "～", "至", "到", "、"}


# --- finding tokens ------------------------------------------------------------------------


def _pre_marker(text: str, start: int, floor: int) -> tuple[str, int] | None:
    """The qualifier word before ``start`` (adjacent, or 约占-type within the clause)."""
    at = start - 1 if text[start - 1 : start] == " " else start  # < = 100: one space allowed
    if at and text[at - 1] in PRE_LAST:
        adjacent = PRE_RE.search(text, max(0, at - PRE_LONGEST), at)
        if adjacent:  # the leftmost word ending at the number is the longest: 不超过, not 超过
            word, pos = adjacent.group(), adjacent.start()
            only = q.MARKER_ONLY_AFTER.get(word)
            if only is None or pos and text[pos - 1] in only:  # 占比过20, not 经过3年
                return word, pos
    if not GAP_RE.search(text, max(floor, start - 20), start):
        return None  # no word that could reach from a distance: most numbers
    k = start - 1
    while k >= floor and start - k <= 20 and text[k] not in CLAUSE_BREAKS:
        k -= 1
    clause = text[k + 1 : start]
    best = max(((clause.rfind(w), w) for w in GAP_WORDS), default=(-1, ""))
    if best[0] < 0 and clause.endswith("的"):  # 不到全部企业的3%: word, short noun phrase, 的
        found = [(clause.rfind(w) + len(w), len(w), w) for w in PHRASE_WORDS if w in clause]
        found_end, _, word = max(found, default=(-1, 0, ""))
        best = (found_end - len(word), word) if found else (-1, "")
        between = clause[best[0] + len(best[1]) : -1]
        if best[0] < 0 or len(between) > PHRASE_LONGEST or NUMERAL_CHAR.search(between):
            return None
    return (best[1], k + 1 + best[0]) if best[0] >= 0 else None


def _clause_before(text: str, start: int, floor: int) -> str:
    k = start - 1
    while k >= floor and text[k] not in CLAUSE_BREAKS:
        k -= 1
    return text[k + 1 : start]


def _split_multiplier(value: str) -> tuple[str, str]:
    """A Chinese numeral and its trailing multiplier: 一千二百万 → (一千二百, 万), 十五点七亿 →
    (十五点七, 亿), 万亿 → (万, 亿); 三亿五千万 stays whole, its 万 belongs to 五千 only."""
    for mk in ("万亿", "亿", "万"):
        if value.endswith(mk) and len(value) > len(mk):
            rest = value[: -len(mk)]
            if ("万" in rest or "亿" in rest) and rest.strip("万亿"):
                return value, ""
            return rest, mk
    return value, ""


@lru_cache(maxsize=4096)
def _refusal(value: str) -> str:
    """Why quantities cannot read a numeral ("" if it can)."""
    if "兆" in value:
        return "兆 is 10**6 in mainland usage and 10**12 in Taiwan and Japan: not read"
    if not value.strip("负万亿"):
        return "a multiplier without a number"
    try:
        q.parse_number(value)
    except ValueError:
        try:
            q.parse_chinese(value)
        except ValueError as exc:
            return str(exc)
    return ""


@dataclass
class _Numeral:
    """A numeral token being read: its spans, printed value and what is known of it so far."""

    start: int
    end: int
    vstart: int
    value: str
    kind: str = "number"
    mult: str = ""
    base: str | None = None
    chinese: bool = False
    is_mixed: bool = False
    reason: str = ""
    reading: str | None = None
    mid: str | None = None
    post: str | None = None


def _read_token(text: str, m: re.Match, floor: int) -> dict | None:
    """One candidate mention from a numeral token, or None; ``floor`` is the previous end."""
    t = _read_numeral(text, m)
    if t is None:
        return None
    arabic, cn = m.group("arabic"), m.group("cn")
    prev = text[t.start - 1] if t.start > 0 else ""
    _read_fraction_tail(text, t, arabic)
    is_rank_or_date, mention = _rank_or_date(text, t, prev, arabic, cn)
    if is_rank_or_date:
        return mention

    before = t.start - 1 if text[t.start - 1 : t.start] == " " else t.start  # 比 170 低
    compared = (
        before > 0
        and text[before - 1] == "比"
        and t.kind in ("number", "fraction")
        and (before < 2 or text[before - 2] not in q.COMPARATIVE_NOT_AFTER)
    )
    if (
        cn
        and t.kind == "number"
        and not t.base
        and not t.mult
        and t.value != "一"
        and text[t.end : t.end + 1] == "大"
        and not compared
    ):
        return _mention(t.start, t.end + 1, t.vstart, t.value, t.kind, "", "个")  # 三大基地: 3 个
    _read_tail(text, t)
    if cn and _one_is_a_word(t, prev):
        return None
    if t.mult and t.base and q.BASE_UNITS[t.base] not in q.MULTIPLIABLE:
        t.base = None  # 3万年: the unit cannot carry a multiplier
    _read_tenths_and_halves(text, t)
    if t.base == "度" and "电" not in text[max(floor, t.start - 40) : t.start]:
        t.reason = "度 is a kWh only beside 电 (electricity); else degrees or an angle: not read"

    pre = _comparative(text, before - 1, t.end) if compared else None
    if pre:
        pre, t.end = pre
    else:
        pre = _pre_marker(text, t.start, floor)
    mention = _mention(t.start, t.end, t.vstart, t.value, t.kind, t.mult, t.base)
    mention.update(
        pre=pre,
        mid=t.mid,
        post=t.post,
        chinese=t.chinese,
        reason=t.reason,
        reading=t.reading,
        named=_is_letter(prev) or _is_letter(text[m.end() : m.end() + 1]),
    )
    if pre:
        mention["start"] = pre[1]
    return mention


def _rank_or_date(text: str, t: _Numeral, prev: str, arabic, cn) -> tuple[bool, dict | None]:
    """Whether the numeral ``t`` is a rank (第四, 第二位, 第3名) or a date (2022年7月), and its
    mention: (True, the mention), (True, None) for a 第 that is no rank (第三方, 第一批), or
    (False, None) when it is neither."""
    if prev == "第" and t.kind == "number" and not t.mult:
        stop = t.end + 1 if text[t.end : t.end + 1] in ("位", "名") else t.end
        if cn and text[stop : stop + 1] not in RANK_FOLLOWERS:
            return True, None  # 第三方, 第一批, 第二季度
        return True, _mention(t.start - 1, stop, t.vstart, t.value, "rank", "", RANK)
    if arabic and not t.is_mixed and t.kind == "number" and t.value[0] not in "-−－负":
        stop = _date_end(text, t.value, t.end)
        if stop is not None:
            return True, _mention(t.start, stop, t.vstart, text[t.start : stop], "date", "", DATE)
    return False, None


def _one_is_a_word(t: _Numeral, prev: str) -> bool:
    """Whether a Chinese 一 with its counter is a word, not a count: 一个支点 (the article; but
    “一个集群” names a count), 铜价一度突破 (一度 is "at one time")."""
    if t.kind != "number" or t.value != "一" or t.mult:
        return False
    if t.base in ARTICLE_COUNTERS and prev not in OPENING_QUOTES:
        return True
    return t.base == "度"


def _read_numeral(text: str, m: re.Match) -> _Numeral | None:
    """The numeral of a token: a share or a fraction (…分之…), an Arabic number, a vague word or
    a Chinese numeral; None when the token is no quantity."""
    arabic, cn = m.group("arabic"), m.group("cn")
    share = SHARE.match(text, m.end()) if text.startswith("分之", m.end()) else None
    if (
        share
        and (cn or arabic)
        and not (m.group("sign") or m.group("cnsign"))
        and "." not in m.group()
    ):
        return _read_share(text, m, share)
    if arabic:
        return _read_arabic(text, m)
    if m.group("irr"):
        return _read_irregular(text, m)
    return _read_chinese(m)


def _read_share(text: str, m: re.Match, share: re.Match) -> _Numeral | None:
    if m.group().translate(q.CANON) in PER:  # 百分之三十五: the value is what follows 之
        value = share.group("num")
        return _Numeral(
            m.start(),
            share.end(),
            share.start("num"),
            value,
            base=PER[m.group().translate(q.CANON)],
            chinese=not value[0].isdigit(),
            reason=_refusal(value),
        )
    value = text[m.start() : share.end()]  # 三分之一: a fraction, stated exactly
    try:
        q.parse_fraction(value)
    except ValueError:
        return None
    return _Numeral(
        m.start(),
        share.end(),
        m.start(),
        value,
        kind="fraction",
        base=RATIO,
        chinese=not m.group()[0].isdigit(),
    )


def _read_arabic(text: str, m: re.Match) -> _Numeral:
    start = m.start()
    if (
        m.group("sign")
        and m.group("sign") != "负"
        and start > 0
        and text[start - 1] in SIGN_BLOCKERS
    ):
        start = m.start("arabic")  # 10亿-30亿元, 2021-2025: a dash, not a minus
    t = _Numeral(start, m.end(), start, text[start : m.end()])
    if start and text[start - 1] in CURRENCY_SIGNS:
        t.reason = CURRENCY_SIGNS[text[start - 1]]
    dots = DOTTED.match(text, t.end) if text[t.end : t.end + 1] in ".．" else None
    if dots and "." in t.value.translate(q.FULLWIDTH):  # 2222.2222.22: a version or a code
        t.end = dots.end()
        t.value, t.reason = text[start : t.end], "more than one decimal point: a version or a code"
    mixed = (
        MIXED.match(text, m.start("arabic")) if text[t.end : t.end + 1] in "十百千万亿零" else None
    )
    if mixed and mixed.end() > t.end and not m.group("sign"):  # 3亿5000万: one numeral
        t.end = mixed.end()
        t.value, t.mult = _split_multiplier(text[start : t.end])
        t.reason, t.is_mixed = _refusal(t.value), True
    return t


def _read_irregular(text: str, m: re.Match) -> _Numeral | None:
    t = _Numeral(m.start(), m.end(), m.start(), m.group(), kind="irregular")
    try:
        q.vague_interval(t.value)
    except ValueError:
        if len(t.value) != 2 or text[t.end : t.end + 1] != "折":
            return None  # 十三五 is a plan's name, not 十 then 三五
        t.kind, t.chinese = "number", True  # 九九折, 三八折: two digits of a discount
        t.reading = f"{q.CN_DIGITS[t.value[0]]}.{q.CN_DIGITS[t.value[1]]}"
    if t.value in q.VAGUE_WORDS and q.VAGUE_WORDS[t.value].unit:
        t.base = q.VAGUE_WORDS[t.value].unit  # 一半, 过半 are shares: %
    return t


def _read_chinese(m: re.Match) -> _Numeral | None:
    value, mult = _split_multiplier(m.group())
    if len(value) == 1 and value in q.CAPITALS:
        return None  # 陆地, 队伍, 收拾: a capital on its own is a word
    if len(value) > 1 and all(ch in q.CN_DIGITS for ch in value):
        return None  # 二〇二二年: digits read out one by one, a year or a code
    if value[0] in "万亿" and value.strip("万亿"):
        return None  # 万一家里: 万一 is "in case"
    if not any(ch in q.CN_DIGITS or ch in q.CN_SMALL for ch in value.translate(q.CANON)) and not (
        value == "万" and mult == "亿"
    ):  # 万亿级: numeral 万, multiplier 亿
        return None
    reason = "" if (value, mult) == ("万", "亿") else _refusal(value)
    return _Numeral(m.start(), m.end(), m.start(), value, mult=mult, chinese=True, reason=reason)


def _read_fraction_tail(text: str, t: _Numeral, arabic: str | None) -> None:
    """A number that is part of a fraction not read gets a reason; one followed by 又三分之一 or
    /3 becomes that fraction."""
    if (
        (text.startswith("分之", t.end) or text.endswith("分之", 0, t.start))
        and t.kind != "fraction"
        and not t.reason
    ):
        t.reason = "part of a fraction that is not read (a sign on its parts, or no numerator)"
    tail = (
        FRACTION_TAIL.match(text, t.end) if text[t.end : t.end + 1] in ("又", "/", "／") else None
    )
    if (
        tail
        and t.kind == "number"
        and not (t.reason or t.base or t.is_mixed)
        and (tail.group()[0] == "又" or arabic and arabic.isdigit())
    ):
        try:
            q.parse_fraction(text[t.start : tail.end()])
        except ValueError:
            return
        t.kind, t.end, t.base, t.value = "fraction", tail.end(), RATIO, text[t.start : tail.end()]
        t.mult = ""


def _date_end(text: str, value: str, end: int) -> int | None:
    """Where a date that starts with the Arabic ``value`` ends (2021年9月7日, 7月), or None."""
    d = DATE_TAIL.match(text, end) if text[end : end + 1] in "年月" else None
    if not d or "." in value or "．" in value:
        return None
    whole = int(value.translate(q.FULLWIDTH))
    month = int(d.group("month").translate(q.FULLWIDTH)) if d.group("month") else whole
    day = int(d.group("day").translate(q.FULLWIDTH)) if d.group("day") else 1
    plausible = d.group("month") is None or 1000 <= whole <= 2999
    return d.end() if plausible and 1 <= month <= 12 and 1 <= day <= 31 else None


def _read_tail(text: str, t: _Numeral) -> None:
    """The words after the number: 余 or 多, a multiplier, a unit, a qualifier after the unit."""
    tm = TAIL.match(text, t.end)
    q1, tmult, q2, unit, post = tm.group("q1", "mult", "q2", "unit", "post")
    if t.base:  # 一半, 百分之五, 三分之一 carry their unit; only a word after may follow
        post = None if unit or q1 or tmult else post
        unit = q1 = tmult = q2 = None
    if q1 and not (tmult or unit):
        q1 = tmult = q2 = unit = post = None  # 100多。: a bare 多 is not a qualifier
    if tmult and t.mult:
        tmult = q2 = unit = post = None
    groups = [
        g for g, v in zip(("q1", "mult", "q2", "unit", "post"), (q1, tmult, q2, unit, post)) if v
    ]
    t.post = post
    if groups:
        t.end = max(tm.end(g) for g in groups)
        t.mult, t.mid = t.mult or tmult or "", q1 or q2
        t.base = t.base or ("%" if unit == "％" else unit)


def _read_tenths_and_halves(text: str, t: _Numeral) -> None:
    """七成五 is 7.5 tenths, 三成半 3.5, 七五折 a discount of 7.5; 一吨半 is 1.5 吨."""
    if (
        t.base in ("成", "折")
        and not t.reason
        and t.kind == "number"
        and not (t.post or t.mult or t.reading)
    ):
        tenths = TENTHS_TAIL.match(text, t.end) if t.base == "成" else None
        whole = q.parse_number(t.value)
        digits = t.value.translate(q.FULLWIDTH)
        if tenths and whole == int(whole):
            digit = 5 if tenths.group() == "半" else q.CN_DIGITS[tenths.group()]
            t.reading, t.end = f"{int(whole)}.{digit}", tenths.end()
            t.value = text[t.vstart : t.end]
        elif t.base == "折" and re.fullmatch(r"[1-9][0-9]", digits):
            t.reading = f"{digits[0]}.{digits[1]}"
    if (
        t.base
        and q.BASE_UNITS.get(t.base) in HALVES
        and t.kind == "number"
        and not (t.reason or t.post or t.mid or t.reading)
        and HALF_TAIL.match(text, t.end)
    ):
        whole = q.parse_number(t.value)  # 一吨半 is 1.5 吨, 两年半 2.5 年
        if whole == int(whole):
            t.reading, t.end = f"{int(whole)}.5", t.end + 1
            t.value = text[t.vstart : t.end]


def _comparative(text: str, bi: int, end: int) -> tuple[tuple[str, int], int] | None:
    """比X大, 比X低: ((marker, where 比 is), the end past the comparative character), or None
    unless the character ends the phrase (比3家大银行 is not read)."""
    at = end + 1 if text[end : end + 1] == " " else end
    marker = COMPARATIVES.get(text[at : at + 1])
    rest = text[at + 1 :]
    if marker and (
        not rest
        or rest[0] in CLAUSE_BREAKS
        or rest[0] == " "
        or rest.startswith(q.COMPARATIVE_ENDS)
    ):
        return (marker, bi), at + 1
    return None


def _is_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _mention(start, end, vstart, value, kind, mult, base) -> dict:
    """A candidate: spans, the printed value, its kind (number, irregular, rank, date …), the
    multiplier and base unit as printed, and the qualifier words found around it."""
    return {
        "start": start,
        "end": end,
        "vstart": vstart,
        "value": value,
        "kind": kind,
        "mult": mult,
        "base": base,
        "qualifier": None,
        "pre": None,
        "mid": None,
        "post": None,
        "chinese": False,
        "named": False,
        "reason": "",
        "reading": None,
    }


def scan_text(text: str) -> list[dict]:
    """Candidate mentions of a normalised text, in order, before units are resolved."""
    found: list[dict] = []
    idioms = [(i.start(), i.end()) for i in IDIOM.finditer(text)]
    stop = 0
    for m in TOKEN.finditer(text):
        if m.start() < stop:
            continue
        if idioms and any(a <= m.start() < b for a, b in idioms):
            continue  # 千篇一律, 三番五次: numerals in an idiom count nothing
        mention = _read_token(text, m, stop)
        if mention is not None:
            found.append(mention)
            stop = mention["end"]
    return found


# --- resolving units and qualifiers -------------------------------------------------------


def _inherit_units(text: str, found: list[dict], bounds: list[int]) -> None:
    """Give unit-less numbers the unit of a range partner, or of the next item of a list."""
    for a, b in zip(reversed(found[:-1]), reversed(found[1:])):
        if (
            a["base"] is None
            and a["kind"] in ("number", "irregular")
            and b["base"]
            and b["kind"] in ("number", "irregular")
            and text[a["end"] : b["start"]] in CONNECTORS
        ):
            multipliable = q.BASE_UNITS[b["base"]] in q.MULTIPLIABLE
            if a["mult"] and not multipliable:
                continue  # 10万-20年: no unit fits both
            a["base"] = b["base"]
            if not a["mult"] and multipliable:
                a["mult"] = b["mult"]
    money = [
        (x["start"], x["base"])
        for x in found
        if x["base"] in MONEY and x["kind"] == "number" and not x["reason"]
    ]
    starts = [s for s, _ in money]
    for k, x in enumerate(found):
        if x["base"] is None and x["mult"] and not x["reason"] and not x["chinese"]:
            # 最高值为363.5亿，最低值为1.2亿元: a list whose unit is printed once, after its last
            # item; only the next figure of the same sentence, with the same multiplier, lends it
            nxt = found[k + 1] if k + 1 < len(found) else None
            if (
                nxt
                and nxt["base"] in MONEY
                and nxt["mult"] == x["mult"]
                and not nxt["reason"]
                and text[x["end"] : x["end"] + 1] in CLAUSE_BREAKS
                and bisect.bisect_right(bounds, x["start"])
                == bisect.bisect_right(bounds, nxt["start"])
            ):
                x["base"] = nxt["base"]
        elif x["base"] is None and x["mult"] and x["post"] == "级" and not x["reason"]:
            sentence = bisect.bisect_right(bounds, x["start"]) - 1
            lo, hi = bounds[sentence], bounds[sentence + 1]
            currencies = {
                b for s, b in money[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]
            }
            if len(currencies) <= 1:  # 百亿级: money of that order, in its sentence's currency
                x["base"] = currencies.pop() if currencies else "元"


def _finish(text: str, x: dict, floor: int, bare: bool = False) -> dict | None:
    """Kind, unit and qualifier of a candidate; None if it is not a mention after all."""
    if x["kind"] in ("number", "irregular") and x["base"] is None:
        if x["chinese"] and (not bare or x["reason"]):
            return None  # a Chinese numeral needs a unit: 十四五, 一是
        plain = x["value"].translate(q.FULLWIDTH).lstrip("-−－")
        if (
            x["kind"] == "number"
            and not x["mult"]
            and any(w in _clause_before(text, x["vstart"], floor) for w in RATIO_WORDS)
        ):
            x["base"] = RATIO
        elif x["named"]:
            x["kind"] = "name"
        elif re.fullmatch(r"(19|20)\d\d", plain) and not x["mult"]:
            x["kind"] = "year"  # 2022阿里巴巴; with 年 printed, 1500-2199 are years
    if (
        x["kind"] == "number"
        and x["base"] == "年"
        and not x["mult"]
        and re.fullmatch(r"1[5-9]\d\d|2[01]\d\d", x["value"].translate(q.FULLWIDTH))
    ):
        x["kind"] = "year"
    qualifier = None
    if x["kind"] in ("number", "irregular", "fraction"):
        pre = x["pre"]
        words = [w for w in (pre[0] if pre else None, x["mid"], x["post"]) if w in MARKERS]
        qualifier = MARKERS[words[0]] if words else "exact"
        if (
            x["post"] == "级"
            and x["mult"]
            and x["kind"] == "number"
            and (not words or words == ["级"])
        ):
            x["kind"] = "order"
    elif x["pre"]:
        x["start"] = x["vstart"]  # a qualifier word does not belong to a year or a name
    if x["kind"] == "year":
        x["end"] = (
            x["vstart"]
            + len(x["value"])
            + (text[x["vstart"] + len(x["value"])] == "年" if x["base"] == "年" else 0)
        )
    x["qualifier"] = qualifier
    return x


NUMBER_CHARS = set("0123456789０１２３４５６７８９,.，．")


def _split_in_raw(x: dict, value: str, offsets: list[int], raw: str) -> bool:
    """Whether the raw text had a space inside the Arabic digits of ``value`` (1 ３/5 became
    1３/5 when the layout was undone): then the digits may be two numbers."""
    if x["kind"] not in ("number", "fraction"):
        return False
    for k in range(len(value) - 1):
        if value[k] in NUMBER_CHARS and value[k + 1] in NUMBER_CHARS:
            a = x["vstart"] + k
            between = raw[offsets[a] : offsets[a + 1]]
            # spaces between the two digits in the raw text; a line break is the layout
            if len(between) > 1 and between[1:].strip(" \u3000") == "" and "\n" not in between:
                return True
    return False


def _row(text: str, x: dict, offsets: list[int], bounds: list[int], raw: str) -> dict:
    """The output row of a resolved mention: where it is, and its numbers (``_numbers``)."""
    r = _numbers(x, offsets, raw)
    sentence = bisect.bisect_right(bounds, x["start"]) - 1
    return {
        "start": x["start"],
        "end": x["end"],
        "raw_start": offsets[x["start"]],
        "raw_end": offsets[x["end"] - 1] + 1,
        "printed": text[x["start"] : x["end"]],
        **{k: v for k, v in r.items() if k != "reason"},  # value … high, in _numbers' order
        "sentence": text[bounds[sentence] : bounds[sentence + 1]].strip(),
        "reason": r["reason"],
    }


def _nan_if_none(b) -> float:
    return float("nan") if b is None else b


def _numbers(x: dict, offsets: list[int], raw: str) -> dict:
    """A resolved mention's value, number, unit, multiplier, base value and unit, qualifier,
    interval and reason, from quantities' rules. What is not read with certainty keeps NaN for
    its numbers and says why in ``reason``."""
    kind, nan = x["kind"], float("nan")
    r = {
        "value": x["value"],
        "number": nan,
        "unit": (x["mult"] + x["base"]) if x["base"] else "",
        "multiplier": 1,
        "base_value": nan,
        "base_unit": "",
        "qualifier": x["qualifier"] or "exact",
        "low": nan,
        "high": nan,
        "reason": x["reason"],
    }
    if kind == "order":  # 万亿级: value 万亿, unit 元
        r.update(unit=x["base"], value=x["value"] + x["mult"], qualifier="irregular")
    plain = x["reading"] or r["value"].translate(MINUS)
    if kind == "year":
        number = float(plain.translate(q.FULLWIDTH))
        r.update(unit=YEAR, base_unit="date", number=number, base_value=number)
    elif kind == "date":
        r.update(unit=DATE, base_unit="date")
    elif r["reason"]:  # not read with certainty: no value, and why
        r["multiplier"] = q.MULTIPLIERS.get(x["mult"], 1)
    elif _split_in_raw(x, r["value"], offsets, raw):
        r["reason"] = "digits separated by a space in the text: one number or two?"
        r["multiplier"] = q.MULTIPLIERS.get(x["mult"], 1)
    elif kind == "fraction":
        exact = q.parse_fraction(r["value"])
        r["number"] = r["base_value"] = float(exact)
        r["base_unit"] = q.parse_unit(RATIO).base_unit
        try:
            r["low"], r["high"] = map(_nan_if_none, q.stated_interval(exact, r["qualifier"]))
        except ValueError as exc:
            r["reason"] = str(exc)
    elif r["unit"]:
        _numbers_with_unit(r, x, plain)
    elif kind == "irregular":
        lo, hi, _, _ = q.vague_interval(r["value"])
        if lo == hi:
            r["number"] = float(lo)
    else:
        r["number"] = number = q.parse_number(plain)
        if x["mult"]:
            r["multiplier"] = q.MULTIPLIERS[x["mult"]]
        if r["qualifier"] in q.STATED_BOUNDS and kind == "number":  # x大于10: no unit needed
            lo, hi = q.stated_interval(Decimal(str(number)), r["qualifier"])
            r["low"], r["high"] = (_nan_if_none(b and b * r["multiplier"]) for b in (lo, hi))
    return r


def _numbers_with_unit(r: dict, x: dict, plain: str) -> None:
    """``_numbers`` for a mention with a unit: its factor, and the interval in base units."""
    u = q.parse_unit(r["unit"])
    r["multiplier"], r["base_unit"] = u.factor, u.base_unit
    if x["kind"] == "irregular":
        r["qualifier"] = "irregular"
        lo, hi, _, _ = q.vague_interval(r["value"])
        r["low"], r["high"] = (
            float(Decimal(repr(b)) * u.scale) if b != q.INF else float("nan") for b in (lo, hi)
        )
        if lo == hi:  # 半百 is 50
            r["number"], r["base_value"] = float(lo), r["low"]
        if MARKERS.get(x["post"] or "") in ("at_least", "more_than"):
            r["high"] = float("nan")
    elif x["kind"] == "order":  # 万亿级 on its own: the order of magnitude [X, 10X]
        r["low"] = q.base_value(x["value"].translate(MINUS), u) * q.MULTIPLIERS[x["mult"]]
        r["high"] = 10 * r["low"]
    else:
        r["number"] = q.parse_number(plain)
        r["base_value"] = q.base_value(plain, u)
        r["low"], r["high"] = map(_nan_if_none, q.interval(plain, r["qualifier"], u))


def extract(text: str, *, bare_numerals: bool = False) -> pd.DataFrame:
    """Every quantity in a raw Chinese text, one row per mention, in reading order.

    Columns:

    * ``start``, ``end``: offsets of ``printed`` in the normalised text (``page.normalise``).
    * ``raw_start``, ``raw_end``: the same span in ``text`` as given (line breaks included).
    * ``printed``: the matched text, qualifier words included (``约6万片``, ``130余名``).
    * ``value``: the number as printed, a string (``13.6``, ``4,344``, ``四``, ``二三十``,
      ``9月7日``); always a substring of ``printed``.
    * ``number``: its value as a float (NaN for irregular wordings and dates).
    * ``unit``: the printed unit with its multiplier (``亿元``, ``万片``, ``%``, ``个百分点``),
      ``名次`` for ranks, ``比值`` for ratios, ``年份`` for years, ``日期`` for dates, "" when
      nothing says what the number counts (``1357``, ``5G``).
    * ``multiplier``: 1, 10**4, 10**8 or 10**12.
    * ``base_value``, ``base_unit``: the value in base units (``1.36e9``, ``yuan``).
    * ``qualifier``: a key of ``quantities.QUALIFIERS`` (``exact``, ``approx``, ``over`` …).
    * ``low``, ``high``: the interval the wording allows, in base units; NaN for an open end
      and for mentions without a unit, a year or a date.
    * ``sentence``: the normalised sentence the mention sits in.
    * ``reason``: "" when the value was read; otherwise why ``number`` and the interval are
      left empty (a numeral that is not well formed such as ``3万5``, ``兆``, ``度`` away from 电,
      ``约`` before a fraction). A value the extractor is not sure of is never guessed.

    ``bare_numerals`` also returns Chinese numerals that no unit follows (a numeral on its own, as
    in a list of numbers). News text rarely means those as quantities (十四五, 一是, 三星), so by
    default they are left out; traditional numeral characters (萬, 億, 兩, 點) are folded into the
    simplified ones, one for one, before reading.
    """
    if not isinstance(text, str):
        raise DataError(
            f"extract() requires text as str; got {type(text).__name__} "
            f"(read files with read_text(), which checks the encoding)"
        )
    norm, offsets = normalise(text)
    if FOLDED.search(norm):  # translate only text that has them: a megabyte costs 40 ms
        norm = norm.translate(FOLD)
    bounds = [0] + [m.end() for m in SENTENCE_SPLIT.finditer(norm)] + [len(norm)]
    found = scan_text(norm)
    _inherit_units(norm, found, bounds)
    rows, floor = [], 0
    for x in found:
        done = _finish(norm, x, floor, bare_numerals)
        if done is not None:
            rows.append(_row(norm, done, offsets, bounds, text))
        floor = x["end"]
    data = {}  # column by column: a third of the time of a frame of records and astype
    for c in COLUMNS:
        column = [r[c] for r in rows]
        data[c] = np.array(column, dtype=COLUMN_TYPES[c]) if c in COLUMN_TYPES else column
    return pd.DataFrame(data, columns=COLUMNS)


# --- ranges -------------------------------------------------------------------------------

RANGE_COLUMNS = [
    "start",
    "end",
    "printed",
    "unit",
    "base_unit",
    "low",
    "high",
    "low_open",
    "high_open",
]
RANGE_DASHES = CONNECTORS - {"、"}  # 2、3 is a list, not a range
BETWEEN = {"和", "与", "跟"}  # 位于20和30之间, 10000与20000间
BOUND_GLUE = {"", "并", "且", "并且", "而且", "同时", "的同时", "，", ","}  # 大于10并小于20
LOWER, UPPER = {"more_than", "at_least"}, {"less_than", "at_most"}


def extract_ranges(text: str, *, bare_numerals: bool = False) -> pd.DataFrame:
    """Every stated range of a text as one interval, beside ``extract()``'s one row per number.

    * Two figures joined by a dash, 至 or 到 (``10亿-30亿元``, ``20~100个``, ``一千到一千五百``) or
      by 和/与 … 之间 (``位于20和30之间``): from the low end of the first to the high end of the
      second, both included (each end is a stated figure, with its own rounding).
    * A lower and an upper bound next to each other (``大于10小于20``, ``不大于50不小于20``,
      ``大于等于0并小于230.4``): their intersection, each end open or closed as its word says;
      bounds that cannot meet (``大于50小于12``) stay apart.
    * Any other mention with an interval is a range of its own.

    Columns: ``start``, ``end``, ``printed`` (normalised text, as in ``extract``), ``unit``,
    ``base_unit``, ``low``, ``high`` (base units, NaN for no end), ``low_open``, ``high_open``.
    """
    rows = extract(text, bare_numerals=bare_numerals).to_dict("records")
    norm = normalise(text)[0]
    norm = norm.translate(FOLD) if FOLDED.search(norm) else norm
    out, k = [], 0
    while k < len(rows):
        a, b = rows[k], rows[k + 1] if k + 1 < len(rows) else None
        joined = _join(norm, a, b) if b is not None else None
        if joined is None and (a["low"] == a["low"] or a["high"] == a["high"]) and not a["reason"]:
            joined = _range(norm, a, a, a["low"], a["high"], *_open_ends(a))
        if joined is not None:
            out.append(joined)
        k += 2 if joined is not None and joined["end"] == (b or {}).get("end") else 1
    return pd.DataFrame(out, columns=RANGE_COLUMNS)


def _open_ends(x: dict) -> tuple[bool, bool]:
    if x["qualifier"] in q.QUALIFIERS and x["qualifier"] not in ("exact", "irregular"):
        rule = q.QUALIFIERS[x["qualifier"]]
        return rule.low_open, rule.high_open
    return x["low"] != x["low"], x["high"] != x["high"]


def _end_value(x: dict, end: str) -> float:
    """A figure's low or high end; for a number without a unit, its printed value."""
    v = x[end]
    return v if v == v else x["number"] * x["multiplier"]


def _join(norm: str, a: dict, b: dict) -> dict | None:
    if a["reason"] or b["reason"] or a["unit"] != b["unit"] and "" not in (a["unit"], b["unit"]):
        return None
    gap = norm[a["end"] : b["start"]].strip()
    if (
        a["qualifier"] == b["qualifier"] == "exact"
        and a["unit"] not in (YEAR, DATE)
        and (gap in RANGE_DASHES or gap in BETWEEN and norm.startswith(("之间", "间"), b["end"]))
    ):
        low, high = _end_value(a, "low"), _end_value(b, "high")
        if low == low and high == high and low <= high:
            return _range(norm, a, b, low, high, False, False)
    kinds = {a["qualifier"], b["qualifier"]}
    if gap in BOUND_GLUE and kinds & LOWER and kinds & UPPER:
        lower, upper = (a, b) if a["qualifier"] in LOWER else (b, a)
        if lower["low"] <= upper["high"]:
            return _range(
                norm, a, b, lower["low"], upper["high"], _open_ends(lower)[0], _open_ends(upper)[1]
            )
    return None


def _range(norm: str, a: dict, b: dict, low, high, low_open: bool, high_open: bool) -> dict:
    return {
        "start": a["start"],
        "end": b["end"],
        "printed": norm[a["start"] : b["end"]],
        "unit": b["unit"] or a["unit"],
        "base_unit": b["base_unit"] or a["base_unit"],
        "low": low,
        "high": high,
        "low_open": bool(low_open),
        "high_open": bool(high_open),
    }


# --- files and figure rows ---------------------------------------------------------


def read_text(path: str | Path) -> str:
    """A text file's contents; DataError if it is missing, empty, binary or not UTF-8."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise DataError("file not found; expected a UTF-8 text file", path=str(p)) from None
    except IsADirectoryError:
        raise DataError("is a directory; expected a UTF-8 text file", path=str(p)) from None
    except OSError as exc:
        raise DataError(
            f"cannot be read ({exc.strerror}); expected a UTF-8 text file", path=str(p)
        ) from None
    if not data.strip():
        raise DataError("the file is empty; expected Chinese news text in UTF-8", path=str(p))
    nul = data.find(b"\0")
    if nul >= 0:
        raise DataError(f"byte {nul} is NUL: this is binary data; expected UTF-8 text", path=str(p))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"byte {exc.start} (0x{data[exc.start]:02x}) is not UTF-8; expected UTF-8 "
            f"text (convert GBK with: iconv -f GBK -t UTF-8)",
            path=str(p),
        ) from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(2, len(text) // 100):
        raise DataError(
            f"{controls} control characters: this is binary data; expected UTF-8 text", path=str(p)
        )
    return text


def find_quote(
    text: str, start: int, end: int, shortest: int = 8, longest: int = 40, unique=None
) -> str:
    """A short passage of ``text`` around ``start:end`` that occurs in it only once, grown both
    ways within its line. ``unique(quote)`` says whether a passage occurs once (default: two
    searches of ``text``; a caller with an index of the text passes a faster one)."""

    def once(quote: str) -> bool:
        first = text.find(quote)
        return text.find(quote, first + 1) == -1

    unique = unique or once
    a, b = start, end
    while (b - a < shortest or not unique(text[a:b])) and b - a < longest:
        grown = False
        if a > 0 and text[a - 1] != "\n":
            a, grown = a - 1, True
        if b < len(text) and text[b] != "\n":
            b, grown = b + 1, True
        if not grown:
            break
    return text[a:b]


def build_figure_rows(text: str, mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions as rows shaped like ``data/figures.csv`` (ids and subjects left blank).

    ``text`` is the normalised text the mentions were found in; quotes are passages of it.
    Years, dates and numbers without a unit get a note: they belong in the exclusion list; a
    mention whose value was not read gets its reason.
    """
    notes = {
        YEAR: "year: an exclusion, or a period",
        DATE: "date: an exclusion",
        "": "no unit: an exclusion (a name, a code) unless a unit is implied",
    }
    rows = []
    for r in mentions.itertuples(index=False):
        rows.append(
            {
                "article": "",
                "id": "",
                "subject_zh": "",
                "subject_en": "",
                "period": "",
                "value": r.value,
                "unit": r.unit,
                "qualifier": r.qualifier,
                "low": _format(r.low),
                "high": _format(r.high),
                "base_value": _format(r.base_value),
                "base_unit": r.base_unit,
                "quote": find_quote(text, r.start, r.end),
                "note": f"not read: {r.reason}" if r.reason else notes.get(r.unit, ""),
            }
        )
    return pd.DataFrame(rows, columns=FIGURE_COLUMNS)


def _format(x: float) -> str:
    return "" if x != x else f"{x:.15g}"


# --- command line -------------------------------------------------------------------------


def run_extract(args: argparse.Namespace) -> int:
    """``extract FILE [-o OUT.csv]``: write the mentions of FILE as figures.csv-shaped rows."""
    raw = read_text(args.file)
    text, _ = normalise(raw)
    rows = build_figure_rows(text, extract(raw))
    if args.output:
        try:
            rows.to_csv(args.output, index=False)
        except OSError as exc:
            raise DataError(f"cannot be written ({exc.strerror})", path=str(args.output)) from None
    else:
        try:
            rows.to_csv(sys.stdout, index=False)
            sys.stdout.flush()
        except BrokenPipeError:  # | head: the reader has what it wanted
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (open until the process ends)
    return 0


def register(subparsers) -> None:
    """Add the ``extract`` subcommand to the project's command line."""
    p = subparsers.add_parser(
        "extract",
        help="propose every quantity in a text file as figures.csv rows",
        description="Extract every quantity from a UTF-8 text file and write CSV rows shaped like "
        "data/figures.csv (article, id and subjects left for the curator).",
    )
    p.add_argument("file", type=Path, help="UTF-8 text file, e.g. seeds/000_c4b6ae83c6418815.txt")
    p.add_argument("-o", "--output", type=Path, help="CSV file to write (default: standard output)")
    p.set_defaults(func=run_extract)

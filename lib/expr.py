"""A small, safe expression language over the page's figure ids: what a claim computes.

An expression is parsed (never ``eval``-ed) into a tree of :class:`Node` and evaluated to a
:class:`Value` (an interval, its unit, the inputs the page lacks) under one reading of each
rule of :data:`READING_RULES` it depends on. What the language holds:

* a figure id (``lg-revenue-total``: the interval its wording allows, from data/figures.csv),
  ``ref:ID`` (a figure of data/reference.csv), a number (``100``, ``2017``), or a call;
* arithmetic: ``add(a, b, …)``, ``sub(a, b)``, ``mul(a, b, …)``, ``div(a, b)``, ``min(…)``,
  ``max(…)``; ``ratio(a, b)`` (times), ``share(part, whole)`` (percent), ``part_of(share,
  whole)``, ``growth(start, end)`` (percent), ``cagr(start, end, years)`` (percent a year),
  ``whole(x)`` (the whole numbers in x: a count implied by a mean must be whole),
  ``whole_count(share, total)`` (the whole counts a percentage of a total allows);
* readings (each names the rule in :data:`READING_RULES` it depends on, which the row's
  ``readings`` column must list): ``multiple(start, end)`` (the N of 增长N倍 from its two
  ends), ``factor(multiple)`` (end ÷ start for a printed 增长N倍), ``years(first, last)``,
  ``nested(place_share, region_share)`` (percentage points the region's share exceeds the
  place's), ``rebase(share, subset_share)``, ``combined(share_a, share_b)``,
  ``span(length, towers)`` (a line's mean span);
* ``count_of('甲、乙', '丙')``: how many items the quoted passages list (each passage must occur
  once in the page; 、 separates items); ``unknown('what', low, high)``: an input the page lacks,
  bounded as far as the page allows (bounds optional);
* text: ``spellings('宁夏枢纽', '宁厦枢纽')`` (how many of these spellings of one name the page
  prints; 1 when it is consistent), ``doubled('科学城')`` (how many times a word is printed
  twice in a row);
* ``outside('the source that would settle it')``: any value; the claim is unverifiable;
* for the stated side: ``at_least(x)``, ``at_most(x)``, ``range(a, b)``.

Nothing is ``eval``-ed: the text is tokenised and parsed by the functions below. Units are
checked as the expression is evaluated (yuan / yuan is times; percent − percent is pp).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from . import quantities as q
from .errors import DataError
from .intervals import INF, Interval, cagr, format_interval, growth_rate, point, share, whole
from .page import Page

ANY = "any"  # the unit of a bare number or an unbounded unknown: it fits any other
UNITS = sorted({k.base_unit for k in q.KINDS.values()})


@dataclass(frozen=True)
class Reading:
    """One way to read a rule's wording. ``assumes`` names the fact, not stated on the page,
    that the reading needs; such a reading can reconcile a statement but never be its natural
    reading."""

    text: str
    assumes: str = ""


READING_RULES: dict[str, dict[str, Reading]] = {
    "growth_multiple": {
        "to": Reading("增长N倍 read as grew to N times the start"),
        "by": Reading("增长N倍 read as grew by N times, to N+1 times the start"),
    },
    "year_count": {
        "inclusive": Reading("years counted inclusively, both ends (2016 to 2020 is 5 years)"),
        "intervals": Reading("years counted as steps between the ends (2016 to 2020 is 4 years)"),
    },
    "nested_share": {
        "same": Reading("both shares of the same firms: a place cannot take more than its region"),
        "within": Reading(
            "the place's share is of the firms that went to the region",
            assumes="the place's share is of the firms that moved within the "
            "region, not of all the movers the region's share is of",
        ),
    },
    "denominator": {
        "all": Reading("each share is of all the firms"),
        "subset": Reading("each share is of its own subset of the firms"),
    },
    "span_count": {
        "towers": Reading("a line's length shared over its towers"),
        "gaps": Reading("a line's length shared over the gaps between its towers (towers - 1)"),
    },
}


class ExprError(ValueError):
    """A computation that cannot be parsed or evaluated."""


# --- parsing -------------------------------------------------------------------------------

TOKEN = re.compile(
    r"\s*(?:(?P<str>'[^']*')|(?P<num>\d+(?:\.\d+)?)(?![\w-])"
    r"|(?P<name>(?:ref:)?[a-z][a-z0-9_]*(?:-[a-z0-9]+)*)|(?P<punct>[(),]))"
)


@dataclass(frozen=True)
class Node:
    kind: str  # call, fig, ref, num, str
    value: str | float
    args: tuple[Node, ...] = ()


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out, k, text = [], 0, text.rstrip()
    while k < len(text):
        m = TOKEN.match(text, k)
        if not m:
            raise ExprError(
                f"unexpected «{text[k:].strip()[:12]}» at character {k + 1}; "
                f"expected a figure id, a number, a 'quote' or a call such as "
                f"div(a, b)"
            )
        kind = m.lastgroup
        out.append((kind, m.group(kind), m.start(kind)))
        k = m.end()
    return out


def parse(text: str) -> Node:
    """The expression tree of a computation; ExprError names the character that breaks it."""
    toks = _tokens(text)
    if not toks:
        raise ExprError("empty; expected an expression such as div(a, b)")
    parser = _Parser(toks)
    tree = parser.value()
    if parser.pos != len(toks):
        kind, val, at = toks[parser.pos]
        raise ExprError(
            f"'{val}' at character {at + 1} after a complete expression; expected nothing more"
        )
    return tree


class _Parser:
    """A recursive-descent reader of ``_tokens``: a value is a number, a string, a figure id, a
    ``ref:`` id or a call of one of ``FUNCTIONS``."""

    def __init__(self, toks: list[tuple[str, str, int]]) -> None:
        self.toks, self.pos = toks, 0

    def expect(self, what: str) -> tuple[str, str, int]:
        if self.pos >= len(self.toks):
            raise ExprError(f"the expression ends early; expected {what}")
        self.pos += 1
        return self.toks[self.pos - 1]

    def value(self) -> Node:
        kind, val, at = self.expect("a value")
        if kind == "num":
            return Node("num", float(val))
        if kind == "str":
            return Node("str", val[1:-1])
        if kind != "name":
            raise ExprError(f"'{val}' at character {at + 1}; expected a value")
        if self.pos < len(self.toks) and self.toks[self.pos][1] == "(":
            return self.call(val, at)
        if val.startswith("ref:"):
            return Node("ref", val[4:])
        return Node("fig", val)

    def call(self, name: str, at: int) -> Node:
        if name not in FUNCTIONS:
            raise ExprError(
                f"'{name}' at character {at + 1} is not a function (known: {', '.join(FUNCTIONS)})"
            )
        self.expect("(")
        args = [self.value()]
        while True:
            _, v, a = self.expect("',' or ')'")
            if v == ")":
                break
            if v != ",":
                raise ExprError(f"'{v}' at character {a + 1}; expected ',' or ')'")
            args.append(self.value())
        spec = FUNCTIONS[name]
        if not spec.min_args <= len(args) <= (spec.max_args or len(args)):
            want = (
                f"{spec.min_args}"
                if spec.max_args == spec.min_args
                else f"{spec.min_args} or more"
                if spec.max_args is None
                else f"{spec.min_args} to {spec.max_args}"
            )
            raise ExprError(
                f"{name}() at character {at + 1} takes {want} arguments, got {len(args)}"
            )
        return Node("call", name, tuple(args))


def walk(tree: Node):
    yield tree
    for a in tree.args:
        yield from walk(a)


# --- evaluation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    iv: Interval
    unit: str
    unknowns: tuple[str, ...] = ()
    outside: str = ""  # the outside source a statement needs (set by outside())


@dataclass
class Context:
    figures: dict[str, Value]
    reference: dict[str, Value]
    page: Page
    readings: dict[str, str] = field(default_factory=dict)


def _units(name: str, vals, allowed=None) -> str:
    units = {v.unit for v in vals} - {ANY}
    if len(units) > 1:
        raise ExprError(f"{name}() needs its arguments in one unit; got {', '.join(sorted(units))}")
    unit = units.pop() if units else ANY
    if allowed and unit not in allowed + (ANY,):
        raise ExprError(f"{name}() needs {' or '.join(allowed)}; got {unit}")
    return unit


def _add(ctx, *a):
    units = {v.unit for v in a} - {ANY}
    unit = "percent" if units == {"percent", "pp"} else _units("add", a)
    return sum((v.iv for v in a[1:]), a[0].iv), unit


def _sub(ctx, a, b):
    if a.unit == b.unit == "percent":
        return a.iv - b.iv, "pp"
    if (a.unit, b.unit) == ("percent", "pp"):
        return a.iv - b.iv, "percent"
    return a.iv - b.iv, _units("sub", (a, b))


def _mul(ctx, *a):
    iv, unit = a[0].iv, a[0].unit
    for v in a[1:]:
        iv = iv * v.iv
        pair = {unit, v.unit}
        if pair == {"usd", "cny_per_usd"}:
            unit = "yuan"
        elif unit in (ANY, "count", "times"):
            unit = v.unit
        elif v.unit not in (ANY, "count", "times"):
            raise ExprError(
                f"mul() cannot multiply {unit} by {v.unit}; expected a quantity "
                f"times a count, a multiple, a number or an exchange rate"
            )
    return iv, unit


def _div(ctx, a, b):
    if a.unit == b.unit and a.unit != ANY:
        unit = "times"
    elif b.unit in (ANY, "count", "times"):
        unit = a.unit
    elif (a.unit, b.unit) == ("yuan", "cny_per_usd"):
        unit = "usd"
    elif (a.unit, b.unit) == ("yuan", "usd"):
        unit = "cny_per_usd"
    else:
        raise ExprError(
            f"div() cannot divide {a.unit} by {b.unit}; expected like by like, "
            f"or a quantity by a count or a number"
        )
    return a.iv / b.iv, unit


def _minmax(pick):
    def f(ctx, *a):
        unit = _units(pick.__name__, a)
        return Interval(pick(v.iv.low for v in a), pick(v.iv.high for v in a)), unit

    return f


def _reading(ctx, rule: str) -> str:
    return ctx.readings[rule]


def _multiple(ctx, start, end):
    _units("multiple", (start, end))
    r = end.iv / start.iv
    return (r if _reading(ctx, "growth_multiple") == "to" else r - 1), "times"


def _factor(ctx, multiple):
    _units("factor", (multiple,), ("times",))
    return (multiple.iv if _reading(ctx, "growth_multiple") == "to" else multiple.iv + 1), "times"


def _years(ctx, first, last):
    _units("years", (first, last), ("year",))
    span = last.iv - first.iv
    return (span + 1 if _reading(ctx, "year_count") == "inclusive" else span), "year"


def _rebase(ctx, s, subset):
    _units("rebase", (s, subset), ("percent",))
    if _reading(ctx, "denominator") == "all":
        return Value(s.iv, "percent", s.unknowns)
    return s.iv * subset.iv / 100, "percent"


def _combined(ctx, a, b):
    _units("combined", (a, b), ("percent",))
    return (a.iv + b.iv if _reading(ctx, "denominator") == "all" else a.iv.hull(b.iv)), "percent"


def _nested(ctx, inner, outer):
    _units("nested", (inner, outer), ("percent",))
    if _reading(ctx, "nested_share") == "same":
        return outer.iv - inner.iv, "pp"
    return outer.iv * (1 - inner.iv / 100), "pp"  # outer once: no widening by dependency


def _whole_count(ctx, s, total):
    _units("whole_count", (s,), ("percent",))
    _units("whole_count", (total,), ("count",))
    return whole(s.iv * total.iv / 100), "count"


def _span(ctx, length, towers):
    _units("span", (towers,), ("count",))
    n = towers.iv if _reading(ctx, "span_count") == "towers" else towers.iv - 1
    if n.high <= 0:
        raise ExprError(f"span(): {describe(n)} spans; expected at least one")
    return length.iv / n, length.unit


def _whole(ctx, x):
    _units("whole", (x,), ("count", "times"))
    return whole(x.iv), "count"


def _count_of(ctx, *quotes):
    items = 0
    for text in quotes:
        try:
            ctx.page.locate(text)
        except DataError as exc:
            raise ExprError(f"count_of(): {exc}") from None
        items += len([p for p in text.split("、") if p.strip()])
    return point(items), "count"


def _occurrences(ctx, text: str) -> int:
    return ctx.page.text.count(text)


def _spellings(ctx, *variants):
    """How many of the given spellings of one name the page prints (1 when it is consistent)."""
    return point(sum(1 for v in variants if _occurrences(ctx, v))), "count"


def _doubled(ctx, word):
    """How many times the page prints ``word`` twice in a row."""
    return point(_occurrences(ctx, word + word)), "count"


def _outside(ctx, source):
    """A statement only an outside source can settle: any value, and the source as unknown."""
    return Value(Interval(-INF, INF), ANY, (f"an outside source: {source}",), outside=source)


def _unknown(ctx, label, low=None, high=None):
    unit = _units("unknown", [v for v in (low, high) if v is not None])
    iv = Interval(-INF if low is None else low.iv.low, INF if high is None else high.iv.high)
    return Value(iv, unit, (label,))


def _ratio(ctx, a, b):
    _units("ratio", (a, b))
    return a.iv / b.iv, "times"


def _share(ctx, part, whole_):
    _units("share", (part, whole_))
    return share(part.iv, whole_.iv), "percent"


def _part_of(ctx, s, whole_):
    _units("part_of", (s,), ("percent",))
    return s.iv * whole_.iv / 100, whole_.unit


def _growth(ctx, start, end):
    _units("growth", (start, end))
    return growth_rate(start.iv, end.iv), "percent"


def _cagr(ctx, start, end, years):
    _units("cagr", (start, end))
    _units("cagr", (years,), ("year",))
    try:
        return cagr(start.iv, end.iv, years.iv), "percent"
    except ValueError as exc:
        raise ExprError(f"cagr(): {exc}") from None


def _at_least(ctx, x):
    return Interval(x.iv.low, INF), x.unit


def _at_most(ctx, x):
    return Interval(-INF, x.iv.high), x.unit


def _range(ctx, a, b):
    return Interval(a.iv.low, b.iv.high), _units("range", (a, b))


@dataclass(frozen=True)
class Spec:
    func: object
    min_args: int
    max_args: int | None
    rule: str | None = None
    strings: str = ""  # "all": every argument a 'quote'; "first": the first one


FUNCTIONS: dict[str, Spec] = {
    "add": Spec(_add, 2, None),
    "sub": Spec(_sub, 2, 2),
    "mul": Spec(_mul, 2, None),
    "div": Spec(_div, 2, 2),
    "min": Spec(_minmax(min), 2, None),
    "max": Spec(_minmax(max), 2, None),
    "ratio": Spec(_ratio, 2, 2),
    "share": Spec(_share, 2, 2),
    "part_of": Spec(_part_of, 2, 2),
    "growth": Spec(_growth, 2, 2),
    "cagr": Spec(_cagr, 3, 3),
    "whole": Spec(_whole, 1, 1),
    "multiple": Spec(_multiple, 2, 2, "growth_multiple"),
    "factor": Spec(_factor, 1, 1, "growth_multiple"),
    "years": Spec(_years, 2, 2, "year_count"),
    "nested": Spec(_nested, 2, 2, "nested_share"),
    "rebase": Spec(_rebase, 2, 2, "denominator"),
    "combined": Spec(_combined, 2, 2, "denominator"),
    "whole_count": Spec(_whole_count, 2, 2),
    "span": Spec(_span, 2, 2, "span_count"),
    "spellings": Spec(_spellings, 2, None, strings="all"),
    "doubled": Spec(_doubled, 1, 1, strings="all"),
    "outside": Spec(_outside, 1, 1, strings="all"),
    "count_of": Spec(_count_of, 1, None, strings="all"),
    "unknown": Spec(_unknown, 1, 3, strings="first"),
    "at_least": Spec(_at_least, 1, 1),
    "at_most": Spec(_at_most, 1, 1),
    "range": Spec(_range, 2, 2),
}


def evaluate(tree: Node, ctx: Context) -> Value:
    """The value of an expression tree under the readings in ``ctx``."""
    if tree.kind == "num":
        return Value(point(tree.value), ANY)
    if tree.kind == "fig":
        if tree.value not in ctx.figures:
            raise ExprError(f"'{tree.value}' is not a figure id in data/figures.csv")
        return ctx.figures[tree.value]
    if tree.kind == "ref":
        if tree.value not in ctx.reference:
            raise ExprError(f"'ref:{tree.value}' is not an id in data/reference.csv")
        return ctx.reference[tree.value]
    if tree.kind == "str":
        raise ExprError(f"'{tree.value}' is a quote where a value is expected")
    spec = FUNCTIONS[tree.value]
    if spec.rule and spec.rule not in ctx.readings:
        raise ExprError(
            f"{tree.value}() depends on the reading rule '{spec.rule}'; expected "
            f"it in column readings"
        )
    args = []
    for i, a in enumerate(tree.args):
        want_str = spec.strings == "all" or (spec.strings == "first" and i == 0)
        if want_str != (a.kind == "str"):
            raise ExprError(
                f"{tree.value}() argument {i + 1}: expected "
                + ("a 'quote'" if want_str else "a value, not a quote")
            )
        args.append(a.value if want_str else evaluate(a, ctx))
    out = spec.func(ctx, *args)
    if isinstance(out, Value):
        return out
    iv, unit = out
    vals = [a for a in args if isinstance(a, Value)]
    unknowns = tuple(dict.fromkeys(u for a in vals for u in a.unknowns))
    return Value(iv, unit, unknowns, next((a.outside for a in vals if a.outside), ""))


def input_ids(tree: Node) -> list[str]:
    return [
        ("ref:" if n.kind == "ref" else "") + n.value
        for n in walk(tree)
        if n.kind in ("fig", "ref")
    ]


def rules_of(tree: Node) -> set[str]:
    return {
        FUNCTIONS[n.value].rule for n in walk(tree) if n.kind == "call" and FUNCTIONS[n.value].rule
    }


def reading_combinations(rules: list[str]) -> list[dict[str, str]]:
    """Every combination of readings of the given rules (one empty dict if there are none)."""
    return [
        dict(zip(rules, combo))
        for combo in itertools.product(*(list(READING_RULES[r]) for r in rules))
    ]


def _num(x: float) -> str:
    a = abs(x)
    if a >= 1e8:
        return f"{x / 1e8:.4g}亿"
    if a >= 1e5:
        return f"{x / 1e4:.4g}万"
    return f"{x:.4g}"


def describe(iv: Interval, unit: str = "") -> str:
    """An interval in words: '9.382', '13.43亿 to 13.71亿 yuan', 'at least 0 pp', 'no value'."""
    return format_interval(
        iv, _num, words=True, unit="" if unit in ("", ANY) else unit, empty="no value"
    )

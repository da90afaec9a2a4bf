"""The detectors of the audit of an uncurated page (:mod:`lib.audit`): each finds a statement
whose arithmetic the page itself prints and writes it as a claim in the audit's own language.

What is detected, each by one function here (a detector proposes a claim only when the words
that make the statement checkable are printed; it never guesses a missing input):

* ``multiple``: 增长N倍 with both ends of the series printed in the sentence or the one before;
* ``year_span``: a stated number of years beside the two years it spans (N年间, N年增长);
* ``mean``: a mean printed beside its total and count (div), or beside its total alone (the
  count it implies must be whole);
* ``share``: a count, then 占 … P% of a count printed before it (share);
* ``whole_count``: a percentage of a small printed count (at most 10,000 things) must be k/N
  for a whole k, within the printed precision (the GRIM test for percentages);
* ``within``: a total, then 其中 and its parts in the same unit: the parts cannot exceed it;
* ``rank``: 全国第N beside a regional 第M: a region's rank cannot be worse than the nation's;
* ``points``: two percentages and N个百分点 in one sentence: their difference;
* ``shares_sum``: percentages of firms moving the same way (P%的企业…迁移至…) in one paragraph
  cannot sum past 100%;
* ``repeated``: one subject printed twice with values that cannot be the same;
* ``span_conventions``: two year spans of equal length printed with different numbers of years;
* ``yearly``: 逐年增多 against each printed year's count and the year before it;
* ``money_share``: 占 … P% of two sums printed nearby, part and whole told apart by their words;
* ``slowdown``: 放缓, 下降, 减少, 回落 beside a year's count and the year before's;
* ``statistics``: a sample's minimum, median, mean and maximum in order;
* ``comparison``: a rate said to be higher (高于, 快于) than another, against the two printed.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from . import claims as cl
from .page import Page

PROPOSED = "proposed"
YEAR_UNIT, DURATION = "年份", "year"
MAX_GRIM = 10_000  # a whole-count check says nothing about a share of a larger count
GROWTH_MULTIPLE_WHY = (
    "增长N倍 is written in ordinary news both for a ratio of N and for an "
    "increase of N times; nothing on the page settles which"
)
PERCENT_OF_FIRMS = re.compile(r"(?:的)?(?:企业|公司|人|者)")
VERB_KEY = re.compile(r"([\u4e00-\u9fff]{2,4}?)(?:至|到)")
MONEY_WORDS = re.compile(r"收入|营收|产值|投资|金额|销售|利润|资金")
COUNT_SHARE = re.compile(r"企业占比|数量占比|家数|企业数")
RANK = re.compile(r"(全国|全省|全市)第")
REGION_RANK = re.compile(r"(西部|东部|中部|东北|省内|区内|[\u4e00-\u9fff]{2})第")
IDS = re.compile(r"\b(?:ref:)?[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b|\bf\d{3}\b")


# --- sentences and quotes ----------------------------------------------------------------------


SENTENCE_END = re.compile(r"[。！？\n]")


def _ends(page: Page) -> list[int]:
    """The offsets just after each sentence's end, computed once per page."""
    ends = page.__dict__.get("_audit_sentence_ends")
    if ends is None:
        ends = [m.end() for m in SENTENCE_END.finditer(page.text)]
        page.__dict__["_audit_sentence_ends"] = ends
    return ends


GRAM = 6  # the length of the index's keys: passages shorter than this are counted directly


def _index(page: Page) -> dict[str, list[int]]:
    """Where each passage of GRAM characters starts, computed once per page, so that whether a
    quote occurs once is a look-up, not a scan of the whole text."""
    index = page.__dict__.get("_audit_gram_index")
    if index is None:
        index = defaultdict(list)
        text = page.text
        for k in range(len(text) - GRAM + 1):
            index[text[k : k + GRAM]].append(k)
        page.__dict__["_audit_gram_index"] = index
    return index


def occurs_once(page: Page, quote: str) -> bool:
    """Whether ``quote`` occurs exactly once in the page's normalised text."""
    if len(quote) < GRAM:
        return page.text.count(quote) == 1
    hits = [k for k in _index(page).get(quote[:GRAM], ()) if page.text.startswith(quote, k)]
    return len(hits) == 1


def sentence_no(page: Page, offset: int) -> int:
    """How many sentences end before ``offset``: its sentence's number."""
    return bisect.bisect_right(_ends(page), offset)


# --- detectors -----------------------------------------------------------------------------


@dataclass
class Found:
    rule: str
    kind: str
    quote: str  # the statement: a passage of the normalised text
    computation: str
    stated: str
    unit: str
    inputs: list[str]
    readings: str = ""
    natural: str = ""
    why: str = ""
    note: str = ""


class Figs:
    """The proposed figures as plain records, indexed by sentence and by base unit, and the
    printed years: what every detector looks things up in (a DataFrame filter per figure
    would make a long text quadratic)."""

    def __init__(self, page: Page, frame: pd.DataFrame, mentions: pd.DataFrame):
        self.page = page
        self.all = frame.to_dict("records")
        self.by_sentence: dict[int, list[dict]] = defaultdict(list)
        self.by_unit: dict[str, list[dict]] = defaultdict(list)
        for f in self.all:
            self.by_sentence[f["sentence_no"]].append(f)
            self.by_unit[f["base_unit"]].append(f)
        self.two_percents = {
            no: ps
            for no, fs in self.by_sentence.items()
            if len(ps := [f for f in fs if f["base_unit"] == "percent"]) == 2
        }
        self.years: dict[int, list[tuple[int, int]]] = defaultdict(list)  # sentence -> (at, year)
        for at, value, unit in zip(mentions["start"], mentions["value"], mentions["unit"]):
            if unit == YEAR_UNIT and str(value).isdigit():
                self.years[sentence_no(page, at)].append((at, int(value)))

    def near(self, first: int, last: int, units: tuple[str, ...] | None = None) -> list[dict]:
        """The figures of sentences first … last, in reading order."""
        return [
            f
            for no in range(first, last + 1)
            for f in self.by_sentence.get(no, ())
            if units is None or f["base_unit"] in units
        ]

    def year_of(self, f: dict) -> int | None:
        """The year printed last before a figure in its sentence, if any."""
        ys = [y for at, y in self.years.get(f["sentence_no"], ()) if at < f["start"]]
        return ys[-1] if ys else None


def _sentence(page: Page, no: int) -> tuple[int, int]:
    """The normalised span of sentence ``no``."""
    ends = _ends(page)
    start = ends[no - 1] if no > 0 else 0
    end = ends[no] if no < len(ends) else len(page.text)
    return start, end


CLAUSE_END = "，；：,;:"


def _quote(page: Page, start: int, end: int) -> str:
    """The passage a curator reads the statement in: the clauses around [start, end) (from the
    last clause break before it to the next one after it, within its sentence), widened clause
    by clause until it occurs once in the page (the whole sentence when nothing shorter is
    unique)."""
    s_start, s_end = _sentence(page, sentence_no(page, max(start, 0)))
    text = page.text

    def widen(lo: int, hi: int) -> tuple[int, int]:
        while lo > s_start and text[lo - 1] not in CLAUSE_END:
            lo -= 1
        while hi < s_end and text[hi - 1 : hi] not in CLAUSE_END and text[hi] not in "。！？\n":
            hi += 1
        return lo, hi

    lo, hi = widen(max(start, s_start), min(max(end, start + 1), s_end))
    quote = text[lo:hi].strip().rstrip(CLAUSE_END)
    while not occurs_once(page, quote) and (lo > s_start or hi < s_end):
        lo, hi = widen(max(s_start, lo - 1), min(s_end, hi + 1))
        quote = text[lo:hi].strip().rstrip(CLAUSE_END)
    return quote


def _before(page: Page, f: dict, n: int) -> str:
    return page.text[max(0, f["start"] - n) : f["start"]]


def _grams(text: str) -> set[str]:
    cjk = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {cjk[k : k + 2] for k in range(len(cjk) - 1)}


def detect_multiples(figs: Figs) -> list[Found]:
    page, out = figs.page, []
    for m in figs.by_unit["times"]:
        if not re.search("增长|增加", _before(page, m, 6)):
            continue
        ends = [
            f
            for f in figs.near(m["sentence_no"] - 1, m["sentence_no"], ("count", "yuan", "usd"))
            if f["start"] < m["start"]
        ]
        if len(ends) < 2 or ends[-2]["base_unit"] != ends[-1]["base_unit"]:
            continue
        a, b = ends[-2], ends[-1]
        out.append(
            Found(
                "multiple",
                "arithmetic",
                _quote(page, a["start"], m["end"]),
                f"multiple({a['id']}, {b['id']})",
                m["id"],
                "times",
                [a["id"], b["id"], m["id"]],
                "growth_multiple",
                cl.NONE,
                GROWTH_MULTIPLE_WHY,
            )
        )
    return out


def detect_year_spans(figs: Figs) -> list[Found]:
    page, out = figs.page, []
    for d in figs.by_unit[DURATION]:
        if d["unit"] != "年":
            continue
        ys = [y for at, y in figs.years.get(d["sentence_no"], ()) if at < d["start"]]
        if len(ys) < 2 or ys[-1] <= ys[-2]:
            continue
        natural, why = (
            ("year_count=intervals", "年间 counts the years between the two ends")
            if page.text[d["end"] : d["end"] + 1] == "间"
            else (cl.NONE, "a span of years is counted both ways in ordinary usage")
        )
        out.append(
            Found(
                "year_span",
                "arithmetic",
                _quote(page, d["start"] - 12, d["end"]),
                f"years({ys[-2]}, {ys[-1]})",
                d["id"],
                "year",
                [d["id"]],
                "year_count",
                natural,
                why,
            )
        )
    return out


def detect_means(figs: Figs) -> list[Found]:
    page, out = figs.page, []
    for mean in figs.by_unit["yuan"] + figs.by_unit["usd"]:
        if "平均" not in _before(page, mean, 16):
            continue
        same = [f for f in figs.by_sentence[mean["sentence_no"]] if f["start"] < mean["start"]]
        totals = [
            f for f in same if f["base_unit"] == mean["base_unit"] and "总" in _before(page, f, 14)
        ]
        if not totals:
            continue
        total = totals[-1]
        counts = [f for f in same if f["base_unit"] == "count" and f["start"] < total["start"]]
        if counts:
            c = counts[-1]
            out.append(
                Found(
                    "mean",
                    "arithmetic",
                    _quote(page, c["start"], mean["end"]),
                    f"div({total['id']}, {c['id']})",
                    mean["id"],
                    mean["base_unit"],
                    [total["id"], c["id"], mean["id"]],
                )
            )
        else:
            out.append(
                Found(
                    "mean",
                    "arithmetic",
                    _quote(page, total["start"], mean["end"]),
                    f"whole(div({total['id']}, {mean['id']}))",
                    "at_least(1)",
                    "count",
                    [total["id"], mean["id"]],
                    note="a total over its mean is a count of things: it must be whole",
                )
            )
    return out


def detect_shares(figs: Figs) -> list[Found]:
    page, out = figs.page, []
    for p in figs.by_unit["percent"]:
        if "占" not in _before(page, p, 10):
            continue
        same = [
            f
            for f in figs.by_sentence[p["sentence_no"]]
            if f["start"] < p["start"] and f["base_unit"] == "count"
        ]
        if len(same) < 2:
            continue
        whole, part = same[-2], same[-1]
        out.append(
            Found(
                "share",
                "arithmetic",
                _quote(page, whole["start"], p["end"]),
                f"share({part['id']}, {whole['id']})",
                p["id"],
                "percent",
                [part["id"], whole["id"], p["id"]],
            )
        )
    return out


def detect_whole_counts(figs: Figs) -> list[Found]:
    page, out = figs.page, []
    for p in figs.by_unit["percent"]:
        context = _before(page, p, 14)
        if not re.search(r"数量占比|占比|有|占样本", context) or "增" in context:
            continue
        earlier = [
            f
            for f in figs.near(p["sentence_no"] - 3, p["sentence_no"], ("count",))
            if f["start"] < p["start"] and f["qualifier"] == "exact"
        ]
        for c in reversed(earlier):
            noun = re.match(r"[\u4e00-\u9fff]{2,3}", page.text[c["end"] : c["end"] + 3])
            if c["low"] <= MAX_GRIM and (
                (noun and noun.group()[:2] in context) or "样本" in _before(page, c, 4)
            ):
                out.append(
                    Found(
                        "whole_count",
                        "arithmetic",
                        _quote(page, p["start"] - 10, p["end"]),
                        f"whole_count({p['id']}, {c['id']})",
                        "at_least(0)",
                        "count",
                        [p["id"], c["id"]],
                        note="a percentage of a count of things must be a whole number of them",
                    )
                )
                break
    return out


def detect_within(figs: Figs) -> list[Found]:
    page, out = figs.page, []
    for m in re.finditer("其中", page.text):
        no = sentence_no(page, m.start())
        parts = [
            f
            for f in figs.by_sentence.get(no, ())
            if f["start"] > m.end() and f["base_unit"] in ("count", "km")
        ]
        if not parts:
            continue
        parts = [f for f in parts if f["base_unit"] == parts[0]["base_unit"]]
        wholes = [
            f for f in figs.near(no - 1, no, (parts[0]["base_unit"],)) if f["end"] <= m.start()
        ]
        if not wholes:
            continue
        whole = wholes[-1]
        clauses = [re.split(r"[，；]", page.text[m.end() : f["start"]])[-1] for f in parts]
        marks = [re.search(r"([\u4e00-\u9fff]{2})(?:超过|达到|高于|不少于)", c) for c in clauses]
        first = whole["start"] if whole["sentence_no"] == no else m.start()
        ids = [f["id"] for f in parts]
        if all(marks) and len({k.group(1) for k in marks}) == 1 and len(ids) > 1:
            # tiers of one measure (增速超过50% … 增速达到一倍以上): each within the one before
            pairs = list(zip([whole["id"], *ids[:-1]], ids))
            note = "其中 (of them), tiers of one measure: each lies within the one before"
        elif any(marks) or len(ids) == 1:
            pairs = [(whole["id"], i) for i in ids]
            note = "其中 (of them): each part lies within the whole"
        else:
            pairs = [(whole["id"], f"add({', '.join(ids)})")]
            note = "其中 (of them): the parts lie within the whole"
        for outer, inner in pairs:
            out.append(
                Found(
                    "within",
                    "reconciliation",
                    _quote(page, first, parts[-1]["end"]),
                    f"sub({outer}, {inner})",
                    "at_least(0)",
                    whole["base_unit"],
                    [outer, *IDS.findall(inner)],
                    note=note,
                )
            )
    return out


def detect_ranks(figs: Figs) -> list[Found]:
    page, out = figs.page, []
    ranks = figs.by_unit["rank"]
    for k, nat in enumerate(ranks):
        if not RANK.search(_before(page, nat, 3)) or k + 1 >= len(ranks):
            continue
        reg = ranks[k + 1]
        if reg["start"] >= nat["end"] + 8 or not REGION_RANK.search(_before(page, reg, 3)):
            continue
        out.append(
            Found(
                "rank",
                "arithmetic",
                _quote(page, nat["start"] - 2, reg["end"]),
                f"sub({nat['id']}, {reg['id']})",
                "at_least(0)",
                "rank",
                [nat["id"], reg["id"]],
                note="a region's rank cannot be worse than its rank in the nation",
            )
        )
    return out


def _two_percents(
    figs: Figs, around: int, clause: set[str], least: int, reach: int = 15
) -> list[dict] | None:
    """The two percentages of the sentence within ``reach`` of ``around`` that prints exactly
    two and shares more than ``least`` words with ``clause`` (``around`` itself first)."""
    best, score = None, least
    for no in sorted(
        (n for n in figs.two_percents if abs(n - around) <= reach), key=lambda n: abs(n - around)
    ):
        two = figs.two_percents[no]
        if no == around:
            return two
        s_start, s_end = _sentence(figs.page, no)
        shared = len(clause & _grams(figs.page.text[s_start:s_end]))
        if shared > score:
            best, score = two, shared
    return best


def detect_points(figs: Figs) -> list[Found]:
    """N个百分点 against the two percentages it compares: in its sentence, or else in the
    nearby sentence that prints exactly two and shares the most words with its clause."""
    page, out = figs.page, []
    for pp in figs.by_unit["pp"]:
        two = _two_percents(figs, pp["sentence_no"], _grams(_before(page, pp, 20)), 2)
        if two is None:
            continue
        a, b = two
        out.append(
            Found(
                "points",
                "arithmetic",
                _quote(page, pp["start"] - 12, pp["end"]),
                f"max(sub({a['id']}, {b['id']}), sub({b['id']}, {a['id']}))",
                pp["id"],
                "pp",
                [a["id"], b["id"], pp["id"]],
            )
        )
    return out


def detect_share_sums(figs: Figs) -> list[Found]:
    page, by_verb = figs.page, defaultdict(list)
    for p in figs.by_unit["percent"]:
        after = page.text[p["end"] : p["end"] + 18]
        head = PERCENT_OF_FIRMS.match(after) or re.match(r"[\u4e00-\u9fff]{0,8}?企业", after)
        verb = head and VERB_KEY.match(after[head.end() : head.end() + 8])
        if verb:
            by_verb[verb.group(1)].append(p)
    out = []
    for verb, ps in by_verb.items():
        clusters = [[ps[0]]]
        for p in ps[1:]:  # shares printed within two sentences of each other
            if p["sentence_no"] - clusters[-1][-1]["sentence_no"] <= 2:
                clusters[-1].append(p)
            else:
                clusters.append([p])
        for group in (g for g in clusters if len(g) > 1):
            ids = [p["id"] for p in group]
            out.append(
                Found(
                    "shares_sum",
                    "reconciliation",
                    _quote(page, group[-1]["start"], group[-1]["end"] + 12),
                    f"add({', '.join(ids)})",
                    "at_most(100)",
                    "percent",
                    ids,
                    note=f"shares of the firms whose move is {verb}, to different "
                    f"places: together at most all of them",
                )
            )
    return out


def detect_repeats(figs: Figs) -> list[Found]:
    page, out, seen = figs.page, [], {}
    for f in figs.all:
        subject = re.split(r"[，。；：、！？\n（）()]", _before(page, f, 24))[-1]
        subject = re.sub(r"^(?:其中|而|和|及|与|但|共|有)", "", subject)
        if len(re.sub(r"[^\u4e00-\u9fff]", "", subject)) < 6 or subject.endswith(("在", "从")):
            continue  # too short to name a subject, or the start of a range
        g = seen.setdefault((subject, f["base_unit"]), f)
        if g is not f and (g["high"] < f["low"] or f["high"] < g["low"]):
            out.append(
                Found(
                    "repeated",
                    "text",
                    _quote(page, f["start"] - len(subject), f["end"]),
                    f"sub({g['id']}, {f['id']})",
                    "0",
                    f["base_unit"],
                    [g["id"], f["id"]],
                    note=f"{subject} is printed with two values",
                )
            )
    return out


def detect_yearly(figs: Figs) -> list[Found]:
    """逐年增多 (rose every year): each printed year's count against the year before it, over
    the statement's sentence and the three after it; a year printed with two counts is left
    out, since which series each belongs to is not certain."""
    page, out = figs.page, []
    for m in re.finditer(r"逐年(?:增多|增长|增加|上升|提高)", page.text):
        no = sentence_no(page, m.start())
        by_year: dict[int, list[dict]] = defaultdict(list)
        for f in figs.near(no, no + 3, ("count",)):
            y = figs.year_of(f)
            if y is not None:
                by_year[y].append(f)
        series = sorted((y, fs[0]["start"], fs[0]) for y, fs in by_year.items() if len(fs) == 1)
        for (y0, _, a), (y1, _, b) in zip(series, series[1:]):
            out.append(
                Found(
                    "yearly",
                    "arithmetic",
                    _quote(page, m.start(), m.end()),
                    f"sub({b['id']}, {a['id']})",
                    "at_least(0)",
                    "count",
                    [b["id"], a["id"]],
                    note=f"rose every year: {y1} against {y0}",
                )
            )
    return out


def detect_money_shares(figs: Figs) -> list[Found]:
    """占 … P% of two sums printed nearby: the part is the sum whose clause shares the most
    words with what comes before 占, the whole the one sharing most with what follows it."""
    page, out = figs.page, []
    for p in figs.by_unit["percent"]:
        s_start, _ = _sentence(page, p["sentence_no"])
        head = re.split(r"[，：；]", page.text[s_start : p["start"]])[-1]
        k = head.rfind("占")
        if k < 0 or not MONEY_WORDS.search(head) or COUNT_SHARE.search(head):
            continue  # a share of sums of money, not of a number of firms
        j = head.rfind("在", 0, k)  # X在Y占比P%: Y is the whole
        cut = j if j >= 0 and len(_grams(head[k:])) < 4 else k
        subject, obj = _grams(head[:cut]), _grams(head[cut:])
        scored = []
        for f in figs.near(p["sentence_no"] - 12, p["sentence_no"] + 12, ("yuan", "usd")):
            clause = _grams(page.text[_sentence(page, f["sentence_no"])[0] : f["start"]])
            scored.append((len(clause & subject), len(clause & obj), f))
        if len(scored) < 2:
            continue
        part = max(scored, key=lambda t: (t[0] - t[1], t[0]))
        whole = max(scored, key=lambda t: (t[1] - t[0], t[1]))
        if (
            part[2]["id"] == whole[2]["id"]
            or part[0] < 3
            or whole[1] < 2
            or part[2]["base_unit"] != whole[2]["base_unit"]
        ):
            continue
        out.append(
            Found(
                "money_share",
                "arithmetic",
                _quote(page, p["start"] - 12, p["end"]),
                f"share({part[2]['id']}, {whole[2]['id']})",
                p["id"],
                "percent",
                [part[2]["id"], whole[2]["id"], p["id"]],
            )
        )
    return out


def detect_slowdowns(figs: Figs) -> list[Found]:
    """放缓, 下降, 减少, 回落 beside a year's count: against the same count the year before,
    printed in one of the two sentences before."""
    page, out = figs.page, []
    for m in re.finditer(r"放缓|下降|减少|回落", page.text):
        no = sentence_no(page, m.start())
        here = [f for f in figs.by_sentence.get(no, ()) if f["base_unit"] == "count"]
        if len(here) != 1 or figs.year_of(here[0]) is None:
            continue
        cur, y = here[0], figs.year_of(here[0])
        prev = [f for f in figs.near(no - 2, no - 1, ("count",)) if figs.year_of(f) == y - 1]
        if len(prev) != 1:
            continue
        out.append(
            Found(
                "slowdown",
                "arithmetic",
                _quote(page, m.start() - 10, cur["end"]),
                f"growth({prev[0]['id']}, {cur['id']})",
                "at_most(0)",
                "percent",
                [prev[0]["id"], cur["id"]],
                note=f"fewer in {y} than in {y - 1}",
            )
        )
    return out


STATISTICS = {
    "min": r"最低值|最小值|最低",
    "median": r"中位数",
    "mean": r"平均",
    "max": r"最高值|最大值|最高",
}


def detect_statistics(figs: Figs) -> list[Found]:
    """The minimum, median, mean and maximum of one sample printed in one sentence: any
    sample has min <= median <= max and min <= mean <= max."""
    page, out = figs.page, []
    for no, group in figs.by_sentence.items():
        found: dict[str, dict] = {}
        for f in group:
            if f["base_unit"] not in ("yuan", "usd", "count"):
                continue
            clause = re.split(r"[，；]", page.text[_sentence(page, no)[0] : f["start"]])[-1]
            name = next(
                (
                    n
                    for n, words in STATISTICS.items()
                    if n not in found and re.search(words, clause)
                ),
                None,
            )
            if name:
                found[name] = f
        if len(found) < 4 or len({f["base_unit"] for f in found.values()}) != 1:
            continue
        lo, med, mean, hi = (found[k]["id"] for k in ("min", "median", "mean", "max"))
        out.append(
            Found(
                "statistics",
                "arithmetic",
                _quote(page, found["min"]["start"] - 6, found["min"]["end"]),
                f"min(sub({med}, {lo}), sub({hi}, {med}), sub({mean}, {lo}), sub({hi}, {mean}))",
                "at_least(0)",
                found["min"]["base_unit"],
                [med, lo, hi, mean],
                note="min <= median <= max and min <= mean <= max in any sample",
            )
        )
    return out


def detect_span_conventions(figs: Figs, year_spans: list[Found]) -> list[Found]:
    """Two year spans of equal length printed with different numbers of years: one way of
    counting years cannot give both (the nearest two spans of each pair of lengths)."""
    out, said = [], set()
    by_id = {f["id"]: f for f in figs.by_unit[DURATION]}
    spans = [(f, [int(y) for y in re.findall(r"\d{4}", f.computation)]) for f in year_spans]
    pairs = [
        (a, b)
        for k, (a, ya) in enumerate(spans)
        for b, yb in spans[k + 1 :]
        if ya[1] - ya[0] == yb[1] - yb[0] and by_id[a.stated]["low"] != by_id[b.stated]["low"]
    ]
    for a, b in sorted(
        pairs, key=lambda p: abs(by_id[p[1].stated]["start"] - by_id[p[0].stated]["start"])
    ):
        pair = tuple(sorted((by_id[a.stated]["low"], by_id[b.stated]["low"])))
        if pair in said:
            continue
        said.add(pair)
        out.append(
            Found(
                "span_conventions",
                "arithmetic",
                b.quote,
                f"sub({b.computation}, {a.computation})",
                f"sub({b.stated}, {a.stated})",
                "year",
                [b.stated, a.stated],
                "year_count",
                "year_count=intervals",
                "either way of counting gives the same verdict",
                note="two spans of the same length, printed a year apart",
            )
        )
    return out


def detect_comparisons(figs: Figs) -> list[Found]:
    """A growth rate said to be higher (高于, 快于) than another, with no number in its clause:
    the nearby sentence printing exactly two rates and sharing most words with it."""
    page, out = figs.page, []
    for m in re.finditer(
        r"([\u4e00-\u9fff“”\"]{2,16}增速)(?:高于|快于)([\u4e00-\u9fffA-Z]{2,8})", page.text
    ):
        no = sentence_no(page, m.start())
        if any(m.start() <= f["start"] < m.end() + 2 for f in figs.by_sentence.get(no, ())):
            continue
        two = _two_percents(figs, no, _grams(m.group(0)), 3, reach=len(_ends(page)))
        if two is None or two[0]["sentence_no"] == no:
            continue
        a, b = two
        out.append(
            Found(
                "comparison",
                "arithmetic",
                _quote(page, m.start(), m.end()),
                f"sub({a['id']}, {b['id']})",
                "at_least(0)",
                "pp",
                [a["id"], b["id"]],
                note="the rate printed first is said to be the higher",
            )
        )
    return out


def detect_claims(page: Page, figures: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """Every statement the detectors find, as rows shaped like ``data/claims.csv`` plus
    ``rule`` (the detector). Duplicates (same computation and stated value) are dropped, and
    a statement whose quote is not unique in the text is left out."""
    figs = Figs(page, figures, mentions)
    spans = detect_year_spans(figs)
    found = (
        detect_multiples(figs)
        + spans
        + detect_span_conventions(figs, spans)
        + detect_means(figs)
        + detect_shares(figs)
        + detect_whole_counts(figs)
        + detect_within(figs)
        + detect_ranks(figs)
        + detect_points(figs)
        + detect_share_sums(figs)
        + detect_repeats(figs)
        + detect_yearly(figs)
        + detect_money_shares(figs)
        + detect_slowdowns(figs)
        + detect_statistics(figs)
        + detect_comparisons(figs)
    )
    shared = {i for f in found if f.rule == "share" for i in f.inputs}
    rows, seen = [], set()
    for f in found:
        if f.rule == "whole_count" and f.inputs[0] in shared:
            continue
        if (f.computation, f.stated) in seen or not f.quote or not occurs_once(page, f.quote):
            continue
        seen.add((f.computation, f.stated))
        rows.append(
            {
                "article": "page",
                "id": f"c{len(rows) + 1:03d}",
                "kind": f.kind,
                "statement_zh": f.quote,
                "statement_en": "",
                "inputs": " ".join(dict.fromkeys(f.inputs)),
                "computation": f.computation,
                "stated": f.stated,
                "unit": f.unit,
                "readings": f.readings,
                "natural": f.natural,
                "natural_why": f.why,
                "notes": f"{PROPOSED} by rule {f.rule}" + (f": {f.note}" if f.note else ""),
                "rule": f.rule,
            }
        )
    return pd.DataFrame(rows, columns=cl.CLAIM_COLUMNS + ["rule"])

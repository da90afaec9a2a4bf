"""Audit a page nobody has curated: quantities, the checkable statements among them, verdicts.

The same rooms as the curated page, with the machine as curator: the extractor finds every
quantity (:mod:`lib.extract`), :func:`propose_figures` turns them into rows shaped like
``data/figures.csv``, :func:`detect_claims` finds statements whose arithmetic the page itself
prints and writes each as a claim in the audit's own language, and :mod:`lib.claims` judges
them by its rules, natural reading first. Every row is marked ``proposed``: a curator accepts
or edits it, rather than types it.

What is detected, each by one function below (a detector proposes a claim only when the words
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
* ``repeated``: one subject printed twice with values that cannot be the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import claims as cl
from . import extract as ex
from .errors import DataError
from .page import Page

PROPOSED = "proposed"
YEAR_UNIT, DURATION = "年份", "year"
MAX_GRIM = 10_000  # a whole-count check says nothing about a share of a larger count
GROWTH_MULTIPLE_WHY = ("增长N倍 is written in ordinary news both for a ratio of N and for an "
                       "increase of N times; nothing on the page settles which")
PERCENT_OF_FIRMS = re.compile(r"(?:的)?(?:企业|公司|人|者)")
VERB_KEY = re.compile(r"([\u4e00-\u9fff]{2,4}?)(?:至|到)")
MONEY_WORDS = re.compile(r"收入|营收|产值|投资|金额|销售|利润|资金")
COUNT_SHARE = re.compile(r"企业占比|数量占比|家数|企业数")
RANK = re.compile(r"(全国|全省|全市)第")
REGION_RANK = re.compile(r"(西部|东部|中部|东北|省内|区内|[\u4e00-\u9fff]{2})第")


@dataclass
class Audit:
    """The audit of one text: its quantities, proposed figures and claims, and verdicts."""

    page: Page
    mentions: pd.DataFrame
    figures: pd.DataFrame
    claims: pd.DataFrame
    evaluated: pd.DataFrame

    def verdicts(self) -> pd.DataFrame:
        """One row per claim, contradictions first (see :func:`lib.claims.verdict_table`)."""
        if self.claims.empty:
            return pd.DataFrame(columns=["claim", "kind", "rule", "statement_zh", "computed",
                                         "stated", "verdict", "strength", "note"])
        table = cl.verdict_table(self.claims, self.evaluated)
        table["rule"] = list(self.claims["rule"])
        order = {"inconsistent": 0, "ambiguous": 1, "unverifiable": 2, "consistent": 3}
        table = table.sort_values("verdict", key=lambda s: s.map(order), kind="stable")
        return table[["claim", "kind", "rule", "statement_zh", "computed", "stated", "verdict",
                      "strength", "note"]].reset_index(drop=True)


# --- figures -------------------------------------------------------------------------------


def propose_figures(page: Page, mentions: pd.DataFrame) -> pd.DataFrame:
    """The mentions that carry a value and a unit, as rows shaped like ``data/figures.csv``
    (``id`` f001, f002 …; ``note`` says they are proposed), plus the columns the detectors
    need: ``start``/``end`` (the value's span in the normalised text), ``sentence_no``
    (the sentence it is printed in) and ``printed``."""
    rows = ex.build_figure_rows(page.text, mentions)
    keep = mentions["base_unit"].ne("") & mentions["base_unit"].ne("date") & (
        mentions["low"].notna() | mentions["high"].notna())
    out = rows[keep.to_numpy()].copy()
    m = mentions[keep.to_numpy()]
    starts = [s + p.find(v) if p.find(v) >= 0 else s for s, p, v in
              zip(m["start"], m["printed"], m["value"])]
    out["low"], out["high"] = list(m["low"]), list(m["high"])  # floats: NaN is an open end
    out["start"] = starts
    out["end"] = list(m["end"])
    out["printed"] = list(m["printed"])
    out["sentence_no"] = [_sentence_no(page, s) for s in starts]
    out["id"] = [f"f{k:03d}" for k in range(1, len(out) + 1)]
    out["note"] = PROPOSED + (": " + out["note"]).where(out["note"] != "", "")
    return out.reset_index(drop=True)


def _sentence_no(page: Page, offset: int) -> int:
    return len(re.findall(r"[。！？\n]", page.text[:offset]))


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


def _sentence(page: Page, no: int) -> tuple[int, int]:
    """The normalised span of sentence ``no``."""
    ends = [m.end() for m in re.finditer(r"[。！？\n]", page.text)]
    start = ends[no - 1] if no > 0 else 0
    end = ends[no] if no < len(ends) else len(page.text)
    return start, end


def _quote(page: Page, start: int, end: int) -> str:
    """The shortest passage around [start, end) that occurs once in the page."""
    s_start, s_end = _sentence(page, _sentence_no(page, start))
    lo, hi = max(start, s_start), min(end, s_end)
    quote = page.text[lo:hi].strip()
    while page.text.count(quote) != 1 and (lo > s_start or hi < s_end):
        lo, hi = max(s_start, lo - 2), min(s_end, hi + 2)
        quote = page.text[lo:hi].strip()
    return quote


def _same_kind(rows: pd.DataFrame, unit: str) -> pd.DataFrame:
    return rows[rows["base_unit"] == unit]


def detect_multiples(page: Page, figs: pd.DataFrame) -> list[Found]:
    out = []
    for _, m in figs[figs["base_unit"] == "times"].iterrows():
        before = page.text[max(0, m["start"] - 6):m["start"]]
        if "增长" not in before and "增加" not in before:
            continue
        window = figs[(figs["sentence_no"] >= m["sentence_no"] - 1) & (figs["start"] < m["start"])]
        ends = window[window["base_unit"].isin(["count", "yuan", "usd"])]
        if len(ends) < 2:
            continue
        a, b = ends.iloc[-2], ends.iloc[-1]
        if a["base_unit"] != b["base_unit"]:
            continue
        out.append(Found("multiple", "arithmetic", _quote(page, a["start"], m["end"]),
                         f"multiple({a['id']}, {b['id']})", m["id"], "times",
                         [a["id"], b["id"], m["id"]], "growth_multiple", cl.NONE,
                         GROWTH_MULTIPLE_WHY))
    return out


def detect_year_spans(page: Page, figs: pd.DataFrame, mentions: pd.DataFrame) -> list[Found]:
    out = []
    years = mentions[mentions["unit"] == YEAR_UNIT]
    for _, d in figs[(figs["base_unit"] == DURATION) & (figs["unit"] == "年")].iterrows():
        no = d["sentence_no"]
        s_start, _ = _sentence(page, no)
        ys = [int(float(v)) for v, s in zip(years["value"], years["start"])
              if s_start <= s < d["start"] and str(v).isdigit()]
        if len(ys) < 2 or ys[-1] <= ys[-2]:
            continue
        after = page.text[d["end"]:d["end"] + 1]
        natural, why = (("year_count=intervals", "年间 counts the years between the two ends")
                        if after == "间" else (cl.NONE, "a span of years is counted both ways "
                                                        "in ordinary usage"))
        out.append(Found("year_span", "arithmetic", _quote(page, d["start"] - 12, d["end"]),
                         f"years({ys[-2]}, {ys[-1]})", d["id"], "year", [d["id"]], "year_count",
                         natural, why))
    return out


def detect_means(page: Page, figs: pd.DataFrame) -> list[Found]:
    out = []
    for _, mean in figs[figs["base_unit"].isin(["yuan", "usd"])].iterrows():
        before = page.text[max(0, mean["start"] - 16):mean["start"]]
        if "平均" not in before:
            continue
        same = figs[(figs["sentence_no"] == mean["sentence_no"]) & (figs["start"] < mean["start"])]
        totals = [r for _, r in same.iterrows() if r["base_unit"] == mean["base_unit"]
                  and "总" in page.text[max(0, r["start"] - 14):r["start"]]]
        if not totals:
            continue
        total = totals[-1]
        counts = same[(same["base_unit"] == "count") & (same["start"] < total["start"])]
        if len(counts):
            c = counts.iloc[-1]
            out.append(Found("mean", "arithmetic", _quote(page, c["start"], mean["end"]),
                             f"div({total['id']}, {c['id']})", mean["id"], mean["base_unit"],
                             [total["id"], c["id"], mean["id"]]))
        else:
            out.append(Found("mean", "arithmetic", _quote(page, total["start"], mean["end"]),
                             f"whole(div({total['id']}, {mean['id']}))", "at_least(1)", "count",
                             [total["id"], mean["id"]],
                             note="a total over its mean is a count of things: it must be whole"))
    return out


def detect_shares(page: Page, figs: pd.DataFrame) -> list[Found]:
    out = []
    for _, p in figs[figs["base_unit"] == "percent"].iterrows():
        before = page.text[max(0, p["start"] - 10):p["start"]]
        if "占" not in before:
            continue
        same = figs[(figs["sentence_no"] == p["sentence_no"]) & (figs["start"] < p["start"])
                    & (figs["base_unit"] == "count")]
        if len(same) < 2:
            continue
        whole, part = same.iloc[-2], same.iloc[-1]
        out.append(Found("share", "arithmetic", _quote(page, whole["start"], p["end"]),
                         f"share({part['id']}, {whole['id']})", p["id"], "percent",
                         [part["id"], whole["id"], p["id"]]))
    return out


def detect_whole_counts(page: Page, figs: pd.DataFrame) -> list[Found]:
    out = []
    counts = figs[(figs["base_unit"] == "count") & (figs["qualifier"] == "exact")]
    for _, p in figs[figs["base_unit"] == "percent"].iterrows():
        context = page.text[max(0, p["start"] - 14):p["start"]]
        if not re.search(r"数量占比|占比|有|占样本", context) or "增" in context:
            continue
        earlier = counts[(counts["start"] < p["start"])
                         & (counts["sentence_no"] >= p["sentence_no"] - 3)]
        total = None
        for _, c in earlier[::-1].iterrows():
            noun = re.match(r"[\u4e00-\u9fff]{2,3}", page.text[c["end"]:c["end"] + 3])
            if c["low"] <= MAX_GRIM and ((noun and noun.group()[:2] in context) or "样本" in
                                         page.text[max(0, c["start"] - 4):c["start"]]):
                total = c
                break
        if total is None:
            continue
        out.append(Found("whole_count", "arithmetic", _quote(page, p["start"] - 10, p["end"]),
                         f"whole_count({p['id']}, {total['id']})", "at_least(0)", "count",
                         [p["id"], total["id"]],
                         note="a percentage of a count of things must be a whole number of them"))
    return out


def detect_within(page: Page, figs: pd.DataFrame) -> list[Found]:
    out = []
    for m in re.finditer("其中", page.text):
        no = _sentence_no(page, m.start())
        _, s_end = _sentence(page, no)
        parts = figs[(figs["start"] > m.end()) & (figs["start"] < s_end)
                     & figs["base_unit"].isin(["count", "km"])]
        if not len(parts):
            continue
        parts = parts[parts["base_unit"] == parts.iloc[0]["base_unit"]]
        wholes = figs[(figs["end"] <= m.start()) & (figs["sentence_no"] >= no - 1)
                      & (figs["base_unit"] == parts.iloc[0]["base_unit"])]
        if not len(wholes):
            continue
        whole = wholes.iloc[-1]
        clauses = [re.split(r"[，；]", page.text[m.end():p["start"]])[-1]
                   for _, p in parts.iterrows()]
        marks = [re.search(r"([\u4e00-\u9fff]{2})(?:超过|达到|高于|不少于)", c) for c in clauses]
        first = whole["start"] if whole["sentence_no"] == no else m.start()
        ids = list(parts["id"])
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
            out.append(Found("within", "reconciliation", _quote(page, first, parts.iloc[-1]["end"]),
                             f"sub({outer}, {inner})", "at_least(0)", whole["base_unit"],
                             [outer, *IDS.findall(inner)], note=note))
    return out


def detect_ranks(page: Page, figs: pd.DataFrame) -> list[Found]:
    out = []
    ranks = figs[figs["base_unit"] == "rank"]
    for _, nat in ranks.iterrows():
        if not RANK.search(page.text[max(0, nat["start"] - 3):nat["start"]]):
            continue
        nxt = ranks[(ranks["start"] > nat["end"]) & (ranks["start"] < nat["end"] + 8)]
        if not len(nxt):
            continue
        reg = nxt.iloc[0]
        if not REGION_RANK.search(page.text[max(0, reg["start"] - 3):reg["start"]]):
            continue
        out.append(Found("rank", "arithmetic", _quote(page, nat["start"] - 2, reg["end"]),
                         f"sub({nat['id']}, {reg['id']})", "at_least(0)", "rank",
                         [nat["id"], reg["id"]],
                         note="a region's rank cannot be worse than its rank in the nation"))
    return out


def _grams(text: str) -> set[str]:
    cjk = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {cjk[k:k + 2] for k in range(len(cjk) - 1)}


def detect_points(page: Page, figs: pd.DataFrame) -> list[Found]:
    """N个百分点 against the two percentages it compares: in its sentence, or else in the
    nearby sentence that prints exactly two and shares the most words with its clause."""
    out = []
    percents = figs[figs["base_unit"] == "percent"]
    for _, pp in figs[figs["base_unit"] == "pp"].iterrows():
        clause = _grams(page.text[max(0, pp["start"] - 20):pp["start"]])
        best, score = None, 2  # at least three shared words
        for no in sorted(set(percents["sentence_no"]), key=lambda n: abs(n - pp["sentence_no"])):
            if abs(no - pp["sentence_no"]) > 15:
                break
            two = percents[percents["sentence_no"] == no]
            if len(two) != 2:
                continue
            s_start, s_end = _sentence(page, no)
            shared = len(clause & _grams(page.text[s_start:s_end]))
            if no == pp["sentence_no"] or shared > score:
                best, score = two, shared
                if no == pp["sentence_no"]:
                    break
        if best is None:
            continue
        a, b = best.iloc[0], best.iloc[1]
        out.append(Found("points", "arithmetic", _quote(page, pp["start"] - 12, pp["end"]),
                         f"max(sub({a['id']}, {b['id']}), sub({b['id']}, {a['id']}))", pp["id"],
                         "pp", [a["id"], b["id"], pp["id"]]))
    return out


def detect_share_sums(page: Page, figs: pd.DataFrame) -> list[Found]:
    by_verb: dict[str, list[pd.Series]] = {}
    for _, p in figs[figs["base_unit"] == "percent"].iterrows():
        after = page.text[p["end"]:p["end"] + 18]
        head = PERCENT_OF_FIRMS.match(after) or re.match(r"[\u4e00-\u9fff]{0,8}?企业", after)
        verb = head and VERB_KEY.match(after[head.end():head.end() + 8])
        if verb:
            by_verb.setdefault(verb.group(1), []).append(p)
    out = []
    for verb, ps in by_verb.items():
        clusters = [[ps[0]]]
        for p in ps[1:]:  # shares printed within two sentences of each other
            if p["sentence_no"] - clusters[-1][-1]["sentence_no"] <= 2:
                clusters[-1].append(p)
            else:
                clusters.append([p])
        for group in clusters:
            if len(group) < 2:
                continue
            ids = [p["id"] for p in group]
            out.append(Found("shares_sum", "reconciliation",
                             _quote(page, group[-1]["start"], group[-1]["end"] + 12),
                             f"add({', '.join(ids)})", "at_most(100)", "percent", ids,
                             note=f"shares of the firms whose move is {verb}, to different "
                                  f"places: together at most all of them"))
    return out


def detect_repeats(page: Page, figs: pd.DataFrame) -> list[Found]:
    out, seen = [], {}
    for _, f in figs.iterrows():
        before = page.text[max(0, f["start"] - 24):f["start"]]
        subject = re.split(r"[，。；：、！？\n（）()]", before)[-1]
        subject = re.sub(r"^(?:其中|而|和|及|与|但|共|有)", "", subject)
        if len(re.sub(r"[^\u4e00-\u9fff]", "", subject)) < 6 or subject.endswith(("在", "从")):
            continue  # too short to name a subject, or the start of a range
        key = (subject, f["base_unit"])
        if key in seen:
            g = seen[key]
            if g["high"] < f["low"] or f["high"] < g["low"]:
                out.append(Found("repeated", "text", _quote(page, f["start"] - len(subject),
                                                            f["end"]),
                                 f"sub({g['id']}, {f['id']})", "0", f["base_unit"],
                                 [g["id"], f["id"]],
                                 note=f"{subject} is printed with two values"))
        else:
            seen[key] = f
    return out


def _year_of(page: Page, f: pd.Series, years: pd.DataFrame) -> int | None:
    """The year printed last before a figure in its sentence, if any."""
    s_start, _ = _sentence(page, f["sentence_no"])
    ys = years[(years["start"] >= s_start) & (years["start"] < f["start"])]
    return int(ys.iloc[-1]["value"]) if len(ys) and str(ys.iloc[-1]["value"]).isdigit() else None


def detect_yearly(page: Page, figs: pd.DataFrame, mentions: pd.DataFrame) -> list[Found]:
    """逐年增多 (rose every year): each printed year's count against the year before it, over
    the statement's sentence and the three after it; a year printed with two counts is left
    out, since which series each belongs to is not certain."""
    out = []
    years = mentions[mentions["unit"] == YEAR_UNIT]
    for m in re.finditer(r"逐年(?:增多|增长|增加|上升|提高)", page.text):
        no = _sentence_no(page, m.start())
        window = figs[(figs["sentence_no"] >= no) & (figs["sentence_no"] <= no + 3)
                      & (figs["base_unit"] == "count")]
        by_year: dict[int, list[pd.Series]] = {}
        for _, f in window.iterrows():
            y = _year_of(page, f, years)
            if y is not None:
                by_year.setdefault(y, []).append(f)
        series = sorted((y, fs[0]) for y, fs in by_year.items() if len(fs) == 1)
        for (y0, a), (y1, b) in zip(series, series[1:]):
            out.append(Found("yearly", "arithmetic", _quote(page, m.start(), m.end()),
                             f"sub({b['id']}, {a['id']})", "at_least(0)", "count",
                             [b["id"], a["id"]],
                             note=f"rose every year: {y1} against {y0}"))
    return out


def detect_money_shares(page: Page, figs: pd.DataFrame) -> list[Found]:
    """占 … P% of two sums printed nearby: the part is the sum whose clause shares the most
    words with what comes before 占, the whole the one sharing most with what follows it."""
    out = []
    money = figs[figs["base_unit"].isin(["yuan", "usd"])]
    for _, p in figs[figs["base_unit"] == "percent"].iterrows():
        s_start, _ = _sentence(page, p["sentence_no"])
        head = re.split(r"[，：；]", page.text[s_start:p["start"]])[-1]
        k = head.rfind("占")
        if k < 0 or len(money) < 2 or not MONEY_WORDS.search(head) or COUNT_SHARE.search(head):
            continue  # a share of sums of money, not of a number of firms
        j = head.rfind("在", 0, k)  # X在Y占比P%: Y is the whole
        cut = j if j >= 0 and len(_grams(head[k:])) < 4 else k
        subject, obj = _grams(head[:cut]), _grams(head[cut:])
        near = money[(money["sentence_no"] - p["sentence_no"]).abs() <= 12]
        scored = []
        for _, f in near.iterrows():
            f_start, _ = _sentence(page, f["sentence_no"])
            clause = _grams(page.text[f_start:f["start"]])
            scored.append((len(clause & subject), len(clause & obj), f))
        if len(scored) < 2:
            continue
        part = max(scored, key=lambda t: (t[0] - t[1], t[0]))
        whole = max(scored, key=lambda t: (t[1] - t[0], t[1]))
        if part[2]["id"] == whole[2]["id"] or part[0] < 3 or whole[1] < 2 or \
                part[2]["base_unit"] != whole[2]["base_unit"]:
            continue
        out.append(Found("money_share", "arithmetic", _quote(page, p["start"] - 12, p["end"]),
                         f"share({part[2]['id']}, {whole[2]['id']})", p["id"], "percent",
                         [part[2]["id"], whole[2]["id"], p["id"]]))
    return out


def detect_slowdowns(page: Page, figs: pd.DataFrame, mentions: pd.DataFrame) -> list[Found]:
    """放缓, 下降, 减少, 回落 beside a year's count: against the same count the year before,
    printed in one of the two sentences before."""
    out = []
    years = mentions[mentions["unit"] == YEAR_UNIT]
    counts = figs[figs["base_unit"] == "count"]
    for m in re.finditer(r"放缓|下降|减少|回落", page.text):
        no = _sentence_no(page, m.start())
        here = counts[counts["sentence_no"] == no]
        if len(here) != 1:
            continue
        cur = here.iloc[0]
        y = _year_of(page, cur, years)
        if y is None:
            continue
        before = counts[(counts["sentence_no"] < no) & (counts["sentence_no"] >= no - 2)]
        prev = [f for _, f in before.iterrows() if _year_of(page, f, years) == y - 1]
        if len(prev) != 1:
            continue
        out.append(Found("slowdown", "arithmetic", _quote(page, m.start() - 10, cur["end"]),
                         f"growth({prev[0]['id']}, {cur['id']})", "at_most(0)", "percent",
                         [prev[0]["id"], cur["id"]], note=f"fewer in {y} than in {y - 1}"))
    return out


STATISTICS = {"min": r"最低值|最小值|最低", "median": r"中位数", "mean": r"平均",
              "max": r"最高值|最大值|最高"}


def detect_statistics(page: Page, figs: pd.DataFrame) -> list[Found]:
    """The minimum, median, mean and maximum of one sample printed in one sentence: any
    sample has min <= median <= max and min <= mean <= max."""
    out = []
    for no, group in figs[figs["base_unit"].isin(["yuan", "usd", "count"])].groupby(
            "sentence_no"):
        found = {}
        for _, f in group.iterrows():
            clause = re.split(r"[，；]", page.text[_sentence(page, no)[0]:f["start"]])[-1]
            for name, words in STATISTICS.items():
                if re.search(words, clause) and name not in found:
                    found[name] = f
                    break
        if len(found) < 4 or len({f["base_unit"] for f in found.values()}) != 1:
            continue
        lo, med, mean, hi = (found[k]["id"] for k in ("min", "median", "mean", "max"))
        out.append(Found("statistics", "arithmetic",
                         _quote(page, found["min"]["start"] - 6, found["min"]["end"]),
                         f"min(sub({med}, {lo}), sub({hi}, {med}), sub({mean}, {lo}), "
                         f"sub({hi}, {mean}))", "at_least(0)", found["min"]["base_unit"],
                         [med, lo, hi, mean],
                         note="min <= median <= max and min <= mean <= max in any sample"))
    return out


def detect_span_conventions(page: Page, figs: pd.DataFrame,
                            year_spans: list[Found]) -> list[Found]:
    """Two year spans of equal length printed with different numbers of years: one way of
    counting years cannot give both."""
    out, said = [], set()
    length = dict(zip(figs["id"], figs["low"]))
    where = dict(zip(figs["id"], figs["start"]))
    spans = [(f, [int(y) for y in re.findall(r"\d{4}", f.computation)]) for f in year_spans]
    pairs = [(a, b) for k, (a, ya) in enumerate(spans) for b, yb in spans[k + 1:]
             if ya[1] - ya[0] == yb[1] - yb[0] and length[a.stated] != length[b.stated]]
    for a, b in sorted(pairs, key=lambda p: abs(where[p[1].stated] - where[p[0].stated])):
        pair = tuple(sorted((length[a.stated], length[b.stated])))
        if pair in said:  # the nearest two spans printed with these lengths
            continue
        said.add(pair)
        out.append(Found("span_conventions", "arithmetic", b.quote,
                         f"sub({b.computation}, {a.computation})",
                         f"sub({b.stated}, {a.stated})", "year", [b.stated, a.stated],
                         "year_count", "year_count=intervals",
                         "either way of counting gives the same verdict",
                         note="two spans of the same length, printed a year apart"))
    return out


def detect_comparisons(page: Page, figs: pd.DataFrame) -> list[Found]:
    """A growth rate said to be higher (高于, 快于) than another, with no number in the clause:
    the nearby sentence printing exactly two rates and sharing most words with it."""
    out = []
    percents = figs[figs["base_unit"] == "percent"]
    for m in re.finditer(r"([\u4e00-\u9fff“”\"]{2,16}增速)(?:高于|快于)([\u4e00-\u9fffA-Z]{2,8})",
                         page.text):
        if figs[(figs["start"] >= m.start()) & (figs["start"] < m.end() + 2)].shape[0]:
            continue
        clause = _grams(m.group(0))
        best, score = None, 3
        for no in sorted(set(percents["sentence_no"])):
            two = percents[percents["sentence_no"] == no]
            s_start, s_end = _sentence(page, no)
            shared = len(clause & _grams(page.text[s_start:s_end]))
            if len(two) == 2 and shared > score:
                best, score = two, shared
        if best is None:
            continue
        a, b = best.iloc[0], best.iloc[1]
        out.append(Found("comparison", "arithmetic", _quote(page, m.start(), m.end()),
                         f"sub({a['id']}, {b['id']})", "at_least(0)", "pp", [a["id"], b["id"]],
                         note="the rate printed first is said to be the higher"))
    return out


def detect_claims(page: Page, figs: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """Every statement the detectors find, as rows shaped like ``data/claims.csv`` plus
    ``rule`` (the detector). Duplicates (same computation) are dropped."""
    spans = detect_year_spans(page, figs, mentions)
    found = (detect_multiples(page, figs) + spans + detect_span_conventions(page, figs, spans)
             + detect_means(page, figs) + detect_shares(page, figs)
             + detect_whole_counts(page, figs) + detect_within(page, figs)
             + detect_ranks(page, figs) + detect_points(page, figs)
             + detect_share_sums(page, figs) + detect_repeats(page, figs)
             + detect_yearly(page, figs, mentions) + detect_money_shares(page, figs)
             + detect_slowdowns(page, figs, mentions) + detect_statistics(page, figs)
             + detect_comparisons(page, figs))
    shared = {i for f in found if f.rule == "share" for i in f.inputs}
    rows, seen = [], set()
    for f in found:
        if f.rule == "whole_count" and f.inputs[0] in shared:
            continue
        if (f.computation, f.stated) in seen or not f.quote or page.text.count(f.quote) != 1:
            continue
        seen.add((f.computation, f.stated))
        rows.append({"article": "page", "id": f"c{len(rows) + 1:03d}", "kind": f.kind,
                     "statement_zh": f.quote, "statement_en": "",
                     "inputs": " ".join(dict.fromkeys(f.inputs)), "computation": f.computation,
                     "stated": f.stated, "unit": f.unit, "readings": f.readings,
                     "natural": f.natural, "natural_why": f.why,
                     "notes": f"{PROPOSED} by rule {f.rule}" + (f": {f.note}" if f.note else ""),
                     "rule": f.rule})
    return pd.DataFrame(rows, columns=cl.CLAIM_COLUMNS + ["rule"])


# --- the audit -----------------------------------------------------------------------------


def audit_text(text: str, name: str = "page") -> Audit:
    """Audit one Chinese news text: quantities, proposed figures and claims, verdicts."""
    page = Page(raw=text, path=Path(name))
    mentions = ex.extract(text)
    figs = propose_figures(page, mentions)
    found = detect_claims(page, figs, mentions)
    evaluated = pd.DataFrame()
    if len(found):
        reference = pd.DataFrame(columns=["id", "unit", "value"])
        try:
            evaluated = cl.evaluate_claims(found, figures=figs, reference=reference, page=page)
        except (cl.ExprError, ZeroDivisionError) as exc:  # a detector's bug, never a guess
            raise DataError(f"{name}: a proposed claim could not be evaluated: {exc}") from None
    return Audit(page, mentions, figs, found, evaluated)


def audit_file(path: str | Path) -> Audit:
    """:func:`audit_text` of a UTF-8 file; DataError naming the file for a missing, empty,
    binary or non-UTF-8 one."""
    return audit_text(ex.read_text(path), str(path))


# --- measured against a curated page --------------------------------------------------------

IDS = re.compile(r"\b(?:ref:)?[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b|\bf\d{3}\b")


def curated_in_scope(claims: pd.DataFrame) -> pd.DataFrame:
    """The curated claims an audit can propose from printed figures alone: arithmetic and
    reconciliation claims whose expressions use no ``unknown``, ``count_of``, ``outside`` or
    outside reference."""
    plain = ~claims["computation"].str.contains(r"unknown\(|count_of\(|outside\(|ref:") & \
        ~claims["stated"].str.contains(r"unknown\(|ref:")
    return claims[claims["kind"].isin(["arithmetic", "reconciliation"]) & plain]


def match_curated(audit: Audit, claims: pd.DataFrame, figures: pd.DataFrame,
                  page: Page) -> pd.DataFrame:
    """Which curated claims (in scope) the audit proposed with the same figures and the same
    computation. A proposed figure is a curated one when its value is printed at the same
    place; a proposed claim matches when, with its ids so mapped, it uses the same figures and
    its computation's outer function is the curated one's (``max(sub(a, b), sub(b, a))``
    matches ``sub(a, b)``). Columns: ``claim`` (curated id), ``proposed`` (the matching
    proposed id, or empty)."""
    from .figures import value_offset

    at = {}
    for fid, quote, value in zip(figures["id"], figures["quote"], figures["value"]):
        try:
            at[page.locate(quote).start + value_offset(quote, value)] = fid
        except (DataError, ValueError):
            continue
    mapped = {pid: at.get(start, pid) for pid, start in
              zip(audit.figures["id"], audit.figures["start"])}
    proposed = []
    for _, c in audit.claims.iterrows():
        text = f"{c['computation']} {c['stated']}"
        ids = {mapped.get(i, i) for i in IDS.findall(text)}
        proposed.append((c["id"], ids, set(re.findall(r"([a-z_]+)\(", c["computation"]))))
    out = []
    for _, c in curated_in_scope(claims).iterrows():
        ids = set(IDS.findall(f"{c['computation']} {c['stated']}"))
        outer = re.match(r"([a-z_]+)\(", c["computation"])
        hit = next((pid for pid, pids, funcs in proposed if pids == ids and
                    (outer is None or outer.group(1) in funcs)), "")
        out.append({"claim": c["id"], "proposed": hit})
    return pd.DataFrame(out, columns=["claim", "proposed"])


# --- drafts and the command line ------------------------------------------------------------


def write_drafts(audit: Audit, out: str | Path) -> list[Path]:
    """The audit as drafts in the project's own formats, every row marked proposed:
    ``figures-draft.csv`` (data/figures.csv's columns), ``claims-draft.csv`` (data/claims.csv's
    columns) and ``verdicts.csv`` (one row per claim, contradictions first). Each file is
    written whole to a temporary name and renamed, so an interrupted run leaves no half file."""
    from .figures import FIGURE_COLUMNS

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    figs = audit.figures.copy()
    for col in ("low", "high"):
        figs[col] = [ex._format(v) for v in figs[col]]
    tables = {"figures-draft.csv": figs[FIGURE_COLUMNS],
              "claims-draft.csv": audit.claims[cl.CLAIM_COLUMNS],
              "verdicts.csv": audit.verdicts()}
    written = []
    for name, table in tables.items():
        path = folder / name
        tmp = path.with_name(f".{name}.tmp")
        table.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
        tmp.replace(path)
        written.append(path)
    return written


def summary(audit: Audit) -> str:
    """The audit in a few lines: counts, then every contradiction and ambiguity."""
    v = audit.verdicts()
    counts = v["verdict"].value_counts()
    lines = [f"{len(audit.mentions)} quantities, {len(audit.figures)} figures, "
             f"{len(audit.claims)} checkable statements: "
             + ", ".join(f"{int(counts.get(k, 0))} {k}" for k in cl.VERDICTS)]
    for _, r in v[v["verdict"].isin(["inconsistent", "ambiguous"])].iterrows():
        lines.append(f"{r['verdict']:13} {r['claim']} ({r['rule']}): {r['statement_zh']}: "
                     f"{r['note']}")
    return "\n".join(lines)


def cmd_audit(args) -> int:
    audit = audit_file(args.file)
    print(summary(audit))
    if args.out:
        for path in write_drafts(audit, args.out):
            print(f"wrote {path}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("audit", help="audit any Chinese news text: its quantities, checkable "
                                     "statements and verdicts, as draft tables")
    p.add_argument("file", help="a UTF-8 text file")
    p.add_argument("--out", metavar="DIR", help="write figures-draft.csv, claims-draft.csv and "
                                                "verdicts.csv there")
    p.set_defaults(func=cmd_audit)

"""Statements the page makes about its own figures, and whether they hold: the audit.

``data/claims.csv`` has one row per checkable statement. Its ``kind`` says what is checked:
``arithmetic`` (a multiple, difference, mean, share or ranking derived from printed figures),
``reconciliation`` (a total and its parts of one series, year or population), ``text`` (a
name printed two ways, a word printed twice, a figure printed twice) or ``outside`` (a
statement only an outside source can settle: 首个, 唯一, a ranking, a figure sourced to
another report). Each row gives the statement as quoted, the figure ids it rests on, a
``computation`` and the ``stated`` value it should meet, both in the small expression language
of :mod:`lib.expr` (figure ids, numbers, arithmetic, readings, text checks, outside sources).

Verdicts are given on the **natural reading**: the meaning a careful reader takes from the
printed words, recorded per claim in ``natural`` with a one-line ``natural_why``. For each
reading, and then for the claim:

* **consistent**: the computed interval meets the stated one;
* **inconsistent**: they cannot meet (or no whole number fits where one must);
* **unverifiable**: the computation needs an ``unknown`` input and the verdict turns on it (if
  even the unknown's whole range cannot meet the stated value, the verdict is inconsistent;
  if every value of it meets, consistent), the stated side needs one, or the claim needs an
  ``outside`` source;
* **ambiguous** (claim only): the wording itself supports two readings in ordinary usage
  (``natural`` is ``none``, and ``natural_why`` says why neither is natural) and they disagree.

The other readings are still evaluated and shown as "holds if …". A reading that needs a fact
the page does not state (``Reading.assumes``: another base for a share) can never be natural:
it only says what would reconcile the statement. :func:`room` says how much a pass proves.
"""

from __future__ import annotations

import bisect
import math
from difflib import get_close_matches
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import quantities as q
from .errors import DataError
from .expr import (
    ANY,
    READING_RULES,
    UNITS,
    Context,
    ExprError,
    Node,
    Value,
    describe,
    evaluate,
    input_ids,
    parse,
    reading_combinations,
    rules_of,
    walk,
)
from .figures import (
    _default_figures,
    check_article,
    check_filled,
    check_slug,
    data_stamp,
    load_articles,
    load_reference,
    read_rows,
)
from .intervals import INF, Interval
from .page import Page, load_page, shown_path
from .paths import DATA_DIR

CLAIM_COLUMNS = [
    "article",
    "id",
    "kind",
    "statement_zh",
    "statement_en",
    "inputs",
    "computation",
    "stated",
    "unit",
    "readings",
    "natural",
    "natural_why",
    "notes",
]
KINDS = {
    "arithmetic": "a multiple, difference, mean, share or ranking derived from printed figures",
    "reconciliation": "a total and its parts of one series, year or population: do they add up",
    "text": "a name or term printed two ways, a word printed twice, a figure printed twice",
    "outside": "a statement no arithmetic on the page can check: it names the source that would",
}
VERDICTS = ("consistent", "inconsistent", "ambiguous", "unverifiable")
STRENGTHS = ("firm", "partial", "weak")
NONE = "none"  # the natural column of a claim whose wording supports two readings equally


def natural_readings(natural: str) -> dict[str, str]:
    """The ``natural`` column as a mapping, ``growth_multiple=to year_count=intervals`` →
    ``{"growth_multiple": "to", "year_count": "intervals"}``; empty for ``""`` or ``none``."""
    if natural.strip() in ("", NONE):
        return {}
    out = {}
    for part in natural.split():
        rule, _, reading = part.partition("=")
        out[rule] = reading
    return out


def _check_natural(row: dict[str, str], rules: list[str]) -> str | None:
    """What is wrong with a row's natural reading, or None."""
    natural, why = row["natural"].strip(), row["natural_why"].strip()
    if not rules:
        if natural or why:
            return "natural: the claim has no reading rule; expected natural and natural_why empty"
        return None
    if not why:
        return (
            "natural_why: empty; expected one line saying why the natural reading is the "
            "one a careful reader takes (or, for 'none', why neither is)"
        )
    if natural == NONE:
        return None
    given = natural_readings(natural)
    if sorted(given) != sorted(rules) or any("=" not in p for p in natural.split()):
        return (
            f"natural: '{natural}'; expected one rule=reading for each of the claim's rules "
            f"({' '.join(rules)}), or '{NONE}'"
        )
    for rule, reading in given.items():
        if reading not in READING_RULES[rule]:
            return (
                f"natural: '{reading}' is not a reading of {rule}; expected one of "
                f"{', '.join(READING_RULES[rule])}"
            )
        if READING_RULES[rule][reading].assumes:
            return (
                f"natural: {rule}={reading} needs a fact the page does not state "
                f"({READING_RULES[rule][reading].assumes}); expected a reading of the "
                f"printed words"
            )
    return None


@lru_cache(maxsize=1)
def _tables_as_of(stamp: tuple) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return _default_figures(), load_reference(), load_articles()  # figures.csv read once


def _default_tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return _tables_as_of(data_stamp())


@lru_cache(maxsize=1)
def _claims_as_of(stamp: tuple) -> pd.DataFrame:
    return load_claims()


def _default_claims() -> pd.DataFrame:
    """data/claims.csv, loaded once per process (and again after a file of data/ changed): a
    notebook asks the audit about one claim at a time."""
    return _claims_as_of(data_stamp())


def _context(figures=None, reference=None, page=None) -> Context:
    if figures is None or reference is None:
        f, r, _ = _default_tables()
        figures = f if figures is None else figures
        reference = r if reference is None else reference
    figs = {
        i: Value(Interval(lo, hi), u)
        for i, lo, hi, u in zip(
            figures["id"], figures["low"], figures["high"], figures["base_unit"]
        )
    }
    refs = {}
    for _, r in reference.iterrows():
        unit = q.parse_unit(r["unit"])
        refs[r["id"]] = Value(Interval(*q.interval(r["value"], "exact", unit)), unit.base_unit)
    return Context(figs, refs, page or load_page())


def compute(
    expression: str,
    readings: dict[str, str] | None = None,
    *,
    figures=None,
    reference=None,
    page=None,
) -> Value:
    """Evaluate one expression over the figures, e.g. ``compute("div(a, b)")``.

    ``readings`` maps a rule of READING_RULES to one of its readings. DataError if the
    expression is malformed or needs a reading not given.
    """
    ctx = _context(figures, reference, page)
    ctx.readings = dict(readings or {})
    try:
        return evaluate(parse(expression), ctx)
    except (ExprError, ZeroDivisionError) as exc:
        raise DataError(f"{expression}: {exc}") from None


# --- the claims table ----------------------------------------------------------------------


def _unknown_id(ident: str, ctx: Context, claim: str) -> str:
    if ident.startswith("ref:"):
        return (
            f"claim '{claim}': '{ident}' is not an id in data/reference.csv; expected one "
            f"of ref:" + ", ref:".join(sorted(ctx.reference))
        )
    close = get_close_matches(ident, list(ctx.figures), n=3, cutoff=0.6)
    hint = f" such as {', '.join(close)}" if close else ""
    return (
        f"claim '{claim}': '{ident}' is not a figure id in data/figures.csv; expected an id{hint}"
    )


def load_claims(
    path: str | Path | None = None,
    *,
    figures: pd.DataFrame | None = None,
    reference: pd.DataFrame | None = None,
    articles: pd.DataFrame | None = None,
    page: Page | None = None,
) -> pd.DataFrame:
    """The derived and comparative statements of the page, one row each, validated.

    Columns: ``article`` (id in articles.csv), ``id`` (slug), ``statement_zh`` (a passage
    occurring once in the normalised page), ``statement_en``, ``inputs`` (the figure ids and
    ``ref:`` ids the expressions use, space-separated), ``computation`` and ``stated``
    (expressions, see :mod:`lib.expr`), ``unit`` (the base unit both sides are compared
    in: percent, pp, times, yuan, count, year, rank …), ``readings`` (reading rules,
    space-separated, possibly empty), ``notes``, ``line`` (the row's line in the CSV).
    Every check failing raises DataError naming file:line, the column and the claim.
    """
    p = Path(path) if path is not None else DATA_DIR / "claims.csv"
    name = shown_path(p)
    page = page or load_page()
    if articles is None:
        articles = _default_tables()[2]
    article_ids = set(articles["id"])
    ctx = _context(figures, reference, page)
    seen: set[str] = set()
    out = []
    for line, row in read_rows(p, CLAIM_COLUMNS):
        cid, where = row["id"], {"path": name, "line": line}

        def fail(column: str, message: str, where=where) -> DataError:
            return DataError(message, column=column, **where)

        check_slug(cid, seen, **where, kind="claim")
        check_article(row["article"], article_ids, where, prefix=f"claim '{cid}': ")
        if row["kind"] not in KINDS:
            raise fail(
                "kind",
                f"claim '{cid}': '{row['kind']}' is not a claim kind; expected "
                f"one of {', '.join(KINDS)}",
            )
        check_filled(
            row,
            ("statement_zh", "statement_en", "computation", "stated"),
            "the claim's {col}",
            where,
            prefix=f"claim '{cid}': ",
        )
        try:
            page.locate(row["statement_zh"])
        except DataError as exc:
            raise fail("statement_zh", f"claim '{cid}': {exc}") from None
        trees = _claim_trees(row, ctx, fail)
        rules = _claim_rules(row, trees, fail)
        _check_claim_units(row, trees, rules, ctx, fail)
        out.append({**{c: row[c] for c in CLAIM_COLUMNS}, "line": line})
    return pd.DataFrame(out, columns=CLAIM_COLUMNS + ["line"])


def _known(ident: str, ctx: Context) -> bool:
    return ident[4:] in ctx.reference if ident.startswith("ref:") else ident in ctx.figures


def _claim_trees(row: dict[str, str], ctx: Context, fail) -> dict[str, Node]:
    """The parsed ``computation`` and ``stated`` of a claim row, whose ``inputs`` list exactly
    the known ids they use."""
    cid, inputs = row["id"], row["inputs"].split()
    for ident in inputs:
        if not _known(ident, ctx):
            raise fail("inputs", _unknown_id(ident, ctx, cid))
    trees = {}
    for col in ("computation", "stated"):
        try:
            trees[col] = parse(row[col])
        except ExprError as exc:
            raise fail(col, f"claim '{cid}': {exc}") from None
        for ident in input_ids(trees[col]):
            if ident not in inputs:
                if not _known(ident, ctx):
                    raise fail(col, _unknown_id(ident, ctx, cid))
                raise fail(
                    "inputs",
                    f"claim '{cid}': '{ident}' is used in {col} but not "
                    f"listed; expected every id the expressions use",
                )
    used = set(input_ids(trees["computation"])) | set(input_ids(trees["stated"]))
    unused = [i for i in inputs if i not in used]
    if unused:
        raise fail(
            "inputs",
            f"claim '{cid}': {', '.join(unused)} listed but not used; "
            f"expected only the ids the expressions use",
        )
    return trees


def _claim_rules(row: dict[str, str], trees: dict[str, Node], fail) -> list[str]:
    """A claim row's reading rules: those its expressions depend on, with a natural reading
    that fits them; its kind is ``outside`` exactly when its computation uses outside()."""
    cid, rules = row["id"], row["readings"].split()
    for rule in rules:
        if rule not in READING_RULES:
            raise fail(
                "readings",
                f"claim '{cid}': '{rule}' is not a reading rule; "
                f"expected one of {', '.join(READING_RULES)}",
            )
    needed = rules_of(trees["computation"]) | rules_of(trees["stated"])
    if set(rules) != needed:
        raise fail(
            "readings",
            f"claim '{cid}': readings '{row['readings']}' do not match "
            f"the rules the expressions depend on; expected "
            f"'{' '.join(sorted(needed))}'",
        )
    problem = _check_natural(row, rules)
    if problem:
        column, _, message = problem.partition(": ")
        raise fail(column, f"claim '{cid}': {message}")
    uses_outside = any(
        n.kind == "call" and n.value == "outside" for n in walk(trees["computation"])
    )
    if uses_outside != (row["kind"] == "outside"):
        raise fail(
            "kind",
            f"claim '{cid}': kind '{row['kind']}' "
            + (
                "uses outside(); expected kind outside"
                if uses_outside
                else "needs outside('the source that would settle it') in computation"
            ),
        )
    return rules


def _check_claim_units(
    row: dict[str, str], trees: dict[str, Node], rules: list[str], ctx: Context, fail
) -> None:
    """Under every combination of readings both sides evaluate, in one unit: the row's."""
    cid = row["id"]
    if row["unit"] not in UNITS:
        raise fail(
            "unit",
            f"claim '{cid}': '{row['unit']}' is not a base unit; expected "
            f"one of {', '.join(UNITS)}",
        )
    for readings in reading_combinations(rules):
        ctx.readings = readings
        units = {}
        for col in ("computation", "stated"):
            try:
                units[col] = evaluate(trees[col], ctx).unit
            except (ExprError, ZeroDivisionError) as exc:
                raise fail(col, f"claim '{cid}': {exc}") from None
        cu, su = units["computation"], units["stated"]
        if ANY not in (cu, su) and cu != su:
            raise fail(
                "stated",
                f"claim '{cid}': gives {su} where the computation gives "
                f"{cu}; expected the same unit on both sides",
            )
        unit = su if cu == ANY else cu
        if unit not in (ANY, row["unit"]):
            raise fail(
                "unit",
                f"claim '{cid}': '{row['unit']}' is not the unit the "
                f"expressions give; expected '{unit}'",
            )


# --- verdicts ------------------------------------------------------------------------------


def verdict(computed: Value, stated: Value) -> str:
    """consistent, inconsistent or unverifiable, by the rules in the module docstring."""
    if computed.outside or stated.outside:
        return "unverifiable"
    if not computed.iv.meets(stated.iv):
        return "inconsistent"
    if stated.unknowns:  # the statement itself rests on a value the page lacks
        return "unverifiable"
    if computed.unknowns:
        return "consistent" if computed.iv.within(stated.iv) else "unverifiable"
    return "consistent"


def room(computed: Interval, stated: Interval) -> tuple[float, str]:
    """How much a pass proves: the share of the computed interval that lies within the stated
    one (1.0: every value the figures allow meets the statement; NaN when the computed interval
    is unbounded or empty) and the check's strength for a consistent verdict:

    * ``firm``: the computed interval is bounded, lies wholly within the stated one and covers
      less than half of it when the stated interval is bounded;
    * ``partial``: only part of what the figures allow meets the statement;
    * ``weak``: the computed interval is unbounded, or covers half the stated interval or more,
      so the check could hardly have failed.
    """
    if computed.is_empty or math.isinf(computed.low) or math.isinf(computed.high):
        return math.nan, "weak"
    if computed.is_point:
        inside = 1.0 if computed.meets(stated) else 0.0
    else:
        lo, hi = max(computed.low, stated.low), min(computed.high, stated.high)
        inside = max(0.0, hi - lo) / (computed.high - computed.low)
    if inside < 1 - 1e-9:
        return inside, "partial"
    bounded = not (math.isinf(stated.low) or math.isinf(stated.high))
    if (
        bounded
        and stated.high > stated.low
        and (computed.high - computed.low >= 0.5 * (stated.high - stated.low))
    ):
        return inside, "weak"
    return inside, "firm"


def _row_note(c: Value, s: Value, v: str, unit: str) -> str:
    if c.outside or s.outside:
        return f"needs {c.outside or s.outside}; nothing on the page settles it"
    what = f"computed {describe(c.iv, unit)}"
    if c.iv.is_empty:
        what = "no whole number fits"
    verb = {
        "consistent": "meets",
        "inconsistent": "cannot meet",
        "unverifiable": "may or may not meet",
    }[v]
    note = f"{what} {verb} stated {describe(s.iv, unit)}"
    if v == "unverifiable":
        note += "; the page lacks " + "; ".join(c.unknowns + s.unknowns)
    return note


def _readings_text(readings: dict[str, str]) -> str:
    return "; ".join(READING_RULES[k][r].text for k, r in readings.items())


def _assumes(readings: dict[str, str]) -> str:
    return "; ".join(
        READING_RULES[k][r].assumes for k, r in readings.items() if READING_RULES[k][r].assumes
    )


def _claim_note(rows: list[dict], natural: dict[str, str] | None, why: str) -> tuple[str, str]:
    """The headline verdict and its note: the natural reading's verdict, then what each other
    reading would change (a reading that needs an unstated fact only says what would reconcile
    the statement); ``ambiguous`` only when the claim has no natural reading and its readings
    disagree."""
    if len(rows) == 1:
        return rows[0]["verdict"], rows[0]["note"]
    if natural is None:
        verdicts = {r["verdict"] for r in rows}
        if len(verdicts) == 1:
            v = verdicts.pop()
            return v, f"{v} under every reading: " + "; ".join(
                f"{r['reading_en']}: {r['note']}" for r in rows
            )
        parts = [f"{r['verdict']} if {r['reading_en']} ({r['note']})" for r in rows]
        return "ambiguous", f"the wording supports either reading ({why}): " + "; ".join(parts)
    head = next(r for r in rows if r["natural"])
    note = f"{head['note']} (natural reading: {head['reading_en']})"
    others = []
    for r in rows:
        if r["natural"] or r["verdict"] == head["verdict"]:
            continue
        if r["verdict"] == "consistent" and r["assumes"]:
            others.append(
                f"would hold only if {r['assumes']}, which the page does not state ({r['note']})"
            )
        elif r["verdict"] == "consistent":
            others.append(f"holds if {r['reading_en']} ({r['note']})")
        else:
            others.append(f"{r['verdict']} if {r['reading_en']} ({r['note']})")
    if others:
        note += "; " + "; ".join(others)
    return head["verdict"], note


def evaluate_claims(
    claims: pd.DataFrame | None = None,
    *,
    figures: pd.DataFrame | None = None,
    reference: pd.DataFrame | None = None,
    page: Page | None = None,
) -> pd.DataFrame:
    """One row per (claim, reading): what the figures give, what the page states, the verdict.

    Columns: ``claim`` (id), ``article``, ``kind``, ``reading`` (``rule=reading; …``, empty
    when the claim has one reading), ``reading_en`` (the readings in words), ``natural`` (True
    for the natural reading's row, and for the only row of a claim without readings),
    ``assumes`` (the unstated fact the reading needs, or empty), ``computed_low``/
    ``computed_high`` and ``stated_low``/``stated_high`` (float, in ``unit``; NaN for an open
    end), ``computed_empty`` (True when no value fits, e.g. no whole count), ``unit``,
    ``unknowns`` (inputs the page lacks, '; '-separated), ``outside`` (the outside source the
    statement needs, or empty), ``verdict`` (consistent, inconsistent or unverifiable),
    ``note`` (the comparison in words), ``inside`` (the share of the computed interval within
    the stated one, NaN when unbounded), ``strength`` (firm, partial or weak; empty unless the
    row is consistent) and, the same for every row of a claim, ``claim_verdict`` (the natural
    reading's verdict; ambiguous only for a claim whose wording has no natural reading and
    whose readings disagree), ``claim_note`` and ``claim_strength``.
    """
    if claims is None:
        claims = load_claims(figures=figures, reference=reference, page=page)
    ctx = _context(figures, reference, page)
    out = []
    for _, c in claims.iterrows():
        comp, stat = parse(c["computation"]), parse(c["stated"])
        rules = c["readings"].split()
        natural = None if c["natural"].strip() == NONE else natural_readings(c["natural"])
        rows = []
        for readings in reading_combinations(rules):
            ctx.readings = readings
            row = _reading_row(c, readings, evaluate(comp, ctx), evaluate(stat, ctx))
            row["natural"] = natural == readings if natural is not None else not rules
            rows.append(row)
        overall, note = _claim_note(rows, natural, c["natural_why"])
        head = next((r for r in rows if r["natural"]), rows[0])
        for r in rows:
            r.update(
                claim_verdict=overall,
                claim_note=note,
                claim_strength=head["strength"] if overall == "consistent" else "",
            )
        out.extend(rows)
    df = pd.DataFrame(out)
    for col in ("computed_low", "computed_high", "stated_low", "stated_high"):
        df[col] = df[col].astype("float64").replace([INF, -INF], math.nan)
    df.loc[df["computed_empty"], ["computed_low", "computed_high"]] = math.nan
    return df


def _reading_row(c, readings: dict, cv: Value, sv: Value) -> dict:
    """:func:`evaluate_claims`'s row for claim ``c`` under ``readings``: ``cv`` computed and
    ``sv`` stated under them (``natural`` is the caller's to set)."""
    v = verdict(cv, sv)
    inside, strength = room(cv.iv, sv.iv)
    return {
        "claim": c["id"],
        "article": c["article"],
        "kind": c["kind"],
        "reading": "; ".join(f"{k}={r}" for k, r in readings.items()),
        "reading_en": _readings_text(readings),
        "natural": False,
        "assumes": _assumes(readings),
        "computed_low": cv.iv.low,
        "computed_high": cv.iv.high,
        "stated_low": sv.iv.low,
        "stated_high": sv.iv.high,
        "computed_empty": cv.iv.is_empty,
        "unit": c["unit"],
        "unknowns": "; ".join(cv.unknowns + sv.unknowns),
        "outside": cv.outside or sv.outside,
        "verdict": v,
        "note": _row_note(cv, sv, v, c["unit"]),
        "inside": inside,
        "strength": strength if v == "consistent" else "",
    }


def evaluate_claim(
    claim_id: str, claims: pd.DataFrame | None = None, reading: str | dict[str, str] | None = None
) -> pd.DataFrame:
    """The rows of :func:`evaluate_claims` for one claim: one per reading, or only the row of
    ``reading`` (``"growth_multiple=by"``, or a dict of rule → reading) when it is given.

    This is how a notebook explores another reading of a statement: it asks the audit, and
    never recomputes the claim in a cell. DataError for an unknown claim or reading.
    """
    claims = claims if claims is not None else _default_claims()
    hit = claims[claims["id"] == claim_id]
    if hit.empty:
        close = get_close_matches(claim_id, list(claims["id"]), n=3, cutoff=0.5)
        hint = f" (close: {', '.join(close)})" if close else ""
        raise DataError(f"no claim with id '{claim_id}' in data/claims.csv{hint}")
    rows = evaluate_claims(hit).reset_index(drop=True)
    if reading is None:
        return rows
    wanted = natural_readings(reading) if isinstance(reading, str) else dict(reading)
    keep = [natural_readings(r.replace(";", " ")) == wanted for r in rows["reading"]]
    if not any(keep):
        raise DataError(
            f"claim '{claim_id}': no reading '{reading}'; expected one of "
            + ", ".join(repr(r) for r in rows["reading"])
        )
    return rows[keep].reset_index(drop=True)


def _claim_row(claim_id: str, reading, claims) -> pd.Series:
    """The row of one claim under ``reading``, or else its natural reading's (its first row
    when it has none)."""
    rows = evaluate_claim(claim_id, claims, reading)
    natural = rows[rows["natural"]]
    return natural.iloc[0] if reading is None and len(natural) else rows.iloc[0]


def computed_interval(
    claim_id: str, reading: str | dict[str, str] | None = None, claims: pd.DataFrame | None = None
) -> Interval:
    """What the figures give for one claim, under ``reading`` or else its natural reading."""
    row = _claim_row(claim_id, reading, claims)
    if row["computed_empty"]:
        return Interval.empty()
    return Interval(row["computed_low"], row["computed_high"])


def audit_entry(
    claim_id: str,
    reading: str | dict[str, str] | None = None,
    claims: pd.DataFrame | None = None,
    digits: int = 4,
) -> dict:
    """One claim's audit as a notebook's results JSON records it: ``computed`` and ``stated``
    ([low, high], None for an open end), ``verdict`` (of the reading asked for, else the
    headline verdict) and ``reading``. The test that notebooks agree with the audit compares
    these entries with :func:`evaluate_claim`."""
    return entry_of(_claim_row(claim_id, reading, claims), reading is not None, digits)


def entry_of(row: pd.Series, of_reading: bool = False, digits: int = 4) -> dict:
    """:func:`audit_entry` of one of :func:`evaluate_claims`'s rows already at hand: the
    reading's own verdict with ``of_reading``, else the claim's headline verdict."""

    def ends(lo: float, hi: float) -> list[float | None]:
        return [None if math.isnan(v) else round(float(v), digits) for v in (lo, hi)]

    return {
        "computed": ends(row["computed_low"], row["computed_high"]),
        "stated": ends(row["stated_low"], row["stated_high"]),
        "verdict": row["verdict"] if of_reading else row["claim_verdict"],
        "reading": row["reading"],
    }


PLACES = ("headline", "lead", "body")  # where a statement is printed, most prominent first
CONTRADICTION_ORDER = ("reconciliation", "arithmetic", "text", "outside")


def place_of(quote: str, article: str, page: Page, articles: pd.DataFrame) -> str:
    """Where ``quote`` is printed in its article: ``headline``, ``lead`` (the body's first
    sentence) or ``body``."""
    loc = page.locate(quote)
    row = articles.set_index("id").loc[article]
    if not pd.isna(row["headline_first"]) and (
        row["headline_first"] <= loc.lines[0] <= row["headline_last"]
    ):
        return "headline"
    raw = sum(
        len(line) for line in page.raw.splitlines(keepends=True)[: int(row["body_first"]) - 1]
    )
    start = bisect.bisect_left(page.offsets, raw)
    stop = page.text.find("。", start)
    return "lead" if start <= loc.start <= (stop if stop >= 0 else len(page.text)) else "body"


def _miss(row: pd.Series) -> float:
    """How far the computed interval misses the stated one, relative to their size."""
    if row["computed_empty"]:
        return 1.0
    ends = [
        abs(v)
        for v in (row["computed_low"], row["computed_high"], row["stated_low"], row["stated_high"])
        if not math.isnan(v)
    ]
    lo = -INF if math.isnan(row["computed_low"]) else row["computed_low"]
    hi = INF if math.isnan(row["computed_high"]) else row["computed_high"]
    s_lo = -INF if math.isnan(row["stated_low"]) else row["stated_low"]
    s_hi = INF if math.isnan(row["stated_high"]) else row["stated_high"]
    gap = max(s_lo - hi, lo - s_hi, 0.0)
    return gap / max(max(ends, default=1.0), 1e-12)


def headline_rows(evaluated: pd.DataFrame) -> pd.DataFrame:
    """One row per claim of :func:`evaluate_claims`: its natural reading's, or its only one
    (a claim whose wording has no natural reading keeps its first)."""
    has_natural = evaluated.groupby("claim", sort=False)["natural"].transform("any")
    head = evaluated[evaluated["natural"] | ~has_natural]
    return head.drop_duplicates("claim")


def contradictions(
    claims: pd.DataFrame,
    evaluated: pd.DataFrame,
    *,
    page: Page | None = None,
    articles: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The page's inconsistent claims, most important first: by kind (parts that do not add
    up to their whole, then arithmetic, then text: a wrong number before a misprint), then the
    most prominently printed (headline, then the lead sentence, then the body), then the
    largest miss (the gap between the computed and the stated interval, relative to their
    size; 1 when no whole number fits); ties keep the table's order, which is the page's.

    Columns: ``claim``, ``article``, ``kind``, ``place`` (one of PLACES), ``miss``,
    ``statement_zh``, ``statement_en`` and ``note`` (the headline verdict's note).
    """
    page = page or load_page()
    articles = _default_tables()[2] if articles is None else articles
    head = headline_rows(evaluated)
    head = head[head["claim_verdict"] == "inconsistent"]
    info = claims.set_index("id")
    out = pd.DataFrame(
        {
            "claim": head["claim"],
            "article": head["article"],
            "kind": head["kind"],
            "place": [
                place_of(info.loc[c, "statement_zh"], a, page, articles)
                for c, a in zip(head["claim"], head["article"])
            ],
            "miss": [round(_miss(r), 4) for _, r in head.iterrows()],
            "statement_zh": [info.loc[c, "statement_zh"] for c in head["claim"]],
            "statement_en": [info.loc[c, "statement_en"] for c in head["claim"]],
            "note": head["claim_note"],
        }
    )
    out["rank"] = out["place"].map(PLACES.index)
    out["kind_rank"] = out["kind"].map(CONTRADICTION_ORDER.index)
    out = out.sort_values(
        ["kind_rank", "rank", "miss"], ascending=[True, True, False], kind="stable"
    )
    return out.drop(columns=["rank", "kind_rank"]).reset_index(drop=True)

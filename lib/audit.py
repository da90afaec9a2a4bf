"""Audit a page nobody has curated: quantities, the checkable statements among them, verdicts.

The same rooms as the curated page, with the machine as curator: the extractor finds every
quantity (:mod:`lib.extract`), :func:`propose_figures` turns them into rows shaped like
``data/figures.csv``, :func:`detect_claims` finds statements whose arithmetic the page itself
prints and writes each as a claim in the audit's own language, and :mod:`lib.claims` judges
them by its rules, natural reading first. Every row is marked ``proposed``: a curator accepts
or edits it, rather than types it.

The detectors are :mod:`lib.detect`'s; this module runs them on a text and writes drafts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import claims as cl
from . import extract as ex
from .detect import IDS, PROPOSED, detect_claims, occurs_once, sentence_no
from .errors import DataError
from .page import Page
from .verdicts import verdict_table

VERDICT_COLUMNS = [  # an audit's verdicts table, contradictions first
    "claim",
    "kind",
    "rule",
    "statement_zh",
    "computed",
    "stated",
    "verdict",
    "strength",
    "note",
]


@dataclass
class Audit:
    """The audit of one text: its quantities, proposed figures and claims, and verdicts."""

    page: Page
    mentions: pd.DataFrame
    figures: pd.DataFrame
    claims: pd.DataFrame
    evaluated: pd.DataFrame

    def verdicts(self) -> pd.DataFrame:
        """One row per claim, contradictions first (see :func:`lib.verdicts.verdict_table`)."""
        if self.claims.empty:
            return pd.DataFrame(columns=VERDICT_COLUMNS)
        table = verdict_table(self.claims, self.evaluated)
        table["rule"] = list(self.claims["rule"])
        order = {"inconsistent": 0, "ambiguous": 1, "unverifiable": 2, "consistent": 3}
        table = table.sort_values("verdict", key=lambda s: s.map(order), kind="stable")
        return table[VERDICT_COLUMNS].reset_index(drop=True)


# --- figures -------------------------------------------------------------------------------


def propose_figures(page: Page, mentions: pd.DataFrame) -> pd.DataFrame:
    """The mentions that carry a value and a unit, as rows shaped like ``data/figures.csv``
    (``id`` f001, f002 …; ``note`` says they are proposed), plus the columns the detectors
    need: ``start``/``end`` (the value's span in the normalised text), ``sentence_no``
    (the sentence it is printed in) and ``printed``. ``low`` and ``high`` are floats here
    (NaN for an open end); :func:`write_drafts` writes them as the table does."""
    from .figures import FIGURE_COLUMNS

    keep = (
        mentions["base_unit"].ne("")
        & mentions["base_unit"].ne("date")
        & (mentions["low"].notna() | mentions["high"].notna())
    )
    m = mentions[keep]
    starts = [
        s + p.find(v) if p.find(v) >= 0 else s
        for s, p, v in zip(m["start"], m["printed"], m["value"])
    ]
    out = pd.DataFrame(
        {
            "article": "",
            "id": [f"f{k:03d}" for k in range(1, len(m) + 1)],
            "subject_zh": "",
            "subject_en": "",
            "period": "",
            "value": list(m["value"]),
            "unit": list(m["unit"]),
            "qualifier": list(m["qualifier"]),
            "low": list(m["low"]),
            "high": list(m["high"]),
            "base_value": [ex._format(v) for v in m["base_value"]],
            "base_unit": list(m["base_unit"]),
            "quote": [
                ex.find_quote(page.text, s, e, unique=lambda q: occurs_once(page, q))
                for s, e in zip(m["start"], m["end"])
            ],
            "note": PROPOSED,
        },
        columns=FIGURE_COLUMNS,
    )
    out["start"] = starts
    out["end"] = list(m["end"])
    out["printed"] = list(m["printed"])
    out["sentence_no"] = [sentence_no(page, s) for s in starts]
    return out


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


def curated_in_scope(claims: pd.DataFrame) -> pd.DataFrame:
    """The curated claims an audit can propose from printed figures alone: arithmetic and
    reconciliation claims whose expressions use no ``unknown``, ``count_of``, ``outside`` or
    outside reference."""
    plain = ~claims["computation"].str.contains(r"unknown\(|count_of\(|outside\(|ref:") & ~claims[
        "stated"
    ].str.contains(r"unknown\(|ref:")
    return claims[claims["kind"].isin(["arithmetic", "reconciliation"]) & plain]


def match_curated(
    audit: Audit, claims: pd.DataFrame, figures: pd.DataFrame, page: Page
) -> pd.DataFrame:
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
    mapped = {
        pid: at.get(start, pid) for pid, start in zip(audit.figures["id"], audit.figures["start"])
    }
    proposed = []
    for _, c in audit.claims.iterrows():
        text = f"{c['computation']} {c['stated']}"
        ids = {mapped.get(i, i) for i in IDS.findall(text)}
        proposed.append((c["id"], ids, set(re.findall(r"([a-z_]+)\(", c["computation"]))))
    out = []
    for _, c in curated_in_scope(claims).iterrows():
        ids = set(IDS.findall(f"{c['computation']} {c['stated']}"))
        outer = re.match(r"([a-z_]+)\(", c["computation"])
        hit = next(
            (
                pid
                for pid, pids, funcs in proposed
                if pids == ids and (outer is None or outer.group(1) in funcs)
            ),
            "",
        )
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
    tables = {
        "figures-draft.csv": figs[FIGURE_COLUMNS],
        "claims-draft.csv": audit.claims[cl.CLAIM_COLUMNS],
        "verdicts.csv": audit.verdicts(),
    }
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
    lines = [
        f"{len(audit.mentions)} quantities, {len(audit.figures)} figures, "
        f"{len(audit.claims)} checkable statements: "
        + ", ".join(f"{int(counts.get(k, 0))} {k}" for k in cl.VERDICTS)
    ]
    for _, r in v[v["verdict"].isin(["inconsistent", "ambiguous"])].iterrows():
        lines.append(
            f"{r['verdict']:13} {r['claim']} ({r['rule']}): {r['statement_zh']}: {r['note']}"
        )
    return "\n".join(lines)


def cmd_audit(args) -> int:
    audit = audit_file(args.file)
    print(summary(audit))
    if args.out:
        for path in write_drafts(audit, args.out):
            print(f"wrote {path}")
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "audit",
        help="audit any Chinese news text: its quantities, checkable "
        "statements and verdicts, as draft tables",
    )
    p.add_argument("file", help="a UTF-8 text file")
    p.add_argument(
        "--out",
        metavar="DIR",
        help="write figures-draft.csv, claims-draft.csv and verdicts.csv there",
    )
    p.set_defaults(func=cmd_audit)

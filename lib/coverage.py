"""How a curated figures table and its exclusion list cover what the extractor finds.

``check_coverage`` compares :func:`lib.extract.extract`'s mentions with the curated tables (by
the offsets of each value in the normalised text) and returns a :class:`CoverageReport`: the
mentions no row claims and the rows the extractor reads differently. ``python -m lib coverage``
prints that report for the seed page (or another text file).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import quantities as q
from .errors import DataError
from .extract import MINUS, extract, read_text
from .page import shown_path
from .paths import DATA_DIR, SEED_PATH


def value_spans(mentions: pd.DataFrame) -> list[tuple[int, int]]:
    """(start, end) of each mention's printed value in the normalised text."""
    # the value is the last occurrence: a qualifier's clause (约占…的80%) may come before it
    return [
        (s + p.rindex(v), s + p.rindex(v) + len(v))
        for s, p, v in zip(mentions["start"], mentions["printed"], mentions["value"])
    ]


def _same_value(a: str, b: str) -> bool:
    def canon(s):
        return str(s).strip().translate(q.FULLWIDTH).translate(MINUS).replace(",", "")

    return canon(a) == canon(b)


@dataclass
class CoverageReport:
    """How a curated table and its exclusion list cover the extractor's mentions.

    ``uncovered`` holds the mentions (extract() columns) that overlap no figure and no
    exclusion; ``disagreements`` the figure rows the extractor reads differently: the row's
    ``line`` (raw page line, when the table has it), ``article``, ``id``, its value/unit/
    qualifier, the extractor's (``extracted_*``, "" when it has no mention there), a ``reason``,
    the curator's ``note`` and the ``quote``.
    """

    mentions: int
    covered: int
    rows: int
    agreeing: int
    uncovered: pd.DataFrame = field(repr=False)
    disagreements: pd.DataFrame = field(repr=False)

    @property
    def coverage(self) -> float:
        return self.covered / self.mentions if self.mentions else 1.0

    @property
    def agreement(self) -> float:
        return self.agreeing / self.rows if self.rows else 1.0

    def format_report(
        self, text_name: str = "text", raw: str | None = None, figures_name: str = "figures"
    ) -> str:
        """The report as readable lines, summary first, each item led by its location.

        With ``raw`` (the text as given) a mention is located by its raw line; a row by its id
        and, when the figures table has a ``line`` column, the raw line of its value.
        """
        lines = [
            f"mentions: {self.mentions}, covered by figures or exclusions: {self.covered} "
            f"({self.coverage:.1%})",
            f"figure rows: {self.rows}, agreeing with the extractor: {self.agreeing} "
            f"({self.agreement:.1%})",
            "",
            f"mentions the table lacks ({len(self.uncovered)}):",
        ]
        for r in self.uncovered.itertuples(index=False):
            where = (
                f"{text_name}:{raw.count(chr(10), 0, r.raw_start) + 1}"
                if raw is not None
                else f"{text_name} offset {r.start}"
            )
            lines.append(
                f"  {where}: {r.printed} (value {r.value}, unit '{r.unit}', "
                f"{r.qualifier}) in: {r.sentence[:50]}"
            )
        lines.append(f"rows that disagree ({len(self.disagreements)}):")
        for r in self.disagreements.itertuples(index=False):
            where = f" ({text_name}:{r.line})" if r.line != "" else ""
            note = f"; curator's note: {r.note}" if r.note else ""
            lines.append(
                f"  {figures_name} {r.article}/{r.id}{where}: {r.reason} (quote {r.quote}){note}"
            )
        return "\n".join(lines)


def check_coverage(
    mentions: pd.DataFrame, figures: pd.DataFrame, exclusions: pd.DataFrame
) -> CoverageReport:
    """Compare extracted mentions with a curated table and its exclusion list.

    ``figures`` needs value, unit, qualifier, value_start, value_end (and article, id, quote,
    note if present); ``exclusions`` value_start, value_end. Offsets are in the normalised
    text the mentions come from. A mention is covered when its value's span overlaps a
    figure's or an exclusion's; a row agrees when a mention overlapping its value has the
    same value, unit and qualifier.
    """
    for name, table in (("figures", figures), ("exclusions", exclusions)):
        missing = {"value_start", "value_end"} - set(table.columns)
        if missing:
            raise DataError(
                f"{name} table: missing column(s) {', '.join(sorted(missing))}; "
                f"expected the offsets of each value in the normalised text"
            )
    claimed = sorted(zip(figures["value_start"], figures["value_end"])) + sorted(
        zip(exclusions["value_start"], exclusions["value_end"])
    )
    spans = value_spans(mentions)
    covered = [any(a < e and s < b for s, e in claimed) for a, b in spans]
    disagreements = []
    for r in figures.to_dict("records"):
        here = [k for k, (a, b) in enumerate(spans) if a < r["value_end"] and r["value_start"] < b]
        found = _disagreement(r, [mentions.iloc[k] for k in here])
        if found:
            disagreements.append(found)
    return CoverageReport(
        mentions=len(mentions),
        covered=sum(covered),
        rows=len(figures),
        agreeing=len(figures) - len(disagreements),
        uncovered=mentions[[not c for c in covered]].reset_index(drop=True),
        disagreements=pd.DataFrame(
            disagreements,
            columns=[
                "line",
                "article",
                "id",
                "value",
                "unit",
                "qualifier",
                "extracted_value",
                "extracted_unit",
                "extracted_qualifier",
                "reason",
                "note",
                "quote",
            ],
        ),
    )


def _disagreement(r: dict, got: list) -> dict | None:
    """How the curated row ``r`` and the mentions overlapping its value (``got``) disagree, as
    a row of the report; None when one of them has its value, unit and qualifier."""
    if any(
        _same_value(g["value"], r["value"])
        and g["unit"] == r["unit"]
        and g["qualifier"] == r["qualifier"]
        for g in got
    ):
        return None
    if got:
        g = got[0]
        diffs = [
            f"{col} {r[col]!s} vs {g[col]}"
            for col in ("value", "unit", "qualifier")
            if not (_same_value(g[col], r[col]) if col == "value" else g[col] == r[col])
        ]
        reason = "table vs extractor: " + "; ".join(diffs)
        extracted = (g["value"], g["unit"], g["qualifier"])
    else:
        reason, extracted = f"no mention at {r['value']} {r['unit']}", ("", "", "")
    return {
        "line": _text(r.get("line")),
        "article": r.get("article", ""),
        "id": r.get("id", ""),
        "value": r["value"],
        "unit": r["unit"],
        "qualifier": r["qualifier"],
        "extracted_value": extracted[0],
        "extracted_unit": extracted[1],
        "extracted_qualifier": extracted[2],
        "reason": reason,
        "note": _text(r.get("note")),
        "quote": _text(r.get("quote")),
    }


def _text(x) -> str:
    return "" if x is None or (isinstance(x, float) and x != x) else str(x)


# --- command line -------------------------------------------------------------------------


def run_coverage(args: argparse.Namespace) -> int:
    """``coverage [FILE]``: mentions the table lacks and rows the extractor reads differently."""
    from . import figures as curated  # imported here: it loads the data files

    path = args.file or SEED_PATH
    raw = read_text(path)
    report = check_coverage(
        extract(raw), curated.load_figures(args.figures), curated.load_exclusions(args.exclusions)
    )
    print(
        f"coverage of {shown_path(path)} by {shown_path(args.figures)} and "
        f"{shown_path(args.exclusions)}"
    )
    print(report.format_report(shown_path(path), raw, shown_path(args.figures)))
    return 1 if len(report.uncovered) else 0


def register(subparsers) -> None:
    """Add the ``coverage`` subcommand to the project's command line."""
    c = subparsers.add_parser(
        "coverage",
        help="compare the extractor with the curated table",
        description="List every mention that neither the curated table nor the exclusion list "
        "covers, and every table row whose value, unit or qualifier the extractor "
        "reads differently. Exit status 1 when a mention is uncovered.",
    )
    c.add_argument(
        "file",
        nargs="?",
        type=Path,
        help="text file (default: the seed page); the tables' offsets must refer to it",
    )
    c.add_argument(
        "--figures",
        type=Path,
        default=DATA_DIR / "figures.csv",
        help="curated figures table (default: data/figures.csv)",
    )
    c.add_argument(
        "--exclusions",
        type=Path,
        default=DATA_DIR / "exclusions.csv",
        help="numbers that are deliberately not figures (default: data/exclusions.csv)",
    )
    c.set_defaults(func=run_coverage)

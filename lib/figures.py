"""Load and validate the curated tables in ``data/`` as tidy DataFrames; get one figure by id.

Every loader reads its CSV with its line numbers, checks every row, and raises one
:class:`~lib.errors.DataError` naming ``file:line``, the column, the bad value and what was
expected. The tables and their columns are documented in ``data/README.md``.
"""

from __future__ import annotations

import csv
import difflib
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import quantities as q
from .errors import DataError
from .page import Page, load_page, shown_path
from .paths import DATA_DIR

ARTICLE_KINDS = ("section", "report", "brief", "caption")

ARTICLE_COLUMNS = [
    "id",
    "title_zh",
    "title_en",
    "kind",
    "byline",
    "headline_lines",
    "body_lines",
    "note",
]
FIGURE_COLUMNS = [
    "article",
    "id",
    "subject_zh",
    "subject_en",
    "period",
    "value",
    "unit",
    "qualifier",
    "low",
    "high",
    "base_value",
    "base_unit",
    "quote",
    "note",
]
EXCLUSION_COLUMNS = ["article", "number", "quote", "reason"]
REFERENCE_COLUMNS = [
    "id",
    "subject_zh",
    "subject_en",
    "period",
    "value",
    "unit",
    "base_value",
    "base_unit",
    "source",
    "published",
    "url",
    "note",
]

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LINES = re.compile(r"^\d+(-\d+)?$")
NUMBER_TOKEN = re.compile(r"\d+(?:\.\d+)?")


def read_rows(path: str | Path, columns: list[str]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV file as (line number, dict), after checking its header.

    A UTF-8 byte-order mark (as spreadsheet programs write) is accepted. A byte that is not
    UTF-8 is reported with its line and column; a quote that is not closed on its own line,
    with the line and column where it opens (a field never spans lines in these tables).
    """
    p = Path(path)
    name = shown_path(p)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise DataError(
            "file not found; expected a CSV table with columns " + ", ".join(columns), path=name
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line_start = data.rfind(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
        raise DataError(
            f"column {column}: byte 0x{data[start]:02x} is not UTF-8; expected a "
            f"UTF-8 CSV file (save it as UTF-8)",
            path=name,
            line=data.count(b"\n", 0, start) + 1,
        ) from None
    lines = text.splitlines()
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(
            "file is empty; expected a header line: " + ",".join(columns), path=name
        ) from None
    _check_record_lines(reader, lines, 1, name)
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataError(
            f"header lacks {', '.join(missing)}; expected columns: " + ",".join(columns),
            path=name,
            line=1,
        )
    rows = []
    first = reader.line_num + 1
    for record in reader:
        line, first = first, reader.line_num + 1
        _check_record_lines(reader, lines, line, name)
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            raise DataError(
                f"{len(record)} fields; expected {len(header)} (the header's "
                f"count: quote a field that contains a comma)",
                path=name,
                line=line,
            )
        rows.append((line, dict(zip(header, record))))
    return rows


def _check_record_lines(reader, lines: list[str], line: int, name: str) -> None:
    """A record that took more than its own line, or that ended the file, may hold a quote
    left open: look for it on the record's first line."""
    if reader.line_num > line or reader.line_num == len(lines):
        _check_quotes(lines[line - 1], name, line)


def _check_quotes(text: str, name: str, line: int) -> None:
    """DataError at the quote that opens a field of this line and does not close on it."""
    opened, quoted, field_start, k = None, False, True, 0
    while k < len(text):
        ch = text[k]
        if quoted:
            if ch == '"' and text[k + 1 : k + 2] == '"':
                k += 1  # a doubled quote inside a quoted field
            elif ch == '"':
                quoted, opened = False, None
        elif ch == '"' and field_start:
            quoted, opened = True, k
        field_start = not quoted and ch == ","
        k += 1
    if quoted:
        raise DataError(
            f"column {opened + 1}: this quote opens a field that is not closed on "
            f"its line; expected a closing '\"' before the line ends",
            path=name,
            line=line,
        )


def _float(cell: str, *, name: str, line: int, column: str, required: bool) -> float | None:
    if cell.strip() == "":
        if required:
            raise DataError("empty; expected a number", path=name, line=line, column=column)
        return None
    try:
        return float(cell)
    except ValueError:
        raise DataError(
            f"'{cell}' is not a number; expected digits such as 1360000000 or 1.36e9",
            path=name,
            line=line,
            column=column,
        ) from None


# --- checks every loader shares: each raises DataError naming file:line and the column -------


def check_slug(value: str, seen: set[str], *, path: str, line: int, kind: str = "") -> None:
    """An id is a slug, and unique in its table (``seen`` collects the ids so far); ``kind``
    ("claim") leads the message of a duplicate."""
    if not SLUG.match(value):
        raise DataError(
            f"'{value}' is not a slug; expected lower-case words joined by '-'",
            path=path,
            line=line,
            column="id",
        )
    if value in seen:
        raise DataError(
            f"{kind + ' ' if kind else ''}'{value}' is used twice; expected a unique id",
            path=path,
            line=line,
            column="id",
        )
    seen.add(value)


def check_article(
    value: str, article_ids: set[str], where: dict, *, prefix: str = "", listed: bool = True
) -> None:
    """A row's ``article`` is an id of articles.csv (``listed``: the message lists them)."""
    if value not in article_ids:
        expected = "; expected one of " + ", ".join(sorted(article_ids)) if listed else ""
        raise DataError(
            f"{prefix}'{value}' is not an article id{expected}", column="article", **where
        )


def check_filled(
    row: dict[str, str], columns: tuple[str, ...], expected: str, where: dict, *, prefix: str = ""
) -> None:
    """Each of ``columns`` is non-empty; ``expected`` says what it holds ("the figure's {col}")."""
    for col in columns:
        if not row[col].strip():
            raise DataError(
                f"{prefix}empty; expected {expected.format(col=col)}", column=col, **where
            )


def read_number(row: dict[str, str], column: str, where: dict, *, required: bool) -> float | None:
    """A numeric column as a float (None when empty and not ``required``)."""
    return _float(
        row[column], name=where["path"], line=where["line"], column=column, required=required
    )


def _line_span(cell: str, *, name: str, line: int, column: str) -> tuple[int, int] | None:
    cell = cell.strip()
    if not cell:
        return None
    if not LINES.match(cell):
        raise DataError(
            f"'{cell}' is not a line range; expected e.g. 588-660 or 712",
            path=name,
            line=line,
            column=column,
        )
    a, _, b = cell.partition("-")
    lo, hi = int(a), int(b or a)
    if lo > hi:
        raise DataError(
            f"'{cell}' runs backwards; expected first-last", path=name, line=line, column=column
        )
    return lo, hi


def value_offset(quote: str, value: str) -> int:
    """Where the printed ``value`` starts inside ``quote``; -1 if it is not there.

    Arabic values match whole number tokens only (``4`` is not found inside ``2021``).
    """
    if NUMBER_TOKEN.fullmatch(value):
        for m in NUMBER_TOKEN.finditer(quote):
            if m.group() == value:
                return m.start()
        return -1
    return quote.find(value)


def locate_value(page: Page, quote: str, value: str, what: str, where: dict) -> dict[str, int]:
    """Where a row's printed value stands in the page: ``value_start``, ``value_end`` and
    ``line``; DataError (column 'quote') if the quote is not once in the page or lacks it."""
    try:
        loc = page.locate(quote)
    except DataError as exc:
        raise DataError(str(exc), column="quote", **where) from None
    k = value_offset(quote, value)
    if k < 0:
        raise DataError(
            f"'{quote}' does not contain the {what} '{value}'; expected the printed "
            f"{what} inside the quote",
            column="quote",
            **where,
        )
    start = loc.start + k
    return {
        "value_start": start,
        "value_end": start + len(value),
        "line": page.line_of(page.offsets[start]),
    }


# --- articles -----------------------------------------------------------------------------


def _page_lines(row: dict, col: str, n_lines: int, name: str, line: int):
    """An articles.csv row's span of raw page lines in ``col`` (first, last), or None when
    empty; a span past the page's ``n_lines`` is a DataError."""
    span = _line_span(row[col], name=name, line=line, column=col)
    if span and span[1] > n_lines:
        raise DataError(
            f"'{row[col]}' goes past the page's last line ({n_lines})",
            path=name,
            line=line,
            column=col,
        )
    return span


def load_articles(path: str | Path | None = None, page: Page | None = None) -> pd.DataFrame:
    """The items on the page, one row each.

    Columns: ``id`` (slug), ``title_zh``, ``title_en``, ``kind`` (section, report, brief,
    caption), ``byline`` (as printed, may be empty), ``headline_first``/``headline_last`` and
    ``body_first``/``body_last`` (1-based raw line numbers in the seed page; nullable Int64),
    ``note``.
    """
    p = Path(path) if path is not None else DATA_DIR / "articles.csv"
    name = shown_path(p)
    page = page or load_page()
    n_lines = page.raw.count("\n") + 1
    seen: set[str] = set()
    out = []
    for line, row in read_rows(p, ARTICLE_COLUMNS):
        check_slug(row["id"], seen, path=name, line=line)
        if row["kind"] not in ARTICLE_KINDS:
            raise DataError(
                f"'{row['kind']}' is not a kind; expected one of " + ", ".join(ARTICLE_KINDS),
                path=name,
                line=line,
                column="kind",
            )
        check_filled(
            row, ("title_zh", "title_en"), "the item's title", {"path": name, "line": line}
        )
        h, b = (
            _page_lines(row, col, n_lines, name, line) for col in ("headline_lines", "body_lines")
        )
        if b is None:
            raise DataError(
                "empty; expected the raw lines of the item's body",
                path=name,
                line=line,
                column="body_lines",
            )
        out.append(
            {
                "id": row["id"],
                "title_zh": row["title_zh"],
                "title_en": row["title_en"],
                "kind": row["kind"],
                "byline": row["byline"],
                "headline_first": h[0] if h else None,
                "headline_last": h[1] if h else None,
                "body_first": b[0],
                "body_last": b[1],
                "note": row["note"],
            }
        )
    df = pd.DataFrame(out)
    for col in ("headline_first", "headline_last", "body_first", "body_last"):
        df[col] = df[col].astype("Int64")
    return df


# --- figures ------------------------------------------------------------------------------


def _check_vague_bounds(row: dict, unit: q.Unit, low: float, high: float, where: dict) -> None:
    """An irregular row whose value is a vague word carries the rule's bounds
    (``quantities.VAGUE_WORDS``, in the row's unit); other wording (万亿级) keeps the curator's
    typed bounds."""
    try:
        lo, hi, _, _ = q.vague_interval(row["value"])
    except ValueError:
        return
    factor = unit.factor if unit.base_unit != "percent" else 1
    for col, got, want in (("low", low, lo * factor), ("high", high, hi * factor)):
        if not _close(got, want):
            raise DataError(
                f"'{row[col]}' is not what the vague-word rule gives for "
                f"{row['value']}; expected '{_format(want)}' "
                f"(quantities.VAGUE_WORDS)",
                column=col,
                **where,
            )


def compute_columns(value: str, unit: str, qualifier: str) -> dict[str, float | str | None]:
    """low, high, base_value and base_unit of a figure, by the rules in ``quantities``."""
    u = q.parse_unit(unit)
    low, high = q.interval(value, qualifier, u)
    return {
        "low": low,
        "high": high,
        "base_value": q.base_value(value, u),
        "base_unit": u.base_unit,
    }


def _format(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    d = Decimal(repr(x)).normalize()
    return format(d, "f") if abs(d) < Decimal("1e15") else str(d)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _figure_unit(row: dict[str, str], where: dict) -> q.Unit:
    """The row's printed unit, its qualifier known and its base unit the unit's."""
    try:
        unit = q.parse_unit(row["unit"])
    except ValueError as exc:
        raise DataError(str(exc), column="unit", **where) from None
    if row["qualifier"] not in q.QUALIFIERS:
        raise DataError(
            f"'{row['qualifier']}' is not a known qualifier (known: "
            + ", ".join(q.QUALIFIERS)
            + ")",
            column="qualifier",
            **where,
        )
    if row["base_unit"] != unit.base_unit:
        raise DataError(
            f"'{row['base_unit']}' does not match unit {unit.printed}; expected '{unit.base_unit}'",
            column="base_unit",
            **where,
        )
    return unit


def _figure_interval(
    row: dict[str, str], unit: q.Unit, where: dict
) -> tuple[float | None, float | None, float | None]:
    """low, high and base_value of a figure row: typed from the wording for an irregular one
    (a vague word's bounds are the rule's), else what the rules give; base within the bounds."""
    qual = row["qualifier"]
    low = read_number(row, "low", where, required=False)
    high = read_number(row, "high", where, required=False)
    if qual == "irregular":
        base = read_number(row, "base_value", where, required=False)
        if low is None or high is None:
            raise DataError(
                "an irregular figure needs both bounds; expected low and high "
                "typed from the wording",
                column="low" if low is None else "high",
                **where,
            )
    else:
        base = _rule_base_value(row, low, high, where)
    if low is not None and high is not None and low > high:
        raise DataError(
            f"low {row['low']} is above high {row['high']}; expected low <= high",
            column="low",
            **where,
        )
    if qual == "irregular":
        _check_vague_bounds(row, unit, low, high, where)
    if base is not None and not q.contains(low, high, base):
        raise DataError(
            f"{row['base_value']} lies outside [{row['low']}, {row['high']}]; "
            f"expected low <= base_value <= high",
            column="base_value",
            **where,
        )
    return low, high, base


def _rule_base_value(row: dict[str, str], low, high, where: dict) -> float:
    """The base_value of a figure read by a rule, which carries the rule's base_value, low and
    high."""
    qual = row["qualifier"]
    try:
        expected = compute_columns(row["value"], row["unit"], qual)
    except ValueError as exc:
        raise DataError(str(exc), column="value", **where) from None
    base = read_number(row, "base_value", where, required=True)
    for col, got in (("base_value", base), ("low", low), ("high", high)):
        if not _close(got, expected[col]):
            raise DataError(
                f"'{row[col]}' is not what the rules give for "
                f"{row['value']} {row['unit']} ({qual}); expected "
                f"'{_format(expected[col])}' (run: python -m lib "
                f"fill-intervals)",
                column=col,
                **where,
            )
    return base


def load_figures(
    path: str | Path | None = None,
    *,
    articles: pd.DataFrame | None = None,
    page: Page | None = None,
) -> pd.DataFrame:
    """Every figure printed on the page, one row per printing.

    Columns: ``article`` (id in articles.csv), ``id`` (slug), ``subject_zh``, ``subject_en``,
    ``period`` (text), ``value`` (as printed, str), ``unit`` (as printed), ``qualifier`` (a key
    of ``quantities.QUALIFIERS``), ``low``/``high`` (float, base units, NaN for an open end),
    ``base_value`` (float, base units; NaN for irregular wording), ``base_unit`` (yuan, usd,
    count, percent, pp, times, km, inch, kV, year, rank, ratio), ``quote`` (unique passage of
    the normalised page), ``note``, and the location of the printed value:
    ``value_start``/``value_end`` (normalised offsets) and ``line`` (1-based raw line).
    """
    p = Path(path) if path is not None else DATA_DIR / "figures.csv"
    name = shown_path(p)
    page = page or load_page()
    article_ids = set((articles if articles is not None else load_articles(page=page))["id"])
    seen: set[str] = set()
    out = []
    for line, row in read_rows(p, FIGURE_COLUMNS):
        where = {"path": name, "line": line}
        check_slug(row["id"], seen, **where)
        check_article(row["article"], article_ids, where)
        check_filled(
            row, ("subject_zh", "subject_en", "value", "quote"), "the figure's {col}", where
        )
        unit = _figure_unit(row, where)
        low, high, base = _figure_interval(row, unit, where)
        out.append(
            {
                **{c: row[c] for c in FIGURE_COLUMNS},
                "low": low,
                "high": high,
                "base_value": base,
                **locate_value(page, row["quote"], row["value"], "value", where),
            }
        )
    df = pd.DataFrame(out, columns=FIGURE_COLUMNS + ["value_start", "value_end", "line"])
    for col in ("low", "high", "base_value"):
        df[col] = df[col].astype("float64")
    for col in ("value_start", "value_end", "line"):
        df[col] = df[col].astype("int64")
    return df


@dataclass(frozen=True)
class Figure:
    """One figure: what was printed, what it allows, and where it stands."""

    id: str
    article: str
    subject_zh: str
    subject_en: str
    period: str
    value: str
    unit: str
    qualifier: str
    low: float | None
    high: float | None
    base_value: float | None
    base_unit: str
    quote: str
    note: str

    @property
    def interval(self) -> tuple[float | None, float | None]:
        return self.low, self.high

    def context(self) -> str:
        """The sentence of the page the figure stands in."""
        return load_page().context(self.quote)


def _none(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


def data_stamp() -> tuple[tuple[str, int, int], ...]:
    """The tables of ``data/`` as (name, modification time, size): the default tables are read
    once per process and read again when a curator has changed a file since."""
    return tuple(
        (p.name, st.st_mtime_ns, st.st_size)
        for p in sorted(DATA_DIR.glob("*.csv"))
        for st in [p.stat()]
    )


@lru_cache(maxsize=1)
def _figures_as_of(stamp: tuple) -> pd.DataFrame:
    return load_figures()


def _default_figures() -> pd.DataFrame:
    return _figures_as_of(data_stamp())


def get_figure(figure_id: str, figures: pd.DataFrame | None = None) -> Figure:
    """One figure by id (from the default table unless ``figures`` is given)."""
    df = figures if figures is not None else _default_figures()
    hit = df[df["id"] == figure_id]
    if hit.empty:
        close = difflib.get_close_matches(figure_id, list(df["id"]), n=3, cutoff=0.6)
        hint = f" (did you mean: {', '.join(close)}?)" if close else ""
        raise DataError(f"no figure with id '{figure_id}' in data/figures.csv{hint}")
    r = hit.iloc[0]
    return Figure(
        **{
            f: _none(r[f]) if f in ("low", "high", "base_value") else r[f]
            for f in Figure.__dataclass_fields__
        }
    )


def count_figures(articles: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Figures per item of the page.

    Columns: ``id``, ``title_zh``, ``title_en``, ``kind``, ``figures`` (rows in figures.csv),
    ``exact`` (qualifier exact), ``bounded`` (any other qualifier: the wording widens or opens
    the interval), ``open_ended`` (low or high missing). Items in page order.
    """
    f = figures.assign(
        is_exact=figures["qualifier"].eq("exact"),
        is_open=figures["low"].isna() | figures["high"].isna(),
    )
    g = f.groupby("article").agg(
        figures=("id", "size"), exact=("is_exact", "sum"), open_ended=("is_open", "sum")
    )
    out = (
        articles[["id", "title_zh", "title_en", "kind"]]
        .merge(g, left_on="id", right_index=True, how="left")
        .fillna({"figures": 0, "exact": 0, "open_ended": 0})
    )
    for col in ("figures", "exact", "open_ended"):
        out[col] = out[col].astype("int64")
    out.insert(out.columns.get_loc("exact") + 1, "bounded", out["figures"] - out["exact"])
    return out.reset_index(drop=True)


# --- exclusions and reference ------------------------------------------------------------


def load_exclusions(
    path: str | Path | None = None,
    *,
    articles: pd.DataFrame | None = None,
    page: Page | None = None,
) -> pd.DataFrame:
    """Arabic numbers on the page that are deliberately not figures, each with its reason.

    Columns: ``article``, ``number`` (as printed), ``quote`` (unique passage containing it),
    ``reason``, ``value_start``/``value_end`` (normalised offsets of the number), ``line``.
    """
    p = Path(path) if path is not None else DATA_DIR / "exclusions.csv"
    name = shown_path(p)
    page = page or load_page()
    article_ids = set((articles if articles is not None else load_articles(page=page))["id"])
    out = []
    for line, row in read_rows(p, EXCLUSION_COLUMNS):
        where = {"path": name, "line": line}
        check_article(row["article"], article_ids, where, listed=False)
        if not NUMBER_TOKEN.fullmatch(row["number"]):
            raise DataError(
                f"'{row['number']}' is not an Arabic number; expected digits",
                column="number",
                **where,
            )
        check_filled(row, ("reason",), "why this number is not a figure", where)
        out.append(
            {
                **{c: row[c] for c in EXCLUSION_COLUMNS},
                **locate_value(page, row["quote"], row["number"], "number", where),
            }
        )
    return pd.DataFrame(out, columns=EXCLUSION_COLUMNS + ["value_start", "value_end", "line"])


def load_reference(path: str | Path | None = None) -> pd.DataFrame:
    """Figures from outside the page used as cross-checks, each with its source.

    Columns: ``id``, ``subject_zh``, ``subject_en``, ``period``, ``value`` (as published, str),
    ``unit`` (as published), ``base_value`` (float, base units), ``base_unit``, ``source``
    (publisher and title), ``published`` (date), ``url``, ``note`` (how the project uses it).
    """
    p = Path(path) if path is not None else DATA_DIR / "reference.csv"
    name = shown_path(p)
    seen: set[str] = set()
    out = []
    for line, row in read_rows(p, REFERENCE_COLUMNS):
        where = {"path": name, "line": line}
        check_slug(row["id"], seen, **where)
        check_filled(row, ("source", "published"), "the figure's {col}", where)
        base = read_number(row, "base_value", where, required=True)
        try:
            expected = q.base_value(row["value"], row["unit"])
        except ValueError as exc:
            raise DataError(str(exc), column="unit", **where) from None
        if not _close(base, expected):
            raise DataError(
                f"'{row['base_value']}' does not match {row['value']} {row['unit']}; "
                f"expected '{_format(expected)}'",
                column="base_value",
                **where,
            )
        _check_stored_copy(row, p.parent / "sources" / f"{row['id']}.txt", where)
        out.append({**row, "base_value": base})
    return pd.DataFrame(out, columns=REFERENCE_COLUMNS)


def _check_stored_copy(row: dict[str, str], copy: Path, where: dict) -> None:
    """A reference names a page a reader can open (``url``), and a stored copy of that page's
    passage (``sources/<id>.txt``: a ``url:`` line, then the verbatim passage) prints the
    value as published. A figure typed from memory has no such copy, so it is not a reference."""
    if not row["url"].strip():
        raise DataError(
            "empty; expected the address of a page a reader can open", column="url", **where
        )
    if not copy.is_file():
        raise DataError(
            f"no stored copy {shown_path(copy)}; expected the page's passage with "
            f"the figure, after a line 'url: {row['url']}'",
            column="url",
            **where,
        )
    text = copy.read_text(encoding="utf-8")
    if f"url: {row['url']}" not in text.splitlines():
        raise DataError(
            f"{shown_path(copy)} is a copy of another page; expected a line 'url: {row['url']}'",
            column="url",
            **where,
        )
    if row["value"] not in text.replace(",", ""):
        raise DataError(
            f"{shown_path(copy)} does not print {row['value']}; expected the "
            f"stored passage to contain the value as published",
            column="value",
            **where,
        )


# --- curator's tool -----------------------------------------------------------------------


def fill_intervals(path: str | Path | None = None) -> int:
    """Rewrite low, high, base_value and base_unit from the rules (irregular rows: base_unit).

    The curator types article … qualifier, quote and note; this fills the rest. Returns the
    number of rows changed. The file is written to a temporary file and renamed, so a failure
    leaves it as it was.
    """
    p = Path(path) if path is not None else DATA_DIR / "figures.csv"
    name = shown_path(p)
    rows = read_rows(p, FIGURE_COLUMNS)
    with p.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    changed = 0
    for line, row in rows:
        try:
            if row["qualifier"] == "irregular":  # bounds are typed; only the base unit is ours
                computed = {"base_unit": q.parse_unit(row["unit"]).base_unit}
            else:
                computed = compute_columns(row["value"], row["unit"], row["qualifier"])
        except ValueError as exc:
            raise DataError(str(exc), path=name, line=line) from None
        new = {k: (v if isinstance(v, str) else _format(v)) for k, v in computed.items()}
        if any(row[k] != v for k, v in new.items()):
            changed += 1
            row.update(new)
    tmp = p.with_suffix(p.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(row for _, row in rows)
    tmp.replace(p)
    return changed

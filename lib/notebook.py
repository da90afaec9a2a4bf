"""What every notebook does the same way: check its parameters, pick its language, write results.

A notebook's first code cell after the parameters calls :func:`check_choice` for each parameter
with a fixed set of values, so a wrong value fails at once with a message naming the parameter,
the value and the allowed values.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

from .errors import DataError

LANGS = ("zh", "en")


def check_choice(name: str, value, allowed) -> None:
    """DataError unless ``value`` is one of ``allowed``."""
    allowed = list(allowed)
    if value not in allowed:
        raise DataError(
            f"parameter '{name}': {value!r} is not allowed; expected one of: "
            + ", ".join(repr(a) for a in allowed)
        )


def check_number(name: str, value, *, low: float | None = None, high: float | None = None) -> None:
    """DataError unless ``value`` is a finite number within [low, high] (NaN and the
    infinities compare false with every bound, so they are rejected first)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DataError(f"parameter '{name}': {value!r} is not a number; expected a number")
    if not math.isfinite(value):
        raise DataError(
            f"parameter '{name}': {value!r} is not a finite number; expected a "
            f"number" + (f" from {low} to {high}" if low is not None and high is not None else "")
        )
    if (low is not None and value < low) or (high is not None and value > high):
        raise DataError(
            f"parameter '{name}': {value!r} is out of range; expected a number from {low} to {high}"
        )


def pick(lang: str, zh: str, en: str) -> str:
    """The Chinese or the English text, by the notebook's ``lang``."""
    return zh if lang == "zh" else en


def write_results(output_dir: str | Path | None, name: str, results: dict) -> Path | None:
    """Write the notebook's headline numbers as ``name``.json; nothing when output_dir is empty.

    The file is strict JSON: a NaN or an infinity anywhere in ``results`` is a DataError naming
    its key (JSON has no such numbers; Python would write a bare ``NaN``)."""
    if not output_dir:
        return None
    bad = _non_finite(results)
    if bad is not None:
        raise DataError(
            f"results '{name}': {bad[0]} is {bad[1]!r}, which JSON cannot hold; "
            f"expected a finite number (or None for unknown)"
        )
    text = json.dumps(results, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False)
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.json"
    tmp = out / f".{name}.json.writing-{os.getpid()}"  # whole or not at all: then renamed
    try:
        tmp.write_text(text + "\n", encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _non_finite(value, where: str = "results") -> tuple[str, float] | None:
    """(where, value) of the first NaN or infinity inside ``value``, e.g.
    ``("results['pool_usd'][1]", nan)``; None if there is none."""
    if isinstance(value, float) and not math.isfinite(value):
        return where, value
    if isinstance(value, dict):
        items = ((f"{where}[{k!r}]", v) for k, v in value.items())
    elif isinstance(value, (list, tuple)):
        items = ((f"{where}[{k}]", v) for k, v in enumerate(value))
    else:
        return None
    for sub, v in items:
        found = _non_finite(v, sub)
        if found is not None:
            return found
    return None


# --- the one bilingual idiom: a (zh, en) pair, resolved by the notebook's lang -----------------


def tr(lang: str, text):
    """``text`` in the notebook's language. ``text`` is a (zh, en) pair, or a dict, list or tuple
    of such pairs (resolved item by item, keys kept), or a plain string (returned as it is).

    The one way a notebook writes bilingual text: ``tr(lang, ("去向", "destination"))``,
    ``tr(lang, {"prd": ("珠三角地区", "Pearl River Delta"), ...})``, or a list of findings."""
    if isinstance(text, str) or text is None:
        return text
    if isinstance(text, dict):
        return {k: tr(lang, v) for k, v in text.items()}
    if _is_pair(text):
        return pick(lang, *text)
    if isinstance(text, (list, tuple)):
        return [tr(lang, t) for t in text]
    raise TypeError(f"tr: {text!r} is not a (zh, en) pair, a string, or a dict or list of them")


def _is_pair(text) -> bool:
    return isinstance(text, tuple) and len(text) == 2 and all(isinstance(t, str) for t in text)


def lang_column(name: str, lang: str) -> str:
    """The column of a bilingual table in the notebook's language: ``name_zh`` or ``name_en``."""
    return f"{name}_{'zh' if lang == 'zh' else 'en'}"


# --- figures and articles by id, labels from data/ -----------------------------------------------


class Lookup:
    """The figures and articles of data/ by id, in one notebook's language.

    ``look = Lookup(lang)``; ``look.figure(i)`` is the figure (``figures.Figure``),
    ``look.interval(i)`` the interval its wording allows, ``look.value(i)`` its base value,
    ``look.printed(i)`` its value as printed, ``look.subject(i)`` its subject_zh or subject_en,
    ``look.title(a)`` an article's title_zh or title_en, ``look.source(a)`` a chart's source
    line for it, ``look.between(x, digits)`` an interval for a sentence."""

    def __init__(self, lang: str, table=None, articles=None):
        from . import figures

        self.lang = lang
        self.table = table if table is not None else figures.load_figures()
        self._articles = articles

    @property
    def articles(self):
        if self._articles is None:
            from . import figures

            self._articles = figures.load_articles()
        return self._articles

    def figure(self, figure_id: str):
        from . import figures

        return figures.get_figure(figure_id, self.table)

    def interval(self, figure_id: str):
        from .intervals import from_figure

        return from_figure(self.figure(figure_id))

    def value(self, figure_id: str) -> float:
        return self.figure(figure_id).base_value

    def printed(self, figure_id: str) -> str:
        return self.figure(figure_id).value

    def subject(self, figure_id: str) -> str:
        return _row(self.table, figure_id, "figures.csv")[lang_column("subject", self.lang)]

    def title(self, article_id: str) -> str:
        return _row(self.articles, article_id, "articles.csv")[lang_column("title", self.lang)]

    def source(self, article_id: str) -> str:
        """A chart's source line: the page, then the item's headline as data/articles.csv gives
        it (the Chinese verbatim, misprints included; ours in brackets for a caption)."""
        return tr(self.lang, ("《业界传真》版：", "业界传真 page: ")) + self.title(article_id)

    def tr(self, text):
        """:func:`tr` in this lookup's language."""
        return tr(self.lang, text)

    def between(self, x, digits: int = 2) -> str:
        """:func:`lib.report.between` in this lookup's language: ``13.10 to 13.12``, in Chinese
        ``13.10至13.12``."""
        from .report import between

        return between(x, digits, self.lang)


def _row(df, key: str, name: str):
    hit = df[df["id"] == key]
    if hit.empty:
        raise DataError(f"no row with id '{key}' in data/{name}")
    return hit.iloc[0]


# --- tables --------------------------------------------------------------------------------------


def interval_rows(look: Lookup, rows, **columns):
    """A DataFrame with columns label, low, high, value, one row per entry of ``rows``; what
    :func:`lib.charts.interval_bars` draws.

    An entry is a figure id (label: its subject, from data/figures.csv; low and high: its
    interval; value: its base value), a (label, figure id) pair, or a (label, interval, value)
    triple; a label is a string or a (zh, en) pair. Each keyword adds a column of that name
    from a function of the entry's figure id (None for a triple)."""
    import pandas as pd

    out = []
    for entry in rows:
        fid = None
        if isinstance(entry, str):
            fid, label = entry, look.subject(entry)
            iv, value = look.interval(entry), look.value(entry)
        elif len(entry) == 2:
            label, fid = entry
            iv, value = look.interval(fid), look.value(fid)
        else:
            label, iv, value = entry
        row = {"label": look.tr(label), "low": iv.low, "high": iv.high, "value": value}
        row.update({k: f(fid) for k, f in columns.items()})
        out.append(row)
    return pd.DataFrame(out, columns=["label", "low", "high", "value", *columns])


def headed(lang: str, df, headers: dict):
    """``df``'s columns named in ``headers`` (column → (zh, en) pair or string), in that order,
    renamed to the notebook's language."""
    names = tr(lang, headers)
    return df[list(names)].rename(columns=names)


def frame(lang: str, columns: dict):
    """A DataFrame from ``{header: values}`` whose headers are (zh, en) pairs (or strings),
    named in the notebook's language; the values are kept as they are."""
    import pandas as pd

    return pd.DataFrame({tr(lang, k): v for k, v in columns.items()})

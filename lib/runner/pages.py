"""The pages of a build: each run's HTML rendering, ``index.html`` and the font they share.

``render_html`` turns an executed notebook into its HTML page (nbconvert with the offline
template in ``templates/``); ``write_index`` writes ``index.html`` (``templates/index.html.j2``) and
``runs.json``: every run with its title, first finding, charts, status and when it was last
built, failures first; ``write_font`` writes ``fonts/``, the subset of Noto Sans SC that holds
every character the build's pages use, as WOFF.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..paths import TEMPLATES

if TYPE_CHECKING:
    from .manifest import Result

FONT_FAMILY = "Yejie Noto Sans SC"  # the build's subset of Noto Sans SC, in every page
FONT_FILE = "fonts/noto-sans-sc-subset.woff"
INDEX_TEMPLATE = "index.html.j2"  # in templates/: the page, its CSS and each run's section


@lru_cache(maxsize=1)
def _exporter():
    """One HTML exporter per worker: its templates compile once (0.4 s a run becomes 0.2 s)."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class Exporter(HTMLExporter):
        """nbconvert's HTML exporter without its last step: it parsed each page it had
        rendered with BeautifulSoup to give images an alt text and cells a tabindex, then
        wrote the whole page out again, 0.28 s of a run page's 0.38 s. The same attributes
        are added to the same tags by ``_accessible`` (tests/test_pages.py compares the two)."""

        def from_notebook_node(self, nb, resources=None, **kw):
            # HTMLExporter.from_notebook_node (nbconvert 7), up to its BeautifulSoup pass
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter(
                "highlight_code",
                self.filters.get(
                    "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
                ),
            )
            resources = self._init_resources(resources)
            self.register_filter(
                "filter_data_type",
                WidgetsDataTypeFilter(
                    notebook_metadata=self._nb_metadata, parent=self, resources=resources
                ),
            )
            html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return _accessible(html), resources

    return Exporter(template_name="offline", extra_template_basedirs=[str(TEMPLATES)])


NO_ALT = "No description has been provided for this image"  # nbconvert's words
_FOCUSABLE = re.compile(
    r'<div\b([^>]*\bclass="(?:[^"]*\s)?(?:jp-Cell-inputWrapper|jp-OutputArea-output)(?:\s[^"]*)?"'
    r"(?![^>]*\btabindex=)[^>]*)>"
)
_IMG_WITHOUT_ALT = re.compile(r"<img\b((?![^>]*\balt=)[^>]*?)\s*(/?)>")


def _accessible(html: str) -> str:
    """What nbconvert's HTML exporter adds to a rendered page: an alt text on every image that
    has none, and ``tabindex="0"`` on each cell's input and each output, for the keyboard."""
    html = _FOCUSABLE.sub(r'<div\1 tabindex="0">', html)
    return _IMG_WITHOUT_ALT.sub(lambda m: f'<img{m[1]} alt="{NO_ALT}"{m[2]}>', html)


def warm_exporter() -> None:
    """Import nbconvert and compile the template once, in the process the workers are forked
    from: each worker would spend 0.9 s on it (half in the import, half in the first page)."""
    import nbformat

    _exporter().from_notebook_node(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell()]))


def render_html(nb_path: Path, nb=None, depth: int | None = None) -> None:
    """The notebook's HTML page beside it; with ``depth`` (how many folders below the build it
    lies), the page uses the build's font."""
    import nbformat

    if nb is None:
        nb = nbformat.read(nb_path, as_version=4)
    resources = {}
    if depth is not None:
        resources = {"font_url": "../" * depth + FONT_FILE, "font_family": FONT_FAMILY}
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    nb_path.with_suffix(".html").write_text(body, encoding="utf-8")


# --- the index and the font ----------------------------------------------------------------


def _links(folder: str, files: list[str], notebook: str) -> list[tuple[str, str]]:
    """A run's files a reader opens, as (href, label): its HTML page, its notebook, then each
    CSV and JSON."""
    stem = Path(notebook).stem
    found = [(f"{stem}.html", "report (HTML)"), (notebook, "notebook")]
    out = [(f"{folder}/{f}", label) for f, label in found if f in files]
    return out + [(f"{folder}/{f}", f) for f in files if f.endswith((".csv", ".json"))]


def _charts(folder: str, files: list[str]) -> list[tuple[str, str]]:
    """A run's charts, as (href, file name)."""
    return [(f"{folder}/{f}", f) for f in files if f.endswith(".png")]


def _run_view(r: Result) -> dict:
    """What ``index.html.j2`` shows of one run."""
    view = {
        "id": r.id,
        "status": r.status,
        "lang": {"zh": "zh-Hans", "en": "en"}.get(r.parameters.get("lang")),
        "title": r.title or r.id,
        "params": ", ".join(
            f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in r.parameters.items()
        )
        or "(defaults)",
        "built": r.built or "?",
        "seconds": f"{r.seconds:.1f}",
    }
    if r.status != "ok":
        where = f"In [{r.cell}]: " if r.cell is not None else ""
        good = r.last_good or {}
        view["error"] = where + r.error
        view["attempt"] = _links(r.folder, r.files, r.notebook)
        view["good"] = None
        if good:
            files = good.get("files") or []
            view["good"] = {
                "built": good.get("built") or "?",
                "links": _links(r.id, files, r.notebook),
                "finding": good.get("finding"),
                "charts": _charts(r.id, files),
            }
    else:
        folder = r.folder or r.id
        view["finding"] = r.finding
        view["charts"] = _charts(folder, r.files)
        view["links"] = _links(folder, r.files, r.notebook)
    return view


@lru_cache(maxsize=1)
def _index_template():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template(INDEX_TEMPLATE)


def write_index(build: Path, results: list[Result]) -> Path:
    """``index.html`` and ``runs.json`` for a build: every run with its title, first finding,
    charts, status and when it was last built; failures first."""
    (build / "runs.json").write_text(
        json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    ordered = [r for r in results if r.status != "ok"] + [r for r in results if r.status == "ok"]
    ok = sum(r.status == "ok" for r in results)
    page = _index_template().render(
        runs=[_run_view(r) for r in ordered],
        ok=ok,
        failed=len(results) - ok,
        font_family=FONT_FAMILY,
        font_file=FONT_FILE,
    )
    path = build / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def page_characters(build: Path) -> str:
    """Every character the build's pages hold, sorted, without control characters."""
    chars: set[str] = set()
    for page in build.rglob("*.html"):
        chars |= set(page.read_text(encoding="utf-8"))
    return "".join(sorted(c for c in chars if c.isprintable()))


def write_font(build: Path, previous: Path | None = None) -> Path:
    """``fonts/`` of a build: the subset of Noto Sans SC (from the pinned font package) that
    holds every character its pages use, as WOFF, and the characters it holds. The previous
    build's font is reused (linked) when its characters are the same."""
    text = page_characters(build)
    font = build / FONT_FILE
    listing = font.with_suffix(".txt")
    font.parent.mkdir(parents=True, exist_ok=True)
    if previous is not None:
        old = previous / FONT_FILE
        try:
            if old.with_suffix(".txt").read_text(encoding="utf-8") == text:
                link_file(old, font)
                listing.write_text(text, encoding="utf-8")
                return font
        except OSError:
            pass
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from ..charts import font_path

    options = subset.Options()
    options.flavor = "woff"
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.notdef_outline = True
    options.hinting = False
    # recalcTimestamp: the same characters give the same bytes. recalcBBoxes: the source font's
    # bounding box (it holds every subset's) is kept rather than recomputed by executing every
    # glyph's outline program: 0.5 s of the 1.1 s a subset for the collection's pages took
    tt = TTFont(str(font_path()), lazy=True, recalcTimestamp=False, recalcBBoxes=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(tt)
    used = {ord(c) for c in text}
    for table in tt["cmap"].tables:  # only the pages' characters map to a glyph; glyphs that
        table.cmap = {c: g for c, g in table.cmap.items() if c in used}  # layout reaches stay
    tt.flavor = "woff"
    tt.save(str(font))
    listing.write_text(text, encoding="utf-8")
    return font


def link_file(src, dst) -> None:
    """A hard link, or a copy where a link is impossible (another file system)."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)

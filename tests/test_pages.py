"""lib/runner/pages.py: a run's page as nbconvert's HTML exporter would write it, for less."""

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter

from lib.paths import ROOT, TEMPLATES
from lib.runner import pages


@pytest.mark.parametrize(
    "notebook",
    [
        "notebooks/00-overview.ipynb",  # a chart (PNG), tables (HTML), text
        "notebooks/06-briefs.ipynb",
        "tests/fixtures/notebooks/writes-findings.ipynb",  # no outputs stored
    ],
)
def test_a_page_is_nbconverts_with_the_same_alt_texts_and_tabindexes(notebook):
    """nbconvert's exporter adds the attributes with BeautifulSoup and writes the parsed page
    out; ours adds them to the rendered text. Parsed the same way, the two pages are one."""
    nb = nbformat.read(ROOT / notebook, as_version=4)
    resources = {"font_url": "../fonts/x.woff", "font_family": pages.FONT_FAMILY}
    reference = HTMLExporter(template_name="offline", extra_template_basedirs=[str(TEMPLATES)])
    want, _ = reference.from_notebook_node(nb, resources=dict(resources))
    got, _ = pages._exporter().from_notebook_node(nb, resources=dict(resources))
    assert str(BeautifulSoup(got, features="html.parser")) == want
    assert got.count('tabindex="0"') >= len(nb.cells) // 2
    assert got.count("<img") == got.count(f'alt="{pages.NO_ALT}"')


def test_the_index_escapes_what_runs_report_and_lists_failures_first(tmp_path):
    """index.html comes from templates/index.html.j2: a title, an error or a file name that
    holds markup is shown as text, never run; a failure comes first, beside its last good
    output."""
    from lib.runner.manifest import Result

    good = Result("a--en", "a.ipynb", "en", {"lang": "en"}, "ok", 1.0, files=["a.html", "c.png"])
    bad = Result(
        "b--zh",
        "b.ipynb",
        "zh",
        {"lang": "zh"},
        "failed",
        2.0,
        error="ValueError: <script>alert(1)</script>",
        cell=3,
        folder="failed/b--zh",
        title='<img src=x onerror="alert(1)">',
        last_good={"built": "2026-01-01", "files": ["b.html"], "finding": "x < y & z"},
    )
    page = pages.write_index(tmp_path, [good, bad]).read_text(encoding="utf-8")
    soup = BeautifulSoup(page, features="html.parser")
    assert soup.find("script") is None and len(soup.find_all("img")) == 1  # good's chart
    assert [s["id"] for s in soup.find_all("section")] == ["b--zh", "a--en"]
    failed = soup.find("section", id="b--zh")
    assert failed["lang"] == "zh-Hans" and failed.h2.text == '<img src=x onerror="alert(1)">'
    assert failed.find(class_="error").text == "In [3]: ValueError: <script>alert(1)</script>"
    assert failed.find(class_="finding").text == "x < y & z"
    assert [a["href"] for a in failed.find_all("a")] == ["b--zh/b.html"]
    assert "1 of 2 runs succeeded; 1 failed, listed first." in soup.p.text

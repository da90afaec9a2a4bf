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

"""The notebooks as users run them: through papermill, with parameters."""

import base64
import json

import pytest

from .conftest import own_files

papermill = pytest.importorskip("papermill")

from lib.page import ROOT  # noqa: E402

NB = ROOT / "notebooks"


def test_overview_in_english_writes_chart_files_and_results(english_runs):
    out = english_runs["00-overview.ipynb"]
    results = json.loads((out / "overview.json").read_text(encoding="utf-8"))
    assert results["items"] == 10 and results["figures"] >= 140
    assert results["exact"] + results["bounded"] == results["figures"]
    assert own_files(out) == {
        "overview.json", "fig1-figures-per-item.png", "fig1-figures-per-item.svg",
        "fig1-figures-per-item.csv"}
    assert "title_en" in (out / "fig1-figures-per-item.csv").read_text(encoding="utf-8")
    # the notebook shows the PNG it saved, once, at the width the inline backend would use
    nb = json.loads((out / "00-overview.ipynb").read_text(encoding="utf-8"))
    shown = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])
             if "image/png" in o.get("data", {})]
    assert len(shown) == 1
    png = (out / "fig1-figures-per-item.png").read_bytes()
    assert base64.b64decode(shown[0]["data"]["image/png"]) == png
    assert shown[0]["metadata"]["image/png"]["width"] == 800  # 8 in at figure.dpi 100


def test_overview_without_output_dir_shows_the_chart_through_the_inline_backend(
        run_notebook, tmp_path):
    run_notebook("00-overview.ipynb", lang="en")
    nb = json.loads((tmp_path / "run.ipynb").read_text(encoding="utf-8"))
    shown = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])
             if "image/png" in o.get("data", {})]
    assert ["".join(o["data"]["text/plain"]).startswith("<Figure size 800x") for o in shown] == [True]


def test_overview_rejects_an_unknown_language(run_notebook):
    with pytest.raises(papermill.PapermillExecutionError) as err:
        run_notebook("00-overview.ipynb", lang="fr")
    assert "parameter 'lang': 'fr' is not allowed; expected one of: 'zh', 'en'" in str(err.value)

"""Notebook 07 (the claims audit) through papermill, as users run it."""

import csv
import json

import pytest

from .conftest import own_files

papermill = pytest.importorskip("papermill")

from lib.page import ROOT  # noqa: E402

NB = ROOT / "notebooks" / "07-claims-audit.ipynb"
CHART = "fig1-stated-vs-computed"


def test_claims_audit_in_english_for_little_giants_writes_verdicts_chart_and_results(
        english_runs):
    out = english_runs[NB.name]  # article="little-giants"
    results = json.loads((out / "claims-audit.json").read_text(encoding="utf-8"))
    assert results["article"] == "little-giants"
    assert results["claims"] == 26 and results["claim_readings"] == 26
    assert results["verdicts"] == {"consistent": 20, "inconsistent": 0, "ambiguous": 0,
                                   "unverifiable": 6}
    assert results["inconsistent"] == [] and results["ambiguous"] == []
    assert results["unverifiable"] == [
        "lg-auto-mean-above-medicine-chips", "lg-high-end-lowest", "lg-market-figures-source",
        "lg-market-growth-kind", "lg-materials-mean-highest", "lg-max-revenue-source"]
    assert results["contradictions"] == []
    assert results["articles_with_findings"] == []
    names = {"claims-audit.json", "claims-verdicts.csv"} | {
        f"{CHART}.{ext}" for ext in ("png", "svg", "csv")}
    assert own_files(out) == names
    assert results["files"] == sorted(names)
    with open(out / "claims-verdicts.csv", encoding="utf-8", newline="") as f:
        verdicts = list(csv.DictReader(f))
    assert list(verdicts[0]) == ["article", "claim", "kind", "statement_zh", "statement_en",
                                 "computed", "stated", "verdict", "strength", "room", "natural",
                                 "other_readings", "note"]
    assert len(verdicts) == 26 and {r["article"] for r in verdicts} == {"little-giants"}
    mean = next(r for r in verdicts if r["claim"] == "lg-mean-revenue")
    assert (mean["computed"], mean["stated"], mean["verdict"], mean["strength"]) == (
        "13.43亿 to 13.71亿 yuan", "13.55亿 to 13.65亿 yuan", "consistent", "partial")
    chart = (out / f"{CHART}.csv").read_text(encoding="utf-8").splitlines()
    assert len(chart) == 1 + 23  # the 3 statements only an outside source settles are not drawn


def test_claims_audit_rejects_an_unknown_article(run_notebook):
    with pytest.raises(papermill.PapermillExecutionError) as err:
        run_notebook(NB.name, article="nope")
    assert ("parameter 'article': 'nope' is not allowed; expected one of: 'all', "
            "'shenzhen-migration', 'chongqing-ic', 'highway-alliance', 'digital-sports', "
            "'math-competition', 'ningxia-computing', 'little-giants', "
            "'caption-transmission-line', 'caption-diankou'") in str(err.value)

"""Notebook 08 audits any page: run through papermill on a planted text, and on a bad path."""

import json

import pytest

from lib.page import ROOT


def test_audit_notebook_on_a_planted_page_writes_drafts_and_results(run_notebook, tmp_path):
    out = tmp_path / "out"
    run_notebook("08-audit-page.ipynb", lang="en", output_dir=str(out),
                 page=str(ROOT / "tests" / "fixtures" / "audit" / "planted-failures.txt"))
    results = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    assert results["page"] == "planted-failures.txt"
    assert results["verdicts"]["inconsistent"] == 5 and len(results["inconsistent"]) == 5
    assert results["findings"][0].startswith("planted-failures.txt prints")
    assert {"figures-draft.csv", "claims-draft.csv", "verdicts.csv", "audit.json",
            "fig1-verdicts-by-check.png"} <= {p.name for p in out.iterdir()}


def test_audit_notebook_names_a_missing_page(run_notebook, tmp_path):
    papermill = pytest.importorskip("papermill")
    with pytest.raises(papermill.PapermillExecutionError) as err:
        run_notebook("08-audit-page.ipynb", page=str(tmp_path / "nowhere.txt"))
    assert err.value.ename == "DataError" and "nowhere.txt: file not found" in err.value.evalue

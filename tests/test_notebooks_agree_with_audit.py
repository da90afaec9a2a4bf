"""Every notebook states what the audit gives: its results (the dict its last cell shows, as
stored from a scripted run and checked by nbval against a fresh one) hold no multiple, share or
verdict for a statement that lib/claims.py does not give for the same statement and reading.

No kernel is started: nbval proves the stored outputs are what the notebooks print today; this
test proves that what they print agrees with the audit."""

import ast
import json

import pytest

from lib import claims, verdicts
from lib.paths import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def stored_results(path):
    """The results dict a notebook's last code cell displays, as stored."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    last = [c for c in nb["cells"] if c["cell_type"] == "code"][-1]
    shown = [o for o in last.get("outputs", []) if "text/plain" in o.get("data", {})]
    assert shown, f"{path.name}: the last cell shows no results"
    return ast.literal_eval("".join(shown[-1]["data"]["text/plain"]))


@pytest.fixture(scope="module")
def table():
    return claims.load_claims()


@pytest.fixture(scope="module")
def audited(table):
    return claims.evaluate_claims(table)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_ends_with_a_title_and_findings(path):
    results = stored_results(path)
    assert isinstance(results.get("title"), str) and results["title"]
    findings = results.get("findings")
    assert isinstance(findings, list) and findings and all(isinstance(f, str) for f in findings)


def disagreements(results, table):
    """The claims whose entry in ``results["claims"]`` differs from the audit's."""
    out = []
    for claim_id, entry in results.get("claims", {}).items():
        natural = claims.audit_entry(claim_id, claims=table)
        asked = (
            natural
            if entry["reading"] == natural["reading"]
            else claims.audit_entry(claim_id, entry["reading"], claims=table)
        )
        if entry != asked:
            out.append(f"{claim_id}: notebook {entry}, audit {asked}")
    return out


STATING = [p for p in NOTEBOOKS if isinstance(stored_results(p).get("claims"), dict)]


def test_the_report_notebooks_state_claims():
    assert len(STATING) >= 4, [p.name for p in STATING]


@pytest.mark.parametrize("path", STATING, ids=lambda p: p.stem)
def test_every_claim_a_notebook_states_is_what_the_audit_gives(path, table):
    assert disagreements(stored_results(path), table) == []


def test_the_audit_notebook_lists_the_audits_verdicts(audited, table):
    results = stored_results(ROOT / "notebooks" / "07-claims-audit.ipynb")
    per_claim = audited.drop_duplicates("claim")
    for verdict in ("inconsistent", "ambiguous", "unverifiable"):
        assert results[verdict] == sorted(
            per_claim.loc[per_claim["claim_verdict"] == verdict, "claim"]
        )
    assert results["verdicts"] == {v: int(n) for v, n in verdicts.count_verdicts(audited).items()}
    assert results["contradictions"] == list(claims.contradictions(table, audited)["claim"])


def test_a_drifted_multiple_or_verdict_is_caught(table):
    results = stored_results(ROOT / "notebooks" / "01-shenzhen-migration.ipynb")
    entry = results["claims"]["sz-lead-multiple"]
    drifted = {
        "claims": {
            "sz-lead-multiple": {**entry, "computed": [8.3823, 8.3823]},
            "sz-prd-whole": {**results["claims"]["sz-prd-whole"], "verdict": "ambiguous"},
        }
    }
    assert [d.split(":")[0] for d in disagreements(drifted, table)] == [
        "sz-lead-multiple",
        "sz-prd-whole",
    ]
    by = {
        "claims": {
            "sz-lead-multiple": claims.audit_entry(
                "sz-lead-multiple", "growth_multiple=by", claims=table
            )
        }
    }
    assert disagreements(by, table) == []

"""The audit of a page nobody curated: planted statements found and judged, the seed page
measured against its curated claims, drafts in the project's formats, and bad files refused."""

import csv
import subprocess
import sys

import pytest

from lib import audit, claims, figures
from lib.errors import DataError
from lib.page import load_page
from lib.paths import ROOT

TEXTS = ROOT / "tests" / "fixtures" / "audit"


def verdicts(name):
    table = audit.audit_file(TEXTS / f"{name}.txt").verdicts()
    return dict(zip(table["rule"] + ": " + table["statement_zh"], table["verdict"]))


@pytest.mark.parametrize(
    "rule, planted, fails, holds",
    [
        ("mean", "平均每家企业产值约为", "8亿元 from 240亿元 over 40 firms", "6亿元"),
        ("share", "占受访企业的35%", "45 of 120 is 37.5%", "42 of 120 is 35%"),
        ("whole_count", "女性获奖者占比为", "33% of 28 people is no whole number", "25% is 7"),
        ("within", "其中外资企业12家", "12 + 30 exceed 40", "12 + 18 fit"),
        ("rank", "国第", "third nationally but fifth in the region", "fifth and third"),
    ],
)
def test_the_audit_finds_planted_statements_that_fail_and_that_hold(rule, planted, fails, holds):
    for name, expected in (("planted-failures", "inconsistent"), ("planted-holds", "consistent")):
        found = {
            k: v for k, v in verdicts(name).items() if k.startswith(rule + ":") and planted[:4] in k
        }
        assert list(found.values()) == [expected], (name, rule, found)


def test_a_text_with_no_checkable_statement_is_an_audit_with_none():
    result = audit.audit_file(TEXTS / "no-statements.txt")
    assert result.claims.empty and result.verdicts().empty


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "the file is empty"),
        ("深圳市制造业".encode("gbk"), "is not UTF-8"),
        (b"\x00\x01\x02binary", "binary data"),
    ],
)
def test_a_file_that_is_not_news_text_is_refused_naming_it(tmp_path, content, message):
    path = tmp_path / "page.txt"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message) as err:
        audit.audit_file(path)
    assert str(path) in str(err.value)


def test_on_the_seed_page_the_audit_proposes_most_curated_arithmetic_claims():
    found = audit.audit_file(ROOT / "seeds" / "000_c4b6ae83c6418815.txt")
    matched = audit.match_curated(found, claims.load_claims(), figures.load_figures(), load_page())
    assert len(matched) >= 40
    assert (matched["proposed"] != "").mean() >= 0.6
    # what it proposes it judges as the curated audit does, where the two agree on a reading
    curated = claims.evaluate_claims().drop_duplicates("claim").set_index("claim")
    proposed = found.evaluated.drop_duplicates("claim").set_index("claim")
    for cid, pid in zip(matched["claim"], matched["proposed"]):
        if (
            pid
            and curated.loc[cid, "claim_verdict"] != "ambiguous"
            and proposed.loc[pid, "claim_verdict"] != "ambiguous"
        ):
            assert curated.loc[cid, "claim_verdict"] == proposed.loc[pid, "claim_verdict"], cid


def test_drafts_are_in_the_projects_formats_and_marked_proposed(tmp_path):
    found = audit.audit_file(TEXTS / "planted-failures.txt")
    written = audit.write_drafts(found, tmp_path)
    assert [p.name for p in written] == ["figures-draft.csv", "claims-draft.csv", "verdicts.csv"]
    figs = list(csv.DictReader((tmp_path / "figures-draft.csv").open(encoding="utf-8")))
    found_claims = list(csv.DictReader((tmp_path / "claims-draft.csv").open(encoding="utf-8")))
    assert list(figs[0]) == figures.FIGURE_COLUMNS and list(found_claims[0]) == claims.CLAIM_COLUMNS
    assert all(r["note"].startswith("proposed") for r in figs)
    assert all(r["notes"].startswith("proposed by rule") for r in found_claims)
    assert not list(tmp_path.glob(".*.tmp"))


def test_the_command_line_prints_the_audit_and_writes_drafts(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "lib",
            "audit",
            str(TEXTS / "planted-failures.txt"),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "5 inconsistent" in done.stdout and "wrote" in done.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "lib", "audit", str(tmp_path / "missing.txt")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert bad.returncode == 2 and "missing.txt: file not found" in bad.stderr

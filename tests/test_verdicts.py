"""The audit's verdicts as readers see them (lib/verdicts.py)."""

import pytest

from lib import claims
from lib.errors import DataError
from lib.verdicts import VERDICT_NAMES, ArticleAudit, article_audit, verdict_table


def test_verdict_table_has_one_row_per_claim_with_its_natural_and_other_readings():
    table = claims.load_claims()
    evaluated = claims.evaluate_claims(table)
    verdicts = verdict_table(table, evaluated)
    assert list(verdicts["claim"]) == list(table["id"])
    row = verdicts.set_index("claim").loc["sz-lead-multiple"]
    assert row["verdict"] == "ambiguous"
    assert row["computed"] == "to: 9.382 times; by: 8.382 times"
    prd = verdicts.set_index("claim").loc["sz-prd-whole"]
    assert prd["verdict"] == "inconsistent" and prd["other_readings"].endswith(": consistent")
    assert prd["natural"].startswith("both shares of the same firms")
    mean = verdicts.set_index("claim").loc["lg-mean-revenue"]
    assert (mean["verdict"], mean["strength"], mean["other_readings"]) == (
        "consistent",
        "partial",
        "",
    )


def test_article_audit_shows_an_articles_claims_in_the_readers_language():
    en = article_audit("little-giants", "en")
    zh = article_audit("little-giants", "zh")
    table = claims.load_claims()
    assert sorted(en["claim"]) == sorted(table.loc[table.article == "little-giants", "id"])
    assert list(zh.columns) == ["陈述", "类型", "原文", "据数字计算", "版面所述", "结论", "强度"]
    quote = table.set_index("id").loc["lg-mean-revenue"]
    assert en.set_index("claim").loc["lg-mean-revenue", "statement"] == quote["statement_en"]
    assert zh.set_index("陈述").loc["lg-mean-revenue", "原文"] == quote["statement_zh"]


def test_article_audit_names_an_article_without_claims():
    with pytest.raises(DataError, match=r"no claim for article 'nope' in data/claims.csv"):
        article_audit("nope")


def test_article_audit_object_answers_per_claim_from_one_evaluation():
    audit = ArticleAudit("little-giants", "zh")
    rows = audit.rows(["lg-mean-revenue", "lg-lead-growth-gap"])
    assert list(rows.columns) == ["原文", "据数字计算", "版面所述", "结论", "强度"]
    assert list(rows.index) == ["lg-mean-revenue", "lg-lead-growth-gap"]
    assert rows.loc["lg-mean-revenue", "原文"].startswith("平均营业收入额约为13.6亿元")
    # the computed interval is the claims module's own, on the natural reading
    mean = audit.computed("lg-mean-revenue")
    assert mean == claims.computed_interval("lg-mean-revenue", claims=audit.claims)
    assert round(mean.low / 1e8, 2) == 13.43 and round(mean.high / 1e8, 2) == 13.71
    assert audit.holds("lg-lead-growth-gap") and audit.strength("lg-mean-revenue") == "partial"
    assert audit.room("lg-mean-revenue") == "36%"
    assert audit.entries(["lg-mean-revenue"]) == {
        "lg-mean-revenue": claims.audit_entry("lg-mean-revenue", claims=audit.claims)
    }
    # a claim whose natural reading is its second (years counted as intervals): that one's
    sz = ArticleAudit("shenzhen-migration", "en")
    readings = claims.evaluate_claim("sz-lead-span", sz.claims)
    assert list(readings["natural"]) == [False, True]
    assert sz.computed("sz-lead-span").low == readings["computed_low"].iloc[1] == 4
    assert sz.verdict("sz-prd-whole") == "inconsistent" and not sz.holds("sz-prd-whole")
    # more of verdict_table's columns on request, named in the reader's language
    other = sz.rows(["sz-prd-whole"], "other_readings").iloc[0]
    assert other["other_readings"].endswith(": consistent")
    assert (
        ArticleAudit("shenzhen-migration", "zh")
        .rows(["sz-prd-whole"], "other_readings")
        .columns[-1]
        == "其他读法"
    )


def test_article_audit_object_names_an_unknown_claim_or_article():
    with pytest.raises(DataError, match="no claim 'lg-nope'.*expected one of lg-"):
        ArticleAudit("little-giants").computed("lg-nope")
    with pytest.raises(DataError, match="no claim 'sz-prd-whole'"):
        ArticleAudit("little-giants").rows(["sz-prd-whole"])
    with pytest.raises(DataError, match="no claim for article 'nowhere'"):
        ArticleAudit("nowhere")
    with pytest.raises(DataError, match="no column 'why' in the verdict table; expected one of"):
        ArticleAudit("little-giants").rows(["lg-mean-revenue"], "why")


def test_every_verdict_has_a_name_in_both_languages():
    assert list(VERDICT_NAMES) == list(claims.VERDICTS)
    assert all(len(zh) and len(en) for zh, en in VERDICT_NAMES.values())

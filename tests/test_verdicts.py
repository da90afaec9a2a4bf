"""The audit's verdicts as readers see them (lib/verdicts.py)."""

import pytest

from lib import claims
from lib.errors import DataError
from lib.verdicts import article_audit, verdict_table


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

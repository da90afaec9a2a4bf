"""The claims audit: the expression language, each reading rule, verdicts on the real page, and
the load errors of broken claim tables (tests/fixtures/claims/, named for what they provoke)."""

import math
from pathlib import Path

import pytest

import lib.expr as expr_module
from lib import quantities as q
from lib.claims import (
    KINDS,
    VERDICTS,
    audit_entry,
    compute,
    evaluate_claim,
    evaluate_claims,
    load_claims,
    room,
    verdict,
)
from lib.errors import DataError
from lib.expr import FUNCTIONS, READING_RULES, Value
from lib.intervals import INF, Interval, point
from lib.verdicts import count_verdicts

FIXTURES = Path(__file__).parent / "fixtures" / "claims"
NOTEBOOKS = Path(__file__).parents[1] / "notebooks"


@pytest.fixture(scope="module")
def claims():
    return load_claims()


@pytest.fixture(scope="module")
def evaluated(claims):
    return evaluate_claims(claims)


def rows(evaluated, claim_id):
    return evaluated[evaluated["claim"] == claim_id].set_index("reading")


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9)


# --- the table ---------------------------------------------------------------------------


def test_load_claims_reads_every_row_with_its_line(claims):
    assert len(claims) >= 55
    assert claims["id"].is_unique
    assert claims["line"].tolist() == list(range(2, len(claims) + 2))


def test_every_arithmetic_claim_rests_on_a_page_figure(claims):
    for _, c in claims[claims["kind"].isin(["arithmetic", "reconciliation"])].iterrows():
        assert (
            any(not i.startswith("ref:") for i in c["inputs"].split())
            or "count_of(" in c["computation"]
            or "years(" in c["computation"]
        ), c["id"]


def test_each_verdict_kind_on_the_real_page(evaluated):
    head = evaluated.drop_duplicates("claim").set_index("claim")["claim_verdict"]
    assert head["nx-ningxia-spelling"] == "inconsistent"  # 宁厦 in the headline, 宁夏 in the body
    assert head["cq-science-city-doubled"] == "inconsistent"  # 科学城科学城
    assert head["sz-2021-count-twice"] == "consistent"  # 4344 in the lead and the body
    assert head["hw-first-alliance"] == "unverifiable"  # 全国首个
    assert head["lg-sectors-within-total"] == "consistent"  # parts within their total


def test_every_reading_rule_is_used_by_some_claim_or_notebook(claims):
    used = {r for rs in claims["readings"] for r in rs.split()}
    notebooks = " ".join(p.read_text(encoding="utf-8") for p in NOTEBOOKS.glob("*.ipynb"))
    assert {r for r in READING_RULES if r not in used and r not in notebooks} == set()


def test_every_claim_kind_occurs(claims):
    assert set(claims["kind"]) == set(KINDS)


def test_every_function_is_documented():
    doc = expr_module.__doc__  # the language is documented where it is defined
    assert [f for f in FUNCTIONS if f"{f}(" not in doc] == []


# --- the expression language -------------------------------------------------------------


def test_compute_mean_from_total_and_count():
    v = compute("div(lg-revenue-total, lg-sample-firms)")
    assert v.unit == "yuan"
    assert close(v.iv.low, 4.85e11 / 361) and close(v.iv.high, 4.95e11 / 361)


@pytest.mark.parametrize(
    "expression, unit",
    [
        ("sub(lg-growth-mean, lg-a-share-growth)", "pp"),
        ("add(lg-a-share-growth, lg-growth-gap)", "percent"),
        ("ratio(sz-outmigrants-2021, sz-outmigrants-2017)", "times"),
        ("share(lg-revenue-total, lg-a-share-revenue)", "percent"),
        ("mul(mc-prize-gold, mc-gold-winners)", "usd"),
        ("div(mc-prize-pool, mc-prize-gold)", "cny_per_usd"),
        ("part_of(lg-band-10-30-share, lg-sample-firms)", "count"),
        ("growth(sz-whole-moves-2020, sz-whole-moves-2021)", "percent"),
    ],
)
def test_compute_derives_the_unit(expression, unit):
    assert compute(expression).unit == unit


def test_compute_rejects_mixed_units():
    with pytest.raises(
        DataError,
        match=r"share\(\) needs its arguments in one unit; got "
        r"count, yuan",
    ):
        compute("share(lg-revenue-total, lg-sample-firms)")


def test_compute_reference_figure_follows_the_interval_rules():
    v = compute("ref:cn-gdp-2021")
    assert (v.iv.low, v.iv.high) == q.interval("1143670", "exact", "亿元")
    assert v.unit == "yuan"


def test_count_of_counts_listed_items_and_checks_the_page():
    assert compute("count_of('贵研铂业、立中集团、厦钨新能')").iv == point(3)
    with pytest.raises(DataError, match="does not occur in the normalised page"):
        compute("count_of('贵研铂业、立中控股')")


def test_unknown_is_bounded_as_given_and_named():
    v = compute("unknown('the count of smart-chip firms', 1, lg-sample-firms)")
    assert v.iv == Interval(1, 361) and v.unknowns == ("the count of smart-chip firms",)
    assert compute("unknown('x')").iv == Interval(None, None)


def test_cagr_over_figures():
    v = compute("cagr(sz-outmigrants-2017, sz-outmigrants-2021, 4)")
    assert close(v.iv.low, ((4344 / 463) ** 0.25 - 1) * 100)


def test_a_reading_dependent_function_needs_its_reading():
    with pytest.raises(
        DataError, match="multiple\\(\\) depends on the reading rule 'growth_multiple'"
    ):
        compute("multiple(sz-outmigrants-2017, sz-outmigrants-2021)")


# --- each reading rule -------------------------------------------------------------------


def test_growth_multiple_to_and_by():
    expr = "multiple(sz-outmigrants-2017, sz-outmigrants-2021)"
    assert close(compute(expr, {"growth_multiple": "to"}).iv.low, 4344 / 463)
    assert close(compute(expr, {"growth_multiple": "by"}).iv.low, 4344 / 463 - 1)


def test_year_count_inclusive_and_intervals():
    assert compute("years(2016, 2020)", {"year_count": "inclusive"}).iv == point(5)
    assert compute("years(2016, 2020)", {"year_count": "intervals"}).iv == point(4)


def test_nested_share_same_and_within():
    expr = "nested(sz-whole-to-prd, sz-whole-to-guangdong)"
    same = compute(expr, {"nested_share": "same"}).iv
    within = compute(expr, {"nested_share": "within"}).iv
    assert close(same.low, 74.45 - 81.45) and close(same.high, 74.55 - 81.35)
    assert close(within.low, 74.45 * (1 - 81.45 / 100))
    assert close(within.high, 74.55 * (1 - 81.35 / 100))


def test_denominator_all_and_subset():
    rebase = "rebase(sz-capital-band-share, sz-whole-capital-over-10m)"
    assert compute(rebase, {"denominator": "all"}).iv == Interval(74.5, 75.5)
    assert close(compute(rebase, {"denominator": "subset"}).iv.low, 74.5 * 95.55 / 100)
    both = "combined(sz-whole-to-guangdong, sz-partial-to-guangdong)"
    assert close(compute(both, {"denominator": "all"}).iv.low, 74.45 + 36.25)
    assert compute(both, {"denominator": "subset"}).iv == Interval(36.25, 74.55)


def test_whole_count_is_the_whole_numbers_a_share_of_a_total_allows():
    band = "whole_count(lg-band-10-30-share, lg-sample-firms)"
    assert compute(band).iv == point(115)  # 31.85% to 31.95% of 361: 114.98 to 115.34
    assert compute("whole_count(58.5, 2)").iv.is_empty  # 1.17: no whole count


def test_span_over_towers_or_gaps():
    towers = compute("span(tl-length, tl-towers)", {"span_count": "towers"}).iv
    gaps = compute("span(tl-length, tl-towers)", {"span_count": "gaps"}).iv
    assert close(towers.low, 48.9825 / 133) and close(gaps.high, 48.9835 / 132)


def test_text_checks_count_spellings_and_doubled_words():
    assert compute("spellings('宁夏枢纽', '宁厦枢纽')").iv == point(2)
    assert compute("spellings('宁夏枢纽', '宁夏回族自治区')").iv == point(2)
    assert compute("spellings('宁夏枢纽', '宁厦回族自治区')").iv == point(1)
    assert compute("doubled('科学城')").iv == point(1)
    assert compute("doubled('集成电路')").iv == point(0)


def test_outside_is_unverifiable_and_names_its_source():
    v = compute("outside('交通运输部的联盟名录')")
    assert v.outside == "交通运输部的联盟名录"
    assert verdict(v, Value(point(1), "count")) == "unverifiable"


def test_room_tells_a_firm_check_from_a_weak_one():
    assert room(point(9.38), Interval(9, 10)) == (1.0, "firm")
    assert room(Interval(13.43, 13.71), Interval(13.55, 13.65))[1] == "partial"
    assert room(Interval(20, 90), Interval(0, 100)) == (1.0, "weak")
    assert room(Interval(-29, 60), Interval(0, INF))[1] == "partial"
    inside, strength = room(Interval(0, INF), Interval(0, INF))
    assert math.isnan(inside) and strength == "weak"


# --- verdicts ----------------------------------------------------------------------------


def test_verdict_rules():
    assert verdict(Value(point(9.38), "times"), Value(Interval(9, 10), "times")) == "consistent"
    assert verdict(Value(point(8.38), "times"), Value(Interval(9, 10), "times")) == "inconsistent"
    assert (
        verdict(Value(Interval.empty(), "count"), Value(Interval(0, INF), "count"))
        == "inconsistent"
    )
    lacking = Value(Interval(-5, 5), "pp", ("x",))
    assert verdict(lacking, Value(Interval(0, INF), "pp")) == "unverifiable"
    assert (
        verdict(Value(Interval(-5, -1), "pp", ("x",)), Value(Interval(0, INF), "pp"))
        == "inconsistent"
    )
    assert (
        verdict(Value(Interval(1, 5), "pp", ("x",)), Value(Interval(0, INF), "pp")) == "consistent"
    )


def test_nearly_tenfold_is_ambiguous_because_usage_is_split(evaluated, claims):
    r = rows(evaluated, "sz-lead-multiple")
    assert r.loc["growth_multiple=to", "verdict"] == "consistent"
    assert r.loc["growth_multiple=by", "verdict"] == "inconsistent"
    assert close(r.loc["growth_multiple=by", "computed_low"], 4344 / 463 - 1)
    assert set(r["claim_verdict"]) == {"ambiguous"}
    assert claims.set_index("id").loc["sz-lead-multiple", "natural"] == "none"
    assert "the wording supports either reading" in r["claim_note"].iloc[0]


def test_delta_above_guangdong_is_inconsistent_as_printed(evaluated):
    """Holds only if the delta's share had another base, which the page never states: that
    reading reconciles the statement in the note, it does not rescue the verdict."""
    r = rows(evaluated, "sz-prd-whole")
    assert r.loc["nested_share=same", "verdict"] == "inconsistent"
    assert r.loc["nested_share=within", "verdict"] == "consistent"
    assert set(r["claim_verdict"]) == {"inconsistent"}
    assert "would hold only if" in r["claim_note"].iloc[0]
    assert "which the page does not state" in r["claim_note"].iloc[0]


def test_a_reading_that_assumes_an_unstated_fact_cannot_be_natural(tmp_path):
    table = (FIXTURES / "missing-reading.csv").read_text(encoding="utf-8").splitlines()[:2]
    row = (
        "shenzhen-migration,sz-x,arithmetic,整体迁移方面，有81.4%的企业迁往珠三角地区,x,"
        'sz-whole-to-prd sz-whole-to-guangdong,"nested(sz-whole-to-prd, '
        'sz-whole-to-guangdong)",at_least(0),pp,nested_share,nested_share=within,because,'
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(table + [row]) + "\n", encoding="utf-8")
    with pytest.raises(
        DataError,
        match=r"bad.csv:3: column 'natural': .*needs a fact the "
        r"page does not state",
    ):
        load_claims(bad)


def test_evaluate_claim_under_a_named_reading(claims):
    by = evaluate_claim("sz-lead-multiple", claims, "growth_multiple=by")
    assert len(by) == 1 and by.loc[0, "verdict"] == "inconsistent"
    with pytest.raises(DataError, match="no reading 'growth_multiple=twice'"):
        evaluate_claim("sz-lead-multiple", claims, "growth_multiple=twice")
    entry = audit_entry("lg-mean-revenue", claims=claims)
    assert entry["verdict"] == "consistent" and entry["stated"] == [1.355e9, 1.365e9]


def test_mean_revenue_from_total_and_count_is_consistent(evaluated):
    r = rows(evaluated, "lg-mean-revenue").iloc[0]
    assert r["claim_verdict"] == "consistent"
    assert close(r["computed_low"], 4.85e11 / 361) and close(r["stated_high"], 1.365e9)


def test_rounded_share_of_361_implies_a_whole_count(evaluated):
    r = rows(evaluated, "lg-band-10-30-count")
    assert r["computed_low"].tolist() == [115.0]
    assert set(r["claim_verdict"]) == {"consistent"}


def test_half_of_77_winners_does_not_fail_on_a_vague_word(evaluated):
    """一半 is "about half" to a reader; read as exactly 50% of 77 it would fail (38.5)."""
    r = rows(evaluated, "mc-post00-half").iloc[0]
    assert r["claim_verdict"] == "consistent"
    assert (r["computed_low"], r["computed_high"]) == (35.0, 42.0)


def test_four_years_and_five_years_cannot_both_be_right(evaluated):
    r = rows(evaluated, "sz-span-conventions")
    assert set(r["verdict"]) == {"inconsistent"} and len(r) == 2


def test_whole_moves_fell_in_2021_so_not_every_year_rose(evaluated):
    r = rows(evaluated, "sz-whole-yearly-increase").iloc[0]
    assert r["claim_verdict"] == "inconsistent" and r["computed_low"] == -36


def test_prize_pool_is_unverifiable_and_says_what_is_missing(evaluated):
    r = rows(evaluated, "mc-prize-pool").iloc[0]
    assert r["claim_verdict"] == "unverifiable"
    assert "silver, bronze and honourable mention" in r["unknowns"]
    assert "the page lacks how the 73 other winners split" in r["claim_note"]


def test_a_share_revenue_against_reference_gdp(evaluated):
    r = rows(evaluated, "lg-a-share-gdp").iloc[0]
    assert r["claim_verdict"] == "consistent"
    assert 56.80 < r["computed_low"] < r["computed_high"] < 56.82


def test_open_stated_ends_are_nan(evaluated):
    r = rows(evaluated, "lg-lead-below-1pct").iloc[0]
    assert math.isnan(r["stated_low"]) and r["stated_high"] == 1


def test_every_verdict_class_occurs_and_each_claim_has_one(evaluated, claims):
    counts = count_verdicts(evaluated)
    assert list(counts.index) == list(VERDICTS)
    assert (counts > 0).all() and counts.sum() == len(claims)
    assert evaluated.groupby("claim")["claim_verdict"].nunique().eq(1).all()


def test_evaluate_claim_by_id():
    assert len(evaluate_claim("sz-whole-multiple")) == 2
    with pytest.raises(DataError, match="no claim with id 'sz-whole-multipl' .*sz-whole-multiple"):
        evaluate_claim("sz-whole-multipl")


# --- broken tables -----------------------------------------------------------------------


ERROR_CASES = [
    (
        "unknown-figure",
        "computation",
        "claim 'lg-mean-typo': 'lg-revenue-totl' is not a figure "
        "id in data/figures.csv; expected an id such as "
        "lg-revenue-total",
    ),
    ("unknown-input", "inputs", "'lg-revenue-totl' is not a figure id in data/figures.csv"),
    (
        "unknown-reference",
        "inputs",
        "'ref:cn-gdp-2020' is not an id in data/reference.csv; expected one of ref:cn-gdp-2021",
    ),
    ("input-not-listed", "inputs", "'lg-sample-firms-again' is used in computation but not listed"),
    ("malformed-computation", "computation", "the expression ends early; expected ',' or ')'"),
    ("unknown-function", "computation", "'mean' at character 1 is not a function"),
    ("wrong-arity", "computation", "share() at character 1 takes 2 arguments, got 1"),
    ("python-code", "computation", "unexpected «__import__('» at character 1"),
    ("wrong-quote-argument", "computation", "count_of() argument 1: expected a 'quote'"),
    ("unit-mismatch", "computation", "sub() needs its arguments in one unit; got count, yuan"),
    ("stated-unit-mismatch", "stated", "gives percent where the computation gives yuan"),
    ("wrong-unit", "unit", "'percent' is not the unit the expressions give; expected 'yuan'"),
    ("missing-reading", "readings", "expected 'growth_multiple'"),
    ("unknown-reading", "readings", "'growth_multiples' is not a reading rule"),
    ("quote-not-found", "statement_zh", "does not occur in the normalised page"),
    ("quote-occurs-twice", "statement_zh", "occurs 2 times in the page"),
    ("duplicate-id", "id", "claim 'lg-mean-revenue' is used twice"),
]


@pytest.mark.parametrize("name, column, message", ERROR_CASES)
def test_load_claims_error_names_file_line_column_and_claim(name, column, message):
    with pytest.raises(DataError) as info:
        load_claims(FIXTURES / f"{name}.csv")
    text = str(info.value)
    assert text.startswith(f"tests/fixtures/claims/{name}.csv:3: column '{column}': ")
    assert message in text


def test_load_claims_error_for_missing_columns():
    with pytest.raises(DataError, match=r"missing-columns.csv:1: header lacks kind, statement_en"):
        load_claims(FIXTURES / "missing-columns.csv")


def test_fixtures_are_all_exercised():
    names = {p.stem for p in FIXTURES.glob("*.csv")}
    assert names == {case[0] for case in ERROR_CASES} | {"missing-columns"}


TEXTS = Path(__file__).parent / "fixtures" / "texts"


@pytest.mark.parametrize(
    "name, spellings, doubled",
    [
        ("planted-typos", 2, 1),  # 宁厦 in the headline, 宁夏 in the body; 数据中心数据中心
        ("clean", 1, 0),
    ],
)
def test_text_checks_find_what_was_planted_in_a_small_text(name, spellings, doubled):
    from lib.page import read_page

    page = read_page(TEXTS / f"{name}.txt")
    found = compute("spellings('宁夏回族自治区', '宁厦回族自治区')", page=page).iv
    assert found == point(spellings)
    assert compute("doubled('数据中心')", page=page).iv == point(doubled)
    verdicts = {
        verdict(
            compute("spellings('宁夏回族自治区', '宁厦回族自治区')", page=page),
            Value(point(1), "count"),
        ),
        verdict(compute("doubled('数据中心')", page=page), Value(point(0), "count")),
    }
    assert verdicts == ({"inconsistent"} if name == "planted-typos" else {"consistent"})

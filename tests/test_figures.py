import shutil
import time

import pytest

from lib import figures
from lib.errors import DataError
from lib.paths import ROOT

from .conftest import FIXTURES

BROKEN = FIXTURES / "figures"


def test_every_table_loads_with_proper_dtypes():
    df = figures.load_figures()
    assert len(df) >= 140
    assert df["id"].is_unique
    assert df["low"].dtype == "float64" and df["base_value"].dtype == "float64"
    assert set(df["article"]) <= set(figures.load_articles()["id"])


def test_every_quote_contains_its_value_where_the_page_prints_it(page):
    df = figures.load_figures()
    for row in df.itertuples():
        assert page.text[row.value_start : row.value_end] == row.value, row.id
        assert row.value in row.quote


def test_base_value_lies_in_the_interval():
    df = figures.load_figures()
    bounded = df.dropna(subset=["base_value"])
    assert ((bounded["low"].isna()) | (bounded["low"] <= bounded["base_value"] * (1 + 1e-12))).all()
    assert (
        (bounded["high"].isna()) | (bounded["base_value"] <= bounded["high"] * (1 + 1e-12))
    ).all()


def test_get_figure_returns_value_interval_quote_article():
    fig = figures.get_figure("lg-revenue-mean")
    assert (fig.value, fig.unit, fig.qualifier, fig.article) == (
        "13.6",
        "亿元",
        "approx",
        "little-giants",
    )
    assert fig.interval == pytest.approx((13.55e8, 13.65e8))
    assert "平均营业收入额约为13.6亿元" in fig.context()


def test_get_figure_unknown_id_suggests_alike():
    with pytest.raises(DataError, match=r"no figure with id 'lg-revenue-meen'.*lg-revenue-mean"):
        figures.get_figure("lg-revenue-meen")


def test_irregular_figures_carry_the_vague_word_rules_bounds():
    fig = figures.get_figure("cq-umec-returnees")
    assert (fig.qualifier, fig.low, fig.high, fig.base_value) == ("irregular", 20, 39, None)


@pytest.mark.parametrize(
    "fixture, message",
    [
        ("bad-unit.csv", r"bad-unit.csv:2: column 'unit': '亿圆' is not a known unit \(known: 元"),
        (
            "unknown-qualifier.csv",
            r"unknown-qualifier.csv:2: column 'qualifier': 'roughly' is not a known qualifier "
            r"\(known: exact",
        ),
        ("duplicate-id.csv", r"duplicate-id.csv:3: column 'id': 'lg-revenue-mean' is used twice"),
        (
            "unknown-article.csv",
            r"unknown-article.csv:2: column 'article': 'little-gaints' is not an article id",
        ),
        (
            "quote-not-found.csv",
            r"quote-not-found.csv:2: column 'quote': quote '约为13.7亿元' does not occur",
        ),
        (
            "quote-lacks-value.csv",
            r"quote-lacks-value.csv:2: column 'quote': '中位数为8.2亿元' does not contain "
            r"the value '13.6'",
        ),
        ("quote-occurs-twice.csv", r"quote-occurs-twice.csv:2: column 'quote': .*occurs 3 times"),
        (
            "interval-not-by-rule.csv",
            r"interval-not-by-rule.csv:2: column 'high': '1400000000' is not what the rules "
            r"give for "
            r"13.6 亿元 \(approx\); expected '1365000000'",
        ),
        (
            "base-not-a-number.csv",
            r"base-not-a-number.csv:2: column 'base_value': '13.6亿' is not a number",
        ),
        (
            "value-not-a-number.csv",
            r"value-not-a-number.csv:2: column 'value': '十三点' is not a number",
        ),
        ("unquoted-comma.csv", r"unquoted-comma.csv:2: 15 fields; expected 14"),
        ("header-lacks-quote.csv", r"header-lacks-quote.csv:1: header lacks quote"),
        ("id-not-a-slug.csv", r"id-not-a-slug.csv:2: column 'id': 'LG Revenue Mean' is not a slug"),
        (
            "irregular-low-above-high.csv",
            r"irregular-low-above-high.csv:2: column 'low': low 30 is above high 20",
        ),
        (
            "irregular-without-high.csv",
            r"irregular-without-high.csv:2: column 'high': an irregular figure needs both bounds",
        ),
        ("not-utf8.csv", r"not-utf8.csv:1: column 1: byte 0xff is not UTF-8; expected a UTF-8 CSV"),
        (
            "latin1-byte-in-row.csv",
            r"latin1-byte-in-row.csv:2: column 44: byte 0xe9 is not UTF-8; "
            r"expected a UTF-8 CSV file",
        ),
        (
            "unterminated-quote.csv",
            r"unterminated-quote.csv:2: column 109: this quote opens a field that is not "
            r"closed on its "
            r"line; expected a closing '\"'",
        ),
        ("empty.csv", r"empty.csv: file is empty; expected a header line"),
        (
            "missing.csv",
            r"missing.csv: file not found; expected a CSV table with columns article, id",
        ),
    ],
)
def test_broken_figures_file_names_file_line_column_and_expectation(fixture, message):
    with pytest.raises(DataError, match=message):
        figures.load_figures(BROKEN / fixture)


def test_good_fixture_loads():
    assert list(figures.load_figures(BROKEN / "good.csv")["id"]) == ["lg-revenue-mean"]


def test_a_utf8_byte_order_mark_is_accepted():
    assert (BROKEN / "utf8-bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert list(figures.load_figures(BROKEN / "utf8-bom.csv")["id"]) == ["lg-revenue-mean"]


def test_a_quote_closed_on_its_line_may_hold_commas_and_doubled_quotes(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('a,b\n"x, ""y""",z\n', encoding="utf-8")
    assert figures.read_rows(path, ["a", "b"]) == [(2, {"a": 'x, "y"', "b": "z"})]


def test_fill_intervals_writes_what_the_rules_give_and_keeps_irregular_bounds(tmp_path):
    target = tmp_path / "figures.csv"
    shutil.copy(BROKEN / "interval-not-by-rule.csv", target)
    assert figures.fill_intervals(target) == 1
    assert figures.load_figures(target)["high"].iloc[0] == pytest.approx(13.65e8)
    real = tmp_path / "real.csv"
    shutil.copy(figures.DATA_DIR / "figures.csv", real)
    assert figures.fill_intervals(real) == 0  # the curated table is already what the rules give
    assert real.read_bytes() == (figures.DATA_DIR / "figures.csv").read_bytes()


def test_fill_intervals_failure_leaves_the_file_as_it_was(tmp_path):
    target = tmp_path / "figures.csv"
    shutil.copy(BROKEN / "bad-unit.csv", target)
    before = target.read_bytes()
    with pytest.raises(DataError, match=r"figures.csv:2: '亿圆' is not a known unit"):
        figures.fill_intervals(target)
    assert target.read_bytes() == before


def test_count_figures_covers_every_item_in_page_order():
    arts, figs = figures.load_articles(), figures.load_figures()
    counts = figures.count_figures(arts, figs)
    assert list(counts["id"]) == list(arts["id"])
    assert counts["figures"].sum() == len(figs)
    assert (counts["exact"] + counts["bounded"] == counts["figures"]).all()
    assert counts.set_index("id").loc["highway-alliance", "figures"] == 0


def test_reference_figures_name_their_source():
    ref = figures.load_reference()
    assert ref["source"].str.len().min() > 10
    gdp = ref.set_index("id").loc["cn-gdp-2021"]
    assert gdp["base_value"] == pytest.approx(1143670e8)


def test_loading_everything_is_fast():
    """Not a timing assertion on a shared machine: a generous ceiling against gross regressions."""
    started = time.perf_counter()
    figures.load_figures()
    figures.load_exclusions()
    assert time.perf_counter() - started < 5


def test_every_reference_is_checked_against_a_stored_copy_of_its_page():
    ref = figures.load_reference()
    for _, r in ref.iterrows():
        copy = (figures.DATA_DIR / "sources" / f"{r['id']}.txt").read_text(encoding="utf-8")
        assert f"url: {r['url']}" in copy and r["value"] in copy


@pytest.mark.parametrize(
    "change, message",
    [
        ({"url": ""}, "column 'url': empty; expected the address of a page a reader can open"),
        ({"id": "usd-cny-2022-mean"}, "column 'url': no stored copy .*usd-cny-2022-mean.txt"),
        (
            {"url": "http://example.org/other"},
            "column .url.: .*cn-gdp-2021.txt is a copy of another page",
        ),
        (
            {"value": "1143671", "base_value": "114367100000000"},
            "column .value.: .* does not print 1143671",
        ),
    ],
)
def test_a_reference_without_its_stored_copy_is_refused(tmp_path, change, message):
    import csv

    rows = list(csv.DictReader((figures.DATA_DIR / "reference.csv").open(encoding="utf-8")))
    rows[0].update(change)
    shutil.copytree(figures.DATA_DIR / "sources", tmp_path / "sources")
    bad = tmp_path / "reference.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(DataError, match=r"reference.csv:2: " + message):
        figures.load_reference(bad)


def test_a_vague_word_must_carry_the_rules_bounds(tmp_path):
    import csv

    rows = list(csv.DictReader((figures.DATA_DIR / "figures.csv").open(encoding="utf-8")))
    for r in rows:
        if r["id"] == "cq-umec-returnees":  # 二三十名: the rule gives 20 to 39
            r["high"] = "30"
    bad = tmp_path / "figures.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(
        DataError,
        match=r"column 'high': '30' is not what the vague-word rule "
        r"gives for 二三十; expected '39'",
    ):
        figures.load_figures(bad)


def test_the_default_table_is_read_once_and_again_after_a_file_of_data_changes(
    tmp_path, monkeypatch
):
    import os

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    monkeypatch.setattr(figures, "DATA_DIR", data)
    first = figures._default_figures()
    assert figures._default_figures() is first
    st = (data / "figures.csv").stat()
    os.utime(data / "figures.csv", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    again = figures._default_figures()
    assert again is not first and again.equals(first)

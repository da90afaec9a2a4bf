import pandas as pd
import pytest

from lib import figures
from lib.errors import DataError


def test_every_line_of_text_belongs_to_exactly_one_item(page):
    arts = figures.load_articles()
    owner: dict[int, list[str]] = {}
    for row in arts.itertuples():
        spans = [(row.body_first, row.body_last)]
        if not pd.isna(row.headline_first):
            spans.append((row.headline_first, row.headline_last))
        for a, b in spans:
            for n in range(int(a), int(b) + 1):
                owner.setdefault(n, []).append(row.id)
    lines = page.raw.split("\n")
    for n, text in enumerate(lines, start=1):
        if text.strip():
            assert len(owner.get(n, [])) == 1, f"raw line {n} ({text!r}) belongs to {owner.get(n)}"


def test_page_holds_five_reports_two_briefs_two_captions():
    kinds = figures.load_articles()["kind"].value_counts().to_dict()
    assert kinds == {"report": 5, "brief": 2, "caption": 2, "section": 1}


def test_headlines_lie_where_articles_csv_says(page):
    arts = figures.load_articles().set_index("id")
    lines = page.raw.split("\n")
    sz = arts.loc["shenzhen-migration"]
    assert (
        "".join(lines[sz.headline_first - 1 : sz.headline_last])
        == "《深圳市制造业迁移全景报告》发布"
    )
    cq = arts.loc["chongqing-ic"]
    assert "集聚上下游20余家企业" in "".join(lines[cq.headline_first - 1 : cq.headline_last])


@pytest.mark.parametrize(
    "column, value, message",
    [
        (
            "body_lines",
            "700-99999",
            "column 'body_lines': '700-99999' goes past the page's last line",
        ),
        ("headline_lines", "99998-99999", "column 'headline_lines': '99998-99999' goes past"),
        ("body_lines", "", "column 'body_lines': empty; expected the raw lines of the item's body"),
    ],
)
def test_an_items_lines_must_lie_on_the_page(tmp_path, column, value, message):
    from lib.paths import DATA_DIR

    table = pd.read_csv(DATA_DIR / "articles.csv", dtype=str, keep_default_na=False)
    table.loc[table["id"] == "caption-diankou", column] = value
    bad = tmp_path / "articles.csv"
    table.to_csv(bad, index=False)
    line = 1 + 1 + int(table.index[table["id"] == "caption-diankou"][0])  # header, then rows
    with pytest.raises(DataError) as err:
        figures.load_articles(bad)
    assert f"articles.csv:{line}:" in str(err.value) and message in str(err.value)

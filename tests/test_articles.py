import pandas as pd

from lib import figures


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

import hashlib

import pytest

from lib.errors import DataError
from lib.page import SEED_PATH, normalise, read_page

# SHA-256 of the shared seed page, byte for byte as given: every offset in data/ refers to it.
SEED_SHA256 = "eab098901a6216cc1f47da6486a29391104657e348d3134dcfcdddb88126a006"


def test_seed_is_the_shared_page_byte_for_byte():
    assert hashlib.sha256(SEED_PATH.read_bytes()).hexdigest() == SEED_SHA256


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("约 6\n万片晶圆", "约6万片晶圆"),  # break between a number and its unit
        ("英特尔FP⁃\nGA创新中心", "英特尔FPGA创新中心"),  # U+2043 hyphenation across lines
        ("重点企业 20 多\n\n家，", "重点企业20多家，"),  # padding spaces and a blank line
        ("实现产业集群发展。\n\n今年上半年", "实现产业集群发展。\n今年上半年"),  # sentence end kept
        ("我觉\n\n得很有前景。”\n\n“目前", "我觉得很有前景。”\n“目前"),
        ("EDA 平台、共享 IP 库", "EDA平台、共享IP库"),
        ("Open Font License", "Open Font License"),  # spaces between ASCII words stay
        ("a⁃b", "a⁃b"),  # U+2043 inside a line is kept
    ],
)
def test_normalise_joins_what_the_layout_split(raw, expected):
    text, offsets = normalise(raw)
    assert text == expected
    assert len(offsets) == len(text)
    for k, ch in enumerate(text):  # every kept character maps back to itself in the raw text
        if ch != "\n":
            assert raw[offsets[k]] == ch


def test_offsets_map_every_character_back(page):
    assert len(page.offsets) == len(page.text)
    assert all(page.raw[o] == c for o, c in zip(page.offsets, page.text) if c != "\n")
    assert page.offsets == sorted(page.offsets)


def test_locate_returns_raw_spans_across_line_breaks(page):
    loc = page.locate("约6万片")
    assert page.raw_excerpt(loc) == "约 6\n万片"
    assert loc.lines == (36, 37)
    assert ["".join(page.raw[a:b].split()) for a, b in loc.raw_spans] == ["约6", "万片"]


def test_locate_joins_hyphenated_words(page):
    loc = page.locate("FPGA创新中心")
    assert "FP⁃\nGA" in page.raw_excerpt(loc)


def test_locate_missing_quote_names_it(page):
    with pytest.raises(DataError, match=r"quote '约7万片' does not occur in the normalised page"):
        page.locate("约7万片")


def test_locate_ambiguous_quote_asks_for_more(page):
    with pytest.raises(DataError, match=r"occurs 3 times .*lengthen the quote"):
        page.locate("361家")


def test_context_is_the_sentence_around_a_quote(page):
    assert page.context("20多家") == (
        "今年上半年，西部（重庆）科学城已集聚集成电路上下游重点企业20多家，产值约占重庆市相关产业的80%。"
    )


def test_read_page_missing_file_names_it(tmp_path):
    with pytest.raises(DataError, match=r"nothing-here.txt: page file not found"):
        read_page(tmp_path / "nothing-here.txt")


def test_read_page_not_utf8_names_the_byte(tmp_path):
    p = tmp_path / "latin1.txt"
    p.write_bytes("报告".encode("gbk"))
    with pytest.raises(DataError, match=r"latin1.txt: byte 0 is not UTF-8"):
        read_page(p)

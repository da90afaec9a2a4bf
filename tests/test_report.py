"""lib.report: intervals as text and JSON, figures as display tables."""

import pandas as pd
import pytest

from lib import report
from lib.figures import load_figures
from lib.intervals import Interval, point


def test_show_compact_marks_points_and_open_ends():
    assert report.show(point(9.3823)) == "9.38"
    assert report.show(Interval(20, None), 0) == "[20, ∞]"
    assert report.show(Interval.empty()) == "∅"


def test_show_interval_notation_keeps_both_ends_and_rounds_open_ones():
    assert report.show(Interval(20, None), 0, "interval") == "[20, ∞)"
    assert report.show(Interval(None, 1.2), 2, "interval") == "(−∞, 1.20]"
    assert report.show(point(3437), 1, "interval") == "[3,437.0, 3,437.0]"


def test_show_rejects_an_unknown_notation():
    with pytest.raises(ValueError, match="'set' is not one of"):
        report.show(point(1), notation="set")


def test_rounded_gives_none_for_an_open_end():
    assert report.rounded(Interval(1.23456, None), 2) == [1.23, None]
    assert report.rounded(Interval(1.23456, 2.34567), 2) == [1.23, 2.35]


def test_mid_refuses_an_open_interval():
    assert report.mid(Interval(2, 4)) == 3
    with pytest.raises(ValueError, match="open end"):
        report.mid(Interval(20, None))


def test_figures_table_shows_intervals_by_unit_with_headers_in_the_language():
    table = load_figures()
    zh = report.figures_table(["sz-outmigration-multiple", "sz-outmigrants-2021"], "zh", table)
    assert list(zh.columns) == report.HEADERS_ZH
    assert zh["区间"].tolist() == ["[9.00, 10.00]", "4,344"]
    en = report.figures_table(
        ["nx-it-growth"], "en", table, digits={"percent": 4}, notation="interval"
    )
    assert en["interval"].tolist() == ["[20.0000, ∞)"]


def test_figures_by_prefix_keeps_the_tables_bounds():
    out = report.figures_by_prefix("tl-", "en", load_figures())
    assert out["id"].str.startswith("tl-").all() and len(out) == 4
    assert list(out.columns[:2]) == ["id", "subject"]
    assert isinstance(out, pd.DataFrame) and out.index.tolist() == list(range(4))


def test_between_writes_an_interval_for_a_sentence_in_either_language():
    assert report.between(Interval(13.1, 13.123)) == "13.10 to 13.12"
    assert report.between(Interval(13.1, 13.123), 2, "zh") == "13.10至13.12"
    assert report.between(Interval(48_000, 52_000), 0, "zh") == "48,000至52,000"
    assert report.between(Interval(5, 5.001), 2) == "5.00"  # both ends round alike
    assert report.between(Interval(20, float("inf")), 1) == "at least 20.0"
    assert report.between(Interval(float("-inf"), 3), 0, "zh") == "至多3"
    assert report.between(point(7.5), 1, "zh") == "7.5"

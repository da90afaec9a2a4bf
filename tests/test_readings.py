"""lib.readings: 增长N倍 to or by, year steps, shares on different bases, spans over towers or gaps."""

import pytest

from lib import readings
from lib.intervals import Interval, point


def test_factor_from_multiple_reads_to_as_n_and_by_as_n_plus_one():
    assert readings.factor_from_multiple(Interval(9, 10), "to") == Interval(9, 10)
    assert readings.factor_from_multiple(Interval(9, 10), "by") == Interval(10, 11)


def test_factor_from_multiple_rejects_an_unknown_reading():
    with pytest.raises(ValueError, match="'over' is not one of"):
        readings.factor_from_multiple(Interval(9, 10), "over")


def test_year_steps_counts_steps_or_calendar_years():
    assert readings.year_steps(2017, 2021, "difference") == 4
    assert readings.year_steps(2016, 2020, "inclusive") == 5
    with pytest.raises(ValueError, match="must come after"):
        readings.year_steps(2021, 2021, "difference")


def test_growth_check_agrees_only_under_the_to_reading():
    to = readings.growth_check(point(463), point(4344), Interval(9, 10), "to", 4)
    by = readings.growth_check(point(463), point(4344), Interval(9, 10), "by", 4)
    assert to["agrees"] and not by["agrees"]
    assert to["computed"].low == pytest.approx(4344 / 463)
    assert to["cagr_computed"].low == pytest.approx(((4344 / 463) ** 0.25 - 1) * 100)
    assert by["cagr_printed"].low == pytest.approx((10 ** 0.25 - 1) * 100)


def test_shares_need_different_bases_when_the_part_exceeds_the_whole():
    assert readings.shares_need_different_bases(Interval(81.35, 81.45), Interval(74.45, 74.55))
    assert not readings.shares_need_different_bases(Interval(70, 75), Interval(74.45, 74.55))


def test_share_of_share_scales_a_subgroup_share():
    assert readings.share_of_share(point(75), point(95.6)).low == pytest.approx(71.7)


def test_span_length_by_towers_or_gaps():
    towers = readings.span_length_m(point(48.983), 133, "towers")
    gaps = readings.span_length_m(point(48.983), 133, "gaps")
    assert (towers.low, towers.high) == pytest.approx((368.29, 368.29), abs=0.01)
    assert (gaps.low, gaps.high) == pytest.approx((371.08, 371.08), abs=0.01)
    with pytest.raises(ValueError, match="expected one of"):
        readings.span_length_m(point(1), 2, "poles")

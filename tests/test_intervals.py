"""Interval arithmetic: exact figures, ranges, open ends, zero in a divisor, empty results."""

import dataclasses
import math

import pytest

from lib.figures import get_figure
from lib.intervals import (
    INF,
    Interval,
    cagr,
    compound_factor,
    counts_for_share,
    from_figure,
    growth_rate,
    per_unit_growth,
    point,
    ratio,
    remainder,
    share,
    whole,
    whole_numbers,
)


def approx(iv: Interval, low: float, high: float) -> bool:
    return math.isclose(iv.low, low, rel_tol=1e-9) and math.isclose(iv.high, high, rel_tol=1e-9)


def test_interval_none_and_nan_are_open_ends():
    assert Interval(None, 5) == Interval(-INF, 5)
    assert Interval(3, float("nan")) == Interval(3, INF)


def test_interval_rejects_low_above_high():
    with pytest.raises(ValueError, match="low 5.0 is above high 3.0"):
        Interval(5, 3)


def test_interval_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        point(1).low = 2


@pytest.mark.parametrize(
    "a, b, op, low, high",
    [
        (Interval(1, 2), Interval(10, 20), "+", 11, 22),
        (Interval(1, 2), Interval(10, 20), "-", -19, -8),
        (Interval(10, 20), Interval(1, 2), "-", 8, 19),
        (Interval(32.915, 32.925), Interval(19.805, 19.815), "-", 13.1, 13.12),
        (Interval(-1, 2), Interval(3, 4), "*", -4, 8),
        (Interval(-3, -2), Interval(-5, 4), "*", -12, 15),
        (Interval(10, 20), Interval(2, 5), "/", 2, 10),
        (Interval(-10, 20), Interval(-5, -2), "/", -10, 5),
        (point(77), Interval(55000, 56000), "/", 77 / 56000, 77 / 55000),
    ],
)
def test_arithmetic_takes_the_extremes_of_the_ends(a, b, op, low, high):
    result = {"+": a + b, "-": a - b, "*": a * b, "/": a / b}[op]
    assert approx(result, low, high)


def test_exact_figures_stay_exact():
    assert point(4344) / point(463) == point(4344 / 463)
    assert (point(4344) - point(463)).is_point


def test_numbers_mix_with_intervals_on_either_side():
    assert 100 - Interval(74.5, 75) == Interval(25, 25.5)
    assert Interval(2, 4) * 10 == Interval(20, 40)
    assert 1 / Interval(2, 4) == Interval(0.25, 0.5)


def test_open_ends_propagate():
    assert Interval(20, None) + point(1) == Interval(21, INF)
    assert Interval(1, 2) + Interval(3, None) == Interval(4, INF)
    assert point(10) - Interval(None, 1) == Interval(9, INF)
    assert Interval(2, None) * Interval(-1, 3) == Interval(-INF, INF)
    assert Interval(0, 1) * Interval(1, None) == Interval(0, INF)  # 0 times an open end is 0


def test_division_by_zero_at_one_end_gives_a_ray():
    assert Interval(2, 4) / Interval(0, 2) == Interval(1, INF)
    assert Interval(2, 4) / Interval(-2, 0) == Interval(-INF, -1)
    assert Interval(0, None) / Interval(0, None) == Interval(0, INF)
    assert approx(Interval(1, 2) / Interval(0, 3), 1 / 3, INF)


def test_division_by_an_open_denominator_falls_to_zero():
    assert approx(Interval(715000, 725000) / Interval(1200000, None), 0, 725000 / 1200000)


def test_division_by_an_interval_straddling_zero_is_the_whole_line():
    assert Interval(1, 2) / Interval(-1, 1) == Interval(-INF, INF)


def test_division_by_exactly_zero_raises():
    with pytest.raises(ZeroDivisionError, match="exactly zero"):
        Interval(1, 2) / point(0)


def test_contains_meets_within_hull():
    iv = Interval(9, 10)
    assert iv.contains(9.382) and not iv.contains(8.382)
    assert iv.meets(Interval(10, 11)) and not iv.meets(Interval(10.01, 11))
    assert Interval(9.2, 9.5).within(iv) and not Interval(8, 9.5).within(iv)
    assert iv.hull(Interval(20, 30)) == Interval(9, 30)
    assert Interval(None, 1).meets(Interval(0.5, None))


def test_meets_forgives_float_noise():
    third = point(1) / point(3)
    assert (third * 3).meets(point(1)) and point(1.0000000001).meets(point(1))


def test_whole_keeps_the_whole_numbers():
    assert whole(Interval(114.98, 115.34)) == point(115)
    assert whole(Interval(37.5, 39.5)) == Interval(38, 39)
    assert whole(point(38.5)).is_empty
    assert whole(Interval(27.999999999999, 28.0)) == point(28)


def test_whole_numbers_lists_the_whole_numbers_inside():
    assert whole_numbers(point(38.5)) == []
    assert whole_numbers(Interval(37.2, 39.9)) == [38, 39]
    assert whole_numbers(Interval.empty()) == []


def test_whole_numbers_refuses_an_open_interval():
    with pytest.raises(ValueError, match="open end"):
        whole_numbers(Interval(1, None))


def test_counts_for_share_gives_the_whole_counts_a_printed_share_allows():
    assert counts_for_share(Interval(31.85, 31.95), 361) == [115]
    assert counts_for_share(Interval(33.15, 33.25), 361) == [120]


def test_remainder_keeps_the_whole_numbers_left():
    assert remainder(Interval(130, 140), point(113), point(3)) == Interval(14, 24)


def test_overlapping_intervals_meet_and_others_do_not():
    assert Interval(13.1, 13.12).meets(Interval(12.5, 13.5))
    assert not Interval(1, 2).meets(Interval(2.1, 3))
    assert Interval(0.746, 0.762).meets(Interval(None, 1))


def test_empty_stays_empty_and_meets_nothing():
    empty = Interval.empty()
    assert (empty + point(1)).is_empty and (empty * point(2)).is_empty
    assert not empty.meets(Interval(None, None))
    assert str(empty) == "∅"


def test_ratio_share_growth():
    assert ratio(point(4344), point(463)) == point(4344 / 463)
    assert approx(share(Interval(4850, 4950), point(649700)), 4850 / 6497, 4950 / 6497)
    assert approx(growth_rate(point(190), point(154)), (154 / 190 - 1) * 100, (154 / 190 - 1) * 100)


def test_share_and_rate_per_ten_thousand_of_ranges():
    assert approx(share(point(213), point(361)), 21300 / 361, 21300 / 361)
    assert approx(share(Interval(55000, 56000), Interval(180000, 200000)), 27.5, 56000 / 1800)
    assert approx(point(77) / Interval(55000, 56000) * 10_000, 13.75, 14.0)
    assert Interval(55000, 65000) * 12 == Interval(660000, 780000)  # a monthly volume for a year


def test_per_unit_growth_divides_the_growth_factors():
    x = per_unit_growth(Interval(40.5, 41.5), Interval(11.65, 11.75))
    assert x.low == pytest.approx((1.405 / 1.1175 - 1) * 100)
    assert x.high == pytest.approx((1.415 / 1.1165 - 1) * 100)


def test_compound_factor_of_more_than_20_percent_over_five_years():
    x = compound_factor(Interval(20, None), 5)
    assert x.low == pytest.approx(1.2**5) and x.high == INF
    with pytest.raises(ValueError, match="below -100 percent"):
        compound_factor(Interval(-150, 10), 2)


def test_cagr_exact_and_interval_years():
    assert approx(cagr(point(100), point(121), 2), 10, 10)
    # 463 to 4344 over 4 or 5 years: the slower rate takes the longer span
    r = cagr(point(463), point(4344), Interval(4, 5))
    assert approx(r, ((4344 / 463) ** 0.2 - 1) * 100, ((4344 / 463) ** 0.25 - 1) * 100)


def test_cagr_with_open_ends_and_its_limits():
    assert cagr(Interval(0, None), Interval(0, None), 6) == Interval(-100, INF)
    with pytest.raises(ValueError, match="can be negative"):
        cagr(point(1), Interval(-1, 2), 3)
    with pytest.raises(ValueError, match="must be positive"):
        cagr(point(1), point(2), 0)


def test_from_figure_uses_the_tables_bounds():
    assert from_figure(get_figure("lg-revenue-total")) == Interval(4.85e11, 4.95e11)
    assert from_figure(get_figure("lg-revenue-share-below-1pct")) == Interval(-INF, 1)
    assert from_figure(get_figure("sz-outmigrants-2021")) == point(4344)
    assert from_figure({"low": 20.0, "high": float("nan")}) == Interval(20, INF)


def test_from_figure_accepts_a_table_row():
    from lib.figures import load_figures

    df = load_figures()
    assert from_figure(df[df["id"] == "nx-it-growth"].iloc[0]) == Interval(20, INF)

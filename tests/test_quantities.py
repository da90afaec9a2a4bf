import pytest

from lib import quantities as q


@pytest.mark.parametrize("value, qualifier, unit, low, high", [
    ("13.6", "approx", "亿元", 13.55e8, 13.65e8),      # 约13.6亿元 …
    ("14", "approx", "亿元", 13.5e8, 14.5e8),          # … allows less than 约14亿元
    ("4900", "approx", "亿元", 4850e8, 4950e8),        # last significant digit: hundreds
    ("80", "approx", "%", 75, 85),
    ("20", "over", "家", 20, 30),                      # 20多家 is not 20家
    ("130", "over", "名", 130, 140),
    ("5.3", "over", "万人", 53000, 54000),
    ("400", "over", "万元", 4e6, 5e6),
    ("4344", "exact", "家", 4344, 4344),               # a full count is exact
    ("5000", "exact", "美元", 5000, 5000),
    ("72", "exact", "万架", 720000, 720000),           # a whole count with 万 is stated
    ("4", "exact", "万美元", 40000, 40000),            # a prize is a stated amount
    ("363.5", "exact", "亿元", 363.45e8, 363.55e8),    # a decimal is rounded
    ("13", "exact", "个百分点", 12.5, 13.5),           # a rate is rounded at its precision
    ("32.92", "exact", "%", 32.915, 32.925),
    ("10", "near", "倍", 9, 10),                       # 近: below, by at most a tenth
    ("20", "more_than", "%", 20, None),                # 超过: no upper end
    ("50", "at_least", "亿元", 50e8, None),
    ("1", "less_than", "%", None, 1),                  # 不到: no lower end
    ("1.2", "at_most", "比值", None, 1.2),
    ("四", "exact", "届", 4, 4),                       # Chinese numerals count too
    ("百", "more_than", "亿元", 100e8, None),
    ("64.97", "exact", "万亿元", 64.965e12, 64.975e12),
])
def test_interval_follows_wording_and_precision(value, qualifier, unit, low, high):
    got_low, got_high = q.interval(value, qualifier, unit)
    assert got_low == pytest.approx(low) if low is not None else got_low is None
    assert got_high == pytest.approx(high) if high is not None else got_high is None


@pytest.mark.parametrize("printed, value", [
    ("4344", 4344), ("4,344", 4344), ("４３４４", 4344), ("13.6", 13.6), ("四", 4), ("十三", 13),
    ("二十", 20), ("一百零五", 105), ("百", 100), ("两", 2), ("一万二千", 12000), ("三亿", 3e8),
])
def test_parse_number_reads_arabic_and_chinese(printed, value):
    assert q.parse_number(printed) == value


@pytest.mark.parametrize("printed", ["二三十", "几十", "一半", "13.6亿", ""])
def test_parse_number_rejects_irregular_wording(printed):
    with pytest.raises(ValueError, match="is not a number"):
        q.parse_number(printed)


@pytest.mark.parametrize("unit, factor, base", [
    ("亿元", 10**8, "yuan"), ("万亿元", 10**12, "yuan"), ("万美元", 10**4, "usd"),
    ("万片", 10**4, "count"), ("%", 1, "percent"), ("个百分点", 1, "pp"), ("千米", 1, "km"),
])
def test_parse_unit_splits_multiplier_and_base(unit, factor, base):
    u = q.parse_unit(unit)
    assert (u.factor, u.base_unit) == (factor, base)


@pytest.mark.parametrize("unit", ["亿圆", "万%", "亿个百分点", "km"])
def test_parse_unit_rejects_unknown_units_and_lists_known(unit):
    with pytest.raises(ValueError, match=rf"'{unit}' is not a known unit \(known: 元, 美元"):
        q.parse_unit(unit)


def test_irregular_has_no_rule():
    with pytest.raises(ValueError, match="irregular figures store their bounds"):
        q.interval("二三十", "irregular", "名")


def test_every_qualifier_but_irregular_has_a_rule():
    for name in q.QUALIFIERS:
        if name != "irregular":
            q.interval("10", name, "家")

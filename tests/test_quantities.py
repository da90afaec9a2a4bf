import math
from decimal import Decimal

import pytest

from lib import quantities as q


@pytest.mark.parametrize(
    "value, qualifier, unit, low, high",
    [
        ("13.6", "approx", "亿元", 13.55e8, 13.65e8),  # 约13.6亿元 …
        ("14", "approx", "亿元", 13.5e8, 14.5e8),  # … allows less than 约14亿元
        ("4900", "approx", "亿元", 4850e8, 4950e8),  # last significant digit: hundreds
        ("80", "approx", "%", 75, 85),
        ("20", "over", "家", 20, 30),  # 20多家 is not 20家
        ("130", "over", "名", 130, 140),
        ("5.3", "over", "万人", 53000, 54000),
        ("400", "over", "万元", 4e6, 5e6),
        ("4344", "exact", "家", 4344, 4344),  # a full count is exact
        ("5000", "exact", "美元", 5000, 5000),
        ("72", "exact", "万架", 720000, 720000),  # a whole count with 万 is stated
        ("4", "exact", "万美元", 40000, 40000),  # a prize is a stated amount
        ("363.5", "exact", "亿元", 363.45e8, 363.55e8),  # a decimal is rounded
        ("13", "exact", "个百分点", 12.5, 13.5),  # a rate is rounded at its precision
        ("32.92", "exact", "%", 32.915, 32.925),
        ("10", "near", "倍", 9, 10),  # 近: below, by at most a tenth
        ("20", "more_than", "%", 20, None),  # 超过: no upper end
        ("50", "at_least", "亿元", 50e8, None),
        ("1", "less_than", "%", None, 1),  # 不到: no lower end
        ("1.2", "at_most", "比值", None, 1.2),
        ("四", "exact", "届", 4, 4),  # Chinese numerals count too
        ("百", "more_than", "亿元", 100e8, None),
        ("64.97", "exact", "万亿元", 64.965e12, 64.975e12),
    ],
)
def test_interval_follows_wording_and_precision(value, qualifier, unit, low, high):
    got_low, got_high = q.interval(value, qualifier, unit)
    assert got_low == pytest.approx(low) if low is not None else got_low is None
    assert got_high == pytest.approx(high) if high is not None else got_high is None


@pytest.mark.parametrize(
    "printed, value",
    [
        ("4344", 4344),
        ("4,344", 4344),
        ("４３４４", 4344),
        ("13.6", 13.6),
        ("四", 4),
        ("十三", 13),
        ("二十", 20),
        ("一百零五", 105),
        ("百", 100),
        ("两", 2),
        ("一万二千", 12000),
        ("三亿", 3e8),
        ("13.6亿", 13.6e8),
    ],
)
def test_parse_number_reads_arabic_and_chinese(printed, value):
    assert q.parse_number(printed) == value


@pytest.mark.parametrize("printed", ["二三十", "几十", "一半", "", "七八", "二〇二二", "十十"])
def test_parse_number_rejects_irregular_wording(printed):
    with pytest.raises(ValueError, match="is not a number"):
        q.parse_number(printed)


# Each row a class of well-formed numeral; the value is what a reader of Chinese takes it to be.
@pytest.mark.parametrize(
    "printed, value",
    [
        ("三亿五千万", "350000000"),  # mixed magnitudes: 万 is not applied to 三亿五千
        ("四亿五千六百四十二万零一十五", "456420015"),
        ("一万五千亿", "1500000000000"),  # 亿 multiplies the whole group before it
        ("四万万", "400000000"),
        ("万亿", "1000000000000"),
        ("一千零十", "1010"),
        ("一万零十二", "10012"),  # 零 for skipped places, 十 without a digit
        ("五亿零六", "500000006"),
        ("九百万零四百", "9000400"),
        ("一百零一万一千", "1011000"),
        ("两千四百五", "2450"),
        ("三万五", "35000"),  # abbreviated tails: the next place
        ("九百九", "990"),
        ("百三", "130"),
        ("九十二万四", "924000"),
        ("两百", "200"),
        ("两万两千", "22000"),
        ("十五点七", "15.7"),
        ("十五点七亿", "1570000000"),
        ("零点五", "0.5"),
        ("两千万点五五四四", "20000000.5544"),
        ("四百亿点零五零", "40000000000.050"),
        ("负三十二", "-32"),
        ("负六点六", "-6.6"),
        ("-12.5", "-12.5"),
        ("肆佰陆拾", "460"),
        ("壹仟零壹拾", "1010"),
        ("拾万零五十六", "100056"),  # financial capitals
        ("兩千四百五", "2450"),
        ("四萬萬", "400000000"),  # traditional forms
        ("3万4000", "34000"),
        ("5亿1万4千6百", "500014600"),
        ("2千零30万", "20300000"),
        ("1.5万", "15000"),
        ("4.78万亿", "4780000000000"),
        ("1,100.9亿", "110090000000"),
    ],
)
def test_parse_chinese_reads_every_well_formed_numeral(printed, value):
    assert q.parse_chinese(printed) == Decimal(value)


@pytest.mark.parametrize(
    "printed, why",
    [
        ("二三十", "two digits in a row"),
        ("二〇二二", "零 must stand"),
        ("十十", "十 without a digit"),
        ("一百一千", "千 out of place"),
        ("五万三亿", "place is unclear"),
        ("一千三万", "place is unclear"),
        ("3万5", "place is unclear"),
        ("五十零", "零 must stand"),
        ("三五点", "点 must have digits"),
        ("一万点五亿", "a multiplier on both sides"),
        ("五兆", "not part of a numeral"),  # 兆 is 10**6 or 10**12 depending on the writer
        ("万一", "万 without a digit"),  # "in case", not 10001
    ],
)
def test_parse_chinese_refuses_what_is_not_one_numeral(printed, why):
    with pytest.raises(ValueError, match=f"'{printed}' is not a well-formed numeral: .*{why}"):
        q.parse_chinese(printed)


@pytest.mark.parametrize(
    "printed, last, sig",
    [
        ("十五点七", "0.1", "0.1"),
        ("三亿五千万", "1", "10000000"),
        ("一千零十", "1", "10"),
    ],
)
def test_precision_of_chinese_numerals(printed, last, sig):
    assert q.precision(printed) == (Decimal(last), Decimal(sig))


@pytest.mark.parametrize(
    "word, low, high, low_open, high_open",
    [
        ("一半", 45, 55, False, False),
        ("半数", 45, 55, False, False),
        ("过半", 50, 100, True, False),
        ("几十", 20, 99, False, False),
        ("数十", 20, 99, False, False),
        ("十几", 11, 19, False, False),
        ("二十几", 21, 29, False, False),
        ("二三十", 20, 39, False, False),
        ("七八", 7, 8, False, False),
        ("三四百", 300, 499, False, False),
        ("几百", 200, 999, False, False),
        ("数百", 200, 999, False, False),
        ("上百", 100, math.inf, False, True),
        ("上千", 1000, math.inf, False, True),
        ("上万", 10000, math.inf, False, True),
    ],
)
def test_vague_interval_gives_bounds_and_open_ends(word, low, high, low_open, high_open):
    assert q.vague_interval(word) == (low, high, low_open, high_open)


def test_vague_jin_bai_follows_the_rule_of_jin():
    low, high, _, high_open = q.vague_interval("近百")
    assert (low, high, high_open) == (*q.interval("百", "near", "家"), True)


@pytest.mark.parametrize("word", ["好几", "八七", "许多", ""])
def test_vague_interval_rejects_an_unknown_word_and_lists_known(word):
    with pytest.raises(
        ValueError,
        match=rf"'{word}' is not a known vague quantity word \(known: "
        r"一半, 半数, 过半",
    ):
        q.vague_interval(word)


@pytest.mark.parametrize(
    "unit, scale, base",
    [
        ("台币", 1, "twd"),
        ("新台币", 1, "twd"),
        ("港元", 1, "hkd"),
        ("万亿日元", 10**12, "jpy"),
        ("万亩", 10**4, "mu"),
        ("公顷", 10**4, "m2"),
        ("平方公里", 10**6, "m2"),
        ("吨", 1000, "kg"),
        ("万吨", 10**7, "kg"),
        ("亿千瓦时", 10**8, "kWh"),
        ("兆瓦", 1000, "kW"),
        ("米", "0.001", "km"),
        ("千分之", None, None),
        ("‰", "0.1", "percent"),
        ("成", 10, "percent"),
        ("周岁", 1, "year"),
        ("人次", 1, "count"),
        ("万辆", 10**4, "count"),
    ],
)
def test_units_table_gives_kind_and_scale(unit, scale, base):
    if scale is None:
        with pytest.raises(ValueError, match="is not a known unit"):
            q.parse_unit(unit)
        return
    u = q.parse_unit(unit)
    assert (u.scale, u.base_unit) == (Decimal(scale), base)


def test_units_are_matched_longest_first():
    order = q.PRINTED_UNITS
    for longer in order:
        for shorter in order:
            if (
                shorter != longer
                and longer.endswith(shorter)
                or longer.startswith(shorter)
                and shorter != longer
            ):
                assert order.index(longer) < order.index(shorter), (longer, shorter)


@pytest.mark.parametrize(
    "unit, factor, base",
    [
        ("亿元", 10**8, "yuan"),
        ("万亿元", 10**12, "yuan"),
        ("万美元", 10**4, "usd"),
        ("万片", 10**4, "count"),
        ("%", 1, "percent"),
        ("个百分点", 1, "pp"),
        ("千米", 1, "km"),
    ],
)
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


def test_equals_is_as_printed_and_a_stated_value_is_itself():
    assert q.interval("13.6", "equals", "亿元") == q.interval("13.6", "exact", "亿元")
    assert q.stated_interval(Decimal("170"), "equals") == (170.0, 170.0)
    rule = q.QUALIFIERS["equals"]
    assert (rule.low_open, rule.high_open) == (False, False)

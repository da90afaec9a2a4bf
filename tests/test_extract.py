"""lib.extract: the quantities it reads, their intervals, coverage of the curated table, the CLI."""

import math
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from lib import extract as ex
from lib import figures as figures_mod
from lib import quantities as q
from lib.coverage import check_coverage, value_spans
from lib.errors import DataError
from lib.extract import extract
from lib.paths import ROOT, SEED_PATH

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
SEED = SEED_PATH
N = None  # an open end


def case(text, n, value, unit, qualifier, low, high, id):
    return pytest.param(text, n, value, unit, qualifier, low, high, id=id)


# (text, which mention, value, unit, qualifier, low, high); low/high in base units.
CASES = [
    # --- from the page, line breaks as the PDF printed them
    case("重点企业 20 多\n家，产值", 0, "20", "家", "over", 20, 30, "duo-after-split-number"),
    case(
        "每个月都有约 6\n万片晶圆下线", 0, "6", "万片", "approx", 55000, 65000, "yue-wan-pian-split"
    ),
    case("中心已有 400多\n名员工", 0, "400", "名", "over", 400, 500, "duo-hundreds"),
    case("其中近 100名都是", 0, "100", "名", "near", 90, 100, "jin-count"),
    case("还有二三十名\n是海归人才", 0, "二三十", "名", "irregular", 20, 39, "ersanshi-irregular"),
    case("吸引了几十个国家的", 0, "几十", "个", "irregular", 20, 99, "jishi-irregular"),
    case("55000余人报名", 0, "55000", "人", "over", 55000, 56000, "yu-after-round-number"),
    case("分享400余万元的奖金", 0, "400", "万元", "over", 4e6, 5e6, "yu-before-multiplier"),
    case("带动就业5.3万余人。", 0, "5.3", "万人", "over", 53000, 54000, "yu-after-multiplier"),
    case(
        "全球 70 多个国家和地区近 20\n万名数学爱好者",
        1,
        "20",
        "万名",
        "near",
        180000,
        200000,
        "jin-wan-ming-split",
    ),
    case("每人可获 4万美\n元、2万美元", 0, "4", "万美元", "exact", 40000, 40000, "wan-usd-split"),
    case("每人可获 4万美\n元、2万美元", 1, "2", "万美元", "exact", 20000, 20000, "wan-usd-listed"),
    case("及 5000 美元奖金", 0, "5000", "美元", "exact", 5000, 5000, "usd-whole-exact"),
    case("总数达 72万架，", 0, "72", "万架", "exact", 720000, 720000, "da-is-not-a-bound"),
    case(
        "平均PUE（电源使用效率）小于等于1.2，集\n群内",
        0,
        "1.2",
        "比值",
        "at_most",
        N,
        1.2,
        "pue-ratio-at-most",
    ),
    case("营收总额在A股市场占比不到1%，", 0, "1", "%", "less_than", N, 1, "budao-percent"),
    case(
        "营收增速超过A股市场13个百分点",
        0,
        "13",
        "个百分点",
        "exact",
        12.5,
        13.5,
        "points-chaoguo-not-adjacent",
    ),
    case(
        "收入约为 4900 亿\n元",
        0,
        "4900",
        "亿元",
        "approx",
        4.85e11,
        4.95e11,
        "yuewei-yi-yuan-split",
    ),
    case(
        "最高值为 363.5亿，最低值为 1.2\n亿元",
        0,
        "363.5",
        "亿元",
        "exact",
        3.6345e10,
        3.6355e10,
        "yi-takes-yuan-from-sentence",
    ),
    case(
        "最高值为 363.5亿，最低值为 1.2\n亿元",
        1,
        "1.2",
        "亿元",
        "exact",
        1.15e8,
        1.25e8,
        "yi-yuan-split-after-decimal",
    ),
    case("营业收入达到 50亿元以上的共计10家", 0, "50", "亿元", "at_least", 5e9, N, "da-yishang"),
    case("其中超过百亿级规模的仅有3家", 0, "百", "亿元", "more_than", 1e10, N, "chaoguo-bai-yi-ji"),
    case(
        "营业收入在 10 亿-30 亿元之间", 0, "10", "亿元", "exact", 1e9, 1e9, "range-low-takes-unit"
    ),
    case(
        "营业收入在 10 亿-30 亿元之间", 1, "30", "亿元", "exact", 3e9, 3e9, "range-dash-not-minus"
    ),
    case(
        "共实现营业收入64.97万亿元",
        0,
        "64.97",
        "万亿元",
        "exact",
        6.4965e13,
        6.4975e13,
        "wanyi-not-wan",
    ),
    case(
        "总营业收入约占到 A 股市场的\n0.75%",
        0,
        "0.75",
        "%",
        "approx",
        0.745,
        0.755,
        "yuezhan-from-a-distance",
    ),
    case(
        "尚未占到 A 股市场总体份额1%", 0, "1", "%", "less_than", N, 1, "shangwei-zhandao-distance"
    ),
    case("增速超过 50%\n的", 0, "50", "%", "more_than", 50, N, "chaoguo-percent"),
    case("增速达到一倍以上的有22家", 0, "一", "倍", "at_least", 1, N, "yi-bei-yishang"),
    case("增速达到一倍以上的有22家", 1, "22", "家", "exact", 22, 22, "count-after-yishang"),
    case("拉动产业收入达到万亿级，", 0, "万亿", "元", "irregular", 1e12, 1e13, "wanyi-ji-order"),
    case("注册资本超千万元", 0, "千", "万元", "more_than", 1e7, N, "chao-qian-wan-yuan"),
    case("注册资本在 5000万元至 1亿元的企业", 1, "1", "亿元", "exact", 1e8, 1e8, "zhi-1-yi-yuan"),
    case("每 1元的算力投入，可以带动 3至 4元", 1, "3", "元", "exact", 3, 3, "range-zhi-yuan-low"),
    case(
        "从2017年至2021年4年间外迁企业数量增长近10倍",
        0,
        "2017",
        "年份",
        "exact",
        N,
        N,
        "year-in-range",
    ),
    case(
        "从2017年至2021年4年间外迁企业数量增长近10倍",
        2,
        "4",
        "年",
        "exact",
        4,
        4,
        "duration-next-to-year",
    ),
    case("从2017年至2021年4年间外迁企业数量增长近10倍", 3, "10", "倍", "near", 9, 10, "jin-times"),
    case("《报告》对近十年深圳市制造业", 0, "十", "年", "near", 9, 10, "jin-shi-nian"),
    case("5年增长数量约8倍", 1, "8", "倍", "approx", 7.5, 8.5, "yue-times"),
    case("全长 48.983\n千米，", 0, "48.983", "千米", "exact", 48.9825, 48.9835, "kilometre-split"),
    case("霞浦的 220千伏\n核电", 0, "220", "千伏", "exact", 220, 220, "kilovolt"),
    case("排名全国第四，西部第一。", 0, "四", "名次", "exact", 4, 4, "rank-di-si"),
    case("排在第二位和第三位的是", 1, "三", "名次", "exact", 3, 3, "rank-di-san-wei"),
    case("四位金奖得主平均年龄25岁", 0, "四", "位", "exact", 4, 4, "si-wei-counter-not-rank"),
    case("四位金奖得主平均年龄25岁", 1, "25", "岁", "exact", 24.5, 25.5, "age"),
    case("带动京港两地交流合作", 0, "两", "地", "exact", 2, 2, "liang-di"),
    case("最终获奖者有一半是“00后”", 0, "一半", "%", "irregular", 45, 55, "yiban-half"),
    case("最终获奖者有一半是“00后”", 1, "00", "", "exact", N, N, "generation-00-no-unit"),
    case("中国移动的5G网络", 0, "5", "", "exact", N, N, "5G-is-a-name"),
    case("云集奇虎360、京东等", 0, "360", "", "exact", N, N, "qihoo-360-no-unit"),
    case("在宁德市霞浦县的 B7 塔处", 0, "7", "", "exact", N, N, "B7-is-a-name"),
    case("9 月 7 日，中国电科", 0, "9月7日", "日期", "exact", N, N, "date"),
    case("“1357”总体思路", 0, "1357", "", "exact", N, N, "code-no-unit"),
    case("规划（2021-2025 年）》", 0, "2021", "年份", "exact", N, N, "year-range-takes-nian"),
    case("“一个集群”“三大基地”和“七项工程”", 0, "一", "个", "exact", 1, 1, "quoted-yi-ge-counts"),
    case("“一个集群”“三大基地”和“七项工程”", 1, "三", "个", "exact", 3, 3, "san-da-counts"),
    case("“一个集群”“三大基地”和“七项工程”", 2, "七", "项", "exact", 7, 7, "qi-xiang"),
    case("分别增长 11.7%、\n41%", 1, "41", "%", "exact", 40.5, 41.5, "percent-list"),
    case("产值约占重庆市相关产业的80%", 0, "80", "%", "approx", 75, 85, "yuezhan-80-percent"),
    case("年均增速超过20%", 0, "20", "%", "more_than", 20, N, "chaoguo-20-percent"),
    # --- beyond the page
    case("净利润同比下降3.5%", 0, "3.5", "%", "exact", 3.45, 3.55, "decline-keeps-printed-value"),
    case("净利润同比增长-12.3%", 0, "-12.3", "%", "exact", -12.35, -12.25, "negative-growth"),
    case("净利润增长－2%", 0, "－2", "%", "exact", -2.5, -1.5, "full-width-minus"),
    case(
        "出口额为１２．５亿美元",
        0,
        "１２．５",
        "亿美元",
        "exact",
        1.245e9,
        1.255e9,
        "full-width-digits",
    ),
    case("全年营收4,344万元", 0, "4,344", "万元", "exact", 43440000, 43440000, "thousands-comma"),
    case("增长20%左右", 0, "20", "%", "approx", 15, 25, "zuoyou-after-unit"),
    case("约有3000人左右", 0, "3000", "人", "approx", 2500, 3500, "yue-and-zuoyou"),
    case("逾百家企业", 0, "百", "家", "more_than", 100, N, "yu-bai-jia"),
    case("员工二十余万人", 0, "二十", "万人", "over", 200000, 300000, "ershi-yu-wan-ren"),
    case("人口达一千二百万人", 0, "一千二百", "万人", "exact", 12e6, 12e6, "yiqian-erbai-wan"),
    case("近五年来", 0, "五", "年", "near", 4.5, 5, "jin-wu-nian"),
    case("已有十几个城市", 0, "十几", "个", "irregular", 11, 19, "shiji-irregular"),
    case("数百家企业", 0, "数百", "家", "irregular", 200, 999, "shu-bai"),
    case("吸引数万人参观", 0, "数万", "人", "irregular", 20000, 99999, "shu-wan-ren"),
    case("二三十万元", 0, "二三十", "万元", "irregular", 2e5, 3.9e5, "ersanshi-wan-yuan"),
    case("七八个", 0, "七八", "个", "irregular", 7, 8, "qi-ba-irregular"),
    case("带动就业两三千人", 0, "两三千", "人", "irregular", 2000, 3999, "liang-san-qian"),
    case("投资额不超过3亿元", 0, "3", "亿元", "at_most", N, 3e8, "buchaoguo"),
    case("不少于500人", 0, "500", "人", "at_least", 500, N, "bushaoyu"),
    case("接近300家", 0, "300", "家", "near", 270, 300, "jiejin"),
    case("高于5%", 0, "5", "%", "more_than", 5, N, "gaoyu-adjacent"),
    case("不足10万元", 0, "10", "万元", "less_than", N, 1e5, "buzu"),
    case("两年前", 0, "两", "年", "exact", 2, 2, "liang-nian"),
    case("工作30年以上", 0, "30", "年", "at_least", 30, N, "years-yishang"),
    case("约1.5倍", 0, "1.5", "倍", "approx", 1.45, 1.55, "yue-decimal-times"),
    case("增加2个百分点，增幅达15%", 0, "2", "个百分点", "exact", 1.5, 2.5, "percentage-points"),
    case("增加2个百分点，增幅达15%", 1, "15", "%", "exact", 14.5, 15.5, "percent-after-points"),
    case("营收30亿-50亿美元", 0, "30", "亿美元", "exact", 3e9, 3e9, "range-usd"),
    case("3至5年", 0, "3", "年", "exact", 3, 3, "range-of-years-duration"),
    case("PUE 1.3以下", 0, "1.3", "比值", "at_most", N, 1.3, "pue-yixia"),
    case("全国第3名", 0, "3", "名次", "exact", 3, 3, "rank-arabic"),
    case("开通5G基站超110万个", 1, "110", "万个", "more_than", 1.1e6, N, "count-after-5G"),
    case("2022年9月7日", 0, "2022年9月7日", "日期", "exact", N, N, "full-date"),
    case("于今年11月全线贯通", 0, "11月", "日期", "exact", N, N, "month"),
    case("据2021企业年报", 0, "2021", "年份", "exact", N, N, "bare-year"),
]


# Ordinary business-news wording beyond the page, one class of wording a row (issue #11).
CASES += [
    # numerals: mixed magnitudes, 零, abbreviated tails, 点 decimals, capitals, Arabic inside
    case("融资三亿五千万元", 0, "三亿五千万", "元", "exact", 3.5e8, 3.5e8, "mixed-magnitudes"),
    case("共一千零十个项目", 0, "一千零十", "个", "exact", 1010, 1010, "ling-shi"),
    case("营收十五点七亿元", 0, "十五点七", "亿元", "exact", 1.565e9, 1.575e9, "dian-decimal-yi"),
    case("员工两千四百五人", 0, "两千四百五", "人", "exact", 2450, 2450, "abbreviated-tail"),
    case("奖金三万五元", 0, "三万五", "元", "exact", 35000, 35000, "abbreviated-wan"),
    case("捐款壹佰伍拾万元", 0, "壹佰伍拾", "万元", "exact", 1.5e6, 1.5e6, "financial-capitals"),
    case("投资3亿5000万元", 0, "3亿5000万", "元", "exact", 3.5e8, 3.5e8, "arabic-in-chinese"),
    case("一万五千亿元", 0, "一万五千亿", "元", "exact", 1.5e12, 1.5e12, "yi-over-wan-group"),
    # units: from the table, longest first, never from a neighbour
    case("种植387万亩，投资10亿元", 0, "387", "万亩", "exact", 3.865e6, 3.875e6, "mu-own-unit"),
    case(
        "央行到期定存单5306亿台币",
        0,
        "5306",
        "亿台币",
        "exact",
        5.306e11,
        5.306e11,
        "taibi-not-counter-tai",
    ),
    case("每股1.95港元", 0, "1.95", "港元", "exact", 1.945, 1.955, "hkd"),
    case("1万亿日元", 0, "1", "万亿日元", "exact", 1e12, 1e12, "jpy-wanyi"),
    case("发电量120亿千瓦时", 0, "120", "亿千瓦时", "exact", 1.195e10, 1.205e10, "kwh-yi"),
    case("装机容量300兆瓦", 0, "300", "兆瓦", "exact", 2.995e5, 3.005e5, "megawatt-not-zhao"),
    case("占地2.5平方公里", 0, "2.5", "平方公里", "exact", 2.45e6, 2.55e6, "square-km"),
    case("年产20万吨", 0, "20", "万吨", "exact", 1.95e8, 2.05e8, "wan-tonnes"),
    case("接待游客300万人次", 0, "300", "万人次", "exact", 3e6, 3e6, "renci-before-ren"),
    case("年满18周岁", 0, "18", "周岁", "exact", 17.5, 18.5, "zhousui"),
    case("全年用电量3000度", 0, "3000", "度", "exact", 2999.5, 3000.5, "du-beside-dian"),
    # shares: percent, per mille, fractions, tenths, halves
    case("增长百分之三十五", 0, "三十五", "%", "exact", 34.5, 35.5, "baifenzhi-chinese"),
    case("占比百分之22", 0, "22", "%", "exact", 21.5, 22.5, "baifenzhi-arabic"),
    case("不良率千分之一", 0, "一", "‰", "exact", 0.05, 0.15, "qianfenzhi"),
    case("费率万分之三", 0, "三", "‱", "exact", 0.025, 0.035, "wanfenzhi"),
    case("占比为三分之一", 0, "三分之一", "比值", "exact", 1 / 3, 1 / 3, "fraction-exact"),
    case("成本降低了两成", 0, "两", "成", "exact", 15, 25, "liang-cheng"),
    case("七成五的企业", 0, "七成五", "成", "exact", 74.5, 75.5, "qi-cheng-wu"),
    case("半数企业盈利", 0, "半数", "%", "irregular", 45, 55, "banshu"),
    case("过半企业盈利", 0, "过半", "%", "irregular", 50, 100, "guoban-above-half"),
    # signs: 负 and the minus are signs; 下降 stays wording
    case("增速为负3.9%", 0, "负3.9", "%", "exact", -3.95, -3.85, "fu-sign"),
    case("利润负三十二万元", 0, "负三十二", "万元", "exact", -320000, -320000, "fu-chinese"),
    case("利润减少3.9%", 0, "3.9", "%", "exact", 3.85, 3.95, "jianshao-keeps-value"),
    # qualifiers at a distance and vague magnitudes
    case("不到全部企业的3%", 0, "3", "%", "less_than", N, 3, "budao-noun-phrase-de"),
    case("不超过营业收入的5%", 0, "5", "%", "at_most", N, 5, "buchaoguo-not-chaoguo"),
    case(
        "超过全国企业总数的三分之一",
        0,
        "三分之一",
        "比值",
        "more_than",
        1 / 3,
        N,
        "chaoguo-fraction",
    ),
    case("上百家企业", 0, "上百", "家", "irregular", 100, N, "shangbai-no-upper-end"),
    case("上千名员工", 0, "上千", "名", "irregular", 1000, N, "shangqian"),
    case("数十万元", 0, "数十", "万元", "irregular", 2e5, 9.9e5, "shushi-wan"),
    case("十几亿元", 0, "十几", "亿元", "irregular", 1.1e9, 1.9e9, "shiji-yi"),
    case("数亿元", 0, "数亿", "元", "irregular", 2e8, 999999999, "shuyi-not-one-yi"),
    case("近百家企业", 0, "百", "家", "near", 90, 100, "jinbai-rule-of-jin"),
    case("半百家企业", 0, "半百", "家", "irregular", 50, 50, "banbai-fifty"),
    # fractions written with 又 and with a slash; discounts; a half after a measure
    case(
        "三百五又三分之一吨",
        0,
        "三百五又三分之一",
        "比值",
        "exact",
        350 + 1 / 3,
        350 + 1 / 3,
        "you-whole-and-fraction",
    ),
    case("占1/3的企业", 0, "1/3", "比值", "exact", 1 / 3, 1 / 3, "slash-fraction"),
    case("全场七五折", 0, "七五", "折", "exact", 74.5, 75.5, "discount-two-digits"),
    case("打九折", 0, "九", "折", "exact", 85, 95, "discount-one-digit"),
    case("运了一吨半", 0, "一吨半", "吨", "exact", 1450, 1550, "ban-after-measure"),
    case("3家半导体企业", 0, "3", "家", "exact", 3, 3, "ban-not-after-counter"),
    case("装机一百千瓦", 0, "一百", "千瓦", "exact", 99.5, 100.5, "qian-of-qianwa-is-the-unit"),
    case("高度168cm", 0, "168", "cm", "exact", 0.001675, 0.001685, "latin-cm"),
    # comparison words, and a one-sided bound on a number without a unit
    case("营收大于10亿元", 0, "10", "亿元", "more_than", 1e9, N, "dayu"),
    case("至少3家企业", 0, "3", "家", "at_least", 3, N, "zhishao"),
    case("人口低于20793的城市", 0, "20793", "", "less_than", N, 20793, "diyu-bare-number"),
    case("编号为20793", 0, "20793", "", "exact", N, N, "bare-exact-has-no-interval"),
    # a list whose unit is printed once, after its last item
    case(
        "最高值为 363.5亿，最低值为 1.2亿元",
        0,
        "363.5",
        "亿元",
        "exact",
        3.6345e10,
        3.6355e10,
        "list-unit-from-next-item",
    ),
    case("奖池36.57亿。另有15元", 0, "36.57", "", "exact", N, N, "no-money-from-a-later-item"),
    # traditional numeral characters
    case("融資三億五千萬元", 0, "三亿五千万", "元", "exact", 3.5e8, 3.5e8, "traditional-folded"),
]


def _end(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


@pytest.mark.parametrize("text, n, value, unit, qualifier, low, high", CASES)
def test_extract_reads_value_unit_qualifier_and_interval(
    text, n, value, unit, qualifier, low, high
):
    row = extract(text).iloc[n]
    assert (row["value"], row["unit"], row["qualifier"]) == (value, unit, qualifier)
    assert _end(row["low"]) == (None if low is None else pytest.approx(low, rel=1e-9))
    assert _end(row["high"]) == (None if high is None else pytest.approx(high, rel=1e-9))


def test_cases_table_is_large_enough():
    assert len(CASES) >= 60


NOT_QUANTITIES = {
    "article-yi-pian": "生产车间一片繁忙",
    "plan-name-shisiwu": "成为“十四五”规划的重点",
    "company-samsung": "为三星、小米等",
    "list-item-yi-shi": "一是外迁首选省内",
    "third-party": "第三方机构",
    "article-yi-da": "这一支点的一大硕果",
    "term-3d": "异质异构三维集成",
    "period-first-quarter": "今年一季度",
    "idiom-wan-jia": "万家灯火",
    "word-shuju": "数据中心",
    "cheng-ben-is-cost": "三成本",
    "year-in-chinese-digits": "二〇二二年",
    "word-jihu": "几乎所有",
    "one-of": "是重庆市重点发展的产业之一",
    "yidu-at-one-time": "铜价一度突破",
    "idiom-qianpian-yilv": "内容千篇一律",
    "idiom-sanfan-wuci": "三番五次强调",
    "idiom-qianjia-wanhu": "走进千家万户",
    "wanyi-in-case": "万一家里出事",
}


@pytest.mark.parametrize("text", NOT_QUANTITIES.values(), ids=NOT_QUANTITIES.keys())
def test_extract_ignores_numerals_that_are_not_quantities(text):
    assert extract(text).empty


# A numeral or unit that cannot be read with certainty: a mention with no value, and why.
REFUSALS = [
    ("奖池3万5元", "3万5", "元", "a trailing number whose place is unclear"),
    ("四十九兆九千五百九十二亿元", "四十九兆九千五百九十二", "亿元", "兆 is 10\\*\\*6"),
    ("气温达到30度", "30", "度", "度 is a kWh only beside 电"),
    ("五万三亿元", "五万三亿", "元", "place is unclear"),
    ("售价$20", "20", "", r"\$ is the sign of many dollars"),
    ("售价￥300", "300", "", "¥ is the sign of both the yuan and the yen"),
    ("版本2.2.3", "2.2.3", "", "more than one decimal point"),
    ("共1 ３家", "1３", "家", "digits separated by a space"),
]


@pytest.mark.parametrize("text, value, unit, why", REFUSALS, ids=[r[1] for r in REFUSALS])
def test_extract_refuses_a_value_it_cannot_read_and_says_why(text, value, unit, why):
    row = extract(text).iloc[0]
    assert (row["value"], row["unit"]) == (value, unit)
    assert math.isnan(row["number"]) and math.isnan(row["low"]) and math.isnan(row["high"])
    assert re.search(why, row["reason"])


# (text, printed, low, high, low_open, high_open): one stated range, read as one interval
RANGES = [
    ("营业收入在 10 亿-30 亿元之间", "10亿-30亿元", 1e9, 3e9, False, False),
    ("可以带动 3至 4元", "3至4元", 3, 4, False, False),
    ("增长20%-30%", "20%-30%", 19.5, 30.5, False, False),  # each end keeps its rounding
    ("位于20和30之间", "20和30", 20, 30, False, False),
    ("数量在一千到一千五百家", "一千到一千五百家", 1000, 1500, False, False),
    ("营收大于10亿元小于20亿元", "大于10亿元小于20亿元", 1e9, 2e9, True, True),
    ("人数不大于50不小于20", "不大于50不小于20", 20, 50, False, False),
    ("占比超过5%", "超过5%", 5, N, True, True),  # a bound on its own is its own range
]


@pytest.mark.parametrize(
    "text, printed, low, high, low_open, high_open", RANGES, ids=[r[1] for r in RANGES]
)
def test_extract_ranges_joins_a_stated_range_into_one_interval(
    text, printed, low, high, low_open, high_open
):
    df = ex.extract_ranges(text)
    assert len(df) == 1
    r = df.iloc[0]
    assert (r["printed"], r["low_open"], r["high_open"]) == (printed, low_open, high_open)
    assert _end(r["low"]) == (None if low is None else pytest.approx(low))
    assert _end(r["high"]) == (None if high is None else pytest.approx(high))


# (text, printed, low, high, low_open, high_open): comparative wordings, one interval each
COMPARATIVE_RANGES = [
    ("今年的产量比 500 万吨多", "比500万吨多", 5e9, N, True, True),
    ("新车价格比10万元高一些", "比10万元高", 1e5, N, True, True),
    ("这根钢管比3厘米长", "比3厘米长", 3e-5, N, True, True),
    ("成本比四分之三小，", "比四分之三小", N, 0.75, True, True),
    ("今年降水比 80 毫米少", "比80毫米少", N, 8e-5, True, True),
    ("气温比零下低得多", None, None, None, None, None),  # no number: nothing
    ("股价在 12 元之上", "12元之上", 12, N, True, True),
    ("失业率在5%之下", "5%之下", N, 5, True, True),
    ("出口占比过30%的企业", "过30%", 30, N, True, True),
    ("增速过6%", "过6%", 6, N, True, True),
    ("y等于二百零五", "等于二百零五", 205, 205, False, False),
    ("总额等于12亿元", "等于12亿元", 1.2e9, 1.2e9, False, False),  # as printed, like exact
    ("x > = 8", "> = 8", 8, N, False, True),
    ("x < = 8", "< = 8", N, 8, True, False),
    ("比四分之一大，比二分之一小", "比四分之一大，比二分之一小", 0.25, 0.5, True, True),
]


@pytest.mark.parametrize(
    "text, printed, low, high, low_open, high_open",
    COMPARATIVE_RANGES,
    ids=[r[0] for r in COMPARATIVE_RANGES],
)
def test_extract_ranges_reads_comparatives_as_intervals(
    text, printed, low, high, low_open, high_open
):
    df = ex.extract_ranges(text, bare_numerals=True)
    if printed is None:
        assert df.empty
        return
    assert len(df) == 1
    r = df.iloc[0]
    assert (r["printed"], r["low_open"], r["high_open"]) == (printed, low_open, high_open)
    assert _end(r["low"]) == (None if low is None else pytest.approx(low))
    assert _end(r["high"]) == (None if high is None else pytest.approx(high))


# Wordings that look like a comparative but are not one: the figure stays as printed.
@pytest.mark.parametrize(
    "text, printed",
    [
        ("经过3年的努力", "3年"),  # 经过: through, not "over"
        ("通过5项决议", "5项"),  # 通过: passed
        ("对比3家大银行", "3家"),  # 对比: comparing
        ("比3家大银行多", "3家"),  # 大 is the banks' adjective, not the comparative
        ("同比10%高位", "10%"),  # 同比: year on year
    ],
)
def test_comparative_lookalikes_stay_exact(text, printed):
    df = extract(text)
    assert df["printed"].tolist() == [printed]
    assert df["qualifier"].tolist() == ["exact"]


@pytest.mark.parametrize(
    "text, printed",
    [
        ("大于50小于12的目标", ["大于50", "小于12"]),  # bounds that cannot meet
        ("2、3家", ["2", "3家"]),  # a list, not a range
        ("2021-2025年", []),  # years carry no interval
    ],
)
def test_extract_ranges_leaves_apart_what_is_not_one_range(text, printed):
    assert list(ex.extract_ranges(text)["printed"]) == printed


def test_figure_rows_say_why_a_value_was_not_read():
    text = "奖池3万5元，另有20家"
    rows = ex.build_figure_rows(text, extract(text))
    assert list(rows["note"]) == [
        "not read: '3万5' is not a well-formed numeral: a trailing number whose place is unclear",
        "",
    ]
    assert list(rows["low"]) == ["", "20"]


@pytest.mark.parametrize("text", ["种植387万尾，投资10亿元", "最高值为 363.5亿，另有100美元和5元"])
def test_unit_never_carries_over_from_a_neighbouring_number(text):
    first = extract(text).iloc[0]
    assert first["unit"] == "" and math.isnan(first["low"])


@pytest.mark.parametrize(
    "text, values",
    [
        ("一百五十二", [152.0]),
        ("二百五, 二百五", [250.0, 250.0]),
        ("负六点六", [-6.6]),
        ("十四五规划", []),  # digits of a plan's name are not a numeral even when bare
    ],
)
def test_bare_numerals_reads_chinese_numerals_without_a_unit(text, values):
    assert list(extract(text, bare_numerals=True)["number"]) == values
    assert extract(text).empty  # by default a Chinese numeral needs a unit


@pytest.mark.parametrize("word", [w for w in q.VAGUE_WORDS if not w.startswith("近")])
def test_vague_words_take_their_bounds_from_quantities(word):
    """One rule in one place: the extractor's interval of a vague word is vague_interval's."""
    share = q.VAGUE_WORDS[word].unit == "%"
    row = extract(word if share else word + "家").iloc[0]
    low, high, _, _ = q.vague_interval(word)
    assert (row["value"], row["unit"], row["qualifier"]) == (
        word,
        "%" if share else "家",
        "irregular",
    )
    assert (_end(row["low"]), _end(row["high"])) == (low, None if high == math.inf else high)


def test_approximate_fraction_keeps_its_value_but_refuses_an_interval():
    row = extract("约三分之一").iloc[0]
    assert row["number"] == pytest.approx(1 / 3)
    assert math.isnan(row["low"]) and "'approx' has no rule" in row["reason"]


def test_page_rows_have_the_extractors_interval(mentions):
    """Every curated row read by a rule (not typed by hand) has the extractor's interval."""
    figures = figures_mod.load_figures()
    spans = value_spans(mentions)
    checked = 0
    for r in figures[figures["qualifier"] != "irregular"].itertuples():
        here = [k for k, (a, b) in enumerate(spans) if a < r.value_end and r.value_start < b]
        if not here:
            continue  # the one row the extractor cannot see (五数体系, its counter implied)
        got = mentions.iloc[here[0]]
        assert (_end(got["low"]), _end(got["high"])) == (_end(r.low), _end(r.high)), r.id
        checked += 1
    assert checked >= 130


def test_every_read_value_has_an_empty_reason(mentions):
    assert (mentions["reason"] == "").all()


# --- the frame ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mentions():
    return extract(SEED.read_text(encoding="utf-8"))


def test_extract_returns_the_documented_columns(mentions):
    assert list(mentions.columns) == ex.COLUMNS
    assert mentions["multiplier"].dtype == "int64"
    assert mentions["start"].is_monotonic_increasing


def test_extract_of_empty_text_is_an_empty_frame():
    df = extract("")
    assert df.empty and list(df.columns) == ex.COLUMNS


def test_extract_rejects_bytes_with_a_message():
    with pytest.raises(DataError, match="extract\\(\\) requires text as str; got bytes"):
        extract("集聚20余家企业".encode())


def test_extract_printed_is_the_normalised_span_and_holds_the_value(page, mentions):
    for r in mentions.itertuples():
        assert page.text[r.start : r.end] == r.printed
        assert r.value in r.printed


def test_extract_raw_span_is_the_printed_text_with_its_line_breaks(page, mentions):
    for r in mentions.itertuples():
        raw = page.raw[r.raw_start : r.raw_end]
        assert re.sub(r"\s|\u2043", "", raw) == re.sub(r"\s", "", r.printed)


def test_extract_sentence_contains_the_mention(mentions):
    for r in mentions.itertuples():
        assert r.printed in r.sentence


def test_extract_finds_every_arabic_number_on_the_page(page, mentions):
    spans = list(zip(mentions["start"], mentions["end"]))
    numbers = list(re.finditer(r"\d+(?:\.\d+)?", page.text))
    missing = [
        m.group() for m in numbers if not any(a <= m.start() and m.end() <= b for a, b in spans)
    ]
    assert len(numbers) == 161 and missing == []


def test_extract_intervals_are_the_rules_of_quantities(mentions):
    """One implementation: every interval the extractor gives is quantities.interval's."""
    checked = 0
    for r in mentions.itertuples():
        if r.unit in ("", ex.YEAR, ex.DATE) or r.qualifier == "irregular":
            continue
        low, high = q.interval(r.value, r.qualifier, r.unit)
        assert (_end(r.low), _end(r.high)) == (low, high), r.printed
        assert r.base_value == q.base_value(r.value, r.unit)
        checked += 1
    assert checked > 120


def test_extract_offsets_refer_to_the_text_as_given():
    raw = (FIXTURES / "numbers-split-by-line-breaks.txt").read_text(encoding="utf-8")
    df = extract(raw)
    assert list(df["printed"]) == ["约6万片", "近20万名", "4万美元", "1.2亿元"]
    assert [raw[a:b] for a, b in zip(df["raw_start"], df["raw_end"])] == [
        "约 6\n万片",
        "近 20\n万名",
        "4万美\n元",
        "1.2\n亿元",
    ]


# --- coverage -------------------------------------------------------------------------------


def _tables(figure_rows, exclusion_spans):
    figures = pd.DataFrame(
        figure_rows,
        columns=["article", "id", "value", "unit", "qualifier", "note", "value_start", "value_end"],
    )
    exclusions = pd.DataFrame(exclusion_spans, columns=["value_start", "value_end"])
    return figures, exclusions


def test_check_coverage_counts_covered_mentions_and_agreeing_rows():
    text = "2021年深圳迁出企业4344家，约占全国的13%，还有二三十名人才。"
    df = extract(text)
    assert list(df["value"]) == ["2021", "4344", "13", "二三十"]
    figures, exclusions = _tables(
        [
            ("a", "firms", "4344", "家", "exact", "", 10, 14),
            ("a", "share", "13", "%", "exact", "read as exact", 22, 24),  # extractor: approx
            ("a", "talent", "二三十", "名", "irregular", "", 28, 31),
        ],
        [(0, 4)],
    )
    report = check_coverage(df, figures, exclusions)
    assert (report.mentions, report.covered, report.rows, report.agreeing) == (4, 4, 3, 2)
    assert report.uncovered.empty
    row = report.disagreements.iloc[0]
    assert (row["id"], row["extracted_qualifier"]) == ("share", "approx")
    assert row["reason"] == "table vs extractor: qualifier exact vs approx"


def test_check_coverage_lists_mentions_the_tables_lack():
    df = extract("迁出企业4344家，新设245家。")
    figures, exclusions = _tables([("a", "firms", "4344", "家", "exact", "", 4, 8)], [])
    report = check_coverage(df, figures, exclusions)
    assert list(report.uncovered["value"]) == ["245"]
    assert report.coverage == 0.5 and report.agreement == 1.0
    text = report.format_report("sample.txt", "迁出企业4344家，新设245家。")
    assert "sample.txt:1: 245家 (value 245, unit '家', exact)" in text


def test_check_coverage_reports_a_row_with_no_mention():
    df = extract("迁出企业4344家。")
    figures, exclusions = _tables([("a", "ghost", "五", "个", "exact", "implied", 0, 2)], [])
    report = check_coverage(df, figures, exclusions)
    assert report.disagreements.iloc[0]["reason"] == "no mention at 五 个"
    assert "a/ghost: no mention at 五 个" in report.format_report()


def test_check_coverage_requires_value_offsets():
    figures = pd.DataFrame({"value": ["1"], "unit": ["家"], "qualifier": ["exact"]})
    with pytest.raises(
        DataError, match="figures table: missing column\\(s\\) value_end, value_start"
    ):
        check_coverage(extract("1家"), figures, pd.DataFrame(columns=["value_start", "value_end"]))


def test_page_is_covered_and_the_extractor_agrees_with_the_curated_table(mentions):
    report = check_coverage(mentions, figures_mod.load_figures(), figures_mod.load_exclusions())
    assert report.uncovered.empty, report.format_report()
    assert report.agreement >= 0.98, report.format_report()
    unexplained = report.disagreements[report.disagreements["note"] == ""]
    assert unexplained.empty, report.format_report()


# --- command line ---------------------------------------------------------------------------


def _run(argv, capsys):
    """``python -m lib ARGV`` in this process: its exit status, stdout and stderr."""
    from lib.__main__ import main

    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", ["extract", "coverage"])
def test_cli_commands_have_help(command, capsys):
    with pytest.raises(SystemExit) as stop:
        _run([command, "--help"], capsys)
    assert stop.value.code == 0
    assert "usage: python -m lib " + command in capsys.readouterr().out


def test_cli_extract_writes_figure_rows(tmp_path, capsys):
    out = tmp_path / "rows.csv"
    code, _, err = _run(
        ["extract", str(FIXTURES / "numbers-split-by-line-breaks.txt"), "-o", str(out)], capsys
    )
    assert (code, err) == (0, "")
    rows = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(rows.columns) == ex.FIGURE_COLUMNS
    assert list(rows["value"] + rows["unit"]) == ["6万片", "20万名", "4万美元", "1.2亿元"]
    assert list(rows["low"]) == ["55000", "180000", "40000", "115000000"]
    assert (rows["id"] == "").all()
    text = ex.normalise((FIXTURES / "numbers-split-by-line-breaks.txt").read_text("utf-8"))[0]
    assert all(text.count(quote) == 1 for quote in rows["quote"])


def test_cli_extract_writes_csv_to_stdout(capsys):
    code, out, _ = _run(["extract", str(SEED)], capsys)
    lines = out.splitlines()
    assert code == 0 and lines[0] == ",".join(ex.FIGURE_COLUMNS) and len(lines) > 150


def test_cli_coverage_of_the_page(capsys):
    code, out, _ = _run(["coverage"], capsys)
    assert code == 0
    assert "covered by figures or exclusions" in out and "(100.0%)" in out


def test_cli_coverage_exits_1_when_mentions_are_uncovered(tmp_path, capsys):
    empty = tmp_path / "figures.csv"
    empty.write_text(",".join(ex.FIGURE_COLUMNS) + "\n", encoding="utf-8")
    code, out, _ = _run(["coverage", "--figures", str(empty)], capsys)
    assert code == 1 and "mentions the table lacks" in out


@pytest.mark.parametrize(
    "name, message",
    [
        ("empty.txt", "the file is empty; expected Chinese news text in UTF-8"),
        (
            "gbk-not-utf8.txt",
            "byte 0 (0xbc) is not UTF-8; expected UTF-8 text (convert GBK with: "
            "iconv -f GBK -t UTF-8)",
        ),
        ("binary.bin", "byte 0 is NUL: this is binary data; expected UTF-8 text"),
        ("missing.txt", "file not found; expected a UTF-8 text file"),
        (".", "is a directory; expected a UTF-8 text file"),
    ],
)
def test_cli_extract_bad_input_is_one_line_error(name, message, capsys):
    path = FIXTURES / name
    code, out, err = _run(["extract", str(path)], capsys)
    assert (code, out) == (2, "")
    assert err == f"error: {path}: {message}\n"


def test_python_m_lib_extract_binary_prints_no_traceback():
    done = subprocess.run(
        [sys.executable, "-m", "lib", "extract", str(FIXTURES / "binary.bin")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr


def test_importing_extract_prints_nothing():
    done = subprocess.run(
        [sys.executable, "-c", "import lib.extract"], cwd=ROOT, capture_output=True, text=True
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")

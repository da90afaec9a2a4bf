"""Every number the page prints in Arabic digits is a figure or excluded with a reason."""

import re
from collections import Counter

from lib import figures


def test_every_arabic_number_is_a_figure_or_excluded_exactly_once(page):
    figs, excl = figures.load_figures(), figures.load_exclusions()
    claimed = Counter(list(figs["value_start"]) + list(excl["value_start"]))
    numbers = [(m.start(), m.group()) for m in re.finditer(r"\d+(?:\.\d+)?", page.text)]
    assert len(numbers) == 161
    missing = [(k, n, page.sentence_at(k)) for k, n in numbers if claimed[k] == 0]
    assert missing == []
    twice = [k for k, c in claimed.items() if c > 1]
    assert twice == []


def test_claims_point_at_whole_numbers_not_inside_them(page):
    starts = {m.start() for m in re.finditer(r"\d+(?:\.\d+)?", page.text)}
    figs, excl = figures.load_figures(), figures.load_exclusions()
    arabic = figs[figs["value"].str.fullmatch(r"\d+(?:\.\d+)?")]
    assert set(arabic["value_start"]) <= starts
    assert set(excl["value_start"]) <= starts


def test_exclusions_give_reasons():
    excl = figures.load_exclusions()
    assert excl["reason"].str.len().min() >= 8

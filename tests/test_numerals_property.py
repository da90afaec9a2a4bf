"""The numeral parser reads back what an independent converter (cn2an's ``an2cn``) writes.

cn2an is a test-only dependency: it writes integers and decimals out in Chinese, in everyday
characters and in financial capitals, and ``quantities.parse_chinese`` must give the same value.
Deterministic (``derandomize``), about two seconds: 800 integers, 300 decimals, 300 negatives.
"""

import warnings
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from lib import quantities as q

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import cn2an


def _write(n, mode="low"):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cn2an.an2cn(n, mode)


# every size up to cn2an's limit (16 digits), small numbers and round ones more often
INTEGERS = st.one_of(
    st.integers(0, 10**16 - 1),
    st.integers(0, 10**5),
    st.builds(lambda d, z: d * 10**z, st.integers(1, 999), st.integers(0, 12)),
)


@settings(max_examples=800, derandomize=True, deadline=None, database=None)
@given(INTEGERS, st.sampled_from(["low", "up"]))
def test_parse_chinese_reads_back_integers_written_by_cn2an(n, mode):
    written = _write(n, mode)
    assert q.parse_chinese(written) == n, written


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(st.integers(0, 10**12), st.integers(1, 4))
def test_parse_chinese_reads_back_decimals_written_by_cn2an(units, places):
    value = Decimal(units).scaleb(-places)
    written = _write(str(value))
    assert q.parse_chinese(written) == value, written


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(st.integers(1, 10**12))
def test_parse_chinese_reads_negatives_and_liang(n):
    written = _write(n)
    assert q.parse_chinese("负" + written) == -n
    if written.startswith("二") and len(written) > 1 and written[1] in "千百万亿":
        assert q.parse_chinese("两" + written[1:]) == n  # 两 for 2 before a place

"""The parameter checks and the results JSON every notebook uses, without a kernel."""

import json
import math

import pytest

from lib.errors import DataError
from lib.notebook import check_choice, check_number, write_results


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, float("nan")])
def test_check_number_rejects_nan_and_infinities_naming_the_parameter(value):
    with pytest.raises(DataError, match=r"parameter 'usd_cny': .* is not a finite number; "
                                        r"expected a number from 5 to 9"):
        check_number("usd_cny", value, low=5, high=9)


def test_check_number_rejects_nan_without_bounds_too():
    with pytest.raises(DataError, match=r"parameter 'x': nan is not a finite number"):
        check_number("x", math.nan)


@pytest.mark.parametrize("value, message", [
    ("7", r"parameter 'months_per_year': '7' is not a number; expected a number"),
    (True, r"parameter 'months_per_year': True is not a number"),
    (13, r"parameter 'months_per_year': 13 is out of range; expected a number from 1 to 12"),
    (0.5, r"parameter 'months_per_year': 0.5 is out of range"),
])
def test_check_number_rejects_non_numbers_and_values_out_of_range(value, message):
    with pytest.raises(DataError, match=message):
        check_number("months_per_year", value, low=1, high=12)


@pytest.mark.parametrize("value", [1, 12, 6.5])
def test_check_number_accepts_the_bounds_and_values_between(value):
    check_number("months_per_year", value, low=1, high=12)


def test_check_choice_names_parameter_value_and_allowed_values():
    check_choice("lang", "zh", ("zh", "en"))
    with pytest.raises(DataError, match=r"parameter 'lang': 'fr' is not allowed; expected one "
                                        r"of: 'zh', 'en'"):
        check_choice("lang", "fr", ("zh", "en"))


def test_write_results_writes_strict_json_sorted_and_readable(tmp_path):
    path = write_results(tmp_path / "out", "demo", {"b": [1.5, None], "a": "业界"})
    text = path.read_text(encoding="utf-8")
    assert json.loads(text) == {"a": "业界", "b": [1.5, None]}
    assert text.index('"a"') < text.index('"b"') and "业界" in text


@pytest.mark.parametrize("results, where", [
    ({"rate": math.nan}, r"results\['rate'\] is nan"),
    ({"pool": {"usd": [1.0, math.inf]}}, r"results\['pool'\]\['usd'\]\[1\] is inf"),
])
def test_write_results_refuses_nan_naming_the_key_and_writes_nothing(tmp_path, results, where):
    with pytest.raises(DataError, match=r"results 'demo': " + where + r", which JSON cannot "
                                        r"hold; expected a finite number"):
        write_results(tmp_path, "demo", results)
    assert list(tmp_path.iterdir()) == []


def test_write_results_without_output_dir_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert write_results("", "demo", {"a": 1}) is None
    assert list(tmp_path.iterdir()) == []

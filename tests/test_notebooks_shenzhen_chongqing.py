"""Notebooks 01 (Shenzhen migration) and 02 (Chongqing IC) through papermill."""

import json

import pytest

from .conftest import own_files

papermill = pytest.importorskip("papermill")


def test_shenzhen_in_english_for_partial_moves_read_as_by(english_runs):
    out = english_runs["01-shenzhen-migration.ipynb"]  # migration="partial", growth_reading="by"
    results = json.loads((out / "shenzhen-migration.json").read_text(encoding="utf-8"))
    assert results["migration"] == "partial" and results["growth_reading"] == "by"
    assert results["destinations"] == {"guangdong": [36.25, 36.35], "prd": [86.5, 87.5],
                                       "jiangsu": [12.5, 13.5]}
    assert results["prd_share_exceeds_guangdong"] == {"whole": True, "partial": True}
    assert results["outmigrants"]["multiple_from_counts"] == [9.3823, 9.3823]
    assert results["outmigrants"]["multiple_printed"] == [10.0, 11.0]
    assert results["outmigrants"]["agrees"] is False
    assert results["outmigrants"]["agrees_by_reading"] == {"to": True, "by": False}
    assert results["outmigrants"]["cagr_percent"]["intervals"] == [75.02, 75.02]
    assert results["whole_moves"]["cagr_percent"]["inclusive"] == [52.55, 52.55]
    assert results["whole_moves_change_2020_2021_percent"] == [-18.95, -18.95]
    assert results["capital_band_share_of_all_percent"]["of_over_10m"] == [71.18, 72.22]
    names = sorted(own_files(out))
    for stem in ("fig1-destinations-partial", "fig2-growth-multiples", "fig3-counts-by-year"):
        assert {f"{stem}.png", f"{stem}.svg", f"{stem}.csv"} <= set(names)
    chart = (out / "fig1-destinations-partial.csv").read_text(encoding="utf-8")
    assert "Pearl River Delta" in chart and "Jiangsu" in chart


def test_chongqing_in_english_over_ten_months(english_runs):
    out = english_runs["02-chongqing-ic.ipynb"]  # months_per_year=10
    results = json.loads((out / "chongqing-ic.json").read_text(encoding="utf-8"))
    assert results["months_per_year"] == 10
    assert results["wafers_per_year"] == [550000, 650000]
    assert results["value_per_wafer_growth_percent"] == [25.73, 26.74]
    assert results["other_graduates"] == [14, 24]
    assert results["high_end_share_percent"] == [18.0, 25.0]
    assert results["returnee_share_percent"] == [4.0, 9.75]  # 二三十 is 20 to 39
    assert results["mean_share_per_key_firm_percent"] == [2.5, 4.25]
    for stem in ("fig1-q1-growth", "fig2-people"):
        for ext in ("png", "svg", "csv"):
            assert (out / f"{stem}.{ext}").stat().st_size > 0
    assert "value per wafer (derived)" in (out / "fig1-q1-growth.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("name, parameters, message", [
    ("01-shenzhen-migration.ipynb", {"migration": "both"},
     "parameter 'migration': 'both' is not allowed; expected one of: 'whole', 'partial'"),
    ("02-chongqing-ic.ipynb", {"months_per_year": float("nan")},  # as `-p months_per_year nan`
     "parameter 'months_per_year': nan is not a finite number; expected a number from 1 to 12"),
])
def test_an_invalid_parameter_fails_in_the_first_cell_naming_it(
        run_notebook, name, parameters, message):
    with pytest.raises(papermill.PapermillExecutionError) as err:
        run_notebook(name, **parameters)
    assert err.value.ename == "DataError"
    assert message in err.value.evalue

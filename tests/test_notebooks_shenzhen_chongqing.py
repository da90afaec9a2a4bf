"""Notebooks 01 (Shenzhen migration) and 02 (Chongqing IC) through papermill, and lib.analysis_a."""

import json

import pytest

from lib import analysis_a as aa
from lib.intervals import Interval, point
from lib.page import ROOT

NB = ROOT / "notebooks"


# --- lib.analysis_a ------------------------------------------------------------------------


def test_factor_from_multiple_reads_to_as_n_and_by_as_n_plus_one():
    assert aa.factor_from_multiple(Interval(9, 10), "to") == Interval(9, 10)
    assert aa.factor_from_multiple(Interval(9, 10), "by") == Interval(10, 11)


def test_factor_from_multiple_rejects_an_unknown_reading():
    with pytest.raises(ValueError, match="'over' is not one of"):
        aa.factor_from_multiple(Interval(9, 10), "over")


def test_year_steps_counts_steps_or_calendar_years():
    assert aa.year_steps(2017, 2021, "difference") == 4
    assert aa.year_steps(2016, 2020, "inclusive") == 5
    with pytest.raises(ValueError, match="must come after"):
        aa.year_steps(2021, 2021, "difference")


def test_growth_check_agrees_only_under_the_to_reading():
    to = aa.growth_check(point(463), point(4344), Interval(9, 10), "to", 4)
    by = aa.growth_check(point(463), point(4344), Interval(9, 10), "by", 4)
    assert to["agrees"] and not by["agrees"]
    assert to["computed"].low == pytest.approx(4344 / 463)
    assert to["cagr_computed"].low == pytest.approx(((4344 / 463) ** 0.25 - 1) * 100)
    assert by["cagr_printed"].low == pytest.approx((10 ** 0.25 - 1) * 100)


def test_shares_need_different_bases_when_the_part_exceeds_the_whole():
    assert aa.shares_need_different_bases(Interval(81.35, 81.45), Interval(74.45, 74.55))
    assert not aa.shares_need_different_bases(Interval(70, 75), Interval(74.45, 74.55))


def test_share_of_share_scales_a_subgroup_share():
    assert aa.share_of_share(point(75), point(95.6)).low == pytest.approx(71.7)


def test_per_unit_growth_divides_the_growth_factors():
    x = aa.per_unit_growth(Interval(40.5, 41.5), Interval(11.65, 11.75))
    assert x.low == pytest.approx((1.405 / 1.1175 - 1) * 100)
    assert x.high == pytest.approx((1.415 / 1.1165 - 1) * 100)


def test_annual_volume_and_remainder():
    assert aa.annual_volume(Interval(55000, 65000), 12) == Interval(660000, 780000)
    assert aa.remainder(Interval(130, 140), point(113), point(3)) == Interval(14, 24)


def test_show_and_rounded_mark_points_and_open_ends():
    assert aa.show(point(9.3823)) == "9.38"
    assert aa.show(Interval(20, None), 0) == "[20, ∞]"
    assert aa.rounded(Interval(1.23456, None), 2) == [1.23, None]


def test_mid_refuses_an_open_interval():
    with pytest.raises(ValueError, match="open end"):
        aa.mid(Interval(20, None))


# --- the notebooks through papermill --------------------------------------------------------

papermill = pytest.importorskip("papermill")


def _run(name, tmp_path, **parameters):
    return papermill.execute_notebook(str(NB / name), str(tmp_path / "run.ipynb"),
                                      parameters=parameters, cwd=str(NB), progress_bar=False,
                                      kernel_name="python3")


def test_shenzhen_in_english_for_partial_moves_read_as_by(tmp_path):
    out = tmp_path / "out"
    _run("01-shenzhen-migration.ipynb", tmp_path, lang="en", output_dir=str(out),
         migration="partial", growth_reading="by")
    results = json.loads((out / "shenzhen-migration.json").read_text(encoding="utf-8"))
    assert results["migration"] == "partial" and results["growth_reading"] == "by"
    assert results["destinations"] == {"guangdong": [36.25, 36.35], "prd": [86.5, 87.5],
                                       "jiangsu": [12.5, 13.5]}
    assert results["prd_share_exceeds_guangdong"] == {"whole": True, "partial": True}
    assert results["outmigrants"]["multiple_from_counts"] == [9.3823, 9.3823]
    assert results["outmigrants"]["multiple_printed"] == [10.0, 11.0]
    assert results["outmigrants"]["agrees"] is False
    assert results["outmigrants"]["agrees_by_reading"] == {"to": True, "by": False}
    assert results["outmigrants"]["cagr_percent"]["difference"] == [75.02, 75.02]
    assert results["whole_moves"]["cagr_percent"]["inclusive"] == [52.55, 52.55]
    assert results["whole_moves_change_2020_2021_percent"] == [-18.95, -18.95]
    assert results["capital_band_share_of_all_percent"]["of_over_10m"] == [71.18, 72.22]
    names = sorted(p.name for p in out.iterdir())
    for stem in ("fig1-destinations-partial", "fig2-growth-multiples", "fig3-counts-by-year"):
        assert {f"{stem}.png", f"{stem}.svg", f"{stem}.csv"} <= set(names)
    chart = (out / "fig1-destinations-partial.csv").read_text(encoding="utf-8")
    assert "Pearl River Delta" in chart and "Jiangsu" in chart


def test_chongqing_in_english_over_ten_months(tmp_path):
    out = tmp_path / "out"
    _run("02-chongqing-ic.ipynb", tmp_path, lang="en", output_dir=str(out), months_per_year=10)
    results = json.loads((out / "chongqing-ic.json").read_text(encoding="utf-8"))
    assert results["months_per_year"] == 10
    assert results["wafers_per_year"] == [550000, 650000]
    assert results["value_per_wafer_growth_percent"] == [25.73, 26.74]
    assert results["other_graduates"] == [14, 24]
    assert results["high_end_share_percent"] == [18.0, 25.0]
    assert results["returnee_share_percent"] == [4.0, 7.5]
    assert results["mean_share_per_key_firm_percent"] == [2.5, 4.25]
    for stem in ("fig1-q1-growth", "fig2-people"):
        for ext in ("png", "svg", "csv"):
            assert (out / f"{stem}.{ext}").stat().st_size > 0
    assert "value per wafer (derived)" in (out / "fig1-q1-growth.csv").read_text(encoding="utf-8")


def test_nothing_is_written_without_output_dir(tmp_path):
    _run("02-chongqing-ic.ipynb", tmp_path, lang="en")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.ipynb"]


@pytest.mark.parametrize("name, parameters, message", [
    ("01-shenzhen-migration.ipynb", {"migration": "both"},
     "parameter 'migration': 'both' is not allowed; expected one of: 'whole', 'partial'"),
    ("01-shenzhen-migration.ipynb", {"growth_reading": "times"},
     "parameter 'growth_reading': 'times' is not allowed; expected one of: 'to', 'by'"),
    ("02-chongqing-ic.ipynb", {"months_per_year": 13},
     "parameter 'months_per_year': 13 is out of range; expected a number from 1 to 12"),
])
def test_an_invalid_parameter_fails_in_the_first_cell_naming_it(tmp_path, name, parameters, message):
    with pytest.raises(papermill.PapermillExecutionError) as err:
        _run(name, tmp_path, **parameters)
    assert err.value.ename == "DataError"
    assert message in err.value.evalue

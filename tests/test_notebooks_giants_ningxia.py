"""Notebooks 03 (little giants) and 04 (Ningxia computing) through papermill, and lib.analysis_b."""

import json
import pytest

from lib import analysis_b as ab
from lib.page import ROOT

NB = ROOT / "notebooks"


# --- lib.analysis_b ------------------------------------------------------------------------


def test_sub_takes_the_widest_difference():
    assert ab.sub((32.915, 32.925), (19.805, 19.815)) == pytest.approx((13.1, 13.12))


def test_div_with_an_open_denominator_falls_to_zero():
    assert ab.div((715000, 725000), (1200000, None)) == pytest.approx((0.0, 725000 / 1200000))


def test_div_rejects_a_denominator_that_reaches_zero():
    with pytest.raises(ValueError, match="b > 0"):
        ab.div((1, 2), (0, 3))


def test_add_keeps_an_open_end_open():
    assert ab.add((1, 2), (3, None)) == (4, None)


def test_percent_of_an_exact_count():
    assert ab.percent((213, 213), (361, 361))[0] == pytest.approx(59.0028, abs=1e-4)


def test_overlaps_is_true_only_for_shared_values():
    assert ab.overlaps((13.1, 13.12), (12.5, 13.5))
    assert not ab.overlaps((1, 2), (2.1, 3))
    assert ab.overlaps((0.746, 0.762), (None, 1))


def test_counts_for_share_gives_the_whole_counts_a_printed_share_allows():
    assert ab.counts_for_share((31.85, 31.95), 361) == [115]
    assert ab.counts_for_share((33.15, 33.25), 361) == [120]


def test_whole_numbers_refuses_an_open_interval():
    with pytest.raises(ValueError, match="open end"):
        ab.whole_numbers((1, None))


def test_compound_factor_of_more_than_20_percent_over_five_years():
    low, high = ab.compound_factor((20, None), 5)
    assert low == pytest.approx(1.2 ** 5) and high is None


def test_show_marks_open_ends():
    assert ab.show((20, None), 0) == "[20, ∞)"
    assert ab.show((None, 1.2), 2) == "(−∞, 1.20]"


def test_backwards_interval_is_an_error():
    with pytest.raises(ValueError, match="runs backwards"):
        ab.add((3, 2))


# --- the notebooks through papermill --------------------------------------------------------

papermill = pytest.importorskip("papermill")


def _run(name, tmp_path, **parameters):
    return papermill.execute_notebook(str(NB / name), str(tmp_path / "run.ipynb"),
                                      parameters=parameters, cwd=str(NB), progress_bar=False,
                                      kernel_name="python3")


def test_little_giants_in_english_for_one_sector_writes_charts_and_results(tmp_path):
    out = tmp_path / "out"
    _run("03-little-giants.ipynb", tmp_path, lang="en", output_dir=str(out), sector="auto")
    results = json.loads((out / "little-giants.json").read_text(encoding="utf-8"))
    assert results["sector"] == "auto"
    assert results["growth_gap_pp"] == [13.1, 13.12] and results["growth_gap_agrees"]
    assert results["share_above_market_pct"] == [59.0, 59.0]
    assert results["firms_10_30"] == [115] and results["firms_5_10"] == [120]
    assert results["auto_firms"] == [28]
    assert results["market_share_pct"] == [0.746, 0.762] and results["market_share_agrees"]
    assert results["a_share_revenue_over_gdp_pct"] == [56.804, 56.813]
    assert results["tiers_nest"] and results["top10_share_floor_pct"] == 18.5
    names = {p.name for p in out.iterdir()}
    assert names == {"little-giants.json"} | {f"{c}.{ext}" for c in (
        "fig1-growth-gap", "fig2-growth-tiers", "fig3-sector-revenue") for ext in ("png", "svg", "csv")}
    sector_csv = (out / "fig3-sector-revenue.csv").read_text(encoding="utf-8").splitlines()
    assert sector_csv[0] == "sector,label,low_yi,high_yi,value_yi"
    assert sector_csv[1:] == ["auto,smart automotive,461.25,461.35,461.3"]


def test_little_giants_rejects_an_unknown_sector(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError) as err:
        _run("03-little-giants.ipynb", tmp_path, sector="textiles")
    assert ("parameter 'sector': 'textiles' is not allowed; expected one of: 'all', 'materials', "
            "'medicine', 'chips', 'auto'") in str(err.value)


def test_ningxia_in_english_highlighting_projects_writes_charts_and_results(tmp_path):
    out = tmp_path / "out"
    _run("04-ningxia-computing.ipynb", tmp_path, lang="en", output_dir=str(out),
         investment="projects")
    results = json.loads((out / "ningxia-computing.json").read_text(encoding="utf-8"))
    assert results["investment"] == "projects"
    assert results["mean_per_agreement_yi"] == [193.57, 193.57]
    assert results["mean_per_project_yi"] == [30.29, 30.29]
    assert results["signed_total_yi"] == [3437.0, 3437.0]
    assert results["racks_share_of_cmcc_pct"] == [0.0, 60.0]
    assert results["growth_five_years_times"] == [2.488, None]
    assert results["ranks_national"] == [4, 9, 3]
    names = {p.name for p in out.iterdir()}
    assert names == {"ningxia-computing.json"} | {f"{c}.{ext}" for c in (
        "fig1-mean-investment", "fig2-growth-floor") for ext in ("png", "svg", "csv")}
    assert "major projects" in (out / "fig1-mean-investment.csv").read_text(encoding="utf-8")


def test_ningxia_rejects_an_unknown_investment_choice(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError) as err:
        _run("04-ningxia-computing.ipynb", tmp_path, investment="loans")
    assert ("parameter 'investment': 'loans' is not allowed; expected one of: 'agreements', "
            "'projects'") in str(err.value)

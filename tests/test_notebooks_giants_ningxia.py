"""Notebooks 03 (little giants) and 04 (Ningxia computing) through papermill."""

import json

import pytest

from .conftest import own_files

papermill = pytest.importorskip("papermill")


def test_little_giants_in_english_for_one_sector_writes_charts_and_results(english_runs):
    out = english_runs["03-little-giants.ipynb"]  # sector="auto"
    results = json.loads((out / "little-giants.json").read_text(encoding="utf-8"))
    assert results["sector"] == "auto"
    assert results["growth_gap_pp"] == [13.1, 13.12] and results["growth_gap_agrees"]
    assert results["share_above_market_pct"] == [59.0, 59.0]
    assert results["firms_10_30"] == [115] and results["firms_5_10"] == [120]
    assert results["auto_firms"] == [28]
    assert results["market_share_pct"] == [0.746, 0.762] and results["market_share_agrees"]
    assert results["a_share_revenue_over_gdp_pct"] == [56.804, 56.813]
    assert results["tiers_nest"] and results["top10_share_floor_pct"] == 18.5
    assert len(results["claims"]) == 20
    assert results["claims"]["lg-mean-revenue"]["verdict"] == "consistent"
    assert results["claims"]["lg-high-end-lowest"]["verdict"] == "unverifiable"
    assert results["claims"]["lg-band-10-30-count"]["computed"] == [115.0, 115.0]
    assert results["title"] == '"Little giants" grow revenue faster than the A-share market'
    assert 3 <= len(results["findings"]) <= 5
    assert results["findings"][0].startswith("The headline holds: the little giants' mean growth")
    names = own_files(out)
    assert names == {"little-giants.json"} | {f"{c}.{ext}" for c in (
        "fig1-growth-gap", "fig2-growth-tiers", "fig3-sector-revenue") for ext in ("png", "svg", "csv")}
    sector_csv = (out / "fig3-sector-revenue.csv").read_text(encoding="utf-8").splitlines()
    assert sector_csv[0] == "sector,label,low_yi,high_yi,value_yi"
    assert sector_csv[1:] == ["auto,smart automotive,461.25,461.35,461.3"]


def test_little_giants_rejects_an_unknown_sector(run_notebook):
    with pytest.raises(papermill.PapermillExecutionError) as err:
        run_notebook("03-little-giants.ipynb", sector="textiles")
    assert ("parameter 'sector': 'textiles' is not allowed; expected one of: 'all', 'materials', "
            "'medicine', 'chips', 'auto'") in str(err.value)


def test_ningxia_in_english_highlighting_projects_writes_charts_and_results(english_runs):
    out = english_runs["04-ningxia-computing.ipynb"]  # investment="projects"
    results = json.loads((out / "ningxia-computing.json").read_text(encoding="utf-8"))
    assert results["investment"] == "projects"
    assert results["mean_per_agreement_yi"] == [193.57, 193.57]
    assert results["mean_per_project_yi"] == [30.29, 30.29]
    assert results["signed_total_yi"] == [3437.0, 3437.0]
    assert results["racks_share_of_cmcc_pct"] == [0.0, 60.0]
    assert results["growth_five_years_times"] == [2.488, None]
    assert results["ranks_national"] == [4, 9, 3]
    names = own_files(out)
    assert names == {"ningxia-computing.json"} | {f"{c}.{ext}" for c in (
        "fig1-mean-investment", "fig2-growth-floor") for ext in ("png", "svg", "csv")}
    assert "major projects" in (out / "fig1-mean-investment.csv").read_text(encoding="utf-8")


def test_ningxia_rejects_an_unknown_investment_choice(run_notebook):
    with pytest.raises(papermill.PapermillExecutionError) as err:
        run_notebook("04-ningxia-computing.ipynb", investment="loans")
    assert ("parameter 'investment': 'loans' is not allowed; expected one of: 'agreements', "
            "'projects'") in str(err.value)

"""Notebooks 05 (maths competition) and 06 (briefs) through papermill."""

import json

import pytest

from .conftest import own_files

papermill = pytest.importorskip("papermill")


def test_math_competition_in_english_at_another_rate_writes_charts_and_results(
        english_runs):
    out = english_runs["05-math-competition.ipynb"]  # usd_cny=7.0
    results = json.loads((out / "math-competition.json").read_text(encoding="utf-8"))
    assert results["usd_cny"] == 7.0 and "usd_cny_reference" not in results
    assert results["prize_yuan"] == {"gold": 280000.0, "silver": 140000.0, "bronze": 70000.0,
                                     "honourable": 35000.0}
    assert results["winners_per_10k_entrants"] == [13.75, 14.0]
    assert results["pool_usd"] == [571429.0, 714286.0]
    # 5000 × (73 + 3·silver + bronze) within the pool: 3·silver + bronze from 10 to 37
    assert results["tier_ranges"]["silver"] == [0, 12]
    assert results["tier_ranges"]["honourable"] == [36, 69]
    assert results["entrants_share_of_all_editions_pct"] == [27.5, 31.11]
    assert results["post00_winners"] == [35, 42]
    assert results["claims"]["mc-post00-half"] == {"computed": [35.0, 42.0], "stated": [0.0, None],
                                                   "verdict": "consistent", "reading": ""}
    assert results["claims"]["mc-prize-pool"]["verdict"] == "unverifiable"
    assert len(results["claims"]) == 7
    assert results["title"].startswith('A "new generation of mathematicians" sweeps')
    assert 3 <= len(results["findings"]) <= 5
    assert "At the reader's 7.0 yuan per dollar" in results["findings"][2]
    names = own_files(out)
    assert names == {"math-competition.json"} | {
        f"{stem}.{ext}" for stem in ("fig1-prize-per-winner", "fig2-winners-per-tier",
                                     "fig3-participants-per-edition")
        for ext in ("png", "svg", "csv")}
    assert "silver" in (out / "fig2-winners-per-tier.csv").read_text(encoding="utf-8")


def test_briefs_in_english_with_the_gaps_reading_writes_charts_and_results(english_runs):
    out = english_runs["06-briefs.ipynb"]  # span_reading="gaps"
    results = json.loads((out / "briefs.json").read_text(encoding="utf-8"))
    assert results["span_reading"] == "gaps"
    assert results["span_m"] == [371.08, 371.09]
    assert results["span_m_by_reading"]["towers"] == [368.29, 368.3]
    assert results["sea_crossing_share_pct"] == [8.95, 8.97]
    assert results["figures_per_item"] == {"highway-alliance": 0, "digital-sports": 1,
                                           "caption-transmission-line": 4, "caption-diankou": 5}
    assert results["diankou_research_bodies"] == 21
    assert own_files(out) == {"briefs.json"} | {
        f"{stem}.{ext}" for stem in ("fig1-transmission-line", "fig2-diankou")
        for ext in ("png", "svg", "csv")}
    csv = (out / "fig2-diankou.csv").read_text(encoding="utf-8")
    assert "technology-based SMEs,339" in csv


def test_math_competition_rejects_a_rate_out_of_range(run_notebook):
    with pytest.raises(papermill.PapermillExecutionError) as err:
        run_notebook("05-math-competition.ipynb", usd_cny=12)
    assert "parameter 'usd_cny': 12 is out of range; expected a number from 5 to 9" in str(err.value)


def test_briefs_rejects_an_unknown_span_reading(run_notebook):
    with pytest.raises(papermill.PapermillExecutionError) as err:
        run_notebook("06-briefs.ipynb", span_reading="poles")
    assert ("parameter 'span_reading': 'poles' is not allowed; expected one of: 'towers', 'gaps'"
            in str(err.value))

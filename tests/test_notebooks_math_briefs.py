"""lib/analysis_c.py, and notebooks 05 (maths competition) and 06 (briefs) run through papermill."""

import json

import pytest

from lib import analysis_c as ac
from lib.page import ROOT

NB = ROOT / "notebooks"
PRIZES = {"gold": 40000, "silver": 20000, "bronze": 10000, "honourable": 5000}


# --- lib/analysis_c.py ---------------------------------------------------------------------


def test_arithmetic_takes_the_widest_ends():
    assert ac.add((1, 2), (10, 20)) == (11, 22)
    assert ac.sub((10, 20), (1, 2)) == (8, 19)
    assert ac.mul((-1, 2), (3, 4)) == (-4, 8)
    assert ac.div((77, 77), (55000, 56000)) == pytest.approx((77 / 56000, 77 / 55000))


def test_div_refuses_a_divisor_that_contains_zero():
    with pytest.raises(ValueError, match="contains zero"):
        ac.div((1, 2), (-1, 1))


def test_open_or_backwards_intervals_are_refused():
    with pytest.raises(ValueError, match="open end"):
        ac.add((1, None), (1, 2))
    with pytest.raises(ValueError, match="runs backwards"):
        ac.add((2, 1), (1, 2))


def test_share_and_rate_per():
    assert ac.share((55000, 56000), (180000, 200000)) == pytest.approx((27.5, 56000 / 1800))
    assert ac.rate_per((77, 77), (55000, 56000)) == pytest.approx((13.75, 14.0))


def test_whole_numbers_and_round_interval():
    assert ac.whole_numbers((38.5, 38.5)) == []
    assert ac.whole_numbers((37.2, 39.9)) == [38, 39]
    assert ac.round_interval((1.23456, 2.34567), 2) == [1.23, 2.35]


def test_prize_tier_counts_keeps_only_splits_within_the_pool():
    splits = ac.prize_tier_counts((4_000_000, 5_000_000), 6.7261, 77, 4, PRIZES)
    assert len(splits) == 305
    assert (splits["gold"] == 4).all()
    assert (splits[["gold", "silver", "bronze", "honourable"]].sum(axis=1) == 77).all()
    assert splits["total_yuan"].between(4_000_000, 5_000_000).all()
    ranges = ac.tier_ranges(splits, list(PRIZES)).set_index("tier")
    assert ranges.loc["silver"].tolist() == [0, 14]
    assert ranges.loc["bronze"].tolist() == [0, 43]
    assert ranges.loc["honourable"].tolist() == [30, 68]


def test_prize_tier_counts_is_empty_when_the_pool_is_out_of_reach():
    assert ac.prize_tier_counts((100, 200), 6.7261, 77, 4, PRIZES).empty


def test_span_length_by_towers_or_gaps():
    assert ac.span_length_m((48.983, 48.983), 133, "towers") == pytest.approx((368.29, 368.29),
                                                                            abs=0.01)
    assert ac.span_length_m((48.983, 48.983), 133, "gaps") == pytest.approx((371.08, 371.08),
                                                                          abs=0.01)
    with pytest.raises(ValueError, match="expected one of"):
        ac.span_length_m((1, 1), 2, "poles")


# --- the notebooks through papermill ---------------------------------------------------------

papermill = pytest.importorskip("papermill")


def run(name, tmp_path, **parameters):
    papermill.execute_notebook(str(NB / name), str(tmp_path / f"run-{name}"), parameters=parameters,
                               cwd=str(NB), progress_bar=False, kernel_name="python3")


def test_math_competition_in_english_at_another_rate_writes_charts_and_results(tmp_path):
    out = tmp_path / "out"
    run("05-math-competition.ipynb", tmp_path, lang="en", output_dir=str(out), usd_cny=7.0)
    results = json.loads((out / "math-competition.json").read_text(encoding="utf-8"))
    assert results["usd_cny"] == 7.0 and results["usd_cny_reference"] == 6.7261
    assert results["prize_yuan"] == {"gold": 280000.0, "silver": 140000.0, "bronze": 70000.0,
                                     "honourable": 35000.0}
    assert results["winners_per_10k_entrants"] == [13.75, 14.0]
    assert results["pool_usd"] == [571429.0, 714286.0]
    # 5000 × (73 + 3·silver + bronze) within the pool: 3·silver + bronze from 10 to 37
    assert results["tier_ranges"]["silver"] == [0, 12]
    assert results["tier_ranges"]["honourable"] == [36, 69]
    assert results["entrants_share_of_all_editions_pct"] == [27.5, 31.11]
    assert results["half_of_winners"] == 38.5
    names = {p.name for p in out.iterdir()}
    assert names == {"math-competition.json"} | {
        f"{stem}.{ext}" for stem in ("fig1-prize-per-winner", "fig2-winners-per-tier",
                                     "fig3-participants-per-edition")
        for ext in ("png", "svg", "csv")}
    assert "silver" in (out / "fig2-winners-per-tier.csv").read_text(encoding="utf-8")


def test_briefs_in_english_with_the_gaps_reading_writes_charts_and_results(tmp_path):
    out = tmp_path / "out"
    run("06-briefs.ipynb", tmp_path, lang="en", output_dir=str(out), span_reading="gaps")
    results = json.loads((out / "briefs.json").read_text(encoding="utf-8"))
    assert results["span_reading"] == "gaps"
    assert results["span_m"] == [371.08, 371.09]
    assert results["span_m_by_reading"]["towers"] == [368.29, 368.3]
    assert results["sea_crossing_share_pct"] == [8.95, 8.97]
    assert results["figures_per_item"] == {"highway-alliance": 0, "digital-sports": 1,
                                           "caption-transmission-line": 4, "caption-diankou": 5}
    assert results["diankou_research_bodies"] == 21
    assert {p.name for p in out.iterdir()} == {"briefs.json"} | {
        f"{stem}.{ext}" for stem in ("fig1-transmission-line", "fig2-diankou")
        for ext in ("png", "svg", "csv")}
    csv = (out / "fig2-diankou.csv").read_text(encoding="utf-8")
    assert "technology-based SMEs,339" in csv


def test_math_competition_rejects_a_rate_out_of_range(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError) as err:
        run("05-math-competition.ipynb", tmp_path, usd_cny=12)
    assert "parameter 'usd_cny': 12 is out of range; expected a number from 5 to 9" in str(err.value)


def test_briefs_rejects_an_unknown_span_reading(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError) as err:
        run("06-briefs.ipynb", tmp_path, span_reading="poles")
    assert ("parameter 'span_reading': 'poles' is not allowed; expected one of: 'towers', 'gaps'"
            in str(err.value))

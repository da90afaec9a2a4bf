"""Every notebook as users run it: one build of the collection through the batch runner (the
real manifest's Chinese overview and an English variant of each notebook with another analysis
choice), then what each run wrote, and the build's pages in a real browser.

The build is made once for this file. Under pytest-xdist's ``--dist loadfile`` (pyproject.toml)
one worker runs the whole file, so the collection is built once per test session; keep every
test that reads the build in this file."""

import base64
import csv
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from lib.paths import ROOT
from lib.runner import build as runner_build
from lib.runner import manifest as runner_manifest
from lib.runner import pages as runner_pages

NB = ROOT / "notebooks"
PLANTED = ROOT / "tests" / "fixtures" / "audit" / "planted-failures.txt"
CHART = "fig1-stated-vs-computed"

# One English variant of every notebook, each with another analysis choice than the default;
# the overview's is the real manifest's own English run.
ENGLISH_VARIANTS = {
    "00-overview.ipynb": {"lang": "en"},
    "01-shenzhen-migration.ipynb": {"lang": "en", "migration": "partial", "growth_reading": "by"},
    "02-chongqing-ic.ipynb": {"lang": "en", "months_per_year": 10},
    "03-little-giants.ipynb": {"lang": "en", "sector": "auto"},
    "04-ningxia-computing.ipynb": {"lang": "en", "investment": "projects"},
    "05-math-competition.ipynb": {"lang": "en", "usd_cny": 7.0},
    "06-briefs.ipynb": {"lang": "en", "span_reading": "gaps"},
    "07-claims-audit.ipynb": {"lang": "en", "article": "little-giants"},
    "08-audit-page.ipynb": {"lang": "en", "page": str(PLANTED)},
}


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    """The build folder: the runs above, the overview's taken from the real manifest, through
    the batch runner (papermill's API, a worker per core, kernels forked from each worker's
    server)."""
    runs = runner_manifest.select_runs(runner_manifest.read_manifest(), "00-overview", "en")
    assert [r.parameters for r in runs] == [ENGLISH_VARIANTS["00-overview.ipynb"]]
    runs += [
        runner_manifest.Run(f"{Path(name).stem}--en-test", NB / name, "en-test", params)
        for name, params in ENGLISH_VARIANTS.items()
        if name != "00-overview.ipynb"
    ]
    folder = tmp_path_factory.mktemp("collection") / "build"
    results = runner_build.run_batch(runs, folder, workers=os.cpu_count() or 1, progress=False)
    assert [f"{r.id}: In [{r.cell}] {r.error}" for r in results if r.status != "ok"] == []
    return folder


@pytest.fixture(scope="module")
def english(build):
    """Notebook file -> the folder of its English variant's run (what the notebook wrote, its
    executed notebook and HTML)."""
    return {
        name: build / f"{Path(name).stem}--{'en' if name.startswith('00') else 'en-test'}"
        for name in ENGLISH_VARIANTS
    }


def own_files(folder):
    """The names of the files a notebook wrote into its run's folder (not the runner's
    executed notebook and its HTML)."""
    return {p.name for p in Path(folder).iterdir() if p.suffix not in (".ipynb", ".html")}


def links_of(html_path):
    text = html_path.read_text(encoding="utf-8")
    return re.findall(r'(?:href|src)="([^"#:]+)"', text)


def test_00_overview_in_english_writes_chart_files_and_results(english):
    out = english["00-overview.ipynb"]
    results = json.loads((out / "overview.json").read_text(encoding="utf-8"))
    assert results["items"] == 10 and results["figures"] >= 140
    assert results["exact"] + results["bounded"] == results["figures"]
    assert own_files(out) == {
        "overview.json",
        "fig1-figures-per-item.png",
        "fig1-figures-per-item.svg",
        "fig1-figures-per-item.csv",
    }
    assert "title_en" in (out / "fig1-figures-per-item.csv").read_text(encoding="utf-8")
    # the notebook shows the PNG it saved, once, at the width the inline backend would use
    nb = json.loads((out / "00-overview.ipynb").read_text(encoding="utf-8"))
    shown = [
        o
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
        if "image/png" in o.get("data", {})
    ]
    assert len(shown) == 1
    png = (out / "fig1-figures-per-item.png").read_bytes()
    assert base64.b64decode(shown[0]["data"]["image/png"]) == png
    assert shown[0]["metadata"]["image/png"]["width"] == 800  # 8 in at figure.dpi 100


def test_01_shenzhen_in_english_for_partial_moves_read_as_by(english):
    out = english["01-shenzhen-migration.ipynb"]  # migration="partial", growth_reading="by"
    results = json.loads((out / "shenzhen-migration.json").read_text(encoding="utf-8"))
    assert results["migration"] == "partial" and results["growth_reading"] == "by"
    assert results["destinations"] == {
        "guangdong": [36.25, 36.35],
        "prd": [86.5, 87.5],
        "jiangsu": [12.5, 13.5],
    }
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


def test_02_chongqing_in_english_over_ten_months(english):
    out = english["02-chongqing-ic.ipynb"]  # months_per_year=10
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


def test_03_little_giants_in_english_for_one_sector(english):
    out = english["03-little-giants.ipynb"]  # sector="auto"
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
    assert names == {"little-giants.json"} | {
        f"{c}.{ext}"
        for c in ("fig1-growth-gap", "fig2-growth-tiers", "fig3-sector-revenue")
        for ext in ("png", "svg", "csv")
    }
    sector_csv = (out / "fig3-sector-revenue.csv").read_text(encoding="utf-8").splitlines()
    assert sector_csv[0] == "sector,label,low_yi,high_yi,value_yi"
    assert sector_csv[1:] == ["auto,smart automotive,461.25,461.35,461.3"]


def test_04_ningxia_in_english_highlighting_projects(english):
    out = english["04-ningxia-computing.ipynb"]  # investment="projects"
    results = json.loads((out / "ningxia-computing.json").read_text(encoding="utf-8"))
    assert results["investment"] == "projects"
    assert results["mean_per_agreement_yi"] == [193.57, 193.57]
    assert results["mean_per_project_yi"] == [30.29, 30.29]
    assert results["signed_total_yi"] == [3437.0, 3437.0]
    assert results["racks_share_of_cmcc_pct"] == [0.0, 60.0]
    assert results["growth_five_years_times"] == [2.488, None]
    assert results["ranks_national"] == [4, 9, 3]
    names = own_files(out)
    assert names == {"ningxia-computing.json"} | {
        f"{c}.{ext}"
        for c in ("fig1-mean-investment", "fig2-growth-floor")
        for ext in ("png", "svg", "csv")
    }
    assert "major projects" in (out / "fig1-mean-investment.csv").read_text(encoding="utf-8")


def test_05_math_competition_in_english_at_another_rate(english):
    out = english["05-math-competition.ipynb"]  # usd_cny=7.0
    results = json.loads((out / "math-competition.json").read_text(encoding="utf-8"))
    assert results["usd_cny"] == 7.0 and "usd_cny_reference" not in results
    assert results["prize_yuan"] == {
        "gold": 280000.0,
        "silver": 140000.0,
        "bronze": 70000.0,
        "honourable": 35000.0,
    }
    assert results["winners_per_10k_entrants"] == [13.75, 14.0]
    assert results["pool_usd"] == [571429.0, 714286.0]
    # 5000 × (73 + 3·silver + bronze) within the pool: 3·silver + bronze from 10 to 37
    assert results["tier_ranges"]["silver"] == [0, 12]
    assert results["tier_ranges"]["honourable"] == [36, 69]
    assert results["entrants_share_of_all_editions_pct"] == [27.5, 31.11]
    assert results["post00_winners"] == [35, 42]
    assert results["claims"]["mc-post00-half"] == {
        "computed": [35.0, 42.0],
        "stated": [0.0, None],
        "verdict": "consistent",
        "reading": "",
    }
    assert results["claims"]["mc-prize-pool"]["verdict"] == "unverifiable"
    assert len(results["claims"]) == 7
    assert results["title"].startswith('A "new generation of mathematicians" sweeps')
    assert 3 <= len(results["findings"]) <= 5
    assert "At the reader's 7.0 yuan per dollar" in results["findings"][2]
    names = own_files(out)
    assert names == {"math-competition.json"} | {
        f"{stem}.{ext}"
        for stem in (
            "fig1-prize-per-winner",
            "fig2-winners-per-tier",
            "fig3-participants-per-edition",
        )
        for ext in ("png", "svg", "csv")
    }
    assert "silver" in (out / "fig2-winners-per-tier.csv").read_text(encoding="utf-8")


def test_06_briefs_in_english_with_the_gaps_reading(english):
    out = english["06-briefs.ipynb"]  # span_reading="gaps"
    results = json.loads((out / "briefs.json").read_text(encoding="utf-8"))
    assert results["span_reading"] == "gaps"
    assert results["span_m"] == [371.08, 371.09]
    assert results["span_m_by_reading"]["towers"] == [368.29, 368.3]
    assert results["sea_crossing_share_pct"] == [8.95, 8.97]
    assert results["figures_per_item"] == {
        "highway-alliance": 0,
        "digital-sports": 1,
        "caption-transmission-line": 4,
        "caption-diankou": 5,
    }
    assert results["diankou_research_bodies"] == 21
    assert own_files(out) == {"briefs.json"} | {
        f"{stem}.{ext}"
        for stem in ("fig1-transmission-line", "fig2-diankou")
        for ext in ("png", "svg", "csv")
    }
    csv = (out / "fig2-diankou.csv").read_text(encoding="utf-8")
    assert "technology-based SMEs,339" in csv


def test_07_claims_audit_in_english_for_little_giants(english):
    out = english["07-claims-audit.ipynb"]  # article="little-giants"
    results = json.loads((out / "claims-audit.json").read_text(encoding="utf-8"))
    assert results["article"] == "little-giants"
    assert results["claims"] == 26 and results["claim_readings"] == 26
    assert results["verdicts"] == {
        "consistent": 20,
        "inconsistent": 0,
        "ambiguous": 0,
        "unverifiable": 6,
    }
    assert results["inconsistent"] == [] and results["ambiguous"] == []
    assert results["unverifiable"] == [
        "lg-auto-mean-above-medicine-chips",
        "lg-high-end-lowest",
        "lg-market-figures-source",
        "lg-market-growth-kind",
        "lg-materials-mean-highest",
        "lg-max-revenue-source",
    ]
    assert results["contradictions"] == []
    assert results["articles_with_findings"] == []
    names = {"claims-audit.json", "claims-verdicts.csv"} | {
        f"{CHART}.{ext}" for ext in ("png", "svg", "csv")
    }
    assert own_files(out) == names
    assert results["files"] == sorted(names)
    with open(out / "claims-verdicts.csv", encoding="utf-8", newline="") as f:
        verdicts = list(csv.DictReader(f))
    assert list(verdicts[0]) == [
        "article",
        "claim",
        "kind",
        "statement_zh",
        "statement_en",
        "computed",
        "stated",
        "verdict",
        "strength",
        "room",
        "natural",
        "other_readings",
        "note",
    ]
    assert len(verdicts) == 26 and {r["article"] for r in verdicts} == {"little-giants"}
    mean = next(r for r in verdicts if r["claim"] == "lg-mean-revenue")
    assert (mean["computed"], mean["stated"], mean["verdict"], mean["strength"]) == (
        "13.43亿 to 13.71亿 yuan",
        "13.55亿 to 13.65亿 yuan",
        "consistent",
        "partial",
    )
    chart = (out / f"{CHART}.csv").read_text(encoding="utf-8").splitlines()
    assert len(chart) == 1 + 23  # the 3 statements only an outside source settles are not drawn


def test_08_audit_page_in_english_on_a_planted_page_writes_drafts_and_results(english):
    out = english["08-audit-page.ipynb"]  # page=tests/fixtures/audit/planted-failures.txt
    results = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    assert results["page"] == "planted-failures.txt"
    assert results["verdicts"]["inconsistent"] == 5 and len(results["inconsistent"]) == 5
    assert results["findings"][0].startswith("planted-failures.txt prints")
    assert {
        "figures-draft.csv",
        "claims-draft.csv",
        "verdicts.csv",
        "audit.json",
        "fig1-verdicts-by-check.png",
    } <= own_files(out)


# The build's pages: the index, the font, a browser.


def test_the_real_manifests_overview_runs_and_every_link_of_the_index_resolves(build):
    runs = {r["id"]: r for r in json.loads((build / "runs.json").read_text(encoding="utf-8"))}
    assert runs["00-overview--en"]["status"] == "ok" and len(runs) == len(ENGLISH_VARIANTS)
    assert runs["00-overview--en"]["title"] == "业界传真 · The page at a glance"
    out = build / "00-overview--en"
    assert json.loads((out / "overview.json").read_text(encoding="utf-8"))["items"] == 10
    index = build / "index.html"
    assert [u for u in links_of(index) if not (index.parent / u).exists()] == []


def test_the_build_font_holds_every_character_of_its_pages_and_little_else(build):
    from fontTools.ttLib import TTFont

    font = TTFont(str(build / runner_pages.FONT_FILE))
    cmap = set(font.getBestCmap())
    used = {ord(c) for c in runner_pages.page_characters(build)}
    source = TTFont(str(__import__("lib.charts").charts.font_path()), lazy=True)
    assert used & set(source.getBestCmap()) <= cmap
    assert cmap <= used
    assert "CJK" not in "" and any(0x4E00 <= c <= 0x9FFF for c in cmap)
    assert (build / runner_pages.FONT_FILE).stat().st_size < 1_000_000


# Draws each CJK character of the page's text in the font the page gives its element, and
# compares it with what an unassigned code point (U+0378) draws in that font: the missing-glyph
# box. Returns how many characters were checked and those drawn as the box.
GLYPH_CHECK = """async () => {
  await document.fonts.ready;
  try { await document.fonts.load('40px "FONT_FAMILY"', '业'); } catch (e) { /* below */ }
  const cjk = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/u;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const todo = new Map();
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!el || ['SCRIPT', 'STYLE'].includes(el.tagName)) continue;
    const st = getComputedStyle(el);
    const font = `${st.fontStyle} ${st.fontWeight} 40px ${st.fontFamily}`;
    for (const ch of walker.currentNode.data)
      if (cjk.test(ch)) todo.set(ch + '|' + font, [ch, font]);
  }
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 64;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const draw = (ch, font) => {
    ctx.clearRect(0, 0, 64, 64); ctx.font = font; ctx.textBaseline = 'top';
    ctx.fillText(ch, 8, 8); return ctx.getImageData(0, 0, 64, 64).data;
  };
  const boxes = new Map(), missing = new Set();
  for (const [ch, font] of todo.values()) {
    if (!boxes.has(font)) boxes.set(font, draw('\u0378', font));
    const box = boxes.get(font), got = draw(ch, font);
    if (got.every((v, k) => v === box[k])) missing.add(ch);
  }
  const faces = [...document.fonts].map(f => `${f.family}: ${f.status}`);
  return {checked: todo.size, missing: [...missing].join(''), faces};
}""".replace("FONT_FAMILY", runner_pages.FONT_FAMILY)


CHROMIUM = shutil.which("chromium")


@pytest.mark.skipif(
    not CHROMIUM and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (.ci/run installs it)",
)
def test_index_and_a_run_page_read_in_a_real_browser_without_a_missing_glyph(build):
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "chromium must be installed for this check (apt-get install chromium)"
    pages = [build / "index.html", build / "00-overview--en" / "00-overview.html"]
    problems, glyphs = [], {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page()
        page.on(
            "console",
            lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
        )
        page.on(
            "requestfailed",
            lambda r: (
                problems.append(f"failed request: {r.url}") if r.url.startswith("file:") else None
            ),
        )
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        for path in pages:
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            broken = page.eval_on_selector_all(
                "img",
                "els => els.filter(e => !e.complete || e.naturalWidth === 0)"
                ".map(e => e.getAttribute('src'))",
            )
            problems += [f"{path.name}: broken image {src}" for src in broken]
            hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
            for href in hrefs:
                if href.startswith("file:"):
                    target = Path(href.split("#")[0][len("file://") :])
                    if not target.exists():
                        problems.append(f"{path.name}: broken link {href}")
            glyphs[path.name] = page.evaluate(GLYPH_CHECK)
        images = page.goto(pages[0].as_uri()) and page.eval_on_selector_all("img", "e => e.length")
        browser.close()
    assert problems == []
    assert images >= 1
    for name, found in glyphs.items():
        assert found["faces"] == [f"{runner_pages.FONT_FAMILY}: loaded"], name
        assert found["checked"] >= 4, name  # the index's 业界传真 at least
        assert found["missing"] == "", f"{name}: drawn as the missing-glyph box: {found['missing']}"

import subprocess
import sys

from lib.page import ROOT


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def test_importing_lib_prints_nothing():
    r = run("-c", "import lib, lib.page, lib.quantities, lib.figures, lib.charts, lib.notebook")
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")


def test_validate_reports_every_table():
    r = run("-m", "lib", "validate")
    assert r.returncode == 0, r.stderr
    assert "data/figures.csv:" in r.stdout and "rows valid" in r.stdout


def test_figure_shows_value_and_sentence():
    r = run("-m", "lib", "figure", "sz-outmigrants-2017")
    assert r.returncode == 0, r.stderr
    assert "463" in r.stdout and "2017年深圳市迁出制造业企业463家" in r.stdout


def test_data_error_prints_one_line_without_traceback():
    r = run("-m", "lib", "figure", "no-such-figure")
    assert r.returncode == 2
    assert r.stderr.startswith("error: no figure with id 'no-such-figure'")
    assert "Traceback" not in r.stderr


def test_fill_intervals_names_the_broken_file(tmp_path):
    bad = tmp_path / "figures.csv"
    bad.write_text("article,id\n", encoding="utf-8")
    r = run("-m", "lib", "fill-intervals", str(bad))
    assert r.returncode == 2
    assert "figures.csv:1: header lacks subject_zh" in r.stderr
    assert "Traceback" not in r.stderr


def test_help_lists_the_subcommands():
    r = run("-m", "lib", "--help")
    for sub in ("validate", "figure", "fill-intervals", "run", "store-notebooks"):
        assert sub in r.stdout


def test_claims_lists_every_claim_once_with_its_headline_verdict():
    from lib import claims

    done = subprocess.run([sys.executable, "-m", "lib", "claims"], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    lines = done.stdout.splitlines()[:-1]
    assert len(lines) == len(claims.load_claims())
    assert sum(line.startswith("ambiguous") for line in lines) == 3

"""The README's map matches the tree: every notebook and data file is named, every named file exists."""

import re

from lib.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DATA_README = (ROOT / "data" / "README.md").read_text(encoding="utf-8")


def test_every_notebook_and_data_file_is_named_in_the_readme():
    files = sorted(p.relative_to(ROOT).as_posix() for p in
                   list((ROOT / "notebooks").glob("*.ipynb")) + list((ROOT / "data").glob("*.csv")))
    assert files
    missing = [f for f in files if f.split("/")[-1] not in README]
    assert missing == []


def test_every_library_module_is_in_the_readme_layout():
    modules = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "lib").glob("*.py")
                     if p.name != "__init__.py")
    assert len(modules) >= 10
    assert [m for m in modules if f"`{m}`" not in README] == []


def test_every_file_the_readme_names_exists():
    named = set(re.findall(r"`((?:notebooks|data|lib|tests|seeds|benchmarks)/[\w./-]+)`", README))
    assert named
    absent = sorted(n for n in named if not (ROOT / n).exists())
    assert absent == []


def test_every_data_column_is_in_the_codebook():
    from lib import claims, figures
    for cols in (figures.FIGURE_COLUMNS, figures.ARTICLE_COLUMNS, figures.EXCLUSION_COLUMNS,
                 figures.REFERENCE_COLUMNS, claims.CLAIM_COLUMNS):
        undocumented = [c for c in cols if f"`{c}`" not in DATA_README]
        assert undocumented == []


def test_readme_commands_are_the_ci_commands():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_cmd = re.search(r"```sh\n(.*?python -m pytest.*?)\n```", README, re.S)
    assert test_cmd, "README has no test command block"
    assert "python -m pytest" in ci

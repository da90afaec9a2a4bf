"""The README's map matches the tree and CI runs the README's test command."""

import re

from lib.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DATA_README = (ROOT / "data" / "README.md").read_text(encoding="utf-8")


def test_every_notebook_and_data_file_is_named_in_the_readme():
    files = sorted(
        p.relative_to(ROOT).as_posix()
        for p in list((ROOT / "notebooks").glob("*.ipynb")) + list((ROOT / "data").glob("*.csv"))
    )
    assert files
    missing = [f for f in files if f.split("/")[-1] not in README]
    assert missing == []


def test_every_library_module_is_in_the_readme_layout():
    modules = sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "lib").glob("*.py")
        if p.name != "__init__.py"
    )
    assert len(modules) >= 10
    assert [m for m in modules if f"`{m}`" not in README] == []


def test_every_file_the_readme_names_exists():
    named = set(re.findall(r"`((?:notebooks|data|lib|tests|seeds|benchmarks)/[\w./-]+)`", README))
    assert named
    absent = sorted(n for n in named if not (ROOT / n).exists())
    assert absent == []


def test_every_data_column_is_in_the_codebook():
    from lib import claims, figures

    for cols in (
        figures.FIGURE_COLUMNS,
        figures.ARTICLE_COLUMNS,
        figures.EXCLUSION_COLUMNS,
        figures.REFERENCE_COLUMNS,
        claims.CLAIM_COLUMNS,
    ):
        undocumented = [c for c in cols if f"`{c}`" not in DATA_README]
        assert undocumented == []


def test_ci_runs_the_readme_test_command_step_by_step():
    """.ci/run runs each step of the README's test command, in order (pip quietly)."""
    block = re.search(r"```sh\n# set up, then run the tests[^\n]*\n(.+?)\n```", README, re.S)
    assert block, "README has no test command block"
    steps = [" ".join(step.split()) for step in block.group(1).split(" && ")]
    assert steps[-1] == ".venv/bin/python -m pytest" and len(steps) >= 3
    quiet = {"--quiet", "--disable-pip-version-check"}
    ci = [
        " ".join(w for w in line.split() if w not in quiet)
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    found = iter(ci)
    assert [step for step in steps if step not in found] == []  # in CI, in this order


def _lib_imports(path):
    """The lib modules a module imports, relative imports resolved, at any depth of the code."""
    import ast

    package = ".".join(path.relative_to(ROOT).parent.parts)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            if node.module:
                found.add(".".join([*base, node.module]))
            else:
                found |= {".".join([*base, a.name]) for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("lib."):
            found.add(node.module)
    return found


def test_each_module_imports_only_modules_listed_before_it_in_the_layout():
    layout = README[README.index("## Layout") : README.index("## Data")]
    # `lib/x.py` is lib.x; a bare `x.py` is listed in lib/runner/'s bullet
    order = [
        name[:-3].replace("/", ".") if name.startswith("lib/") else f"lib.runner.{name[:-3]}"
        for name in re.findall(r"`(lib/[\w/]+\.py|\w+\.py)`", layout)
    ]
    modules = sorted(p for p in (ROOT / "lib").rglob("*.py") if p.name != "__init__.py")
    names = {".".join(p.relative_to(ROOT).with_suffix("").parts): p for p in modules}
    assert sorted(names) == sorted(order)  # every module listed once
    late = []
    for name, path in names.items():
        for dep in _lib_imports(path):
            dep = dep if dep in names else next((n for n in names if n.startswith(dep)), dep)
            if dep in names and order.index(dep) >= order.index(name):
                late.append(f"{name} imports {dep}")
    assert late == []

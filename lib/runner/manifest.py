"""The records of a batch: the runs the manifest lists, checked before anything starts, and
the result of each (``Result``, a row of the build's runs.json).

``notebooks/runs.yaml`` maps each notebook to named parameter sets; every pair is a ``Run``.
``read_manifest`` reads it, ``select_runs`` picks runs by notebook and set (``--notebook``,
``--set``), ``check_runs`` checks every run's parameters against its notebook's ``parameters``
cell (papermill's inspection), and ``validate_data`` loads every table of ``data/`` once, so
a broken manifest or table is one error before anything runs.
"""

from __future__ import annotations

import fnmatch
import math
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError
from ..page import shown_path
from ..paths import DATA_DIR, MANIFEST

RESERVED = ("output_dir",)  # set by the runner for every run


@dataclass(frozen=True)
class Run:
    """One execution: a notebook with one parameter set."""

    id: str  # <notebook stem>--<set name>
    notebook: Path
    set_name: str
    parameters: dict


@dataclass
class Result:
    """The outcome of one run, as the build's runs.json lists it."""

    id: str
    notebook: str
    set_name: str
    parameters: dict
    status: str  # ok | failed | timeout
    seconds: float
    error: str = ""
    cell: int | None = None  # papermill's "In [n]" in the executed notebook, where it failed
    files: list[str] = field(default_factory=list)  # in ``folder``
    built: str = ""  # when this attempt ended, UTC, ISO 8601
    folder: str = ""  # this attempt's folder in the build: <id>, or failed/<id> for a failure
    title: str = ""  # the report's title: results["title"], else the notebook's first H1
    finding: str = ""  # the first sentence of results["findings"], if the notebook writes them
    last_good: dict | None = None  # a failed run's last good output: built, seconds, files …


def read_manifest(path: str | Path | None = None) -> list[Run]:
    """The runs a manifest lists, in its order.

    The manifest maps each notebook file (in the manifest's folder) to named parameter sets::

        00-overview.ipynb:
          zh: {lang: zh}
          en: {lang: en}
    """
    import yaml

    p = Path(path) if path is not None else MANIFEST
    name = shown_path(p)
    try:
        doc = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(
            "manifest not found; expected a YAML file mapping notebooks to parameter sets",
            path=name,
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise DataError(
            f"not valid YAML ({getattr(exc, 'problem', exc)})", path=name, line=line
        ) from None
    if not isinstance(doc, dict) or not doc:
        raise DataError(
            "expected a mapping of notebook file -> {set name: {parameter: value}}", path=name
        )
    runs, seen = [], set()
    for nb_name, sets in doc.items():
        nb = p.parent / str(nb_name)
        if not nb.is_file():
            raise DataError(
                f"entry '{nb_name}': notebook not found in {shown_path(p.parent)}/", path=name
            )
        if not isinstance(sets, dict) or not sets:
            raise DataError(
                f"entry '{nb_name}': expected named parameter sets, e.g. zh: {{lang: zh}}",
                path=name,
            )
        for set_name, params in sets.items():
            params = params or {}
            if not isinstance(params, dict):
                raise DataError(
                    f"entry '{nb_name}' set '{set_name}': expected a mapping of parameter: value",
                    path=name,
                )
            run_id = f"{nb.stem}--{set_name}"
            if run_id in seen:
                raise DataError(f"entry '{nb_name}' set '{set_name}': listed twice", path=name)
            seen.add(run_id)
            runs.append(Run(run_id, nb, str(set_name), dict(params)))
    return runs


def select_runs(runs: list[Run], notebook: str | None = None, set_name: str | None = None):
    """The runs whose notebook file or stem matches ``notebook`` and set matches ``set_name``
    (shell-style patterns)."""
    chosen = [
        r
        for r in runs
        if (
            notebook is None
            or fnmatch.fnmatch(r.notebook.name, notebook)
            or fnmatch.fnmatch(r.notebook.stem, notebook)
        )
        and (set_name is None or fnmatch.fnmatch(r.set_name, set_name))
    ]
    if not chosen:
        raise DataError(
            f"no run matches notebook={notebook!r} set={set_name!r}; runs: "
            + ", ".join(r.id for r in runs)
        )
    return chosen


def check_runs(runs: list[Run], manifest: str = "notebooks/runs.yaml") -> None:
    """Every run's parameters exist in its notebook's parameters cell; DataError otherwise."""
    import papermill as pm

    known: dict[Path, dict] = {}
    for run in runs:
        if run.notebook not in known:
            known[run.notebook] = pm.inspect_notebook(str(run.notebook))
        names = known[run.notebook]
        for key in run.parameters:
            if key in RESERVED:
                raise DataError(
                    f"run '{run.id}': parameter '{key}' is set by the runner for "
                    f"every run; remove it",
                    path=manifest,
                )
            if key not in names:
                raise DataError(
                    f"run '{run.id}': parameter '{key}' is not in "
                    f"{run.notebook.name}'s parameters cell (known: " + ", ".join(names) + ")",
                    path=manifest,
                )
            value = run.parameters[key]
            if isinstance(value, float) and not math.isfinite(value):
                raise DataError(
                    f"run '{run.id}': parameter '{key}': {value!r} is not a finite "
                    f"number; expected a number",
                    path=manifest,
                )


def validate_data(data_dir: str | Path | None = None) -> None:
    """Load and check every table of ``data/`` once, with the library's own loaders, before any
    kernel starts: a broken table is one DataError naming its file, line and column, instead of
    the same failure in every run that reads it."""
    from .. import claims, figures
    from ..page import load_page

    d = Path(data_dir) if data_dir is not None else DATA_DIR
    page = load_page()
    articles = figures.load_articles(d / "articles.csv", page=page)
    figs = figures.load_figures(d / "figures.csv", articles=articles, page=page)
    figures.load_exclusions(d / "exclusions.csv", articles=articles, page=page)
    reference = figures.load_reference(d / "reference.csv")
    claims.load_claims(
        d / "claims.csv", figures=figs, reference=reference, articles=articles, page=page
    )

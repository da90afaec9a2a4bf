"""Execute the notebooks: the main job (``python -m lib run``) and storing their outputs.

``run`` executes every notebook in ``notebooks/`` with papermill into a build folder, one
sub-folder of charts, CSVs and results per notebook. ``store-notebooks`` re-executes the
notebooks in place from a fresh kernel, so the outputs nbval compares against come from a
scripted run (execution counts 1..N), never from a hand session.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from .errors import DataError
from .page import ROOT

NOTEBOOK_DIR = ROOT / "notebooks"
KERNEL = "python3"


def list_notebooks(pattern: str = "*.ipynb") -> list[Path]:
    """The collection's notebooks, in reading order."""
    found = sorted(p for p in NOTEBOOK_DIR.glob(pattern) if ".ipynb_checkpoints" not in p.parts)
    if not found:
        raise DataError(f"no notebook matches '{pattern}' in notebooks/; expected e.g. "
                        f"'00-*.ipynb'")
    return found


def store_outputs(paths: list[Path], timeout: int = 300) -> None:
    """Execute each notebook in place from a fresh kernel and save it with its outputs."""
    import nbformat
    from nbclient import NotebookClient

    for path in paths:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, kernel_name=KERNEL, timeout=timeout, record_timing=False,
                                resources={"metadata": {"path": str(path.parent)}})
        client.execute()
        for cell in nb.cells:
            cell.get("metadata", {}).pop("execution", None)
        nbformat.write(nb, path)
        print(f"stored {path.relative_to(ROOT)}")


def run_all(paths: list[Path], build_dir: Path, lang: str | None = None) -> int:
    """Execute every notebook with papermill into ``build_dir``; return the number that failed."""
    import papermill as pm

    build_dir.mkdir(parents=True, exist_ok=True)
    failed = 0
    for path in paths:
        out_dir = build_dir / path.stem
        params = {"output_dir": str(out_dir)}
        if lang:
            params["lang"] = lang
        started = time.perf_counter()
        try:
            pm.execute_notebook(str(path), str(build_dir / path.name), parameters=params,
                                kernel_name=KERNEL, cwd=str(path.parent), progress_bar=False)
            status = "ok"
        except pm.PapermillExecutionError as exc:
            failed += 1
            status = f"FAILED in cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
        print(f"{path.name:40} {time.perf_counter() - started:6.1f} s  {status}")
    return failed


def cmd_run(args: argparse.Namespace) -> int:
    paths = list_notebooks(args.notebooks)
    failed = run_all(paths, Path(args.build), lang=args.lang)
    print(f"{len(paths) - failed} of {len(paths)} notebooks ran; outputs in {args.build}/")
    return 1 if failed else 0


def cmd_store(args: argparse.Namespace) -> int:
    from nbclient.exceptions import CellExecutionError

    try:
        store_outputs(list_notebooks(args.notebooks))
    except CellExecutionError as exc:  # the notebook on disk is left as it was
        lines = [ln for ln in str(exc).splitlines() if ln.strip()]
        raise DataError("a cell failed, nothing stored for that notebook: " + lines[-1]) from None
    return 0


def register(sub) -> None:
    p = sub.add_parser("run", help="execute every notebook with papermill into a build folder")
    p.add_argument("--build", default="build", help="build folder (default: build)")
    p.add_argument("--notebooks", default="*.ipynb", metavar="GLOB",
                   help="which notebooks in notebooks/ (default: all)")
    p.add_argument("--lang", choices=("zh", "en"), default=None,
                   help="language of charts and tables (default: each notebook's own)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("store-notebooks",
                       help="re-execute notebooks in place so their stored outputs are fresh")
    p.add_argument("--notebooks", default="*.ipynb", metavar="GLOB",
                   help="which notebooks in notebooks/ (default: all)")
    p.set_defaults(func=cmd_store)

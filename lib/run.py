"""Store the notebooks' outputs from a scripted run (``python -m lib store-notebooks``).

The notebooks are re-executed in place from a fresh kernel, so the outputs nbval compares
against come from a scripted run (execution counts 1..N), never from a hand session. The main
job, executing every notebook and parameter set into a build, is ``lib/batch.py``.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from .errors import DataError
from .paths import NOTEBOOK_DIR, ROOT

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
        save_notebook(nb, path)
        print(f"stored {path.relative_to(ROOT)}")


def save_notebook(nb, path: Path) -> None:
    """Write ``nb`` to ``path`` whole or not at all: into a temporary file beside it, then
    renamed over it, so a process killed while writing leaves the old notebook as it was."""
    import nbformat

    tmp = path.with_name(f".{path.name}.writing-{os.getpid()}")
    try:
        nbformat.write(nb, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def cmd_store(args: argparse.Namespace) -> int:
    from nbclient.exceptions import CellExecutionError

    try:
        store_outputs(list_notebooks(args.notebooks))
    except CellExecutionError as exc:  # the notebook on disk is left as it was
        lines = [ln for ln in str(exc).splitlines() if ln.strip()]
        raise DataError("a cell failed, nothing stored for that notebook: " + lines[-1]) from None
    return 0


def register(sub) -> None:
    p = sub.add_parser("store-notebooks",
                       help="re-execute notebooks in place so their stored outputs are fresh")
    p.add_argument("--notebooks", default="*.ipynb", metavar="GLOB",
                   help="which notebooks in notebooks/ (default: all)")
    p.set_defaults(func=cmd_store)

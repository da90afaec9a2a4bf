"""Store the notebooks' outputs from a scripted run (``python -m lib store-notebooks``).

The notebooks are re-executed in place from a fresh kernel, so the outputs nbval compares
against come from a scripted run (execution counts 1..N), never from a hand session. The main
job, executing every notebook and parameter set into a build, is ``build.py``; ``cli.py``
registers this subcommand and turns a failing cell into an error message.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import DataError
from ..paths import NOTEBOOK_DIR, ROOT

KERNEL = "python3"  # the kernelspec of every kernel not forked from a fork server


def list_notebooks(pattern: str = "*.ipynb") -> list[Path]:
    """The collection's notebooks, in reading order."""
    found = sorted(p for p in NOTEBOOK_DIR.glob(pattern) if ".ipynb_checkpoints" not in p.parts)
    if not found:
        raise DataError(
            f"no notebook matches '{pattern}' in notebooks/; expected e.g. '00-*.ipynb'"
        )
    return found


def store_outputs(paths: list[Path], timeout: int = 300) -> None:
    """Execute each notebook in place from a fresh kernel (a new process, as JupyterLab starts
    one; over UNIX sockets in a folder of this call's, removed after) and save it with its
    outputs."""
    import shutil
    import tempfile

    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    from .kernels import ipc_connection

    folder = tempfile.mkdtemp(prefix="yejie-store-")
    try:
        for path in paths:
            nb = nbformat.read(path, as_version=4)
            km = KernelManager(kernel_name=KERNEL, **ipc_connection(folder))
            client = NotebookClient(
                nb,
                km=km,
                timeout=timeout,
                record_timing=False,
                resources={"metadata": {"path": str(path.parent)}},
            )
            try:
                client.execute()
            finally:
                if km.has_kernel:
                    km.shutdown_kernel(now=True)
            for cell in nb.cells:
                cell.get("metadata", {}).pop("execution", None)
            save_notebook(nb, path)
            print(f"stored {path.relative_to(ROOT)}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


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

import os
from pathlib import Path

import pytest

from lib.page import load_page
from lib.paths import ROOT

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def page():
    return load_page()


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def fork_server():
    """This test process's kernel fork server (tests/fast_start.py; lib/runner/kernels.py, as the
    batch uses): kernels forked from a process that has imported ipykernel, pandas and
    matplotlib start in a fraction of the time a new process takes. nbval's kernels come from
    the same server."""
    from tests.fast_start import fork_server as server

    return server()


@pytest.fixture
def run_notebook(tmp_path, fork_server):
    """Run notebooks/NAME through papermill with parameters, into tmp_path/run.ipynb."""
    import papermill
    from jupyter_core.utils import run_sync

    def run(name, **parameters):
        km = fork_server.kernel_manager()
        run_sync(km.start_kernel)(cwd=str(ROOT / "notebooks"))
        try:
            return papermill.execute_notebook(
                str(ROOT / "notebooks" / name),
                str(tmp_path / "run.ipynb"),
                parameters=parameters,
                cwd=str(ROOT / "notebooks"),
                progress_bar=False,
                kernel_name="python3",
                km=km,
            )
        finally:
            run_sync(km.shutdown_kernel)(now=True)

    return run


# The test files that run the longest, longest first (about 29, 27, 7 and 6 s on 2 cores):
# pytest-xdist hands out files in collection order (--no-loadscope-reorder), so a long file
# starts first and the short ones fill the gaps instead of one long file ending the run.
# The order only changes how soon the suite ends, never what it checks.
LONGEST_FIRST = ("test_batch.py", "test_notebooks.py", "test_kernels.py", "test_jupyterlab.py")


def pytest_collection_modifyitems(config, items):
    def rank(item):
        name = item.path.name
        if name in LONGEST_FIRST:
            return LONGEST_FIRST.index(name)
        return len(LONGEST_FIRST) + (0 if item.path.suffix == ".ipynb" else 1)

    items.sort(key=rank)  # stable: a notebook's cells and a file's tests keep their order


def pytest_xdist_auto_num_workers(config):
    """``-n auto``: a worker per core. A third worker on 2 cores used to fill the time kernel
    tests spent waiting for kernels to start; with kernels forked and collection cheaper it
    only adds its own start (about 4 s of CPU) and contention: in six alternating pairs of
    runs, 2 workers took as long as 3 with 8 to 14 s less machine CPU (benchmarks/README.md)."""
    return os.cpu_count() or 1

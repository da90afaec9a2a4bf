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
def fork_server(tmp_path_factory):
    """One kernel fork server for the session (lib/runner/kernels.py, as the batch uses): each
    notebook test gets a fresh kernel forked from a process that has imported ipykernel, pandas and
    matplotlib, in about 0.4 s instead of 1.5 s. nbval still starts its kernels as new
    processes, so the stored outputs are checked against the usual kernel."""
    if not hasattr(os, "fork"):
        yield None
        return
    from lib.runner.kernels import ForkServer

    server = ForkServer(str(tmp_path_factory.mktemp("fork-server")))
    yield server
    server.close()


@pytest.fixture
def run_notebook(tmp_path, fork_server):
    """Run notebooks/NAME through papermill with parameters, into tmp_path/run.ipynb."""
    import papermill
    from jupyter_core.utils import run_sync

    def run(name, **parameters):
        kwargs = {}
        if fork_server is not None:
            km = fork_server.kernel_manager()
            run_sync(km.start_kernel)(cwd=str(ROOT / "notebooks"))
            kwargs["km"] = km
        try:
            return papermill.execute_notebook(
                str(ROOT / "notebooks" / name),
                str(tmp_path / "run.ipynb"),
                parameters=parameters,
                cwd=str(ROOT / "notebooks"),
                progress_bar=False,
                kernel_name="python3",
                **kwargs,
            )
        finally:
            if kwargs:
                run_sync(kwargs["km"].shutdown_kernel)(now=True)

    return run

import os
from pathlib import Path

import pytest

from lib.page import ROOT, load_page

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def page():
    return load_page()


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def fork_server(tmp_path_factory):
    """One kernel fork server for the session (lib/kernels.py, as the batch uses): each notebook
    test gets a fresh kernel forked from a process that has imported ipykernel, pandas and
    matplotlib, in about 0.4 s instead of 1.5 s. nbval still starts its kernels as new
    processes, so the stored outputs are checked against the usual kernel."""
    if not hasattr(os, "fork"):
        yield None
        return
    from lib.kernels import ForkServer

    server = ForkServer(str(tmp_path_factory.mktemp("fork-server")))
    yield server
    server.close()


@pytest.fixture
def run_notebook(tmp_path, fork_server):
    """Run notebooks/NAME through papermill with parameters, into tmp_path/run.ipynb."""
    papermill = pytest.importorskip("papermill")
    from jupyter_core.utils import run_sync

    def run(name, **parameters):
        kwargs = {}
        if fork_server is not None:
            km = fork_server.kernel_manager()
            run_sync(km.start_kernel)(cwd=str(ROOT / "notebooks"))
            kwargs["km"] = km
        try:
            return papermill.execute_notebook(str(ROOT / "notebooks" / name),
                                              str(tmp_path / "run.ipynb"), parameters=parameters,
                                              cwd=str(ROOT / "notebooks"), progress_bar=False,
                                              kernel_name="python3", **kwargs)
        finally:
            if kwargs:
                run_sync(kwargs["km"].shutdown_kernel)(now=True)
    return run


# One English variant of every notebook, each with another analysis choice: the parameters the
# notebook tests check the outputs of.
ENGLISH_VARIANTS = {
    "00-overview.ipynb": {"lang": "en"},
    "01-shenzhen-migration.ipynb": {"lang": "en", "migration": "partial", "growth_reading": "by"},
    "02-chongqing-ic.ipynb": {"lang": "en", "months_per_year": 10},
    "03-little-giants.ipynb": {"lang": "en", "sector": "auto"},
    "04-ningxia-computing.ipynb": {"lang": "en", "investment": "projects"},
    "05-math-competition.ipynb": {"lang": "en", "usd_cny": 7.0},
    "06-briefs.ipynb": {"lang": "en", "span_reading": "gaps"},
    "07-claims-audit.ipynb": {"lang": "en", "article": "little-giants"},
}


@pytest.fixture(scope="session")
def collection_build(tmp_path_factory):
    """One build for the session through the batch runner (papermill's API, two workers): the
    real manifest's Chinese overview and the English variants above. The kernels start once
    per worker's fork server. Returns the build folder."""
    from lib import batch

    nb_dir = ROOT / "notebooks"
    runs = batch.select_runs(batch.read_manifest(), "00-overview", "zh")
    runs += [batch.Run(f"{Path(name).stem}--en-test", nb_dir / name, "en-test", params)
             for name, params in ENGLISH_VARIANTS.items()]
    build = tmp_path_factory.mktemp("collection") / "build"
    results = batch.run_batch(runs, build, workers=os.cpu_count() or 1, progress=False)
    failed = [f"{r.id}: In [{r.cell}] {r.error}" for r in results if r.status != "ok"]
    assert failed == []
    return build


@pytest.fixture(scope="session")
def english_runs(collection_build):
    """Notebook file -> the folder of its English variant's run in the session's build (what
    the notebook wrote, its executed notebook and HTML)."""
    return {name: collection_build / f"{Path(name).stem}--en-test" for name in ENGLISH_VARIANTS}


def own_files(folder):
    """The names of the files a notebook wrote into its run's folder (not the runner's
    executed notebook and its HTML)."""
    return {p.name for p in Path(folder).iterdir() if p.suffix not in (".ipynb", ".html")}

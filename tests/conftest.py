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


@pytest.fixture
def run_notebook(tmp_path):
    """Run notebooks/NAME through papermill with parameters, into tmp_path/run.ipynb."""
    papermill = pytest.importorskip("papermill")

    def run(name, **parameters):
        return papermill.execute_notebook(str(ROOT / "notebooks" / name),
                                          str(tmp_path / "run.ipynb"), parameters=parameters,
                                          cwd=str(ROOT / "notebooks"), progress_bar=False,
                                          kernel_name="python3")
    return run

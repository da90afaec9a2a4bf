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

"""What makes the test processes start fast. Loaded before pytest's other plugins (``-p
tests.fast_start`` first in pyproject.toml's addopts), in the main process and in every worker.

* nbval's import of nbformat does not build the IRI grammar no test checks (lib/lazy.py).
* Every kernel a test starts, nbval's included, is forked from this process's fork server
  (lib/runner/kernels.py, as the batch runs notebooks): about 0.2 s of CPU instead of about
  1.2 s for a new process that imports ipykernel, pandas and matplotlib. The stored outputs
  come from new kernel processes (``python -m lib store-notebooks``, as JupyterLab starts
  kernels), so nbval also checks, notebook by notebook, that a forked kernel gives what a new
  one gave. nbval reaches the server through its kernelspec (``--nbval-kernel-name
  forked-python3`` in addopts), found on JUPYTER_PATH while nbval starts a notebook's kernel.
"""

from __future__ import annotations

import os
import sys
import tempfile

import pytest

from lib.lazy import IRI_PACKAGE, defer_iri_grammar

if IRI_PACKAGE in sys.modules:
    raise ImportError(
        f"tests.fast_start: {IRI_PACKAGE} is imported already, so every test process builds its "
        "grammar (2 s); expected '-p tests.fast_start' before '-p nbval' in pyproject.toml"
    )
defer_iri_grammar()

_server = None


def fork_server():
    """This process's kernel fork server, started on first use and closed as pytest ends."""
    global _server
    if _server is None:
        from lib.runner.kernels import ForkServer

        _server = ForkServer(tempfile.mkdtemp(prefix="yejie-test-kernels-"))
    return _server


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """While nbval sets up a notebook (and starts its kernel), the fork server's kernelspec is
    on JUPYTER_PATH; after, JUPYTER_PATH is as it was, for the processes tests start."""
    if item.path.suffix != ".ipynb":
        return (yield)
    before = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (fork_server().workdir, before) if p)
    try:
        return (yield)
    finally:
        if before is None:
            del os.environ["JUPYTER_PATH"]
        else:
            os.environ["JUPYTER_PATH"] = before


def pytest_unconfigure(config):
    if _server is not None:
        _server.close()

"""What makes the test processes start fast. Loaded before pytest's other plugins (``-p
tests.fast_start`` first in pyproject.toml's addopts), in the main process and in every worker.

* nbval's import of nbformat does not build the IRI grammar no test checks (lib/lazy.py).
* Every kernel a test starts, nbval's included, is forked from this process's fork server
  (lib/runner/kernels.py, as the batch runs notebooks): about 0.2 s of CPU instead of about
  1.2 s for a new process that imports ipykernel, pandas and matplotlib. The stored outputs
  come from new kernel processes (``python -m lib store-notebooks``, as JupyterLab starts
  kernels), so nbval also checks, notebook by notebook, that a forked kernel gives what a new
  one gave. nbval reaches the server through its kernelspec (``--nbval-kernel-name
  forked-python3`` in addopts), found on JUPYTER_PATH while nbval starts a notebook's kernel,
  and talks to that kernel over UNIX sockets, not TCP ports another process could take first
  (``ForkServer.connection``).
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


def _kernel_manager(**kwargs):
    """nbval's ``KernelManager(...)``: a kernel of the fork server's gets its connection."""
    from jupyter_client.manager import KernelManager

    from lib.runner.kernels import KERNEL_NAME

    if kwargs.get("kernel_name") == KERNEL_NAME:
        kwargs.update(fork_server().connection())
    return KernelManager(**kwargs)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """While nbval sets up a notebook (and starts its kernel), the fork server's kernelspec is
    on JUPYTER_PATH and nbval's kernel manager connects as the server's kernels do; after,
    both are as they were, for the processes tests start."""
    if item.path.suffix != ".ipynb":
        return (yield)
    import nbval.kernel

    path, manager = os.environ.get("JUPYTER_PATH"), nbval.kernel.KernelManager
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (fork_server().workdir, path) if p)
    nbval.kernel.KernelManager = _kernel_manager
    try:
        return (yield)
    finally:
        nbval.kernel.KernelManager = manager
        if path is None:
            del os.environ["JUPYTER_PATH"]
        else:
            os.environ["JUPYTER_PATH"] = path


def pytest_unconfigure(config):
    if _server is not None:
        _server.close()

"""Kernels forked from the fork server behave like kernels started as new processes."""

import os
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_core.utils import run_sync
from nbclient import NotebookClient

from lib.paths import ROOT
from lib.runner.kernels import ForkServer

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork() is POSIX only")

PROBE = [
    "import os, sys, matplotlib, pandas\n"
    "print(os.getcwd())\nprint(matplotlib.get_backend())\n"
    "print(pandas.get_option('display.max_columns'))\nprint(os.getpid())",
    "secret = 42",
    "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2])",
]


def run(cells, km):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    NotebookClient(nb, km=km, timeout=60).execute()
    return nb


@pytest.fixture
def server(fork_server):
    """The session's fork server (tests/conftest.py): one server start for every test."""
    return fork_server


def start(server, cwd):
    km = server.kernel_manager()
    run_sync(km.start_kernel)(cwd=str(cwd))
    return km


def test_forked_kernel_runs_like_a_fresh_one(server):
    km = start(server, ROOT / "notebooks")
    try:
        nb = run(PROBE, km)
    finally:
        run_sync(km.shutdown_kernel)(now=True)
    lines = nb.cells[0].outputs[0]["text"].split()
    assert lines[0] == str(ROOT / "notebooks")
    assert lines[1] == "module://matplotlib_inline.backend_inline"
    assert lines[2] == "20"  # pandas' default inside a kernel (0 would mean "a terminal")
    assert [c.execution_count for c in nb.cells] == [1, 2, 3]
    figure = nb.cells[2].outputs[-1]
    assert figure["output_type"] == "display_data" and "image/png" in figure["data"]


def test_each_kernel_is_a_new_process_with_no_state_from_the_last(server):
    first, second = start(server, ROOT), start(server, ROOT)
    try:
        a = run([PROBE[0], "secret = 42"], first)
        b = run([PROBE[0], "print('secret' in globals())"], second)
    finally:
        for km in (first, second):
            run_sync(km.shutdown_kernel)(now=True)
    assert a.cells[0].outputs[0]["text"].split()[3] != b.cells[0].outputs[0]["text"].split()[3]
    assert b.cells[1].outputs[0]["text"].strip() == "False"


def test_kernels_talk_over_unix_sockets_of_their_own_in_the_servers_folder(server):
    """No TCP port that another process could take between the kernel manager's choice and the
    kernel's bind; the sockets go when the kernel does."""
    first, second = start(server, ROOT), start(server, ROOT)
    try:
        run(["print(1)"], first)
        sockets = {
            km: set(Path(server.workdir).glob(Path(km.ip).name + "-*")) for km in (first, second)
        }
    finally:
        for km in (first, second):
            run_sync(km.shutdown_kernel)(now=True)
    for km in (first, second):
        assert km.transport == "ipc" and Path(km.ip).parent == Path(server.workdir)
        assert len(sockets[km]) == 5  # shell, iopub, stdin, control, heartbeat
        assert not any(p.exists() for p in sockets[km])
    assert first.ip != second.ip


def test_killing_the_proxy_ends_the_kernel(server):
    km = start(server, ROOT)
    nb = run([PROBE[0]], km)
    pid = int(nb.cells[0].outputs[0]["text"].split()[3])
    run_sync(km.shutdown_kernel)(now=True)  # SIGKILL to the proxy
    deadline = time.time() + 5
    while time.time() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_server_in_a_folder_too_deep_for_a_socket_path_serves_then_closes_and_cleans_up(tmp_path):
    """A socket path is limited to 108 bytes; under a deep TMPDIR the server uses Linux's
    abstract namespace. Closing is the end of file on the server's stdin, which is also what it
    sees when the worker that started it dies: either way it removes its folder and exits."""
    from jupyter_core.utils import run_sync

    workdir = tmp_path / ("deep-" * 20)
    workdir.mkdir()
    assert len(str(workdir / "fork.sock")) > 108  # what AF_UNIX allows on Linux
    fs = ForkServer(str(workdir))
    try:
        km = fs.kernel_manager()
        run_sync(km.start_kernel)(cwd=str(ROOT))
        try:
            nb = run(["print(6 * 7)"], km)
        finally:
            run_sync(km.shutdown_kernel)(now=True)
        assert nb.cells[0].outputs[0]["text"] == "42\n"
    finally:
        fs.close()
    assert fs.process.poll() is not None
    assert not workdir.exists()


def test_a_server_that_is_closed_ends_its_kernels_then_removes_its_folder(tmp_path):
    """What a batch worker killed outright leaves: a server whose stdin closes while its
    kernels run. No kernel may outlive it, nor write into the folder after it is removed."""
    import psutil

    (tmp_path / "s").mkdir()
    fs = ForkServer(str(tmp_path / "s"), libraries=False)
    km = start(fs, tmp_path)
    try:
        nb = run(["import os\nprint(os.getpid())"], km)
        kernel = psutil.Process(int(nb.cells[0].outputs[0]["text"]))
        assert list((tmp_path / "s").glob("k*.json"))  # its connection file is in the folder
        fs.close()
        assert fs.process.returncode == 0
        _, alive = psutil.wait_procs([kernel], timeout=1)
        assert alive == []
        assert not (tmp_path / "s").exists()
    finally:
        run_sync(km.shutdown_kernel)(now=True)


def test_nbval_starts_each_notebooks_kernel_from_the_fork_server(pytestconfig, fork_server):
    """While nbval sets up a notebook, the kernel it names (pyproject.toml's addopts) is the fork
    server's; after, JUPYTER_PATH is as it was."""
    from types import SimpleNamespace

    from jupyter_client.kernelspec import KernelSpecManager

    from tests import fast_start

    before = os.environ.get("JUPYTER_PATH")
    setup = fast_start.pytest_runtest_setup(SimpleNamespace(path=ROOT / "notebooks" / "x.ipynb"))
    next(setup)
    try:
        spec = KernelSpecManager().get_kernel_spec(pytestconfig.option.nbval_kernel_name)
    finally:
        setup.close()
    assert spec.argv[1:5] == ["-m", "lib.runner.kernels", "proxy", fork_server.socket_path]
    assert os.environ.get("JUPYTER_PATH") == before


def test_nbval_talks_to_a_forked_kernel_over_the_servers_unix_sockets(fork_server):
    from types import SimpleNamespace

    import nbval.kernel

    from tests import fast_start

    original = nbval.kernel.KernelManager
    setup = fast_start.pytest_runtest_setup(SimpleNamespace(path=ROOT / "notebooks" / "x.ipynb"))
    next(setup)
    try:
        forked = nbval.kernel.KernelManager(kernel_name="forked-python3")
        plain = nbval.kernel.KernelManager(kernel_name="python3")
    finally:
        setup.close()
    assert (forked.transport, Path(forked.ip).parent) == ("ipc", Path(fork_server.workdir))
    assert plain.transport == "tcp"  # another kernel is left as nbval would start it
    assert nbval.kernel.KernelManager is original


def test_a_server_imports_pandas_ahead_only_for_notebooks_that_import_a_library(tmp_path):
    from lib.runner.kernels import imports_libraries

    fixtures = ROOT / "tests" / "fixtures" / "notebooks"
    assert not imports_libraries([fixtures / "sleeps.ipynb", fixtures / "fails-in-cell-2.ipynb"])
    assert imports_libraries([fixtures / "sleeps.ipynb", ROOT / "notebooks" / "06-briefs.ipynb"])
    magic = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("%matplotlib inline")])
    nbformat.write(magic, tmp_path / "magic.ipynb")
    assert imports_libraries([tmp_path / "magic.ipynb"])  # not Python: taken to import them
    (tmp_path / "bare").mkdir()
    bare = ForkServer(str(tmp_path / "bare"), libraries=False)
    try:
        km = start(bare, tmp_path)
        try:
            nb = run(["import sys\nprint('pandas' in sys.modules, 'IPython' in sys.modules)"], km)
        finally:
            run_sync(km.shutdown_kernel)(now=True)
    finally:
        bare.close()
    assert nb.cells[0].outputs[0]["text"] == "False True\n"

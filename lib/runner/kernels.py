"""Fresh kernels in a fraction of the usual start-up: fork them from a process that has
already imported what every notebook imports.

A kernel normally starts as a new Python process that imports ipykernel, IPython and, in the
notebook, matplotlib again: about 1 s of CPU on this project's machines, for every run. A *fork
server* imports them once; each kernel is a ``fork()`` of it, so every run still gets a process
that no notebook has used, at a fraction of the cost. Only imports whose effect does not depend
on running inside a kernel are made ahead (see WARM_IMPORTS).

Three processes take part:

* the **server** (``python -m lib.runner.kernels serve SOCKET``) imports ipykernel, numpy,
  pandas and everything ``matplotlib.pyplot`` imports but pyplot itself (with ipykernel's
  inline backend named, as a kernel would; with ``--bare``, for notebooks that import none of
  them, ipykernel only), then forks one kernel per request on a UNIX socket; when its stdin
  closes (its parent closed it, or died) it removes its folder and exits;
* a **proxy** (``python -m lib.runner.kernels proxy SOCKET CONNECTION_FILE``) is what
  jupyter_client launches as "the kernel" through a kernelspec: it asks the server for a
  kernel, forwards signals to it (interrupt, terminate) and exits when it ends, so the kernel
  manager's process handling (poll, interrupt, kill) works unchanged; if the process that
  launched it goes, it ends the kernel and exits;
* the **kernel**, forked by the server, takes the proxy's working directory and environment,
  and ends itself when the proxy is gone (killed with SIGKILL, say).

This module imports only the standard library at the top: the proxy must start fast.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
import time

# What every kernel imports as it starts (its debugger's availability check imports debugpy).
KERNEL_IMPORTS = (
    "IPython",
    "IPython.display",
    "IPython.core.pylabtools",
    "IPython.core.oinspect",
    "ipykernel.debugger",
    "psutil",
)

# What a notebook of this project imports, for a server whose notebooks import any of LIBRARIES:
# only modules whose import does not depend on running inside IPython, and pandas (imported as
# in a kernel, see _import_pandas_as_in_a_kernel). Left out on purpose: matplotlib.pyplot and
# matplotlib_inline, which hook the inline backend into the IPython shell when first imported
# (charts would not be shown). Everything pyplot itself imports is in, which leaves a notebook's
# ``import matplotlib.pyplot`` about 10 ms of its 0.23 s. They are 0.85 s of a server's 1.3 s.
WARM_IMPORTS = (
    "numpy",
    "matplotlib",
    "matplotlib.image",
    "matplotlib.figure",
    "matplotlib.axes",
    "matplotlib.gridspec",
    "matplotlib.backend_bases",
    "matplotlib.projections",
    "matplotlib.style",
    "matplotlib.patches",
    "matplotlib.font_manager",
    "matplotlib.textpath",
    "matplotlib.backends.backend_agg",
    "matplotlib.backends.backend_svg",
    "PIL.PngImagePlugin",
)
LIBRARIES = frozenset({"numpy", "pandas", "matplotlib", "lib"})


def imports_libraries(notebooks) -> bool:
    """Whether any of ``notebooks`` (paths) imports one of LIBRARIES, so that its server should
    import them ahead; a notebook that cannot be read or parsed as Python is taken to."""
    import ast

    for path in notebooks:
        try:
            with open(path, encoding="utf-8") as fh:
                cells = json.load(fh)["cells"]
            for cell in cells:
                if cell.get("cell_type") != "code":
                    continue
                source = "".join(cell.get("source", ""))
                for node in ast.walk(ast.parse(source)):
                    if isinstance(node, ast.Import):
                        names = [a.name for a in node.names]
                    elif isinstance(node, ast.ImportFrom) and not node.level:
                        names = [node.module or ""]
                    else:
                        continue
                    if any(n.split(".")[0] in LIBRARIES for n in names):
                        return True
        except (OSError, ValueError, KeyError, TypeError, SyntaxError):
            return True
    return False


BARE = "--bare"  # serve's option: import what a kernel needs, none of LIBRARIES
KERNEL_NAME = "forked-python3"  # the kernelspec a fork server writes into its folder
MODULE = "lib.runner.kernels"  # this module, as the server's and the proxies' command lines run it
PR_SET_PDEATHSIG = 1  # prctl(2): the signal this process gets when its parent thread ends


def die_with_parent(parent: int, sig: int = signal.SIGTERM) -> None:
    """Have the kernel send ``sig`` to this process when ``parent`` (its parent) dies, and exit
    now if it already has (it may have died before this call). Linux only; elsewhere the
    callers' own watches (a pipe's end of file, polling the parent's pid) remain."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os.kill(os.getpid(), sig)


def _recv_line(conn: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _watch_proxy(pid: int) -> None:
    """In a forked kernel: end this process when its proxy is gone."""

    def watch() -> None:
        while True:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:
                pass
            time.sleep(0.2)

    threading.Thread(target=watch, daemon=True, name="proxy-watch").start()


def _run_kernel(request: dict) -> None:
    """In the forked child: become the kernel the proxy asked for."""
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    _watch_proxy(request["proxy_pid"])
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
        signal.signal(sig, signal.SIG_DFL)
    # the kernel's own stderr holds only ipykernel's start-up warnings; what a notebook
    # prints, and its errors, travel as messages
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize(["-f", request["connection_file"], "--HistoryManager.hist_file=:memory:"])
    app.start()
    os._exit(0)


class _KernelShell:
    """Stands for IPython's shell in a kernel: what pandas asks for at import time."""

    kernel = True


def _import_pandas_as_in_a_kernel() -> None:
    """Import pandas so that it takes the defaults it takes inside a kernel.

    pandas picks one default at import time by asking the builtin ``get_ipython()`` whether it
    runs in a kernel (``pandas.core.config_init.is_terminal``: ``display.max_columns`` is 20 in
    a kernel, 0 in a terminal); everything else it decides when called. The question is
    answered as a kernel would, for the length of the import only.
    """
    import builtins

    builtins.get_ipython = _KernelShell
    try:
        import pandas  # noqa: F401
    finally:
        del builtins.get_ipython


SOCKET_PATH_MAX = 100  # bytes; AF_UNIX paths are limited to 108 on Linux, 104 elsewhere


def _address(path: str) -> str:
    """The socket address of ``path``: ``@name`` is Linux's abstract namespace (no file)."""
    return "\0" + path[1:] if path.startswith("@") else path


def _warm_up(libraries: bool) -> None:
    """Import what every kernel needs, and with ``libraries`` what the notebooks import, so that
    each forked kernel starts with them loaded."""
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    # debugpy, imported with ipykernel.debugger, warns on stderr that frozen modules may hide
    # breakpoints; no kernel of a batch is debugged (the kernels take the proxy's environment)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    import importlib

    import ipykernel.kernelapp  # noqa: F401  (the expensive part of a kernel's start)

    for name in KERNEL_IMPORTS + (WARM_IMPORTS if libraries else ()):
        importlib.import_module(name)
    if libraries:
        _import_pandas_as_in_a_kernel()


def serve(path: str, workdir: str | None = None, libraries: bool = True) -> None:
    """Import what kernels need (and LIBRARIES' modules, with ``libraries``), then fork one
    kernel per request until stdin closes; then remove ``workdir`` (by default the socket's
    folder)."""
    _warm_up(libraries)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forked kernels are reaped automatically
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # a closed terminal: the batch decides
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(_address(path))
    server.listen(8)

    kernels: set[int] = set()  # the kernels forked so far, not yet known to have ended
    forking = threading.RLock()  # held while a kernel is forked; stop() takes it for good

    def stop(*_) -> None:
        """End every kernel, remove the folder (socket, kernelspec, the kernels' sockets and
        connection files) and exit: the process that started us closed our stdin, died, or
        sent SIGTERM. The kernels go first: one still running (or still starting) would write
        its sockets into the folder after it was removed."""
        import shutil

        forking.acquire()  # no kernel is forked from here on
        for pid in kernels:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 3
        while any(_running(p) for p in kernels) and time.monotonic() < deadline:
            time.sleep(0.01)
        shutil.rmtree(workdir or os.path.dirname(path), ignore_errors=True)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    print("ready", flush=True)  # the parent waits for this line

    def stop_when_parent_goes() -> None:
        # SIGTERM is for the main thread, whose accept() it interrupts; in this thread it would
        # only be noted, and handled once a connection came
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        sys.stdin.read()  # EOF: the worker that started us has closed the pipe or died
        stop()

    threading.Thread(target=stop_when_parent_goes, daemon=True).start()
    while True:
        conn, _ = server.accept()
        request = json.loads(_recv_line(conn))
        with forking:
            pid = os.fork()
            if pid == 0:
                server.close()
                conn.close()
                try:
                    _run_kernel(request)
                finally:
                    os._exit(1)
            kernels.difference_update([p for p in kernels if not _running(p)])
            kernels.add(pid)
        conn.sendall(f"{pid}\n".encode())
        conn.close()


def _running(pid: int) -> bool:
    """Whether the kernel ``pid`` (a child reaped automatically) still runs."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def proxy(path: str, connection_file: str) -> int:
    """Ask the server for a kernel, forward signals to it, exit when it ends.

    If the process that launched the proxy is gone (a worker killed with SIGKILL, say), the
    proxy ends its kernel and exits, as a kernel's own parent poller would."""
    parent = os.getppid()
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(_address(path))
    conn.sendall(
        json.dumps(
            {
                "connection_file": os.path.abspath(connection_file),
                "cwd": os.getcwd(),
                "env": dict(os.environ),
                "proxy_pid": os.getpid(),
            }
        ).encode()
        + b"\n"
    )
    pid = int(_recv_line(conn))
    conn.close()

    def forward(signum, _frame) -> None:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass
        if signum == signal.SIGTERM:
            sys.exit(0)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(sig, forward)
    while True:
        try:
            os.kill(pid, 0)
            if os.getppid() != parent:
                os.kill(pid, signal.SIGTERM)
                return 0
        except ProcessLookupError:
            return 0
        time.sleep(0.05)


def ipc_connection(folder: str) -> dict:
    """A kernel manager's settings for one kernel that talks over UNIX sockets of its own in
    ``folder``, its connection file beside them; {} (TCP, jupyter_client's default) where
    there are no UNIX sockets.

    Over TCP, the kernel manager picks five free ports and the kernel binds them a moment
    later; on a busy machine another process (a client connecting anywhere, another
    worker's kernel) can take one in between and the kernel dies before it replies
    ("Kernel died before replying to kernel_info": seen once in about ten runs of the test
    suite on 2 cores). A socket path no one else uses cannot be taken."""
    if not hasattr(socket, "AF_UNIX"):
        return {}
    name = os.urandom(3).hex()
    ip = os.path.join(folder, f"k{name}")
    if len(os.fsencode(ip)) + 3 > SOCKET_PATH_MAX:  # "-N" is added per socket
        if not sys.platform.startswith("linux"):
            return {}
        ip = f"@yejie-kernel-{os.getpid()}-{name}"  # Linux's abstract namespace: no file
    return {
        "transport": "ipc",
        "ip": ip,
        "connection_file": os.path.join(folder, f"k{name}.json"),
    }


class ForkServer:
    """A fork server for this process's kernels, and the kernelspec that reaches it.

    ``workdir`` is a folder of its own (its socket and kernelspec go there): the server removes
    it when it ends, closed or because the process that started it is gone."""

    def __init__(self, workdir: str, libraries: bool = True):
        import subprocess

        self.workdir = workdir
        self.socket_path = os.path.join(workdir, "fork.sock")
        if len(os.fsencode(self.socket_path)) > SOCKET_PATH_MAX:
            if not sys.platform.startswith("linux"):
                raise OSError(
                    f"{workdir}: too long a folder for the fork server's socket "
                    f"(over {SOCKET_PATH_MAX} bytes); expected a shorter TMPDIR"
                )
            # a deep TMPDIR: Linux's abstract namespace has no path to be too long
            self.socket_path = f"@yejie-kernels-{os.getpid()}-{os.urandom(6).hex()}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", MODULE, "serve", self.socket_path, workdir]
            + ([] if libraries else [BARE]),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the kernel fork server did not start")
        spec_dir = os.path.join(workdir, "kernels", KERNEL_NAME)
        os.makedirs(spec_dir)
        with open(os.path.join(spec_dir, "kernel.json"), "w", encoding="utf-8") as fh:
            json.dump(
                {
                    "argv": [
                        sys.executable,
                        "-m",
                        MODULE,
                        "proxy",
                        self.socket_path,
                        "{connection_file}",
                    ],
                    "display_name": "Python 3 (forked)",
                    "language": "python",
                    "metadata": {"debugger": False},
                },
                fh,
            )
        self.kernel_dirs = [os.path.join(workdir, "kernels")]
        self.kernel_name = KERNEL_NAME

    def connection(self) -> dict:
        """How a kernel manager reaches one kernel of this server (:func:`ipc_connection`):
        everything a kernel leaves is in the server's folder, which the server removes as it
        ends, so nothing is left behind even when the process that started the kernels is
        killed outright."""
        return ipc_connection(self.workdir)

    def kernel_manager(self):
        """An AsyncKernelManager whose kernels come from this server."""
        from jupyter_client.kernelspec import KernelSpecManager
        from jupyter_client.manager import AsyncKernelManager

        return AsyncKernelManager(
            kernel_name=self.kernel_name,
            kernel_spec_manager=KernelSpecManager(kernel_dirs=self.kernel_dirs),
            **self.connection(),
        )

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=5)
            except Exception:
                self.process.kill()


def main(argv: list[str]) -> int:
    if 2 <= len(argv) <= 4 and argv[0] == "serve" and argv[3:] in ([], [BARE]):
        serve(*argv[1:3], libraries=argv[3:] != [BARE])
        return 0
    if len(argv) == 3 and argv[0] == "proxy":
        return proxy(argv[1], argv[2])
    print(
        f"usage: python -m {MODULE} serve SOCKET [WORKDIR [{BARE}]] | proxy SOCKET CONNECTION_FILE",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

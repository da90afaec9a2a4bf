"""The kernels of one batch worker process: a kernel for each run, and the next one starting.

Kernels come from a fork server per worker (``kernels.py``): each is a fork of a process that
has already imported ipykernel, pandas and matplotlib, so a run still gets a process no
notebook has used, ready in ~0.4 s instead of ~1.5 s. On top of that each worker keeps one
kernel starting while its current run executes. A worker process holds one ``KernelPool``,
``WORKER``: ``build``'s worker start-up starts its fork server, each run takes a kernel from it,
and it is emptied when the worker exits (``close``) or is stopped (``remove_files``, once
``build`` has killed every process the worker started).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile

from .kernels import ipc_connection
from .store import KERNEL


class KernelPool:
    """The kernels one worker process has started, and the fork server they come from."""

    def __init__(self) -> None:
        self.spare: dict[str, object] = {}  # cwd -> the kernel manager of a kernel starting for it
        self.live: set = set()  # kernel managers this worker has started and not yet stopped
        self.server = None  # this worker's kernels.ForkServer, or None where fork() is missing
        self.workdir: str | None = None  # the fork server's folder (socket, kernelspec)

    def start_server(self, libraries: bool = True) -> None:
        """From now on, kernels are forked from a fork server of this process's own (which has
        imported pandas and matplotlib ahead, with ``libraries``)."""
        from .kernels import ForkServer

        self.workdir = tempfile.mkdtemp(prefix="yejie-kernels-")
        self.server = ForkServer(self.workdir, libraries)

    def boot(self, cwd: str):
        """A kernel manager whose kernel is starting (or has started) in ``cwd``."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        # known as live before it starts: a SIGTERM while it starts still removes its files
        if self.server is not None:
            km = self.server.kernel_manager()
            self.live.add(km)
            run_sync(km.start_kernel)(cwd=cwd)
        else:
            if self.workdir is None:  # the kernels' sockets and connection files go here
                self.workdir = tempfile.mkdtemp(prefix="yejie-kernels-")
            km = AsyncKernelManager(kernel_name=KERNEL, **ipc_connection(self.workdir))
            self.live.add(km)
            # the kernel's own stderr holds only ipykernel's start-up warnings; what a
            # notebook prints, and its errors, come back as messages
            run_sync(km.start_kernel)(
                cwd=cwd,
                extra_arguments=["--HistoryManager.hist_file=:memory:"],
                stderr=subprocess.DEVNULL,
            )
        return km

    def stop(self, km) -> None:
        """Stop the kernel of ``km`` now, if it still runs."""
        from jupyter_core.utils import run_sync

        self.live.discard(km)
        try:
            run_sync(km.shutdown_kernel)(now=True)
        except Exception:  # already gone: nothing to stop
            pass

    def take(self, cwd: str, spare: bool = True):
        """A kernel for this run (starting one if none waits), and, if more runs may come to
        this worker (``spare``), the next one starting."""
        ready = self.spare.pop(cwd, None) or self.boot(cwd)
        if spare:
            self.spare[cwd] = self.boot(cwd)
        return ready

    def close(self) -> None:
        """When a worker exits normally: stop its spare kernels and its fork server."""
        while self.spare:
            self.stop(self.spare.popitem()[1])
        if self.server is not None:
            self.server.close()
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def remove_files(self) -> None:
        """When a worker is stopped, after every process it started is gone: the kernels'
        connection files and the fork server's folder."""
        for km in list(self.live):
            try:
                km.cleanup_connection_file()
            except Exception:
                pass
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)


WORKER = KernelPool()  # this process's pool: used in batch workers only

"""A batch: execute runs in worker processes and put the new build in place of the old one.

``run_batch`` executes the runs with papermill's Python API in worker processes (default one
per core), each run (``execute_run``) writing its executed notebook, an HTML rendering, its
charts, CSVs and results JSON into ``<build>/<run id>/`` (a failed attempt into
``<build>/failed/<run id>/``); a failing run does not stop the others, a hung cell hits the
timeout. It keeps from the previous build every run it did not execute, and the last good
output of a run that failed now (hard links), and builds into a temporary folder beside the
build that is exchanged with the old one only when complete (``_publish``). Ctrl-C, SIGTERM or
SIGHUP leave the previous build intact and no process running (``kill_descendants``); if the
main process is killed outright, its workers are killed with it (Linux's parent-death
signal), what they started ends by itself, and the next run removes the partial folder
(``remove_stale``).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path

from .kernels import imports_libraries
from .manifest import Result, Run
from .pages import link_file, render_html, warm_exporter, write_font, write_index
from .pool import WORKER
from .store import KERNEL

STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}  # each ends a batch as Ctrl-C does


# --- a worker process -----------------------------------------------------------------------


def _terminated(*_) -> None:
    """SIGTERM (the batch is being stopped): leave no process and no file behind, and go.

    First every process this worker started (fork server, proxies, kernels) is killed and
    reaped: a kernel still starting would otherwise write its connection file again after it
    was removed. Then the files: kernels' connection files and the fork server's folder.
    Unwinding through papermill instead could leave a worker waiting for more work (the pool's
    worker loop catches SystemExit) until it was killed, files and all."""
    kill_descendants(grace=None)
    WORKER.remove_files()
    os._exit(1)


def _worker_init(fork: bool = True, parent: int | None = None, libraries: bool = True) -> None:
    from multiprocessing.util import Finalize

    from . import kernels

    # Ctrl-C and a closed terminal's SIGHUP go to the whole process group: the parent decides,
    # and stops the workers with SIGTERM. If the parent dies without doing so (SIGKILL, the OOM
    # killer), the kernel kills the worker outright: a Python handler runs only once the main
    # thread wakes, and a worker waiting on a quiet kernel may not wake for minutes (seen: a
    # SIGTERM taken by one of its other threads, the handler never run). What it started ends
    # by itself: its fork server sees its stdin close and removes its folder (sockets,
    # kernelspec, the kernels' connection files), each proxy sees its parent go and ends its
    # kernel, and a kernel whose proxy is gone exits (kernels.py).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminated)
    if parent is not None:
        kernels.die_with_parent(parent, signal.SIGKILL)
    _forget_inherited_event_loop()
    _register_engine()
    Finalize(None, WORKER.close, exitpriority=10)  # runs when the worker exits normally
    if fork and hasattr(os, "fork"):
        WORKER.start_server(libraries)


def _forget_inherited_event_loop() -> None:
    """Start this worker without the event loop of the process it was forked from.

    A process that has run a kernel before starting a batch (a test, a notebook) holds an
    event loop whose epoll instance, shared across fork(), watches that process's ZeroMQ
    sockets: a worker running it would spin at full CPU on events it cannot handle (seen as a
    hung test). jupyter_client's run_sync then makes this worker a loop of its own."""
    import asyncio

    try:
        from jupyter_core.utils import _loop
    except ImportError:
        pass
    else:
        _loop.set(None)
    asyncio.set_event_loop(None)


ENGINE = "yejie-batch"  # papermill's nbclient engine, writing the output notebook once


def _register_engine() -> None:
    """papermill's nbclient engine, but the executed notebook is written once, at the end.

    papermill writes the output notebook at the start and end of every cell (about 50 writes for
    a 25-cell notebook, 0.1 s a run) so that one can watch it grow; a build is read only once it
    is complete. The final write still happens for a failed run (with papermill's error cell)
    and for a timeout (with the outputs so far).
    """
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    class WriteAtEnd(NotebookExecutionManager):
        complete = False

        def save(self, **kwargs):
            if self.complete:
                super().save(**kwargs)

        def notebook_complete(self, **kwargs):
            self.complete = True
            super().notebook_complete(**kwargs)

    class BatchEngine(NBClientEngine):
        @classmethod
        def execute_notebook(
            cls,
            nb,
            kernel_name,
            output_path=None,
            progress_bar=True,
            log_output=False,
            autosave_cell_every=30,
            **kwargs,
        ):
            # papermill's Engine.execute_notebook with the manager above
            nb_man = WriteAtEnd(
                nb,
                output_path=output_path,
                progress_bar=progress_bar,
                log_output=log_output,
                autosave_cell_every=autosave_cell_every,
            )
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

    papermill_engines.register(ENGINE, BatchEngine)


def execute_run(run: Run, tmp: str, build: str, timeout: int, spare: bool = True) -> Result:
    """Execute one run into ``tmp/<run id>``: notebook, HTML, and whatever the notebook writes.

    A failed attempt is moved to ``tmp/failed/<run id>``. The executed notebook records the
    folder its files will have in ``build`` once the batch is complete, not the temporary one.
    """
    out = Path(tmp) / run.id
    out.mkdir(parents=True, exist_ok=True)
    nb_out = out / run.notebook.name
    started = time.perf_counter()
    km = WORKER.take(str(run.notebook.parent), spare)
    try:
        status, error, cell = _execute(run, nb_out, km, timeout)
    finally:
        WORKER.stop(km)
    seconds = time.perf_counter() - started
    folder = run.id
    if status != "ok":
        folder = f"failed/{run.id}"
        (Path(tmp) / "failed").mkdir(exist_ok=True)
        out = out.rename(Path(tmp) / folder)
        nb_out = out / run.notebook.name
    title, finding = "", ""
    if nb_out.exists():
        nb = _relocate(nb_out, str(Path(tmp) / run.id), str(Path(build) / folder))
        title, finding = _headline(out, nb)
        render_html(nb_out, nb, depth=folder.count("/") + 1)
    files = sorted(p.name for p in out.iterdir())
    return Result(
        run.id,
        run.notebook.name,
        run.set_name,
        run.parameters,
        status,
        round(seconds, 2),
        error,
        cell,
        files,
        built=_now(),
        folder=folder,
        title=title,
        finding=finding,
    )


def _execute(run: Run, nb_out: Path, km, timeout: int) -> tuple[str, str, int | None]:
    """Run the notebook with papermill in the kernel of ``km``, its files into ``nb_out``'s
    folder: status ("ok", "failed" or "timeout"), error (one line) and the failing cell."""
    import papermill as pm

    try:
        pm.execute_notebook(
            str(run.notebook),
            str(nb_out),
            parameters={**run.parameters, "output_dir": str(nb_out.parent)},
            kernel_name=KERNEL,
            cwd=str(run.notebook.parent),
            km=km,
            engine_name=ENGINE,
            execution_timeout=timeout,
            progress_bar=False,
            log_output=False,
        )
    except pm.PapermillExecutionError as exc:
        return "failed", f"{exc.ename}: {exc.evalue}", exc.exec_count
    except Exception as exc:  # a timeout or a dead kernel: nbclient's own errors
        kind = type(exc).__name__
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return ("timeout" if "Timeout" in kind else "failed"), f"{kind}: {first}", None
    return "ok", "", None


def _now() -> str:
    from datetime import datetime

    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _relocate(nb_path: Path, temporary: str, final: str):
    """The executed notebook, rewritten so that wherever it records the run's temporary folder
    (the injected parameters, papermill's metadata, a path a cell printed) it names the folder
    the files have once the build is complete."""
    import nbformat

    text = nb_path.read_text(encoding="utf-8")
    text = text.replace(json.dumps(temporary)[1:-1], json.dumps(final)[1:-1])
    nb_path.write_text(text, encoding="utf-8")
    return nbformat.reads(text, as_version=4)


def _headline(folder: Path, nb) -> tuple[str, str]:
    """The report's title and first finding: from the results JSON the notebook wrote
    (``title``, ``findings``), else the title from the notebook's first H1 and no finding."""
    title, finding = "", ""
    for path in sorted(folder.glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(doc, dict) and ("title" in doc or "findings" in doc):
            if isinstance(doc.get("title"), str):
                title = doc["title"].strip()
            found = doc.get("findings")
            if isinstance(found, list) and found and isinstance(found[0], str):
                finding = found[0].strip()
            break
    if not title:
        title = first_heading(nb)
    return title, finding


def first_heading(nb) -> str:
    """The text of a notebook's first markdown H1 (``# Title``), or ""."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return ""


# --- the batch ---------------------------------------------------------------------------


def kill_descendants(grace: float | None = 5) -> None:
    """Stop every process this one started, and reap them.

    In the batch's main process (``grace`` seconds): the pool's workers, their fork servers,
    proxies and kernels get SIGTERM, and SIGKILL if still there after ``grace`` seconds. The
    workers are joined through multiprocessing, which must reap them itself: a worker reaped
    behind its back counts as alive for ever, and the pool's shutdown then spins (seen as a
    hung Ctrl-C that used a core). In a worker that is being stopped (``grace=None``): SIGKILL
    at once, reaped within 3 s."""
    import multiprocessing

    import psutil

    kids = psutil.Process().children(recursive=True)
    for proc in kids:
        try:
            proc.kill() if grace is None else proc.terminate()
        except psutil.NoSuchProcess:
            pass
    workers = multiprocessing.active_children()
    pids = {w.pid for w in workers}
    _, alive = psutil.wait_procs(
        [k for k in kids if k.pid not in pids], timeout=3 if grace is None else grace
    )
    for proc in alive:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    for worker in workers:
        worker.join(5)
        if worker.is_alive():
            worker.kill()
            worker.join()


def longest_first(runs: list[Run], build: Path) -> list[Run]:
    """The runs ordered by how long they took in the previous build, longest (or new) first,
    so that no worker is left with a long run at the end while the others idle."""
    try:
        last = {
            r["id"]: r["seconds"]
            for r in json.loads((build / "runs.json").read_text(encoding="utf-8"))
        }
    except (OSError, ValueError, KeyError, TypeError):
        return list(runs)
    return sorted(runs, key=lambda r: -last.get(r.id, float("inf")))


def run_batch(
    runs: list[Run],
    build: str | Path,
    *,
    workers: int | None = None,
    timeout: int = 600,
    progress: bool = True,
    fork: bool = True,
    keep: set[str] | None = None,
) -> list[Result]:
    """Execute ``runs`` and update ``build`` with them; returns every run the build lists.

    The new build is assembled in a temporary folder beside the old one: this batch's runs,
    and from the old build every other run (or only those in ``keep``, the manifest's run ids)
    and the last good output of a run that fails now. Files are hard links, never copies
    written in place, so the old build is untouched until the two folders are exchanged.
    """
    import papermill  # noqa: F401  (imported once here, inherited by forked workers)

    build = Path(build).resolve()
    remove_stale(build)
    tmp = build.with_name(f".{build.name}.partial-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    workers = max(1, min(workers or os.cpu_count() or 1, len(runs)))
    if workers > 1:
        warm_exporter()
    # the servers import pandas and matplotlib ahead only for notebooks that import them
    libraries = imports_libraries({r.notebook for r in runs})
    pool = ProcessPoolExecutor(
        max_workers=workers, initializer=_worker_init, initargs=(fork, os.getpid(), libraries)
    )
    try:
        ordered = longest_first(runs, build)
        # the last run each worker takes needs no kernel starting for a next one
        pending = {
            pool.submit(
                execute_run, r, str(tmp), str(build), timeout, k < len(ordered) - workers
            ): r
            for k, r in enumerate(ordered)
        }
        results = _collect(pending, progress)
        pool.shutdown(wait=True)
        order = {r.id: k for k, r in enumerate(runs)}
        results.sort(key=lambda r: order[r.id])
        listed = _merge_previous(results, build, tmp, keep)
        write_index(tmp, listed)
        write_font(tmp, build)
    except BaseException:
        with signals_deferred():  # a second signal must not cut the clean-up short
            kill_descendants()
            pool.shutdown(wait=False, cancel_futures=True)
            _join_pool_thread(pool)
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    caught = _publish(tmp, build)
    if caught:
        raise StoppedAfterPublishing(caught[-1], listed)
    return listed


def _collect(pending: dict, progress: bool) -> list[Result]:
    """Each run's result as its worker finishes it (``pending``: future -> run), with a
    progress bar on stderr; a run whose worker died is a failure that says why."""
    from tqdm import tqdm

    results: list[Result] = []
    with tqdm(total=len(pending), unit="run", disable=not progress, file=sys.stderr) as bar:
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                run = pending.pop(fut)
                try:
                    results.append(fut.result())
                except Exception as exc:  # the worker itself died
                    results.append(
                        Result(
                            run.id,
                            run.notebook.name,
                            run.set_name,
                            run.parameters,
                            "failed",
                            0.0,
                            f"{type(exc).__name__}: {exc}",
                            built=_now(),
                            folder=f"failed/{run.id}",
                        )
                    )
                bar.set_postfix_str(run.id)
                bar.update()
    return results


def _join_pool_thread(pool: ProcessPoolExecutor, seconds: float = 5) -> None:
    """Wait for the pool's manager thread, whose workers are gone, to finish closing.

    Python 3.11's exit handler for process pools wakes that thread through a pipe the thread
    closes as it ends, checking first that the pipe is open: if the two overlap, the process
    ends with "OSError: Bad file descriptor" and a traceback after "interrupted (SIGTERM)"
    (seen in 2 of 6 runs of the signal test under load). Once the thread has ended, the exit
    handler sees the pipe closed and leaves it."""
    thread = getattr(pool, "_executor_manager_thread", None)  # private: may be renamed
    if thread is not None:
        thread.join(seconds)


def read_listing(build: Path) -> dict[str, dict]:
    """The runs a build's runs.json lists, by id; {} when there is none or it is unreadable."""
    try:
        entries = json.loads((build / "runs.json").read_text(encoding="utf-8"))
        return {e["id"]: e for e in entries if isinstance(e, dict) and "id" in e}
    except (OSError, ValueError, TypeError):
        return {}


def _link_tree(src: Path, dst: Path) -> bool:
    """Hard-link the folder ``src`` as ``dst`` (copy where links are impossible)."""
    if not src.is_dir():
        return False
    dst.parent.mkdir(parents=True, exist_ok=True)

    shutil.copytree(src, dst, copy_function=link_file)
    return True


def _merge_previous(
    results: list[Result], build: Path, tmp: Path, keep: set[str] | None
) -> list[Result]:
    """This batch's results and, from the old build, every run it did not execute, and the
    last good output of each run that failed now. Returns every run the new build lists."""
    fields = set(Result.__dataclass_fields__)
    previous = read_listing(build)
    listed = []
    for r in results:
        old = previous.pop(r.id, None)
        if r.status != "ok" and old is not None:
            if old.get("status") == "ok" and old.get("folder", r.id) == r.id:
                good = {k: old.get(k) for k in ("built", "seconds", "files", "title", "finding")}
            else:
                good = old.get("last_good")
            if good and _link_tree(build / r.id, tmp / r.id):
                r.last_good = good
                r.title = good.get("title") or r.title  # a failed attempt wrote no title
        listed.append(r)
    for rid, old in previous.items():  # runs this batch did not execute
        if keep is not None and rid not in keep:
            continue
        folders = [old.get("folder") or rid] + ([rid] if old.get("last_good") else [])
        if all(_link_tree(build / f, tmp / f) for f in dict.fromkeys(folders)):
            kept = Result(**{k: v for k, v in old.items() if k in fields})
            kept.folder = kept.folder or rid  # a build from before failed/ existed
            listed.append(kept)
    return listed


def remove_stale(build: Path) -> None:
    """Remove what a batch killed outright left beside ``build``: partial builds whose owner
    is dead, and an old build it had set aside (put back if ``build`` itself is missing)."""
    for path in build.parent.glob(f".{build.name}.*-*"):
        kind, _, pid = path.name[len(build.name) + 2 :].rpartition("-")
        if kind not in ("partial", "old") or not pid.isdigit() or _alive(int(pid), path):
            continue
        if kind == "old" and not build.exists():
            path.rename(build)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int, path: Path) -> bool:
    """Whether process ``pid`` exists and is older than ``path`` (not a later process that was
    given the same number)."""
    import psutil

    try:
        stat = path.stat()  # ctime: a rename (the old build set aside) changes only that
        return psutil.Process(pid).create_time() <= max(stat.st_mtime, stat.st_ctime) + 1
    except (psutil.NoSuchProcess, OSError):
        return False


@contextmanager
def signals_deferred():
    """Within the block, SIGINT, SIGTERM and SIGHUP are noted (in the list it yields), not
    acted on. A Python-level handler, not a blocked signal mask: in a process with threads a
    mask blocks the signal for one thread only, and another would take it. In the main thread
    only (where handlers can be set); elsewhere the block runs as it is."""
    caught: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return
    previous = {
        sig: signal.signal(sig, lambda signum, _frame: caught.append(signum))
        for sig in STOP_SIGNALS
    }
    try:
        yield caught
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _publish(tmp: Path, build: Path) -> list[int]:
    """Put the complete build ``tmp`` in place of ``build`` with no stop signal acted on in
    between: one atomic exchange where Linux offers it, else two renames. Returns the stop
    signals that arrived meanwhile: the new build is in place all the same."""
    with signals_deferred() as caught:
        if build.exists() and _exchange(tmp, build):
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            old = build.with_name(f".{build.name}.old-{os.getpid()}")
            if build.exists():
                build.rename(old)
            tmp.rename(build)
            shutil.rmtree(old, ignore_errors=True)
    return caught


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux's renameat2 with RENAME_EXCHANGE); False if not
    supported here."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


class Stopped(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP to the main process: the batch stops, exit 128 + signal."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class StoppedAfterPublishing(Exception):
    """A stop signal that came while the new build was put in place: the build is complete and
    in place (``results``, as ``run_batch`` returns them); the batch still ends 128 + signal.
    Not a KeyboardInterrupt: nothing was left as it was."""

    def __init__(self, signum: int, results: list[Result]):
        super().__init__(signum)
        self.signum, self.results = signum, results


def raise_stopped(signum, _frame) -> None:
    """The main process's handler of STOP_SIGNALS while a batch runs."""
    raise Stopped(signum)

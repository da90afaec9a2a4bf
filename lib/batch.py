"""The main job: execute every run of the notebook manifest in parallel into a browsable build.

``notebooks/runs.yaml`` lists notebook × parameter sets. ``python -m lib run``:

1. reads the manifest and checks every run's parameters against the notebook's ``parameters``
   cell (papermill's inspection), and validates ``data/`` once, before any kernel starts;
2. executes the runs with papermill's Python API in worker processes (default one per core),
   each writing its executed notebook, an HTML rendering, its charts, CSVs and results JSON into
   ``<build>/<run id>/`` (a failed attempt into ``<build>/failed/<run id>/``); a failing run
   does not stop the others, a hung cell hits the timeout;
3. keeps from the previous build every run it did not execute, and the last good output of a
   run that failed now (hard links);
4. writes ``<build>/index.html`` (every run: title, first finding, charts, status, when it was
   last built; failures first), ``<build>/runs.json`` and ``<build>/fonts/`` (the subset of
   Noto Sans SC every page uses);
5. builds into a temporary folder beside the build and exchanges it with the old one only when
   complete. Ctrl-C, SIGTERM or SIGHUP leave the previous build intact and no process running;
   if the main process is killed outright, its workers stop everything they started (Linux's
   parent-death signal) and the next run removes the partial folder.
"""

from __future__ import annotations

import argparse
import fnmatch
import html
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import DataError
from .page import shown_path
from .paths import DATA_DIR, MANIFEST, TEMPLATES
from .run import KERNEL

RESERVED = ("output_dir",)  # set by the runner for every run
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}  # each ends a batch as Ctrl-C does


@dataclass(frozen=True)
class Run:
    """One execution: a notebook with one parameter set."""

    id: str  # <notebook stem>--<set name>
    notebook: Path
    set_name: str
    parameters: dict


@dataclass
class Result:
    id: str
    notebook: str
    set_name: str
    parameters: dict
    status: str  # ok | failed | timeout
    seconds: float
    error: str = ""
    cell: int | None = None  # papermill's "In [n]" in the executed notebook, where it failed
    files: list[str] = field(default_factory=list)  # in ``folder``
    built: str = ""  # when this attempt ended, UTC, ISO 8601
    folder: str = ""  # this attempt's folder in the build: <id>, or failed/<id> for a failure
    title: str = ""  # the report's title: results["title"], else the notebook's first H1
    finding: str = ""  # the first sentence of results["findings"], if the notebook writes them
    last_good: dict | None = None  # a failed run's last good output: built, seconds, files …


# --- manifest ----------------------------------------------------------------------------



def read_manifest(path: str | Path | None = None) -> list[Run]:
    """The runs a manifest lists, in its order.

    The manifest maps each notebook file (in the manifest's folder) to named parameter sets::

        00-overview.ipynb:
          zh: {lang: zh}
          en: {lang: en}
    """
    import yaml

    p = Path(path) if path is not None else MANIFEST
    name = shown_path(p)
    try:
        doc = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError("manifest not found; expected a YAML file mapping notebooks to "
                        "parameter sets", path=name) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise DataError(f"not valid YAML ({getattr(exc, 'problem', exc)})", path=name,
                        line=line) from None
    if not isinstance(doc, dict) or not doc:
        raise DataError("expected a mapping of notebook file -> {set name: {parameter: value}}",
                        path=name)
    runs, seen = [], set()
    for nb_name, sets in doc.items():
        nb = p.parent / str(nb_name)
        if not nb.is_file():
            raise DataError(f"entry '{nb_name}': notebook not found in {shown_path(p.parent)}/",
                            path=name)
        if not isinstance(sets, dict) or not sets:
            raise DataError(f"entry '{nb_name}': expected named parameter sets, e.g. "
                            f"zh: {{lang: zh}}", path=name)
        for set_name, params in sets.items():
            params = params or {}
            if not isinstance(params, dict):
                raise DataError(f"entry '{nb_name}' set '{set_name}': expected a mapping of "
                                f"parameter: value", path=name)
            run_id = f"{nb.stem}--{set_name}"
            if run_id in seen:
                raise DataError(f"entry '{nb_name}' set '{set_name}': listed twice", path=name)
            seen.add(run_id)
            runs.append(Run(run_id, nb, str(set_name), dict(params)))
    return runs


def select_runs(runs: list[Run], notebook: str | None = None, set_name: str | None = None):
    """The runs whose notebook file or stem matches ``notebook`` and set matches ``set_name``
    (shell-style patterns)."""
    chosen = [r for r in runs
              if (notebook is None or fnmatch.fnmatch(r.notebook.name, notebook)
                  or fnmatch.fnmatch(r.notebook.stem, notebook))
              and (set_name is None or fnmatch.fnmatch(r.set_name, set_name))]
    if not chosen:
        raise DataError(f"no run matches notebook={notebook!r} set={set_name!r}; runs: "
                        + ", ".join(r.id for r in runs))
    return chosen


def check_runs(runs: list[Run], manifest: str = "notebooks/runs.yaml") -> None:
    """Every run's parameters exist in its notebook's parameters cell; DataError otherwise."""
    import papermill as pm

    known: dict[Path, dict] = {}
    for run in runs:
        if run.notebook not in known:
            known[run.notebook] = pm.inspect_notebook(str(run.notebook))
        names = known[run.notebook]
        for key in run.parameters:
            if key in RESERVED:
                raise DataError(f"run '{run.id}': parameter '{key}' is set by the runner for "
                                f"every run; remove it", path=manifest)
            if key not in names:
                raise DataError(f"run '{run.id}': parameter '{key}' is not in "
                                f"{run.notebook.name}'s parameters cell (known: "
                                + ", ".join(names) + ")", path=manifest)
            value = run.parameters[key]
            if isinstance(value, float) and not math.isfinite(value):
                raise DataError(f"run '{run.id}': parameter '{key}': {value!r} is not a finite "
                                f"number; expected a number", path=manifest)


def validate_data(data_dir: str | Path | None = None) -> None:
    """Load and check every table of ``data/`` once, with the library's own loaders, before any
    kernel starts: a broken table is one DataError naming its file, line and column, instead of
    the same failure in every run that reads it."""
    from . import claims, figures
    from .page import load_page

    d = Path(data_dir) if data_dir is not None else DATA_DIR
    page = load_page()
    articles = figures.load_articles(d / "articles.csv", page=page)
    figs = figures.load_figures(d / "figures.csv", articles=articles, page=page)
    figures.load_exclusions(d / "exclusions.csv", articles=articles, page=page)
    reference = figures.load_reference(d / "reference.csv")
    claims.load_claims(d / "claims.csv", figures=figs, reference=reference, articles=articles,
                       page=page)


# --- one run, in a worker process --------------------------------------------------------

# Kernels come from a fork server per worker (lib/kernels.py): each is a fork of a process that
# has already imported ipykernel, pandas and matplotlib, so a run still gets a process no
# notebook has used, ready in ~0.4 s instead of ~1.5 s. On top of that each worker keeps one
# kernel starting while its current run executes.
_spare: dict[str, object] = {}  # cwd -> the kernel manager of a kernel starting for it
_live: set = set()  # kernel managers this worker has started and not yet stopped
_server = None  # this worker's kernels.ForkServer, or None where fork() is missing
_workdir = None  # the fork server's folder (socket, kernelspec)


def _boot_kernel(cwd: str):
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    # known as live before it starts: a SIGTERM while it starts still removes its files
    if _server is not None:
        km = _server.kernel_manager()
        _live.add(km)
        run_sync(km.start_kernel)(cwd=cwd)
    else:
        km = AsyncKernelManager(kernel_name=KERNEL)
        _live.add(km)
        # the kernel's own stderr holds only ipykernel's start-up banner (a TCP warning per
        # kernel); what a notebook prints, and its errors, come back as messages
        run_sync(km.start_kernel)(cwd=cwd, extra_arguments=["--HistoryManager.hist_file=:memory:"],
                                  stderr=subprocess.DEVNULL)
    return km


def _stop_kernel(km) -> None:
    from jupyter_core.utils import run_sync

    _live.discard(km)
    try:
        run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # already gone: nothing to stop
        pass


def _take_kernel(cwd: str, spare: bool = True):
    """A kernel for this run (starting one if none waits), and, if more runs may come to this
    worker (``spare``), the next one starting."""
    ready = _spare.pop(cwd, None) or _boot_kernel(cwd)
    if spare:
        _spare[cwd] = _boot_kernel(cwd)
    return ready


def _stop_spares() -> None:
    """When a worker exits normally: stop its spare kernels and its fork server."""
    while _spare:
        _stop_kernel(_spare.popitem()[1])
    if _server is not None:
        _server.close()
    if _workdir is not None:
        shutil.rmtree(_workdir, ignore_errors=True)


def _terminated(*_) -> None:
    """SIGTERM (the batch is being stopped, or its main process died): leave no process and no
    file behind, and go.

    First every process this worker started (fork server, proxies, kernels) is killed and
    reaped: a kernel still starting would otherwise write its connection file again after it
    was removed. Then the files: kernels' connection files and the fork server's folder.
    Unwinding through papermill instead could leave a worker waiting for more work (the pool's
    worker loop catches SystemExit) until it was killed, files and all."""
    import psutil

    kids = psutil.Process().children(recursive=True)
    for proc in kids:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(kids, timeout=3)
    for km in list(_live):
        try:
            km.cleanup_connection_file()
        except Exception:
            pass
    if _workdir is not None:
        shutil.rmtree(_workdir, ignore_errors=True)
    os._exit(1)


def _worker_init(fork: bool = True, parent: int | None = None) -> None:
    import tempfile
    from multiprocessing.util import Finalize

    from . import kernels

    global _server, _workdir
    # Ctrl-C and a closed terminal's SIGHUP go to the whole process group: the parent decides,
    # and stops the workers with SIGTERM. If the parent dies without doing so (SIGKILL, the OOM
    # killer), the kernel sends SIGTERM all the same.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminated)
    if parent is not None:
        kernels.die_with_parent(parent, signal.SIGTERM)
    _forget_inherited_event_loop()
    _register_engine()
    Finalize(None, _stop_spares, exitpriority=10)  # runs when the worker exits normally
    if fork and hasattr(os, "fork"):
        _workdir = tempfile.mkdtemp(prefix="yejie-kernels-")
        _server = kernels.ForkServer(_workdir)


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
        def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True,
                             log_output=False, autosave_cell_every=30, **kwargs):
            # papermill's Engine.execute_notebook with the manager above
            nb_man = WriteAtEnd(nb, output_path=output_path, progress_bar=progress_bar,
                                log_output=log_output, autosave_cell_every=autosave_cell_every)
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output,
                                             **kwargs)
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
    import papermill as pm

    out = Path(tmp) / run.id
    out.mkdir(parents=True, exist_ok=True)
    nb_out = out / run.notebook.name
    started = time.perf_counter()
    status, error, cell = "ok", "", None
    km = _take_kernel(str(run.notebook.parent), spare)
    try:
        pm.execute_notebook(str(run.notebook), str(nb_out),
                            parameters={**run.parameters, "output_dir": str(out)},
                            kernel_name=KERNEL, cwd=str(run.notebook.parent), km=km,
                            engine_name=ENGINE,
                            execution_timeout=timeout, progress_bar=False, log_output=False)
    except pm.PapermillExecutionError as exc:
        status, error, cell = "failed", f"{exc.ename}: {exc.evalue}", exc.exec_count
    except Exception as exc:  # a timeout or a dead kernel: nbclient's own errors
        kind = type(exc).__name__
        status = "timeout" if "Timeout" in kind else "failed"
        error = f"{kind}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
    finally:
        _stop_kernel(km)
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
        _render_html(nb_out, nb, depth=folder.count("/") + 1)
    files = sorted(p.name for p in out.iterdir())
    return Result(run.id, run.notebook.name, run.set_name, run.parameters, status,
                  round(seconds, 2), error, cell, files, built=_now(), folder=folder,
                  title=title, finding=finding)


def _now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


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


@lru_cache(maxsize=1)
def _exporter():
    """One HTML exporter per worker: its templates compile once (0.4 s a run becomes 0.2 s)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="offline",
                        extra_template_basedirs=[str(TEMPLATES)])


FONT_FAMILY = "Yejie Noto Sans SC"  # the build's subset of Noto Sans SC, in every page
FONT_FILE = "fonts/noto-sans-sc-subset.woff"


def _render_html(nb_path: Path, nb=None, depth: int | None = None) -> None:
    """The notebook's HTML page beside it; with ``depth`` (how many folders below the build it
    lies), the page uses the build's font."""
    import nbformat

    if nb is None:
        nb = nbformat.read(nb_path, as_version=4)
    resources = {}
    if depth is not None:
        resources = {"font_url": "../" * depth + FONT_FILE, "font_family": FONT_FAMILY}
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    nb_path.with_suffix(".html").write_text(body, encoding="utf-8")


# --- the batch ---------------------------------------------------------------------------


def _kill_descendants() -> None:
    """Stop every process this one started: the pool's workers, their fork servers, proxies and
    kernels. The workers are joined through multiprocessing, which must reap them itself: a
    worker reaped behind its back counts as alive for ever, and the pool's shutdown then spins
    (seen as a hung Ctrl-C that used a core)."""
    import multiprocessing

    import psutil

    kids = psutil.Process().children(recursive=True)
    for proc in kids:
        try:
            proc.terminate()
        except psutil.NoSuchProcess:
            pass
    workers = multiprocessing.active_children()
    pids = {w.pid for w in workers}
    _, alive = psutil.wait_procs([k for k in kids if k.pid not in pids], timeout=5)
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
        last = {r["id"]: r["seconds"] for r in
                json.loads((build / "runs.json").read_text(encoding="utf-8"))}
    except (OSError, ValueError, KeyError, TypeError):
        return list(runs)
    return sorted(runs, key=lambda r: -last.get(r.id, float("inf")))


def run_batch(runs: list[Run], build: str | Path, *, workers: int | None = None,
              timeout: int = 600, progress: bool = True, fork: bool = True,
              keep: set[str] | None = None) -> list[Result]:
    """Execute ``runs`` and update ``build`` with them; returns every run the build lists.

    The new build is assembled in a temporary folder beside the old one: this batch's runs,
    and from the old build every other run (or only those in ``keep``, the manifest's run ids)
    and the last good output of a run that fails now. Files are hard links, never copies
    written in place, so the old build is untouched until the two folders are exchanged.
    """
    import papermill  # noqa: F401  (imported once here, inherited by forked workers)
    from tqdm import tqdm

    build = Path(build).resolve()
    remove_stale(build)
    tmp = build.with_name(f".{build.name}.partial-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    workers = max(1, min(workers or os.cpu_count() or 1, len(runs)))
    results: list[Result] = []
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init,
                               initargs=(fork, os.getpid()))
    try:
        ordered = longest_first(runs, build)
        # the last run each worker takes needs no kernel starting for a next one
        pending = {pool.submit(execute_run, r, str(tmp), str(build), timeout,
                               k < len(ordered) - workers): r
                   for k, r in enumerate(ordered)}
        with tqdm(total=len(runs), unit="run", disable=not progress, file=sys.stderr) as bar:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    run = pending.pop(fut)
                    try:
                        results.append(fut.result())
                    except Exception as exc:  # the worker itself died
                        results.append(Result(run.id, run.notebook.name, run.set_name,
                                              run.parameters, "failed", 0.0,
                                              f"{type(exc).__name__}: {exc}", built=_now(),
                                              folder=f"failed/{run.id}"))
                    bar.set_postfix_str(run.id)
                    bar.update()
        pool.shutdown(wait=True)
        order = {r.id: k for k, r in enumerate(runs)}
        results.sort(key=lambda r: order[r.id])
        listed = _merge_previous(results, build, tmp, keep)
        write_index(tmp, listed)
        write_font(tmp, build)
    except BaseException:
        with signals_deferred():  # a second signal must not cut the clean-up short
            _kill_descendants()
            pool.shutdown(wait=False, cancel_futures=True)
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    _publish(tmp, build)
    return listed


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

    shutil.copytree(src, dst, copy_function=_link_file)
    return True


def _merge_previous(results: list[Result], build: Path, tmp: Path,
                    keep: set[str] | None) -> list[Result]:
    """This batch's results and, from the old build, every run it did not execute, and the
    last good output of each run that failed now. Returns every run the new build lists."""
    fields = set(Result.__dataclass_fields__)
    previous = read_listing(build)
    listed = []
    for r in results:
        old = previous.pop(r.id, None)
        if r.status != "ok" and old is not None:
            if old.get("status") == "ok" and old.get("folder", r.id) == r.id:
                good = {k: old.get(k) for k in ("built", "seconds", "files", "title",
                                                "finding")}
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
        kind, _, pid = path.name[len(build.name) + 2:].rpartition("-")
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


_late_stop: list[int] = []  # a stop signal that arrived while the new build was put in place


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
    previous = {sig: signal.signal(sig, lambda signum, _frame: caught.append(signum))
                for sig in STOP_SIGNALS}
    try:
        yield caught
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _publish(tmp: Path, build: Path) -> None:
    """Put the complete build ``tmp`` in place of ``build`` with no stop signal acted on in
    between: one atomic exchange where Linux offers it, else two renames. A stop signal that
    arrives meanwhile is noted in ``_late_stop``: the new build is in place, and the command
    line says so instead of "left as it was"."""
    with signals_deferred() as caught:
        if build.exists() and _exchange(tmp, build):
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            old = build.with_name(f".{build.name}.old-{os.getpid()}")
            if build.exists():
                build.rename(old)
            tmp.rename(build)
            shutil.rmtree(old, ignore_errors=True)
    _late_stop.extend(caught)


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
    return libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b),
                          rename_exchange) == 0


# --- the index and the font ----------------------------------------------------------------

CSS = f"""@font-face{{font-family:"{FONT_FAMILY}";src:url("{FONT_FILE}") format("woff");
font-display:block}}
body{{font-family:"{FONT_FAMILY}",sans-serif;margin:2em auto;max-width:80em;padding:0 1em;
color:#222;line-height:1.5}}
.run{{border-top:1px solid #ddd;padding:1em 0}}.run h2{{font-size:1.2em;margin:0 0 .2em}}
.meta{{color:#555;font-size:.9em}}.finding{{margin:.4em 0}}
.ok{{color:#1a7f37}}.failed,.timeout{{color:#c62828;font-weight:bold}}
.error{{background:#fdecea;padding:.4em .6em;font-size:.9em;white-space:pre-wrap}}
.charts{{display:flex;flex-wrap:wrap;gap:.6em;margin:.4em 0}}
.charts img{{width:400px;max-width:100%;height:auto;border:1px solid #eee}}
code{{font-size:90%}}nav a{{margin-right:.8em}}"""


def _run_section(r: Result) -> str:
    esc = html.escape
    stem = Path(r.notebook).stem
    lang = r.parameters.get("lang")
    lang_attr = {"zh": ' lang="zh-Hans"', "en": ' lang="en"'}.get(lang, "")

    def links(folder: str, files: list[str]) -> str:
        found = [(f"{stem}.html", "report (HTML)"), (r.notebook, "notebook")]
        out = [f'<a href="{esc(folder)}/{esc(f)}">{label}</a>' for f, label in found
               if f in files]
        out += [f'<a href="{esc(folder)}/{esc(f)}">{esc(f)}</a>' for f in files
                if f.endswith((".csv", ".json"))]
        return " ".join(out)

    def charts(folder: str, files: list[str]) -> str:
        imgs = "".join(f'<a href="{esc(folder)}/{esc(f)}"><img src="{esc(folder)}/{esc(f)}" '
                       f'alt="{esc(f)}"></a>' for f in files
                       if f.endswith(".png"))
        return f'<div class="charts">{imgs}</div>' if imgs else ""

    params = ", ".join(f"{esc(k)}={esc(json.dumps(v, ensure_ascii=False))}"
                       for k, v in r.parameters.items()) or "(defaults)"
    title = esc(r.title or r.id)
    parts = [f'<section class="run {esc(r.status)}-run" id="{esc(r.id)}"{lang_attr}>',
             f"<h2>{title}</h2>",
             f'<p class="meta"><code>{esc(r.id)}</code> · <code>{params}</code> · '
             f'<span class="{esc(r.status)}">{esc(r.status)}</span> · built '
             f'<time>{esc(r.built or "?")}</time> · {r.seconds:.1f} s</p>']
    if r.status != "ok":
        where = f"In [{r.cell}]: " if r.cell is not None else ""
        parts.append(f'<p class="error">{esc(where + r.error)}</p>')
        parts.append(f"<p>This attempt: {links(r.folder, r.files) or '(no files)'}</p>")
        good = r.last_good
        if good:
            parts.append(f'<p>Last good output, built <time>{esc(good.get("built") or "?")}'
                         f'</time>: {links(r.id, good.get("files") or [])}</p>')
            if good.get("finding"):
                parts.append(f'<p class="finding">{esc(good["finding"])}</p>')
            parts.append(charts(r.id, good.get("files") or []))
        else:
            parts.append("<p>No good output yet.</p>")
    else:
        if r.finding:
            parts.append(f'<p class="finding">{esc(r.finding)}</p>')
        parts.append(charts(r.folder or r.id, r.files))
        parts.append(f"<p>{links(r.folder or r.id, r.files)}</p>")
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def write_index(build: Path, results: list[Result]) -> Path:
    """``index.html`` and ``runs.json`` for a build: every run with its title, first finding,
    charts, status and when it was last built; failures first."""
    (build / "runs.json").write_text(
        json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8")
    ok = sum(r.status == "ok" for r in results)
    ordered = [r for r in results if r.status != "ok"] + [r for r in results if r.status == "ok"]
    failed = len(results) - ok
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>业界传真 · notebook runs</title>
<style>{CSS}</style></head><body>
<h1><span lang="zh-Hans">业界传真</span> · notebook runs</h1>
<p>{ok} of {len(results)} runs succeeded{f"; {failed} failed, listed first" if failed else ""}.
Each run's folder holds the executed notebook, its HTML rendering, its charts (PNG, SVG; click
one for full size), the CSV behind each chart and its results JSON.</p>
{chr(10).join(_run_section(r) for r in ordered)}
</body></html>
"""
    path = build / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def page_characters(build: Path) -> str:
    """Every character the build's pages hold, sorted, without control characters."""
    chars: set[str] = set()
    for page in build.rglob("*.html"):
        chars |= set(page.read_text(encoding="utf-8"))
    return "".join(sorted(c for c in chars if c.isprintable()))


def write_font(build: Path, previous: Path | None = None) -> Path:
    """``fonts/`` of a build: the subset of Noto Sans SC (from the pinned font package) that
    holds every character its pages use, as WOFF, and the characters it holds. The previous
    build's font is reused (linked) when its characters are the same."""
    text = page_characters(build)
    font = build / FONT_FILE
    listing = font.with_suffix(".txt")
    font.parent.mkdir(parents=True, exist_ok=True)
    if previous is not None:
        old = previous / FONT_FILE
        try:
            if old.with_suffix(".txt").read_text(encoding="utf-8") == text:
                _link_file(old, font)
                listing.write_text(text, encoding="utf-8")
                return font
        except OSError:
            pass
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from .charts import font_path

    options = subset.Options()
    options.flavor = "woff"
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.notdef_outline = True
    options.hinting = False
    tt = TTFont(str(font_path()), lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(tt)
    used = {ord(c) for c in text}
    for table in tt["cmap"].tables:  # only the pages' characters map to a glyph; glyphs that
        table.cmap = {c: g for c, g in table.cmap.items() if c in used}  # layout reaches stay
    tt.flavor = "woff"
    tt.save(str(font))
    listing.write_text(text, encoding="utf-8")
    return font


def _link_file(src, dst) -> None:
    """A hard link, or a copy where a link is impossible (another file system)."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def summarise(results: list[Result]) -> str:
    """A plain-text summary table, then every failure with its cell and error."""
    width = max([len(r.id) for r in results] + [3])
    lines = [f"{'run':{width}}  status   time"]
    lines += [f"{r.id:{width}}  {r.status:7}  {r.seconds:5.1f} s" for r in results]
    failed = [r for r in results if r.status != "ok"]
    ok = len(results) - len(failed)
    lines.append(f"runs: {ok} ok, {len(failed)} failed")
    for r in failed:
        where = f"In [{r.cell}]" if r.cell is not None else "run"
        lines.append(f"FAILED {r.id} ({where}): {r.error}")
    return "\n".join(lines)


class Stopped(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP to the main process: the batch stops, exit 128 + signal."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum, _frame) -> None:
    raise Stopped(signum)


def cmd_run(args: argparse.Namespace) -> int:
    # a job scheduler's SIGTERM and a closed terminal's SIGHUP end the batch as Ctrl-C does
    previous = {sig: signal.signal(sig, _stop) for sig in STOP_SIGNALS}
    try:  # Ctrl-C while the manifest is checked (papermill's import takes a second) or later
        every = read_manifest(args.manifest)
        runs = select_runs(every, args.notebook, args.set)
        check_runs(runs, shown_path(Path(args.manifest) if args.manifest else MANIFEST))
        validate_data()
        started = time.perf_counter()
        results = run_batch(runs, args.build, workers=args.workers, timeout=args.timeout,
                            progress=not args.quiet, fork=not args.no_fork,
                            keep={r.id for r in every})
    except KeyboardInterrupt as exc:  # Stopped, or a KeyboardInterrupt raised elsewhere
        signum = exc.signum if isinstance(exc, Stopped) else signal.SIGINT
        print(f"interrupted ({signal.Signals(signum).name}): {args.build}/ left as it was; "
              f"no kernel left running", file=sys.stderr)
        return 128 + signum
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    ran = {r.id for r in runs}
    print(summarise([r for r in results if r.id in ran]))
    print(f"{len(runs)} runs in {time.perf_counter() - started:.1f} s; "
          f"{len(results)} runs listed in {args.build}/index.html")
    if _late_stop:
        signum = _late_stop.pop()
        _late_stop.clear()
        print(f"interrupted ({signal.Signals(signum).name}) as the new build was put in place: "
              f"{args.build}/ is the new build, complete", file=sys.stderr)
        return 128 + signum
    return 0 if all(r.status == "ok" for r in results if r.id in ran) else 1


def register(sub) -> None:
    p = sub.add_parser(
        "run", help="the main job: execute every run of notebooks/runs.yaml into a build folder",
        description="Execute notebook x parameter-set runs in parallel into BUILD/ with an "
                    "index.html. Parameters are checked against each notebook's parameters "
                    "cell before anything runs; a failing run does not stop the others; the "
                    "old build is replaced only when the new one is complete.",
        epilog="Writes BUILD/index.html, BUILD/runs.json and, per run, BUILD/<notebook>--<set>/ "
               "with the executed notebook, its HTML, charts (PNG, SVG), CSVs and results "
               "JSON. Exit status: 0 when every run succeeded, 1 when a run failed or timed "
               "out (the summary names its cell and error), 2 for a broken manifest, an "
               "unknown parameter or a data error in data/ (nothing runs), 128+N on signal N: "
               "130 on Ctrl-C, 143 on SIGTERM, 129 on SIGHUP (the old build is kept, every "
               "kernel stopped).")
    p.add_argument("--manifest", default=None, metavar="YAML",
                   help="run manifest (default: notebooks/runs.yaml)")
    p.add_argument("--build", default="build", help="build folder (default: build)")
    p.add_argument("--notebook", default=None, metavar="GLOB",
                   help="only notebooks whose file name or stem matches, e.g. '01-*'")
    p.add_argument("--set", default=None, metavar="GLOB",
                   help="only parameter sets whose name matches, e.g. 'en'")
    p.add_argument("-j", "--workers", type=int, default=None,
                   help="worker processes (default: one per core)")
    p.add_argument("--timeout", type=int, default=600,
                   help="seconds a cell may run before its kernel is stopped (default 600)")
    p.add_argument("--no-fork", action="store_true",
                   help="start every kernel as a new process instead of forking it from a "
                        "process that has imported ipykernel, pandas and matplotlib")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_run)

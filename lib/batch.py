"""The main job: execute every run of the notebook manifest in parallel into a browsable build.

``notebooks/runs.yaml`` lists notebook × parameter sets. ``python -m lib run``:

1. reads the manifest and checks every run's parameters against the notebook's ``parameters``
   cell (papermill's inspection) before anything executes;
2. executes the runs with papermill's Python API in worker processes (default one per core),
   each writing its executed notebook, an HTML rendering, its charts, CSVs and results JSON into
   ``<build>/<run id>/``; a failing run does not stop the others, a hung cell hits the timeout;
3. writes ``<build>/index.html`` (every run with parameters, status, duration, thumbnails) and
   ``<build>/runs.json``;
4. builds into a temporary folder beside the build and renames it into place only when complete:
   an interrupted batch (Ctrl-C) leaves the previous build intact and no kernel running.
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
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import DataError
from .page import shown_path
from .run import KERNEL, NOTEBOOK_DIR

MANIFEST = NOTEBOOK_DIR / "runs.yaml"
RESERVED = ("output_dir",)  # set by the runner for every run


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
    files: list[str] = field(default_factory=list)


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

    if _server is not None:
        km = _server.kernel_manager()
        run_sync(km.start_kernel)(cwd=cwd)
    else:
        km = AsyncKernelManager(kernel_name=KERNEL)
        # the kernel's own stderr holds only ipykernel's start-up banner (a TCP warning per
        # kernel); what a notebook prints, and its errors, come back as messages
        run_sync(km.start_kernel)(cwd=cwd, extra_arguments=["--HistoryManager.hist_file=:memory:"],
                                  stderr=subprocess.DEVNULL)
    _live.add(km)
    return km


def _stop_kernel(km) -> None:
    from jupyter_core.utils import run_sync

    _live.discard(km)
    try:
        run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # already gone: nothing to stop
        pass


def _take_kernel(cwd: str):
    """A kernel for this run (starting one if none waits), and the next one starting."""
    ready = _spare.pop(cwd, None) or _boot_kernel(cwd)
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
    """SIGTERM (the batch is being stopped, after Ctrl-C): leave no file behind, and go.

    The parent stops every process of the batch, and a proxy whose worker is gone ends its
    kernel, so a worker has only its files to remove: kernels' connection files and the fork
    server's folder. Unwinding through papermill instead could leave a worker waiting for more
    work (the pool's worker loop catches SystemExit) until it was killed, files and all."""
    for km in list(_live):
        try:
            km.cleanup_connection_file()
        except Exception:
            pass
    if _server is not None:
        _server.process.kill()
    if _workdir is not None:
        shutil.rmtree(_workdir, ignore_errors=True)
    os._exit(1)


def _worker_init(fork: bool = True) -> None:
    import tempfile
    from multiprocessing.util import Finalize

    from . import kernels

    global _server, _workdir
    # Ctrl-C goes to the whole process group: the parent decides, and stops the workers with
    # SIGTERM.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminated)
    _register_engine()
    Finalize(None, _stop_spares, exitpriority=10)  # runs when the worker exits normally
    if fork and hasattr(os, "fork"):
        _workdir = tempfile.mkdtemp(prefix="yejie-kernels-")
        _server = kernels.ForkServer(_workdir)


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


def execute_run(run: Run, run_dir: str, timeout: int) -> Result:
    """Execute one run into ``run_dir``: notebook, HTML, and whatever the notebook writes."""
    import papermill as pm

    out = Path(run_dir)
    out.mkdir(parents=True, exist_ok=True)
    nb_out = out / run.notebook.name
    started = time.perf_counter()
    status, error, cell = "ok", "", None
    km = _take_kernel(str(run.notebook.parent))
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
    if nb_out.exists():
        _render_html(nb_out)
    files = sorted(p.name for p in out.iterdir())
    return Result(run.id, run.notebook.name, run.set_name, run.parameters, status,
                  round(seconds, 2), error, cell, files)


@lru_cache(maxsize=1)
def _exporter():
    """One HTML exporter per worker: its templates compile once (0.4 s a run becomes 0.2 s)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="offline",
                        extra_template_basedirs=[str(Path(__file__).parent / "templates")])


def _render_html(nb_path: Path) -> None:
    import nbformat

    body, _ = _exporter().from_notebook_node(nbformat.read(nb_path, as_version=4))
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
              timeout: int = 600, progress: bool = True, fork: bool = True) -> list[Result]:
    """Execute ``runs`` into a fresh ``build`` folder; the old one is replaced only at the end."""
    import papermill  # noqa: F401  (imported once here, inherited by forked workers)
    from tqdm import tqdm

    build = Path(build).resolve()
    tmp = build.with_name(f".{build.name}.partial-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    workers = max(1, min(workers or os.cpu_count() or 1, len(runs)))
    results: list[Result] = []
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(fork,))
    try:
        pending = {pool.submit(execute_run, r, str(tmp / r.id), timeout): r
                   for r in longest_first(runs, build)}
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
                                              f"{type(exc).__name__}: {exc}"))
                    bar.set_postfix_str(run.id)
                    bar.update()
        pool.shutdown(wait=True)
    except BaseException:
        _kill_descendants()
        pool.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    order = {r.id: k for k, r in enumerate(runs)}
    results.sort(key=lambda r: order[r.id])
    write_index(tmp, results)
    old = build.with_name(f".{build.name}.old-{os.getpid()}")
    if build.exists():
        build.rename(old)
    tmp.rename(build)
    shutil.rmtree(old, ignore_errors=True)
    return results


# --- the index ---------------------------------------------------------------------------

CSS = """body{font-family:"Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.4em .6em;
text-align:left;vertical-align:top}th{background:#f4f4f4}.ok{color:#1a7f37}.failed,.timeout{color:#c62828;
font-weight:bold}img{height:90px;margin:2px;border:1px solid #eee}code{font-size:90%}"""


def write_index(build: Path, results: list[Result]) -> Path:
    """``index.html`` and ``runs.json`` for a build: every run, its parameters, status, time."""
    (build / "runs.json").write_text(
        json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8")
    ok = sum(r.status == "ok" for r in results)
    rows = []
    for r in results:
        esc = html.escape
        stem = Path(r.notebook).stem
        links = [f'<a href="{esc(r.id)}/{esc(stem)}.html">HTML</a>' if f"{stem}.html" in r.files
                 else "", f'<a href="{esc(r.id)}/{esc(r.notebook)}">ipynb</a>'
                 if r.notebook in r.files else ""]
        thumbs = "".join(f'<a href="{esc(r.id)}/{esc(f)}"><img src="{esc(r.id)}/{esc(f)}" '
                         f'alt="{esc(f)}"></a>' for f in r.files if f.endswith(".png"))
        data = " ".join(f'<a href="{esc(r.id)}/{esc(f)}">{esc(f)}</a>' for f in r.files
                        if f.endswith((".csv", ".json")))
        params = ", ".join(f"{esc(k)}={esc(json.dumps(v, ensure_ascii=False))}"
                           for k, v in r.parameters.items()) or "(defaults)"
        error = (f"<br><code>In [{r.cell}]: {esc(r.error)}</code>" if r.cell is not None
                 else f"<br><code>{esc(r.error)}</code>" if r.error else "")
        rows.append(f"<tr><td>{esc(r.id)}<br>{' '.join(x for x in links if x)}</td>"
                    f"<td><code>{params}</code></td><td class=\"{r.status}\">{r.status}{error}"
                    f"</td><td>{r.seconds:.1f} s</td><td>{thumbs}</td><td>{data}</td></tr>")
    page = f"""<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>业界传真 · notebook runs</title>
<style>{CSS}</style></head><body>
<h1>业界传真 · notebook runs</h1>
<p>{ok} of {len(results)} runs succeeded. Each run's folder holds the executed notebook, its HTML
rendering, its charts (PNG, SVG), the CSV behind each chart and its results JSON.</p>
<table><thead><tr><th>run</th><th>parameters</th><th>status</th><th>time</th><th>charts</th>
<th>data</th></tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table></body></html>
"""
    path = build / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


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


def cmd_run(args: argparse.Namespace) -> int:
    try:  # Ctrl-C while the manifest is checked (papermill's import takes a second) or later
        runs = read_manifest(args.manifest)
        runs = select_runs(runs, args.notebook, args.set)
        check_runs(runs, shown_path(Path(args.manifest) if args.manifest else MANIFEST))
        started = time.perf_counter()
        results = run_batch(runs, args.build, workers=args.workers, timeout=args.timeout,
                            progress=not args.quiet, fork=not args.no_fork)
    except KeyboardInterrupt:
        print(f"interrupted: {args.build}/ left as it was; no kernel left running",
              file=sys.stderr)
        return 130
    print(summarise(results))
    print(f"{len(runs)} runs in {time.perf_counter() - started:.1f} s; "
          f"open {args.build}/index.html")
    return 0 if all(r.status == "ok" for r in results) else 1


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
               "out (the summary names its cell and error), 2 for a broken manifest or an "
               "unknown parameter (nothing runs), 130 on Ctrl-C (the old build is kept, every "
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

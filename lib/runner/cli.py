"""The runner's command line: ``python -m lib run`` and ``python -m lib store-notebooks``.

``register`` adds both subcommands to ``python -m lib``'s parser (``lib/__main__.py``).
``cmd_run`` reads and checks the manifest and ``data/`` (``manifest.py``), runs the batch
(``build.py``), prints a summary and turns a stop signal into exit status 128 + signal;
``cmd_store`` stores the notebooks' outputs (``store.py``).
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

from ..errors import DataError
from ..page import shown_path
from ..paths import BUILD_DIR, MANIFEST
from . import build, store
from .manifest import check_runs, read_manifest, select_runs, validate_data


def summarise(results: list[build.Result]) -> str:
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
    shown = shown_path(args.build)  # how messages name the build folder
    # a job scheduler's SIGTERM and a closed terminal's SIGHUP end the batch as Ctrl-C does
    previous = {sig: signal.signal(sig, build.raise_stopped) for sig in build.STOP_SIGNALS}
    try:  # Ctrl-C while the manifest is checked (papermill's import takes a second) or later
        every = read_manifest(args.manifest)
        runs = select_runs(every, args.notebook, args.set)
        check_runs(runs, shown_path(Path(args.manifest) if args.manifest else MANIFEST))
        validate_data()
        started, late = time.perf_counter(), None
        results = build.run_batch(
            runs,
            args.build,
            workers=args.workers,
            timeout=args.timeout,
            progress=not args.quiet,
            fork=not args.no_fork,
            keep={r.id for r in every},
        )
    except build.StoppedAfterPublishing as exc:  # the new build is in place, complete
        results, late = exc.results, exc.signum
    except KeyboardInterrupt as exc:  # Stopped, or a KeyboardInterrupt raised elsewhere
        signum = exc.signum if isinstance(exc, build.Stopped) else signal.SIGINT
        print(
            f"interrupted ({signal.Signals(signum).name}): {shown}/ left as it was; "
            f"no kernel left running",
            file=sys.stderr,
        )
        return 128 + signum
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    ran = {r.id for r in runs}
    print(summarise([r for r in results if r.id in ran]))
    print(
        f"{len(runs)} runs in {time.perf_counter() - started:.1f} s; "
        f"{len(results)} runs listed in {shown}/index.html"
    )
    if late is not None:
        print(
            f"interrupted ({signal.Signals(late).name}) as the new build was put in place: "
            f"{shown}/ is the new build, complete",
            file=sys.stderr,
        )
        return 128 + late
    return 0 if all(r.status == "ok" for r in results if r.id in ran) else 1


def register_run(sub) -> None:
    p = sub.add_parser(
        "run",
        help="the main job: execute every run of notebooks/runs.yaml into a build folder",
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
        "kernel stopped).",
    )
    p.add_argument(
        "--manifest",
        default=None,
        metavar="YAML",
        help="run manifest (default: notebooks/runs.yaml)",
    )
    p.add_argument(
        "--build", default=str(BUILD_DIR), help="build folder (default: build/ in the project)"
    )
    p.add_argument(
        "--notebook",
        default=None,
        metavar="GLOB",
        help="only notebooks whose file name or stem matches, e.g. '01-*'",
    )
    p.add_argument(
        "--set",
        default=None,
        metavar="GLOB",
        help="only parameter sets whose name matches, e.g. 'en'",
    )
    p.add_argument(
        "-j", "--workers", type=int, default=None, help="worker processes (default: one per core)"
    )
    p.add_argument(
        "--timeout",
        type=int,
        default=600,
        help="seconds a cell may run before its kernel is stopped (default 600)",
    )
    p.add_argument(
        "--no-fork",
        action="store_true",
        help="start every kernel as a new process instead of forking it from a "
        "process that has imported ipykernel, pandas and matplotlib",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_run)


def cmd_store(args: argparse.Namespace) -> int:
    from nbclient.exceptions import CellExecutionError

    try:
        store.store_outputs(store.list_notebooks(args.notebooks))
    except CellExecutionError as exc:  # the notebook on disk is left as it was
        lines = [ln for ln in str(exc).splitlines() if ln.strip()]
        raise DataError("a cell failed, nothing stored for that notebook: " + lines[-1]) from None
    return 0


def register_store(sub) -> None:
    p = sub.add_parser(
        "store-notebooks", help="re-execute notebooks in place so their stored outputs are fresh"
    )
    p.add_argument(
        "--notebooks",
        default="*.ipynb",
        metavar="GLOB",
        help="which notebooks in notebooks/ (default: all)",
    )
    p.set_defaults(func=cmd_store)


def register(sub) -> None:
    """Add ``run`` and ``store-notebooks`` to ``python -m lib``'s subcommands."""
    register_run(sub)
    register_store(sub)

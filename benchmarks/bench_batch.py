"""Benchmark the main job against what a user would otherwise do, on the same manifest.

    python benchmarks/bench_batch.py [--manifest notebooks/runs.yaml] [--runs N] [-j 2]

(a) the shell loop: one ``papermill`` CLI call per run, one after another (each pays Python's
    start-up, papermill's import and a kernel start);
(b) the batch runner: ``python -m lib run`` with -j workers, a first build and a rebuild (which
    orders runs by the previous build's timings);
(c) the floor: N runs of a notebook that only starts a kernel and imports pandas and
    matplotlib, divided by the number of workers.
Also reports the peak memory (sum of RSS over the whole process tree) of (b).
Figures go in the README; they are not asserted anywhere (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from lib.paths import MANIFEST  # noqa: E402
from lib.runner import manifest as runner_manifest  # noqa: E402

BIN = Path(sys.executable).parent


def peak_rss(proc: subprocess.Popen, samples: list[int], stop: threading.Event) -> None:
    p = psutil.Process(proc.pid)
    while not stop.is_set():
        try:
            total = sum(c.memory_info().rss for c in [p, *p.children(recursive=True)])
            samples.append(total)
        except psutil.Error:
            pass
        time.sleep(0.1)


def shell_loop(runs, out: Path) -> float:
    started = time.perf_counter()
    for run in runs:
        args = [
            str(BIN / "papermill"),
            str(run.notebook),
            str(out / f"{run.id}.ipynb"),
            "--cwd",
            str(run.notebook.parent),
            "-p",
            "output_dir",
            str(out / run.id),
        ]
        for k, v in run.parameters.items():
            args += ["-p", k, str(v)]
        subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - started


def batch_runner(manifest: Path, out: Path, workers: int, selected: int) -> tuple[float, int]:
    samples: list[int] = []
    stop = threading.Event()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lib",
            "run",
            "--manifest",
            str(manifest),
            "--build",
            str(out),
            "-q",
            "-j",
            str(workers),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    watcher = threading.Thread(target=peak_rss, args=(proc, samples, stop))
    watcher.start()
    code = proc.wait()
    elapsed = time.perf_counter() - started
    stop.set()
    watcher.join()
    if code != 0:
        raise SystemExit(f"the batch failed (exit {code}); see {out}/index.html")
    return elapsed, max(samples, default=0)


def cell_seconds(build: Path) -> float:
    """Seconds the notebooks' own cells took in a build (papermill records each cell's)."""
    total = 0.0
    for path in build.glob("*/*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        total += sum(c.metadata.get("papermill", {}).get("duration") or 0.0 for c in nb.cells)
    return total


def floor(n: int, workers: int, tmp: Path) -> float:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import pandas\nimport matplotlib.pyplot")]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = tmp / "floor.ipynb"
    nbformat.write(nb, path)
    from nbclient import NotebookClient

    started = time.perf_counter()
    for _ in range(n):
        # the kernel's stderr holds only ipykernel's start-up banner, as in the batch
        NotebookClient(nbformat.read(path, as_version=4), kernel_name="python3").execute(
            stderr=subprocess.DEVNULL
        )
    return (time.perf_counter() - started) / workers


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--manifest", default=str(MANIFEST))
    ap.add_argument("-j", "--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    runs = runner_manifest.read_manifest(args.manifest)
    runner_manifest.check_runs(runs)
    n = len(runs)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "a").mkdir()
        a = shell_loop(runs, tmp / "a")
        b_first, peak = batch_runner(Path(args.manifest).resolve(), tmp / "b", args.workers, n)
        # a rebuild: the runner orders runs by the previous build's timings, longest first
        b, peak2 = batch_runner(Path(args.manifest).resolve(), tmp / "b", args.workers, n)
        peak = max(peak, peak2)
        own = cell_seconds(tmp / "b") / args.workers
        c = floor(n, args.workers, tmp)
        shutil.rmtree(tmp / "a", ignore_errors=True)
    print(f"manifest: {n} runs, {args.workers} workers, {os.cpu_count()} cores")
    print(f"(a) shell loop of papermill CLI calls : {a:7.1f} s  ({a / n:.2f} s a run)")
    print(f"(b) batch runner, first build          : {b_first:7.1f} s  ({b_first / n:.2f} s a run)")
    print(f"(b) batch runner, rebuild               : {b:7.1f} s  ({b / n:.2f} s a run)")
    print(f"(c) floor: kernel + imports / workers  : {c:7.1f} s")
    print(f"(d) the notebooks' own cells / workers  : {own:7.1f} s  (work the floor leaves out)")
    print(
        f"(a)/(b) = {a / b_first:.2f}x faster (first build), {a / b:.2f}x (rebuild);  "
        f"(b)/(c) = {b_first / c:.2f}x / {b / c:.2f}x the floor"
    )
    print(f"(b)/(c+d) = {b / (c + own):.2f}x the floor plus the notebooks' own work")
    print(f"peak memory of the batch (process tree RSS): {peak / 2**20:,.0f} MiB")


if __name__ == "__main__":
    main()

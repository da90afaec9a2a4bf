"""How long the README's test command takes: the whole suite, and each test file's share.

    python benchmarks/bench_tests.py [--repeat N] [FILE_OR_DIR ...]

Runs ``python -m pytest`` (the README's test command; pass paths to time a part of it) in a
fresh process, N times, and reports for each: the wall time, the CPU time the machine spent
(every core's busy time from /proc/stat: it counts the kernels a fork server forks, which
nobody waits for and a process tree's own accounting misses; on a shared machine it counts
the neighbours too), the load average before it started, and the wall time per test file from
pytest's own JUnit report, summed over the workers. The figures go in the README; no test
asserts a time.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def busy_seconds() -> float:
    """CPU seconds every core of the machine has spent busy since boot (Linux's /proc/stat);
    elsewhere, this process's children's, which misses the processes no one waits for."""
    try:
        fields = Path("/proc/stat").read_text(encoding="ascii").splitlines()[0].split()[1:]
    except OSError:
        use = resource.getrusage(resource.RUSAGE_CHILDREN)
        return use.ru_utime + use.ru_stime
    ticks = os.sysconf("SC_CLK_TCK")
    idle = {3, 4}  # idle and iowait
    return sum(int(v) for k, v in enumerate(fields[:8]) if k not in idle) / ticks


def run_suite(paths: list[str]) -> tuple[float, float, int, dict[str, float]]:
    """Wall seconds, CPU seconds, exit status and seconds per test file of one suite run."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        before = busy_seconds()
        started = time.perf_counter()
        code = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", f"--junitxml={report}", *paths],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        ).returncode
        wall = time.perf_counter() - started
        cpu = busy_seconds() - before
        per_file: dict[str, float] = defaultdict(float)
        for case in ET.parse(report).iter("testcase"):
            name = case.get("file") or case.get("classname", "?").replace(".", "/") + ".py"
            per_file[name] += float(case.get("time") or 0)
    return wall, cpu, code, dict(per_file)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("paths", nargs="*", help="test files or folders (default: the whole suite)")
    args = ap.parse_args()
    for k in range(args.repeat):
        load = os.getloadavg()[0]
        wall, cpu, code, per_file = run_suite(args.paths)
        print(
            f"run {k + 1}: {wall:.1f} s wall, {cpu:.1f} s CPU (machine), load average "
            f"before {load:.2f} on {os.cpu_count()} cores, pytest exit {code}"
        )
        for name, seconds in sorted(per_file.items(), key=lambda kv: -kv[1]):
            print(f"  {seconds:6.1f} s  {name}")


if __name__ == "__main__":
    main()

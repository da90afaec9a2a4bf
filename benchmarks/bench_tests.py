"""How long the README's test command takes: the whole suite, and each test file's share.

    python benchmarks/bench_tests.py [--repeat N] [FILE_OR_DIR ...]

Runs ``python -m pytest`` (the README's test command; pass paths to time a part of it) in a
fresh process, N times, and reports for each: the wall time, the CPU time of the process tree
(user + system, which the other work on a shared machine disturbs less than the wall time),
the load average before it started, and the wall time per test file from pytest's own JUnit
report. The figures go in the README; no test asserts a time.
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


def run_suite(paths: list[str]) -> tuple[float, float, int, dict[str, float]]:
    """Wall seconds, CPU seconds, exit status and seconds per test file of one suite run."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        code = subprocess.run([sys.executable, "-m", "pytest", "-q", f"--junitxml={report}",
                               *paths], cwd=ROOT, stdout=subprocess.DEVNULL).returncode
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
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
        print(f"run {k + 1}: {wall:.1f} s wall, {cpu:.1f} s CPU (process tree), load average "
              f"before {load:.2f} on {os.cpu_count()} cores, pytest exit {code}")
        for name, seconds in sorted(per_file.items(), key=lambda kv: -kv[1]):
            print(f"  {seconds:6.1f} s  {name}")


if __name__ == "__main__":
    main()

"""How long a fresh process takes to import lib and load and validate every table.

    python benchmarks/bench_load.py [--repeat 5]

Each repeat is a new Python process (so nothing is cached), timed from inside it. The figures
go in the README; nothing asserts them (the machine is shared).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import time
t0 = time.perf_counter()
from lib import claims, figures
t1 = time.perf_counter()
figures.load_articles(); figures.load_figures(); figures.load_exclusions(); figures.load_reference()
t2 = time.perf_counter()
claims.load_claims()
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    rows = []
    for _ in range(args.repeat):
        out = subprocess.run(
            [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        rows.append([float(x) for x in out.split()])
    med = [statistics.median(col) * 1000 for col in zip(*rows)]
    print(f"median of {args.repeat} fresh processes:")
    print(f"  import lib.figures + lib.claims (pandas included): {med[0]:6.0f} ms")
    print(f"  load + validate articles, figures, exclusions, reference: {med[1]:6.0f} ms")
    print(f"  load + validate claims (parses every expression): {med[2]:6.0f} ms")


if __name__ == "__main__":
    main()

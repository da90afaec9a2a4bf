"""How long ``lib.extract.extract`` takes on the seed page and on 1 MB of news text.

A benchmark, not a timed test: it prints the figures and exits 1 if a target is missed.
The 1 MB text is the seed page repeated (UTF-8 bytes, line breaks as printed), so it has the
page's density of numbers: about one mention every 35 characters.

    .venv/bin/python benchmarks/bench_extract.py [--runs 5]

Targets, one core: the page in at most 10 ms, 1 MB in at most 0.5 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lib.extract import extract  # noqa: E402
from lib.page import load_page  # noqa: E402

TARGETS = {"page": 0.010, "1 MB": 0.5}


def build_megabyte(page: str, size: int = 1_000_000) -> str:
    """The page repeated until its UTF-8 encoding reaches ``size`` bytes."""
    copies = -(-size // len(page.encode("utf-8")))
    return "\n".join([page] * copies)


def time_extract(text: str, runs: int) -> tuple[float, int]:
    """Median wall time of ``extract(text)`` over ``runs`` runs, and the mentions found."""
    times, found = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        found = len(extract(text))
        times.append(time.perf_counter() - t0)
    return statistics.median(times), found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per text (median reported)")
    args = parser.parse_args(argv)
    page = load_page().raw
    extract(page)  # warm up: regex caches, pandas
    missed = 0
    for name, text in (("page", page), ("1 MB", build_megabyte(page))):
        seconds, found = time_extract(text, args.runs)
        target = TARGETS[name]
        ok = seconds <= target
        missed += not ok
        print(
            f"{name:>5}: {len(text.encode('utf-8')):>9,} bytes, {found:>6,} mentions, "
            f"median {seconds * 1000:8.1f} ms of {args.runs} runs "
            f"(target {target * 1000:,.0f} ms: {'met' if ok else 'MISSED'})"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

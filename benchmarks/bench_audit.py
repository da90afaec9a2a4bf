"""How long ``lib.audit.audit_text`` takes on the seed page and on 1 MB of news text, and how
many of the page's curated arithmetic claims it proposes.

A benchmark, not a timed test: it prints the figures and exits 1 if a target is missed. The
1 MB text is the seed page and the planted test texts, each copy with its years and counts
shifted so that statements are not all printed twice (UTF-8 bytes, line breaks as printed).

    .venv/bin/python benchmarks/bench_audit.py [--runs 3]

Targets, one core: the page in under 1 s, 1 MB in under 10 s; recall of at least 60%.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lib import audit, claims, figures  # noqa: E402
from lib.page import load_page  # noqa: E402

TARGETS = {"page": 1.0, "1 MB": 10.0}


def build_megabyte(size: int = 1_000_000) -> str:
    """Copies of the page and the planted texts, copy k with every number raised by k."""
    texts = [load_page().raw] + [
        p.read_text(encoding="utf-8")
        for p in sorted((ROOT / "tests" / "fixtures" / "audit").glob("*.txt"))
    ]
    out, k, total = [], 0, 0
    while total < size:
        for text in texts:
            copy = re.sub(r"\d+", lambda m, k=k: str(int(m.group()) + k), text)
            out.append(copy)
            total += len(copy.encode("utf-8")) + 1
        k += 1
    return "\n".join(out)


def time_audit(text: str, runs: int) -> tuple[float, int, int]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = audit.audit_text(text)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), len(result.mentions), len(result.claims)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per text (median reported)")
    args = parser.parse_args(argv)
    page = load_page().raw
    audit.audit_text(page)  # warm up: imports, regex caches, pandas
    missed = 0
    for name, text in (("page", page), ("1 MB", build_megabyte())):
        seconds, mentions, found = time_audit(text, args.runs)
        ok = seconds <= TARGETS[name]
        missed += not ok
        print(
            f"{name:>5}: {len(text.encode('utf-8')):>9,} bytes, {mentions:>6,} quantities, "
            f"{found:>5,} statements, median {seconds:6.2f} s of {args.runs} runs "
            f"(target {TARGETS[name]:.0f} s: {'met' if ok else 'MISSED'})"
        )
    result = audit.audit_text(page)
    matched = audit.match_curated(result, claims.load_claims(), figures.load_figures(), load_page())
    hits = int((matched["proposed"] != "").sum())
    recall = hits / len(matched)
    missed += recall < 0.6
    print(
        f"recall: {hits} of {len(matched)} curated arithmetic claims proposed with the same "
        f"figures and computation = {recall:.0%} (target 60%: "
        f"{'met' if recall >= 0.6 else 'MISSED'}); {len(result.claims)} proposed in all"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Command line: ``python -m lib SUBCOMMAND``; ``python -m lib --help`` lists them."""

from __future__ import annotations

import argparse
import os
import sys

from .errors import DataError


def cmd_validate(args: argparse.Namespace) -> int:
    from . import figures

    page_tables = {
        "articles": figures.load_articles(),
        "figures": figures.load_figures(),
        "exclusions": figures.load_exclusions(),
        "reference": figures.load_reference(),
    }
    from . import claims

    page_tables["claims"] = claims.load_claims()
    for name, df in page_tables.items():
        print(f"data/{name}.csv: {len(df)} rows valid")
    return 0


def cmd_claims(args: argparse.Namespace) -> int:
    from . import claims, verdicts

    if args.id:
        rows = claims.evaluate_claim(args.id)
    else:
        rows = claims.evaluate_claims()
        if args.article:
            rows = rows[rows["article"] == args.article]
            if rows.empty:
                raise DataError(
                    f"no claim for article '{args.article}'; expected an id from "
                    f"data/articles.csv that has claims"
                )
    for r in claims.headline_rows(rows).itertuples():
        if args.verdict and r.claim_verdict != args.verdict:
            continue
        room = "" if r.inside != r.inside else f", room {r.inside:.0%}"  # NaN: unbounded
        strength = f" [{r.claim_strength}{room}]" if r.claim_strength else ""
        print(f"{r.claim_verdict:13} {r.claim}{strength}: {r.claim_note}")
    counts = verdicts.count_verdicts(rows)
    print(", ".join(f"{n} {v}" for v, n in counts.items()))
    return 0


def cmd_fill_intervals(args: argparse.Namespace) -> int:
    from . import figures

    changed = figures.fill_intervals(args.path)
    print(f"{args.path or 'data/figures.csv'}: {changed} rows updated from the interval rules")
    return 0


def cmd_figure(args: argparse.Namespace) -> int:
    from . import figures

    fig = figures.get_figure(args.id)
    for field in ["id"] + [c for c in figures.FIGURE_COLUMNS if c not in ("id", "note")]:
        print(f"{field:11} {getattr(fig, field)}")
    print(f"{'context':11} {fig.context()}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lib",
        description="The 业界传真 page as data: validate the curated tables, look up figures, "
        "run the notebooks.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("validate", help="load and check every table in data/")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "fill-intervals", help="fill low, high, base_value, base_unit of figures.csv from the rules"
    )
    p.add_argument("path", nargs="?", default=None, help="figures CSV (default data/figures.csv)")
    p.set_defaults(func=cmd_fill_intervals)

    p = sub.add_parser("claims", help="audit the page's arithmetic: a verdict per claim")
    p.add_argument("id", nargs="?", help="one claim id (default: every claim)")
    p.add_argument("--article", help="only the claims of one article id")
    p.add_argument(
        "--verdict",
        choices=("consistent", "inconsistent", "ambiguous", "unverifiable"),
        help="only claims with this verdict",
    )
    p.set_defaults(func=cmd_claims)

    p = sub.add_parser("figure", help="show one figure by id, with its sentence")
    p.add_argument("id", help="a figure id, e.g. lg-revenue-mean")
    p.set_defaults(func=cmd_figure)

    from .runner import cli  # the main job, and storing notebook outputs

    cli.register(sub)
    from . import audit, coverage, extract  # extract FILE; coverage [FILE]; audit FILE

    extract.register(sub)
    coverage.register(sub)
    audit.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .lazy import defer_iri_grammar

    defer_iri_grammar()  # before papermill and nbformat: 2 s less for run and store-notebooks
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()  # a reader gone shows here, not in the interpreter's exit
        return code
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `python -m lib claims | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit
        return 141  # as a shell reports a process ended by SIGPIPE


if __name__ == "__main__":
    sys.exit(main())

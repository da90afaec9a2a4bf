"""``python -m lib``: each subcommand's output, called in this process; then the one thing only a
new process shows, the exit status and stderr of ``python -m lib`` itself."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lib import claims
from lib.__main__ import build_parser, main
from lib.paths import ROOT


def test_importing_lib_prints_nothing():
    r = subprocess.run(
        [
            sys.executable,
            "-c",
            "import lib, lib.page, lib.quantities, lib.figures, lib.charts, lib.notebook",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")


def test_a_data_error_exits_2_with_one_line_and_no_traceback():
    r = subprocess.run(
        [sys.executable, "-m", "lib", "figure", "no-such-figure"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert r.returncode == 2
    assert r.stderr.startswith("error: no figure with id 'no-such-figure'")
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_output_piped_into_a_reader_that_has_gone_ends_quietly():
    """``python -m lib figure ID | head -1`` where head has left: exit 141, as after SIGPIPE,
    and no traceback. The pipe's reading end is closed before the command starts, so every
    write meets it closed, whatever the timing."""
    read, write = os.pipe()
    os.close(read)
    try:
        r = subprocess.run(
            [sys.executable, "-m", "lib", "figure", "lg-revenue-mean"],
            stdout=write,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            timeout=120,
            # buffered, as a pipe usually is: the write comes at the end, where it is hardest
            env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
        )
    finally:
        os.close(write)
    assert (r.returncode, r.stderr.decode()) == (141, "")


def test_validate_reports_every_table(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out] == [
        f"data/{t}.csv" for t in ("articles", "figures", "exclusions", "reference", "claims")
    ]
    assert all(line.endswith(" rows valid") for line in out)


def test_figure_shows_value_and_sentence(capsys):
    assert main(["figure", "sz-outmigrants-2017"]) == 0
    out = capsys.readouterr().out
    assert "\nvalue       463\n" in out and "2017年深圳市迁出制造业企业463家" in out


def test_fill_intervals_names_the_broken_file(tmp_path, capsys):
    bad = tmp_path / "figures.csv"
    bad.write_text("article,id\n", encoding="utf-8")
    assert main(["fill-intervals", str(bad)]) == 2
    assert "figures.csv:1: header lacks subject_zh" in capsys.readouterr().err


def test_every_subcommand_is_listed_in_the_help_with_what_it_does(capsys):
    parser = build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args(["--help"])
    shown = " ".join(capsys.readouterr().out.split())  # argparse wraps the help lines
    sub = next(a for a in parser._actions if a.dest == "command")
    assert len(sub.choices) >= 9
    for action in sub._choices_actions:  # a subcommand's name and help, as argparse lists them
        assert action.help and f"{action.dest} {' '.join(action.help.split())}" in shown


def test_claims_lists_every_claim_once_with_its_headline_verdict(capsys):
    assert main(["claims"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines[:-1]) == len(claims.load_claims())
    assert sum(line.startswith("ambiguous") for line in lines) == 3
    counts = dict(reversed(part.split(" ", 1)) for part in lines[-1].split(", "))
    assert sum(int(n) for n in counts.values()) == len(lines) - 1


def test_the_iri_grammar_is_built_on_first_use_and_checks_as_before(tmp_path):
    """lib/lazy.py: importing nbformat no longer builds rfc3987_syntax's parsers; the first
    IRI checked does, and the checks give what the real package gives."""
    code = (
        "import sys\nfrom lib.lazy import defer_iri_grammar\ndefer_iri_grammar()\n"
        "import jsonschema, nbformat\n"
        "print('rfc3987_syntax.syntax_helpers' in sys.modules)\n"
        "c = jsonschema.FormatChecker()\n"
        "print(c.conforms('http://例子.测试/路径?q=1', 'iri'), c.conforms('http://a b', 'iri'),"
        " c.conforms('../a#b', 'iri-reference'), c.conforms('%zz', 'iri-reference'))\n"
        "print('rfc3987_syntax.syntax_helpers' in sys.modules)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert r.stdout.splitlines() == ["False", "True False True False", "True"], r.stderr


def test_claims_with_an_id_shows_that_claim_alone(capsys):
    assert main(["claims", "lg-mean-revenue"]) == 0
    out = capsys.readouterr().out
    assert "lg-mean-revenue" in out and "lg-max-revenue" not in out


def test_claims_filters_by_article_and_by_verdict(capsys):
    assert main(["claims", "--article", "little-giants"]) == 0
    lines = capsys.readouterr().out.splitlines()
    ids = [line.split()[1].rstrip(":") for line in lines[:-1]]
    table = claims.load_claims()
    expected = list(table.loc[table.article == "little-giants", "id"])
    assert sorted(ids) == sorted(expected) and len(ids) > 10
    assert main(["claims", "--verdict", "inconsistent"]) == 0
    lines = capsys.readouterr().out.splitlines()
    counts = dict(reversed(part.split(" ", 1)) for part in lines[-1].split(", "))
    assert all(line.startswith("inconsistent ") for line in lines[:-1])
    assert len(lines) - 1 == int(counts["inconsistent"]) > 0


@pytest.mark.parametrize(
    "argv, message",
    [
        (["claims", "lg-revenue-mean"], "no claim with id 'lg-revenue-mean' in data/claims.csv"),
        (["claims", "--article", "nope"], "no claim for article 'nope'"),
        (["store-notebooks", "--notebooks", "zzz*"], "no notebook matches 'zzz*' in notebooks/"),
    ],
)
def test_a_subcommand_given_what_does_not_exist_exits_2_naming_it(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_run_builds_into_the_projects_build_folder_wherever_it_is_started():
    from lib.paths import BUILD_DIR, ROOT

    args = build_parser().parse_args(["run"])
    assert Path(args.build) == BUILD_DIR == ROOT / "build"

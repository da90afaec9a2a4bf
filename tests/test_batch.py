"""The batch runner on fixture notebooks: runs, failures, subsets, signals, the data check."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

import pytest

from lib.errors import DataError
from lib.paths import ROOT
from lib.runner import build as runner_build
from lib.runner import cli, pool
from lib.runner import manifest as runner_manifest
from lib.runner import pages as runner_pages

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"


def manifest(tmp_path, text):
    for nb in FIXTURES.glob("*.ipynb"):
        shutil.copy(nb, tmp_path / nb.name)
    path = tmp_path / "runs.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def command(manifest_path, build, *extra):
    """The main job's command line on a manifest, without a progress bar."""
    return [
        sys.executable,
        "-m",
        "lib",
        "run",
        "--manifest",
        str(manifest_path),
        "--build",
        str(build),
        "-q",
        *extra,
    ]


def links_of(html_path):
    text = html_path.read_text(encoding="utf-8")
    return re.findall(r'(?:href|src)="([^"#:]+)"', text)


def test_a_failing_cell_and_a_timeout_are_reported_exit_1_and_do_not_stop_the_others(
    tmp_path, capsys
):
    """Through the command line, with kernels started as new processes (--no-fork; the forked
    kernels' equivalence is tests/test_kernels.py's)."""
    from lib.__main__ import main

    m = manifest(  # the run that succeeds does next to nothing: under load, nothing but the
        tmp_path,  # hung cell comes near the 3 s timeout
        "fails-in-cell-2.ipynb:\n  x: {}\nsleeps.ipynb:\n  quick: {seconds: 0}\n"
        "  long: {seconds: 120}\n",
    )
    started = time.perf_counter()
    assert main(command(m, tmp_path / "build", "--no-fork", "--timeout", "3")[3:]) == 1
    assert time.perf_counter() - started < 60
    out = capsys.readouterr().out
    assert "runs: 1 ok, 2 failed" in out
    # the cell is papermill's "In [n]" of the executed notebook: its injected cell counts too
    assert "FAILED fails-in-cell-2--x (In [3]): ValueError: boom" in out
    listed = json.loads((tmp_path / "build" / "runs.json").read_text(encoding="utf-8"))
    by_id = {r["id"]: runner_build.Result(**r) for r in listed}
    failed, ok, hung = (by_id[i] for i in ("fails-in-cell-2--x", "sleeps--quick", "sleeps--long"))
    assert (failed.status, failed.cell) == ("failed", 3)
    assert failed.error.startswith("ValueError: boom: the fixture fails here")
    assert ok.status == "ok"
    assert hung.status == "timeout"
    # the failed run's notebook and HTML are still written, with papermill's error banner
    assert "fails-in-cell-2.html" in failed.files
    assert (tmp_path / "build" / failed.folder / "fails-in-cell-2.html").is_file()


def _forked(fork_server, cwd):
    """A started kernel manager whose kernel comes from the session's fork server."""
    from jupyter_core.utils import run_sync

    km = fork_server.kernel_manager()
    run_sync(km.start_kernel)(cwd=str(cwd))
    return km


def _execute(fork_server, tmp_path, fixture, **parameters):
    """A fixture notebook run into tmp_path/run.ipynb through the batch's papermill engine, in
    a kernel from the session's fork server."""
    import papermill

    runner_build._register_engine()
    km = _forked(fork_server, tmp_path)
    try:
        return papermill.execute_notebook(
            str(FIXTURES / fixture),
            str(tmp_path / "run.ipynb"),
            parameters=parameters,
            cwd=str(tmp_path),
            engine_name=runner_build.ENGINE,
            kernel_name="python3",
            progress_bar=False,
            km=km,
        )
    finally:
        pool.WORKER.stop(km)


def test_the_executed_notebook_is_written_once_with_every_cell_recorded(
    tmp_path, monkeypatch, fork_server
):
    import papermill
    import papermill.engines

    writes = []
    real_write = papermill.engines.write_ipynb
    monkeypatch.setattr(
        papermill.engines,
        "write_ipynb",
        lambda nb, path, **kw: (writes.append(path), real_write(nb, path, **kw)),
    )
    out = tmp_path / "run.ipynb"
    nb = _execute(fork_server, tmp_path, "writes-results.ipynb", output_dir=str(tmp_path))
    assert writes == [str(out)]  # papermill's own engine writes at every cell's start and end
    assert [c.metadata.papermill["status"] for c in nb.cells] == ["completed"] * len(nb.cells)
    assert json.loads(out.read_text(encoding="utf-8"))["cells"][-1]["outputs"] != []


def test_a_failed_run_keeps_its_notebook_with_the_error(tmp_path, fork_server):
    import papermill

    out = tmp_path / "run.ipynb"
    with pytest.raises(papermill.PapermillExecutionError):
        _execute(fork_server, tmp_path, "fails-in-cell-2.ipynb")
    text = out.read_text(encoding="utf-8")
    assert "boom: the fixture fails here" in text
    assert "An Exception was encountered at" in text  # papermill's error banner cell


def test_html_shows_code_escaped(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('x = "<script>alert(1)</script><img src=x>"')]
    path = tmp_path / "escaped.ipynb"
    nbformat.write(nb, path)
    runner_pages.render_html(path)
    body = path.with_suffix(".html").read_text(encoding="utf-8")
    assert "<script>alert" not in body and "<img src=x>" not in body
    assert "&lt;script&gt;alert" in body


def test_unknown_parameter_stops_the_batch_before_anything_runs(tmp_path):
    m = manifest(tmp_path, "writes-results.ipynb:\n  a: {greting: hi}\n")
    with pytest.raises(
        DataError,
        match=r"run 'writes-results--a': parameter 'greting' is not "
        r"in writes-results.ipynb's parameters cell \(known: "
        r"greeting, output_dir\)",
    ):
        runner_manifest.check_runs(runner_manifest.read_manifest(m), "runs.yaml")


def test_cli_exit_status_is_2_and_nothing_runs_for_an_unknown_parameter(tmp_path, capsys):
    from lib.__main__ import main

    m = manifest(tmp_path, "writes-results.ipynb:\n  a: {greting: hi}\n")
    assert main(command(m, tmp_path / "build")[3:]) == 2
    err = capsys.readouterr().err
    assert "parameter 'greting' is not in writes-results.ipynb's parameters cell" in err
    assert not (tmp_path / "build").exists()
    assert not list(tmp_path.glob(".build.*"))


def test_ctrl_c_while_the_manifest_is_checked_exits_130_without_a_traceback(
    tmp_path, monkeypatch, capsys
):
    from lib.__main__ import main

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "check_runs", interrupted)
    m = manifest(tmp_path, "writes-results.ipynb:\n  a: {}\n")
    assert main(["run", "--manifest", str(m), "--build", str(tmp_path / "build"), "-q"]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert not (tmp_path / "build").exists()


def test_output_dir_is_reserved_for_the_runner(tmp_path):
    m = manifest(tmp_path, "writes-results.ipynb:\n  a: {output_dir: /elsewhere}\n")
    with pytest.raises(DataError, match="parameter 'output_dir' is set by the runner"):
        runner_manifest.check_runs(runner_manifest.read_manifest(m))


@pytest.mark.parametrize(
    "text, message",
    [
        ("missing.ipynb:\n  a: {}\n", r"runs.yaml: entry 'missing.ipynb': notebook not found"),
        (
            "writes-results.ipynb: [1, 2]\n",
            r"entry 'writes-results.ipynb': expected named parameter",
        ),
        ("writes-results.ipynb:\n  a: {greeting: [\n", r"runs.yaml:\d+: not valid YAML"),
        ("", r"runs.yaml: expected a mapping of notebook file"),
    ],
)
def test_broken_manifest_names_the_entry(tmp_path, text, message):
    with pytest.raises(DataError, match=message):
        runner_manifest.read_manifest(manifest(tmp_path, text))


def test_filters_pick_notebook_and_set(tmp_path):
    m = manifest(tmp_path, "writes-results.ipynb:\n  a: {}\n  b: {}\nsleeps.ipynb:\n  a: {}\n")
    runs = runner_manifest.read_manifest(m)
    assert [r.id for r in runner_manifest.select_runs(runs, "writes-*", "b")] == [
        "writes-results--b"
    ]
    assert [r.id for r in runner_manifest.select_runs(runs, None, "a")] == [
        "writes-results--a",
        "sleeps--a",
    ]
    with pytest.raises(DataError, match="no run matches notebook='nope'"):
        runner_manifest.select_runs(runs, "nope")


def test_longest_runs_of_the_last_build_go_first(tmp_path):
    m = manifest(tmp_path, "writes-results.ipynb:\n  a: {}\n  b: {}\n  c: {}\n")
    runs = runner_manifest.read_manifest(m)
    build = tmp_path / "build"
    assert runner_build.longest_first(runs, build) == runs  # no previous build: manifest order
    build.mkdir()
    (build / "runs.json").write_text(
        json.dumps(
            [
                {"id": "writes-results--a", "seconds": 1.0},
                {"id": "writes-results--b", "seconds": 9.0},
            ]
        ),
        encoding="utf-8",
    )
    assert [r.set_name for r in runner_build.longest_first(runs, build)] == ["c", "b", "a"]


def _kernels_using(runtime_dir):
    import psutil

    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmd = " ".join(proc.info["cmdline"] or [])
        # kernels started as processes (ipykernel_launcher), or forked: their proxies and the
        # fork servers carry lib.runner.kernels and a socket in the runtime folder
        if ("ipykernel" in cmd or "lib.runner.kernels" in cmd) and str(runtime_dir) in cmd:
            found.append(proc.pid)
    return found


def _start_sleeping_batch(folder):
    """The main job on two long runs with one worker, in ``folder`` (its manifest, its build,
    its TMPDIR): the process and the runtime folder where its kernels' files land."""
    folder.mkdir()
    m = manifest(folder, "sleeps.ipynb:\n  long: {seconds: 120}\n  long2: {seconds: 120}\n")
    runtime = folder / "runtime"  # kernels' connection files land in TMPDIR: ours to find
    runtime.mkdir()
    proc = subprocess.Popen(
        command(m, folder / "build", "-j", "1"),
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(runtime)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return proc, runtime


def _wait_until_running(proc, runtime):
    """The batch's process tree once its fork server, the run's kernel and the next run's
    spare kernel are up (their proxies too)."""
    import psutil

    deadline = time.time() + 90
    while time.time() < deadline and len(_kernels_using(runtime)) < 5 and proc.poll() is None:
        time.sleep(0.2)
    assert proc.poll() is None, proc.communicate()
    tree = psutil.Process(proc.pid).children(recursive=True)
    assert len(_kernels_using(runtime)) >= 5, tree
    return tree


def _survivors(tree, seconds):
    import psutil

    _, alive = psutil.wait_procs(tree, timeout=seconds)
    return [p.pid for p in alive]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal: Linux")
def test_each_signal_to_the_main_process_alone_stops_every_process_of_the_batch(tmp_path):
    """SIGTERM (a job scheduler), SIGHUP (a closed terminal) and SIGKILL (the OOM killer), each
    sent to the main process only, each to its own batch (the three run side by side).

    SIGTERM and SIGHUP stop the batch as Ctrl-C does: exit 128+N, the old build as it was, no
    process and no file left. After SIGKILL nothing can clean up in the main process: the
    kernel kills each worker with it; the fork servers, proxies and kernels see their parents
    go and end, the servers removing their folders; the next run removes the partial build."""
    batches = {
        sig: _start_sleeping_batch(tmp_path / sig.name)
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGKILL)
    }
    for sig in (signal.SIGTERM, signal.SIGHUP):
        build = tmp_path / sig.name / "build"
        build.mkdir()
        (build / "index.html").write_text("the previous build", encoding="utf-8")
    trees = {sig: _wait_until_running(*batches[sig]) for sig in batches}
    for sig, (proc, _) in batches.items():
        proc.send_signal(sig)
    for sig, (proc, runtime) in batches.items():
        folder = tmp_path / sig.name
        _, err = proc.communicate(timeout=60)
        assert _survivors(trees[sig], 5) == [], sig.name
        # the workers' files went with them: kernels' connection files, the fork servers' folders
        assert sorted(p.name for p in runtime.iterdir()) == [], sig.name
        if sig == signal.SIGKILL:
            assert list(folder.glob(".build.partial-*")) and not (folder / "build").exists()
            runner_build.remove_stale((folder / "build").resolve())
        else:
            assert proc.returncode == 128 + sig, err
            assert f"interrupted ({sig.name})" in err and "Traceback" not in err
            index = folder / "build" / "index.html"
            assert index.read_text(encoding="utf-8") == "the previous build"
        assert not list(folder.glob(".build.*")), sig.name


def test_only_partial_builds_whose_owner_is_dead_are_removed(tmp_path):
    build = tmp_path / "build"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".build.partial-{dead.pid}"
    mine = tmp_path / f".build.partial-{os.getpid()}"
    kept_old = tmp_path / f".build.old-{dead.pid}"
    for d in (stale, mine, kept_old):
        d.mkdir()
    (kept_old / "index.html").write_text("set aside, then killed", encoding="utf-8")
    runner_build.remove_stale(build)
    assert not stale.exists() and mine.exists()
    # the build was set aside by a batch killed before the new one was in place: put back
    assert (build / "index.html").read_text(encoding="utf-8") == "set aside, then killed"


def test_real_manifest_lists_only_known_parameters():
    runs = runner_manifest.read_manifest()
    runner_manifest.check_runs(runs)
    assert {r.notebook.name for r in runs} == {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_a_non_finite_number_in_the_manifest_is_rejected_naming_the_parameter(tmp_path, value):
    m = manifest(tmp_path, f"sleeps.ipynb:\n  a: {{seconds: {value}}}\n")
    with pytest.raises(
        DataError,
        match=r"runs.yaml: run 'sleeps--a': parameter 'seconds': "
        r"-?(nan|inf) is not a finite number",
    ):
        runner_manifest.check_runs(runner_manifest.read_manifest(m), "runs.yaml")


def _first_build_lists_each_report_with_its_title_first_finding_and_charts(tmp_path):
    """A first build, checked: every run, its title and first finding in the index, links
    that resolve, notebooks that name the folder their files have after the build."""
    build = tmp_path / "build"
    m = manifest(tmp_path, FINDINGS_MANIFEST)
    zh, en, plain = runner_build.run_batch(
        runner_manifest.read_manifest(m), build, workers=2, progress=False
    )
    assert [r.status for r in (zh, en, plain)] == ["ok", "ok", "ok"]
    assert (
        json.loads((build / "writes-results--a" / "results.json").read_text())["greeting"] == "你好"
    )
    assert {"writes-results.ipynb", "writes-results.html", "line.png"} <= set(plain.files)
    assert (zh.title, zh.finding) == ("深圳企业外迁：夹具报告", "外迁企业增至4344家。")
    assert (en.title, en.finding) == (
        "Shenzhen moves: a fixture report",
        "Firms moving out rose to 4,344.",
    )
    # no results title: the notebook's first heading; no findings: no sentence
    assert (plain.title, plain.finding) == (
        "A notebook that succeeds and writes a chart and results",
        "",
    )
    index = build / "index.html"
    text = index.read_text(encoding="utf-8")
    assert '<section class="run ok-run" id="writes-findings--zh" lang="zh-Hans">' in text
    assert "<h2>深圳企业外迁：夹具报告</h2>" in text and "外迁企业增至4344家。" in text
    assert "The second sentence is not shown." not in text
    assert (
        '<a href="writes-findings--en/fig1-moves.png"><img src="writes-findings--en/fig1-moves.png"'
    ) in text
    links = links_of(index)
    assert len(links) >= 12 and [u for u in links if not (index.parent / u).exists()] == []
    assert not list(tmp_path.glob(".build.*"))
    # the executed notebook records where its files are after the build, not the temporary folder
    nb = json.loads((build / "writes-findings--en" / "writes-findings.ipynb").read_text())
    recorded = nb["metadata"]["papermill"]["parameters"]["output_dir"]
    assert Path(recorded) == build / "writes-findings--en" and Path(recorded).is_dir()
    injected = next(
        c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])
    )
    assert json.dumps(str(build / "writes-findings--en")) in "".join(injected["source"])
    assert ".partial-" not in json.dumps(nb)
    return build, en


FINDINGS_MANIFEST = (
    "writes-findings.ipynb:\n  zh: {lang: zh}\n  en: {lang: en}\n"
    "writes-results.ipynb:\n  a: {greeting: 你好}\n"
)


def test_a_build_lists_each_report_then_a_subset_run_keeps_the_rest_and_the_last_good_output(
    tmp_path,
):
    build, first_en = _first_build_lists_each_report_with_its_title_first_finding_and_charts(
        tmp_path
    )
    m = tmp_path / "runs.yaml"
    zh_png = build / "writes-findings--zh" / "fig1-moves.png"
    zh_inode = zh_png.stat().st_ino
    # the English run now fails; only it runs
    m.write_text(FINDINGS_MANIFEST.replace("{lang: en}", "{lang: fr}"), encoding="utf-8")
    every = runner_manifest.read_manifest(m)
    listed = runner_build.run_batch(
        runner_manifest.select_runs(every, None, "en"),
        build,
        workers=1,
        progress=False,
        keep={r.id for r in every},
    )
    by_id = {r.id: r for r in listed}
    assert sorted(by_id) == ["writes-findings--en", "writes-findings--zh", "writes-results--a"]
    assert zh_png.stat().st_ino == zh_inode  # kept, not rebuilt
    en = by_id["writes-findings--en"]
    assert (en.status, en.folder) == ("failed", "failed/writes-findings--en")
    assert "parameter 'lang': 'fr' is not allowed" in en.error
    assert en.last_good["built"] == first_en.built
    assert en.title == "Shenzhen moves: a fixture report"  # the last good output's
    assert (build / "writes-findings--en" / "fig1-moves.png").is_file()  # the last good output
    assert (build / "failed" / "writes-findings--en" / "writes-findings.html").is_file()
    assert json.loads((build / "runs.json").read_text(encoding="utf-8")) == [
        json.loads(json.dumps(asdict(r))) for r in listed
    ]
    # the index: every run, the failure first, with links to both outputs that resolve
    index = build / "index.html"
    text = index.read_text(encoding="utf-8")
    assert text.index('id="writes-findings--en"') < text.index('id="writes-findings--zh"')
    assert 'href="failed/writes-findings--en/writes-findings.html"' in text
    assert 'href="writes-findings--en/writes-findings.html"' in text
    assert [u for u in links_of(index) if not (index.parent / u).exists()] == []
    assert not list(tmp_path.glob(".build.*"))


def test_a_run_that_succeeds_again_drops_its_failed_attempt_and_keeps_the_rest(tmp_path):
    """How a new build is put together from the old one (no kernel: the folders are made
    here): a run fixed since its failure comes back without failed/, others are kept."""
    build, tmp = tmp_path / "build", tmp_path / "new"
    for folder in ("x", "failed/x", "y"):
        (build / folder).mkdir(parents=True)
        (build / folder / "page.html").write_text(folder, encoding="utf-8")
    good = {
        "built": "2026-01-01T00:00:00+00:00",
        "seconds": 1.0,
        "files": ["page.html"],
        "title": "X",
        "finding": "",
    }
    old = [
        runner_build.Result(
            "x",
            "x.ipynb",
            "s",
            {},
            "failed",
            1.0,
            "ValueError: boom",
            files=["page.html"],
            built="2026-01-02T00:00:00+00:00",
            folder="failed/x",
            last_good=good,
        ),
        runner_build.Result(
            "y",
            "y.ipynb",
            "s",
            {},
            "ok",
            1.0,
            files=["page.html"],
            built="2026-01-01T00:00:00+00:00",
            folder="y",
        ),
    ]
    (build / "runs.json").write_text(json.dumps([asdict(r) for r in old]), encoding="utf-8")
    (tmp / "x").mkdir(parents=True)
    (tmp / "x" / "page.html").write_text("x, fixed", encoding="utf-8")
    fixed = runner_build.Result(
        "x",
        "x.ipynb",
        "s",
        {},
        "ok",
        1.0,
        files=["page.html"],
        built="2026-01-03T00:00:00+00:00",
        folder="x",
    )
    listed = runner_build._merge_previous([fixed], build, tmp, keep={"x", "y"})
    assert [(r.id, r.status, r.folder, r.last_good) for r in listed] == [
        ("x", "ok", "x", None),
        ("y", "ok", "y", None),
    ]
    assert sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*.html")) == [
        "x/page.html",
        "y/page.html",
    ]
    assert (tmp / "x" / "page.html").read_text(encoding="utf-8") == "x, fixed"
    # a run no longer in the manifest is dropped
    assert [
        r.id for r in runner_build._merge_previous([], build, tmp_path / "other", keep={"x"})
    ] == ["x"]


def test_a_data_error_stops_the_batch_before_any_kernel_with_one_located_message(
    tmp_path, monkeypatch, capsys
):
    from lib import figures
    from lib.__main__ import main

    data = tmp_path / "data"
    shutil.copytree(figures.DATA_DIR, data)
    rows = (data / "figures.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(k for k, row in enumerate(rows) if ",亿元," in row) + 1
    rows[line - 1] = rows[line - 1].replace(",亿元,", ",亿圆,", 1)
    (data / "figures.csv").write_text("".join(rows), encoding="utf-8")
    monkeypatch.setattr(figures, "DATA_DIR", data)
    monkeypatch.setattr(runner_manifest, "DATA_DIR", data)  # what the check before a batch reads
    monkeypatch.setattr(runner_build, "run_batch", lambda *a, **k: pytest.fail("a run started"))
    m = manifest(tmp_path, "writes-results.ipynb:\n  a: {}\n")
    assert main(["run", "--manifest", str(m), "--build", str(tmp_path / "build"), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.count("error:") == 1
    assert re.search(rf"figures.csv:{line}: column 'unit': '亿圆' is not a known unit", err), err
    assert not (tmp_path / "build").exists()


def test_the_real_data_passes_the_batch_check():
    runner_manifest.validate_data()


def test_a_worker_starts_without_the_event_loop_of_the_process_it_was_forked_from():
    """A batch started from a process that has run kernels (this one) must not reuse its event
    loop: the loop's epoll instance is shared across fork() and the worker spun on it."""
    import asyncio

    from jupyter_core.utils import _loop, ensure_event_loop

    inherited = ensure_event_loop()
    try:
        runner_build._forget_inherited_event_loop()
        fresh = ensure_event_loop()
        assert fresh is not inherited and not fresh.is_closed()
        fresh.close()
    finally:
        _loop.set(inherited)
        asyncio.set_event_loop(inherited)


def test_a_stop_signal_while_the_new_build_is_put_in_place_waits_and_is_reported(
    tmp_path, monkeypatch
):
    """No stop signal is acted on between setting the old build aside and putting the new one
    in place; one that came meanwhile is reported afterwards, the new build complete. Run in
    a process with threads (this one, by now), where a blocked signal mask would not do."""
    build, tmp = tmp_path / "build", tmp_path / ".build.partial-1"
    for folder, text in ((build, "old"), (tmp, "new")):
        folder.mkdir()
        (folder / "index.html").write_text(text, encoding="utf-8")
    real_exchange = runner_build._exchange

    def exchange_after_a_signal(a, b):
        os.kill(os.getpid(), signal.SIGHUP)  # deferred: acted on, it would end pytest
        return real_exchange(a, b)

    monkeypatch.setattr(runner_build, "_exchange", exchange_after_a_signal)
    assert runner_build._publish(tmp, build) == [signal.SIGHUP]
    assert (build / "index.html").read_text(encoding="utf-8") == "new"
    assert not tmp.exists()


def test_a_stop_while_the_build_is_put_in_place_reports_the_new_build_complete(
    tmp_path, monkeypatch, capsys
):
    """What the command line says when _publish reports a late signal (the test above): the
    runs' summary, then that the new build is in place, and exit 128 + signal."""
    from lib.__main__ import main

    m = manifest(tmp_path, "sleeps.ipynb:\n  quick: {seconds: 0}\n")
    done = runner_build.Result("sleeps--quick", "sleeps.ipynb", "quick", {}, "ok", 0.1)

    def published_then_stopped(runs, build, **_):
        raise runner_build.StoppedAfterPublishing(signal.SIGHUP, [done])

    real_run_batch = runner_build.run_batch
    monkeypatch.setattr(runner_build, "run_batch", published_then_stopped)
    assert main(command(m, tmp_path / "build")[3:]) == 128 + signal.SIGHUP
    out, err = capsys.readouterr()
    assert "runs: 1 ok, 0 failed" in out
    assert "interrupted (SIGHUP) as the new build was put in place" in err
    assert "is the new build, complete" in err and "left as it was" not in err
    # and run_batch raises it once the build is in place (no run: no kernel needed)
    monkeypatch.setattr(runner_build, "_publish", lambda tmp, build: [signal.SIGTERM])
    with pytest.raises(runner_build.StoppedAfterPublishing) as late:
        real_run_batch([], tmp_path / "other", progress=False)
    assert (late.value.signum, late.value.results) == (signal.SIGTERM, [])


def test_the_font_subset_keeps_the_source_fonts_time_stamp_so_two_builds_give_the_same_bytes(
    tmp_path,
):
    from fontTools.ttLib import TTFont

    from lib.charts import font_path

    (tmp_path / "a.html").write_text("业界传真 abc", encoding="utf-8")
    written = TTFont(str(runner_pages.write_font(tmp_path)))
    assert written["head"].modified == TTFont(str(font_path()), lazy=True)["head"].modified
    assert {chr(c) for c in written.getBestCmap()} == set("业界传真 abc")

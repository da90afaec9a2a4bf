"""The batch runner on fixture notebooks, the real manifest's smallest run, and the index in a browser."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lib import batch
from lib.errors import DataError
from lib.page import ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"


def manifest(tmp_path, text):
    for nb in FIXTURES.glob("*.ipynb"):
        shutil.copy(nb, tmp_path / nb.name)
    path = tmp_path / "runs.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def command(manifest_path, build, *extra):
    """The main job's command line on a manifest, without a progress bar."""
    return [sys.executable, "-m", "lib", "run", "--manifest", str(manifest_path), "--build",
            str(build), "-q", *extra]


def links_of(html_path):
    text = html_path.read_text(encoding="utf-8")
    return re.findall(r'(?:href|src)="([^"#:]+)"', text)


def test_success_writes_every_run_and_an_index_whose_links_resolve(tmp_path):
    m = manifest(tmp_path, "writes-results.ipynb:\n  a: {greeting: hi}\n  b: {greeting: 你好}\n")
    runs = batch.read_manifest(m)
    batch.check_runs(runs)
    results = batch.run_batch(runs, tmp_path / "build", workers=2, progress=False)
    assert [(r.id, r.status) for r in results] == [("writes-results--a", "ok"),
                                                   ("writes-results--b", "ok")]
    out = tmp_path / "build" / "writes-results--b"
    assert json.loads((out / "results.json").read_text())["greeting"] == "你好"
    assert {"writes-results.ipynb", "writes-results.html", "line.png"} <= set(results[1].files)
    index = tmp_path / "build" / "index.html"
    links = links_of(index)
    assert len(links) >= 8
    assert [u for u in links if not (index.parent / u).exists()] == []
    assert not list(tmp_path.glob(".build.partial-*"))


def test_without_the_fork_server_kernels_start_as_processes_and_give_the_same_outputs(tmp_path):
    m = manifest(tmp_path, "writes-results.ipynb:\n  a: {greeting: hi}\n")
    runs = batch.read_manifest(m)
    forked = batch.run_batch(runs, tmp_path / "forked", workers=1, progress=False)
    plain = batch.run_batch(runs, tmp_path / "plain", workers=1, progress=False, fork=False)
    assert [r.status for r in forked + plain] == ["ok", "ok"]

    def outputs(build):
        nb = json.loads((build / "writes-results--a" / "writes-results.ipynb").read_text())
        return [[{k: v for k, v in o.items() if k != "metadata"} for o in c.get("outputs", [])]
                for c in nb["cells"] if c["cell_type"] == "code"][1:]  # after injected params

    assert outputs(tmp_path / "forked")[-1] == outputs(tmp_path / "plain")[-1]


def test_failing_cell_is_reported_and_does_not_stop_the_others(tmp_path):
    m = manifest(tmp_path, "fails-in-cell-2.ipynb:\n  x: {}\nwrites-results.ipynb:\n  a: {}\n")
    results = batch.run_batch(batch.read_manifest(m), tmp_path / "build", workers=2,
                              progress=False)
    failed, ok = results
    # the cell is papermill's "In [n]" of the executed notebook: its injected cell counts too
    assert (failed.status, failed.cell) == ("failed", 3)
    assert failed.error.startswith("ValueError: boom: the fixture fails here")
    assert ok.status == "ok"
    summary = batch.summarise(results)
    assert "runs: 1 ok, 1 failed" in summary
    assert "FAILED fails-in-cell-2--x (In [3]): ValueError: boom" in summary
    # the failed run's notebook and HTML are still written, with papermill's error banner
    assert "fails-in-cell-2.html" in failed.files


def test_the_executed_notebook_is_written_once_with_every_cell_recorded(tmp_path, monkeypatch):
    import papermill
    import papermill.engines

    writes = []
    real_write = papermill.engines.write_ipynb
    monkeypatch.setattr(papermill.engines, "write_ipynb",
                        lambda nb, path, **kw: (writes.append(path), real_write(nb, path, **kw)))
    batch._register_engine()
    out = tmp_path / "run.ipynb"
    nb = papermill.execute_notebook(str(FIXTURES / "writes-results.ipynb"), str(out),
                                    parameters={"output_dir": str(tmp_path)}, cwd=str(tmp_path),
                                    engine_name=batch.ENGINE, kernel_name="python3",
                                    progress_bar=False)
    assert writes == [str(out)]  # papermill's own engine writes at every cell's start and end
    assert [c.metadata.papermill["status"] for c in nb.cells] == ["completed"] * len(nb.cells)
    assert json.loads(out.read_text(encoding="utf-8"))["cells"][-1]["outputs"] != []


def test_a_failed_run_keeps_its_notebook_with_the_error(tmp_path):
    batch._register_engine()
    import papermill

    out = tmp_path / "run.ipynb"
    with pytest.raises(papermill.PapermillExecutionError):
        papermill.execute_notebook(str(FIXTURES / "fails-in-cell-2.ipynb"), str(out),
                                   cwd=str(tmp_path), engine_name=batch.ENGINE,
                                   kernel_name="python3", progress_bar=False)
    text = out.read_text(encoding="utf-8")
    assert "boom: the fixture fails here" in text
    assert "An Exception was encountered at" in text  # papermill's error banner cell


def test_html_shows_code_escaped(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('x = "<script>alert(1)</script><img src=x>"')]
    path = tmp_path / "escaped.ipynb"
    nbformat.write(nb, path)
    batch._render_html(path)
    body = path.with_suffix(".html").read_text(encoding="utf-8")
    assert "<script>alert" not in body and "<img src=x>" not in body
    assert "&lt;script&gt;alert" in body


def test_cli_exit_status_is_non_zero_when_a_run_fails(tmp_path):
    m = manifest(tmp_path, "fails-in-cell-2.ipynb:\n  x: {}\n")
    r = subprocess.run(command(m, tmp_path / "build"), capture_output=True, text=True,
                       cwd=ROOT, timeout=180)
    assert r.returncode == 1
    assert "FAILED fails-in-cell-2--x (In [3])" in r.stdout


def test_unknown_parameter_stops_the_batch_before_anything_runs(tmp_path):
    m = manifest(tmp_path, "writes-results.ipynb:\n  a: {greting: hi}\n")
    with pytest.raises(DataError, match=r"run 'writes-results--a': parameter 'greting' is not "
                                        r"in writes-results.ipynb's parameters cell \(known: "
                                        r"greeting, output_dir\)"):
        batch.check_runs(batch.read_manifest(m), "runs.yaml")


def test_cli_exit_status_is_2_and_nothing_runs_for_an_unknown_parameter(tmp_path):
    m = manifest(tmp_path, "writes-results.ipynb:\n  a: {greting: hi}\n")
    r = subprocess.run(command(m, tmp_path / "build"), capture_output=True, text=True,
                       cwd=ROOT, timeout=120)
    assert r.returncode == 2
    assert "parameter 'greting' is not in writes-results.ipynb's parameters cell" in r.stderr
    assert not (tmp_path / "build").exists()
    assert not list(tmp_path.glob(".build.*"))


def test_ctrl_c_while_the_manifest_is_checked_exits_130_without_a_traceback(tmp_path, monkeypatch,
                                                                         capsys):
    from lib.__main__ import main

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "check_runs", interrupted)
    m = manifest(tmp_path, "writes-results.ipynb:\n  a: {}\n")
    assert main(["run", "--manifest", str(m), "--build", str(tmp_path / "build"), "-q"]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert not (tmp_path / "build").exists()


def test_output_dir_is_reserved_for_the_runner(tmp_path):
    m = manifest(tmp_path, "writes-results.ipynb:\n  a: {output_dir: /elsewhere}\n")
    with pytest.raises(DataError, match="parameter 'output_dir' is set by the runner"):
        batch.check_runs(batch.read_manifest(m))


@pytest.mark.parametrize("text, message", [
    ("missing.ipynb:\n  a: {}\n", r"runs.yaml: entry 'missing.ipynb': notebook not found"),
    ("writes-results.ipynb: [1, 2]\n", r"entry 'writes-results.ipynb': expected named parameter"),
    ("writes-results.ipynb:\n  a: {greeting: [\n", r"runs.yaml:\d+: not valid YAML"),
    ("", r"runs.yaml: expected a mapping of notebook file"),
])
def test_broken_manifest_names_the_entry(tmp_path, text, message):
    with pytest.raises(DataError, match=message):
        batch.read_manifest(manifest(tmp_path, text))


def test_filters_pick_notebook_and_set(tmp_path):
    m = manifest(tmp_path, "writes-results.ipynb:\n  a: {}\n  b: {}\nsleeps.ipynb:\n  a: {}\n")
    runs = batch.read_manifest(m)
    assert [r.id for r in batch.select_runs(runs, "writes-*", "b")] == ["writes-results--b"]
    assert [r.id for r in batch.select_runs(runs, None, "a")] == ["writes-results--a",
                                                                "sleeps--a"]
    with pytest.raises(DataError, match="no run matches notebook='nope'"):
        batch.select_runs(runs, "nope")


def test_longest_runs_of_the_last_build_go_first(tmp_path):
    m = manifest(tmp_path, "writes-results.ipynb:\n  a: {}\n  b: {}\n  c: {}\n")
    runs = batch.read_manifest(m)
    build = tmp_path / "build"
    assert batch.longest_first(runs, build) == runs  # no previous build: manifest order
    build.mkdir()
    (build / "runs.json").write_text(json.dumps([
        {"id": "writes-results--a", "seconds": 1.0},
        {"id": "writes-results--b", "seconds": 9.0}]), encoding="utf-8")
    assert [r.set_name for r in batch.longest_first(runs, build)] == ["c", "b", "a"]


def test_timeout_ends_a_hung_kernel(tmp_path):
    m = manifest(tmp_path, "sleeps.ipynb:\n  long: {seconds: 120}\n")
    started = time.perf_counter()
    (result,) = batch.run_batch(batch.read_manifest(m), tmp_path / "build", workers=1,
                                timeout=3, progress=False)
    assert result.status == "timeout"
    assert time.perf_counter() - started < 60


def _kernels_using(runtime_dir):
    import psutil
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmd = " ".join(proc.info["cmdline"] or [])
        # kernels started as processes (ipykernel_launcher), or forked: their proxies and the
        # fork servers carry lib.kernels and a socket in the runtime folder
        if ("ipykernel" in cmd or "lib.kernels" in cmd) and str(runtime_dir) in cmd:
            found.append(proc.pid)
    return found


def test_interrupt_leaves_the_previous_build_and_no_kernel(tmp_path):
    m = manifest(tmp_path, "sleeps.ipynb:\n  long: {seconds: 120}\n  long2: {seconds: 120}\n")
    build = tmp_path / "build"
    build.mkdir()
    (build / "index.html").write_text("the previous build", encoding="utf-8")
    runtime = tmp_path / "runtime"  # kernels' connection files land in TMPDIR: ours to find
    runtime.mkdir()
    env = {**os.environ, "TMPDIR": str(runtime)}
    proc = subprocess.Popen(command(m, build, "-j", "2"), cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and len(_kernels_using(runtime)) < 2:
        time.sleep(0.2)
    started = _kernels_using(runtime)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    # two runs, each with a kernel; each worker also boots a spare for its next run
    assert len(started) >= 2, f"the runs' kernels should have been running: {started}; {err}"
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert (build / "index.html").read_text(encoding="utf-8") == "the previous build"
    assert not list(tmp_path.glob(".build.*"))
    time.sleep(0.5)
    assert _kernels_using(runtime) == []
    # the workers' files went with them: kernels' connection files, the fork servers' folders
    assert sorted(p.name for p in runtime.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="kernels are forked only where fork() exists")
def test_killed_batch_leaves_no_kernel_running(tmp_path):
    """SIGKILL of the batch and its workers (nothing can clean up): the proxies see their worker
    gone and end their kernels; the fork servers see their worker's pipe close."""
    import psutil

    m = manifest(tmp_path, "sleeps.ipynb:\n  long: {seconds: 120}\n  long2: {seconds: 120}\n")
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    proc = subprocess.Popen(command(m, tmp_path / "build", "-j", "2"), cwd=ROOT,
                            env={**os.environ, "TMPDIR": str(runtime)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    # two fork servers, and per worker two proxies with their forked kernels (the run's, the spare)
    while time.time() < deadline and len(_kernels_using(runtime)) < 6:
        time.sleep(0.2)
    assert len(_kernels_using(runtime)) >= 6
    main = psutil.Process(proc.pid)
    for p in [main, *main.children()]:
        p.kill()
    proc.wait()
    deadline = time.time() + 10
    while time.time() < deadline and _kernels_using(runtime):
        time.sleep(0.2)
    assert _kernels_using(runtime) == []


def test_real_manifest_lists_only_known_parameters():
    runs = batch.read_manifest()
    batch.check_runs(runs)
    assert {r.notebook.name for r in runs} == {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}


@pytest.fixture(scope="module")
def real_build(tmp_path_factory):
    """The smallest subset of the real manifest, built end to end through the command line."""
    build = tmp_path_factory.mktemp("real") / "build"
    r = subprocess.run([sys.executable, "-m", "lib", "run", "--notebook", "00-overview",
                        "--set", "en", "--build", str(build), "-q"], capture_output=True,
                       text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    return build


def test_real_manifest_smallest_subset_end_to_end(real_build):
    runs = json.loads((real_build / "runs.json").read_text(encoding="utf-8"))
    assert [(r["id"], r["status"]) for r in runs] == [("00-overview--en", "ok")]
    out = real_build / "00-overview--en"
    assert json.loads((out / "overview.json").read_text(encoding="utf-8"))["items"] == 10
    index = real_build / "index.html"
    assert [u for u in links_of(index) if not (index.parent / u).exists()] == []


CHROMIUM = shutil.which("chromium")


@pytest.mark.skipif(not CHROMIUM and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (.ci/run installs it)")
def test_index_and_a_run_page_load_in_a_real_browser(real_build):
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "chromium must be installed for this check (apt-get install chromium)"
    pages = [real_build / "index.html", real_build / "00-overview--en" / "00-overview.html"]
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page()
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
                if m.type == "error" else None)
        page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}")
                if r.url.startswith("file:") else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        for path in pages:
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            broken = page.eval_on_selector_all(
                "img", "els => els.filter(e => !e.complete || e.naturalWidth === 0)"
                       ".map(e => e.getAttribute('src'))")
            problems += [f"{path.name}: broken image {src}" for src in broken]
            hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
            for href in hrefs:
                if href.startswith("file:"):
                    target = Path(href.split("#")[0][len("file://"):])
                    if not target.exists():
                        problems.append(f"{path.name}: broken link {href}")
        images = page.goto(pages[0].as_uri()) and page.eval_on_selector_all("img", "e => e.length")
        browser.close()
    assert problems == []
    assert images >= 1


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_a_non_finite_number_in_the_manifest_is_rejected_naming_the_parameter(tmp_path, value):
    m = manifest(tmp_path, f"sleeps.ipynb:\n  a: {{seconds: {value}}}\n")
    with pytest.raises(DataError, match=r"runs.yaml: run 'sleeps--a': parameter 'seconds': "
                                        r"-?(nan|inf) is not a finite number"):
        batch.check_runs(batch.read_manifest(m), "runs.yaml")

"""Smoke test: the collection works in JupyterLab, the tool our users explore it with.

Starts JupyterLab headless on a free localhost port with a token, checks over its REST API
that every notebook is listed, runs one notebook's cells in a kernel the server starts, then
shuts the server down.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest
import websocket  # websocket-client, pinned: a broken install fails here

from lib.paths import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    def __init__(self, port: int, token: str):
        self.base = f"http://127.0.0.1:{port}"
        self.token = token

    def api(self, method: str, path: str, body: dict | None = None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            f"{self.base}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            text = resp.read().decode()
            return json.loads(text) if text else None


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    port, token = free_port(), uuid.uuid4().hex
    runtime = tmp_path_factory.mktemp("jupyter-runtime")
    log = (runtime / "lab.log").open("w")
    args = [  # python -m jupyterlab, with the IRI grammar deferred as in the test processes
        sys.executable,
        "-c",
        "import sys; from lib.lazy import defer_iri_grammar; defer_iri_grammar(); "
        "from jupyterlab.labapp import main; sys.exit(main())",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={ROOT}",
        "--ServerApp.port_retries=0",
    ]
    if os.geteuid() == 0:  # CI runs as root
        args.append("--allow-root")
    proc = subprocess.Popen(
        args,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime)},
    )
    server = Lab(port, token)
    deadline = time.time() + 60
    while True:
        try:
            server.api("GET", "/api/status")
            break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                pytest.fail(
                    "JupyterLab did not start: " + (runtime / "lab.log").read_text()[-2000:]
                )
            time.sleep(0.3)
    yield server
    try:
        server.api("POST", "/api/shutdown")
    except OSError:
        pass
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


def test_lab_lists_every_notebook(lab):
    listing = lab.api("GET", "/api/contents/notebooks")
    listed = {item["name"] for item in listing["content"] if item["type"] == "notebook"}
    on_disk = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert listed == on_disk
    assert len(listed) >= 2


def test_lab_token_is_required(lab):
    req = urllib.request.Request(f"{lab.base}/api/contents/notebooks")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 403


def test_overview_runs_in_a_kernel_the_server_starts(lab):
    path = "notebooks/00-overview.ipynb"
    nb = lab.api("GET", f"/api/contents/{path}")["content"]
    session = lab.api(
        "POST",
        "/api/sessions",
        {
            "path": path,
            "type": "notebook",
            "name": "00-overview.ipynb",
            "kernel": {"name": "python3"},
        },
    )
    kernel_id = session["kernel"]["id"]
    ws = websocket.create_connection(
        f"ws://{lab.base[len('http://') :]}/api/kernels/{kernel_id}/channels?token={lab.token}",
        timeout=120,
    )
    try:
        replies = []
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            msg_id = uuid.uuid4().hex
            ws.send(
                json.dumps(
                    {
                        "header": {
                            "msg_id": msg_id,
                            "username": "test",
                            "session": uuid.uuid4().hex,
                            "msg_type": "execute_request",
                            "version": "5.3",
                        },
                        "parent_header": {},
                        "metadata": {},
                        "channel": "shell",
                        "content": {
                            "code": cell["source"],
                            "silent": False,
                            "store_history": True,
                            "user_expressions": {},
                            "allow_stdin": False,
                            "stop_on_error": True,
                        },
                    }
                )
            )
            while True:
                msg = json.loads(ws.recv())
                if (
                    msg.get("parent_header", {}).get("msg_id") == msg_id
                    and msg["msg_type"] == "execute_reply"
                ):
                    replies.append(msg["content"])
                    break
        assert [r["status"] for r in replies] == ["ok"] * len(replies)
        assert len(replies) >= 5
    finally:
        ws.close()
        lab.api("DELETE", f"/api/sessions/{session['id']}")

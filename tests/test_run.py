"""Storing notebook outputs: a notebook is replaced whole or not at all."""

from pathlib import Path

import nbformat
import pytest

from lib.runner import store


def test_save_notebook_replaces_the_file_whole(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_text("the old notebook", encoding="utf-8")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    store.save_notebook(nb, path)
    assert nbformat.read(path, as_version=4).cells[0].source == "1 + 1"
    assert [p.name for p in tmp_path.iterdir()] == ["nb.ipynb"]


def test_a_write_that_fails_midway_leaves_the_old_notebook_and_no_temporary_file(
    tmp_path, monkeypatch
):
    path = tmp_path / "nb.ipynb"
    path.write_text("the old notebook", encoding="utf-8")

    def half_written(nb, target):
        Path(target).write_text('{"cells": [', encoding="utf-8")
        raise KeyboardInterrupt  # as Ctrl-C would, mid-write

    monkeypatch.setattr(nbformat, "write", half_written)
    with pytest.raises(KeyboardInterrupt):
        store.save_notebook(nbformat.v4.new_notebook(), path)
    assert path.read_text(encoding="utf-8") == "the old notebook"
    assert [p.name for p in tmp_path.iterdir()] == ["nb.ipynb"]


def test_store_outputs_runs_a_new_kernel_over_unix_sockets_and_leaves_no_file(
    tmp_path, monkeypatch, capfd
):
    """A kernel started as a new process, as JupyterLab starts one; over UNIX sockets in a
    folder of the call's own (no TCP port to lose to another process, no TCP warning on the
    user's terminal), removed after."""
    import tempfile

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setattr(store, "ROOT", tmp_path)  # where it says "stored nb.ipynb" from
    store.store_outputs([path])
    assert nbformat.read(path, as_version=4).cells[0].outputs[0]["text"] == "42\n"
    assert list(scratch.iterdir()) == []
    out, err = capfd.readouterr()
    assert out == "stored nb.ipynb\n" and "TCP" not in err

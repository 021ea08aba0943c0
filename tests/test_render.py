"""The render command executes notebooks in place, reproducibly, and names the cell that fails."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from helpers.render import render_all


def write_notebook(path, sources):
    """Write a notebook with the given code cells."""
    book = new_notebook(cells=[new_code_cell(s) for s in sources])
    book.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nbformat.write(book, path)


def test_render_executes_in_place_names_a_failing_cell_and_twice_gives_the_same_bytes(tmp_path, capsys):
    """Outputs and counts 1..n are written into each notebook; a cell that raises makes render return 1 and print the
    notebook, the code-cell number and the error, leaving that notebook as it was; a second render changes no byte.

    One render of two notebooks covers both behaviours, so the test starts one worker and two kernels, not three of each.
    """
    path = tmp_path / "01_ok.ipynb"
    write_notebook(path, ["x = 6 * 7", "print(x)"])
    broken = tmp_path / "02_broken.ipynb"
    write_notebook(broken, ["a = 1", "1 / 0"])
    broken_before = broken.read_bytes()
    assert render_all([path, broken], figures=False, jobs=1, out=io.StringIO()) == 1
    assert "02_broken.ipynb: code cell 2: ZeroDivisionError" in capsys.readouterr().err
    assert broken.read_bytes() == broken_before
    first = path.read_bytes()
    book = nbformat.read(path, as_version=4)
    assert [c.execution_count for c in book.cells] == [1, 2]
    assert book.cells[1].outputs[0]["text"] == "42\n"
    assert "execution" not in book.cells[0].metadata
    assert render_all([path], figures=False, jobs=1, out=io.StringIO()) == 0
    assert path.read_bytes() == first


def test_broken_data_stops_the_render_before_any_kernel_starts(tmp_path, data_copy, monkeypatch, capsys):
    """With a broken CSV, render prints each problem once and returns 1 without running a notebook."""
    from helpers import paths

    line = data_copy.set("events", 1, "date", "10/05/2019")
    monkeypatch.setattr(paths, "DATA_DIR", data_copy.root)
    path = tmp_path / "01_ok.ipynb"
    write_notebook(path, ["x = 1"])
    before = path.read_bytes()
    assert render_all([path], figures=False, jobs=1, out=io.StringIO()) == 1
    err = capsys.readouterr().err
    assert err.count(f"events.csv:{line}: date:") == 1
    assert path.read_bytes() == before


def _children(pid: int) -> list[int]:
    """Process ids whose parent is pid (read from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_sigterm_stops_workers_and_kernels_and_leaves_files_whole(tmp_path):
    """A render killed with SIGTERM exits non-zero, stops its worker and kernel, and leaves the notebook as it was."""
    path = tmp_path / "01_slow.ipynb"
    running = tmp_path.parent / f"{tmp_path.name}.running"  # written by the kernel once the slow cell has started
    write_notebook(path, ["import time", f"open({str(running)!r}, 'w').close()\ntime.sleep(120)"])
    before = path.read_bytes()
    code = (
        "import sys; from pathlib import Path; from helpers.render import render_all; "
        f"sys.exit(render_all([Path({str(path)!r})], figures=False, jobs=1))"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not running.exists() and time.monotonic() < deadline:  # wait until the kernel runs the slow cell
        time.sleep(0.1)
    assert running.exists(), "the worker and its kernel never started"
    workers = _children(proc.pid)
    family = workers + [k for w in workers for k in _children(w)]
    assert len(family) >= 2, family
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    deadline = time.monotonic() + 10
    while [p for p in family if _alive(p)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [p for p in family if _alive(p)] == []
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    assert os.environ.get("CI", "") in ("", "true")


def test_a_jupyterlab_save_of_an_unedited_notebook_changes_no_byte(tmp_path):
    """Saving a rendered notebook through Jupyter's contents manager (what JupyterLab's autosave calls) rewrites it byte for byte.

    The kernelspec and language_info are those the kernel reports and JupyterLab writes.
    """
    from ipykernel.ipkernel import IPythonKernel
    from jupyter_server.services.contents.filemanager import FileContentsManager

    from helpers import paths
    from helpers.render import KERNELSPEC

    for path in sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")):
        book = nbformat.read(path, as_version=4)
        assert book.metadata["kernelspec"] == KERNELSPEC, path.name
        assert book.metadata["language_info"] == IPythonKernel.language_info, path.name
        copy = tmp_path / path.name
        copy.write_bytes(path.read_bytes())
        manager = FileContentsManager(root_dir=str(tmp_path))
        model = manager.get(path.name, content=True, type="notebook")
        manager.save({"type": "notebook", "format": "json", "content": model["content"]}, path.name)
        assert copy.read_bytes() == path.read_bytes(), path.name


def test_a_worker_that_dies_fails_the_render_and_leaves_the_notebook_whole(tmp_path, capsys):
    """A worker killed mid-notebook is reported (render returns 1), its notebook is untouched and no temporary file is left."""
    path = tmp_path / "01_kills_worker.ipynb"
    write_notebook(path, ["import os, signal", "os.kill(os.getppid(), signal.SIGKILL)"])
    before = path.read_bytes()
    assert render_all([path], figures=False, jobs=1, out=io.StringIO()) == 1
    assert "worker exited -9" in capsys.readouterr().err
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_a_kernel_never_holds_the_workers_answer_pipe(tmp_path, monkeypatch):
    """render_notebook starts its kernel with stdout and stderr sent to a log, never the worker's stdout (its answer pipe):
    a kernel left behind by a dead worker would otherwise keep the parent from seeing the worker's end."""
    from nbclient import NotebookClient

    from helpers import render

    seen = {}

    def fake_execute(self, **kwargs):
        seen.update(kwargs)
        return self.nb

    monkeypatch.setattr(NotebookClient, "execute", fake_execute)
    path = tmp_path / "01_ok.ipynb"
    write_notebook(path, ["x = 1"])
    render.render_notebook(path, tmp_path / "out.ipynb")
    assert {"stdout", "stderr"} <= set(seen)
    assert all(seen[k] not in (None, sys.stdout, sys.__stdout__) and hasattr(seen[k], "write") for k in ("stdout", "stderr"))

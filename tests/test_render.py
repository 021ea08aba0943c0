"""The render command executes notebooks in place, reproducibly, and names the cell that fails."""

from __future__ import annotations

import io

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from helpers.render import render_all


def write_notebook(path, sources):
    """Write a notebook with the given code cells."""
    book = new_notebook(cells=[new_code_cell(s) for s in sources])
    book.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nbformat.write(book, path)


def test_render_executes_in_place_and_twice_gives_the_same_bytes(tmp_path):
    """Outputs and counts 1..n are written into the notebook, and a second render changes no byte."""
    path = tmp_path / "01_ok.ipynb"
    write_notebook(path, ["x = 6 * 7", "print(x)"])
    assert render_all([path], figures=False, jobs=1, out=io.StringIO()) == 0
    first = path.read_bytes()
    book = nbformat.read(path, as_version=4)
    assert [c.execution_count for c in book.cells] == [1, 2]
    assert book.cells[1].outputs[0]["text"] == "42\n"
    assert "execution" not in book.cells[0].metadata
    render_all([path], figures=False, jobs=1, out=io.StringIO())
    assert path.read_bytes() == first


def test_failing_cell_is_named_and_the_command_fails(tmp_path, capsys):
    """A cell that raises makes render return 1 and print the notebook, the code-cell number and the error."""
    path = tmp_path / "02_broken.ipynb"
    write_notebook(path, ["a = 1", "1 / 0"])
    assert render_all([path], figures=False, jobs=1, out=io.StringIO()) == 1
    assert "02_broken.ipynb: code cell 2: ZeroDivisionError" in capsys.readouterr().err

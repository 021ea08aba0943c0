"""Execute every notebook in order, in place, the way CI checks them, and write the key figures."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from helpers import paths

KERNEL = "python3"
TIMEOUT_S = 300


class RenderError(RuntimeError):
    """A notebook cell failed: names the notebook, the cell number and the error.

    >>> str(RenderError("02_x.ipynb: code cell 2: ZeroDivisionError: division by zero"))
    '02_x.ipynb: code cell 2: ZeroDivisionError: division by zero'
    """


def _failing_cell(book: nbformat.NotebookNode) -> tuple[int, str]:
    """Return (1-based code-cell number, error text) of the first cell with an error output."""
    number = 0
    for cell in book.cells:
        if cell.cell_type != "code":
            continue
        number += 1
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return number, f"{out.get('ename')}: {out.get('evalue')}"
    return 0, "unknown error"


def _normalise(book: nbformat.NotebookNode) -> None:
    """Drop what varies between runs (timings) and pin the kernel name, so unchanged inputs give unchanged files."""
    book.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": KERNEL}
    book.metadata.get("language_info", {}).pop("version", None)
    for cell in book.cells:
        cell.metadata.pop("execution", None)


def render_notebook(path: Path) -> float:
    """Execute one notebook in a fresh kernel, write it back, and return the seconds it took.

    >>> render_notebook(paths.NOTEBOOKS_DIR / "05_seed_check.ipynb") > 0  # doctest: +SKIP
    True
    """
    book = nbformat.read(path, as_version=4)
    client = NotebookClient(
        book, timeout=TIMEOUT_S, kernel_name=KERNEL, record_timing=False, resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.perf_counter()
    # The kernel's own stderr (start-up notices) goes to a log shown only if the notebook fails.
    with tempfile.TemporaryFile(mode="w+") as log:
        try:
            client.execute(stderr=log)
        except CellExecutionError as exc:
            number, error = _failing_cell(book)
            raise RenderError(f"{path.name}: code cell {number}: {error}") from exc
        except Exception as exc:  # the kernel died or never started: show what it printed
            log.seek(0)
            raise RenderError(f"{path.name}: kernel failed: {exc}\n{log.read()[-2000:]}") from exc
    _normalise(book)
    nbformat.write(book, path)
    return time.perf_counter() - start


def render_all(notebooks: list[Path] | None = None, *, figures: bool = True, jobs: int = 2, out=sys.stdout) -> int:
    """Render the notebooks (each in its own fresh kernel, ``jobs`` at a time), then write figures/.

    Progress is printed in name order; the first failing notebook is reported with its code-cell
    number and error, and the command returns 1. Notebooks do not depend on each other, so
    running two at once on a 2-core machine changes nothing in their outputs.

    >>> render_all([])  # doctest: +SKIP
    0
    """
    books = notebooks or sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # quiets a debugger warning in kernels
    total = time.perf_counter()
    failed = False
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(render_notebook, path) for path in books]
        for i, (path, future) in enumerate(zip(books, futures, strict=True), 1):
            print(f"[{i}/{len(books)}] {path.name} ...", end=" ", flush=True, file=out)
            try:
                seconds = future.result()
            except RenderError as exc:
                print("FAILED", file=out)
                print(f"error: {exc}", file=sys.stderr)
                failed = True
                continue
            print(f"{seconds:.1f} s, {path.stat().st_size / 1e6:.2f} MB", file=out)
    if failed:
        return 1
    if figures:
        import matplotlib

        matplotlib.use("Agg")
        from helpers import load
        from helpers.export import export_all
        from helpers.figures import save_key_figures

        tables = load()
        written = save_key_figures(tables)
        print(f"wrote {len(written)} files to {paths.FIGURES_DIR.relative_to(paths.ROOT)}/", file=out)
        from helpers.schema import codebook_markdown

        (paths.DATA_DIR / "CODEBOOK.md").write_text(codebook_markdown() + "\n", encoding="utf-8")
        exports = export_all(t=tables)
        print(f"wrote {len(exports)} exports to {paths.EXPORTS_DIR.relative_to(paths.ROOT)}/", file=out)
    print(f"done in {time.perf_counter() - total:.1f} s", file=out)
    return 0

"""Execute every notebook in order, in place, the way CI checks them, and write the key figures.

The data is validated once before any kernel starts. Each notebook runs in its own worker
process (``python -m helpers.render NOTEBOOK OUT``) and fresh kernel, written to a temporary file
and renamed into place only when it ran through, so an interrupted render (Ctrl-C, SIGTERM, a CI
time-out) stops its workers and kernels and leaves every committed file whole.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from helpers import paths

KERNEL = "python3"
#: The kernelspec as ipykernel installs it (``jupyter kernelspec list``): what JupyterLab writes on save.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": KERNEL}
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
    """Drop what varies between runs (timings) and write the metadata JupyterLab writes, so unchanged inputs give unchanged files.

    language_info is kept as the kernel reported it (name, version, lexer): JupyterLab writes the
    same from the same kernel, so an autosave of an unedited notebook is byte-identical.
    """
    # The kernelspec and language_info JupyterLab itself writes when it saves a notebook run in
    # this environment's kernel, so that opening and autosaving a notebook changes no byte.
    book.metadata["kernelspec"] = dict(KERNELSPEC)
    for cell in book.cells:
        cell.metadata.pop("execution", None)


def render_notebook(path: Path, out: Path | None = None) -> float:
    """Execute one notebook in a fresh kernel, write it to ``out`` (default: in place), return the seconds taken.

    Raises RenderError naming the notebook, the failing code cell and the error. SIGTERM is
    turned into KeyboardInterrupt, so nbclient shuts the kernel down before the process ends.

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
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # the kernel died or never started: show what it printed
            log.seek(0)
            raise RenderError(f"{path.name}: kernel failed: {exc}\n{log.read()[-2000:]}") from exc
    _normalise(book)
    with paths.atomic_write(out or path) as tmp:
        nbformat.write(book, tmp)
    return time.perf_counter() - start


class _Interrupted(Exception):
    """Raised in the parent when SIGTERM arrives, so the render stops its workers and exits."""


def _raise_interrupted(signum, frame):  # noqa: ARG001 - signal handler signature
    raise _Interrupted(signal.Signals(signum).name)


def _stop(workers: dict, grace_s: float = 15.0) -> None:
    """Ask every running worker to stop (SIGTERM: it shuts its kernel down), then kill what remains."""
    for proc, _tmp in workers.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    for proc, tmp in workers.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        Path(tmp).unlink(missing_ok=True)


def _validate_first(out) -> bool:
    """Validate the data package once; print each problem once and return False when there are any."""
    from helpers.load import validate_once

    problems = validate_once(paths.DATA_DIR)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in the data; no notebook was run (fix them, then render again)", file=sys.stderr)
    return not problems


def render_all(notebooks: list[Path] | None = None, *, figures: bool = True, jobs: int = 2, out=sys.stdout) -> int:
    """Render the notebooks (each in its own worker and fresh kernel, ``jobs`` at a time), then write figures/.

    Returns 0 on success; 1 when the data is invalid (each problem printed once, before any
    kernel starts) or a notebook fails (named with its code-cell number and error); 130 when
    interrupted by Ctrl-C or SIGTERM, after stopping every worker and kernel. Progress is printed
    in name order. Notebooks do not depend on each other, so running two at once on a 2-core
    machine changes nothing in their outputs.

    >>> render_all([])  # doctest: +SKIP
    0
    """
    books = list(notebooks or sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")))
    if not _validate_first(out):
        return 1
    env = dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION="1")  # quiets a debugger warning in kernels
    total = time.perf_counter()
    previous = signal.signal(signal.SIGTERM, _raise_interrupted)
    workers: dict[int, tuple[subprocess.Popen, Path]] = {}
    results: dict[int, tuple[int, str, float]] = {}
    started: dict[int, float] = {}
    failed = False
    try:
        pending = list(range(len(books)))
        shown = 0
        while pending or workers:
            while pending and len(workers) < max(1, jobs):
                i = pending.pop(0)
                fd, tmp = tempfile.mkstemp(prefix=f".{books[i].name}.", suffix=".tmp", dir=books[i].parent)
                os.close(fd)
                cmd = [sys.executable, "-m", "helpers.render", str(books[i]), tmp]
                proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                workers[i] = (proc, Path(tmp))
                started[i] = time.perf_counter()
            for i, (proc, tmp) in list(workers.items()):
                if proc.poll() is None:
                    continue
                err = proc.stderr.read() if proc.stderr else ""
                if proc.returncode == 0:
                    os.replace(tmp, books[i])
                else:
                    Path(tmp).unlink(missing_ok=True)
                results[i] = (proc.returncode, err.strip(), time.perf_counter() - started[i])
                del workers[i]
            while shown in results:
                code, err, seconds = results[shown]
                path = books[shown]
                print(f"[{shown + 1}/{len(books)}] {path.name} ...", end=" ", flush=True, file=out)
                if code == 0:
                    print(f"{seconds:.1f} s, {path.stat().st_size / 1e6:.2f} MB", file=out)
                else:
                    print("FAILED", file=out)
                    print(f"error: {err.splitlines()[-1] if err else f'worker exited {code}'}", file=sys.stderr)
                    failed = True
                shown += 1
            time.sleep(0.05)
    except (KeyboardInterrupt, _Interrupted) as exc:
        _stop(workers)
        print(f"\ninterrupted ({exc or 'SIGINT'}): stopped {len(workers)} running notebook(s); committed files left whole", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    if failed:
        return 1
    if figures:
        import matplotlib

        matplotlib.use("Agg")
        from helpers import load
        from helpers.export import export_all
        from helpers.figures import save_key_figures
        from helpers.schema import codebook_markdown

        tables = load()
        written = save_key_figures(tables)
        print(f"wrote {len(written)} files to {paths.FIGURES_DIR.relative_to(paths.ROOT)}/", file=out)
        with paths.atomic_write(paths.DATA_DIR / "CODEBOOK.md") as tmp:
            tmp.write_text(codebook_markdown() + "\n", encoding="utf-8")
        exports = export_all(t=tables)
        print(f"wrote {len(exports)} exports to {paths.EXPORTS_DIR.relative_to(paths.ROOT)}/", file=out)
        from helpers.findings import update_readme

        if update_readme(tables):
            print("updated the README's computed numbers", file=out)
    print(f"done in {time.perf_counter() - total:.1f} s", file=out)
    return 0


def _keyboard_interrupt(signum, frame):  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt


def _worker(argv: list[str]) -> int:
    """Entry point of one worker: render argv[0] into argv[1]; exit 1 with the error on stderr."""
    signal.signal(signal.SIGTERM, _keyboard_interrupt)
    try:
        render_notebook(Path(argv[0]), Path(argv[1]))
    except RenderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(_worker(sys.argv[1:]))

"""Execute every notebook in order, in place, the way CI checks them, and write the key figures.

The data is validated once before any kernel starts. Two worker processes (``python -m
helpers.render --worker``) take the tasks in turn: the figures and exports, then the notebooks,
each in a fresh kernel, written to a temporary file and renamed into place only when it ran
through, so an interrupted render (Ctrl-C, SIGTERM, a CI time-out) stops its workers and kernels
and leaves every committed file whole.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from helpers.imports import skip_unused_format_checkers

skip_unused_format_checkers()  # before nbformat imports jsonschema

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellExecutionError  # noqa: E402

from helpers import paths  # noqa: E402

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
    # The kernel's own stdout and stderr (start-up notices) go to a log shown only if the notebook
    # fails. Not inheriting the worker's stdout matters: that pipe carries the worker's answers, and
    # a kernel holding it open would keep the parent from seeing a dead worker's end of output.
    with tempfile.TemporaryFile(mode="w+") as log:
        try:
            client.execute(stdout=log, stderr=log)
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


def _validate_first(out) -> bool:
    """Validate the data package once; print each problem once and return False when there are any."""
    from helpers.load import validate_once

    problems = validate_once(paths.DATA_DIR)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in the data; no notebook was run (fix them, then render again)", file=sys.stderr)
    return not problems


def write_outputs() -> list[str]:
    """Write the key figures, the codebook, the exports and the README's computed numbers; return one line per step.

    Everything here is computed from the validated tables, independently of the notebooks, so
    :func:`render_all` runs it in a worker beside them.
    """
    import matplotlib

    matplotlib.use("Agg")
    from helpers import load
    from helpers.export import export_all
    from helpers.figures import save_key_figures
    from helpers.findings import update_readme
    from helpers.schema import codebook_markdown

    tables = load()
    lines = [f"wrote {len(save_key_figures(tables))} files to {paths.FIGURES_DIR.relative_to(paths.ROOT)}/"]
    with paths.atomic_write(paths.DATA_DIR / "CODEBOOK.md") as tmp:
        tmp.write_text(codebook_markdown() + "\n", encoding="utf-8")
    exports = export_all(t=tables)
    lines.append(f"wrote {len(exports)} exports to {paths.EXPORTS_DIR.relative_to(paths.ROOT)}/")
    if update_readme(tables):
        lines.append("updated the README's computed numbers")
    return lines


class _Worker:
    """One worker process (``python -m helpers.render --worker``) that runs tasks one at a time.

    A task is a JSON line on its stdin: ``["notebook", path, out]`` or ``["outputs"]``; the
    worker answers each with one JSON line ``{"ok": bool, "seconds": float, "lines": [...],
    "error": str}``. A thread reads the answers into the shared queue, so the parent waits on
    one queue for every worker; end of output is reported as None.
    """

    def __init__(self, number: int, answers: queue.Queue, env: dict):
        self.number = number
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "helpers.render", "--worker"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        self.task: tuple | None = None
        self.started = 0.0
        threading.Thread(target=self._read, args=(answers,), daemon=True).start()

    def _read(self, answers: queue.Queue) -> None:
        for line in self.proc.stdout:
            answers.put((self.number, json.loads(line)))
        answers.put((self.number, None))

    def give(self, task: tuple) -> None:
        """Send one task."""
        self.task, self.started = task, time.perf_counter()
        self.proc.stdin.write(json.dumps(task[:3]) + "\n")
        self.proc.stdin.flush()

    def finish(self) -> None:
        """Close stdin: the worker exits after its current task."""
        self.task = None
        if self.proc.stdin and not self.proc.stdin.closed:
            with contextlib.suppress(BrokenPipeError):  # the worker has died already
                self.proc.stdin.close()

    def stderr_tail(self) -> str:
        """The last lines the worker wrote to stderr (shown when it died)."""
        self.log.seek(0)
        return self.log.read()[-2000:].strip()


def _next(worker: _Worker, pending: list) -> None:
    """Give the worker the next pending task, or let it exit when none is left."""
    if pending:
        worker.give(pending.pop(0))
    else:
        worker.finish()


def _stop(workers: list[_Worker], grace_s: float = 15.0) -> None:
    """Ask every running worker to stop (SIGTERM: it shuts its kernel down; no further task), then kill what remains."""
    for w in workers:
        if w.proc.poll() is None:
            w.proc.send_signal(signal.SIGTERM)
            w.finish()
    deadline = time.monotonic() + grace_s
    for w in workers:
        try:
            w.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            w.proc.kill()
            w.proc.wait()


def render_all(notebooks: list[Path] | None = None, *, figures: bool = True, jobs: int = 2, out=sys.stdout) -> int:
    """Render the notebooks (each in a fresh kernel, ``jobs`` at a time) and write figures/, the exports and the README numbers.

    Returns 0 on success; 1 when the data is invalid (each problem printed once, before any
    kernel starts) or a notebook fails (named with its code-cell number and error); 130 when
    interrupted by Ctrl-C or SIGTERM, after stopping every worker and kernel. ``jobs`` worker
    processes take the tasks in turn: the figures and exports (with ``figures``; see
    :func:`write_outputs`) first, as the longest task, then the notebooks, largest file first. Each
    notebook is written to a temporary file and renamed into place only when it ran through.
    Progress is printed in name order. Notebooks do not depend on each other or on the figures,
    so running two at once on a 2-core machine changes nothing in their outputs.

    >>> render_all([])  # doctest: +SKIP
    0
    """
    books = list(notebooks or sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")))
    env = dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION="1")  # quiets a debugger warning in kernels
    total = time.perf_counter()
    previous = signal.signal(signal.SIGTERM, _raise_interrupted)
    answers: queue.Queue = queue.Queue()
    workers: list[_Worker] = []
    results: dict[int, tuple[bool, str, float]] = {}
    output_lines: list[str] = []
    temps: list[Path] = []
    failed = False
    try:
        # The workers start (Python and nbclient load) while the data is validated; they get no
        # task, so start no kernel, unless the data is valid.
        workers = [_Worker(n, answers, env) for n in range(max(1, min(jobs, len(books) + int(figures))))]
        if not _validate_first(out):
            for w in workers:
                w.finish()
            for w in workers:
                w.proc.wait()
            return 1
        pending: list[tuple] = [("outputs",)] if figures else []
        # Longest first, so that neither worker is left with a long notebook at the end: a notebook's
        # committed size (its figures) stands for its running time. Outputs do not depend on the order.
        for i, book in sorted(enumerate(books), key=lambda ib: (-ib[1].stat().st_size, ib[1].name)):
            fd, tmp = tempfile.mkstemp(prefix=f".{book.name}.", suffix=".tmp", dir=book.parent)
            os.close(fd)
            temps.append(Path(tmp))
            pending.append(("notebook", str(book), tmp, i))
        for w in workers:
            _next(w, pending)
        running = len(workers)
        shown = 0
        while running:
            try:
                number, answer = answers.get(timeout=0.2)
            except queue.Empty:
                continue
            w = workers[number]
            if answer is None:  # the worker ended: after its last task, or it died in one
                running -= 1
                if w.task is not None:
                    answer = {"ok": False, "error": f"worker exited {w.proc.wait()}: {w.stderr_tail()}"}
                else:
                    continue
            task, seconds = w.task, time.perf_counter() - w.started
            if task[0] == "outputs":
                output_lines += answer.get("lines", [])
                if not answer["ok"]:
                    print(f"error: figures and exports: {answer['error']}", file=sys.stderr)
                    failed = True
            else:
                i = task[3]
                if answer["ok"]:
                    os.replace(task[2], books[i])
                results[i] = (answer["ok"], answer.get("error", ""), seconds)
            if w.proc.poll() is None:
                _next(w, pending)
            while shown in results:
                ok, error, took = results[shown]
                path = books[shown]
                print(f"[{shown + 1}/{len(books)}] {path.name} ...", end=" ", flush=True, file=out)
                if ok:
                    print(f"{took:.1f} s, {path.stat().st_size / 1e6:.2f} MB", file=out)
                else:
                    print("FAILED", file=out)
                    print(f"error: {error}", file=sys.stderr)
                    failed = True
                shown += 1
    except (KeyboardInterrupt, _Interrupted) as exc:
        busy = sum(w.task is not None for w in workers)
        _stop(workers)
        print(f"\ninterrupted ({exc or 'SIGINT'}): stopped {busy} running task(s); committed files left whole", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
        for tmp in temps:
            tmp.unlink(missing_ok=True)
    for line in output_lines:
        print(line, file=out)
    if pending:
        print(f"error: {len(pending)} task(s) not run: every worker stopped", file=sys.stderr)
        failed = True
    if failed:
        return 1
    print(f"done in {time.perf_counter() - total:.1f} s", file=out)
    return 0


def _keyboard_interrupt(signum, frame):  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt


def _serve(tasks=sys.stdin, answers=sys.stdout) -> int:
    """Worker loop: run each task read from ``tasks`` and answer it on ``answers`` (see :class:`_Worker`); 130 on SIGTERM."""
    try:
        for line in tasks:
            # nbclient replaces this handler while a notebook runs (its own shuts the kernel down and
            # ends the run) and leaves the default behind, so it is set again for every task.
            signal.signal(signal.SIGTERM, _keyboard_interrupt)
            answers.write(json.dumps(_run_task(json.loads(line))) + "\n")
            answers.flush()
    except (KeyboardInterrupt, BrokenPipeError):
        return 130
    return 0


def _run_task(task: list) -> dict:
    """Run one task (``["notebook", path, out]`` or ``["outputs"]``); return its answer. KeyboardInterrupt passes through."""
    start = time.perf_counter()
    answer: dict = {"ok": True, "lines": []}
    try:
        if task[0] == "notebook":
            render_notebook(Path(task[1]), Path(task[2]))
        else:
            answer["lines"] = write_outputs()
    except RenderError as exc:
        answer = {"ok": False, "error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails the render
        answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    answer["seconds"] = time.perf_counter() - start
    return answer


if __name__ == "__main__":
    if sys.argv[1:] != ["--worker"]:
        sys.exit("usage: python -m helpers.render --worker (started by render_all; use python -m helpers render)")
    sys.exit(_serve())

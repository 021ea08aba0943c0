"""Measure the speed of loading, validating, testing and rendering, and the size of each notebook.

Usage:
    python scripts/benchmark.py            # everything
    python scripts/benchmark.py data       # load/validate only (committed data and x100 replica)
    python scripts/benchmark.py suite      # start-up, pytest, render and its floor (no replica)

Figures are medians of several runs on this machine, printed as a table; nothing is asserted
(speed is measured here, not in the test suite).
"""

from __future__ import annotations

import csv
import importlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers import load, paths, schema, validate
from helpers.load import _CACHE

#: The module (``helpers.validate`` the name is the function, re-exported by the package).
validate_module = importlib.import_module("helpers.validate")

REPLICAS = 100
RUNS = 5
#: Free-text columns a replica marks, so that its rows are not duplicates of the originals but for the ids.
FREE_TEXT = ("summary", "title", "claim", "role", "as_reported", "note", "name", "what_counted", "quote")


def cold_load(data_dir=None):
    """load() with its in-process cache and the remembered validations emptied first, so every run validates and parses."""
    _CACHE.clear()
    validate_module.forget_remembered()
    shutil.rmtree(paths.CACHE_DIR, ignore_errors=True)
    return load(data_dir)


def full_validate(data_dir=None):
    """validate() with the results it remembers in this process emptied first, so every run checks every file."""
    validate_module.forget_remembered()
    return validate(data_dir)


def cold_command(cmd: list[str], runs: int = RUNS) -> float:
    """Median wall time of a whole command run with the remembered validations emptied first."""

    def run():
        shutil.rmtree(paths.CACHE_DIR, ignore_errors=True)
        subprocess.run(cmd, check=True, capture_output=True)

    return median_seconds(run, runs)


def median_seconds(func, runs: int = RUNS) -> float:
    """Run func `runs` times (after one warm-up) and return the median wall time in seconds."""
    func()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _run(cmd: list[str], cwd: Path | None = None) -> None:
    """Run a command; on failure stop with the end of what it printed (a timing of a failing command means nothing)."""
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {done.returncode}:\n{(done.stdout + done.stderr)[-3000:]}")


def command_seconds(cmd: list[str], runs: int = RUNS, cwd: Path | None = None) -> float:
    """Median wall time of a whole command (a fresh process each run, imports included)."""
    return median_seconds(lambda: _run(cmd, cwd), runs)


def _id_columns(descriptor: dict) -> dict[str, list[str]]:
    """Columns holding ids to make unique per replica: primary keys, foreign keys, id lists."""
    out = {}
    for res in descriptor["resources"]:
        if res["name"] not in schema.TABLES:
            continue
        cols = [res["schema"]["primaryKey"][0]]
        cols += [fk["fields"] for fk in res["schema"].get("foreignKeys", []) if fk["reference"]["resource"] in schema.TABLES + ("",)]
        ids = ("source_ids", "other_source_ids", "refers_to", "source_id", "originator_id")
        cols += [f["name"] for f in res["schema"]["fields"] if f["name"] in ids]
        out[res["name"]] = sorted(set(cols))
    return out


def replicate(data_dir: Path, target: Path, copies: int) -> int:
    """Write `copies` copies of every table with fresh ids (suffix _rN) to target; return total rows."""
    shutil.copytree(data_dir, target, ignore=shutil.ignore_patterns("exports", "provenance"))
    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    id_cols = _id_columns(descriptor)
    total = 0

    def suffix(value: str, k: int, column: str) -> str:
        if not value or (column == "originator_id" and value == "unknown"):
            return value
        if column == "refers_to":
            table, _, key = value.partition(":")
            return f"{table}:{key}_r{k}"
        return ";".join(f"{v}_r{k}" for v in value.split(";"))

    for name, columns in id_cols.items():
        with (data_dir / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        with (target / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            for k in range(copies):
                for row in rows:
                    new = dict(row)
                    for col in columns:
                        if col == "url":
                            continue
                        new[col] = suffix(row[col], k, col)
                    if name == "sources":
                        new["url"] = f"{row['url']}#r{k}"
                    if name == "publishers" and k:
                        new["name"] = f"{row['name']} replica {k}"  # one outlet per replica, not one outlet twice
                        new["home_url"] = row["home_url"].replace("://", f"://r{k}.", 1)
                    text = next((c for c in FREE_TEXT if c in new and new[c]), None)
                    if text and k:
                        new[text] = f"{new[text]} (replica {k})"  # a copy under new ids is a reported duplicate
                    writer.writerow(new)
                    total += 1
    # Lookup tables keyed by hand-coded ids follow the replicated ids.
    amap = data_dir / "reference" / "acled_actor_map.csv"
    with amap.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with (target / "reference" / "acled_actor_map.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for k in range(copies):
            writer.writerows({**row, "actor_id": f"{row['actor_id']}_r{k}"} for row in rows)
    return total


def data_figures() -> list[tuple[str, float, str]]:
    """Time load() and validate() on the committed data and on a 100x replica."""
    rows = []
    n = sum(len(getattr(load(), t)) for t in schema.TABLES)
    rows.append((f"validate(), committed data ({n} rows), in process", median_seconds(full_validate), "s"))
    rows.append((f"load(), committed data ({n} rows), in process, cold", median_seconds(cold_load), "s"))
    rows.append(
        (
            "python -m helpers validate, committed data, whole process, cold",
            cold_command([sys.executable, "-m", "helpers", "validate"]),
            "s",
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "data"
        total = replicate(paths.DATA_DIR, big, REPLICAS)
        problems = validate(big)
        if problems:
            raise SystemExit(f"the replica is not valid: {problems[:3]}")
        rows.append((f"validate(), x{REPLICAS} replica ({total} rows), in process", median_seconds(lambda: full_validate(big), 3), "s"))
        rows.append((f"load(), x{REPLICAS} replica ({total} rows), cold", median_seconds(lambda: cold_load(big), 3), "s"))
        rows.append(
            (
                f"python -m helpers validate, x{REPLICAS} replica, whole process, cold",
                cold_command([sys.executable, "-m", "helpers", "validate", str(big)], 3),
                "s",
            )
        )
    return rows


FLOOR_CELL = """
import matplotlib.pyplot as plt
from helpers import figures, load, style
style.use_style()
t = load()
fig, _ = figures.intensity(t)
figures.show(fig)
"""


def floor_seconds(runs: int = 3) -> float:
    """The render floor: a fresh kernel that imports the stack, loads the data and draws one figure, x notebooks / 2 workers."""
    import nbformat
    from nbclient import NotebookClient

    def one() -> None:
        book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_CELL)])
        NotebookClient(book, kernel_name="python3", resources={"metadata": {"path": str(paths.NOTEBOOKS_DIR)}}).execute()

    n = len(list(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")))
    return median_seconds(one, runs) * n / 2


def startup_figures() -> list[tuple[str, float, str]]:
    """Fresh-process load() and validate, with the validation remembered (the usual case) and with its cache emptied."""
    load_cmd = [sys.executable, "-c", "from helpers import load; load()"]
    validate_cmd = [sys.executable, "-m", "helpers", "validate"]

    return [
        ("from helpers import load; load(), fresh process, validation remembered", command_seconds(load_cmd), "s"),
        ("python -m helpers validate, fresh process, validation remembered", command_seconds(validate_cmd), "s"),
        ("from helpers import load; load(), fresh process, cache emptied", cold_command(load_cmd), "s"),
        ("python -m helpers validate, fresh process, cache emptied", cold_command(validate_cmd), "s"),
    ]


def suite_figures() -> list[tuple[str, float, str]]:
    """Time the full pytest run, a full render and its floor, and measure each notebook's size."""
    floor = floor_seconds()
    render = command_seconds([sys.executable, "-m", "helpers", "render"], 3, paths.ROOT)
    rows = [
        ("pytest (tests + nbval), whole process", command_seconds([sys.executable, "-m", "pytest", "-q"], 3, paths.ROOT), "s"),
        ("python -m helpers render, whole process", render, "s"),
        ("render floor: fresh kernel + stack + one figure, x notebooks / 2 workers", floor, "s"),
        ("render / floor", render / floor, "x"),
    ]
    for nb in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")):
        rows.append((f"size of {nb.name}", nb.stat().st_size / 1e6, "MB"))
    return rows


def main(argv: list[str]) -> None:
    """Print the figures as a Markdown table."""
    mode = argv[0] if argv else "all"
    rows = startup_figures()
    if mode in ("all", "data"):
        rows += data_figures()
    if mode in ("all", "suite"):
        rows += suite_figures()
    print("| measure | median | unit |\n|---|---:|---|")
    for label, value, unit in rows:
        print(f"| {label} | {value:.2f} | {unit} |")


if __name__ == "__main__":
    main(sys.argv[1:])

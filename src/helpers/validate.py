"""Validate the data package: Frictionless for the schema, named rules for the rest.

Every problem is reported as ``FILE:LINE: COLUMN: problem (value)``, with LINE
the line of the CSV file (header = line 1) and ``-`` where no single column is
at fault. Nothing is dropped or repaired; every problem is reported, not only
the first.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from helpers import paths, rules, schema
from helpers.imports import skip_unused_format_checkers
from helpers.raw import DataValidationError, Problem, RawTable, read_raw

__all__ = ["DataValidationError", "Problem", "RawTable", "read_raw", "validate", "summary"]


#: Frictionless's problems per resource, remembered in this process under a hash of everything
#: that decides them (see :func:`_resource_key`), so a package with one changed file re-runs
#: Frictionless only on that file.
_REMEMBERED: dict[str, list[Problem]] = {}
_REMEMBER_AT_MOST = 512


def forget_remembered() -> None:
    """Empty what validation remembers in this process (Frictionless's results and the one-table rules'), so the next check runs in full."""
    _REMEMBERED.clear()
    rules._TABLE_RESULTS.clear()


def _resource_key(data_dir: Path, name: str) -> str:
    """A SHA-256 of what decides Frictionless's report on one resource: the descriptor and the resource's own file.

    Foreign keys are not given to Frictionless (see :func:`_descriptor_for`), so no other file
    can change the report.
    """
    digest = hashlib.sha256((Path(data_dir) / "datapackage.json").read_bytes())
    res = schema.resource(name, data_dir)
    digest.update(b"\0" + name.encode() + b"\0" + (Path(data_dir) / res["path"]).read_bytes())
    return digest.hexdigest()


def _frictionless_problems(data_dir: Path, raws: dict[str, RawTable]) -> list[Problem]:
    """Validate types, constraints and primary keys with Frictionless, for files that parsed.

    Results are remembered per resource for the life of the process (``_REMEMBERED``); only
    resources whose key (:func:`_resource_key`) is new are validated.
    """
    keys = {name: _resource_key(data_dir, name) for name in raws}
    out: list[Problem] = []
    todo = [name for name in raws if keys[name] not in _REMEMBERED]
    if todo:
        skip_unused_format_checkers()
        from frictionless import Package

        package = Package(_descriptor_for(data_dir, todo), basepath=str(data_dir))
        if len(_REMEMBERED) > _REMEMBER_AT_MOST:
            _REMEMBERED.clear()
        for res in package.resources:
            _REMEMBERED[keys[res.name]] = _resource_problems(res, raws[res.name], data_dir)
    for name in raws:
        out.extend(_REMEMBERED[keys[name]])
    return out


def _descriptor_for(data_dir: Path, names: list[str]) -> dict:
    """The package descriptor cut to the named resources, without their foreign keys.

    Foreign keys are checked by :func:`helpers.rules.check_foreign_keys` on the tables already
    read; Frictionless would open every referenced table again for each resource. Without the
    keys Frictionless checks each resource on its own, so the other resources are left out: that
    spares building (and checking the metadata of) resources that are not validated.
    """
    descriptor = json.loads((Path(data_dir) / "datapackage.json").read_text(encoding="utf-8"))
    kept = [res for res in descriptor["resources"] if res["name"] in names]
    for res in kept:
        res.get("schema", {}).pop("foreignKeys", None)
    descriptor["resources"] = kept
    return descriptor


def _resource_problems(res, raw: RawTable, data_dir: Path) -> list[Problem]:
    """Validate one Frictionless resource and turn its errors into Problems (file, line, column, message, value)."""
    out: list[Problem] = []
    report = res.validate(limit_errors=100_000)
    types = {f["name"]: f["type"] for f in schema.fields(res.name, data_dir)}
    for task in report.tasks:
        for err in task.errors:
            if err.type in _READ_ERRORS:
                continue  # raised while reading a broken file, already reported by read_raw
            row = getattr(err, "row_number", None)
            line = _row_to_line(raw, row)
            column = getattr(err, "field_name", None) or "-"
            value = getattr(err, "cell", "")
            message = _message(err, types.get(column))
            out.append(Problem(raw.file, line, column, message, "" if value is None else str(value)))
    return out


#: Frictionless errors about reading a file: ours are reported by read_raw, with the line.
_READ_ERRORS = {"encoding-error", "source-error", "scheme-error", "format-error", "resource-error", "package-error"}


def _row_to_line(raw: RawTable, row_number: int | None) -> int:
    """Map a Frictionless row number (header = 1) to a CSV line number."""
    if not row_number:
        return 1
    index = row_number - 2
    if 0 <= index < len(raw.lines):
        return raw.line(index)
    return row_number


#: What a cell of each Table Schema type must look like, for messages that say what to do.
EXPECTED_FORM = {
    "date": "a date written YYYY-MM-DD (e.g. 2019-12-27)",
    "integer": "a whole number (e.g. 25), or empty where allowed",
    "number": "a number with a dot for decimals (e.g. 33.31)",
    "boolean": "true or false",
    "string": "text",
}


def _message(err, field_type: str | None = None) -> str:
    """Turn a Frictionless error into a short sentence that says what to do."""
    kind = err.type
    note = err.note
    if kind == "constraint-error" and '"required"' in note:
        return "required value is missing"
    if kind == "type-error":
        return f"not {EXPECTED_FORM.get(field_type or '', 'a valid value of its type')}"
    if kind == "constraint-error" and '"enum"' in note:
        return f"not one of the allowed values: {note.split('[', 1)[-1].rstrip('.').rstrip(']') if '[' in note else note}"
    if kind == "constraint-error":
        return f"value breaks a constraint: {note}"
    if kind in ("unique-error", "primary-key"):
        return "duplicate id: another row already has it"
    return f"{kind}: {note}"


def _one_per_cell(problems: list[Problem]) -> list[Problem]:
    """Keep one problem per (file, line, column): a missing or malformed value is reported once, not by every check."""
    rank = ("required value is missing", "not ", "unknown reference", "no row with", "duplicate id")

    def order(p: Problem) -> int:
        return next((i for i, start in enumerate(rank) if p.message.startswith(start)), len(rank))

    kept: dict[tuple, Problem] = {}
    for p in sorted(problems, key=order):
        kept.setdefault((p.file, p.line, p.column), p)
    return sorted(kept.values())


def validate(data_dir: Path | str | None = None) -> list[Problem]:
    """Return every problem of the data package in ``data_dir`` (empty list when valid).

    >>> validate()
    []
    """
    data_dir = Path(data_dir or paths.DATA_DIR)
    problems: list[Problem] = []
    if not (data_dir / "datapackage.json").is_file():
        return [Problem("datapackage.json", 0, "-", "file is missing")]
    raws: dict[str, RawTable] = {}
    for name in schema.TABLES + schema.REFERENCE_TABLES:
        raw = read_raw(name, data_dir, problems)
        if raw is not None:
            raws[name] = raw
    problems.extend(_frictionless_problems(data_dir, raws))
    problems.extend(rules.check_all(raws, data_dir))
    return _one_per_cell(problems)


def summary(data_dir: Path | str | None = None) -> tuple[int, int]:
    """Return (number of tables, number of data rows) of the hand-coded tables.

    >>> summary()[0]
    12
    """
    data_dir = Path(data_dir or paths.DATA_DIR)
    sink: list[Problem] = []
    rows = 0
    for name in schema.TABLES:
        raw = read_raw(name, data_dir, sink)
        rows += 0 if raw is None else len(raw.frame)
    return len(schema.TABLES), rows

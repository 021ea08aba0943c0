"""Read the Frictionless data package that describes every table."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from helpers import paths

#: The hand-coded tables, in the order the codebook and the exports show them.
TABLES = (
    "sources", "publishers", "actors", "sites", "events", "casualties", "reactions", "seed_claims",
    "coding_check", "munitions", "tallies", "launch_points",
)  # fmt: skip
#: Lookup tables committed unchanged under data/reference/.
REFERENCE_TABLES = ("cameo_eventcodes", "cameo_goldstein", "event_type_cameo", "acled_event_map", "acled_actor_map")


@lru_cache(maxsize=8)
def _read_descriptor(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def descriptor(data_dir: Path | None = None) -> dict:
    """Return the parsed datapackage.json of ``data_dir`` (default: the repository's data/).

    >>> descriptor()["version"]
    '1.3.3'
    """
    path = Path(data_dir or paths.DATA_DIR) / "datapackage.json"
    return _read_descriptor(str(path.resolve()))


def resource(name: str, data_dir: Path | None = None) -> dict:
    """Return the descriptor of one resource, e.g. ``resource("events")``.

    >>> resource("events")["path"]
    'events.csv'
    """
    for res in descriptor(data_dir)["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(f"datapackage.json has no resource named {name!r}")


def fields(name: str, data_dir: Path | None = None) -> list[dict]:
    """Return the field descriptors of one table, in column order.

    >>> fields("sources")[0]["name"]
    'source_id'
    """
    return resource(name, data_dir)["schema"]["fields"]


def field(table: str, column: str, data_dir: Path | None = None) -> dict:
    """Return one field descriptor, e.g. ``field("events", "event_type")``.

    >>> field("events", "date")["type"]
    'date'
    """
    for fld in fields(table, data_dir):
        if fld["name"] == column:
            return fld
    raise KeyError(f"table {table!r} has no column {column!r}")


def vocabulary(table: str, column: str, data_dir: Path | None = None) -> list:
    """Return the closed vocabulary (enum) of a column, e.g. the event types.

    >>> vocabulary("casualties", "outcome")
    ['killed', 'wounded']
    """
    return list(field(table, column, data_dir).get("constraints", {}).get("enum", []))


def codebook(data_dir: Path | None = None):
    """Return the data dictionary as a DataFrame: one row per column of every table.

    >>> codebook().query("table == 'events'").column.tolist()[:2]
    ['event_id', 'date']
    """
    import pandas as pd

    rows = []
    for res in descriptor(data_dir)["resources"]:
        if res["name"] not in TABLES:
            continue
        for fld in res["schema"]["fields"]:
            cons = fld.get("constraints", {})
            rows.append(
                {
                    "table": res["name"],
                    "column": fld["name"],
                    "type": fld["type"],
                    "required": bool(cons.get("required", False)),
                    "allowed": ", ".join(str(v) for v in cons.get("enum", [])),
                    "description": fld.get("description", ""),
                }
            )
    return pd.DataFrame(rows)


def codebook_markdown(data_dir: Path | None = None) -> str:
    """Return the data dictionary as Markdown, one table per resource, generated from datapackage.json.

    >>> codebook_markdown().splitlines()[0]
    '# Codebook'
    """
    desc = descriptor(data_dir)
    lines = [
        "# Codebook",
        "",
        f"Generated from `data/datapackage.json` (version {desc.get('version', '?')}) by `python -m helpers codebook`; "
        "do not edit by hand.",
        "",
    ]
    for res in desc["resources"]:
        lines += [f"## `{res['path']}`", "", res.get("description", ""), ""]
        keys = res["schema"].get("primaryKey", [])
        if keys:
            lines += [f"Primary key: `{', '.join(keys)}`.", ""]
        lines += ["| column | type | required | allowed values | description |", "|---|---|---|---|---|"]
        for fld in res["schema"]["fields"]:
            cons = fld.get("constraints", {})
            allowed = ", ".join(f"`{v}`" for v in cons.get("enum", []))
            if not allowed and "pattern" in cons:
                allowed = f"pattern `{cons['pattern']}`"
            lines.append(
                f"| `{fld['name']}` | {fld['type']} | {'yes' if cons.get('required') else ''} | {allowed} | "
                f"{fld.get('description', '').replace('|', '/')} |"
            )
        lines.append("")
        if res["name"] == "coding_check":
            lines += _agreement_markdown(data_dir)
    return "\n".join(lines)


def _agreement_markdown(data_dir: Path | None) -> list[str]:
    """The two coders' agreement, computed from coding_check.csv, as Markdown lines for the codebook."""
    from helpers.coding import agreement
    from helpers.load import load

    table = agreement(load(data_dir).coding_check)
    lines = ["Agreement of the two codings before resolution (computed by `helpers.coding.agreement`):", ""]
    lines += ["| measure | statements | coded alike | share | Cohen's kappa |", "|---|---|---|---|---|"]
    for measure, row in table.iterrows():
        kappa = "" if row["kappa"] != row["kappa"] else f"{row['kappa']:.3f}"
        lines.append(f"| {measure} | {int(row['n'])} | {int(row['agree'])} | {row['share']:.3f} | {kappa} |")
    return lines + [""]

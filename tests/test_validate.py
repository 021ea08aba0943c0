"""The validator reports every kind of bad input with file, line and column."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers import DataValidationError, load, validate
from helpers.validate import Problem


def messages(problems: list[Problem]) -> list[str]:
    """Render problems the way the command line prints them."""
    return [str(p) for p in problems]


def assert_reported(problems: list[Problem], file: str, line: int, column: str, fragment: str = "") -> None:
    """Fail unless one problem names this file, line and column (and contains fragment)."""
    hits = [p for p in problems if p.file == file and p.line == line and p.column == column and fragment in str(p)]
    assert hits, f"no problem at {file}:{line}: {column} containing {fragment!r}; got:\n" + "\n".join(messages(problems))


def test_committed_data_is_valid():
    """The committed data package passes every check."""
    assert messages(validate()) == []


def test_cli_prints_ok_with_counts():
    """`python -m helpers validate` prints OK with table and row counts and exits 0."""
    out = subprocess.run([sys.executable, "-m", "helpers", "validate"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("OK: 12 tables, ")


def test_cli_lists_problems_and_exits_1(data_copy, capsys):
    """On bad data the command prints FILE:LINE: COLUMN lines and exits 1 (its entry point, called in this process)."""
    from helpers.__main__ import main

    line = data_copy.set("events", 0, "date", "2019-13-45")
    assert main(["validate", str(data_copy.root)]) == 1
    out = capsys.readouterr()
    assert f"events.csv:{line}: date:" in out.out
    assert out.err.strip() == "1 problem(s)"


def test_missing_required_value(data_copy):
    """An empty required cell is reported at its line and column."""
    line = data_copy.set("events", 2, "summary", "")
    assert_reported(validate(data_copy.root), "events.csv", line, "summary", "required")


def test_wrong_type(data_copy):
    """Text in an integer column is reported."""
    line = data_copy.set("casualties", 0, "best", "twenty")
    assert_reported(validate(data_copy.root), "casualties.csv", line, "best", "twenty")


def test_impossible_date(data_copy):
    """A date that does not exist (30 February) is reported."""
    line = data_copy.set("events", 1, "date", "2019-02-30")
    assert_reported(validate(data_copy.root), "events.csv", line, "date", "2019-02-30")


def test_latitude_out_of_range(data_copy):
    """A latitude beyond 90 degrees is reported."""
    line = data_copy.set("sites", 0, "lat", "135.5")
    assert_reported(validate(data_copy.root), "sites.csv", line, "lat", "135.5")


def test_swapped_coordinates(data_copy):
    """Swapping lat and lon of an Iraqi site puts it outside Iraq, which is reported."""
    row = data_copy.find("sites", "site_id", "k1")
    lat, lon = data_copy.get("sites", row, "lat"), data_copy.get("sites", row, "lon")
    data_copy.set("sites", row, "lat", lon)
    line = data_copy.set("sites", row, "lon", lat)
    assert_reported(validate(data_copy.root), "sites.csv", line, "lat", "outside IRQ")


def test_unknown_foreign_key(data_copy):
    """An event naming a site that does not exist is reported."""
    line = data_copy.set("events", 0, "site_id", "atlantis")
    assert_reported(validate(data_copy.root), "events.csv", line, "site_id", "atlantis")


def test_unknown_id_inside_source_ids_list(data_copy):
    """One unknown id inside a ';'-separated source_ids list is reported by name."""
    first = data_copy.get("events", 3, "source_ids").split(";")[0]
    line = data_copy.set("events", 3, "source_ids", f"{first};no_such_source")
    assert_reported(validate(data_copy.root), "events.csv", line, "source_ids", "no_such_source")


def test_duplicate_id(data_copy):
    """A repeated event_id is reported at the second occurrence."""
    line = data_copy.append("events", 0)
    assert_reported(validate(data_copy.root), "events.csv", line, "event_id", "duplicate")


def test_low_greater_than_high(data_copy):
    """A casualty claim whose low exceeds its high is reported."""
    data_copy.set("casualties", 0, "low", "50")
    data_copy.set("casualties", 0, "best", "50")
    line = data_copy.set("casualties", 0, "high", "10")
    assert_reported(validate(data_copy.root), "casualties.csv", line, "high", "less than")


def test_negative_count(data_copy):
    """A negative number of people is reported."""
    line = data_copy.set("casualties", 1, "low", "-3")
    assert_reported(validate(data_copy.root), "casualties.csv", line, "low", "-3")


def test_value_outside_vocabulary(data_copy):
    """An event type outside the closed vocabulary is reported."""
    line = data_copy.set("events", 0, "event_type", "skirmish")
    assert_reported(validate(data_copy.root), "events.csv", line, "event_type", "skirmish")


def test_response_earlier_than_its_cause(data_copy):
    """An event that answers a later event is reported."""
    row = next(i for i in range(1000) if data_copy.get("events", i, "responds_to"))
    line = data_copy.set("events", row, "date", "2001-01-01")
    assert_reported(validate(data_copy.root), "events.csv", line, "responds_to", "later")


def test_goldstein_must_match_cameo_table(data_copy):
    """A goldstein value that is not GDELT's value for the code is reported."""
    line = data_copy.set("reactions", 0, "goldstein", "9.9")
    assert_reported(validate(data_copy.root), "reactions.csv", line, "goldstein", "GDELT")


def test_unparseable_csv_line(data_copy):
    """A line with an unterminated quote is reported, not raised."""
    path = data_copy.path("actors")
    text = path.read_text(encoding="utf-8").splitlines()
    text.insert(3, 'broken,"unterminated,state,IRQ,,x')
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    problems = validate(data_copy.root)
    assert_reported(problems, "actors.csv", 4, "-", "CSV")


def test_row_with_too_many_fields(data_copy):
    """A row with an extra field is reported at its line."""
    path = data_copy.path("actors")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2] + ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_reported(validate(data_copy.root), "actors.csv", 3, "-", "fields")


def test_wrong_encoding(data_copy):
    """A byte that is not UTF-8 (here Latin-1 'é') is reported at its line, not raised."""
    path = data_copy.path("sites")
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4] + "é".encode("latin-1")  # end of line 5, in the note column
    path.write_bytes(b"\n".join(lines))
    problems = validate(data_copy.root)
    assert_reported(problems, "sites.csv", 5, "-", "UTF-8")
    assert not [p for p in problems if p.file != "sites.csv"], "a broken file must not cause reports against other files"


def test_missing_file(data_copy):
    """A table file that is missing is reported, and the others are still checked."""
    data_copy.path("reactions").unlink()
    line = data_copy.set("events", 0, "event_type", "skirmish")
    problems = validate(data_copy.root)
    assert_reported(problems, "reactions.csv", 0, "-", "missing")
    assert_reported(problems, "events.csv", line, "event_type", "skirmish")


def test_every_problem_is_reported_not_only_the_first(data_copy):
    """Three independent problems in three files give three reports."""
    data_copy.set("events", 0, "event_type", "skirmish")
    data_copy.set("casualties", 0, "best", "many")
    data_copy.set("sources", 0, "kind", "rumour")
    files = {p.file for p in validate(data_copy.root)}
    assert {"events.csv", "casualties.csv", "sources.csv"} <= files


def test_load_refuses_invalid_data(data_copy):
    """load() raises DataValidationError listing the problems instead of returning bad tables."""
    data_copy.set("events", 0, "event_type", "skirmish")
    with pytest.raises(DataValidationError, match="events.csv:2: event_type"):
        load(data_copy.root)


def test_validation_never_changes_files(data_copy):
    """Validating bad data leaves every file byte-for-byte as it was."""
    data_copy.set("events", 0, "date", "2019-02-30")
    before = {p.name: p.read_bytes() for p in data_copy.root.glob("*.csv")}
    validate(data_copy.root)
    assert before == {p.name: p.read_bytes() for p in data_copy.root.glob("*.csv")}


def test_frictionless_own_command_passes():
    """`frictionless validate data/datapackage.json` (the library's own CLI, run in this process) reports the package valid."""
    from frictionless.console import console
    from typer.testing import CliRunner

    from helpers import paths

    out = CliRunner().invoke(console, ["validate", str(paths.DATAPACKAGE)])
    assert out.exit_code == 0, out.output[-2000:]
    resources = json.loads(paths.DATAPACKAGE.read_text(encoding="utf-8"))["resources"]
    assert "INVALID" not in out.output and out.output.count("VALID") == len(resources), out.output[-2000:]


def test_remembered_results_rerun_only_what_a_change_can_affect(data_copy, monkeypatch):
    """A changed file re-runs Frictionless on that file only; a changed id is still found missing by the tables that look it up."""
    import importlib

    module = importlib.import_module("helpers.validate")
    assert validate(data_copy.root) == []
    ran: list[str] = []
    original = module._resource_problems
    monkeypatch.setattr(module, "_resource_problems", lambda res, raw, d: ran.append(res.name) or original(res, raw, d))

    data_copy.set("events", 0, "summary", "A summary edited by hand.")
    assert validate(data_copy.root) == []
    assert ran == ["events"]

    ran.clear()
    row = data_copy.find("events", "event_id", "k1_rocket_attack")
    data_copy.set("events", row, "event_id", "k1_renamed")
    problems = validate(data_copy.root)
    assert ran == ["events"]
    looked_up = {p.file for p in problems if p.value == "k1_rocket_attack" and "in events.csv" in p.message}
    assert {"casualties.csv", "munitions.csv", "launch_points.csv"} <= looked_up


def test_frictionless_is_given_only_the_changed_tables_without_their_foreign_keys():
    """The descriptor cut for a re-check of casualties holds casualties alone, its keys left to rules.check_foreign_keys."""
    from helpers import paths
    from helpers.validate import _descriptor_for

    full = json.loads(paths.DATAPACKAGE.read_text(encoding="utf-8"))
    cut = _descriptor_for(paths.DATA_DIR, ["casualties"])
    assert [r["name"] for r in cut["resources"]] == ["casualties"]
    assert "foreignKeys" not in cut["resources"][0]["schema"]
    assert {k: v for k, v in cut.items() if k != "resources"} == {k: v for k, v in full.items() if k != "resources"}


def test_every_foreign_key_joins_string_fields():
    """rules.check_foreign_keys compares cells as text, which is right only while every key and target field is a string."""
    from helpers import rules, schema

    for name in schema.TABLES + schema.REFERENCE_TABLES:
        for fk in schema.resource(name)["schema"].get("foreignKeys", []):
            target = fk["reference"]["resource"] or name
            own, ref = rules._as_list(fk["fields"]), rules._as_list(fk["reference"]["fields"])
            assert [schema.field(name, f)["type"] for f in own] == ["string"] * len(own), (name, own)
            assert [schema.field(target, f)["type"] for f in ref] == ["string"] * len(ref), (target, ref)


def test_foreign_key_rule_finds_what_frictionless_finds(data_copy):
    """On a copy with broken keys in five tables (one a self-reference, one a reference table), the rule and Frictionless's
    own foreign-key check name the same file, line and column, and nothing else."""
    from frictionless import Package

    from helpers import rules, schema
    from helpers.raw import read_raw

    broken = [
        data_copy.set("events", 0, "site_id", "atlantis"),
        data_copy.set("events", data_copy.find("events", "event_id", "k1_rocket_attack"), "responds_to", "no_such_event"),
        data_copy.set("casualties", 3, "claimant", "nobody"),
        data_copy.set("reactions", 2, "cameo_code", "999"),
        data_copy.set("sources", 4, "publisher_id", "no_such_outlet"),
    ]
    assert len(set(broken)) >= 4
    raws = {n: read_raw(n, data_copy.root, []) for n in schema.TABLES + schema.REFERENCE_TABLES}
    ours = {(p.file, p.line, p.column) for p in rules.check_foreign_keys(raws, data_copy.root)}
    report = Package(str(data_copy.root / "datapackage.json")).validate()
    theirs = {
        (task.place, raws[task.name].line(err.row_number - 2), ",".join(err.field_names))
        for task in report.tasks
        for err in task.errors
        if err.type == "foreign-key"
    }
    assert ours == theirs
    assert len(ours) == 5


def test_one_table_rules_rerun_only_on_the_changed_file_and_see_the_change(data_copy, monkeypatch):
    """After a clean check, a trailing space in a casualties.csv quote re-runs the text-hygiene rule on that file alone, and is reported."""
    from helpers import rules

    assert validate(data_copy.root) == []
    ran: list[str] = []
    original = rules._hygiene_problems
    monkeypatch.setattr(rules, "_hygiene_problems", lambda raw: ran.append(raw.name) or original(raw))
    row = data_copy.find("casualties", "claim_id", "cas_035")
    unique = f"{data_copy.get('casualties', row, 'as_reported')} [{data_copy.root.parent.name}] "  # content no other test checked
    line = data_copy.set("casualties", row, "as_reported", unique)
    assert_reported(validate(data_copy.root), "casualties.csv", line, "as_reported", "white space")
    assert ran == ["casualties"]

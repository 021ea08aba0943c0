"""The two environment files agree, and CI runs what the README tells users to run."""

from __future__ import annotations

import re

from helpers import paths


def requirement_pins() -> dict[str, str]:
    """Return {package: version} from requirements.txt (lower-case names)."""
    pins = {}
    for line in (paths.ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==")
            pins[name.strip().lower()] = version.strip()
    return pins


def conda_pins() -> dict[str, str]:
    """Return {package: version} from environment.yml's conda dependencies (python excluded)."""
    pins = {}
    for line in (paths.ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        m = re.fullmatch(r"\s+- ([A-Za-z0-9_.-]+)=([^=\s]+)", line)
        if m and m[1] != "python":
            pins[m[1].lower()] = m[2]
    return pins


def test_every_requirement_is_pinned_exactly():
    """Each dependency line in requirements.txt uses == (or is the editable helpers install)."""
    for line in (paths.ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            assert "==" in line or line == "-e .", line


def test_environment_yml_mirrors_requirements():
    """environment.yml lists the same packages at the same versions as requirements.txt."""
    assert conda_pins() == requirement_pins()


def test_environment_yml_installs_helpers_through_pip():
    """environment.yml installs the helpers package in editable mode."""
    assert "- -e ." in (paths.ROOT / "environment.yml").read_text(encoding="utf-8")


def test_ci_runs_the_readme_commands():
    """Every command in the README's install/test block also appears in .ci/run."""
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    ci = (paths.ROOT / ".ci" / "run").read_text(encoding="utf-8")
    block = re.search(r"<!-- commands -->\s*```(?:bash)?\n(.*?)```", readme, re.S)
    assert block, "README lacks the <!-- commands --> block"
    commands = [c.strip() for c in block[1].splitlines() if c.strip() and not c.strip().startswith("#")]
    assert "python -m pip install -r requirements.txt" in commands and "pytest" in commands
    for command in commands:
        if command.startswith(("python -m venv", ". .venv", "source")):
            continue
        assert command in ci, f".ci/run does not run the README command {command!r}"

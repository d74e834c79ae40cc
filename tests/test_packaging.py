"""The package a stranger takes: its licences, and runtime dependencies that cover what it imports."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "heelpath"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_code_and_knowledge_carry_their_licences() -> None:
    project = PYPROJECT["project"]
    assert project["license"] == "Apache-2.0 AND CC-BY-4.0"
    for path in project["license-files"]:
        assert (ROOT / path).is_file(), path
    assert "Apache License" in (ROOT / "LICENSE").read_text()
    knowledge_licence = (SRC / "knowledge" / "LICENSE").read_text()
    assert "CC BY 4.0" in knowledge_licence
    for data in sorted((SRC / "knowledge").glob("*.yaml")):
        assert data.read_text().startswith("# SPDX-License-Identifier: CC-BY-4.0\n"), data.name
        assert data.name in knowledge_licence
    for data in sorted((SRC / "knowledge").glob("*.json")):  # no comments in JSON
        assert data.name in knowledge_licence


def test_the_runtime_dependencies_cover_every_import() -> None:
    """`uv run --no-dev heelpath serve` installs [project.dependencies] only."""
    declared = {
        _normal(re.split(r"[<>=!~; \[]", d)[0]) for d in PYPROJECT["project"]["dependencies"]
    }
    providers = packages_distributions()
    missing = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top == "heelpath" or top in sys.stdlib_module_names:
                    continue
                dists = {_normal(d) for d in providers.get(top, [top])}
                if not dists & declared:
                    missing.add(f"{top} ({path.relative_to(ROOT)})")
    assert not missing, sorted(missing)

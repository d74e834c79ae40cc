"""Rules of the architecture that a test can hold: the pure core, the vocabulary copy."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "heelpath"
FORBIDDEN = (
    "heelpath.web",
    "heelpath.store",
    "heelpath.cli",
    "fastapi",
    "starlette",
    "sqlalchemy",
    "uvicorn",
)


@pytest.mark.parametrize("path", sorted((SRC / "reasoning").glob("*.py")), ids=lambda p: p.name)
def test_reasoning_does_no_io_and_imports_no_adapter(path: Path) -> None:
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for n in names:
            assert not n.startswith(FORBIDDEN), f"{path.name} imports {n}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in ("open", "print", "input"), (
                f"{path.name} calls {node.func.id}()"
            )


def test_the_packaged_vocabulary_is_the_spec() -> None:
    spec = Path(__file__).resolve().parents[2] / "shared" / "spec" / "vocabulary.json"
    if not spec.exists():
        pytest.skip(f"the shared spec is not beside this checkout ({spec})")
    assert json.loads((SRC / "knowledge" / "vocabulary.json").read_text()) == json.loads(
        spec.read_text()
    )


def test_contract_literals_match_the_vocabulary() -> None:
    import typing

    from heelpath.contract import Footwear, Sex, Work

    vocab = json.loads((SRC / "knowledge" / "vocabulary.json").read_text())
    assert list(typing.get_args(Footwear)) == vocab["footwear"]
    assert list(typing.get_args(Sex)) == vocab["sex"]
    assert list(typing.get_args(Work)) == vocab["work"]


@pytest.mark.parametrize("path", sorted((SRC / "tracking").glob("*.py")), ids=lambda p: p.name)
def test_tracking_is_pure_too(path: Path) -> None:
    """Follow-up logic (VISA-A, progression, escalation, chart series) does no I/O either."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for n in names:
            assert not n.startswith(FORBIDDEN), f"{path.name} imports {n}"

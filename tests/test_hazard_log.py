"""The hazard log: numbered hazards, each with cause, effect, control and the tests that prove it."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / "docs" / "safety" / "hazard-log.md"
HEADING = re.compile(r"^### H(\d+)\. (.+)$", re.MULTILINE)
TEST_REF = re.compile(r"`(tests/[\w/.-]+\.py)::(\w+)`")
FIELDS = ("Cause", "Effect", "Control", "Test")


def hazards() -> dict[int, tuple[str, str]]:
    """Number -> (title, the hazard's text up to the next heading)."""
    text = LOG.read_text(encoding="utf-8")
    marks = list(HEADING.finditer(text))
    out = {}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else text.find("\n## ", m.end())
        out[int(m.group(1))] = (m.group(2), text[m.end() : end if end != -1 else len(text)])
    return out


@cache
def names_in(path: str) -> frozenset[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return frozenset(
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    )


def test_at_least_fifteen_hazards_numbered_in_order() -> None:
    numbers = list(hazards())
    assert len(numbers) >= 15
    assert numbers == list(range(1, len(numbers) + 1))
    # each number once: two hazards written at the same time must not share one
    headings = [int(m.group(1)) for m in HEADING.finditer(LOG.read_text(encoding="utf-8"))]
    assert len(headings) == len(set(headings))


@pytest.mark.parametrize("number", list(hazards()))
def test_every_hazard_has_cause_effect_control_and_test(number: int) -> None:
    title, body = hazards()[number]
    assert title.strip()
    if title.endswith("(withdrawn)"):  # kept for its number; says why it no longer applies
        assert re.search(r"^- \*\*Withdrawn:\*\* (\S.*)$", body, re.MULTILINE), (
            f"H{number} is withdrawn without a reason"
        )
        return
    for field in FIELDS:
        m = re.search(rf"^- \*\*{field}:\*\* (\S.*)$", body, re.MULTILINE)
        assert m, f"H{number} has no {field}"
    assert TEST_REF.search(body), f"H{number} names no test"


def test_every_named_test_exists() -> None:
    refs = TEST_REF.findall(LOG.read_text(encoding="utf-8"))
    assert refs
    missing = [
        f"{path}::{name}"
        for path, name in refs
        if not (ROOT / path).exists() or name not in names_in(path)
    ]
    assert not missing, missing

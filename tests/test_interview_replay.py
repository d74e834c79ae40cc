"""The adaptive interview, answered from shared development cases, never ends lower than
the whole case (the replay benchmark runs them all: benchmarks/interview_replay.py)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from heelpath.engine import Engine
from heelpath.interview import Interview
from heelpath.reasoning.results import level_rank

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "vignettes" / "dev.jsonl"
EVERY = 8  # a spread of the set, kept quick


def _replay_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "interview_replay", ROOT / "benchmarks" / "interview_replay.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def _cases() -> list[dict[str, Any]]:
    if not DEV.exists():
        return []
    lines = [line for line in DEV.read_text().splitlines() if line.strip()]
    return [json.loads(line) for line in lines[::EVERY]]


@pytest.mark.parametrize(
    "case",
    _cases()
    or [pytest.param(None, marks=pytest.mark.skip(reason=f"{DEV} is not beside this checkout"))],
)
def test_the_interview_never_ends_lower_than_the_whole_case(
    engine: Engine, case: dict[str, Any]
) -> None:
    interview = Interview(engine.knowledge)
    answers = _replay_module().interview_case(interview, case["input"])
    final = engine.assess(interview.case_input(answers))["triage"]["level"]
    full = engine.assess(case["input"])["triage"]["level"]
    assert level_rank(final) >= level_rank(full), f"{final} < {full}"
    # every answer the interview used is the case's own
    used = interview.case_input(answers)["findings"]
    assert all(case["input"]["findings"][f] == v for f, v in used.items())

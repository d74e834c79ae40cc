"""Replay case sets through the adaptive interview: how many questions, how long, how right.

Each case is answered from its own findings: a question the case answers gets that
answer, any other "not sure" (the case is silent). A question answered by ticking boxes
("where does it hurt?", a checklist) gets a tick for each box the case says yes to,
"none of these" (checklists) when the case says no to every box, and otherwise "I can't
say where" / "I'm not sure". The
about-you fields come from the case. Prints per set: the median and largest number of
questions asked (warning signs included; a tick question is one question), the time per interview and per step, how many final answers have the same leading
condition and the same triage level as the full case, and how many final levels are
LOWER than the full case's (under-triage; must be 0).

    uv run python benchmarks/interview_replay.py [folder with dev.jsonl, published.jsonl]

The folder defaults to ``../shared/vignettes`` beside the repository.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from heelpath.engine import default_engine
from heelpath.interview import Answers, Interview, Screen, merge_form, tick_answer
from heelpath.reasoning.results import level_rank

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = ROOT.parent / "shared" / "vignettes"
SETS = ("dev.jsonl", "published.jsonl")


@dataclass(frozen=True)
class Replay:
    case_id: str
    questions: int
    seconds: float
    steps: tuple[float, ...]  # the time of each choice of the next screen
    level: str
    full_level: str
    leading: str
    full_leading: str


def about(data: Mapping[str, Any]) -> Answers:
    """The about-you step of a case."""
    return Answers(
        age=int(data["age"]),
        age_text=str(data["age"]),
        sex=data.get("sex"),
        footwear=tuple(data.get("footwear") or ()),
        work=data.get("work"),
        pain_score=data.get("pain_score"),
    )


def interview_case(
    interview: Interview, data: Mapping[str, Any], steps: list[float] | None = None
) -> Answers:
    """Run the interview to its end, answering from the case ("not sure" where it is silent);
    the time each choice of the next screen took is added to ``steps``."""
    known: Mapping[str, bool] = data.get("findings") or {}
    answers = about(data)

    def answer(a: Answers, finding_ids: list[str]) -> Answers:
        findings = dict(a.findings)
        unsure = set(a.unsure)
        for fid in finding_ids:
            if fid in known:
                findings[fid] = bool(known[fid])
            else:
                unsure.add(fid)
        return replace(a, findings=MappingProxyType(findings), unsure=frozenset(unsure))

    for item in interview.warning_steps(answers):
        if isinstance(item, Screen):  # a warning checklist: one question
            answers = merge_form(answers, tick_answer(item, known.get), interview.knowledge)
        else:
            answers = answer(answers, [item.id])
    while True:
        start = time.perf_counter()
        screen = interview.next_screen(answers)
        if steps is not None:
            steps.append(time.perf_counter() - start)
        if screen is None:
            break
        answers = interview.with_screen(answers, screen)
        if screen.tick is not None:
            fields = tick_answer(screen, known.get)
            answers = merge_form(answers, fields, interview.knowledge)
        else:
            answers = answer(answers, [f.id for f in screen.findings])
    return answers


def replay(interview: Interview, case: Mapping[str, Any]) -> Replay:
    engine = default_engine()
    data = case["input"]
    steps: list[float] = []
    start = time.perf_counter()
    answers = interview_case(interview, data, steps)
    seconds = time.perf_counter() - start
    final = engine.assess(interview.case_input(answers))
    full = engine.assess(data)
    return Replay(
        case_id=str(case.get("id", "")),
        questions=len(interview.asked(answers)),
        seconds=seconds,
        steps=tuple(steps),
        level=final["triage"]["level"],
        full_level=full["triage"]["level"],
        leading=final["conditions"][0]["id"],
        full_leading=full["conditions"][0]["id"],
    )


def report(name: str, results: list[Replay]) -> str:
    asked = [r.questions for r in results]
    times = [r.seconds for r in results]
    steps = sorted(t for r in results for t in r.steps)
    lower = [r for r in results if level_rank(r.level) < level_rank(r.full_level)]
    lines = [
        f"{name}: {len(results)} cases",
        f"  questions asked: median {statistics.median(asked):g}, max {max(asked)}",
        f"  time per interview: median {statistics.median(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms",
        f"  time per step (choosing the next screen): median "
        f"{statistics.median(steps) * 1000:.0f} ms, 95th percentile "
        f"{steps[int(len(steps) * 0.95)] * 1000:.0f} ms, max {steps[-1] * 1000:.0f} ms",
        f"  same leading condition as the full case: "
        f"{sum(r.leading == r.full_leading for r in results)}/{len(results)}",
        f"  same triage level as the full case: "
        f"{sum(r.level == r.full_level for r in results)}/{len(results)}",
        f"  triage LOWER than the full case: {len(lower)}"
        + "".join(f"\n    {r.case_id}: {r.level} < {r.full_level}" for r in lower),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    args = parser.parse_args(argv)
    interview = Interview(default_engine().knowledge)
    under = 0
    for name in SETS:
        path = args.folder / name
        if not path.exists():
            print(f"{path}: not found", file=sys.stderr)
            return 2
        cases = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        results = [replay(interview, c) for c in cases]
        under += sum(level_rank(r.level) < level_rank(r.full_level) for r in results)
        print(report(name, results))
    return 1 if under else 0


if __name__ == "__main__":
    raise SystemExit(main())

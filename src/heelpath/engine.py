"""The engine: validate, score, triage and plan; and the answer in the contract's shape.

One :class:`Engine` holds the loaded knowledge and its compiled forms. It is
built on first use (``default_engine``), never at import.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from heelpath.contract import SPEC_VERSION, Case, parse_case
from heelpath.errors import InvalidInput
from heelpath.knowledge import Knowledge, load_knowledge
from heelpath.reasoning.differential import (
    EXPLAIN_MIN_PROBABILITY,
    EXPLAIN_TOP,
    compile_model,
    score,
)
from heelpath.reasoning.plan import build_plan
from heelpath.reasoning.questions import Askable, OpenQuestion, askable, open_questions
from heelpath.reasoning.results import Differential, Plan, Triage
from heelpath.reasoning.triage import compile_rules, triage

DISCLAIMER = (
    "heelpath gives general information to help you decide what to do next. It is not a "
    "diagnosis and does not replace an examination by a podiatrist, physiotherapist or doctor. "
    "If you are worried, if things get worse, or if any warning sign appears, seek care. "
    "In an emergency call your local emergency number."
)


@dataclass(frozen=True)
class Assessment:
    """One case's differential, triage and plan."""

    case: Case
    differential: Differential
    triage: Triage
    plan: Plan


class Engine:
    """Assess cases against one knowledge base."""

    def __init__(self, knowledge: Knowledge | None = None) -> None:
        self.knowledge = knowledge if knowledge is not None else load_knowledge()
        self.model = compile_model(self.knowledge)
        self.rules = compile_rules(self.knowledge)
        self.finding_ids = frozenset(f.id for f in self.knowledge.findings)
        self.red_flag_ids = frozenset(f.id for f in self.knowledge.findings if f.red_flag)
        self.follow_ups = self.knowledge.follow_ups
        self.triage_meanings: dict[str, str] = dict(self.knowledge.vocabulary.triage_meanings)

    # -- steps ---------------------------------------------------------------
    def parse(self, data: Any) -> Case:
        """Validate one input; raises InvalidInput naming the field."""
        return parse_case(data, self.finding_ids, self.follow_ups)

    def evaluate(self, case: Case) -> Assessment:
        """Differential, triage and plan for one validated case."""
        diff = score(self.model, case)
        tri = triage(self.rules, case, diff, self.rescore, self.red_flag_ids)
        return Assessment(case, diff, tri, build_plan(self.knowledge, case, diff, tri))

    def rescore(self, case: Case) -> Differential:
        """The differential alone, for triage's closure over warning signs."""
        return score(self.model, case)

    @functools.cached_property
    def askable(self) -> Askable:
        """What the open-questions search needs, worked out on first use."""
        return askable(self.model, self.rules, self.red_flag_ids)

    def open_questions(
        self, a: Assessment, candidates: Iterable[str] | None = None
    ) -> tuple[OpenQuestion, ...]:
        """The unanswered findings that would change the triage level or the leading
        condition, most decisive first (``reasoning/questions.py``); ``candidates``
        narrows the search to those findings."""
        return open_questions(self.askable, a.case, a.differential, a.triage, candidates)

    # -- the contract's answer -----------------------------------------------
    def answer(self, a: Assessment, with_open_questions: bool = False) -> dict[str, Any]:
        """The contract's answer; with ``with_open_questions`` also ``open_questions`` (spec
        1.1), which costs more than the rest of the answer, so only when asked."""
        listed = [
            s
            for i, s in enumerate(a.differential.scores)
            if i < EXPLAIN_TOP or s.probability >= EXPLAIN_MIN_PROBABILITY
        ]
        answer: dict[str, Any] = {
            "spec_version": SPEC_VERSION,
            "triage": {
                "level": a.triage.level,
                "reasons": list(a.triage.reasons),
                "meaning": self.triage_meanings.get(a.triage.level, ""),
                "rules": [
                    {"id": r.id, "code": r.code, "level": r.level, "findings": list(r.findings)}
                    for r in a.triage.fired
                ],
                "unchecked": [{"finding": u.finding, "level": u.level} for u in a.triage.unchecked],
            },
            "red_flags": list(a.triage.red_flags),
            "conditions": [
                {
                    "id": s.id,
                    "name": s.name,
                    "probability": s.probability,
                    "supporting": list(s.supporting),
                    "against": list(s.against),
                }
                for s in listed
            ],
            "unlisted_probability": round(a.differential.residual, 4),
            "plan": a.plan.as_dict(),
            "disclaimer": DISCLAIMER,
        }
        if with_open_questions:
            answer["open_questions"] = [q.as_dict() for q in self.open_questions(a)]
        return answer

    def assess(self, data: Mapping[str, Any], open_questions: bool = False) -> dict[str, Any]:
        """Validate, assess and answer one input (a dict in the contract's shape); with
        ``open_questions`` the answer lists the questions that would settle it."""
        return self.answer(self.evaluate(self.parse(data)), open_questions)

    def assess_lines(
        self, lines: Iterable[str | bytes], open_questions: bool = False
    ) -> Iterator[bytes]:
        """Batch mode: one JSON input per line in, one JSON answer (or error) per line out.

        Blank lines are skipped. A bad line yields ``{"error": ..., "field": ...}`` and the
        rest go on.
        """
        for line in lines:
            if not line.strip():
                continue
            try:
                answer = self.assess(orjson.loads(line), open_questions)
            except orjson.JSONDecodeError as exc:
                answer = {"error": f"not valid JSON: {exc}", "field": ""}
            except InvalidInput as exc:
                answer = {"error": str(exc), "field": exc.field}
            yield orjson.dumps(answer)


@functools.lru_cache(maxsize=1)
def default_engine() -> Engine:
    """The engine over the knowledge shipped in the package, built on first use."""
    return Engine()

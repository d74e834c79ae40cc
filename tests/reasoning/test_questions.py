"""The questions that would settle it (``reasoning/questions.py``).

The search skips findings that its bounds say cannot change anything; the property
test holds it to the plain search that tries every unanswered finding both ways.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, given, settings

from heelpath.engine import Assessment, Engine
from strategies import inputs

# sparse presentations like those of published case reports (a few answers each)
SPARSE = [
    {"age": 41, "sex": "male", "findings": {}},  # a rupture's own chance just under 1 in 10
    {"age": 35, "sex": "male", "findings": {"bruising": True, "swelling": True}},
    {"age": 78, "sex": "female", "findings": {"sudden_onset": True, "steroid_use": True}},
    {"age": 20, "sex": "female", "findings": {"pain_in_calf": True, "runner_or_jumper": True}},
    {"age": 60, "sex": "female", "findings": {"wound_or_puncture": True}},
    {"age": 8, "sex": "male", "findings": {"wound_or_puncture": True, "gradual_onset": True}},
    {"age": 24, "sex": "male", "findings": {"fall_or_heel_impact": True, "both_heels": True}},
    {
        "age": 48,
        "sex": "female",
        "findings": {"chronic_over_3_months": True, "tinel_positive": False},
    },
]


def _assess(engine: Engine, data: dict[str, Any]) -> Assessment:
    return engine.evaluate(engine.parse(data))


def _changes(engine: Engine, a: Assessment, fid: str) -> set[str]:
    """What answering ``fid`` (yes, then no) changes, found by assessing both answers."""
    out = set()
    for value in (True, False):
        b = engine.evaluate(replace(a.case, findings={**a.case.findings, fid: value}))
        if b.triage.level != a.triage.level:
            out.add("triage")
        if b.differential.leading.id != a.differential.leading.id:
            out.add("leading")
    return out


def _every_question(engine: Engine, a: Assessment) -> dict[str, set[str]]:
    """The plain search: every unanswered finding, tried both ways."""
    found = {}
    for f in engine.knowledge.findings:
        if f.id not in a.case.findings:
            changes = _changes(engine, a, f.id)
            if changes:
                found[f.id] = changes
    return found


@settings(
    max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=inputs())
def test_the_search_finds_exactly_what_trying_every_answer_finds(
    engine: Engine, data: dict[str, Any]
) -> None:
    a = _assess(engine, data)
    listed = {q.finding: set(q.would_change) for q in engine.open_questions(a)}
    assert listed == _every_question(engine, a)


def test_sparse_presentations_agree_with_trying_every_answer(engine: Engine) -> None:
    for data in SPARSE:
        a = _assess(engine, data)
        listed = {q.finding: set(q.would_change) for q in engine.open_questions(a)}
        assert listed == _every_question(engine, a), data


def test_a_fall_asks_first_what_would_change_the_level(engine: Engine) -> None:
    a = _assess(engine, {"age": 45, "sex": "female", "findings": {"fall_or_heel_impact": True}})
    questions = engine.open_questions(a)
    assert questions, "a fall alone leaves questions open"
    kinds = [q.would_change for q in questions]
    # both first, then the level, then the leader: never a leader-only one before a level one
    ranks = [(-len(k), "triage" not in k) for k in kinds]
    assert ranks == sorted(ranks)
    assert all(q.finding not in a.case.findings for q in questions)
    # emergency signs would raise an urgent answer: they are open
    assert {"chest_pain_or_breathless", "saddle_numbness_or_bladder_change"} <= {
        q.finding for q in questions
    }


def test_nothing_is_open_once_an_answer_cannot_move(engine: Engine) -> None:
    # every finding answered: no question is left to ask
    every = {f.id: False for f in engine.knowledge.findings}
    a = _assess(engine, {"age": 40, "findings": every})
    assert engine.open_questions(a) == ()


def test_candidates_narrow_the_search(engine: Engine) -> None:
    a = _assess(engine, {"age": 38, "sex": "male", "findings": {"sudden_onset": True}})
    every = engine.open_questions(a)
    some = [q.finding for q in every[::2]]
    narrowed = engine.open_questions(a, candidates=some)
    assert [q.finding for q in narrowed] == some

"""Checklists: findings asked together as one tick-list question ("do any of these apply?").

A ticked box is a "yes"; "None of these" is a "no" to every box shown; "I'm not sure" is
"not sure" to every box shown; a box left unticked next to a ticked one is unknown, never
a "no" (hazard H109). Nothing ticked, or boxes with "not sure" or "none of these", is an
error naming the question.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import pytest

from heelpath.engine import Engine
from heelpath.errors import KnowledgeError
from heelpath.interview import (
    NONE_OF_THESE,
    TICK_NONE,
    TICK_UNSURE,
    Answers,
    Interview,
    merge_form,
    tick_answer,
    tick_fields,
)
from heelpath.knowledge import Knowledge, load_knowledge
from heelpath.knowledge.loader import KNOWLEDGE_DIR
from heelpath.reasoning.results import level_rank

HEALTH = "health_and_medicines"


def _person(age: int = 40, sex: str | None = "male", **findings: bool) -> Answers:
    return Answers(age=age, age_text=str(age), sex=sex, findings=MappingProxyType(findings))


def _shown(interview: Interview, a: Answers, tick_id: str) -> tuple[Answers, tuple[str, ...]]:
    """The answers with the checklist's screen shown, and the boxes it showed."""
    tick = interview.tick_question(tick_id)
    boxes = tuple(f for f in tick.boxes if interview.applies(f, a) and not a.answered(f))
    return replace(a, screens=(*a.screens, (tick_id, *boxes))), boxes


def _level(engine: Engine, data: dict[str, object]) -> int:
    return level_rank(engine.assess(data)["triage"]["level"])


def test_the_knowledge_asks_each_finding_in_one_checklist_at_most(knowledge: Knowledge) -> None:
    seen: list[str] = []
    for checklist in knowledge.checklists:
        assert len(checklist.boxes) >= 2 and checklist.why
        seen.extend(fid for fid, _ in checklist.boxes)
    assert len(seen) == len(set(seen))
    assert not set(seen) & set(knowledge.sites)


def test_none_of_these_is_a_no_to_every_box_shown_and_to_nothing_else(
    interview: Interview, knowledge: Knowledge
) -> None:
    # a man answered the steroid question among the warning signs: the checklist does not
    # show it again, and "none of these" leaves his own answer alone
    a, boxes = _shown(interview, _person(steroid_use=True), HEALTH)
    assert "steroid_use" not in boxes and "diabetes" in boxes
    a = merge_form(a, tick_fields(HEALTH, TICK_NONE), knowledge)
    assert {f: a.findings[f] for f in boxes} == dict.fromkeys(boxes, False)
    assert a.findings["steroid_use"] is True
    assert interview.tick_reply(a, HEALTH) == "none"


def test_not_sure_is_not_sure_to_every_box_shown(
    interview: Interview, knowledge: Knowledge
) -> None:
    a, boxes = _shown(interview, _person(), HEALTH)
    a = merge_form(a, tick_fields(HEALTH, TICK_UNSURE), knowledge)
    assert set(boxes) <= a.unsure
    assert not set(boxes) & set(a.findings)
    assert interview.tick_reply(a, HEALTH) == "unsure"


def test_a_box_left_unticked_next_to_a_ticked_one_is_unknown_never_no(
    interview: Interview, knowledge: Knowledge, engine: Engine
) -> None:
    # hazard H109: reading the unticked boxes as "no" would tell triage things the person
    # never said (no diabetes, no steroids)
    a, boxes = _shown(interview, _person(60, "female", swelling=True), HEALTH)
    a = merge_form(a, tick_fields(HEALTH, ["fluoroquinolone_recent"]), knowledge)
    assert a.findings["fluoroquinolone_recent"] is True
    for fid in boxes:
        if fid != "fluoroquinolone_recent":
            assert not a.answered(fid), fid
            assert fid not in interview.case_input(a)["findings"], fid
    assert interview.tick_reply(a, HEALTH) == ("fluoroquinolone_recent",)
    # so the level is the one with those boxes unanswered, never lower
    data = interview.case_input(a)
    as_no = {**data, "findings": {**data["findings"], **dict.fromkeys(boxes, False)}}
    as_no["findings"]["fluoroquinolone_recent"] = True
    assert _level(engine, data) >= _level(engine, as_no)


def test_changing_the_answer_takes_the_earlier_one_back(
    interview: Interview, knowledge: Knowledge
) -> None:
    a, boxes = _shown(interview, _person(), HEALTH)
    a = merge_form(a, tick_fields(HEALTH, TICK_NONE), knowledge)
    b = merge_form(a, tick_fields(HEALTH, ["diabetes"]), knowledge)
    assert b.findings["diabetes"] is True
    assert not any(b.answered(f) for f in boxes if f != "diabetes")  # the "no"s went back
    c = merge_form(b, tick_fields(HEALTH, TICK_UNSURE), knowledge)
    assert "diabetes" not in c.findings and set(boxes) <= c.unsure


def test_nothing_ticked_or_a_box_with_not_sure_or_none_is_an_error(
    interview: Interview,
) -> None:
    person = _person()
    question = interview.tick_question(HEALTH).wording(person)
    empty = interview.tick_error(HEALTH, [], person)
    assert empty is not None and f"for: {question}" in empty and NONE_OF_THESE in empty
    assert interview.tick_error(HEALTH, ["pain_in_elbow"], person) == empty
    for mixed in (["diabetes", TICK_NONE], ["diabetes", TICK_UNSURE], [TICK_NONE, TICK_UNSURE]):
        error = interview.tick_error(HEALTH, mixed, person)
        assert error is not None and "not both" in error, mixed
    for good in (["diabetes"], ["diabetes", "steroid_use"], [TICK_NONE], [TICK_UNSURE]):
        assert interview.tick_error(HEALTH, good, person) is None, good
    with pytest.raises(ValueError):
        tick_fields(HEALTH, [])


def test_a_parent_is_asked_about_their_child(interview: Interview) -> None:
    tick = interview.tick_question(HEALTH)
    assert "your child" in tick.wording(_person(9))
    assert "your child" not in tick.wording(_person(40))


def test_an_interview_asks_a_checklist_once_and_counts_it_as_one_question(
    interview: Interview, knowledge: Knowledge
) -> None:
    # a runner who says no to everything else: the health questions come as one checklist
    story = {"gradual_onset": True, "pain_midportion": True, "runner_or_jumper": True}
    a = _person(35, "female")
    a = merge_form(
        a,
        [(f"q_{f.id}", "yes" if story.get(f.id) else "no") for f in interview.warning_signs(a)],
        knowledge,
    )
    for _ in range(60):
        screen = interview.next_screen(a)
        if screen is None:
            break
        a = interview.with_screen(a, screen)
        says = lambda fid: story.get(fid, False)  # noqa: E731
        if screen.tick is not None:
            a = merge_form(a, tick_answer(screen, says), knowledge)
        else:
            a = merge_form(
                a,
                [(f"q_{f.id}", "yes" if says(f.id) else "no") for f in screen.findings],
                knowledge,
            )
    else:
        raise AssertionError("the interview did not end")
    kept = [s for s in a.screens if s[0] == HEALTH]
    assert len(kept) == 1
    asked = interview.asked(a)
    assert asked.count(HEALTH) == 1
    assert not set(kept[0][1:]) & set(asked)  # its boxes are not listed one by one
    assert {f: a.findings[f] for f in kept[0][1:]} == dict.fromkeys(kept[0][1:], False)


def test_the_knowledge_refuses_a_checklist_that_names_a_place(tmp_path: Path) -> None:
    source = KNOWLEDGE_DIR
    for f in source.iterdir():
        if f.suffix in (".yaml", ".json"):
            (tmp_path / f.name).write_text(f.read_text())
    findings = tmp_path / "findings.yaml"
    findings.write_text(
        findings.read_text().replace(
            "      - finding: diabetes\n", "      - finding: pain_in_calf\n"
        )
    )
    with pytest.raises(KnowledgeError, match="is a place"):
        load_knowledge(tmp_path)

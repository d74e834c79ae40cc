"""Warning checklists: warning signs asked together on the warning-signs screen.

A warning checklist (findings.yaml ``checklists`` with ``warning: true``) is one tick-list
question among the warning signs: a ticked box is a "yes", "None of these" a "no" to every
box, "I'm not sure" "not sure" to every box, and a box left unticked next to a ticked one
is unknown (never "no"), asked again on its own where it could raise the level. Nothing
is ever chosen for the person: the result waits until every checklist is answered
(hazard H111).
"""

from __future__ import annotations

from types import MappingProxyType

import pytest

from heelpath.engine import Engine
from heelpath.interview import (
    TICK_NONE,
    TICK_UNSURE,
    Answers,
    Interview,
    Screen,
    merge_form,
    tick_fields,
)
from heelpath.knowledge import Knowledge
from heelpath.reasoning.results import level_rank

# in the order asked: the signs that need help at once first
WARNING_TICKS = ("emergency_signs", "how_it_started", "back_and_nerves", "infection_signs")
AGES = (0, 3, 7, 8, 12, 14, 15, 16, 17, 25, 40, 59, 60, 75, 95, 120)
SEXES = (None, "male", "female", "other")


def _person(age: int = 40, sex: str | None = "female", **findings: bool) -> Answers:
    return Answers(age=age, age_text=str(age), sex=sex, findings=MappingProxyType(findings))


def _answer_singles(interview: Interview, a: Answers, reply: bool | None) -> Answers:
    """Every warning sign asked on its own answered yes, no (or not sure: None)."""
    fields = [
        (f"q_{item.id}", "unsure" if reply is None else "yes" if reply else "no")
        for item in interview.warning_steps(a)
        if not isinstance(item, Screen)
    ]
    return merge_form(a, fields, interview.knowledge)


def test_the_knowledge_has_the_warning_checklists(knowledge: Knowledge) -> None:
    warning = [c.id for c in knowledge.checklists if c.warning]
    assert sorted(warning) == sorted(WARNING_TICKS)


def test_every_box_of_a_warning_checklist_is_a_warning_sign_for_everyone(
    interview: Interview, knowledge: Knowledge
) -> None:
    """merge_form reads "None of these" as a "no" to every box of a warning checklist, so
    each box must be asked of everyone: a box that is no warning sign for some person
    would get a "no" that person was never asked."""
    boxes = {fid for c in knowledge.checklists if c.warning for fid, _ in c.boxes}
    for age in AGES:
        for sex in SEXES:
            for pain in (None, 9):
                a = Answers(age=age, age_text=str(age), sex=sex, pain_score=pain)
                signs = {f.id for f in interview.warning_signs(a)}
                assert boxes <= signs, (age, sex, pain, boxes - signs)


def test_each_warning_sign_is_asked_once_alone_or_in_its_checklist(
    interview: Interview,
) -> None:
    for sex in ("male", "female"):
        a = _person(45, sex)
        steps = interview.warning_steps(a)
        asked = [
            fid
            for item in steps
            for fid in ([f.id for f in item.findings] if isinstance(item, Screen) else [item.id])
        ]
        assert sorted(asked) == sorted(f.id for f in interview.warning_signs(a))
        assert len(asked) == len(set(asked))
        ticks = [item.tick.id for item in steps if isinstance(item, Screen) and item.tick]
        assert ticks == [t for t in WARNING_TICKS if t in ticks] and len(ticks) == 4
        # a checklist counts as one question: fewer questions than signs
        assert interview.asked(a)[: len(steps)] == [
            item.ids[0] if isinstance(item, Screen) else item.id for item in steps
        ]
        assert len(steps) == len(asked) - sum(
            len(item.findings) - 1 for item in steps if isinstance(item, Screen)
        )


def test_a_warning_checklist_left_unanswered_is_missing_and_blocks_the_questions(
    interview: Interview,
) -> None:
    a = _answer_singles(interview, _person(), False)
    missing = interview.missing_warning_steps(a)
    assert [item.tick.id for item in missing if isinstance(item, Screen) and item.tick] == list(
        WARNING_TICKS
    )
    assert {f.id for f in interview.missing_warning_signs(a)} == {
        fid for t in WARNING_TICKS for fid in interview.tick_question(t).boxes
    }
    with pytest.raises(ValueError, match="warning signs"):
        interview.next_screen(a)


@pytest.mark.parametrize("tick_id", WARNING_TICKS)
def test_none_of_these_is_no_and_not_sure_is_not_sure_to_every_box(
    interview: Interview, knowledge: Knowledge, tick_id: str
) -> None:
    a = _answer_singles(interview, _person(), False)
    boxes = interview.tick_question(tick_id).boxes
    none = merge_form(a, tick_fields(tick_id, TICK_NONE), knowledge)
    assert all(none.findings[fid] is False for fid in boxes)
    assert interview.tick_reply(none, tick_id) == "none"
    unsure = merge_form(a, tick_fields(tick_id, TICK_UNSURE), knowledge)
    assert all(fid in unsure.unsure and fid not in unsure.findings for fid in boxes)
    assert interview.tick_reply(unsure, tick_id) == "unsure"
    for answered in (none, unsure):
        assert tick_id not in {
            item.tick.id
            for item in interview.missing_warning_steps(answered)
            if isinstance(item, Screen) and item.tick
        }


def test_all_not_sure_warning_checklists_are_listed_as_unchecked_never_as_no(
    interview: Interview, engine: Engine
) -> None:
    a = _answer_singles(interview, _person(), None)
    for tick_id in WARNING_TICKS:
        a = merge_form(a, tick_fields(tick_id, TICK_UNSURE), interview.knowledge)
    assert not interview.missing_warning_steps(a)
    answer = engine.assess(interview.case_input(a))
    unchecked = {u["finding"] for u in answer["triage"]["unchecked"]}
    assert {"chest_pain_or_breathless", "wound_or_puncture", "pop_or_snap"} <= unchecked
    text = " ".join(answer["triage"]["reasons"]).lower()
    assert "no warning signs" not in text


def test_a_ticked_box_leaves_the_others_unknown_and_asks_one_that_could_raise_the_level(
    interview: Interview, engine: Engine
) -> None:
    """A wound ticked, a fever not: care today at once, and the fever asked on its own
    (with the wound it would mean emergency care), never read as a "no"."""
    a = _answer_singles(interview, _person(), False)
    for tick_id in WARNING_TICKS:
        reply = ("wound_or_puncture",) if tick_id == "infection_signs" else TICK_NONE
        a = merge_form(a, tick_fields(tick_id, reply), interview.knowledge)
    assert a.findings["wound_or_puncture"] is True
    assert a.reply("fever_or_unwell") is None and a.reply("spreading_redness") is None
    assert not interview.missing_warning_steps(a)
    assert level_rank(engine.assess(interview.case_input(a))["triage"]["level"]) == level_rank(
        "urgent"
    )
    screen = interview.next_screen(a)
    assert screen is not None and screen.tick is None
    assert "fever_or_unwell" in {f.id for f in screen.findings}
    with_fever = merge_form(a, [("q_fever_or_unwell", "yes")], interview.knowledge)
    assert engine.assess(interview.case_input(with_fever))["triage"]["level"] == "emergency"

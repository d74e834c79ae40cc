"""The interview asks a follow-up question only after a yes to the question it follows, and
takes its answer back when that yes is changed ("no fall" makes "from a height" not apply)."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

import pytest

from heelpath.engine import Engine
from heelpath.interview import Answers, Interview, merge_form, parse_form, to_fields, to_input

FALL, HEIGHT = "fall_or_heel_impact", "fall_from_height"


def _with(
    answers: Answers, findings: dict[str, bool], unsure: frozenset[str] = frozenset()
) -> Answers:
    return replace(
        answers,
        findings=MappingProxyType({**answers.findings, **findings}),
        unsure=answers.unsure | unsure,
    )


@pytest.mark.parametrize("age", [5, 12, 40, 80])
def test_the_height_is_not_a_warning_sign_of_its_own(interview: Interview, age: int) -> None:
    # asked first of all, it would be asked of people who had no fall
    assert HEIGHT not in {f.id for f in interview.warning_signs(Answers(age=age))}
    assert FALL in {f.id for f in interview.warning_signs(Answers(age=age))}


def test_the_height_applies_only_after_a_yes_to_the_fall(interview: Interview) -> None:
    person = Answers(age=40, sex="male")
    assert not interview.applies(HEIGHT, person)
    assert not interview.applies(HEIGHT, _with(person, {FALL: False}))
    assert not interview.applies(HEIGHT, _with(person, {}, frozenset({FALL})))
    assert interview.applies(HEIGHT, _with(person, {FALL: True}))


def _run(interview: Interview, answers: Answers, known: dict[str, bool]) -> list[list[str]]:
    """The screens the interview chooses when every question is answered from ``known``
    ("not sure" where it is silent), as lists of finding ids."""
    shown = []
    while (screen := interview.next_screen(answers)) is not None:
        ids = [f.id for f in screen.findings]
        shown.append(ids)
        answers = interview.with_screen(answers, screen)
        answers = _with(
            answers,
            {fid: known[fid] for fid in ids if fid in known},
            frozenset(fid for fid in ids if fid not in known),
        )
    return shown


@pytest.mark.parametrize("fall", ["no", "unsure"])
@pytest.mark.parametrize(
    "story",
    [
        {"gradual_onset": True, "runner_or_jumper": True},
        {"pain_at_insertion": True, "visible_bump": True},
        {},
    ],
)
def test_without_a_fall_the_height_is_never_asked(
    interview: Interview, fall: str, story: dict[str, bool]
) -> None:
    answers = Answers(age=38, sex="female", pain_score=4)
    signs = [f.id for f in interview.warning_signs(answers)]
    answers = _with(
        answers,
        {fid: False for fid in signs if fid != FALL} | ({FALL: False} if fall == "no" else {}),
        frozenset({FALL}) if fall == "unsure" else frozenset(),
    )
    screens = _run(interview, answers, {**story, HEIGHT: True})
    assert screens, "the interview asked nothing after the warning signs"
    assert all(HEIGHT not in ids for ids in screens)


def test_a_no_to_the_fall_takes_the_height_answer_back(engine: Engine) -> None:
    k = engine.knowledge
    answers = parse_form([("age", "40"), (f"q_{FALL}", "yes"), (f"q_{HEIGHT}", "yes")], k)
    assert answers.findings == {FALL: True, HEIGHT: True}
    for reply in ("no", "unsure"):
        changed = merge_form(answers, [(f"q_{FALL}", reply)], k)
        assert HEIGHT not in changed.findings and HEIGHT not in changed.unsure
        assert (f"q_{HEIGHT}", "yes") not in to_fields(changed)
        engine.assess(to_input(changed))  # a valid input: no contradiction left to refuse


def test_a_height_answer_after_no_fall_is_dropped_and_without_one_means_a_fall(
    engine: Engine,
) -> None:
    # a forged or stale form, or a saved input from the API read back as a form: never a
    # contradiction to refuse; as in the contract, a fall from a height alone is a fall
    k = engine.knowledge
    for fall in ([(f"q_{FALL}", "no")], [(f"q_{FALL}", "unsure")]):
        answers = parse_form([("age", "40"), *fall, (f"q_{HEIGHT}", "yes")], k)
        assert HEIGHT not in answers.findings
        engine.assess(to_input(answers))
    answers = parse_form([("age", "40"), (f"q_{HEIGHT}", "yes")], k)
    assert answers.findings == {HEIGHT: True, FALL: True}
    assert engine.assess(to_input(answers))["triage"]["level"] == "urgent"

"""The interview: which questions are asked, and what yes / no / not sure mean."""

from __future__ import annotations

from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heelpath.engine import Engine
from heelpath.interview import (
    SCREENS,
    Answers,
    Interview,
    about_errors,
    parse_form,
    to_fields,
    to_input,
)
from heelpath.knowledge import Knowledge
from heelpath.knowledge.expressions import findings_named


@pytest.fixture(scope="module")
def interview(knowledge: Knowledge) -> Interview:
    return Interview(knowledge)


def _answers(age: int = 40, **findings: bool) -> Answers:
    return Answers(age=age, age_text=str(age), findings=MappingProxyType(findings))


# -- reading the form -------------------------------------------------------------------------


def test_yes_and_no_are_findings_and_not_sure_is_left_out(knowledge: Knowledge) -> None:
    a = parse_form(
        [
            ("age", "46"),
            ("q_pain_at_insertion", "yes"),
            ("q_pop_or_snap", "no"),
            ("q_swelling", "unsure"),
        ],
        knowledge,
    )
    assert dict(a.findings) == {"pain_at_insertion": True, "pop_or_snap": False}
    assert to_input(a) == {"age": 46, "findings": {"pain_at_insertion": True, "pop_or_snap": False}}


def test_the_about_fields_are_read_into_the_contracts_ids(knowledge: Knowledge) -> None:
    a = parse_form(
        [
            ("age", " 11 "),
            ("sex", "male"),
            ("footwear", "athletic"),
            ("footwear", "boots"),
            ("footwear", "athletic"),
            ("work", "seated"),
            ("pain_score", "7"),
        ],
        knowledge,
    )
    assert to_input(a) == {
        "age": 11,
        "sex": "male",
        "footwear": ["athletic", "boots"],
        "work": "seated",
        "pain_score": 7,
        "findings": {},
    }


@pytest.mark.parametrize(
    "fields",
    [
        [("q_pain_in_elbow", "yes")],
        [("q_pain_at_insertion", "maybe")],
        [("sex", "robot"), ("work", "pilot"), ("footwear", "skates"), ("pain_score", "11")],
        [("pain_score", "-1"), ("pain_score", "x")],
    ],
)
def test_unknown_ids_and_values_are_ignored(
    knowledge: Knowledge, fields: list[tuple[str, str]]
) -> None:
    a = parse_form([("age", "30"), *fields], knowledge)
    assert to_input(a) == {"age": 30, "findings": {}}


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("0", True),
        ("120", True),
        ("46", True),
        ("121", False),
        ("", False),
        ("4.5", False),
        ("-2", False),
        ("forty", False),
        ("1e2", False),
    ],
)
def test_the_age_must_be_whole_years_from_0_to_120(
    knowledge: Knowledge, text: str, ok: bool
) -> None:
    a = parse_form([("age", text)], knowledge)
    assert (about_errors(a) == {}) is ok
    if not ok:
        assert "age" in about_errors(a)
        with pytest.raises(ValueError):
            to_input(a)


def test_a_later_not_sure_takes_back_an_earlier_answer(knowledge: Knowledge) -> None:
    a = parse_form([("age", "30"), ("q_swelling", "yes"), ("q_swelling", "unsure")], knowledge)
    assert "swelling" not in a.findings


@st.composite
def answers(draw: st.DrawFn, finding_ids: list[str]) -> Answers:
    findings = draw(st.dictionaries(st.sampled_from(finding_ids), st.booleans(), max_size=12))
    age = draw(st.integers(0, 120))
    return Answers(
        age=age,
        age_text=str(age),
        sex=draw(st.sampled_from([None, "female", "male", "other"])),
        footwear=tuple(
            draw(
                st.lists(
                    st.sampled_from(
                        ["athletic", "dress", "flats_or_womens_dress", "boots", "sandals"]
                    ),
                    unique=True,
                )
            )
        ),
        work=draw(st.sampled_from([None, "seated", "standing_or_manual"])),
        pain_score=draw(st.one_of(st.none(), st.integers(0, 10))),
        findings=MappingProxyType(findings),
    )


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_answers_survive_the_trip_through_hidden_fields(
    knowledge: Knowledge, data: st.DataObject
) -> None:
    a = data.draw(answers([f.id for f in knowledge.findings]))
    b = parse_form(to_fields(a), knowledge)
    assert to_input(b) == to_input(a)


# -- which questions are asked ----------------------------------------------------------------


def _red_flag_findings(knowledge: Knowledge) -> set[str]:
    red = {f.id for f in knowledge.findings if f.red_flag}
    for rule in knowledge.red_flag_rules:
        red |= findings_named(rule.when)
    return red


def test_every_finding_belongs_to_a_screen(knowledge: Knowledge) -> None:
    groups = {s.group for s in SCREENS if s.group}
    assert {f.group for f in knowledge.findings} <= groups


@pytest.mark.parametrize("age", [8, 11, 40, 80])
def test_red_flag_screening_and_health_are_always_asked(
    interview: Interview, knowledge: Knowledge, age: int
) -> None:
    asked = {f.id for s in SCREENS if s.group for f in interview.questions(s, _answers(age))}
    assert _red_flag_findings(knowledge) <= asked
    assert {f.id for f in knowledge.findings if f.group == "health"} <= asked


def test_a_finding_that_moves_no_condition_and_no_rule_is_never_asked(
    interview: Interview, knowledge: Knowledge
) -> None:
    inert = {
        f.id
        for f in knowledge.findings
        if f.id not in interview.informative and f.id not in interview.always_asked
    }
    asked = {f.id for s in SCREENS if s.group for f in interview.questions(s, _answers())}
    assert not inert & asked


def test_a_question_already_answered_is_shown_again(
    interview: Interview, knowledge: Knowledge
) -> None:
    for f in knowledge.findings:
        screen = next(s for s in SCREENS if s.group == f.group)
        shown = {q.id for q in interview.questions(screen, _answers(**{f.id: False}))}
        assert f.id in shown


def test_growth_spurt_is_asked_of_a_child_not_of_an_older_adult(interview: Interview) -> None:
    history = next(s for s in SCREENS if s.id == "history")
    assert "growth_spurt" in {f.id for f in interview.questions(history, _answers(11))}
    assert "growth_spurt" not in {f.id for f in interview.questions(history, _answers(70))}


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_a_skipped_question_could_not_have_changed_the_answer(
    interview: Interview, engine: Engine, knowledge: Knowledge, data: st.DataObject
) -> None:
    a = data.draw(answers([f.id for f in knowledge.findings]))
    base = engine.assess(to_input(a))
    for screen in SCREENS[1:]:
        asked = {f.id for f in interview.questions(screen, a)}
        for f in interview.findings_of(screen):
            if f.id in asked:
                continue
            for value in (True, False):
                what_if = to_input(a)
                what_if["findings"][f.id] = value
                other = engine.assess(what_if)
                assert other["triage"]["level"] == base["triage"]["level"], f.id
                top = [c["id"] for c in base["conditions"][:3]]
                assert [c["id"] for c in other["conditions"][:3]] == top, f.id

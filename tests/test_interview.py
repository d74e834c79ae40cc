"""The interview: which questions are asked, and what yes / no / not sure mean."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heelpath.engine import Engine
from heelpath.interview import (
    NOT_FOR_CHILDREN,
    SCREEN_MAX,
    SITES,
    SITES_QUESTION,
    SITES_QUESTION_CHILD,
    Answers,
    Interview,
    about_errors,
    merge_form,
    parse_form,
    tick_answer,
    to_fields,
    to_input,
)
from heelpath.knowledge import Knowledge
from heelpath.knowledge.expressions import findings_named
from heelpath.question_choice import MAX_REFINING
from heelpath.reasoning.results import level_rank


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
def answers(
    draw: st.DrawFn, finding_ids: list[str], follow_ups: Mapping[str, str] | None = None
) -> Answers:
    findings = draw(st.dictionaries(st.sampled_from(finding_ids), st.booleans(), max_size=12))
    for fid, parent in (follow_ups or {}).items():
        if findings.get(parent) is not True:  # a follow-up is only answered after a yes
            findings.pop(fid, None)
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
    a = data.draw(answers([f.id for f in knowledge.findings], knowledge.follow_ups))
    b = parse_form(to_fields(a), knowledge)
    assert to_input(b) == to_input(a)


# -- which questions are asked ----------------------------------------------------------------


def _level(engine: Engine, data: dict[str, object]) -> int:
    return level_rank(engine.assess(data)["triage"]["level"])


@pytest.mark.parametrize(("age", "sex"), [(8, None), (12, "male"), (40, "female"), (80, "male")])
def test_the_warning_signs_are_every_emergency_finding_and_every_same_day_sign(
    interview: Interview, engine: Engine, knowledge: Knowledge, age: int, sex: str | None
) -> None:
    a = Answers(age=age, age_text=str(age), sex=sex)
    asked = {f.id for f in interview.warning_signs(a)}
    emergency = {
        fid
        for r in knowledge.red_flag_rules
        if r.level == "emergency"
        for fid in findings_named(r.when)
    }
    assert emergency <= asked
    for f in knowledge.findings:
        if not interview.applies(f.id, a):
            continue
        alone: dict[str, object] = {"age": age, "findings": {f.id: True}}
        if sex:
            alone["sex"] = sex
        same_day = _level(engine, alone) >= level_rank("urgent")
        assert (f.id in asked) is (same_day or f.id in emergency), f.id


def test_questions_fit_the_person(interview: Interview) -> None:
    child = Answers(age=12, age_text="12", sex="female")
    man = Answers(age=40, age_text="40", sex="male")
    woman = Answers(age=30, age_text="30", sex="female")
    older = Answers(age=70, age_text="70", sex="female")
    assert not interview.applies("pregnant", child)
    assert not interview.applies("pregnant", man)
    assert interview.applies("pregnant", woman)
    assert interview.applies("growth_spurt", child)
    assert not interview.applies("growth_spurt", older)
    # an answer that does not fit is never sent to the engine
    a = Answers(age=12, age_text="12", findings=MappingProxyType({"pregnant": True}), work="seated")
    assert interview.case_input(a) == {"age": 12, "findings": {}}


def _walk(interview: Interview, a: Answers, reply: Callable[[str], bool | None]) -> Answers:
    """Answer the warning signs, then every screen, until the interview is over. "Where
    does it hurt?" gets a tick for each place ``reply`` says yes to, or "I can't say
    where" when it says yes to none."""
    findings = dict(a.findings)
    unsure = set(a.unsure)

    def answer(fid: str) -> None:
        value = reply(fid)
        if value is None:
            unsure.add(fid)
        else:
            findings[fid] = value

    for f in interview.warning_signs(a):
        answer(f.id)
    a = replace(a, findings=MappingProxyType(findings), unsure=frozenset(unsure))
    for _ in range(40):
        screen = interview.next_screen(a)
        if screen is None:
            return a
        # a tick question shows its boxes still open; any other screen up to SCREEN_MAX
        # questions of one group
        if screen.tick is not None:
            assert 2 <= len(screen.findings) <= len(screen.tick.boxes)
        else:
            assert 1 <= len(screen.findings) <= SCREEN_MAX
            assert len({f.group for f in screen.findings}) == 1
        a = interview.with_screen(a, screen)
        for f in screen.findings:
            assert not a.answered(f.id), "a question was asked twice"
        if screen.tick is not None:
            a = merge_form(a, tick_answer(screen, reply), interview.knowledge)
            findings, unsure = dict(a.findings), set(a.unsure)
            continue
        for f in screen.findings:
            answer(f.id)
        a = replace(a, findings=MappingProxyType(findings), unsure=frozenset(unsure))
    raise AssertionError("the interview did not end")


@settings(max_examples=12, deadline=None)
@given(data=st.data())
def test_when_the_interview_stops_no_open_question_could_change_the_level(
    interview: Interview, engine: Engine, knowledge: Knowledge, data: st.DataObject
) -> None:
    age = data.draw(st.sampled_from([10, 30, 45, 70]))
    replies = data.draw(
        st.dictionaries(st.sampled_from([f.id for f in knowledge.findings]), st.booleans())
    )
    a = _walk(interview, Answers(age=age, age_text=str(age)), replies.get)
    data_in = interview.case_input(a)
    level = _level(engine, data_in)
    if level >= level_rank("urgent"):
        return  # care today is decided; only a raise could matter, checked below
    ticks = [s[0] for s in a.screens if interview.tick_of(s)]
    unticked = {f for t in ticks for f in interview.tick_shown(a, t) if not a.answered(f)}
    asked = set(interview.asked_findings(a)) - unticked
    # questions that could only lower the level or change the leader stop after
    # MAX_REFINING of them (a tick question counts once); a question that could raise
    # the level is never left, nor is an unticked box whose answer could raise it
    capped = sum(1 if interview.tick_of(s) else len(s) for s in a.screens) >= MAX_REFINING
    for f in knowledge.findings:
        if f.id in asked or not interview.applies(f.id, a):
            continue
        for value in (True, False):
            what_if = {**data_in, "findings": {**data_in["findings"], f.id: value}}
            after = _level(engine, what_if)
            assert after <= level, f"{f.id}={value} raises the level"
            if not capped and f.id not in unticked:
                assert after == level, f"{f.id}={value} changes the level"


def test_a_yes_to_a_same_day_sign_ends_the_interview(interview: Interview) -> None:
    a = Answers(age=34, age_text="34", sex="male")
    a = _walk(interview, a, lambda fid: fid == "pop_or_snap")
    assert a.screens == ()
    assert interview.outlook(a).triage.level == "urgent"


def test_the_all_not_sure_interview_ends_without_asking_everything(
    interview: Interview, knowledge: Knowledge
) -> None:
    a = _walk(interview, Answers(age=40, age_text="40"), lambda fid: None)
    assert a.findings == {}
    assert len(interview.asked(a)) < len(knowledge.findings) * 0.8


def test_an_inert_question_is_never_chosen(interview: Interview, knowledge: Knowledge) -> None:
    chooser = interview.chooser
    moving = {lr.finding for lr in knowledge.likelihood_ratios}
    named = {fid for c in chooser.rules for fid in c.findings}
    guards = {
        fid
        for item in knowledge.interventions
        for g in (*item.contraindications, *item.cautions)
        for fid in findings_named(g.when)
    }
    inert = {f.id for f in knowledge.findings} - moving - named - guards
    a = _walk(interview, Answers(age=40, age_text="40"), lambda fid: None)
    assert not inert & set(interview.asked_findings(a))


def test_the_chance_of_yes_rebuilds_the_differential(interview: Interview) -> None:
    chooser = interview.chooser
    case = interview.case(Answers(age=40, age_text="40"))
    weighed = {
        c.finding: c for c in chooser.weigh(case, ["pain_midportion", "chest_pain_or_breathless"])
    }
    assert weighed["pain_midportion"].changes_leading
    assert weighed["chest_pain_or_breathless"].changes_level
    assert weighed["chest_pain_or_breathless"].score > 0


def test_a_rule_that_needs_several_yes_answers_is_asked_one_step_at_a_time(
    interview: Interview,
) -> None:
    # a hot, red, swollen heel: no one of the three alone means care today, together they do
    together = {"redness", "warmth", "swelling"}
    a = _walk(interview, Answers(age=40, age_text="40"), lambda fid: fid in together)
    assert interview.outlook(a).triage.level == "urgent"


def test_a_no_ends_the_way_towards_a_rule(interview: Interview) -> None:
    case = interview.case(Answers(age=40, age_text="40"))
    open_ = [f.id for f in interview.knowledge.findings]
    towards = [c.finding for c in interview.chooser.weigh(case, open_) if c.reaches_rule]
    # a hot, red, swollen heel (care today) is one question away, not three at once
    assert len([f for f in towards if f in {"redness", "warmth", "swelling"}]) == 1


@pytest.mark.parametrize(
    ("age", "sex", "reply"),
    [(30, "female", False), (70, "male", False), (45, "female", None)],
)
def test_when_the_interview_stops_every_safety_question_of_the_plan_was_asked(
    interview: Interview,
    engine: Engine,
    knowledge: Knowledge,
    age: int,
    sex: str,
    reply: bool | None,
) -> None:
    # a midportion story (so the plan has its settle and load items), everything else "reply";
    # a safety question the item's own caution covers (if_unknown) may be left: the plan
    # then carries that caution
    story = {"gradual_onset": True, "pain_midportion": True, "runner_or_jumper": True}
    a = _walk(
        interview, Answers(age=age, age_text=str(age), sex=sex), lambda f: story.get(f, reply)
    )
    # a place left unticked in "where does it hurt?" counts only if asked on its own
    ticks = [s[0] for s in a.screens if interview.tick_of(s)]
    unticked = {f for t in ticks for f in interview.tick_shown(a, t) if not a.answered(f)}
    asked = set(interview.asked_findings(a)) - unticked
    plan = engine.evaluate(interview.case(a)).plan
    text = {i.intervention: i.instructions for p in plan.phases for i in p.items}
    checked = 0
    for item in knowledge.interventions:
        if item.id not in text:
            continue
        for guard in (*item.contraindications, *item.cautions):
            for fid in findings_named(guard.when):
                if fid in {f.id for f in knowledge.findings} and interview.applies(fid, a):
                    notes = [g.text for g in item.if_unknown if fid in findings_named(g.when)]
                    if fid not in asked:
                        assert notes, f"{fid} guards {item.id} but was not asked"
                        assert any(n in text[item.id] for n in notes), (fid, item.id)
                    checked += 1
    assert checked  # the plan had items with safety questions


# -- the wording -------------------------------------------------------------------------------

ADULT_WORDS = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)


def test_every_question_about_the_person_has_a_version_for_a_parent(knowledge: Knowledge) -> None:
    for f in knowledge.findings:
        if f.id in NOT_FOR_CHILDREN:
            continue
        if ADULT_WORDS.search(f.question):
            assert f.question_child, f"{f.id}: no question_child"
        if f.question_child:
            assert "your child" in f.question_child.lower(), f.id
            # "you" is left only for the parent doing a check ("when you press ..."),
            # never for the child's own body or story
            assert not re.search(r"\byour (heel|foot|ankle|leg|calf|pain)\b", f.question_child), (
                f.id
            )


def test_every_how_to_check_about_the_person_has_a_version_for_a_parent(
    knowledge: Knowledge,
) -> None:
    # the parent does the check on the child, or talks the child through it: the help
    # never tells them to use their own heel, foot or leg
    for f in knowledge.findings:
        if f.id in NOT_FOR_CHILDREN or not f.help:
            continue
        if re.search(r"\byour (heel|heels|foot|feet|ankle|leg|legs|calf|toes|weight)\b", f.help):
            assert f.help_child, f"{f.id}: no help_child"
        if f.help_child:
            assert not re.search(
                r"\byour (heel|heels|foot|feet|ankle|leg|legs|calf|toes|weight|height)\b",
                f.help_child,
            ), f.id
            assert not re.search(r"\b(yourself|lower yourself)\b", f.help_child), f.id


def test_questions_are_put_positively(knowledge: Knowledge) -> None:
    for f in knowledge.findings:
        for text in (f.question, f.question_child):
            assert not re.search(r"\b(unable|instead)\b", text), f.id


@pytest.mark.parametrize(("age", "reply"), [(9, False), (15, None), (16, False), (40, False)])
def test_a_child_is_asked_in_the_childs_wording_and_an_adult_never(
    interview: Interview, age: int, reply: bool | None
) -> None:
    a = _walk(interview, Answers(age=age, age_text=str(age)), lambda _f: reply)
    assert SITES in interview.asked(a)
    sites_question = SITES_QUESTION_CHILD if age < 16 else SITES_QUESTION
    assert interview.question_text(SITES, a) == sites_question
    for fid in interview.asked_findings(a):
        f = interview.finding(fid)
        shown = interview.wording(f, a)
        if age < 16 and f.question_child:
            assert shown == f.question_child
        else:
            assert shown == f.question
        shown_help = interview.hint(f, a)
        if age < 16 and f.help_child:
            assert shown_help == f.help_child
        else:
            assert shown_help == f.help

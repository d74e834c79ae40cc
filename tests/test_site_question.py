"""'Where does it hurt?': the places asked as one question with a box per place.

A ticked place is a "yes"; a place left unticked is recorded as nothing (unknown), so
triage never reads it as a "no" (hazard H106); "I can't say where" is "not sure" to
every place; nothing ticked is an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from types import MappingProxyType

import pytest

from heelpath.case import Case
from heelpath.engine import Engine
from heelpath.interview import (
    SITES,
    SITES_QUESTION,
    SITES_QUESTION_CHILD,
    Answers,
    Interview,
    merge_form,
    parse_form,
    site_fields,
    tick_answer,
)
from heelpath.knowledge import Knowledge
from heelpath.reasoning.results import level_rank

CALF = "pain_in_calf"


def _person(age: int = 40, sex: str | None = "male", **findings: bool) -> Answers:
    return Answers(age=age, age_text=str(age), sex=sex, findings=MappingProxyType(findings))


def _walk(
    interview: Interview,
    a: Answers,
    reply: Callable[[str], bool | None],
    ticks: list[str] | None = None,
) -> Answers:
    """The warning signs, then every screen to the end; a tick for each place ``reply``
    says yes to (or the places ``ticks`` names), "I can't say where" when none."""
    answered = {f.id: reply(f.id) for f in interview.warning_signs(a)}
    a = _record(a, answered)
    for _ in range(40):
        screen = interview.next_screen(a)
        if screen is None:
            return a
        a = interview.with_screen(a, screen)
        if screen.sites and ticks is not None:
            a = merge_form(a, site_fields(ticks or None), interview.knowledge)
        elif screen.tick is not None:
            a = merge_form(a, tick_answer(screen, reply), interview.knowledge)
        else:
            a = _record(a, {f.id: reply(f.id) for f in screen.findings})
    raise AssertionError("the interview did not end")


def _record(a: Answers, replies: dict[str, bool | None]) -> Answers:
    findings, unsure = dict(a.findings), set(a.unsure)
    for fid, value in replies.items():
        if value is None:
            unsure.add(fid)
        else:
            findings[fid] = value
    return replace(a, findings=MappingProxyType(findings), unsure=frozenset(unsure))


def _level(engine: Engine, data: dict[str, object]) -> int:
    return level_rank(engine.assess(data)["triage"]["level"])


# -- asked once, counted once -------------------------------------------------------------------


def test_where_it_hurts_is_asked_once_as_one_question(
    interview: Interview, knowledge: Knowledge
) -> None:
    story = {"gradual_onset": True, "pain_midportion": True, "runner_or_jumper": True}
    a = _walk(interview, _person(), lambda f: story.get(f, False))
    kept = [s for s in a.screens if s[:1] == (SITES,)]
    assert len(kept) == 1
    assert kept[0][1:] == knowledge.sites  # every place, in the knowledge's order
    asked = interview.asked(a)
    assert asked.count(SITES) == 1
    # it counts as one: the questions asked are the warning-sign questions (a warning
    # checklist once), one per chosen finding
    # on the other screens, and this one
    one_by_one = [fid for s in a.screens if not interview.tick_of(s) for fid in s]
    ticks = [s for s in a.screens if interview.tick_of(s)]  # this one, and any checklist
    assert len(asked) == len(interview.warning_steps(a)) + len(one_by_one) + len(ticks)
    # a place is never on a screen before the site question, nor next to it
    first = a.screens.index(kept[0])
    assert not set(knowledge.sites) & {fid for s in a.screens[:first] for fid in s}


def test_the_site_question_comes_where_the_first_place_would_have(
    interview: Interview, knowledge: Knowledge
) -> None:
    a = _walk(interview, _person(), lambda f: None)  # all "not sure"
    assert SITES in interview.asked(a)
    assert all(s in a.unsure for s in knowledge.sites)  # "I can't say where"
    screen = interview.screen_at(a, [s[:1] == (SITES,) for s in a.screens].index(True))
    assert screen.sites and screen.title == "Where it hurts"
    assert [f.id for f in screen.findings] == list(knowledge.sites)


# -- what the answer means ----------------------------------------------------------------------


def test_a_ticked_place_is_yes_and_an_unticked_one_stays_out_of_the_input(
    interview: Interview, knowledge: Knowledge
) -> None:
    a = merge_form(_person(), site_fields(["pain_under_heel", "pain_inner_heel"]), knowledge)
    assert dict(a.findings) == {"pain_under_heel": True, "pain_inner_heel": True}
    assert not a.unsure
    findings = interview.case_input(a)["findings"]
    assert findings == {"pain_under_heel": True, "pain_inner_heel": True}
    for site in set(knowledge.sites) - set(findings):
        assert a.reply(site) is None  # unknown: neither "no" nor "not sure"


def test_i_cant_say_where_is_not_sure_to_every_place(
    interview: Interview, knowledge: Knowledge
) -> None:
    a = merge_form(_person(), site_fields(None), knowledge)
    assert a.unsure == frozenset(knowledge.sites)
    assert interview.case_input(a)["findings"] == {}
    a = replace(_person(), screens=((SITES, *knowledge.sites),))
    assert interview.tick_reply(a, SITES) is None  # shown, not answered yet
    a = merge_form(a, [(SITES, "unsure")], knowledge)
    assert interview.tick_reply(a, SITES) == "unsure"


def test_a_new_answer_to_the_site_question_replaces_the_old_one(knowledge: Knowledge) -> None:
    a = merge_form(_person(), site_fields(["pain_under_heel"]), knowledge)
    a = merge_form(a, [("q_pain_in_calf", "no")], knowledge)  # asked again on its own
    b = merge_form(a, site_fields(["pain_at_insertion"]), knowledge)
    # the earlier tick is taken back (unknown, not "no"); the calf's own "no" stays
    assert dict(b.findings) == {"pain_at_insertion": True, CALF: False}
    c = merge_form(b, site_fields(None), knowledge)
    assert dict(c.findings) == {} and c.unsure == frozenset(knowledge.sites)
    d = merge_form(c, site_fields([CALF]), knowledge)
    assert dict(d.findings) == {CALF: True} and not d.unsure
    # a tampered form: unknown places are ignored; ticks and "can't say" together, ticks count
    e = parse_form([("age", "40"), (SITES, "pain_in_elbow"), (SITES, "x")], knowledge)
    assert dict(e.findings) == {} and not e.unsure
    f = parse_form([("age", "40"), (SITES, "unsure"), (SITES, CALF)], knowledge)
    assert dict(f.findings) == {CALF: True} and not f.unsure


@pytest.mark.parametrize(("age", "question"), [(9, SITES_QUESTION_CHILD), (40, SITES_QUESTION)])
def test_nothing_ticked_is_an_error_naming_the_question(
    interview: Interview, age: int, question: str
) -> None:
    person = _person(age)
    empty = interview.tick_error(SITES, [], person)
    assert empty and question in empty and "can't say where" in empty
    # only known places count
    assert interview.tick_error(SITES, ["pain_in_elbow"], person) == empty
    both = interview.tick_error(SITES, ["unsure", CALF], person)
    assert both and "not both" in both and question in both
    assert interview.tick_error(SITES, [CALF], person) is None
    assert interview.tick_error(SITES, ["unsure"], person) is None
    with pytest.raises(ValueError, match="nothing ticked"):
        site_fields([])
    assert interview.question_text(SITES, person) == question


def test_every_place_has_words_for_its_box_that_fit_a_parent_too(knowledge: Knowledge) -> None:
    for site in knowledge.sites:
        place = knowledge.finding(site).place
        assert place and len(place) <= 80, site
        assert not re.search(r"\b(you|your)\b", place, re.IGNORECASE), site


# -- asked again only for safety ----------------------------------------------------------------


def test_an_unticked_place_whose_yes_could_raise_the_level_is_asked_again(
    interview: Interview,
) -> None:
    # calf pain after a long journey is a reason for care today (a clot): a person who
    # ticked only "under the heel" is still asked about the calf, on its own, and a
    # "yes" there leads on to the journey and to care today
    story = {"recent_immobilisation_or_travel": True, "pain_under_heel": True, CALF: True}
    a = _walk(interview, _person(), lambda f: story.get(f), ticks=["pain_under_heel"])
    first = [s[:1] == (SITES,) for s in a.screens].index(True)
    later = [fid for s in a.screens[first + 1 :] for fid in s]
    assert later.index(CALF) < later.index("recent_immobilisation_or_travel")
    assert CALF in interview.asked(a)
    assert interview.outlook(a).triage.level == "urgent"
    # left at "under the heel" alone, the calf stays unknown: never read as a "no"
    b = _walk(
        interview, _person(), lambda f: story.get(f) if f != CALF else None, ["pain_under_heel"]
    )
    assert CALF in b.unsure and CALF not in b.findings


def test_unticked_places_are_asked_again_only_when_an_answer_could_raise_the_level(
    interview: Interview, knowledge: Knowledge
) -> None:
    story = {"gradual_onset": True, "pain_midportion": True, "runner_or_jumper": True}
    a = _person()
    a = _record(a, {f.id: story.get(f.id, False) for f in interview.warning_signs(a)})
    seen_sites = False
    asked_again: list[str] = []
    for _ in range(40):
        screen = interview.next_screen(a)
        if screen is None:
            break
        if seen_sites:
            unticked = [f.id for f in screen.findings if f.id in knowledge.sites]
            if unticked:
                case = interview.case(a)
                guards = interview.chooser.plan_guards(case)
                open_ = interview.open_findings(a)
                places = frozenset(interview.tick_shown(a, SITES))
                weighed = {
                    c.finding: c
                    for c in interview.chooser.weigh(case, open_, guards, not_supporters=places)
                }
                for fid in unticked:
                    c = weighed[fid]
                    assert c.raises_safety or c.guards_plan, fid
                    asked_again.append(fid)
        a = interview.with_screen(a, screen)
        if screen.sites:
            seen_sites = True
            a = merge_form(a, site_fields(["pain_midportion"]), knowledge)
        else:
            a = _record(a, {f.id: story.get(f.id, False) for f in screen.findings})
    assert seen_sites
    assert asked_again  # the test saw a place asked again


def test_an_unticked_place_is_never_guessed_as_part_of_the_story(
    interview: Interview, knowledge: Knowledge
) -> None:
    # a rule that reads a condition's chance is tried with the condition's strongest
    # unasked supporters as yes (the lookahead); a place the person left unticked is not
    # one of them. Here pain deep behind the ankle would be such a guess (for
    # impingement), and is not asked once "at the tendon" alone was ticked (the rest "not sure")
    a = _walk(interview, _person(45, "male"), lambda f: None, ticks=["pain_at_insertion"])
    assert any(s[:1] == (SITES,) for s in a.screens)
    later = [fid for s in a.screens if not interview.tick_of(s) for fid in s]
    assert "pain_deep_behind_ankle" not in later
    assert "pain_deep_behind_ankle" not in a.findings  # unknown, not a "no"


# -- hazard H106: an unticked place is never a "no" to triage ---------------------------------


def test_an_unticked_place_never_lowers_the_level(
    interview: Interview, engine: Engine, knowledge: Knowledge
) -> None:
    # with calf pain unknown, this story's chance of a torn tendon means care today; a
    # "no" to the calf (its LR- for a tear) would send it home. Ticking the tendon alone
    # must leave the calf unknown, so the level stays as it was with the places unanswered.
    story = _person(30, "male", diabetes=True)
    a = merge_form(story, site_fields(["pain_midportion"]), knowledge)
    data = interview.case_input(a)
    assert CALF not in data["findings"]
    as_if_unanswered = {**data, "findings": {"diabetes": True, "pain_midportion": True}}
    assert _level(engine, data) == _level(engine, as_if_unanswered) == level_rank("urgent")
    read_as_no = {**data, "findings": {**data["findings"], CALF: False}}
    assert _level(engine, read_as_no) < _level(engine, data)  # what the control prevents


def test_an_unticked_calf_does_not_apply_the_clots_no_to_triage(
    interview: Interview, knowledge: Knowledge
) -> None:
    # triage reads each condition's own chance: an unticked calf must not multiply the
    # clot's chance by its LR- (0.3)
    person = _person(60, "female", recent_immobilisation_or_travel=True)
    a = merge_form(person, site_fields(["pain_under_heel"]), knowledge)

    def clot(case: Case) -> float:
        scores = interview.chooser.outlook(case).differential.scores
        return next(s.chance for s in scores if s.id == "deep_vein_thrombosis")

    case = interview.case(a)
    assert CALF not in case.findings
    unanswered = replace(case, findings={k: v for k, v in case.findings.items() if k != CALF})
    as_no = replace(case, findings={**case.findings, CALF: False})
    assert clot(case) == clot(unanswered)
    assert clot(as_no) < clot(case) * 0.5


def test_the_interview_ends_no_lower_than_with_the_places_left_unanswered(
    interview: Interview, engine: Engine, knowledge: Knowledge
) -> None:
    # the whole interview, the same story: the places ticked are the only ones it sends
    story = {"diabetes": True, "pain_midportion": True}
    a = _walk(interview, _person(30, "male"), lambda f: story.get(f))
    data = interview.case_input(a)
    alone = {fid for s in a.screens if not interview.tick_of(s) for fid in s}
    for site in knowledge.sites:
        if site in data["findings"]:  # ticked, or asked again on its own
            assert data["findings"][site] is True or site in alone, site
    without = {k: v for k, v in data["findings"].items() if k not in knowledge.sites}
    unanswered = {**data, "findings": {**without, "pain_midportion": True}}
    assert _level(engine, data) >= _level(engine, unanswered)

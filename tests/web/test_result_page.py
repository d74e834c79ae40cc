"""The result page, decision first: the level, what to do now and at most three first steps;
the warning signs left unanswered; the likely causes in plain words; the plan by phase."""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

import pytest
from fastapi import FastAPI

from heelpath import __version__
from heelpath.engine import Engine
from heelpath.knowledge.version import knowledge_version
from heelpath.reasoning.triage import SELF_CARE_REASON
from heelpath.web import result_view
from web.results import result_html, view_of

MIDPORTION = {
    "age": 45,
    "sex": "male",
    "findings": {
        "pain_midportion": True,
        "runner_or_jumper": True,
        "gradual_onset": True,
        "pain_under_heel": False,
        "sudden_onset": False,
    },
}
# an urgent rule (a snap) and a soon one (night pain) together
SNAP_AND_NIGHT_PAIN = {"age": 40, "findings": {"pop_or_snap": True, "night_or_rest_pain": True}}


def text(fragment: str) -> str:
    """What a person reads of an HTML fragment: tags out, entities decoded, spaces folded."""
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def between(page: str, start: str, end: str) -> str:
    i = page.index(start)
    return page[i : page.index(end, i)]


def warning_sign_findings(engine: Engine) -> set[str]:
    return {f for c in engine.rules if c.rule.level in ("urgent", "emergency") for f in c.findings}


def all_warning_signs_denied(engine: Engine, data: dict[str, Any]) -> dict[str, Any]:
    denied = dict.fromkeys(warning_sign_findings(engine), False)
    return {**data, "findings": {**denied, **data["findings"]}}


def test_the_first_screen_holds_the_level_what_to_do_and_three_dosed_first_steps(
    app: FastAPI, engine: Engine
) -> None:
    page = result_html(app, MIDPORTION, engine)
    order = [
        page.index('id="triage-title"'),
        page.index('id="first-steps-title"'),
        page.index('id="causes-title"'),
        page.index('id="plan-title"'),
    ]
    assert order == sorted(order)
    steps = between(page, 'class="first-steps"', "</section>")
    ids = re.findall(r'data-intervention="([a-z_]+)"', steps)
    assert 1 <= len(ids) <= result_view.FIRST_STEPS
    answer = engine.assess(MIDPORTION)
    items = {i["intervention"]: i for p in answer["plan"]["phases"] for i in p["items"]}
    for iid in ids:
        assert text(items[iid]["dose"]) in text(steps), iid
        assert f'id="item-{iid}"' in page  # the link leads to its instructions
    # the best-evidenced exercise programme leads; no two of the same kind
    assert ids[0] in {"eccentric_heel_drops_full_range", "progressive_calf_strengthening"}
    kinds = {i.id: i.kind for i in engine.knowledge.interventions}
    assert len({kinds[i] for i in ids}) == len(ids)


def test_before_a_same_day_visit_the_first_steps_are_what_to_do_while_waiting(
    engine: Engine,
) -> None:
    view = view_of({"age": 40, "findings": {"pop_or_snap": True}}, engine)
    assert view.triage.level == "urgent"
    answer = engine.assess({"age": 40, "findings": {"pop_or_snap": True}})
    first_phase = [i["intervention"] for i in answer["plan"]["phases"][0]["items"]]
    assert [s.id for s in view.first_steps] == first_phase[: result_view.FIRST_STEPS]
    assert "urgent_in_person_care" in [s.id for s in view.first_steps]


def test_reasons_of_a_lower_level_are_folded_under_also_worth_knowing(
    app: FastAPI, engine: Engine
) -> None:
    answer = engine.assess(SNAP_AND_NIGHT_PAIN)
    assert {r["level"] for r in answer["triage"]["rules"]} >= {"urgent", "soon"}
    view = view_of(SNAP_AND_NIGHT_PAIN, engine)
    rules = {r.id: r for r in engine.knowledge.red_flag_rules}
    assert view.triage.reasons and view.triage.also
    assert all(
        rules[r["id"]].reason in view.triage.reasons
        for r in answer["triage"]["rules"]
        if r["level"] == "urgent"
    )
    assert rules["serious_pathology"].reason in view.triage.also
    page = result_html(app, SNAP_AND_NIGHT_PAIN, engine)
    headline_box = text(between(page, 'class="triage', "</section>"))
    assert "week or two" not in headline_box  # the soon reason is not under "today"
    assert "Also worth knowing" in page


@pytest.mark.parametrize(
    ("p", "words"),
    [
        (0.97, "more than 9 in 10"),
        (0.93, "about 9 in 10"),
        (0.6, "about 6 in 10"),
        (0.1, "about 1 in 10"),
        (0.094, "about 9 in 100"),
        (0.012, "about 1 in 100"),
        (0.004, "less than 1 in 100"),
    ],
)
def test_chances_read_as_n_in_10_never_a_bare_percentage(p: float, words: str) -> None:
    assert result_view.chance_words(p) == words


def test_causes_have_plain_names_first_and_no_percent_signs(app: FastAPI, engine: Engine) -> None:
    page = result_html(app, MIDPORTION, engine)
    causes = text(between(page, 'id="causes-title"', "</section>"))
    assert not re.search(r"\d\s*%", causes)
    assert "about less than" not in causes
    assert "Sore Achilles tendon, above the heel (Mid-portion Achilles tendinopathy)" in causes
    assert "of 10 people who answered as you did" in causes
    for c in engine.knowledge.conditions:
        assert c.plain_name, c.id  # every condition has a name in plain words


def test_only_conditions_above_one_in_a_hundred_get_a_full_block(engine: Engine) -> None:
    answer = engine.assess(MIDPORTION)
    view = view_of(MIDPORTION, engine)
    full = {c.id for c in view.conditions}
    for c in answer["conditions"]:
        assert (c["id"] in full) == (
            c["probability"] > result_view.SHOWN_THRESHOLD or c is answer["conditions"][0]
        ), c["id"]
    assert view.less_likely  # the check above is not vacuous


def test_why_lists_yes_answers_as_support_and_puts_what_argues_against_apart(
    app: FastAPI, engine: Engine
) -> None:
    answer = engine.assess(MIDPORTION)
    top = answer["conditions"][0]
    assert "pain_under_heel" in top["supporting"]  # a "no" the engine counts for it
    view = view_of(MIDPORTION, engine)
    question = engine.knowledge.finding("pain_under_heel").question
    assert all(r.said == "You said yes." for c in view.conditions for r in c.supporting)
    assert question not in [r.text for r in view.conditions[0].supporting]
    page = result_html(app, MIDPORTION, engine)
    for block in re.findall(r'<ul class="why-for">.*?</ul>', page, re.S):
        assert "You said no." not in block
    mixed = {
        "age": 50,
        "findings": {"pain_at_insertion": True, "pain_under_heel": True, "first_step_pain": False},
    }
    against = [r for c in view_of(mixed, engine).conditions for r in c.against]
    assert {r.said for r in against} == {"You said yes.", "You said no."}


def test_the_plan_is_folded_by_phase_with_evidence_in_words(app: FastAPI, engine: Engine) -> None:
    page = result_html(app, MIDPORTION, engine)
    plan = between(page, 'id="plan-title"', "</section>")
    phases = engine.assess(MIDPORTION)["plan"]["phases"]
    assert plan.count('<details class="phase"') == len(phases)
    assert not re.search(r"\bgrade [A-F]\b", text(plan))
    assert "Strong evidence:" in text(plan)
    for words in ("strong evidence", "some evidence", "little evidence"):
        assert words in text(plan)  # the key says what each means


def test_the_result_says_when_and_with_which_versions_it_was_made(
    app: FastAPI, engine: Engine
) -> None:
    page = text(result_html(app, MIDPORTION, engine))
    assert f"made on 14 March 2026 by heelpath {__version__}" in page
    assert f"knowledge version {knowledge_version()}" in page


# -- no false reassurance (hazard log: "No warning signs" said when they were never asked)


def test_no_warning_signs_is_never_said_when_warning_sign_questions_were_left_open(
    app: FastAPI, engine: Engine
) -> None:
    answer = engine.assess(MIDPORTION)
    assert answer["triage"]["level"] == "self_care"
    assert SELF_CARE_REASON not in answer["triage"]["reasons"]
    page = result_html(app, MIDPORTION, engine)
    assert "no warning signs" not in text(page).lower()
    headline_box = text(between(page, 'class="triage', "</section>"))
    assert "First check the warning signs listed below" in headline_box
    unchecked = between(page, 'class="unchecked"', "</section>")
    for finding in ("chest_pain_or_breathless", "calf_squeeze_no_foot_movement"):
        assert f'data-finding="{finding}"' in unchecked
        assert text(engine.knowledge.finding(finding).question) in text(unchecked)
    assert "call emergency services now" in text(unchecked)
    assert "How to check" in unchecked  # the self-tests say how


def test_no_warning_signs_is_said_once_every_warning_sign_was_answered(
    app: FastAPI, engine: Engine
) -> None:
    data = all_warning_signs_denied(engine, MIDPORTION)
    answer = engine.assess(data)
    assert answer["triage"]["level"] == "self_care"
    assert answer["triage"]["reasons"] == [SELF_CARE_REASON]
    assert answer["triage"]["unchecked"] == []
    page = result_html(app, data, engine)
    assert 'class="unchecked"' not in page


def test_a_no_that_makes_a_rule_moot_leaves_its_other_questions_off_the_list(
    engine: Engine,
) -> None:
    # the infection-with-fever rule needs a fever: answered no, it asks nothing more
    data = all_warning_signs_denied(engine, MIDPORTION)
    data["findings"] = {k: v for k, v in data["findings"].items() if k != "pregnant"}
    male = {**data, "sex": "male"}
    assert engine.assess(male)["triage"]["unchecked"] == []  # no pregnancy question for a man
    female = {**data, "sex": "female", "age": 30}
    listed = [u["finding"] for u in engine.assess(female)["triage"]["unchecked"]]
    assert listed == []  # calf pain was denied, so the clot-risk rule is moot
    open_calf = {**female, "findings": {**female["findings"]}}
    del open_calf["findings"]["pain_in_calf"]
    listed = [u["finding"] for u in engine.assess(open_calf)["triage"]["unchecked"]]
    assert "pain_in_calf" in listed and "pregnant" in listed

"""Plan invariants over generated people, differentials and triages (Hypothesis).

The differentials and triages are made by hand (``tests/strategies.py``), not by
the engine, so the plan must hold up for combinations the engine may never
produce: a likely rupture with a self-care triage, an emergency with no
likely cause, and so on. The last test runs the same invariants through the
whole engine.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from heelpath.contract import Case
from heelpath.engine import Engine
from heelpath.knowledge import Knowledge
from heelpath.knowledge.interventions import HANDS_OFF_KINDS
from heelpath.reasoning.plan import build_plan, close_conditions
from heelpath.reasoning.results import Plan, level_rank
from heelpath.reasoning.triage import facts_for
from strategies import FOOTWEAR, WORK, differentials, inputs, triages

CARE = {"urgent_in_person_care", "call_emergency_services"}
# the contract's loading and stretching (as shared/tools/plan_check.py counts them)
LOAD = {
    "calf_stretch",
    "hamstring_stretch",
    "plantar_fascia_stretch",
    "eccentric_heel_drops_full_range",
    "eccentric_heel_drops_floor_level",
    "isometric_calf_holds",
    "progressive_calf_strengthening",
}
SETTINGS = settings(max_examples=300, deadline=None)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    data = draw(inputs())
    return Case(
        age=data["age"],
        findings=MappingProxyType(data["findings"]),
        sex=data.get("sex"),
        footwear=tuple(data.get("footwear") or draw(st.lists(st.sampled_from(FOOTWEAR)))[:2]),
        work=data.get("work") or draw(st.none() | st.sampled_from(WORK)),
        pain_score=data.get("pain_score"),
    )


@st.composite
def scenarios(draw: st.DrawFn, knowledge: Knowledge) -> tuple[Case, Any, Any, Plan]:
    case = draw(cases())
    diff = draw(differentials())
    triage = draw(triages(knowledge.red_flag_rules))
    return case, diff, triage, build_plan(knowledge, case, diff, triage)


def used(plan: Plan) -> set[str]:
    return set(plan.interventions())


@SETTINGS
@given(data=st.data())
def test_urgent_first_phase_is_care_without_loading(knowledge: Knowledge, data: Any) -> None:
    _, _, triage, plan = data.draw(scenarios(knowledge))
    if level_rank(triage.level) < level_rank("urgent"):
        return
    first = {i.intervention for i in plan.phases[0].items}
    assert plan.phases[0].id == "get_seen"
    if triage.level == "emergency":
        assert "call_emergency_services" in first
    else:
        assert first & CARE
    kinds = {iv.id: iv.kind for iv in knowledge.interventions}
    # nothing that loads, stretches or rubs the area anywhere before the visit
    assert not used(plan) & LOAD
    assert not {i for i in used(plan) if kinds[i] in HANDS_OFF_KINDS}


@SETTINGS
@given(data=st.data())
def test_every_item_has_instructions_and_dose(knowledge: Knowledge, data: Any) -> None:
    _, _, _, plan = data.draw(scenarios(knowledge))
    assert plan.phases
    for phase in plan.phases:
        assert phase.id and phase.title
        for item in phase.items:
            assert item.instructions.strip(), item.intervention
            assert item.dose.strip(), item.intervention
            assert item.evidence.split(":")[0].endswith(" evidence"), item.intervention


@SETTINGS
@given(data=st.data())
def test_every_removed_item_is_in_avoid_with_reason(knowledge: Knowledge, data: Any) -> None:
    case, diff, triage, plan = data.draw(scenarios(knowledge))
    facts = facts_for(case, diff, triage.fired_ids())
    variants = [replace(facts, leading=c) for c in close_conditions(diff)] or [facts]
    avoid = {a.intervention: a.reason for a in plan.avoid}
    for iv in knowledge.interventions:
        for guard in iv.contraindications:
            if any(guard.holds(f) for f in variants):
                assert iv.id not in used(plan), (iv.id, guard.text)
                assert guard.text in avoid[iv.id], iv.id


@SETTINGS
@given(data=st.data())
def test_nothing_is_both_avoided_and_used(knowledge: Knowledge, data: Any) -> None:
    _, _, _, plan = data.draw(scenarios(knowledge))
    ids = [a.intervention for a in plan.avoid]
    assert len(ids) == len(set(ids))
    assert not set(ids) & used(plan)
    assert all(a.reason.strip() for a in plan.avoid)
    items = [i.intervention for p in plan.phases for i in p.items]
    assert len(items) == len(set(items))  # each item once


@SETTINGS
@given(data=st.data())
def test_plan_ids_come_from_the_knowledge(knowledge: Knowledge, data: Any) -> None:
    _, _, _, plan = data.draw(scenarios(knowledge))
    known = set(knowledge.vocabulary.interventions) | {
        iv.id for iv in knowledge.interventions if iv.own
    }
    assert used(plan) <= known
    assert {a.intervention for a in plan.avoid} <= known


@SETTINGS
@given(data=st.data())
def test_rule_additions_are_honoured(knowledge: Knowledge, data: Any) -> None:
    _, _, triage, plan = data.draw(scenarios(knowledge))
    avoided = {a.intervention for a in plan.avoid}
    for rule in triage.fired:
        if rule.level != triage.level:
            continue  # home care from lower-level rules waits for the visit
        for add in rule.adds:
            if add == "urgent_in_person_care" and triage.level == "emergency":
                add = "call_emergency_services"  # the stronger step stands for it
            assert add in used(plan) or add in avoided, (rule.id, add)


@SETTINGS
@given(data=st.data())
def test_child_plan_never_loads_the_growing_heel(knowledge: Knowledge, data: Any) -> None:
    case, diff, triage, _ = data.draw(scenarios(knowledge))
    child = replace(case, age=case.age % 16)
    plan = build_plan(knowledge, child, diff, triage)
    kinds = {iv.id: iv.kind for iv in knowledge.interventions}
    assert not {i for i in used(plan) if kinds[i] == "load"}
    assert not used(plan) & {"oral_nsaid", "topical_nsaid"}


@settings(max_examples=300, deadline=None)
@given(data=inputs())
def test_engine_answers_keep_the_plan_invariants(engine: Engine, data: dict[str, Any]) -> None:
    # the invariants of shared/tools/plan_check.py, through the whole engine
    answer = engine.assess(data)
    phases = answer["plan"]["phases"]
    items = [i for p in phases for i in p["items"]]
    ids = {i["intervention"] for i in items}
    level = answer["triage"]["level"]
    if level in ("urgent", "emergency"):
        first = {i["intervention"] for i in phases[0]["items"]}
        assert first & CARE and not first & LOAD
    if level == "emergency":
        assert "call_emergency_services" in ids
    assert all(i["instructions"].strip() and i["dose"].strip() for i in items)
    fx = data["findings"]
    if fx.get("reduced_foot_sensation") or fx.get("poor_circulation_or_cold_sensitivity"):
        assert "ice" not in ids
    unsafe = ("kidney_disease", "anticoagulant_use", "pregnant", "stomach_ulcer_or_bleeding")
    if any(fx.get(k) for k in (*unsafe, "nsaid_allergy_or_asthma")):
        assert "oral_nsaid" not in ids
    for a in answer["plan"]["avoid"]:
        assert a["reason"].strip() and a["intervention"] not in ids

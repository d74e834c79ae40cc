"""The plan builder: phases in order, doses from the evidence, advice fitted to the person.

Doses and choices are checked against the evidence brief (§3.2, §3.3), not
against the builder's own output.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from heelpath.errors import KnowledgeError
from heelpath.knowledge import Knowledge
from heelpath.knowledge.expressions import Facts, Ids, compile_expression
from heelpath.reasoning.plan import close_conditions
from strategies import plan_for, ranked

MIDPORTION = ranked(("midportion_achilles_tendinopathy", 0.8), ("plantar_fasciitis", 0.05))
PLANTAR = ranked(("plantar_fasciitis", 0.8), ("fat_pad_atrophy", 0.05))
HAGLUND = ranked(("haglund_syndrome", 0.7), ("retrocalcaneal_bursitis", 0.1))


def items(plan: Any) -> dict[str, Any]:
    return {i.intervention: i for p in plan.phases for i in p.items}


def phase_of(plan: Any, intervention: str) -> str:
    return next(p.id for p in plan.phases for i in p.items if i.intervention == intervention)


def test_self_care_plan_has_the_phases_in_order(knowledge: Knowledge) -> None:
    plan = plan_for(knowledge, MIDPORTION)
    assert [p.id for p in plan.phases] == [
        "settle",
        "load_and_correct",
        "return_to_activity",
        "when_to_get_help",
    ]
    assert all(p.title and p.summary for p in plan.phases)
    assert phase_of(plan, "ice") == "settle"
    assert phase_of(plan, "eccentric_heel_drops_full_range") == "load_and_correct"
    assert phase_of(plan, "see_podiatrist") == "when_to_get_help"


def test_soon_plan_books_the_appointment_first(knowledge: Knowledge) -> None:
    plan = plan_for(knowledge, MIDPORTION, "severe_pain", pain_score=9)
    first = plan.phases[0]
    assert first.id == "get_seen"
    assert [i.intervention for i in first.items] == ["see_podiatrist"]
    assert "1-2 weeks" in first.items[0].dose
    assert "settle" in [p.id for p in plan.phases]  # home care meanwhile


def test_emergency_first_phase_calls_emergency_services(knowledge: Knowledge) -> None:
    diff = ranked(("deep_vein_thrombosis", 0.4), ("midportion_achilles_tendinopathy", 0.3))
    plan = plan_for(
        knowledge,
        diff,
        "possible_pulmonary_embolism",
        "possible_dvt",
        findings={"chest_pain_or_breathless": True, "calf_swelling_tenderness": True},
    )
    first = plan.phases[0]
    assert first.id == "get_seen"
    assert first.items[0].intervention == "call_emergency_services"
    # one clear instruction: not also "go to urgent care today"
    assert "urgent_in_person_care" not in items(plan)
    assert "lungs" in first.items[0].instructions


def test_rupture_plan_says_keep_weight_off_and_foot_pointed(knowledge: Knowledge) -> None:
    diff = ranked(("achilles_tendon_rupture", 0.7), ("achilles_partial_tear", 0.1))
    plan = plan_for(knowledge, diff, "suspected_achilles_rupture", findings={"palpable_gap": True})
    first = plan.phases[0]
    care = first.items[0]
    assert care.intervention == "urgent_in_person_care"
    assert "walk it off" in care.instructions
    assert "pointed down" in care.instructions
    assert "offloading_device" in [i.intervention for i in first.items]
    # the boot comes after the visit, fitted by the clinician
    assert phase_of(plan, "walking_boot") == "after_seen"


def test_fracture_plan_keeps_weight_off(knowledge: Knowledge) -> None:
    diff = ranked(("calcaneal_fracture", 0.7), ("fat_pad_atrophy", 0.1))
    plan = plan_for(
        knowledge,
        diff,
        "possible_heel_fracture",
        findings={"fall_or_heel_impact": True, "cannot_bear_weight": True},
        work="standing_or_manual",
    )
    first = plan.phases[0]
    assert "keep weight off the foot" in first.items[0].instructions
    offload = items(plan)["offloading_device"]
    assert phase_of(plan, "offloading_device") == "get_seen"
    assert "time off" in offload.instructions  # work advice for a standing job


def test_midportion_loading_dose_follows_the_trials(knowledge: Knowledge) -> None:
    plan = items(plan_for(knowledge, MIDPORTION))
    alfredson = plan["eccentric_heel_drops_full_range"]
    assert "3 sets of 15 with the knee straight and 3 sets of 15 with the knee bent" in (
        alfredson.dose
    )
    assert "twice a day" in alfredson.dose and "12 weeks" in alfredson.dose
    hsr = plan["progressive_calf_strengthening"]
    assert "3 times a week" in hsr.dose and "12 weeks" in hsr.dose
    for step in ("3 sets of 15RM", "3 × 12RM", "4 × 10RM", "4 × 8RM", "4 × 6RM"):
        assert step in hsr.instructions
    # loading starts in week 1, said in plain words against the seed's "inflammation first"
    assert "first week" in alfredson.note


def test_floor_level_dose_for_insertional(knowledge: Knowledge) -> None:
    plan = items(plan_for(knowledge, ranked(("insertional_achilles_tendinopathy", 0.8))))
    floor = plan["eccentric_heel_drops_floor_level"]
    assert "3 sets of 15" in floor.dose and "twice a day" in floor.dose
    assert "never off a step" in floor.instructions.lower()
    assert "spur" in floor.note  # heel spurs are common without pain


def test_stretch_and_ice_doses(knowledge: Knowledge) -> None:
    plan = items(plan_for(knowledge, PLANTAR, findings={"first_step_pain": True}))
    assert plan["plantar_fascia_stretch"].dose.startswith("10 holds of 10 seconds; 3 times a day")
    assert plan["calf_stretch"].dose.startswith("30 seconds, 3 times")
    assert plan["hamstring_stretch"].dose.startswith("30 seconds, 2-3 times")
    assert plan["ice"].dose.startswith("15-20 minutes, wrapped; up to 3 times a day")


@pytest.mark.parametrize(
    ("footwear", "words"),
    [
        ("athletic", "full-length insole fits athletic shoes"),
        ("boots", "full-length insole fits boots"),
        ("dress", "dress-shoe insole"),
        ("flats_or_womens_dress", "three-quarter-length"),
        ("sandals", "Sandals cannot hold an insole"),
    ],
)
def test_insoles_are_chosen_by_footwear(knowledge: Knowledge, footwear: str, words: str) -> None:
    insole = items(plan_for(knowledge, PLANTAR, footwear=(footwear,)))["rigid_arch_support"]
    assert words in insole.instructions
    # the other shoes' sentences do not leak in; with the shoes unknown, the whole choice
    if footwear != "flats_or_womens_dress":
        assert "three-quarter" not in insole.instructions
    if footwear != "sandals":
        assert "Sandals cannot" not in insole.instructions
    unknown = items(plan_for(knowledge, PLANTAR))["rigid_arch_support"]
    assert "three-quarter" in unknown.instructions and "Full-length" in unknown.instructions


def test_work_advice_follows_work(knowledge: Knowledge) -> None:
    standing = items(plan_for(knowledge, MIDPORTION, work="standing_or_manual"))
    seated = items(plan_for(knowledge, MIDPORTION, work="seated"))
    assert "lighter duties" in standing["relative_rest"].instructions
    assert "desk" in seated["relative_rest"].instructions
    assert "desk" not in standing["relative_rest"].instructions


def test_every_item_shows_evidence_strength_in_words(knowledge: Knowledge) -> None:
    words = ("Strong evidence: ", "Some evidence: ", "Mixed evidence: ", "Little evidence: ")
    for plan in (plan_for(knowledge, MIDPORTION), plan_for(knowledge, PLANTAR)):
        for item in items(plan).values():
            assert item.evidence.startswith(words), item.intervention
    assert items(plan_for(knowledge, MIDPORTION))[
        "eccentric_heel_drops_full_range"
    ].evidence.startswith("Strong evidence: ")
    assert "grade" not in " ".join(i.evidence for i in items(plan_for(knowledge, PLANTAR)).values())


def test_seed_disagreements_are_said_in_plain_words(knowledge: Knowledge) -> None:
    pf = items(plan_for(knowledge, PLANTAR, findings={"first_step_pain": True}))
    assert "does not speed healing" in pf["ice"].note
    assert "soft" in pf["rigid_arch_support"].note and "rigid" in pf["rigid_arch_support"].note
    assert "Achilles" in pf["night_splint"].note
    # for Achilles pain, the seed's night splint and arch support are left out, with why
    achilles = plan_for(knowledge, MIDPORTION, findings={"first_step_pain": True})
    reasons = {a.intervention: a.reason for a in achilles.avoid}
    assert "night_splint" not in items(achilles)
    assert "added nothing" in reasons["night_splint"]
    assert "dummy insoles" in reasons["rigid_arch_support"]


def test_night_splint_only_with_first_step_pain(knowledge: Knowledge) -> None:
    assert "night_splint" not in items(plan_for(knowledge, PLANTAR))
    assert "night_splint" in items(plan_for(knowledge, PLANTAR, findings={"first_step_pain": True}))


def test_compression_before_stability_brace(knowledge: Knowledge) -> None:
    plan = plan_for(knowledge, MIDPORTION)
    order = [i.intervention for p in plan.phases for i in p.items]
    assert order.index("compression_brace") < order.index("stability_brace")
    assert "not helped" in items(plan)["stability_brace"].instructions
    # no compression sleeve (poor circulation): no stability brace either
    poor = plan_for(knowledge, MIDPORTION, findings={"poor_circulation_or_cold_sensitivity": True})
    assert not {"compression_brace", "stability_brace"} & set(items(poor))


def test_haglund_plan_changes_the_shoes(knowledge: Knowledge) -> None:
    plan = items(plan_for(knowledge, HAGLUND, footwear=("dress",)))
    assert {
        "open_backed_or_soft_counter_shoes",
        "heel_lift",
        "eccentric_heel_drops_floor_level",
    } <= set(plan)
    assert "dress shoes" in plan["open_backed_or_soft_counter_shoes"].instructions


def test_child_gets_a_plan_for_a_child(knowledge: Knowledge) -> None:
    severs = ranked(("calcaneal_apophysitis", 0.9))
    plan = plan_for(knowledge, severs, age=10)
    got = items(plan)
    assert {
        "relative_rest",
        "heel_lift",
        "heel_cup",
        "calf_stretch",
        "graded_return_to_activity",
    } <= set(got)
    assert "mild pull, never pain" in got["calf_stretch"].instructions
    assert "child" in got["relative_rest"].instructions
    assert "child" in got["heel_cup"].instructions
    assert "growing heel" in " ".join(p.title for p in plan.phases).lower()


def test_rule_additions_are_in_the_plan(knowledge: Knowledge) -> None:
    # none of these is offered for mid-portion pain by itself: the rules bring them in
    plan = plan_for(knowledge, MIDPORTION, "inflammatory_pattern", "at_risk_foot")
    assert {"see_doctor", "see_podiatrist"} <= set(items(plan))
    plan = plan_for(knowledge, MIDPORTION, "drug_tendon_risk")
    assert {"medicine_review", "see_doctor"} <= set(items(plan))


def test_evidence_notes_never_contradict_the_plan(knowledge: Knowledge) -> None:
    # a night splint helps plantar fasciitis and adds nothing for Achilles pain: with both
    # likely it is offered (for the plantar fascia), and not also listed as left out
    both = ranked(("plantar_fasciitis", 0.45), ("midportion_achilles_tendinopathy", 0.40))
    plan = plan_for(knowledge, both, findings={"first_step_pain": True})
    assert "night_splint" in items(plan)
    assert "night_splint" not in {a.intervention for a in plan.avoid}


def test_one_appointment_not_two(knowledge: Knowledge) -> None:
    # a doctor is the right person for the likely cause: no separate podiatrist booking
    plan = plan_for(knowledge, ranked(("inflammatory_enthesitis", 0.7)), "inflammatory_pattern")
    assert "see_doctor" in items(plan) and "see_podiatrist" not in items(plan)


def test_close_conditions() -> None:
    diff = ranked(
        ("midportion_achilles_tendinopathy", 0.40),
        ("insertional_achilles_tendinopathy", 0.25),
        ("plantar_fasciitis", 0.15),
        ("fat_pad_atrophy", 0.12),
    )
    assert close_conditions(diff) == (
        "midportion_achilles_tendinopathy",
        "insertional_achilles_tendinopathy",
    )
    flat = ranked(("a", 0.2), ("b", 0.19), ("c", 0.18), ("d", 0.17))
    assert close_conditions(flat) == ("a", "b", "c")  # at most three


def test_an_any_nested_in_an_any_holds_as_before() -> None:
    # a nested any (a shared alias in a longer list) holds exactly when one of its
    # parts holds, and a malformed nested any is refused
    ids = Ids(
        findings=frozenset({"a", "b", "c"}),
        conditions=frozenset({"x", "y"}),
        sex=frozenset({"female", "male"}),
        footwear=frozenset(),
        work=frozenset(),
        rules=frozenset({"r"}),
    )
    where = ("test", "entry", "when")
    nested = {
        "any": [
            {"any": ["a", {"rule_fired": "r"}, {"any": [{"leading": ["x"]}]}]},
            {"all": ["b", "c"]},
            {"chance_at_least": {"condition": "y", "value": 0.5}},
        ]
    }
    holds = compile_expression(nested, ids, where)
    base = Facts(age=30, sex="male", findings={"a": False, "b": True})
    assert not holds(base)
    assert holds(Facts(age=30, sex="male", findings={"a": True}))
    assert holds(replace(base, fired=frozenset({"r"})))
    assert holds(replace(base, leading="x"))
    assert not holds(replace(base, leading="y"))
    assert holds(Facts(age=30, sex="male", findings={"b": True, "c": True}))
    assert holds(replace(base, chance={"y": 0.5}))
    with pytest.raises(KnowledgeError, match="'any' takes a non-empty list"):
        compile_expression({"any": ["a", {"any": []}]}, ids, where)

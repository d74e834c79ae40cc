"""The safety filter: each contraindication of the evidence brief (§4) removes the item and says why.

Every test first shows that the item *is* offered to a comparable person without
the risk (so the test cannot pass by accident), then that the risk removes it
and records it in ``plan.avoid`` with a reason. Several are the proofs of
hazards in docs/safety/hazard-log.md.
"""

from __future__ import annotations

from typing import Any

import pytest

from heelpath.knowledge import Knowledge
from strategies import plan_for, ranked

LOADING = {
    "eccentric_heel_drops_full_range",
    "eccentric_heel_drops_floor_level",
    "progressive_calf_strengthening",
    "isometric_calf_holds",
}
STRETCHING = {"calf_stretch", "hamstring_stretch", "plantar_fascia_stretch"}
HANDS_ON = {"massage", "massage_stick"}

MIDPORTION = ranked(("midportion_achilles_tendinopathy", 0.8), ("plantar_fasciitis", 0.05))
PLANTAR = ranked(("plantar_fasciitis", 0.8), ("fat_pad_atrophy", 0.05))
INSERTIONAL = ranked(("insertional_achilles_tendinopathy", 0.8), ("plantar_fasciitis", 0.05))


def used(plan: Any) -> set[str]:
    return set(plan.interventions())


def avoided(plan: Any) -> dict[str, str]:
    return {a.intervention: a.reason for a in plan.avoid}


def test_no_ice_on_numb_or_poorly_circulated_foot(knowledge: Knowledge) -> None:
    assert "ice" in used(plan_for(knowledge, MIDPORTION))
    for finding in ("reduced_foot_sensation", "poor_circulation_or_cold_sensitivity"):
        plan = plan_for(knowledge, MIDPORTION, findings={finding: True})
        assert "ice" not in used(plan)
        assert "blood flow" in avoided(plan)["ice"]


@pytest.mark.parametrize(
    "finding",
    [
        "kidney_disease",
        "anticoagulant_use",
        "pregnant",
        "stomach_ulcer_or_bleeding",
        "nsaid_allergy_or_asthma",
    ],
)
def test_no_oral_nsaid_when_unsafe(knowledge: Knowledge, finding: str) -> None:
    assert "oral_nsaid" in used(plan_for(knowledge, MIDPORTION, pain_score=6))
    plan = plan_for(knowledge, MIDPORTION, findings={finding: True}, pain_score=6)
    assert "oral_nsaid" not in used(plan)
    assert "pharmacist" in avoided(plan)["oral_nsaid"]


def test_no_anti_inflammatory_gel_with_nsaid_asthma_or_pregnancy(knowledge: Knowledge) -> None:
    assert "topical_nsaid" in used(plan_for(knowledge, PLANTAR))
    for finding in ("nsaid_allergy_or_asthma", "pregnant"):
        plan = plan_for(knowledge, PLANTAR, findings={finding: True})
        assert "topical_nsaid" not in used(plan)
        assert avoided(plan)["topical_nsaid"]


@pytest.mark.parametrize("level", ["self_care", "urgent"])
def test_no_stretching_or_loading_with_suspected_rupture(knowledge: Knowledge, level: str) -> None:
    # the filter must hold even when triage has not (yet) sent the person to care
    rupture = ranked(("achilles_tendon_rupture", 0.6), ("midportion_achilles_tendinopathy", 0.3))
    rules = ("suspected_achilles_rupture",) if level == "urgent" else ()
    plan = plan_for(knowledge, rupture, *rules, level=level, findings={"palpable_gap": True})
    assert not used(plan) & (LOADING | STRETCHING | HANDS_ON | {"night_splint"})
    reasons = avoided(plan)
    for iid in LOADING | STRETCHING | HANDS_ON:
        assert "torn" in reasons[iid], iid


def test_no_stretching_or_loading_when_rupture_is_a_real_chance(knowledge: Knowledge) -> None:
    # ranked second, but its own chance is 1 in 5: still hands off
    from heelpath.reasoning.results import ConditionScore, Differential

    diff = Differential(
        (
            ConditionScore("midportion_achilles_tendinopathy", "m", 0.7, 0.7, (), ()),
            ConditionScore("achilles_tendon_rupture", "r", 0.05, 0.2, (), ()),
        ),
        0.25,
    )
    plan = plan_for(knowledge, diff)
    assert not used(plan) & (LOADING | STRETCHING)


def test_no_loading_with_suspected_fracture(knowledge: Knowledge) -> None:
    stress = ranked(("calcaneal_stress_fracture", 0.6), ("midportion_achilles_tendinopathy", 0.2))
    plan = plan_for(
        knowledge, stress, "possible_stress_fracture", findings={"tender_heel_bone_squeeze": True}
    )
    assert plan.phases[0].id == "get_seen"  # soon: book first
    assert not used(plan) & (LOADING | STRETCHING | HANDS_ON)
    assert {"relative_rest", "see_doctor"} <= used(plan)
    for iid in LOADING | STRETCHING:
        assert "broken or cracked" in avoided(plan)[iid]


def test_child_gets_no_heavy_or_eccentric_loading(knowledge: Knowledge) -> None:
    for diff in (MIDPORTION, INSERTIONAL):
        adult = plan_for(knowledge, diff, age=30, pain_score=6)
        assert len(used(adult) & LOADING) >= 2
        child = plan_for(knowledge, diff, age=11, pain_score=6)
        assert not used(child) & LOADING
        for iid in LOADING:
            assert "growing" in avoided(child)[iid]
    child = plan_for(knowledge, MIDPORTION, age=11, pain_score=6)
    # light activity and a heel raise instead, in words for a parent
    items = {i.intervention: i for p in child.phases for i in p.items}
    assert {"relative_rest", "heel_lift"} <= set(items)
    assert "child" in items["relative_rest"].instructions


def test_child_gets_no_medicine_doses(knowledge: Knowledge) -> None:
    assert {"oral_nsaid", "topical_nsaid"} <= used(plan_for(knowledge, MIDPORTION, pain_score=6))
    plan = plan_for(knowledge, MIDPORTION, age=9, pain_score=6)
    assert not used(plan) & {"oral_nsaid", "topical_nsaid", "menthol_gel"}
    assert "pharmacist" in avoided(plan)["oral_nsaid"]
    assert "aspirin" in avoided(plan)["oral_nsaid"]
    text = " ".join(i.dose + " " + i.instructions for p in plan.phases for i in p.items)
    assert " mg" not in text


@pytest.mark.parametrize(
    "condition",
    ["insertional_achilles_tendinopathy", "retrocalcaneal_bursitis", "haglund_syndrome"],
)
def test_no_below_level_loading_for_insertional_problems(
    knowledge: Knowledge, condition: str
) -> None:
    assert "eccentric_heel_drops_full_range" in used(plan_for(knowledge, MIDPORTION))
    plan = plan_for(knowledge, ranked((condition, 0.8), ("plantar_fasciitis", 0.05)))
    assert "eccentric_heel_drops_full_range" not in used(plan)
    assert "below the level" in avoided(plan)["eccentric_heel_drops_full_range"]
    assert "eccentric_heel_drops_floor_level" in used(plan)


def test_plan_is_safe_for_both_close_conditions(knowledge: Knowledge) -> None:
    close = ranked(
        ("midportion_achilles_tendinopathy", 0.45), ("insertional_achilles_tendinopathy", 0.40)
    )
    plan = plan_for(knowledge, close)
    items = {i.intervention: i for p in plan.phases for i in p.items}
    # loading that suits both, and nothing that harms the insertion
    assert "eccentric_heel_drops_full_range" not in items
    assert "eccentric_heel_drops_floor_level" in items
    assert "never off a step" in items["progressive_calf_strengthening"].instructions
    # with plantar fasciitis close to an insertional problem, the calf stretch stops at flat
    pf_close = ranked(("plantar_fasciitis", 0.45), ("insertional_achilles_tendinopathy", 0.40))
    stretch = next(
        i for p in plan_for(knowledge, pf_close).phases for i in p.items
        if i.intervention == "calf_stretch"
    )  # fmt: skip
    assert "until the foot is flat" in stretch.instructions


def test_tendon_drug_pauses_heavy_loading(knowledge: Knowledge) -> None:
    for finding in ("fluoroquinolone_recent", "steroid_use"):
        plan = plan_for(knowledge, MIDPORTION, "drug_tendon_risk", findings={finding: True})
        assert not used(plan) & {
            "eccentric_heel_drops_full_range",
            "eccentric_heel_drops_floor_level",
            "progressive_calf_strengthening",
        }
        assert "tendon weak" in avoided(plan)["progressive_calf_strengthening"]
        assert "medicine_review" in used(plan)


HEAVY_LOADING = {
    "eccentric_heel_drops_full_range",
    "eccentric_heel_drops_floor_level",
    "progressive_calf_strengthening",
}


def test_an_inflammatory_pattern_pauses_heavy_loading(knowledge: Knowledge) -> None:
    # brief §3.3: an inflammatory cause gets "see a doctor; symptom care only"
    assert HEAVY_LOADING - {"eccentric_heel_drops_floor_level"} <= used(
        plan_for(knowledge, MIDPORTION)
    )
    plan = plan_for(
        knowledge,
        MIDPORTION,
        "inflammatory_pattern",
        findings={"systemic_inflammatory_disease": True},
    )
    assert not used(plan) & HEAVY_LOADING
    assert "inflammatory" in avoided(plan)["progressive_calf_strengthening"]
    assert "see_doctor" in used(plan)


def test_a_likely_enthesitis_pauses_heavy_loading_without_the_rule(knowledge: Knowledge) -> None:
    enthesitis = ranked(("inflammatory_enthesitis", 0.5), ("midportion_achilles_tendinopathy", 0.3))
    plan = plan_for(knowledge, enthesitis)
    assert not used(plan) & HEAVY_LOADING
    assert "see_doctor" in used(plan)


def test_medicine_review_without_the_rule(knowledge: Knowledge) -> None:
    # include_when: the review is offered from the finding itself, whatever triage did
    plan = plan_for(knowledge, MIDPORTION, findings={"steroid_use": True})
    assert "medicine_review" in used(plan)


def test_no_calf_massage_or_compression_with_possible_clot(knowledge: Knowledge) -> None:
    assert {"massage", "compression_brace"} <= used(plan_for(knowledge, MIDPORTION))
    plan = plan_for(knowledge, MIDPORTION, findings={"calf_swelling_tenderness": True})
    assert not used(plan) & (HANDS_ON | STRETCHING | LOADING | {"compression_brace"})
    assert "clot" in avoided(plan)["massage"]


def test_no_ice_gel_or_nsaid_with_suspected_infection(knowledge: Knowledge) -> None:
    infected = ranked(("infection", 0.5), ("haglund_syndrome", 0.3))
    baseline = plan_for(knowledge, ranked(("haglund_syndrome", 0.8)), pain_score=6)
    assert {"ice", "menthol_gel", "topical_nsaid", "oral_nsaid"} <= used(baseline)
    plan = plan_for(knowledge, infected, level="soon", pain_score=6)
    assert not used(plan) & {"ice", "menthol_gel", "topical_nsaid", "oral_nsaid"}
    assert "infection" in avoided(plan)["oral_nsaid"]


def test_no_ice_or_gel_on_a_wound(knowledge: Knowledge) -> None:
    plan = plan_for(knowledge, PLANTAR, findings={"wound_or_puncture": True}, level="soon")
    assert not used(plan) & {"ice", "menthol_gel", "topical_nsaid"}
    assert "wound" in avoided(plan)["ice"]


def test_at_risk_foot_sees_podiatrist_no_barefoot(knowledge: Knowledge) -> None:
    at_risk = {"diabetes": True, "reduced_foot_sensation": True}
    plan = plan_for(knowledge, ranked(("fat_pad_atrophy", 0.8)), findings=at_risk)
    items = {i.intervention: i for p in plan.phases for i in p.items}
    assert "see_podiatrist" in items
    assert "never walk barefoot" in items["supportive_shoes"].instructions.lower()
    assert "never walk barefoot" in items["see_podiatrist"].instructions.lower()
    # without the risk, no such warning
    plain = plan_for(knowledge, ranked(("fat_pad_atrophy", 0.8)))
    shoes = next(i for p in plain.phases for i in p.items if i.intervention == "supportive_shoes")
    assert "never walk barefoot" not in shoes.instructions.lower()


def test_devices_need_fitting_on_insensate_foot(knowledge: Knowledge) -> None:
    pf = {"first_step_pain": True}
    assert {"heel_cup", "night_splint"} <= used(plan_for(knowledge, PLANTAR, findings=pf))
    for finding in ("reduced_foot_sensation", "poor_circulation_or_cold_sensitivity"):
        plan = plan_for(knowledge, PLANTAR, findings={**pf, finding: True})
        assert not used(plan) & {"heel_cup", "night_splint"}
        assert "fitted" in avoided(plan)["heel_cup"]


def test_urgent_plan_keeps_hands_off_until_seen(knowledge: Knowledge) -> None:
    # the most likely cause is a tendon problem that gets exercises at home, but a rule
    # with no contraindication of its own sends the person to be seen today: before the
    # visit, none of them (the triage gate, not a contraindication, removes them)
    diff = ranked(("insertional_achilles_tendinopathy", 0.6), ("plantar_fasciitis", 0.3))
    home = plan_for(knowledge, diff)
    assert used(home) & LOADING and used(home) & STRETCHING
    plan = plan_for(knowledge, diff, "progressive_neuro_deficit")
    assert not used(plan) & (LOADING | STRETCHING | HANDS_ON)
    for iid in used(home) & (LOADING | STRETCHING | HANDS_ON):  # the gate alone removed these
        assert avoided(plan)[iid].startswith("Not before you have been seen"), iid


def test_heel_squeeze_pain_in_a_child_is_not_treated_as_a_stress_fracture(
    knowledge: Knowledge,
) -> None:
    # the squeeze test that suggests a stress fracture in an adult is the sign of Sever's
    # in a child (evidence brief §2.1 S1): the child keeps the gentle calf stretch
    from heelpath.reasoning.results import ConditionScore, Differential

    diff = Differential(
        (
            ConditionScore("calcaneal_apophysitis", "a", 0.8, 0.8, (), ()),
            ConditionScore("calcaneal_stress_fracture", "s", 0.05, 0.2, (), ()),
        ),
        0.15,
    )
    squeeze = {"tender_heel_bone_squeeze": True}
    assert "calf_stretch" in used(plan_for(knowledge, diff, age=11, findings=squeeze))
    adult = plan_for(knowledge, diff, age=30, findings=squeeze)
    assert "calf_stretch" not in used(adult)
    assert "broken or cracked" in avoided(adult)["calf_stretch"]


def _instructions(plan: Any) -> dict[str, str]:
    return {i.intervention: i.instructions for p in plan.phases for i in p.items}


@pytest.mark.parametrize(
    ("item", "finding", "words"),
    [
        ("oral_nsaid", "kidney_disease", "kidney disease"),
        ("oral_nsaid", "anticoagulant_use", "blood thinner"),
        ("oral_nsaid", "stomach_ulcer_or_bleeding", "stomach ulcer"),
        ("oral_nsaid", "nsaid_allergy_or_asthma", "asthma"),
        ("topical_nsaid", "nsaid_allergy_or_asthma", "asthma"),
        ("massage", "anticoagulant_use", "blood thinner"),
        ("compression_brace", "poor_circulation_or_cold_sensitivity", "blood flow"),
        ("ice", "reduced_foot_sensation", "less feeling"),
    ],
)
def test_an_unanswered_contraindication_is_a_caution_to_check(
    knowledge: Knowledge, item: str, finding: str, words: str
) -> None:
    # left unanswered, the item stays with a plain note of what to check; a "no" drops
    # the note; a "yes" takes the item out (the tests above)
    others = {
        f: False
        for f in (
            "kidney_disease",
            "anticoagulant_use",
            "stomach_ulcer_or_bleeding",
            "nsaid_allergy_or_asthma",
            "pregnant",
            "reduced_foot_sensation",
            "poor_circulation_or_cold_sensitivity",
        )
        if f != finding
    }
    for plan_ranked in (MIDPORTION, PLANTAR):
        unknown = _instructions(plan_for(knowledge, plan_ranked, findings=others, pain_score=6))
        if item not in unknown:
            continue
        assert words in unknown[item].split("Take care:", 1)[-1]
        answered = {**others, finding: False}
        known = _instructions(plan_for(knowledge, plan_ranked, findings=answered, pain_score=6))
        assert words not in known[item].split("Take care:", 1)[-1]
        break
    else:
        pytest.fail(f"{item} is in neither plan")

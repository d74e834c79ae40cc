"""Every red-flag rule has a test: the findings that should fire it do, at its level.

Cases are written from the evidence brief's rule table (§2.1), not from the
engine's output. Each named test below is also the proof of a hazard in
docs/safety/hazard-log.md.
"""

from __future__ import annotations

from typing import Any

import pytest

from heelpath.engine import Engine
from heelpath.knowledge import Knowledge
from heelpath.reasoning.results import level_rank


def run(engine: Engine, findings: dict[str, bool], age: int = 40, **extra: Any) -> Any:
    return engine.evaluate(engine.parse({"age": age, "findings": findings, **extra})).triage


# rule id -> (input fields, the level it must reach at least)
RULE_CASES: dict[str, tuple[dict[str, Any], str]] = {
    "possible_pulmonary_embolism": ({"findings": {"chest_pain_or_breathless": True}}, "emergency"),
    "possible_cauda_equina": (
        {"findings": {"saddle_numbness_or_bladder_change": True}},
        "emergency",
    ),
    "severe_infection": (
        {"findings": {"fever_or_unwell": True, "wound_or_puncture": True}},
        "emergency",
    ),
    "major_trauma": (
        {
            "findings": {
                "fall_or_heel_impact": True,
                "cannot_bear_weight": True,
                "pain_radiates_from_back": True,
            }
        },
        "emergency",
    ),
    "suspected_achilles_rupture": ({"findings": {"palpable_gap": True}}, "urgent"),
    "snap_at_injury": ({"findings": {"pop_or_snap": True}}, "urgent"),
    "severe_pain_after_injury": (
        {"pain_score": 8, "findings": {"fall_or_heel_impact": True}},
        "urgent",
    ),
    "possible_heel_fracture": (
        {"findings": {"fall_or_heel_impact": True, "bruising": True}},
        "urgent",
    ),
    "cannot_walk": ({"findings": {"cannot_bear_weight": True}}, "urgent"),
    "heel_pain_after_fall": ({"findings": {"fall_or_heel_impact": True}}, "urgent"),
    "sudden_calf_pain": ({"findings": {"sudden_onset": True, "pain_in_calf": True}}, "urgent"),
    "calf_pain_with_clot_risk": (
        {"findings": {"pain_in_calf": True, "recent_immobilisation_or_travel": True}},
        "urgent",
    ),
    "hot_swollen_numb_foot": (
        {"findings": {"reduced_foot_sensation": True, "warmth": True, "swelling": True}},
        "urgent",
    ),
    "sudden_pain_on_tendon_drug": (
        {"findings": {"sudden_onset": True, "fluoroquinolone_recent": True}},
        "urgent",
    ),
    "long_standing_pain": ({"findings": {"chronic_over_3_months": True}}, "soon"),
    "young_child": ({"age": 5, "findings": {}}, "soon"),
    "lasting_swollen_heel_young": (
        {"age": 15, "findings": {"chronic_over_3_months": True, "swelling": True}},
        "soon",
    ),
    "possible_dvt": ({"findings": {"calf_swelling_tenderness": True}}, "urgent"),
    "local_infection": (
        {"findings": {"redness": True, "warmth": True, "swelling": True}},
        "urgent",
    ),
    "infection_with_fever": ({"findings": {"fever_or_unwell": True, "warmth": True}}, "urgent"),
    "fever_with_heel_pain": ({"findings": {"fever_or_unwell": True}}, "soon"),
    "diabetic_foot": ({"findings": {"diabetes": True, "warmth": True}}, "urgent"),
    "progressive_neuro_deficit": (
        {
            "findings": {
                "leg_numbness_or_weakness": True,
                "pain_radiates_from_back": True,
                "weak_push_off": True,
            }
        },
        "urgent",
    ),
    "sick_child": ({"age": 9, "findings": {"fever_or_unwell": True}}, "urgent"),
    "serious_pathology_with_fever": (
        {"findings": {"fever_or_unwell": True, "night_or_rest_pain": True}},
        "urgent",
    ),
    "rupture_likely": (
        {
            "sex": "male",
            "findings": {"sudden_onset": True, "pop_or_snap": True, "foot_rests_more_level": True},
        },
        "urgent",
    ),
    "fracture_likely": (
        {"findings": {"fall_or_heel_impact": True, "heel_swelling_both_sides": True}},
        "urgent",
    ),
    "dvt_likely": (
        {
            "findings": {
                "calf_swelling_tenderness": True,
                "recent_immobilisation_or_travel": True,
                "weight_loss_or_cancer_history": True,
                "pain_in_calf": True,
            }
        },
        "urgent",
    ),
    "infection_likely": (
        {"findings": {"fever_or_unwell": True, "spreading_redness": True, "diabetes": True}},
        "urgent",
    ),
    "possible_stress_fracture": (
        {"age": 24, "findings": {"tender_heel_bone_squeeze": True, "training_increase": True}},
        "soon",
    ),
    "stress_fracture_likely": (
        {
            "age": 24,
            "findings": {
                "tender_heel_bone_squeeze": True,
                "pain_worsens_through_weight_bearing": True,
                "training_increase": True,
                "low_bone_density_or_low_energy": True,
            },
        },
        "soon",
    ),
    "drug_tendon_risk": ({"findings": {"fluoroquinolone_recent": True}}, "soon"),
    "serious_pathology": ({"findings": {"weight_loss_or_cancer_history": True}}, "soon"),
    "inflammatory_pattern": ({"findings": {"psoriasis_ibd_or_uveitis": True}}, "soon"),
    "at_risk_foot": ({"findings": {"diabetes": True, "reduced_foot_sensation": True}}, "soon"),
    "nerve_or_spinal_signs": ({"findings": {"pain_radiates_from_back": True}}, "soon"),
    "severe_pain": ({"pain_score": 9, "findings": {}}, "soon"),
    "possible_partial_tear": ({"findings": {"sudden_onset": True}}, "soon"),
    "one_rupture_sign": ({"sex": "female", "findings": {"foot_rests_more_level": True}}, "soon"),
    "needs_clinician_diagnosis": (
        {
            "findings": {
                "pain_on_forced_pointing": True,
                "dancer_or_forced_pointing": True,
                "pain_deep_behind_ankle": True,
            }
        },
        "soon",
    ),
    "cant_miss_rupture": (
        {"sex": "male", "findings": {"pain_in_calf": True, "redness": True}},
        "urgent",
    ),
    "cant_miss_rupture_possible": ({"sex": "male", "findings": {"bruising": True}}, "soon"),
    "cant_miss_fracture": (
        {
            "sex": "female",
            "findings": {
                "pain_outer_heel": True,
                "tender_heel_bone_squeeze": True,
                "bruising": True,
            },
        },
        "urgent",
    ),
    "cant_miss_clot": (
        {"sex": "female", "findings": {"pain_in_calf": True, "fever_or_unwell": True}},
        "urgent",
    ),
    "cant_miss_infection": (
        {"findings": {"pain_deep_behind_ankle": True, "fever_or_unwell": True}},
        "urgent",
    ),
    "cant_miss_stress_fracture": (
        {"findings": {"pain_inner_heel": True, "low_bone_density_or_low_energy": True}},
        "soon",
    ),
    "cant_miss_partial_tear": (
        {"sex": "female", "findings": {"runner_or_jumper": True, "pain_in_calf": True}},
        "soon",
    ),
    "cant_miss_radiculopathy": (
        {"findings": {"pain_radiates_from_back": True, "leg_numbness_or_weakness": True}},
        "soon",
    ),
    "cant_miss_leads": (
        {"sex": "female", "findings": {"pain_inner_heel": True, "pain_in_calf": True}},
        "soon",
    ),
    "clinician_diagnosis_leads": ({"findings": {"pain_deep_behind_ankle": True}}, "soon"),
}


def test_every_rule_has_a_case(knowledge: Knowledge) -> None:
    assert {r.id for r in knowledge.red_flag_rules} == set(RULE_CASES)


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_rule_fires_at_its_level(engine: Engine, rule_id: str) -> None:
    fields, level = RULE_CASES[rule_id]
    data = {"age": 40, **fields}
    t = engine.evaluate(engine.parse(data)).triage
    assert rule_id in t.fired_ids(), f"{rule_id} did not fire for {data}"
    assert level_rank(t.level) >= level_rank(level)
    assert t.reasons and all(r.strip() for r in t.reasons)


def test_no_findings_is_self_care_with_a_reason(engine: Engine) -> None:
    t = run(engine, {})
    assert t.level == "self_care"
    assert t.red_flags == ()
    assert "6 weeks" in t.reasons[0]


# --- the hazard log's proofs -------------------------------------------------


def test_rupture_signs_are_urgent(engine: Engine) -> None:
    # each rupture sign on its own, and the classic story, is same-day care
    for findings in (
        {"calf_squeeze_no_foot_movement": True},
        {"palpable_gap": True},
        {"pop_or_snap": True, "cannot_single_leg_heel_raise": True},
        {"felt_kicked_in_calf": True, "sudden_onset": True},
        {"pop_or_snap": True, "weak_push_off": True},
        {"sudden_onset": True, "cannot_single_leg_heel_raise": True},
        {"sudden_onset": True, "foot_rests_more_level": True},
        {"foot_rests_more_level": True, "weak_push_off": True},
    ):
        t = run(engine, findings, age=45, sex="male")
        assert level_rank(t.level) >= level_rank("urgent"), findings


def test_one_rupture_sign_alone_is_checked_within_days_and_not_stretched(engine: Engine) -> None:
    # AAOS 2009 needs two signs to diagnose a rupture (U1); one sign cannot rule it out.
    # A woman of 40 has low rupture odds, which left either sign alone at self-care with
    # calf stretches and heavy loading in the plan (hazard H110).
    for finding in ("foot_rests_more_level", "cannot_single_leg_heel_raise"):
        a = engine.evaluate(engine.parse({"age": 40, "sex": "female", "findings": {finding: True}}))
        assert level_rank(a.triage.level) >= level_rank("soon"), finding
        offered = {item.intervention for phase in a.plan.phases for item in phase.items}
        assert not offered & {
            "calf_stretch",
            "eccentric_heel_drops_floor_level",
            "eccentric_heel_drops_full_range",
            "progressive_calf_strengthening",
        }, finding
        assert "see_doctor" in offered, finding


def test_one_rupture_sign_in_a_child_is_left_to_the_other_rules(engine: Engine) -> None:
    # under 16 the tiptoe test hurts in Sever's, and ruptures are all but unknown
    for finding in ("foot_rests_more_level", "cannot_single_leg_heel_raise"):
        t = run(engine, {finding: True}, age=12, sex="male")
        assert "one_rupture_sign" not in t.fired_ids(), finding


def test_rupture_is_urgent_even_in_an_older_woman_who_walks(engine: Engine) -> None:
    # the second peak: older, no sport, often missed as a sprain (Raikin 2013)
    t = run(
        engine,
        {
            "sudden_onset": True,
            "felt_kicked_in_calf": True,
            "cannot_bear_weight": False,
            "runner_or_jumper": False,
        },
        age=74,
        sex="female",
    )
    assert level_rank(t.level) >= level_rank("urgent")


def test_fracture_after_fall_is_urgent(engine: Engine) -> None:
    for findings in (
        {"fall_or_heel_impact": True, "cannot_bear_weight": True},
        {"fall_or_heel_impact": True, "tender_heel_bone_squeeze": True},
        {"fall_or_heel_impact": True, "bruising": True},
    ):
        assert level_rank(run(engine, findings).level) >= level_rank("urgent"), findings


def test_calf_swelling_is_urgent(engine: Engine) -> None:
    assert level_rank(run(engine, {"calf_swelling_tenderness": True}).level) >= level_rank("urgent")


def test_breathless_with_calf_signs_is_emergency(engine: Engine) -> None:
    t = run(engine, {"calf_swelling_tenderness": True, "chest_pain_or_breathless": True})
    assert t.level == "emergency"
    assert "possible_pulmonary_embolism" in t.fired_ids()


def test_saddle_numbness_is_emergency(engine: Engine) -> None:
    t = run(engine, {"pain_radiates_from_back": True, "saddle_numbness_or_bladder_change": True})
    assert t.level == "emergency"


def test_fever_with_wound_is_emergency(engine: Engine) -> None:
    t = run(engine, {"fever_or_unwell": True, "wound_or_puncture": True, "diabetes": True})
    assert t.level == "emergency"


def test_child_with_fever_is_urgent(engine: Engine) -> None:
    t = run(
        engine, {"fever_or_unwell": True, "growth_spurt": True, "runner_or_jumper": True}, age=11
    )
    assert level_rank(t.level) >= level_rank("urgent")
    assert "sick_child" in t.fired_ids()


def test_child_with_night_pain_and_swelling_is_urgent(engine: Engine) -> None:
    t = run(engine, {"night_or_rest_pain": True, "swelling": True}, age=12)
    assert level_rank(t.level) >= level_rank("urgent")


def test_diabetic_foot_with_little_pain_is_still_urgent(engine: Engine) -> None:
    # neuropathy hides pain: a low pain score must not lower triage (brief §2.2)
    t = run(
        engine, {"diabetes": True, "reduced_foot_sensation": True, "swelling": True}, pain_score=1
    )
    assert level_rank(t.level) >= level_rank("urgent")


def test_drug_risk_adds_a_medicine_review(engine: Engine) -> None:
    t = run(engine, {"steroid_use": True, "pain_midportion": True}, age=70)
    assert level_rank(t.level) >= level_rank("soon")
    assert any("medicine_review" in r.adds for r in t.fired)


def test_sever_signs_in_a_child_are_not_a_stress_fracture(engine: Engine) -> None:
    # a squeezable heel in an active 11-year-old points to Sever's (self-care), not S1
    t = run(
        engine,
        {"tender_heel_bone_squeeze": True, "runner_or_jumper": True, "growth_spurt": True},
        age=11,
    )
    assert "possible_stress_fracture" not in t.fired_ids()


def test_aches_eased_by_rest_are_not_a_red_flag(engine: Engine) -> None:
    # brief §2.2: only night or rest pain that no position eases feeds S3
    t = run(engine, {"aches_at_rest": True, "gradual_onset": True})
    assert "serious_pathology" not in t.fired_ids()


def test_red_flags_name_the_findings_that_fired(engine: Engine) -> None:
    t = run(engine, {"palpable_gap": True, "swelling": False})
    assert "palpable_gap" in t.red_flags
    assert "swelling" not in t.red_flags


def test_a_child_with_sever_signs_is_self_care(engine: Engine) -> None:
    # brief §2.1 S1: in a child of 8-15 a squeezable heel with sport points to Sever's
    t = run(
        engine,
        {"gradual_onset": True, "runner_or_jumper": True, "tender_heel_bone_squeeze": True},
        age=10,
    )
    assert t.level == "self_care"


def test_cannot_bear_weight_is_urgent(engine: Engine) -> None:
    # no fall, no rupture sign: not being able to take weight is same-day care on its own
    t = run(engine, {"cannot_bear_weight": True, "gradual_onset": True, "pain_at_insertion": True})
    assert level_rank(t.level) >= level_rank("urgent")
    assert "cannot_walk" in t.fired_ids()


def test_fever_with_a_red_hot_heel_is_urgent(engine: Engine) -> None:
    # no wound, swelling not known: fever with local signs is still a possible infection
    for sign in ("redness", "warmth", "swelling"):
        t = run(engine, {"fever_or_unwell": True, sign: True})
        assert level_rank(t.level) >= level_rank("urgent"), sign


def test_a_snap_or_kick_at_injury_is_urgent_even_when_walking(engine: Engine) -> None:
    # NHS: a snap or popping noise at the time of injury needs a minor injuries unit or A&E
    for findings in (
        {"pop_or_snap": True, "cannot_bear_weight": False},
        {"felt_kicked_in_calf": True, "bruising": True},
    ):
        t = run(engine, findings, age=62, sex="female")
        assert level_rank(t.level) >= level_rank("urgent"), findings


def test_a_young_person_with_a_long_swollen_heel_is_sent_to_a_doctor(engine: Engine) -> None:
    # brief §2.2: a very swollen heel lifts a child out of the growing-heel path; heel
    # enthesitis is how spondyloarthritis often starts in the teenage years
    lasting = {"chronic_over_3_months": True, "swelling": True, "pain_under_heel": True}
    a = engine.evaluate(engine.parse({"age": 16, "sex": "male", "findings": lasting}))
    assert "lasting_swollen_heel_young" in {r.id for r in a.triage.fired}
    assert level_rank(a.triage.level) >= level_rank("soon")
    assert "see_doctor" in a.plan.interventions()
    for age, findings in ((18, lasting), (16, {**lasting, "swelling": False})):
        b = engine.evaluate(engine.parse({"age": age, "sex": "male", "findings": findings}))
        assert "lasting_swollen_heel_young" not in {r.id for r in b.triage.fired}

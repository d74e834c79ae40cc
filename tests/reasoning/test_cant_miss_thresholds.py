"""Can't-miss thresholds on the normalised differential (red_flags.yaml, codes T1-T9).

Each case below is one where the threshold rule alone raises the level: the same
answers assessed with that rule taken out of the knowledge get a lower level. So
each test fails without its control, as the hazard log asks.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from heelpath.engine import Engine
from heelpath.errors import KnowledgeError
from heelpath.knowledge import Knowledge
from heelpath.knowledge.expressions import Ids, compile_expression
from heelpath.reasoning.results import level_rank

# rule id -> answers where the rule is the one that sets the level
ONLY_RAISER: dict[str, dict[str, Any]] = {
    "cant_miss_rupture": {
        "age": 40,
        "sex": "male",
        "findings": {"pain_in_calf": True, "redness": True},
    },
    "cant_miss_rupture_possible": {"age": 40, "sex": "male", "findings": {"bruising": True}},
    "cant_miss_fracture": {
        "age": 40,
        "sex": "female",
        "findings": {"pain_outer_heel": True, "tender_heel_bone_squeeze": True, "bruising": True},
    },
    "cant_miss_clot": {
        "age": 40,
        "sex": "female",
        "findings": {"pain_in_calf": True, "fever_or_unwell": True},
    },
    "cant_miss_infection": {
        "age": 40,
        "sex": "female",
        "findings": {"pain_deep_behind_ankle": True, "fever_or_unwell": True},
    },
    "cant_miss_stress_fracture": {
        "age": 65,
        "sex": "female",
        "findings": {"pain_inner_heel": True, "heel_swelling_both_sides": True},
    },
    "cant_miss_partial_tear": {
        "age": 40,
        "sex": "female",
        "findings": {"pain_in_calf": True, "pain_midportion": True, "weak_push_off": True},
    },
    "cant_miss_leads": {
        "age": 40,
        "sex": "female",
        "findings": {"pain_inner_heel": True, "pain_in_calf": True},
    },
    "clinician_diagnosis_leads": {
        "age": 40,
        "sex": "male",
        "findings": {"pain_deep_behind_ankle": True},
    },
}


def _without(knowledge: Knowledge, rule_id: str) -> Engine:
    rules = tuple(r for r in knowledge.red_flag_rules if r.id != rule_id)
    assert len(rules) == len(knowledge.red_flag_rules) - 1, rule_id
    return Engine(dataclasses.replace(knowledge, red_flag_rules=rules))


@pytest.mark.parametrize("rule_id", sorted(ONLY_RAISER))
def test_a_threshold_raises_the_level_on_its_own(
    engine: Engine, knowledge: Knowledge, rule_id: str
) -> None:
    data = ONLY_RAISER[rule_id]
    rule = next(r for r in knowledge.red_flag_rules if r.id == rule_id)
    t = engine.evaluate(engine.parse(data)).triage
    assert rule_id in t.fired_ids()
    assert t.level == rule.level
    assert rule.reason in t.reasons
    others = _without(knowledge, rule_id)
    assert level_rank(others.evaluate(others.parse(data)).triage.level) < level_rank(t.level)


def test_a_rupture_that_cannot_be_ruled_out_says_so(engine: Engine) -> None:
    a = engine.assess(ONLY_RAISER["cant_miss_rupture"])
    assert a["triage"]["level"] == "urgent"
    assert any("torn Achilles tendon cannot be ruled out" in r for r in a["triage"]["reasons"])


def test_a_dangerous_leading_condition_is_never_self_care(engine: Engine) -> None:
    dangers = {
        "achilles_tendon_rupture",
        "achilles_partial_tear",
        "calcaneal_fracture",
        "calcaneal_stress_fracture",
        "deep_vein_thrombosis",
        "infection",
    }
    seen = 0
    for fid in sorted(engine.finding_ids):
        for age, sex in ((40, "female"), (70, "male"), (20, "female")):
            a = engine.evaluate(engine.parse({"age": age, "sex": sex, "findings": {fid: True}}))
            if a.differential.leading.id in dangers:
                seen += 1
                assert a.triage.level != "self_care", (fid, age, sex)
    assert seen  # the loop met at least one such answer


def test_a_new_warning_sign_cannot_shrink_a_threshold_away(engine: Engine) -> None:
    # a fluoroquinolone raises the rupture's share and shrinks the infection's; the
    # closure over warning signs keeps the infection threshold firing
    data: dict[str, Any] = {"age": 40, "findings": {"pain_inner_heel": True, "redness": True}}
    before = engine.evaluate(engine.parse(data)).triage
    data["findings"]["fluoroquinolone_recent"] = True
    after = engine.evaluate(engine.parse(data)).triage
    assert level_rank(after.level) >= level_rank(before.level)
    assert before.fired_ids() & {"cant_miss_infection"} <= after.fired_ids() | {
        r.id for r in after.fired if level_rank(r.level) > level_rank("urgent")
    }


@pytest.mark.parametrize(
    "value", [0, 1, 1.5, -0.1, True, "0.1"], ids=["0", "1", "1.5", "neg", "bool", "str"]
)
def test_a_threshold_outside_0_1_is_refused_at_load(knowledge: Knowledge, value: Any) -> None:
    ids = Ids(
        findings=frozenset(f.id for f in knowledge.findings),
        conditions=frozenset(c.id for c in knowledge.conditions),
        sex=frozenset(),
        footwear=frozenset(),
        work=frozenset(),
    )
    expr = {"share_at_least": {"condition": "infection", "value": value}}
    with pytest.raises(KnowledgeError, match="share_at_least"):
        compile_expression(expr, ids, ("red_flags.yaml", "x", "when"))


def test_a_threshold_on_an_unknown_condition_is_refused_at_load(knowledge: Knowledge) -> None:
    ids = Ids(
        findings=frozenset(),
        conditions=frozenset(c.id for c in knowledge.conditions),
        sex=frozenset(),
        footwear=frozenset(),
        work=frozenset(),
    )
    with pytest.raises(KnowledgeError, match="unknown condition"):
        compile_expression(
            {"share_at_least": {"condition": "tumour", "value": 0.1}},
            ids,
            ("red_flags.yaml", "x", "when"),
        )

"""Properties of triage over generated inputs."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from heelpath.engine import Engine
from heelpath.knowledge import Knowledge
from heelpath.reasoning.results import level_rank
from heelpath.reasoning.triage import NOT_FOR, SELF_CARE_REASON, facts_for
from strategies import inputs


def _level(engine: Engine, data: dict[str, Any]) -> int:
    return level_rank(engine.evaluate(engine.parse(data)).triage.level)


@settings(max_examples=400, deadline=None)
@given(data=inputs(), pick=st.integers(min_value=0))
def test_adding_a_red_flag_never_lowers_urgency(
    engine: Engine, knowledge: Knowledge, data: dict[str, Any], pick: int
) -> None:
    red = [f.id for f in knowledge.findings if f.red_flag]
    flag = red[pick % len(red)]
    before = _level(engine, data)
    after = _level(engine, {**data, "findings": {**data["findings"], flag: True}})
    assert after >= before, f"adding {flag} lowered urgency"


@settings(max_examples=200, deadline=None)
@given(data=inputs())
def test_urgent_answers_always_carry_reasons(engine: Engine, data: dict[str, Any]) -> None:
    t = engine.evaluate(engine.parse(data)).triage
    assert t.reasons
    if t.level != "self_care":
        assert t.fired and t.fired[0].level == t.level


@settings(max_examples=200, deadline=None)
@given(data=inputs())
def test_a_likely_danger_sends_to_care(engine: Engine, data: dict[str, Any]) -> None:
    # the product's safety threshold: a 10% own chance of rupture, fracture, clot or infection
    a = engine.evaluate(engine.parse(data))
    for cid in (
        "achilles_tendon_rupture",
        "calcaneal_fracture",
        "deep_vein_thrombosis",
        "infection",
    ):
        if a.differential.score(cid).chance >= 0.10:
            assert level_rank(a.triage.level) >= level_rank("urgent"), cid


@settings(max_examples=300, deadline=None)
@given(data=inputs())
def test_reassurance_only_when_no_unanswered_warning_sign_could_raise_the_level(
    engine: Engine, data: dict[str, Any]
) -> None:
    """'No warning signs' is said only when "yes" to every question left open would still
    fire no same-day or emergency rule; otherwise those questions are listed."""
    answer = engine.assess(data)
    triage = answer["triage"]
    case = engine.parse(data)
    open_signs = {
        f
        for c in engine.rules
        if c.rule.level in ("urgent", "emergency")
        for f in c.findings
        if f not in case.findings and not (f in NOT_FOR and NOT_FOR[f](case))
    }
    raised = replace(case, findings={**case.findings, **dict.fromkeys(open_signs, True)})
    differential = engine.evaluate(case).differential
    would_fire = [
        c.rule.id
        for c in engine.rules
        if c.rule.level in ("urgent", "emergency")
        and level_rank(c.rule.level) > level_rank(triage["level"])
        and c.findings
        and c.predicate(facts_for(raised, differential))
    ]
    if SELF_CARE_REASON in triage["reasons"]:
        assert not would_fire
    if would_fire:
        assert triage["unchecked"], would_fire
        assert SELF_CARE_REASON not in triage["reasons"]
    listed = [u["finding"] for u in triage["unchecked"]]
    assert set(listed) <= open_signs
    assert [level_rank(u["level"]) for u in triage["unchecked"]] == sorted(
        (level_rank(u["level"]) for u in triage["unchecked"]), reverse=True
    )

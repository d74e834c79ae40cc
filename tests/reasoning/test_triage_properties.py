"""Properties of triage over generated inputs."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from heelpath.engine import Engine
from heelpath.knowledge import Knowledge
from heelpath.reasoning.results import level_rank
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

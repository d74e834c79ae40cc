"""A follow-up finding (findings.yaml ``follows``): "a fall from a height" after "a fall".

Its yes is a yes to the fall, its no counts only after a yes to the fall, the two count
the fall once, a knock ranks a broken heel bone below a fall from a height, and neither
answer ever lowers the triage level a fall gives.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heelpath.engine import Engine
from heelpath.errors import InvalidInput
from heelpath.reasoning.differential import log_ratios
from heelpath.reasoning.results import level_rank
from strategies import inputs

FALL, HEIGHT = "fall_or_heel_impact", "fall_from_height"
FRACTURE = "calcaneal_fracture"


def _answer(engine: Engine, age: int, findings: dict[str, bool], **extra: Any) -> dict[str, Any]:
    return engine.assess({"age": age, "findings": findings, **extra})


def _share(answer: dict[str, Any], condition: str) -> float:
    return next((c["probability"] for c in answer["conditions"] if c["id"] == condition), 0.0)


def _level(answer: dict[str, Any]) -> int:
    return level_rank(answer["triage"]["level"])


def test_fall_from_height_follows_the_fall_question(engine: Engine) -> None:
    f = engine.knowledge.finding(HEIGHT)
    assert f.own and f.follows == FALL and f.group == "history"
    assert engine.knowledge.follow_ups == {HEIGHT: FALL}


@pytest.mark.parametrize("age", [6, 30, 45, 80])
def test_a_fall_from_a_height_alone_is_read_as_a_fall(engine: Engine, age: int) -> None:
    # sent without the fall question (an API client, a FHIR record), it is still a fall:
    # every rule of a fall applies, and the answer is the one for both answers
    case = engine.parse({"age": age, "findings": {HEIGHT: True}})
    assert case.findings[FALL] is True
    alone = _answer(engine, age, {HEIGHT: True})
    assert alone == _answer(engine, age, {FALL: True, HEIGHT: True})
    assert _level(alone) >= level_rank("urgent")
    assert "heel_pain_after_fall" in {r["id"] for r in alone["triage"]["rules"]}


def test_a_fall_from_a_height_that_leaves_you_unable_to_stand_with_back_pain_is_an_emergency(
    engine: Engine,
) -> None:
    findings = {HEIGHT: True, "cannot_bear_weight": True, "pain_radiates_from_back": True}
    a = _answer(engine, 35, findings)
    assert a["triage"]["level"] == "emergency"
    assert "major_trauma" in {r["id"] for r in a["triage"]["rules"]}


def test_a_fall_from_a_height_with_no_fall_is_refused_naming_both(engine: Engine) -> None:
    with pytest.raises(InvalidInput) as err:
        engine.parse({"age": 40, "findings": {FALL: False, HEIGHT: True}})
    assert err.value.field == f"findings.{HEIGHT}"
    assert f"findings.{FALL}" in err.value.message


@pytest.mark.parametrize("fall", [False, None])
def test_a_no_to_the_height_without_a_fall_changes_nothing(
    engine: Engine, fall: bool | None
) -> None:
    base = {} if fall is None else {FALL: fall}
    with_no = _answer(engine, 40, {**base, HEIGHT: False}, sex="female")
    without = _answer(engine, 40, base, sex="female")
    assert with_no == without


def test_the_fall_and_its_height_count_the_fall_once(engine: Engine) -> None:
    # the follow-up's ratio is the chance of a height given a fall: the two multiply in full
    # (no damping, no second count of the fall), and a yes to the height alone is the same
    model = engine.model
    ratio = {lr.condition: lr for lr in engine.knowledge.likelihood_ratios if lr.finding == HEIGHT}
    fall = log_ratios(model, {FALL: True}, 40)[0]
    both = log_ratios(model, {FALL: True, HEIGHT: True}, 40)[0]
    knock = log_ratios(model, {FALL: True, HEIGHT: False}, 40)[0]
    for cid, lr in ratio.items():
        assert math.isclose(both[cid] - fall[cid], math.log(lr.lr_pos or 1.0)), cid
        assert math.isclose(knock[cid] - fall[cid], math.log(lr.lr_neg or 1.0)), cid
    # without the fall the height is not counted at all
    assert log_ratios(model, {HEIGHT: True}, 40)[0] == log_ratios(model, {}, 40)[0]


@pytest.mark.parametrize("age", [10, 25, 45, 70])
def test_a_knock_ranks_a_broken_heel_bone_below_a_fall_from_a_height(
    engine: Engine, age: int
) -> None:
    knock = _answer(engine, age, {FALL: True, HEIGHT: False})
    fall = _answer(engine, age, {FALL: True})
    height = _answer(engine, age, {FALL: True, HEIGHT: True})
    assert _share(knock, FRACTURE) < _share(fall, FRACTURE) < _share(height, FRACTURE)
    ids = [c["id"] for c in height["conditions"]]
    assert ids[0] == FRACTURE
    # a knock is still care today: a broken heel bone cannot be ruled out
    assert knock["triage"]["level"] == fall["triage"]["level"] == "urgent"
    assert "heel_pain_after_fall" in {r["id"] for r in knock["triage"]["rules"]}


@settings(max_examples=150, deadline=None)
@given(data=inputs(), height=st.booleans())
def test_the_height_answer_never_lowers_the_level_after_a_fall(
    engine: Engine, data: dict[str, Any], height: bool
) -> None:
    fall = {**data, "findings": {**data["findings"], FALL: True}}
    answered = {**fall, "findings": {**fall["findings"], HEIGHT: height}}
    before = engine.assess(fall)["triage"]
    after = engine.assess(answered)["triage"]
    assert level_rank(after["level"]) >= level_rank(before["level"])
    # the rules a fall fires stay fired
    named = {r["id"] for r in before["rules"] if FALL in r["findings"]}
    assert named <= {r["id"] for r in after["rules"]}

"""The differential: invariants (Hypothesis) and behaviour a clinician expects."""

from __future__ import annotations

import random
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heelpath.engine import Engine
from heelpath.reasoning.differential import MIN_RESIDUAL
from strategies import inputs


def diff(engine: Engine, data: dict[str, Any]):  # type: ignore[no-untyped-def]
    return engine.evaluate(engine.parse(data)).differential


@settings(max_examples=300, deadline=None)
@given(data=inputs())
def test_probabilities_are_in_range_and_sum_to_at_most_one(
    engine: Engine, data: dict[str, Any]
) -> None:
    answer = engine.assess(data)
    ps = [c["probability"] for c in answer["conditions"]]
    assert all(0 <= p <= 1 for p in ps)
    assert sum(ps) <= 1 + 1e-9
    assert ps == sorted(ps, reverse=True)
    assert len(ps) >= 3
    d = diff(engine, data)
    assert sum(s.probability for s in d.scores) <= 1 - MIN_RESIDUAL + 1e-6
    assert all(0 <= s.chance <= 1 for s in d.scores)


@settings(max_examples=150, deadline=None)
@given(data=inputs(), seed=st.integers())
def test_order_of_findings_never_changes_the_answer(
    engine: Engine, data: dict[str, Any], seed: int
) -> None:
    items = list(data["findings"].items())
    random.Random(seed).shuffle(items)
    shuffled = {**data, "findings": dict(items)}
    assert engine.assess(shuffled) == engine.assess(data)


@settings(max_examples=100, deadline=None)
@given(data=inputs())
def test_same_input_same_answer(engine: Engine, data: dict[str, Any]) -> None:
    assert engine.assess(data) == engine.assess(data)


@given(age=st.integers(0, 120), sex=st.sampled_from(["female", "male", "other", None]))
@settings(max_examples=60, deadline=None)
def test_empty_findings_give_a_valid_answer(engine: Engine, age: int, sex: str | None) -> None:
    data: dict[str, Any] = {"age": age, "findings": {}}
    if sex:
        data["sex"] = sex
    a = engine.assess(data)
    assert a["spec_version"] == "1"
    assert len(a["conditions"]) >= 3
    assert a["plan"]["phases"]
    assert all(c["supporting"] == [] and c["against"] == [] for c in a["conditions"])


def test_unknown_is_not_absent(engine: Engine) -> None:
    base = {"age": 40, "findings": {"pain_midportion": True}}
    unknown = diff(engine, base)
    absent = diff(
        engine, {"age": 40, "findings": {"pain_midportion": True, "tender_midportion": False}}
    )
    p_unknown = unknown.probability("midportion_achilles_tendinopathy")
    p_absent = absent.probability("midportion_achilles_tendinopathy")
    assert p_absent < p_unknown
    assert "tender_midportion" in absent.score("midportion_achilles_tendinopathy").against


def test_a_child_is_not_an_adult(engine: Engine) -> None:
    findings = {"runner_or_jumper": True, "gradual_onset": True}
    child = diff(engine, {"age": 10, "findings": findings})
    adult = diff(engine, {"age": 70, "findings": findings})
    assert child.leading.id == "calcaneal_apophysitis"
    assert adult.probability("calcaneal_apophysitis") < 0.01
    assert adult.probability("insertional_achilles_tendinopathy") > child.probability(
        "insertional_achilles_tendinopathy"
    )


def test_sex_shapes_the_rupture_prior(engine: Engine) -> None:
    man = diff(engine, {"age": 35, "sex": "male", "findings": {}})
    woman = diff(engine, {"age": 35, "sex": "female", "findings": {}})
    assert (
        man.score("achilles_tendon_rupture").chance > woman.score("achilles_tendon_rupture").chance
    )


def test_one_event_is_not_three_proofs(engine: Engine) -> None:
    # a pop and a kicked feeling in the same moment are one event: together they must
    # move rupture less than the product of their ratios would
    one = diff(engine, {"age": 40, "findings": {"pop_or_snap": True}})
    both = diff(engine, {"age": 40, "findings": {"pop_or_snap": True, "felt_kicked_in_calf": True}})
    kicked = diff(engine, {"age": 40, "findings": {"felt_kicked_in_calf": True}})
    none = diff(engine, {"age": 40, "findings": {}})

    def odds(d, cid="achilles_tendon_rupture"):  # type: ignore[no-untyped-def]
        c = d.score(cid).chance
        return c / (1 - c)

    lr_pop = odds(one) / odds(none)
    lr_kicked = odds(kicked) / odds(none)
    lr_both = odds(both) / odds(none)
    assert max(lr_pop, lr_kicked) < lr_both < lr_pop * lr_kicked


def test_supporting_and_against_name_findings_that_moved_it(engine: Engine) -> None:
    d = diff(engine, {"age": 40, "findings": {"pain_midportion": True, "pain_at_insertion": False}})
    mid = d.score("midportion_achilles_tendinopathy")
    assert "pain_midportion" in mid.supporting
    ins = d.score("insertional_achilles_tendinopathy")
    assert ins.probability >= 0.01  # listed, so explained
    assert {"pain_at_insertion", "pain_midportion"} <= set(ins.against)


@settings(max_examples=150, deadline=None)
@given(data=inputs())
def test_every_listed_condition_is_explained_by_the_answers_given(
    engine: Engine, data: dict[str, Any]
) -> None:
    answer = engine.assess(data)
    given_ids = set(data["findings"])
    for c in answer["conditions"]:
        assert set(c["supporting"]) <= given_ids
        assert set(c["against"]) <= given_ids
        assert not set(c["supporting"]) & set(c["against"])


def test_batch_and_single_agree(engine: Engine) -> None:
    datas = [
        {"age": 30, "findings": {"pain_midportion": True}},
        {"age": 12, "findings": {"tender_heel_bone_squeeze": True}},
        {"age": 70, "sex": "female", "findings": {"pain_under_heel": True, "heel_pad_thin": True}},
    ]
    lines = [orjson.dumps(d) for d in datas]
    batch = [orjson.loads(out) for out in engine.assess_lines(lines)]
    assert batch == [engine.assess(d) for d in datas]
    assert len({b["conditions"][0]["id"] for b in batch}) == 3  # three different answers


def test_a_parsed_case_is_its_own_and_read_only(engine: Engine) -> None:
    """Changing the input afterwards changes nothing; the case itself cannot be changed."""
    data: dict[str, Any] = {"age": 40, "findings": {"pop_or_snap": True}}
    case = engine.parse(data)
    data["findings"]["palpable_gap"] = True
    data["findings"]["pop_or_snap"] = False
    assert dict(case.findings) == {"pop_or_snap": True}
    with pytest.raises(TypeError):
        case.findings["palpable_gap"] = True  # type: ignore[index]  # on purpose


def test_an_unknown_finding_id_is_named(engine: Engine) -> None:
    from heelpath.errors import InvalidInput

    with pytest.raises(InvalidInput) as err:
        engine.parse({"age": 40, "findings": {"pop_or_snap": True, "no_such_finding": True}})
    assert err.value.field == "findings.no_such_finding"

"""Posteriors worked out by hand on a three-condition example (tests/golden/knowledge).

Priors (adult): A 0.5, B 0.3, C 0.1, residual 0.1. Likelihood ratios: f1 -> A
(LR+ 4, LR- 0.5); f2 -> A (LR+ 9), in the same overlap group as f1; f3 -> B
(LR+ 2, LR- 0.25); f4 -> C (LR+ 30, capped at 20). B is doubled for men.
Each expected value below is the arithmetic in its comment, not engine output.
"""

from __future__ import annotations

import pytest

from heelpath.engine import Engine
from heelpath.reasoning.differential import score
from heelpath.reasoning.results import Differential


def differential(engine: Engine, data: dict[str, object]) -> Differential:
    return score(engine.model, engine.parse(data))


CASES = [
    # f1 present: A 0.5*4 = 2; total 2 + 0.3 + 0.1 + 0.1 = 2.5
    ({"f1": True}, None, {"cond_a": 2 / 2.5, "cond_b": 0.3 / 2.5, "cond_c": 0.1 / 2.5}, 0.1 / 2.5),
    # f1 absent: A 0.5*0.5 = 0.25; total 0.75
    (
        {"f1": False},
        None,
        {"cond_a": 0.25 / 0.75, "cond_b": 0.3 / 0.75, "cond_c": 0.1 / 0.75},
        0.1 / 0.75,
    ),
    # f1 and f2 share a group: 9 in full, sqrt(4) = 2 -> LR 18 (not 36); A = 9, total 9.5;
    # residual 0.1/9.5 < 0.03, so listed ones are scaled to sum to 0.97
    (
        {"f1": True, "f2": True},
        None,
        {
            k: v / 9.5 * 0.97 / (1 - 0.1 / 9.5)
            for k, v in (("cond_a", 9), ("cond_b", 0.3), ("cond_c", 0.1))
        },
        0.03,
    ),
    # f4: LR 30 capped at 20 -> C 2; total 0.5 + 0.3 + 2 + 0.1 = 2.9
    ({"f4": True}, None, {"cond_a": 0.5 / 2.9, "cond_b": 0.3 / 2.9, "cond_c": 2 / 2.9}, 0.1 / 2.9),
    # f3 absent: B 0.3*0.25 = 0.075; total 0.775
    (
        {"f3": False},
        None,
        {"cond_a": 0.5 / 0.775, "cond_b": 0.075 / 0.775, "cond_c": 0.1 / 0.775},
        0.1 / 0.775,
    ),
    # a man: B prior 0.6; total 0.5 + 0.6 + 0.1 + 0.1 = 1.3
    ({}, "male", {"cond_a": 0.5 / 1.3, "cond_b": 0.6 / 1.3, "cond_c": 0.1 / 1.3}, 0.1 / 1.3),
]


@pytest.mark.parametrize(("findings", "sex", "expected", "residual"), CASES)
def test_posteriors_match_hand_arithmetic(
    golden_engine: Engine,
    findings: dict[str, bool],
    sex: str | None,
    expected: dict[str, float],
    residual: float,
) -> None:
    data: dict[str, object] = {"age": 40, "findings": findings}
    if sex:
        data["sex"] = sex
    diff = differential(golden_engine, data)
    for cid, p in expected.items():
        assert diff.probability(cid) == pytest.approx(p, abs=1e-4)
    assert diff.residual == pytest.approx(residual, abs=1e-4)


def test_child_prior_column(golden_engine: Engine) -> None:
    # age 10 uses the child column: A 0.2, B 0.3, C 0.4, residual 0.1; total 1.0
    diff = differential(golden_engine, {"age": 10, "findings": {}})
    assert [s.id for s in diff.scores] == ["cond_c", "cond_b", "cond_a"]
    assert diff.probability("cond_c") == pytest.approx(0.4, abs=1e-4)


def test_blend_at_sixteen(golden_engine: Engine) -> None:
    # 16 years: half child, half adult -> A 0.35, B 0.3, C 0.25, residual 0.1; total 1.0
    diff = differential(golden_engine, {"age": 16, "findings": {}})
    assert diff.probability("cond_a") == pytest.approx(0.35, abs=1e-4)
    assert diff.probability("cond_c") == pytest.approx(0.25, abs=1e-4)


def test_own_chance_is_not_shrunk_by_other_conditions(golden_engine: Engine) -> None:
    # C's own chance with f4: odds 0.1/0.9 * 20 = 2.222 -> 0.6897, whatever A does
    alone = differential(golden_engine, {"age": 40, "findings": {"f4": True}})
    with_a = differential(
        golden_engine, {"age": 40, "findings": {"f4": True, "f1": True, "f2": True}}
    )
    expected = (0.1 / 0.9 * 20) / (1 + 0.1 / 0.9 * 20)
    assert alone.score("cond_c").chance == pytest.approx(expected, abs=1e-6)
    assert with_a.score("cond_c").chance == pytest.approx(expected, abs=1e-6)
    assert with_a.probability("cond_c") < alone.probability("cond_c")

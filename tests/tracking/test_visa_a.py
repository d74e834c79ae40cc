"""VISA-A scored exactly as published (Robinson et al. 2001), and refused otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heelpath.errors import InvalidInput
from heelpath.tracking.visa_a import parse_answers, score
from strategies import VISA_A_Q8_POINTS, visa_a_answers


def answers(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {f"q{i}": 5 for i in range(1, 7)}
    base.update(q7=4, q8={"branch": "B", "points": 10})
    base.update(changes)
    return base


def test_no_symptoms_scores_100_and_the_worst_scores_0() -> None:
    best = answers(**{f"q{i}": 10 for i in range(1, 7)}, q7=10, q8={"branch": "A", "points": 30})
    worst = answers(**{f"q{i}": 0 for i in range(1, 7)}, q7=0, q8={"branch": "C", "points": 0})
    assert score(parse_answers(best)) == 100
    assert score(parse_answers(worst)) == 0


def test_a_worked_example() -> None:
    # 6 + 7 + 5 + 8 + 4 + 3 (items 1-6) + 4 (modified training) + 10 (branch B, 11-20 min)
    data = answers(q1=6, q2=7, q3=5, q4=8, q5=4, q6=3, q7=4, q8={"branch": "B", "points": 10})
    assert score(parse_answers(data)) == 47


@pytest.mark.parametrize(
    ("branch", "allowed"),
    [("A", (0, 7, 14, 21, 30)), ("B", (0, 4, 10, 14, 20)), ("C", (0, 2, 5, 7, 10))],
)
def test_item_8_takes_exactly_the_published_points_of_its_branch(
    branch: str, allowed: tuple[int, ...]
) -> None:
    for points in range(31):
        data = answers(q8={"branch": branch, "points": points})
        if points in allowed:
            assert score(parse_answers(data)) == 5 * 6 + 4 + points
        else:
            with pytest.raises(InvalidInput) as err:
                parse_answers(data)
            assert err.value.field == "answers.q8.points"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"q1": 11}, "answers.q1"),
        ({"q3": -1}, "answers.q3"),
        ({"q6": 5.5}, "answers.q6"),
        ({"q2": True}, "answers.q2"),
        ({"q7": 5}, "answers.q7"),
        ({"q8": {"branch": "D", "points": 0}}, "answers.q8.branch"),
        ({"q8": 7}, "answers.q8"),
        ({"q8": {"branch": "A", "points": 7, "extra": 1}}, "answers.q8.extra"),
        ({"q9": 1}, "answers.q9"),
    ],
)
def test_a_bad_item_is_named(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_answers(answers(**changes))
    assert err.value.field == field


def test_a_missing_item_is_named() -> None:
    data = answers()
    del data["q4"]
    with pytest.raises(InvalidInput) as err:
        parse_answers(data)
    assert err.value.field == "answers.q4"


@given(visa_a_answers())
def test_the_score_is_the_sum_of_the_items_and_within_0_to_100(data: dict[str, Any]) -> None:
    total = score(parse_answers(data))
    assert 0 <= total <= 100
    assert total == sum(data[f"q{i}"] for i in range(1, 8)) + data["q8"]["points"]


@given(visa_a_answers(), st.sampled_from([f"q{i}" for i in range(1, 7)]))
def test_a_better_answer_never_lowers_the_score(data: dict[str, Any], item: str) -> None:
    before = score(parse_answers(data))
    if data[item] < 10:
        better = {**data, item: data[item] + 1}
        assert score(parse_answers(better)) == before + 1


@given(st.sampled_from("ABC"), st.integers(-5, 40))
def test_only_the_branch_points_are_accepted(branch: str, points: int) -> None:
    data = answers(q8={"branch": branch, "points": points})
    if points in VISA_A_Q8_POINTS[branch]:
        parse_answers(data)
    else:
        with pytest.raises(InvalidInput):
            parse_answers(data)

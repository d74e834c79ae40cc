"""The VISA-A questionnaire (Victorian Institute of Sport Assessment – Achilles), scored as published.

Robinson et al., Br J Sports Med 2001;35:335–41: eight items, 0–100, 100 = no
symptoms. Items 1–6 score 0–10 each; item 7 scores 0, 4, 7 or 10; item 8 is
answered in exactly one of three branches, whose allowed points differ:

- A (no pain during Achilles-loading sport): 0, 7, 14, 21, 30
- B (pain, but it does not stop you completing it): 0, 4, 10, 14, 20
- C (pain that stops you completing it): 0, 2, 5, 7, 10

Total = items 1–7 + the one item-8 branch; 7 × 10 + 30 = 100.

The minimal clinically important difference: 14 points over 12 weeks (Dutch
cohort, J Orthop Sports Phys Ther 2021 — published); trials commonly
pre-specify 10 points (Rabusin 2021 — published). The engine treats a change of
10 points or more as meaningful (estimate, the evidence brief's recommendation).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from heelpath.errors import InvalidInput

ZERO_TO_TEN = tuple(range(11))
ITEM_7_POINTS = (0, 4, 7, 10)
ITEM_8_POINTS: Mapping[str, tuple[int, ...]] = {
    "A": (0, 7, 14, 21, 30),
    "B": (0, 4, 10, 14, 20),
    "C": (0, 2, 5, 7, 10),
}
SIMPLE_ITEMS = ("q1", "q2", "q3", "q4", "q5", "q6")
ITEMS = (*SIMPLE_ITEMS, "q7", "q8")
MAX_SCORE = 100

MEANINGFUL_CHANGE = 10  # estimate: the evidence brief's default (trials pre-specify 10)
CLEARLY_MEANINGFUL_CHANGE_12_WEEKS = 14  # published: Dutch cohort, JOSPT 2021
FULL_RECOVERY = 90  # published: Iversen 2012, scores >= 90 count as recovered


@dataclass(frozen=True, slots=True)
class VisaAAnswers:
    """One completed questionnaire: items 1–7 in points, item 8 as its branch and points."""

    q1: int
    q2: int
    q3: int
    q4: int
    q5: int
    q6: int
    q7: int
    q8_branch: str
    q8_points: int

    def as_dict(self) -> dict[str, Any]:
        """The API's shape: ``{"q1": .., ..., "q8": {"branch", "points"}}``."""
        out: dict[str, Any] = {name: getattr(self, name) for name in (*SIMPLE_ITEMS, "q7")}
        out["q8"] = {"branch": self.q8_branch, "points": self.q8_points}
        return out


def _points(raw: Any, field: str, allowed: tuple[int, ...]) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw not in allowed:
        shown = ", ".join(str(p) for p in allowed)
        if allowed == ZERO_TO_TEN:
            shown = "a whole number from 0 to 10"
        raise InvalidInput(field, f"must be one of {shown}")
    return raw


def parse_answers(data: Any, prefix: str = "answers") -> VisaAAnswers:
    """Check every item against the published scale; an error names the item at fault."""
    if not isinstance(data, Mapping):
        raise InvalidInput(prefix, "must be an object with the items q1 to q8")
    unknown = sorted(set(data) - set(ITEMS))
    if unknown:
        raise InvalidInput(f"{prefix}.{unknown[0]}", "is not a VISA-A item (q1 to q8)")
    for item in ITEMS:
        if item not in data:
            raise InvalidInput(f"{prefix}.{item}", "is missing: every item needs an answer")
    simple = [_points(data[q], f"{prefix}.{q}", ZERO_TO_TEN) for q in SIMPLE_ITEMS]
    q7 = _points(data["q7"], f"{prefix}.q7", ITEM_7_POINTS)
    q8 = data["q8"]
    if not isinstance(q8, Mapping):
        raise InvalidInput(f"{prefix}.q8", 'must be {"branch": "A" | "B" | "C", "points": n}')
    extra = sorted(set(q8) - {"branch", "points"})
    if extra:
        raise InvalidInput(f"{prefix}.q8.{extra[0]}", "is not part of item 8 (branch, points)")
    branch = q8.get("branch")
    if not isinstance(branch, str) or branch not in ITEM_8_POINTS:
        raise InvalidInput(f"{prefix}.q8.branch", "must be A, B or C")
    points = _points(q8.get("points"), f"{prefix}.q8.points", ITEM_8_POINTS[branch])
    q1, q2, q3, q4, q5, q6 = simple
    return VisaAAnswers(q1, q2, q3, q4, q5, q6, q7, branch, points)


def score(answers: VisaAAnswers) -> int:
    """The VISA-A total, 0–100 (100 = no symptoms)."""
    return (
        answers.q1
        + answers.q2
        + answers.q3
        + answers.q4
        + answers.q5
        + answers.q6
        + answers.q7
        + answers.q8_points
    )

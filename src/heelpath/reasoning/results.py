"""The immutable results the reasoning steps hand to each other and to the adapters."""

from __future__ import annotations

from dataclasses import dataclass

LEVELS: tuple[str, ...] = ("self_care", "soon", "urgent", "emergency")


def level_rank(level: str) -> int:
    """0 for self_care up to 3 for emergency."""
    return LEVELS.index(level)


@dataclass(frozen=True, slots=True)
class ConditionScore:
    """One condition in the differential.

    ``probability`` is its share of the differential (all listed conditions
    plus the residual sum to 1). ``chance`` is its own posterior: prior odds
    times its likelihood ratios, not shrunk by the other conditions; triage
    thresholds use it so that a new finding for another condition cannot hide
    a dangerous one. ``supporting`` / ``against`` are finding ids, strongest first.
    """

    id: str
    name: str
    probability: float
    chance: float
    supporting: tuple[str, ...]
    against: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Differential:
    """All conditions, most probable first, and the residual for 'something not listed'."""

    scores: tuple[ConditionScore, ...]
    residual: float

    @property
    def leading(self) -> ConditionScore:
        return self.scores[0]

    def probability(self, condition_id: str) -> float:
        for s in self.scores:
            if s.id == condition_id:
                return s.probability
        raise KeyError(condition_id)

    def score(self, condition_id: str) -> ConditionScore:
        for s in self.scores:
            if s.id == condition_id:
                return s
        raise KeyError(condition_id)


@dataclass(frozen=True, slots=True)
class Unchecked:
    """A warning sign nobody answered: a "yes" could raise the level to ``level``."""

    finding: str
    level: str  # urgent or emergency


@dataclass(frozen=True, slots=True)
class FiredRule:
    """A red-flag rule that fired for this person."""

    id: str
    code: str
    level: str
    reason: str
    findings: tuple[str, ...]  # the present findings the rule looked at
    adds: tuple[str, ...]  # interventions the plan must include


@dataclass(frozen=True, slots=True)
class Triage:
    """How urgently to be seen, and why. ``fired`` is highest level first."""

    level: str
    reasons: tuple[str, ...]
    fired: tuple[FiredRule, ...]
    red_flags: tuple[str, ...]
    # warning-sign questions left unanswered that could still raise the level
    unchecked: tuple[Unchecked, ...] = ()

    def fired_ids(self) -> frozenset[str]:
        return frozenset(r.id for r in self.fired)


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One thing to do, dosed, with how strong its evidence is."""

    intervention: str
    title: str
    instructions: str
    dose: str = ""
    evidence: str = ""  # grade and plain words, e.g. "Strong (grade A): ..."
    note: str = ""  # e.g. where the evidence departs from common advice

    def as_dict(self) -> dict[str, str]:
        d = {
            "intervention": self.intervention,
            "title": self.title,
            "instructions": self.instructions,
        }
        if self.dose:
            d["dose"] = self.dose
        if self.evidence:
            d["evidence"] = self.evidence
        if self.note:
            d["note"] = self.note
        return d


@dataclass(frozen=True, slots=True)
class Phase:
    id: str
    title: str
    items: tuple[PlanItem, ...]
    summary: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "items": [i.as_dict() for i in self.items],
        }


@dataclass(frozen=True, slots=True)
class Avoided:
    """An intervention deliberately left out for this person, and why (plain words)."""

    intervention: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"intervention": self.intervention, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Plan:
    phases: tuple[Phase, ...]
    avoid: tuple[Avoided, ...]

    def interventions(self) -> frozenset[str]:
        return frozenset(i.intervention for p in self.phases for i in p.items)

    def as_dict(self) -> dict[str, object]:
        return {
            "phases": [p.as_dict() for p in self.phases],
            "avoid": [a.as_dict() for a in self.avoid],
        }

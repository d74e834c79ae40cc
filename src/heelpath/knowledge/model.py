"""Frozen objects the knowledge files load into.

Everything here is plain data: the reasoning code reads it, never changes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Label = Literal["published", "estimate"]


@dataclass(frozen=True, slots=True)
class Source:
    """One citation; every published number points at one of these by id."""

    id: str
    citation: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a number comes from: a published source, or an estimate with its basis."""

    label: Label
    source: str | None = None  # id in sources.yaml; required when label is published
    rationale: str = ""  # required when label is estimate


@dataclass(frozen=True, slots=True)
class Demographic:
    """Who a prior modifier applies to: an age range (inclusive) and/or a sex."""

    age_min: int | None = None
    age_max: int | None = None
    sex: str | None = None

    def matches(self, age: int, sex: str | None) -> bool:
        if self.age_min is not None and age < self.age_min:
            return False
        if self.age_max is not None and age > self.age_max:
            return False
        return not (self.sex is not None and sex != self.sex)


@dataclass(frozen=True, slots=True)
class PriorModifier:
    """Multiplies a condition's prior for the people ``when`` matches, ``otherwise`` for the rest."""

    when: Demographic
    multiplier: float
    otherwise: float
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class Prior:
    """Prior probability among people who use heelpath, for an adult and for a child (8-14)."""

    adult: float
    child: float
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class Condition:
    id: str
    name: str
    summary: str  # plain words for the person
    prior: Prior
    modifiers: tuple[PriorModifier, ...] = ()
    own: bool = False  # an addition of the project's, not in the vocabulary
    plain_name: str = ""  # the name a person sees first, e.g. "Broken heel bone"


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    group: str  # history | location | pattern | signs | health
    text: str  # the vocabulary's clinical wording
    question: str  # plain-language question for a person
    question_child: str = ""  # the question for a parent about their child ("your child")
    help: str = ""  # how to check it (self-tests), shown under the question
    help_child: str = ""  # the same for a parent checking their child
    place: str = ""  # a site of "where does it hurt?": the place in a few words (its box)
    overlap: str | None = None  # findings sharing an overlap group are not independent
    red_flag: bool = False  # always asked: part of the red-flag screen
    own: bool = False
    # a follow-up: asked only after a "yes" to this finding, and its "yes" implies that one
    follows: str | None = None


@dataclass(frozen=True, slots=True)
class Checklist:
    """Findings asked together as one tick-list question ("do any of these apply to
    you?", findings.yaml ``checklists``): a box per finding, "none of these" and "not sure"."""

    id: str
    title: str  # the heading of its screen
    question: str  # plain words for a person
    question_child: str  # the question for a parent about their child
    boxes: tuple[tuple[str, str], ...]  # (finding id, its words as a box), in order
    why: str  # why these are asked together
    # asked among the warning signs, on their screen, instead of the chosen screens
    warning: bool = False


@dataclass(frozen=True, slots=True)
class LikelihoodRatio:
    """How one finding moves one condition: LR+ when present, LR- when absent (None: no change)."""

    finding: str
    condition: str
    lr_pos: float | None
    lr_neg: float | None
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class NeutralCell:
    """A finding x condition cell decided as neutral: the finding does not move it (ratio 1).

    Distinct from a missing cell, which would mean nobody has looked: ``why`` says
    what the reviewer weighed (e.g. a medicine question asked for the plan's safety).
    """

    finding: str
    condition: str
    why: str


@dataclass(frozen=True, slots=True)
class CombinedFinding:
    """Findings that mean more together than apart: when all are present (and the person
    is in the age range ``when``, if given), the condition's odds are multiplied by ``lr``
    on top of the findings' own ratios."""

    findings: tuple[str, ...]
    condition: str
    lr: float
    provenance: Provenance
    when: Demographic | None = None  # an age range: a finding that means more at some ages


@dataclass(frozen=True, slots=True)
class RedFlagRule:
    """A triage rule: when ``when`` holds, the level is at least ``level``."""

    id: str
    code: str  # the evidence brief's rule code (E1, U1, S3 ...)
    level: str
    when: Any  # an expression, see expressions.py; compiled by the triage module
    reason: str  # plain words, shown to the person
    provenance: Provenance
    adds: tuple[str, ...] = ()  # interventions the plan must then include


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The ids of spec v1 (``shared/spec/vocabulary.json``) the project must accept and emit."""

    spec_version: str
    triage_levels: tuple[str, ...]
    triage_meanings: dict[str, str]
    conditions: tuple[str, ...]
    findings: tuple[str, ...]
    interventions: tuple[str, ...]
    intervention_texts: dict[str, str]
    footwear: tuple[str, ...]
    work: tuple[str, ...]
    sex: tuple[str, ...]


@dataclass(frozen=True, repr=False)
class Knowledge:
    """All clinical content, validated and cross-checked; built by ``load_knowledge``."""

    vocabulary: Vocabulary
    sources: dict[str, Source]
    conditions: tuple[Condition, ...]
    residual_prior: Prior
    findings: tuple[Finding, ...]
    likelihood_ratios: tuple[LikelihoodRatio, ...]
    red_flag_rules: tuple[RedFlagRule, ...]
    interventions: tuple[Any, ...] = ()  # heelpath.knowledge.interventions.Intervention
    # cells of the evidence matrix decided as neutral (evidence.yaml `neutral`)
    neutral: tuple[NeutralCell, ...] = ()
    # the answers to "where does it hurt" (evidence.yaml `sites`): for ranking, a person
    # who named one has said the others do not hurt
    sites: tuple[str, ...] = ()
    # pairs that mean more together than apart (evidence.yaml `combined`)
    combined: tuple[CombinedFinding, ...] = ()
    # findings the interview asks together as one tick-list question (findings.yaml)
    checklists: tuple[Checklist, ...] = ()
    extras: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        # short on purpose: test failures print it
        return (
            f"Knowledge({len(self.conditions)} conditions, {len(self.findings)} findings, "
            f"{len(self.likelihood_ratios)} likelihood ratios, {len(self.red_flag_rules)} rules, "
            f"{len(self.interventions)} interventions)"
        )

    def condition(self, condition_id: str) -> Condition:
        for c in self.conditions:
            if c.id == condition_id:
                return c
        raise KeyError(condition_id)

    @property
    def follow_ups(self) -> dict[str, str]:
        """Each follow-up finding's id -> the finding it follows (``follows`` in findings.yaml)."""
        return {f.id: f.follows for f in self.findings if f.follows is not None}

    def finding(self, finding_id: str) -> Finding:
        for f in self.findings:
            if f.id == finding_id:
                return f
        raise KeyError(finding_id)

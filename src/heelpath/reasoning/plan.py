"""The care plan: two phases of home care, dosed, personalised and made safe.

From the differential, the triage and the person (``Case``) this builds the
ordered phases of ``knowledge/interventions.yaml`` items:

- **urgent or emergency**: *get seen* first (the care step and only safe
  advice for the wait), then *after you have been seen* (what may follow the
  visit, in words and protective items). Nothing that loads, stretches or
  rubs the area appears before the person has been seen.
- **soon or self-care**: *book an appointment* (soon only), *settle*,
  *load and correct*, *return to activity*, *when to get help*.

The plan serves every condition close to the top of the differential and is
screened by the safety filter (``reasoning/safety.py``) against each of them;
everything removed goes into ``plan.avoid`` with its reason. A child (under
16) gets the child's version of each item. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from heelpath.case import Case
from heelpath.knowledge.expressions import Facts
from heelpath.knowledge.interventions import Intervention
from heelpath.knowledge.model import Knowledge
from heelpath.reasoning.results import (
    Avoided,
    Differential,
    Phase,
    Plan,
    PlanItem,
    Triage,
    level_rank,
)
from heelpath.reasoning.safety import URGENT_RANK, Screening, any_holds, screen
from heelpath.reasoning.triage import facts_for

# A condition is "close" to the top one when its probability is at least half
# the top one's (and at least 0.10); the plan must then be right and safe for it
# too. At most three conditions are served at once, to keep the plan short.
CLOSE_RATIO = 0.5
CLOSE_FLOOR = 0.10
MAX_CLOSE = 3
CHILD_BELOW = 16

CALL_NOW = "call_emergency_services"
GO_TODAY = "urgent_in_person_care"

HOME_ORDER = ("get_seen", "settle", "load_and_correct", "return_to_activity", "when_to_get_help")

# (title, summary) of each phase by (phase id, variant): the triage level for get_seen,
# "child" where a child's version exists, else ""
HEADS = {
    ("get_seen", "emergency"): (
        "Get help now",
        "Do this first. Everything else in this plan waits until you have been seen.",
    ),
    ("get_seen", "urgent"): (
        "Be seen today",
        "Do this first, today. Until you are seen, only the advice below; exercises and "
        "stretches wait until a clinician has checked you.",
    ),
    ("get_seen", "soon"): (
        "Book an appointment in the next 1-2 weeks",
        "Your answers need a professional's check, but not today. Book it now and "
        "follow the home plan below meanwhile.",
    ),
    ("after_seen", ""): (
        "After you have been seen",
        "Follow the treatment the clinician gives you. Exercises that load or stretch the "
        "tendon are left out of this plan until then (see what to avoid, and why). If "
        "the visit finds an overuse problem rather than an injury, come back to heelpath "
        "for a home plan.",
    ),
    ("settle", ""): (
        "Settle it down (from today)",
        "Calm the pain while staying active. These ease pain; they do not heal the tendon "
        "by themselves, so start the next part this week too, not only once the pain "
        "has gone.",
    ),
    ("settle", "child"): (
        "Settle it down (from today)",
        "Ease the pain and keep your child active within it. Growing-heel pain settles for "
        "good as the heel finishes growing.",
    ),
    ("load_and_correct", ""): (
        "Load and correct (from week 1, for about 12 weeks)",
        "Strengthen the tendon step by step and take the strain off it with shoes and "
        "supports. Some discomfort during the exercises is expected: up to 5 out of 10, "
        "settled by the next morning.",
    ),
    ("load_and_correct", "child"): (
        "Protect the growing heel",
        "A growing heel needs less strain, not heavy exercise: light, pain-free activity, "
        "cushioning and a heel raise.",
    ),
    ("return_to_activity", ""): (
        "Return to activity",
        "Build back up by the pain-monitoring rule, one small step at a time.",
    ),
    ("when_to_get_help", ""): (
        "When to see a podiatrist or doctor",
        "Most heel pain settles with home care, slowly. Get help if it does not, and at "
        "once if a warning sign appears.",
    ),
}


@dataclass(frozen=True)
class Person:
    """What every part of one person's plan needs to know about them."""

    level: str
    child: bool
    close: tuple[str, ...]  # the conditions the plan serves, most probable first
    facts: Facts
    variants: tuple[Facts, ...]  # facts with each close condition as the leading one
    fired: tuple[str, ...]  # fired red-flag rule ids, highest level first
    asked: frozenset[str]  # offered whatever else: a fired rule adds it, or its include_when
    top_adds: frozenset[str]  # those added by rules at the triage level itself

    @property
    def urgent(self) -> bool:
        """Urgent or emergency: get seen first."""
        return level_rank(self.level) >= URGENT_RANK


def close_conditions(differential: Differential) -> tuple[str, ...]:
    """The top condition and those close to it, most probable first (at most three)."""
    if not differential.scores:
        return ()
    bar = max(CLOSE_FLOOR, CLOSE_RATIO * differential.leading.probability)
    close = [differential.leading.id]
    close += [s.id for s in differential.scores[1:] if s.probability >= bar]
    return tuple(close[:MAX_CLOSE])


def _person(
    interventions: Sequence[Intervention], case: Case, differential: Differential, triage: Triage
) -> Person:
    fired = tuple(rule.id for rule in triage.fired)
    facts = facts_for(case, differential, frozenset(fired))
    close = close_conditions(differential)
    variants = tuple(replace(facts, leading=c) for c in close) or (facts,)
    asked = {iid for rule in triage.fired for iid in rule.adds}
    asked |= {iv.id for iv in interventions if iv.include_when(facts)}
    return Person(
        level=triage.level,
        child=case.age < CHILD_BELOW,
        close=close,
        facts=facts,
        variants=variants,
        fired=fired,
        asked=frozenset(asked),
        top_adds=frozenset(
            iid for rule in triage.fired if rule.level == triage.level for iid in rule.adds
        ),
    )


def _add(texts: list[str], text: str | None) -> None:
    """Append ``text`` unless it is empty, missing or already there."""
    if text and text not in texts:
        texts.append(text)


def _instructions(iv: Intervention, person: Person, cautions: Sequence[str]) -> str:
    """The instructions, then the sentences for this person's level, likely conditions,
    fired rules, shoes and work (each once), how to choose, and the safety filter's
    cautions."""
    child = iv.for_child if person.child else None
    parts = [child.instructions if child else iv.instructions]
    _add(parts, iv.by_level.get(person.level))
    for c in person.close:
        _add(parts, iv.by_condition.get(c))
    for r in person.fired:
        _add(parts, iv.by_rule.get(r))
    for f in person.facts.footwear or ("default",):
        _add(parts, iv.by_footwear.get(f))
    if person.facts.work:
        _add(parts, iv.by_work.get(person.facts.work))
    if iv.choosing:
        parts.append(f"How to choose: {iv.choosing}")
    parts += [f"Take care: {note}" for note in cautions]
    return " ".join(parts)


def _item(iv: Intervention, person: Person, screening: Screening) -> PlanItem:
    child_dose = iv.for_child.dose if person.child and iv.for_child else None
    return PlanItem(
        intervention=iv.id,
        title=iv.title,
        instructions=_instructions(iv, person, screening.cautions.get(iv.id, ())),
        dose=(child_dose or iv.dose_for(person.level)).text(),
        evidence=iv.evidence_for(person.close).words(),
        note=iv.seed_note,
    )


def _phase(pid: str, person: Person, items: list[PlanItem]) -> Phase:
    if pid == "get_seen":
        variant = person.level
    elif person.child and (pid, "child") in HEADS:
        variant = "child"
    else:
        variant = ""
    title, summary = HEADS[pid, variant]
    return Phase(pid, title, tuple(items), summary)


def _companions_settled(chosen: list[Intervention], person: Person) -> list[Intervention]:
    """Drop items whose required companion is missing (compression before stability), then
    items another one replaces (one appointment, not two) unless they were asked for."""
    ids = {iv.id for iv in chosen}
    kept = [iv for iv in chosen if ids.issuperset(iv.requires)]
    ids = {iv.id for iv in kept}
    return [iv for iv in kept if ids.isdisjoint(iv.replaced_by) or iv.id in person.asked]


def _offered_at_home(iv: Intervention, person: Person) -> bool:
    if iv.id in person.asked:
        return True
    if not iv.serves_any(person.close):
        return False
    return iv.only_when is None or iv.only_when(person.facts)


def _home_phases(
    interventions: Sequence[Intervention], person: Person, screening: Screening
) -> list[Phase]:
    chosen = [
        iv
        for iv in interventions
        if iv.kind != "care" and screening.allows(iv.id) and _offered_at_home(iv, person)
    ]
    # a referral: soon, the appointment comes first; self-care, it is the safety net at the end
    refer_phase = "get_seen" if person.level == "soon" else "when_to_get_help"
    by_phase: dict[str, list[PlanItem]] = {pid: [] for pid in HOME_ORDER}
    for iv in _companions_settled(chosen, person):
        phase = refer_phase if iv.kind == "refer" else iv.phase
        by_phase[phase].append(_item(iv, person, screening))
    return [_phase(pid, person, items) for pid, items in by_phase.items() if items]


def _urgent_phases(
    interventions: Sequence[Intervention], person: Person, screening: Screening
) -> list[Phase]:
    care_id = CALL_NOW if person.level == "emergency" else GO_TODAY
    until_seen = [iv for iv in interventions if iv.id == care_id]
    after_seen = []
    for iv in interventions:
        if iv.kind == "care" or not screening.allows(iv.id):
            continue
        if any_holds(iv.until_seen_when, person.variants):
            until_seen.append(iv)
        elif any_holds(iv.after_seen_when, person.variants) or (
            iv.kind == "refer" and iv.id in person.asked
        ):
            after_seen.append(iv)
        elif iv.id in person.top_adds:
            # added by a rule at this level: advice for the wait. Home care added by
            # lower-level rules waits for the clinician's verdict.
            until_seen.append(iv)
    return [
        _phase("get_seen", person, [_item(iv, person, screening) for iv in until_seen]),
        # kept even when empty: its summary says what happens after the visit
        _phase("after_seen", person, [_item(iv, person, screening) for iv in after_seen]),
    ]


def _not_recommended(
    interventions: Sequence[Intervention],
    person: Person,
    phases: Sequence[Phase],
    screening: Screening,
) -> list[Avoided]:
    """Common advice the evidence does not support for the likely conditions, and why:
    for interventions neither in the plan nor already avoided for a safety reason."""
    planned = {item.intervention for p in phases for item in p.items}
    out = []
    for iv in interventions:
        if iv.id in planned or not screening.allows(iv.id):
            continue
        reasons: list[str] = []
        for entry in iv.not_recommended:
            if entry.conditions.intersection(person.close):
                _add(reasons, entry.reason)
        if reasons:
            out.append(Avoided(iv.id, " ".join(reasons)))
    return out


def build_plan(
    knowledge: Knowledge, case: Case, differential: Differential, triage: Triage
) -> Plan:
    """Build the person's plan from the differential and triage, screened for safety."""
    interventions: tuple[Intervention, ...] = knowledge.interventions
    person = _person(interventions, case, differential, triage)
    screening = screen(interventions, person.variants, triage.level)
    if person.urgent:
        # home-care advice the evidence does not support is moot before a visit
        return Plan(tuple(_urgent_phases(interventions, person, screening)), screening.avoid)
    phases = _home_phases(interventions, person, screening)
    avoid = screening.avoid + tuple(_not_recommended(interventions, person, phases, screening))
    return Plan(tuple(phases), avoid)

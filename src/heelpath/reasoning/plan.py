"""The care plan: the seed's two phases, dosed, personalised and made safe.

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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from heelpath.contract import Case
from heelpath.knowledge.expressions import Facts, Predicate
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
from heelpath.reasoning.safety import URGENT_RANK, Screening, screen
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

_HOME_ORDER = ("get_seen", "settle", "load_and_correct", "return_to_activity", "when_to_get_help")

_TITLES = {
    ("get_seen", "emergency"): "Get help now",
    ("get_seen", "urgent"): "Be seen today",
    ("get_seen", "soon"): "Book an appointment in the next 1-2 weeks",
    ("after_seen", ""): "After you have been seen",
    ("settle", ""): "Settle it down (from today)",
    ("settle", "child"): "Settle it down (from today)",
    ("load_and_correct", ""): "Load and correct (from week 1, for about 12 weeks)",
    ("load_and_correct", "child"): "Protect the growing heel",
    ("return_to_activity", ""): "Return to activity",
    ("when_to_get_help", ""): "When to see a podiatrist or doctor",
}

_SUMMARIES = {
    ("get_seen", "emergency"): (
        "Do this first. Everything else in this plan waits until you have been seen."
    ),
    ("get_seen", "urgent"): (
        "Do this first, today. Until you are seen, only the advice below; exercises and "
        "stretches wait until a clinician has checked you."
    ),
    ("get_seen", "soon"): (
        "Your answers need a professional's check, but not today. Book it now and "
        "follow the home plan below meanwhile."
    ),
    ("after_seen", ""): (
        "Follow the treatment the clinician gives you. Exercises that load or stretch the "
        "tendon are left out of this plan until then (see what to avoid, and why). If "
        "the visit finds an overuse problem rather than an injury, come back to heelpath "
        "for a home plan."
    ),
    ("settle", ""): (
        "Calm the pain while staying active. These ease pain; they do not heal the tendon "
        "by themselves, so start the next part this week too, not only once the pain "
        "has gone."
    ),
    ("load_and_correct", ""): (
        "Strengthen the tendon step by step and take the strain off it with shoes and "
        "supports. Some discomfort during the exercises is expected: up to 5 out of 10, "
        "settled by the next morning."
    ),
    ("settle", "child"): (
        "Ease the pain and keep your child active within it. Growing-heel pain settles for "
        "good as the heel finishes growing."
    ),
    ("load_and_correct", "child"): (
        "A growing heel needs less strain, not heavy exercise: light, pain-free activity, "
        "cushioning and a heel raise."
    ),
    ("return_to_activity", ""): (
        "Build back up by the pain-monitoring rule, one small step at a time."
    ),
    ("when_to_get_help", ""): (
        "Most heel pain settles with home care, slowly. Get help if it does not, and at "
        "once if a warning sign appears."
    ),
}


@dataclass(frozen=True, slots=True)
class _Context:
    case: Case
    level: str
    close: tuple[str, ...]  # the conditions the plan serves, most probable first
    close_set: frozenset[str]
    facts: Facts
    variants: tuple[Facts, ...]  # facts with each close condition as the leading one
    fired: tuple[str, ...]  # fired red-flag rule ids, highest level first
    adds: tuple[str, ...]  # interventions the fired rules add
    top_adds: frozenset[str]  # those added by rules at the triage level itself
    child: bool

    @property
    def urgent(self) -> bool:
        return level_rank(self.level) >= URGENT_RANK

    def any_variant(self, predicate: Predicate) -> bool:
        return any(predicate(f) for f in self.variants)


def close_conditions(differential: Differential) -> tuple[str, ...]:
    """The top condition and those close to it, most probable first (at most three)."""
    if not differential.scores:
        return ()
    bar = max(CLOSE_FLOOR, CLOSE_RATIO * differential.leading.probability)
    close = [differential.leading.id]
    close += [s.id for s in differential.scores[1:] if s.probability >= bar]
    return tuple(close[:MAX_CLOSE])


def _context(case: Case, differential: Differential, triage: Triage) -> _Context:
    facts = facts_for(case, differential, triage.fired_ids())
    close = close_conditions(differential)
    variants = tuple(replace(facts, leading=c) for c in close) or (facts,)
    adds: list[str] = []
    for rule in triage.fired:
        adds += [a for a in rule.adds if a not in adds]
    top = frozenset(a for r in triage.fired if r.level == triage.level for a in r.adds)
    return _Context(
        case=case,
        level=triage.level,
        close=close,
        close_set=frozenset(close),
        facts=facts,
        variants=variants,
        fired=tuple(r.id for r in triage.fired),
        adds=tuple(adds),
        top_adds=top,
        child=case.age < CHILD_BELOW,
    )


def _unique(texts: Iterable[str | None]) -> list[str]:
    out: list[str] = []
    for t in texts:
        if t and t not in out:
            out.append(t)
    return out


def _item(iv: Intervention, ctx: _Context, screening: Screening) -> PlanItem:
    """One plan item: instructions personalised to level, conditions, rules, shoes and work."""
    child = iv.for_child if ctx.child else None
    footwear = ctx.case.footwear
    shoe_texts = (
        [iv.by_footwear.get(f) for f in footwear] if footwear else [iv.by_footwear.get("default")]
    )
    parts = _unique(
        [
            child.instructions if child else iv.instructions,
            iv.by_level.get(ctx.level),
            *(iv.by_condition.get(c) for c in ctx.close),
            *(iv.by_rule.get(r) for r in ctx.fired),
            *shoe_texts,
            iv.by_work.get(ctx.case.work) if ctx.case.work else None,
        ]
    )
    if iv.choosing:
        parts.append(f"How to choose: {iv.choosing}")
    parts += [f"Take care: {note}" for note in screening.cautions.get(iv.id, ())]
    dose = child.dose if child and child.dose else iv.dose_for(ctx.level)
    return PlanItem(
        intervention=iv.id,
        title=iv.title,
        instructions=" ".join(parts),
        dose=dose.text(),
        evidence=iv.evidence_for(ctx.close).words(),
        note=iv.seed_note,
    )


def _phase(pid: str, ctx: _Context, items: Sequence[PlanItem]) -> Phase:
    variant = "child" if ctx.child and (pid, "child") in _TITLES else ""
    if pid == "get_seen":
        variant = ctx.level
    return Phase(
        id=pid,
        title=_TITLES[(pid, variant)],
        items=tuple(items),
        summary=_SUMMARIES[(pid, variant)],
    )


def _asked_for(iv: Intervention, ctx: _Context) -> bool:
    """A fired rule adds it, or its own include_when holds: it is offered whatever else."""
    return iv.id in ctx.adds or iv.include_when(ctx.facts)


def _companions_settled(chosen: list[Intervention], ctx: _Context) -> list[Intervention]:
    """Drop items whose required companion is missing (compression before stability), then
    items another one replaces (one appointment, not two) unless they were asked for."""
    ids = {iv.id for iv in chosen}
    chosen = [iv for iv in chosen if all(r in ids for r in iv.requires)]
    ids = {iv.id for iv in chosen}
    return [iv for iv in chosen if _asked_for(iv, ctx) or not any(r in ids for r in iv.replaced_by)]


def _offered_at_home(iv: Intervention, ctx: _Context) -> bool:
    if iv.kind == "care":
        return False
    if _asked_for(iv, ctx):
        return True
    if not iv.serves_any(ctx.close_set):
        return False
    return iv.only_when is None or iv.only_when(ctx.facts)


def _home_phases(
    interventions: Sequence[Intervention], ctx: _Context, screening: Screening
) -> list[Phase]:
    chosen = _companions_settled(
        [iv for iv in interventions if _offered_at_home(iv, ctx) and screening.allows(iv.id)],
        ctx,
    )
    by_phase: dict[str, list[PlanItem]] = {pid: [] for pid in _HOME_ORDER}
    for iv in chosen:
        pid = iv.phase
        if iv.kind == "refer":
            # soon: the appointment comes first; self-care: it is the safety net at the end
            pid = "get_seen" if ctx.level == "soon" else "when_to_get_help"
        by_phase[pid].append(_item(iv, ctx, screening))
    return [_phase(pid, ctx, items) for pid, items in by_phase.items() if items]


def _urgent_phases(
    interventions: Sequence[Intervention], ctx: _Context, screening: Screening
) -> list[Phase]:
    care_id = CALL_NOW if ctx.level == "emergency" else GO_TODAY
    by_id = {iv.id: iv for iv in interventions}
    until_seen: list[Intervention] = [by_id[care_id]]
    after_seen: list[Intervention] = []
    for iv in interventions:
        if iv.kind == "care" or not screening.allows(iv.id):
            continue
        if ctx.any_variant(iv.until_seen_when):
            until_seen.append(iv)
        elif ctx.any_variant(iv.after_seen_when) or (iv.kind == "refer" and _asked_for(iv, ctx)):
            after_seen.append(iv)
        elif iv.id in ctx.top_adds:
            # added by a rule at this level: advice for the wait. Home care added by
            # lower-level rules waits for the clinician's verdict.
            until_seen.append(iv)
    return [
        _phase("get_seen", ctx, [_item(iv, ctx, screening) for iv in until_seen]),
        # kept even when empty: its summary says what happens after the visit
        _phase("after_seen", ctx, [_item(iv, ctx, screening) for iv in after_seen]),
    ]


def _not_recommended(
    interventions: Sequence[Intervention], ctx: _Context, used: frozenset[str], avoided: set[str]
) -> list[Avoided]:
    """Seed advice the evidence does not support for the likely conditions, and why."""
    out = []
    for iv in interventions:
        if iv.id in used or iv.id in avoided:
            continue
        reasons = _unique(nr.reason for nr in iv.not_recommended if nr.conditions & ctx.close_set)
        if reasons:
            out.append(Avoided(iv.id, " ".join(reasons)))
    return out


def build_plan(
    knowledge: Knowledge, case: Case, differential: Differential, triage: Triage
) -> Plan:
    """Build the person's plan from the differential and triage, screened for safety."""
    interventions: tuple[Intervention, ...] = knowledge.interventions
    ctx = _context(case, differential, triage)
    screening = screen(interventions, ctx.variants, triage.level)
    phases = (
        _urgent_phases(interventions, ctx, screening)
        if ctx.urgent
        else _home_phases(interventions, ctx, screening)
    )
    avoid = list(screening.avoided())
    if not ctx.urgent:  # home-care advice the evidence does not support; moot before a visit
        used = frozenset(item.intervention for p in phases for item in p.items)
        avoid += _not_recommended(interventions, ctx, used, {a.intervention for a in avoid})
    return Plan(phases=tuple(phases), avoid=tuple(avoid))

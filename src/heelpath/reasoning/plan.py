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

import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from heelpath.contract import Case
from heelpath.knowledge.expressions import Facts, Predicate
from heelpath.knowledge.interventions import Intervention, never
from heelpath.knowledge.model import Knowledge
from heelpath.reasoning.results import (
    LEVELS,
    Avoided,
    Differential,
    Phase,
    Plan,
    PlanItem,
    Triage,
    level_rank,
)
from heelpath.reasoning.safety import (
    URGENT_RANK,
    Guards,
    Screening,
    any_holds,
    compile_guards,
    screen,
)
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
class _Entry:
    """One intervention as the plan uses it: what does not depend on the person, worked
    out once per knowledge (see ``_prepared``) rather than for every plan.

    Everything a plan reads of an intervention is copied here, so that building a
    plan never reaches into ``Intervention`` (an ordinary Python object, where each
    attribute is a dictionary look-up) and the texts by id are plain dicts rather than
    read-only mapping proxies.
    """

    id: str
    title: str
    note: str  # the seed note, if any
    care: bool
    refer: bool
    home_slot: int  # its phase's place in _HOME_ORDER
    serves_all: bool
    serves: int  # the bits of the conditions it serves (see _Prepared.condition_bits)
    requires: tuple[str, ...]
    replaced_by: tuple[str, ...]
    only_when: Predicate | None
    # the optional when-rules; None where the entry has none (``never``), so not evaluated
    include_when: Predicate | None
    until_seen_when: Predicate | None
    after_seen_when: Predicate | None
    instructions: str  # the adult ones
    child_instructions: str  # for_child's instructions, else the adult ones
    how_to_choose: tuple[str, ...]  # the "How to choose" part, if the entry has one
    personal: bool  # has sentences by level, condition, rule, footwear or work
    by_level: dict[str, str]
    by_condition: dict[str, str]
    by_rule: dict[str, str]
    by_footwear: dict[str, str]
    by_work: dict[str, str]
    doses: tuple[str, ...]  # dose text by _Context.slot (triage level, a child's after)
    evidence: dict[str, str]  # condition -> words of the first evidence entry naming it
    general_evidence: str  # words of the entry shown when no close condition is named
    # the item as everyone gets it when no personal sentence and no caution applies:
    # by evidence words, then by _Context.slot
    plain_items: dict[str, tuple[PlanItem, ...]]

    def evidence_for(self, close: tuple[str, ...]) -> str:
        """``Intervention.evidence_for(close).words()``, from the words worked out once."""
        if not self.evidence:  # no entry names a condition (most interventions)
            return self.general_evidence
        for cid in close:
            words = self.evidence.get(cid)
            if words is not None:
                return words
        return self.general_evidence


def _slot(level: str, child: bool) -> int:
    """Where a dose or plain item for this level and age group is kept in an _Entry."""
    return level_rank(level) + (len(LEVELS) if child else 0)


def _entry(iv: Intervention, condition_bits: dict[str, int]) -> _Entry:
    child = iv.for_child
    child_instructions = child.instructions if child else iv.instructions
    how_to_choose = (f"How to choose: {iv.choosing}",) if iv.choosing else ()
    evidence: dict[str, str] = {}
    for e in iv.evidence:  # knowledge order: the first entry naming a condition wins
        for cid in e.conditions:
            evidence.setdefault(cid, e.words())
    general = [e for e in iv.evidence if not e.conditions]
    general_evidence = (general[0] if general else iv.evidence[0]).words()
    plain = " ".join([*_unique([iv.instructions]), *how_to_choose])
    plain_child = " ".join([*_unique([child_instructions]), *how_to_choose])
    # by slot: the adult dose for each level, then the child's for each level
    doses = tuple(iv.dose_for(level).text() for level in LEVELS) + tuple(
        (child.dose if child and child.dose else iv.dose_for(level)).text() for level in LEVELS
    )
    plain_items = {
        words: tuple(
            PlanItem(
                intervention=iv.id,
                title=iv.title,
                instructions=plain_child if is_child else plain,
                dose=doses[_slot(level, is_child)],
                evidence=words,
                note=iv.seed_note,
            )
            for is_child in (False, True)
            for level in LEVELS
        )
        for words in {*evidence.values(), general_evidence}
    }
    return _Entry(
        id=iv.id,
        title=iv.title,
        note=iv.seed_note,
        care=iv.kind == "care",
        refer=iv.kind == "refer",
        home_slot=_HOME_ORDER.index(iv.phase),
        serves_all=iv.serves_all,
        serves=_mask(iv.serves, condition_bits),
        requires=tuple(iv.requires),
        replaced_by=tuple(iv.replaced_by),
        only_when=iv.only_when,
        include_when=None if iv.include_when is never else iv.include_when,
        until_seen_when=None if iv.until_seen_when is never else iv.until_seen_when,
        after_seen_when=None if iv.after_seen_when is never else iv.after_seen_when,
        instructions=iv.instructions,
        child_instructions=child_instructions,
        how_to_choose=how_to_choose,
        personal=bool(iv.by_level or iv.by_condition or iv.by_rule or iv.by_footwear or iv.by_work),
        by_level=dict(iv.by_level),
        by_condition=dict(iv.by_condition),
        by_rule=dict(iv.by_rule),
        by_footwear=dict(iv.by_footwear),
        by_work=dict(iv.by_work),
        doses=doses,
        evidence=evidence,
        general_evidence=general_evidence,
        plain_items=plain_items,
    )


@dataclass(frozen=True, slots=True)
class _AdvisedAgainst:
    """An intervention's not_recommended entries, as ``_not_recommended`` uses them."""

    id: str
    entries: tuple[tuple[int, str], ...]  # (condition bits, reason) of each entry
    # its plan.avoid entry by which entries apply (entry i: bit 1 << i), worked out once
    # for every combination (none if there are too many)
    avoided: dict[int, Avoided]

    def avoided_for(self, close_bits: int) -> Avoided | None:
        """The plan.avoid entry when some entry names a close condition, else None."""
        applying = 0
        for i, (conditions, _) in enumerate(self.entries):
            if conditions & close_bits:
                applying |= 1 << i
        if not applying:
            return None
        avoided = self.avoided.get(applying)
        return _avoided(self.id, self.entries, applying) if avoided is None else avoided


def _avoided(iid: str, entries: tuple[tuple[int, str], ...], applying: int) -> Avoided:
    """The plan.avoid entry for the applying entries: their reasons, each once, in order."""
    reasons: list[str] = []
    for i, (_, reason) in enumerate(entries):
        if applying >> i & 1:
            _add(reasons, reason)
    return Avoided(iid, " ".join(reasons))


def _advised_against(iv: Intervention, condition_bits: dict[str, int]) -> _AdvisedAgainst:
    entries = tuple((_mask(nr.conditions, condition_bits), nr.reason) for nr in iv.not_recommended)
    avoided: dict[int, Avoided] = {}
    if len(entries) <= 12:  # at most 2**12 combinations are worked out ahead
        for applying in range(1, 1 << len(entries)):
            avoided[applying] = _avoided(iv.id, entries, applying)
    return _AdvisedAgainst(iv.id, entries, avoided)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """What the plan needs of one knowledge base that no person changes, worked out once."""

    entries: tuple[_Entry, ...]  # knowledge order
    home_entries: tuple[_Entry, ...]  # the same less the care steps, which only urgent plans give
    by_id: dict[str, _Entry]
    include_rules: tuple[tuple[str, Predicate], ...]  # (id, include_when) where there is one
    guards: Guards  # the safety filter's contraindications and cautions
    advised_against: tuple[_AdvisedAgainst, ...]  # of each one with not_recommended entries
    # A bit for each condition: a set of conditions is then one int, and whether an
    # intervention serves (or is advised against for) any close condition is one ``&``
    # rather than a frozenset method call (a generic call, when compiled).
    condition_bits: dict[str, int]


def _mask(conditions: Iterable[str], condition_bits: dict[str, int]) -> int:
    """The bits of ``conditions`` or'ed together; a condition without a bit adds none
    (no intervention names it, so it can match nothing)."""
    mask = 0
    for cid in conditions:
        mask |= condition_bits.get(cid, 0)
    return mask


def _prepare(knowledge: Knowledge) -> _Prepared:
    interventions: tuple[Intervention, ...] = knowledge.interventions
    named = {c.id for c in knowledge.conditions}
    for iv in interventions:
        named.update(iv.serves)
        for nr in iv.not_recommended:
            named.update(nr.conditions)
    bits = {cid: 1 << n for n, cid in enumerate(sorted(named))}
    entries = tuple(_entry(iv, bits) for iv in interventions)
    return _Prepared(
        entries=entries,
        by_id={e.id: e for e in entries},
        home_entries=tuple(e for e in entries if not e.care),
        include_rules=tuple((e.id, e.include_when) for e in entries if e.include_when),
        guards=compile_guards(interventions),
        advised_against=tuple(
            _advised_against(iv, bits) for iv in interventions if iv.not_recommended
        ),
        condition_bits=bits,
    )


# _Prepared by id() of its knowledge, with a weak reference that both confirms the
# entry is for that very object and removes the entry when the knowledge is freed
# (Knowledge holds dicts, so it cannot be a dictionary key itself).
_PREPARED: dict[int, tuple[weakref.ref[Knowledge], _Prepared]] = {}


def _prepared(knowledge: Knowledge) -> _Prepared:
    """The knowledge's _Prepared, built for its first plan (never at import)."""
    key = id(knowledge)
    cached = _PREPARED.get(key)
    if cached is not None and cached[0]() is knowledge:
        return cached[1]
    prepared = _prepare(knowledge)

    def forget(ref: weakref.ref[Knowledge]) -> None:
        current = _PREPARED.get(key)
        if current is not None and current[0] is ref:
            del _PREPARED[key]

    _PREPARED[key] = (weakref.ref(knowledge, forget), prepared)
    return prepared


# init=False and a hand-written __init__: mypyc compiles it to direct slot stores,
# where the __init__ that dataclass generates runs as interpreted Python (see Facts).
@dataclass(frozen=True, slots=True, init=False)
class _Context:
    """What every part of one person's plan needs to know about them."""

    level: str
    urgent: bool  # urgent or emergency: get seen first
    child: bool
    slot: int  # where this level and age group's dose and plain item are kept (_slot)
    close: tuple[str, ...]  # the conditions the plan serves, most probable first
    close_bits: int  # their bits (_Prepared.condition_bits)
    facts: Facts
    variants: tuple[Facts, ...]  # facts with each close condition as the leading one
    fired: tuple[str, ...]  # fired red-flag rule ids, highest level first
    # offered whatever else: a fired rule adds it, or its own include_when holds
    asked: set[str]
    top_adds: set[str]  # those added by rules at the triage level itself

    def __init__(
        self,
        level: str,
        child: bool,
        close: tuple[str, ...],
        close_bits: int,
        facts: Facts,
        variants: tuple[Facts, ...],
        fired: tuple[str, ...],
        asked: set[str],
        top_adds: set[str],
    ) -> None:
        object.__setattr__(self, "level", level)
        object.__setattr__(self, "urgent", level_rank(level) >= URGENT_RANK)
        object.__setattr__(self, "child", child)
        object.__setattr__(self, "slot", _slot(level, child))
        object.__setattr__(self, "close", close)
        object.__setattr__(self, "close_bits", close_bits)
        object.__setattr__(self, "facts", facts)
        object.__setattr__(self, "variants", variants)
        object.__setattr__(self, "fired", fired)
        object.__setattr__(self, "asked", asked)
        object.__setattr__(self, "top_adds", top_adds)


def close_conditions(differential: Differential) -> tuple[str, ...]:
    """The top condition and those close to it, most probable first (at most three)."""
    if not differential.scores:
        return ()
    bar = max(CLOSE_FLOOR, CLOSE_RATIO * differential.leading.probability)
    close = [differential.leading.id]
    close += [s.id for s in differential.scores[1:] if s.probability >= bar]
    return tuple(close[:MAX_CLOSE])


def _context(
    prepared: _Prepared, case: Case, differential: Differential, triage: Triage
) -> _Context:
    level = triage.level
    fired: list[str] = []
    asked: set[str] = set()
    top: set[str] = set()
    for rule in triage.fired:
        fired.append(rule.id)
        asked.update(rule.adds)
        if rule.level == level:
            top.update(rule.adds)
    # frozenset(fired) is triage.fired_ids(), from the ids just gathered
    facts = facts_for(case, differential, frozenset(fired))
    close = close_conditions(differential)
    # One Facts per close condition as the leading one. ``facts`` already leads with
    # the first, so it is used as it is rather than copied.
    variants = [facts if c == facts.leading else facts.with_leading(c) for c in close]
    for iid, include_when in prepared.include_rules:
        if include_when(facts):
            asked.add(iid)
    return _Context(
        level=level,
        child=case.age < CHILD_BELOW,
        close=close,
        close_bits=_mask(close, prepared.condition_bits),
        facts=facts,
        variants=tuple(variants) if variants else (facts,),
        fired=tuple(fired),
        asked=asked,
        top_adds=top,
    )


def _unique(texts: Iterable[str | None]) -> list[str]:
    out: list[str] = []
    for t in texts:
        _add(out, t)
    return out


def _add(texts: list[str], text: str | None) -> None:
    """Append ``text`` unless it is empty, missing or already there."""
    if text and text not in texts:
        texts.append(text)


def _add_personal_texts(texts: list[str], e: _Entry, ctx: _Context) -> None:
    """Add the entry's sentences for this person's level, likely conditions, fired rules,
    shoes and work, in that order, each once."""
    _add(texts, e.by_level.get(ctx.level))
    if e.by_condition:
        for c in ctx.close:
            _add(texts, e.by_condition.get(c))
    if e.by_rule:
        for r in ctx.fired:
            _add(texts, e.by_rule.get(r))
    if e.by_footwear:
        footwear = ctx.facts.footwear
        if footwear:
            for f in footwear:
                _add(texts, e.by_footwear.get(f))
        else:
            _add(texts, e.by_footwear.get("default"))
    work = ctx.facts.work
    if e.by_work and work:
        _add(texts, e.by_work.get(work))


def _item(e: _Entry, ctx: _Context, cautions: tuple[str, ...] | None) -> PlanItem:
    """One plan item: instructions personalised to level, conditions, rules, shoes and work,
    with the safety filter's ``cautions`` for it (None: none)."""
    evidence = e.evidence_for(ctx.close)
    # the instructions, then each personal sentence that is not already there
    parts = [e.child_instructions if ctx.child else e.instructions]
    if e.personal:
        _add_personal_texts(parts, e, ctx)
    if len(parts) == 1 and not cautions:
        # nothing in it is this person's own: the item everyone of this age group,
        # level and evidence gets, made once
        return e.plain_items[evidence][ctx.slot]
    parts += e.how_to_choose
    if cautions:
        for note in cautions:
            parts.append(f"Take care: {note}")
    # PlanItem(intervention, title, instructions, dose, evidence, note): by position, as
    # are Phase and Plan below. Their __init__ is interpreted Python (dataclass-made),
    # where keyword arguments cost noticeably more to match than positional ones.
    return PlanItem(e.id, e.title, " ".join(parts), e.doses[ctx.slot], evidence, e.note)


# (title, summary) of each phase by (phase id, variant): the triage level for get_seen,
# "child" where a child's version exists, else ""
_HEADS = {key: (title, _SUMMARIES[key]) for key, title in _TITLES.items()}
_CHILD_PHASES = frozenset(pid for pid, variant in _TITLES if variant == "child")


def _phase(pid: str, ctx: _Context, items: list[PlanItem]) -> Phase:
    if pid == "get_seen":
        variant = ctx.level
    elif ctx.child and pid in _CHILD_PHASES:
        variant = "child"
    else:
        variant = ""
    title, summary = _HEADS[pid, variant]
    return Phase(pid, title, tuple(items), summary)  # (id, title, items, summary)


def _companions_settled(chosen: list[_Entry], ctx: _Context) -> list[_Entry]:
    """Drop items whose required companion is missing (compression before stability), then
    items another one replaces (one appointment, not two) unless they were asked for."""
    ids = {e.id for e in chosen}
    kept = [e for e in chosen if _all_in(e.requires, ids)]
    if len(kept) != len(chosen):
        ids = {e.id for e in kept}
    return [e for e in kept if _none_in(e.replaced_by, ids) or e.id in ctx.asked]


# Plain loops over the few ids rather than set methods (generic calls, when compiled).
def _all_in(names: tuple[str, ...], ids: set[str]) -> bool:
    for name in names:  # noqa: SIM110
        if name not in ids:
            return False
    return True


def _none_in(names: tuple[str, ...], ids: set[str]) -> bool:
    for name in names:  # noqa: SIM110
        if name in ids:
            return False
    return True


def _offered_at_home(e: _Entry, ctx: _Context) -> bool:
    if e.id in ctx.asked:
        return True
    if not (e.serves_all or e.serves & ctx.close_bits):  # serves none of them
        return False
    return e.only_when is None or e.only_when(ctx.facts)


# where a referral goes at home: soon, the appointment comes first; self-care, it is
# the safety net at the end
_BOOK_SLOT = _HOME_ORDER.index("get_seen")
_SAFETY_NET_SLOT = _HOME_ORDER.index("when_to_get_help")


def _home_phases(prepared: _Prepared, ctx: _Context, screening: Screening) -> list[Phase]:
    removed = screening.removed
    chosen = [e for e in prepared.home_entries if e.id not in removed and _offered_at_home(e, ctx)]
    refer_slot = _BOOK_SLOT if ctx.level == "soon" else _SAFETY_NET_SLOT
    cautions = screening.cautions
    by_phase: list[list[PlanItem]] = [[] for _ in _HOME_ORDER]
    for e in _companions_settled(chosen, ctx):
        slot = refer_slot if e.refer else e.home_slot
        by_phase[slot].append(_item(e, ctx, cautions.get(e.id)))
    return [_phase(pid, ctx, by_phase[i]) for i, pid in enumerate(_HOME_ORDER) if by_phase[i]]


def _urgent_phases(prepared: _Prepared, ctx: _Context, screening: Screening) -> list[Phase]:
    care_id = CALL_NOW if ctx.level == "emergency" else GO_TODAY
    until_seen: list[_Entry] = [prepared.by_id[care_id]]
    after_seen: list[_Entry] = []
    removed = screening.removed
    variants = ctx.variants
    for e in prepared.entries:
        if e.care or e.id in removed:
            continue
        if e.until_seen_when is not None and any_holds(e.until_seen_when, variants):
            until_seen.append(e)
        elif (e.after_seen_when is not None and any_holds(e.after_seen_when, variants)) or (
            e.refer and e.id in ctx.asked
        ):
            after_seen.append(e)
        elif e.id in ctx.top_adds:
            # added by a rule at this level: advice for the wait. Home care added by
            # lower-level rules waits for the clinician's verdict.
            until_seen.append(e)
    cautions = screening.cautions
    return [
        _phase("get_seen", ctx, [_item(e, ctx, cautions.get(e.id)) for e in until_seen]),
        # kept even when empty: its summary says what happens after the visit
        _phase("after_seen", ctx, [_item(e, ctx, cautions.get(e.id)) for e in after_seen]),
    ]


def _not_recommended(
    prepared: _Prepared, ctx: _Context, phases: Sequence[Phase], screening: Screening
) -> list[Avoided]:
    """Seed advice the evidence does not support for the likely conditions, and why:
    for interventions neither in the plan nor already avoided for a safety reason."""
    out = []
    planned: set[str] | None = None  # the plan's interventions, gathered when first needed
    for advised in prepared.advised_against:
        avoided = advised.avoided_for(ctx.close_bits)
        if avoided is None or advised.id in screening.removed:
            continue
        if planned is None:
            planned = {item.intervention for p in phases for item in p.items}
        if advised.id in planned:
            continue
        out.append(avoided)
    return out


def build_plan(
    knowledge: Knowledge, case: Case, differential: Differential, triage: Triage
) -> Plan:
    """Build the person's plan from the differential and triage, screened for safety."""
    prepared = _prepared(knowledge)
    ctx = _context(prepared, case, differential, triage)
    screening = screen(prepared.guards, ctx.variants, triage.level)
    phases = (
        _urgent_phases(prepared, ctx, screening)
        if ctx.urgent
        else _home_phases(prepared, ctx, screening)
    )
    avoid = screening.avoided()
    if not ctx.urgent:  # home-care advice the evidence does not support; moot before a visit
        avoid += tuple(_not_recommended(prepared, ctx, phases, screening))
    return Plan(tuple(phases), avoid)  # (phases, avoid)

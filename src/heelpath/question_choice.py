"""Which question to ask next, and when to stop asking: the adaptive interview's choice.

Pure: no I/O, no web. ``heelpath.interview`` turns the choice into screens.

For each question not yet asked that could matter, the engine is run twice more,
once as if the answer were yes and once as if it were no, and the question is
scored by

- the expected information it gives about the differential: the drop in its
  entropy, with the can't-miss conditions (those the red-flag rules watch)
  weighted up, averaged over yes and no by how likely each answer is; and
- how far it could move the triage level, weighted by that answer's chance.

How likely a "yes" is comes from the differential itself: Bayesian updating
keeps the expected posterior equal to the prior (conservation of expected
evidence), so the chance of a yes is the mixing weight that best rebuilds the
current differential from the yes- and no-differentials.

What each answer would do to the triage level and the leading condition is the
same search that lists the assessment's ``open_questions``
(``reasoning/questions.py``: a cheap, exact bound first, then both answers tried),
so the interview and the answer cannot disagree.

A question is *worth asking*:

- when one of its answers alone could **raise** the triage level (always asked);
- when it is the next step towards a rule of a higher level than now that could
  still fire (the rule's unasked findings taken as yes: the rule language has no
  negation, so that is the most a rule can get; for a rule that reads a
  condition's chance or share, the three strongest unasked findings for that
  condition as yes too). One question at a time per rule: one the rule cannot
  fire without, the one most likely to be a "no", so a "no" ends that way at
  once (always asked);
- while fewer than ``MAX_REFINING`` questions were chosen: when one of its
  answers could lower the level or change the leading condition (never for a
  place left unticked in "where does it hurt?": see ``heelpath.interview``);
- last, once nothing above is left: when its "yes" would take an item out of
  the plan as it then stands, or add a caution to it (kidney disease for
  anti-inflammatory tablets).

The interview stops when nothing is worth asking.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from heelpath.case import Case
from heelpath.knowledge.expressions import findings_named
from heelpath.knowledge.model import Knowledge
from heelpath.reasoning.differential import compile_model, score
from heelpath.reasoning.plan import build_plan
from heelpath.reasoning.questions import answer_effects, askable
from heelpath.reasoning.results import Differential, Triage, level_rank
from heelpath.reasoning.triage import CompiledRule, compile_rules, facts_for, triage

# A can't-miss condition's share counts this many times in the weighted entropy
# (estimate: missing one costs several times more than a wrong benign label).
CANT_MISS_WEIGHT = 3.0
# One step of triage level counts as this many nats of information (estimate: a
# level change is what the person acts on, so it outranks any refinement).
LEVEL_WEIGHT = 2.0
# The chance of "yes" for a question the differential cannot see (a warning
# sign that only a rule reads): most people do not have a given warning sign.
DEFAULT_YES = 0.1
YES_MIN, YES_MAX = 0.05, 0.95
# At most this many questions that only decide between conditions (the leading
# one) are asked; questions that could raise the level are always asked.
MAX_REFINING = 20
# A rule that reads a condition's chance or share is tried with this many of the
# condition's strongest unasked supporters taken as yes (estimate: three findings
# together are about what a typical story adds for one condition).
LOOKAHEAD = 3


@dataclass(frozen=True, slots=True)
class Outlook:
    """What the engine says for one set of answers: the triage and the differential."""

    differential: Differential
    triage: Triage

    @property
    def level(self) -> int:
        return level_rank(self.triage.level)

    @property
    def leading(self) -> str:
        return self.differential.leading.id


@dataclass(frozen=True, slots=True)
class Candidate:
    """One question weighed: its score and why it is worth asking (if it is)."""

    finding: str
    score: float
    chance_yes: float
    raises_level: bool  # one of its answers alone gives a higher level than now
    lowers_level: bool  # one of its answers alone gives a lower level than now
    changes_leading: bool  # one of its answers alone changes the leading condition
    reaches_rule: bool = False  # the next question towards a higher rule that could fire
    guards_plan: bool = False  # its "yes" takes something out of the plan, or adds a caution

    @property
    def changes_level(self) -> bool:
        return self.raises_level or self.lowers_level

    @property
    def raises_safety(self) -> bool:
        """Asked whatever the cap: it could raise the level, now or with later answers."""
        return self.raises_level or self.reaches_rule


def conditions_named(expr: Any) -> set[str]:
    """The condition ids an expression reads (chance, share or leading)."""
    out: set[str] = set()
    if isinstance(expr, Mapping):
        for key, arg in expr.items():
            if key in ("chance_at_least", "share_at_least") and isinstance(arg, Mapping):
                out.add(str(arg["condition"]))
            elif key == "leading":
                out |= {str(a) for a in arg}
            elif key in ("any", "all"):
                for a in arg:
                    out |= conditions_named(a)
    return out


class QuestionChooser:
    """Weighs the open questions for one knowledge base."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.model = compile_model(knowledge)
        self.rules: tuple[CompiledRule, ...] = compile_rules(knowledge)
        self.red_flag_ids = frozenset(f.id for f in knowledge.findings if f.red_flag)
        self.ask = askable(self.model, self.rules, self.red_flag_ids)
        # per condition: the findings whose "yes" makes it more likely, strongest first
        strength: dict[str, list[tuple[float, int, str]]] = {}
        for i, lr in enumerate(knowledge.likelihood_ratios):
            if lr.lr_pos is not None and lr.lr_pos > 1:
                strength.setdefault(lr.condition, []).append((-lr.lr_pos, i, lr.finding))
        self._supporters = {
            cid: tuple(fid for _, _, fid in sorted(terms)) for cid, terms in strength.items()
        }
        watched: set[str] = set()
        # per rule: the findings it names, and the conditions whose chance or share it reads
        self._rule_findings: dict[str, frozenset[str]] = {}
        self._rule_conditions: dict[str, tuple[str, ...]] = {}
        for c in self.rules:
            conditions = conditions_named(c.rule.when)
            if level_rank(c.rule.level) > 0:
                watched |= conditions
            self._rule_findings[c.rule.id] = frozenset(c.findings)
            self._rule_conditions[c.rule.id] = tuple(sorted(conditions))
        self.cant_miss = frozenset(watched)
        self._weight = {
            c.id: CANT_MISS_WEIGHT if c.id in watched else 1.0 for c in knowledge.conditions
        }
        # per intervention: the findings of its contraindications and cautions, but not
        # those its own caution covers while they are unanswered (``if_unknown``)
        self._guards: dict[str, frozenset[str]] = {}
        for item in knowledge.interventions:
            named: set[str] = set()
            for guard in (*item.contraindications, *item.cautions):
                named |= findings_named(guard.when)
            for guard in item.if_unknown:
                named -= findings_named(guard.when)
            if named:
                self._guards[item.id] = frozenset(named)

    # -- the engine, as the interview uses it ----------------------------------------------

    def outlook(self, case: Case) -> Outlook:
        differential = score(self.model, case)
        return Outlook(
            differential,
            triage(self.rules, case, differential, self._rescore, self.red_flag_ids),
        )

    def _rescore(self, case: Case) -> Differential:
        return score(self.model, case)

    def _entropy(self, d: Differential) -> float:
        h = 0.0
        for s in d.scores:
            if s.probability > 0:
                h -= self._weight[s.id] * s.probability * math.log(s.probability)
        if d.residual > 0:
            h -= d.residual * math.log(d.residual)
        return h

    # -- weighing the open questions -------------------------------------------------------

    def weigh(
        self,
        case: Case,
        open_findings: Iterable[str],
        guarded: Collection[str] = (),
        not_supporters: Collection[str] = (),
    ) -> list[Candidate]:
        """The open questions that could matter, weighed, the most useful first (ties in
        the order given); a question no answer of which could change anything is left out.

        What each answer would do to the level and the leader is the open-questions search
        of the assessment (``reasoning/questions.py``), so the interview and the answer's
        ``open_questions`` cannot disagree. ``guarded``: the plan's safety questions
        (:meth:`plan_guards`), weighed too. ``not_supporters``: open questions never taken
        as a condition's likely supporters when looking ahead (:meth:`_rule_paths`).
        """
        open_list = list(dict.fromkeys(open_findings))
        open_set = frozenset(open_list)
        base = self.outlook(case)
        effects = {
            e.finding: e
            for e in answer_effects(self.ask, case, base.differential, base.triage, open_set)
        }
        paths = self._rule_paths(case, base, open_set, frozenset(not_supporters))
        guarded = frozenset(guarded) & open_set
        wanted = set(effects) | guarded | {fid for path in paths for fid in path}
        h0 = self._entropy(base.differential)
        p0 = {s.id: s.probability for s in base.differential.scores}
        lead = base.leading
        weighed: dict[str, Candidate] = {}
        for fid in open_list:
            if fid not in wanted:
                continue
            e = effects.get(fid)
            if e is None:
                yes = score(self.model, replace(case, findings={**case.findings, fid: True}))
                no = score(self.model, replace(case, findings={**case.findings, fid: False}))
                level_yes = level_no = base.level
            else:
                yes, no, level_yes, level_no = e.yes, e.no, e.level_yes, e.level_no
            q = _chance_of_yes(p0, yes, no)
            gain = h0 - q * self._entropy(yes) - (1 - q) * self._entropy(no)
            moves = q * abs(level_yes - base.level) + (1 - q) * abs(level_no - base.level)
            weighed[fid] = Candidate(
                finding=fid,
                score=max(gain, 0.0) + LEVEL_WEIGHT * moves,
                chance_yes=q,
                raises_level=max(level_yes, level_no) > base.level,
                lowers_level=min(level_yes, level_no) < base.level,
                changes_leading=yes.leading.id != lead or no.leading.id != lead,
                guards_plan=fid in guarded,
            )
        for path in paths:
            # one question at a time towards each rule: the one most likely to end it
            best = min(
                (weighed[fid] for fid in path),
                key=lambda c: (c.chance_yes, -c.score, open_list.index(c.finding)),
            )
            weighed[best.finding] = replace(best, reaches_rule=True)
        out = list(weighed.values())
        out.sort(key=lambda c: -c.score)  # stable: ties keep the order given
        return out

    def _fires(self, case: Case, rule: CompiledRule, helpers: Iterable[str]) -> bool:
        """Whether the rule fires with these findings taken as yes too."""
        best = replace(case, findings={**case.findings, **dict.fromkeys(helpers, True)})
        differential = score(self.model, best)
        if not rule.reads_differential:  # triage reads it on the answers alone
            return rule.predicate(facts_for(best, differential))
        fired = triage(self.rules, best, differential, self._rescore, self.red_flag_ids)
        return rule.rule.id in fired.fired_ids()

    def _rule_paths(
        self,
        case: Case,
        base: Outlook,
        open_set: frozenset[str],
        not_supporters: frozenset[str] = frozenset(),
    ) -> list[frozenset[str]]:
        """For each rule of a higher level than now that could still fire, the open
        findings to ask next: those it cannot fire without (when some are), else all
        those it needs together.

        A rule's own unasked findings are all taken as yes (the rule language has no
        negation, so that is the most the rule can get). A rule that reads a
        condition's chance or share (or which condition leads) is tried with the
        ``LOOKAHEAD`` strongest unasked supporters of that condition as yes too, leaving
        out ``not_supporters``: a place the person left unticked in "where does it hurt?"
        has as good as said it does not hurt there, so it is no likely part of the story
        (a rule that names the place itself still asks it).
        """
        out: list[frozenset[str]] = []
        for c in self.rules:
            if level_rank(c.rule.level) <= base.level:
                break  # rules are sorted highest level first
            named = self._rule_findings[c.rule.id] & open_set
            tries = [(named, False)] if named else []
            for cid in self._rule_conditions[c.rule.id]:
                strongest = [
                    f
                    for f in self._supporters.get(cid, ())
                    if f in open_set and f not in not_supporters
                ]
                if strongest:
                    tries.append((named | set(strongest[:LOOKAHEAD]), True))
            for helpers, lookahead in tries:
                if not self._fires(case, c, helpers):
                    continue
                if lookahead:
                    # a chance or share: the supporters are asked together, as the
                    # lookahead assumes
                    out.extend(frozenset({fid}) for fid in helpers)
                else:
                    needed = [h for h in helpers if not self._fires(case, c, helpers - {h})]
                    out.append(frozenset(needed or helpers))
                break
        return out

    def plan_guards(self, case: Case) -> frozenset[str]:
        """The findings that could take something in the plan out (or add a caution)."""
        base = self.outlook(case)
        plan = build_plan(self.knowledge, case, base.differential, base.triage)
        out: set[str] = set()
        for item in plan.interventions():
            out |= self._guards.get(item, frozenset())
        return frozenset(out)

    def next_findings(
        self,
        case: Case,
        open_findings: Collection[str],
        refining_asked: int,
        safety_only: Collection[str] = (),
    ) -> list[Candidate]:
        """The questions still worth asking, most useful first; empty when it is time to stop.

        First every question that could raise the level (alone, or as the next step
        towards a higher rule); with them, while fewer than ``MAX_REFINING`` questions
        were chosen (``refining_asked``), those that could change the level or the
        leader. Once none is left, the plan's safety questions, for the plan as it then
        stands (so nothing is asked for an item a later answer takes out).

        ``safety_only``: open questions that are never asked to refine (the places left
        unticked in "where does it hurt?"): only to raise the level or for the plan's safety,
        and never as a guessed supporter on the way to a rule that reads a chance.
        """
        weighed = self.weigh(case, open_findings, not_supporters=safety_only)
        asked = [
            c
            for c in weighed
            if c.raises_safety
            or (
                (c.changes_level or c.changes_leading)
                and refining_asked < MAX_REFINING
                and c.finding not in safety_only
            )
        ]
        if asked:
            return asked
        guards = self.plan_guards(case)
        guarded = [fid for fid in open_findings if fid in guards]  # in the order given
        return [c for c in self.weigh(case, guarded, guarded) if c.guards_plan]


def _chance_of_yes(p0: Mapping[str, float], yes: Differential, no: Differential) -> float:
    """The mixing weight q with q * yes + (1 - q) * no closest to the current differential."""
    num = den = 0.0
    for s in yes.scores:
        d = s.probability - no.probability(s.id)
        num += (p0[s.id] - no.probability(s.id)) * d
        den += d * d
    if den < 1e-12:
        return DEFAULT_YES
    return min(YES_MAX, max(YES_MIN, num / den))

"""The questions that would settle it: unanswered findings whose answer changes the result.

For each finding the person has not answered, both answers ("yes" and "no") are
tried: if either would change the triage level or the condition that leads the
differential, the finding is an open question. The most decisive come first:
those that would change both, then those that change the triage level (the
bigger step first), then the leader; among equals, the answer that would move
the probabilities the most, then the knowledge's order.

Trying an answer means scoring and triaging the case again, with the same
compiled model and rules as the answer itself, so the list cannot disagree with
what the person would get by answering. That costs about a millisecond an
answer, so a cheap, exact test goes first and skips the findings that cannot
change anything:

- one answer moves a condition's log odds by at most its larger log ratio plus
  the combinations the finding is part of (its *reach*; overlap damping and the
  product cap only shrink a move), so the leader can change only if another
  condition is within the two conditions' reaches of it;
- the level can change only through a rule at or above the current level: one
  that names the finding, or a probability threshold within reach of the value
  it reads (a share moves by at most the condition's reach plus the largest
  reach, since the others' moves change the total), on the answer shown or on
  any member of triage's closure over warning signs.

Pure: no I/O. The interview can call :func:`open_questions` with ``candidates``
to ask only among the questions it still has.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from heelpath.case import Case
from heelpath.knowledge.expressions import Facts, ProbabilityReads, probabilities_read
from heelpath.reasoning.differential import (
    SHOWN_SCALE,
    Model,
    log_ratios,
    model_priors,
    ranking_findings,
    score,
)
from heelpath.reasoning.results import Differential, Triage, level_rank
from heelpath.reasoning.triage import CompiledRule, Rescore, closed_facts, facts_for, triage

TRIAGE = "triage"
LEADING = "leading"
# Slack on every bound: floating point, shares shown rounded down to 4 decimals, and the
# "not listed" share kept at 3% or more (which rescales the listed ones a little).
SLACK = 0.05
FLOOR = 1 / SHOWN_SCALE  # a share shown as p is at least p and below p + FLOOR


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    """An unanswered finding and what answering it could change ("triage", "leading")."""

    finding: str
    would_change: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {"finding": self.finding, "would_change": list(self.would_change)}


@dataclass(frozen=True)
class Askable:
    """What the search needs besides the case, worked out once per knowledge base."""

    model: Model
    rules: tuple[CompiledRule, ...]
    red_flags: frozenset[str]
    findings: tuple[str, ...]  # the findings that can move anything, in knowledge order
    reach: Mapping[str, Mapping[str, float]]  # finding -> condition -> most one answer moves
    reads: Mapping[str, ProbabilityReads]  # rule id -> the probabilities it reads


def askable(model: Model, rules: tuple[CompiledRule, ...], red_flags: frozenset[str]) -> Askable:
    """Compile what :func:`open_questions` needs from the model and the rules."""
    reach: dict[str, dict[str, float]] = {}
    for fid, w in model.findings.items():
        for cid in w.present.keys() | w.absent.keys():
            move = max(abs(w.present.get(cid, 0.0)), abs(w.absent.get(cid, 0.0)))
            reach.setdefault(fid, {})[cid] = move
    for c in model.combined:
        # completing a pair may also displace a pair that shares a finding with it
        rivals = [
            o
            for o in model.combined
            if o.condition == c.condition and set(o.findings) & set(c.findings)
        ]
        for fid in c.findings:
            moves = reach.setdefault(fid, {})
            moves[c.condition] = moves.get(c.condition, 0.0) + sum(abs(o.log_ratio) for o in rivals)
    moving = set(reach) | set(model.sites) | {fid for r in rules for fid in r.findings}
    ordered = sorted(moving & model.findings.keys(), key=lambda f: model.findings[f].position)
    return Askable(
        model=model,
        rules=rules,
        red_flags=red_flags,
        findings=tuple(ordered),
        reach=reach,
        reads={r.rule.id: probabilities_read(r.rule.when) for r in rules},
    )


@dataclass(frozen=True)
class _Now:
    """The case's answer as the bounds read it."""

    level: int
    leader: str | None
    weight: Mapping[str, float]  # each condition's log weight in the ranking
    chance: Mapping[str, float]
    members: tuple[Facts, ...]  # the answer shown and triage's closure over warning signs
    rules: tuple[CompiledRule, ...]  # the rules above the current level, and those fired at it
    by_shares: int  # the highest level among the fired rules that read the differential


def _reads_shares(ask: Askable, rule: CompiledRule) -> bool:
    reads = ask.reads[rule.rule.id]
    return bool(reads.shares or reads.leading)


def _now(ask: Askable, case: Case, differential: Differential, now: Triage) -> _Now:
    model = ask.model
    priors = model_priors(model, case.age, case.sex)
    rank_lr = log_ratios(model, ranking_findings(model, case.findings), case.age, case.sex)[0]
    weight = {cid: math.log(p) + rank_lr[cid] if p > 0 else -math.inf for cid, p in priors.items()}
    rank = level_rank(now.level)
    fired = now.fired_ids()
    # a rule can change the level only by firing above it, or by stopping at it
    rules = tuple(
        r
        for r in ask.rules
        if level_rank(r.rule.level) > rank
        or (level_rank(r.rule.level) == rank and r.rule.id in fired)
    )
    members: tuple[Facts, ...] = ()
    if any(_reads_shares(ask, r) for r in rules):
        rescore = functools.partial(score, model)
        members = (facts_for(case, differential), *closed_facts(case, rescore, ask.red_flags))
    return _Now(
        level=rank,
        leader=differential.leading.id if differential.scores else None,
        weight=weight,
        chance={s.id: s.chance for s in differential.scores},
        members=members,
        rules=rules,
        by_shares=max(
            (
                level_rank(r.rule.level)
                for r in ask.rules
                if r.rule.id in fired and _reads_shares(ask, r)
            ),
            default=0,
        ),
    )


def _within(value: float, threshold: float, move: float) -> bool:
    """Whether ``value`` moved by a factor of at most e**move either way can reach
    ``threshold``."""
    return value * math.exp(-move - SLACK) <= threshold <= value * math.exp(move + SLACK)


def _odds(p: float) -> float:
    return math.inf if p >= 1 else p / (1 - p)


def _leader_may_change(
    weight: Mapping[str, float], leader: str, reach: Mapping[str, float]
) -> bool:
    lowest = weight[leader] - reach.get(leader, 0.0) - SLACK
    return any(w + reach.get(cid, 0.0) >= lowest for cid, w in weight.items() if cid != leader)


def _shares_may_cross(
    now: _Now, reads: ProbabilityReads, reach: Mapping[str, float], cache: dict[int, _Spread]
) -> bool:
    for i, facts in enumerate(now.members):
        if i not in cache:
            cache[i] = _Spread.of(facts.share, reach)
        spread = cache[i]
        for cid, threshold in reads.shares:
            low, high = spread.range(cid)
            if low * math.exp(-SLACK) <= threshold <= high * math.exp(SLACK):
                return True
        if reads.leading and facts.leading is not None:
            weight = {cid: math.log(max(p, FLOOR)) for cid, p in facts.share.items()}
            if _leader_may_change(weight, facts.leading, reach):
                return True
    return False


@dataclass(frozen=True)
class _Spread:
    """How far one answer can move the shares of one differential: each weight moved by
    its reach one way or the other; the residual "not listed" weight does not move."""

    share: Mapping[str, float]
    reach: Mapping[str, float]
    rest: float
    all_down: float  # every listed weight moved down by its reach
    all_up: float  # every listed weight (as shown, plus the rounding) moved up

    @classmethod
    def of(cls, share: Mapping[str, float], reach: Mapping[str, float]) -> _Spread:
        return cls(
            share=share,
            reach=reach,
            rest=max(0.0, 1.0 - sum(share.values())),
            all_down=sum(p * math.exp(-reach.get(d, 0.0)) for d, p in share.items()),
            all_up=sum((p + FLOOR) * math.exp(reach.get(d, 0.0)) for d, p in share.items()),
        )

    def range(self, cid: str) -> tuple[float, float]:
        """The lowest and highest share ``cid`` can take: its own weight moved one way,
        every other weight the other way."""
        own, r = self.share.get(cid, 0.0), self.reach.get(cid, 0.0)
        low, high = own * math.exp(-r), (own + FLOOR) * math.exp(r)
        others_up = self.all_up - (own + FLOOR) * math.exp(r)
        others_down = self.all_down - own * math.exp(-r)
        return low / (low + others_up + self.rest), high / (high + others_down + self.rest)


def _level_may_change(ask: Askable, now: _Now, fid: str) -> tuple[bool, bool]:
    """Exact, cheap test: can an answer to ``fid`` change the triage level, and can it
    change a rule that reads the differential (which needs triage's closure to tell)?"""
    if fid in ask.model.sites:
        return True, True  # naming a site answers the other sites too: try it
    reach = ask.reach.get(fid, {})
    cache: dict[int, _Spread] = {}
    level_may = False
    for r in now.rules:
        if reach and _shares_may_cross(now, ask.reads[r.rule.id], reach, cache):
            return True, True
        if fid in r.findings and level_rank(r.rule.level) > now.level:
            level_may = True
        for cid, threshold in ask.reads[r.rule.id].chances:
            odds = _odds(now.chance.get(cid, 0.0))
            level_may = level_may or _within(odds, _odds(threshold), reach.get(cid, 0.0))
    return level_may, False


def _level_after(
    ask: Askable, now: _Now, alt: Case, diff: Differential, closure: bool, rescore: Rescore
) -> int:
    """The level for ``alt``: in full when a rule that reads the differential may change;
    otherwise those rules fire as they do now, and the others are read on ``alt`` directly
    (triage in full all the same if the level would fall, where a rule triage did not need
    to search before may count)."""
    if not closure:
        facts = facts_for(alt, diff)
        direct = max(
            (
                level_rank(r.rule.level)
                for r in ask.rules
                if not _reads_shares(ask, r) and r.predicate(facts)
            ),
            default=0,
        )
        level = max(direct, now.by_shares)
        if level >= now.level:
            return level
    return level_rank(triage(ask.rules, alt, diff, rescore, ask.red_flags).level)


def _leading_may_change(ask: Askable, now: _Now, fid: str) -> bool:
    """Exact, cheap test: can an answer to ``fid`` change the leading condition?"""
    if fid in ask.model.sites:
        return True
    reach = ask.reach.get(fid, {})
    return now.leader is not None and _leader_may_change(now.weight, now.leader, reach)


def _shift(a: Differential, b: Differential) -> float:
    """How far the probabilities moved: half the sum of the absolute changes."""
    before = {s.id: s.probability for s in a.scores}
    return sum(abs(s.probability - before[s.id]) for s in b.scores) / 2


@dataclass(frozen=True, slots=True)
class Effect:
    """What each answer to one unanswered finding would give: the triage level (its rank;
    the current one where no rule can move), the leading condition and the differential."""

    finding: str
    level_yes: int
    level_no: int
    leader_yes: str | None
    leader_no: str | None
    yes: Differential
    no: Differential
    shift: float  # how far the larger of the two moves the probabilities

    def would_change(self, level: int, leader: str | None) -> tuple[str, ...]:
        """What answering could change, from the current level and leader."""
        kinds = []
        if self.level_yes != level or self.level_no != level:
            kinds.append(TRIAGE)
        if any(x is not None and x != leader for x in (self.leader_yes, self.leader_no)):
            kinds.append(LEADING)
        return tuple(kinds)


def answer_effects(
    ask: Askable,
    case: Case,
    differential: Differential,
    triaged: Triage,
    candidates: Iterable[str] | None = None,
) -> tuple[Effect, ...]:
    """Each unanswered finding that could change the triage level or the leading
    condition, with what each answer would give, in the knowledge's order.

    Findings the cheap bounds rule out are left out: no answer to them changes either.
    ``differential`` and ``triaged`` are the case's own answer (from the same model and
    rules). ``candidates`` narrows the search; by default every finding that can move
    something.
    """
    wanted = None if candidates is None else set(candidates)
    now = _now(ask, case, differential, triaged)
    rescore = functools.partial(score, ask.model)
    out: list[Effect] = []
    for fid in ask.findings:
        if fid in case.findings or (wanted is not None and fid not in wanted):
            continue
        level_may, closure = _level_may_change(ask, now, fid)
        if not (level_may or closure or _leading_may_change(ask, now, fid)):
            continue
        levels: list[int] = []
        diffs: list[Differential] = []
        for value in (True, False):
            alt = replace(case, findings={**case.findings, fid: value})
            diff = rescore(alt)
            diffs.append(diff)
            if level_may or closure:
                levels.append(_level_after(ask, now, alt, diff, closure, rescore))
            else:
                levels.append(now.level)
        yes, no = diffs
        out.append(
            Effect(
                finding=fid,
                level_yes=levels[0],
                level_no=levels[1],
                leader_yes=yes.leading.id if yes.scores else None,
                leader_no=no.leading.id if no.scores else None,
                yes=yes,
                no=no,
                shift=max(_shift(differential, yes), _shift(differential, no)),
            )
        )
    return tuple(out)


def open_questions(
    ask: Askable,
    case: Case,
    differential: Differential,
    triaged: Triage,
    candidates: Iterable[str] | None = None,
) -> tuple[OpenQuestion, ...]:
    """The unanswered findings whose answer (yes or no) would change the triage level or
    the leading condition, most decisive first.

    ``differential`` and ``triaged`` are the case's own answer (from the same model and
    rules). ``candidates`` narrows the search, for example to the questions an
    interview can still ask; by default every finding that can move something.
    """
    level = level_rank(triaged.level)
    leader = differential.leading.id if differential.scores else None
    position = {fid: i for i, fid in enumerate(ask.findings)}
    found: list[tuple[tuple[int, int, float, int], OpenQuestion]] = []
    for e in answer_effects(ask, case, differential, triaged, candidates):
        kinds = e.would_change(level, leader)
        if kinds:
            step = max(abs(e.level_yes - level), abs(e.level_no - level))
            key = (-len(kinds), -step, -e.shift, position[e.finding])
            found.append((key, OpenQuestion(e.finding, kinds)))
    found.sort(key=lambda item: item[0])
    return tuple(q for _, q in found)

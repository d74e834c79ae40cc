"""The answer (spec v1) turned into what the result page shows, in plain words.

The engine decides; this module only words and orders it for a person, the
decision first: the level, what to do now and at most three things to start
today (each with its dose); the warning signs nobody answered, with how to check
them; the likely causes (plain name first, "about 6 in 10" rather than a bare
percentage, what supports each and what argues against it); the plan by phase;
what was left out and why. Reasons of a lower level than the headline are kept
apart ("also worth knowing"), so nothing under "get seen today" says "within a
week or two".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from heelpath import __version__
from heelpath.interview import FOOTWEAR_CHOICES, SEX_CHOICES, WORK_CHOICES, Answers, hint, wording
from heelpath.knowledge.interventions import GRADE_WORDS
from heelpath.knowledge.model import Knowledge
from heelpath.knowledge.version import knowledge_version
from heelpath.reasoning.results import level_rank

# Conditions above this share get a full block (name, chance, what it is, why);
# the rest are listed briefly as "less likely".
SHOWN_THRESHOLD = 0.01
# At most this many things to start today, at the top of the page.
FIRST_STEPS = 3
# Plan items of these kinds are the visit itself, already said by "what to do now".
VISIT_KINDS = frozenset({"care", "refer"})
# The evidence words of the plan, strongest first (see GRADE_WORDS).
EVIDENCE_ORDER = ("Strong evidence", "Some evidence", "Mixed evidence", "Little evidence")
# Said before the action while warning signs are unchecked: home care only once none is there.
UNCHECKED_FIRST = (
    "First check the warning signs listed below that you did not answer: if any of them "
    "is there, get seen as it says. "
)
# What a "yes" to an unanswered warning sign would mean.
CHECK_WORDS = {
    "emergency": "If any of these is true, call emergency services now",
    "urgent": "If any of these is true, get seen in person today",
}


@dataclass(frozen=True, slots=True)
class TriageView:
    level: str
    headline: str
    action: str
    meaning: str
    reasons: tuple[str, ...]  # the reasons for the headline's level
    also: tuple[str, ...] = ()  # reasons of lower levels: "also worth knowing"


TRIAGE_WORDS: dict[str, tuple[str, str]] = {
    "emergency": (
        "Call emergency services now",
        "Call your local emergency number (for example 999, 112 or 911) or go to the "
        "nearest emergency department now. Do not drive yourself.",
    ),
    "urgent": (
        "Get seen in person today",
        "Go to an urgent care centre, minor injuries unit or emergency department today, "
        "or get a same-day appointment. Until you have been seen, do no stretches or "
        "exercises for it.",
    ),
    "soon": (
        "Book an appointment in the next 1–2 weeks",
        "See a podiatrist, physiotherapist or doctor within about 1–2 weeks. You can "
        "start the home care below meanwhile.",
    ),
    "self_care": (
        "You can start with home care",
        "Follow the plan below. See a podiatrist or doctor if it is not clearly better "
        "in about 6 weeks, or straight away if a warning sign appears.",
    ),
}


@dataclass(frozen=True, slots=True)
class Reason:
    text: str  # the question as the person was asked it
    said: str  # "You said yes." / "You said no."


@dataclass(frozen=True, slots=True)
class ConditionView:
    id: str
    name: str  # plain words
    medical_name: str
    summary: str
    percent: int  # for the bar, 1-100
    percent_text: str  # "about 6 in 10"
    supporting: tuple[Reason, ...]  # what the person said yes to that points to it
    against: tuple[Reason, ...]  # what the person said that points away from it


@dataclass(frozen=True, slots=True)
class FirstStep:
    id: str  # the plan item's intervention id (its anchor is #item-<id>)
    title: str
    dose: str


@dataclass(frozen=True, slots=True)
class Check:
    finding: str
    question: str
    help: str  # how to check it, when there is a way


@dataclass(frozen=True, slots=True)
class CheckGroup:
    level: str
    heading: str
    checks: tuple[Check, ...]


@dataclass(frozen=True, slots=True)
class AvoidView:
    id: str
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class ResultView:
    triage: TriageView
    first_steps: tuple[FirstStep, ...]
    unchecked: tuple[CheckGroup, ...]  # warning signs nobody answered, by level
    conditions: tuple[ConditionView, ...]
    less_likely: tuple[ConditionView, ...]
    unlisted_text: str
    phases: tuple[Mapping[str, Any], ...]
    avoid: tuple[AvoidView, ...]
    disclaimer: str
    told: tuple[tuple[str, str], ...]  # (what, answer) of the "about you" screen
    said_yes: tuple[str, ...]
    said_no: tuple[str, ...]
    made_on: str = ""  # "2 December 2026"
    heelpath_version: str = __version__
    knowledge_version: str = ""

    @property
    def unchecked_count(self) -> int:
        return sum(len(g.checks) for g in self.unchecked)


def chance_words(p: float) -> str:
    """A share in words a person reads right: "about 6 in 10", never a bare "97%"."""
    if p < 0.01:
        return "less than 1 in 100"
    if p < 0.095:
        return f"about {max(1, round(p * 100))} in 100"
    tenths = int(p * 10 + 0.5)
    if tenths >= 10:
        return "more than 9 in 10"
    return f"about {tenths} in 10"


# the PDF's name for it
percent_text = chance_words


def evidence_parts(text: str) -> tuple[str, str]:
    """A plan item's evidence as (strength words, what it is based on)."""
    words, _, rest = text.partition(": ")
    if words in GRADE_WORDS.values():
        return words, rest
    return "", text


def _evidence_rank(text: str) -> int:
    words, _ = evidence_parts(text)
    return EVIDENCE_ORDER.index(words) if words in EVIDENCE_ORDER else len(EVIDENCE_ORDER)


def _finding_text(knowledge: Knowledge, fid: str, answers: Answers) -> str:
    """The finding as the person was asked it."""
    try:
        finding = knowledge.finding(fid)
    except KeyError:
        return fid.replace("_", " ")
    return wording(finding, answers) or finding.text


def _reasons(
    knowledge: Knowledge, answers: Answers, ids: list[str], said: tuple[bool, ...]
) -> tuple[Reason, ...]:
    """The findings of ``ids`` the person answered with one of ``said``."""
    out = []
    for fid in ids:
        value = answers.findings.get(fid)
        if value is None or value not in said:
            continue
        out.append(
            Reason(
                _finding_text(knowledge, fid, answers), "You said yes." if value else "You said no."
            )
        )
    return tuple(out)


def _triage_reasons(answer: Mapping[str, Any], knowledge: Knowledge) -> tuple[list[str], list[str]]:
    """The reasons for the headline's level, and those of lower levels, each once."""
    triage = answer["triage"]
    level = triage["level"]
    by_id = {r.id: r for r in knowledge.red_flag_rules}
    rules = [by_id[r["id"]] for r in triage.get("rules", []) if r.get("id") in by_id]
    if not rules:
        return list(triage["reasons"]), []
    main: list[str] = []
    also: list[str] = []
    for rule in rules:
        target = main if level_rank(rule.level) >= level_rank(level) else also
        if rule.reason not in main and rule.reason not in also:
            target.append(rule.reason)
    # a reason the knowledge no longer has (an old saved answer) stays with the headline
    known = {r.reason for r in rules}
    main += [r for r in triage["reasons"] if r not in known and r not in main]
    return main, also


def _first_steps(
    phases: list[Mapping[str, Any]], knowledge: Knowledge, level: str
) -> tuple[FirstStep, ...]:
    """At most three things to start today, each with its dose.

    Before an urgent or emergency visit: the first phase as it stands (what to do
    while waiting). Otherwise the best-evidenced items, one of each kind (one
    exercise programme, one pain reliever ...), earlier phases first on a tie.
    """
    kinds = {i.id: i.kind for i in knowledge.interventions}
    if not phases:
        return ()
    if level_rank(level) >= level_rank("urgent"):
        items = list(phases[0]["items"])
    else:
        ranked = [
            (_evidence_rank(item.get("evidence", "")), p, n, item)
            for p, phase in enumerate(phases)
            for n, item in enumerate(phase["items"])
            if kinds.get(item["intervention"]) not in VISIT_KINDS
        ]
        ranked.sort(key=lambda t: t[:3])
        items, seen = [], set()
        for *_, item in ranked:
            kind = kinds.get(item["intervention"], item["intervention"])
            if kind not in seen:
                seen.add(kind)
                items.append(item)
    return tuple(
        FirstStep(
            item["intervention"],
            item.get("title") or _intervention_name(knowledge, item["intervention"]),
            item.get("dose", ""),
        )
        for item in items[:FIRST_STEPS]
    )


def _unchecked(
    answer: Mapping[str, Any], knowledge: Knowledge, answers: Answers
) -> tuple[CheckGroup, ...]:
    groups: dict[str, list[Check]] = {}
    for u in answer["triage"].get("unchecked", []):
        try:
            finding = knowledge.finding(u["finding"])
        except KeyError:
            continue
        check = Check(finding.id, wording(finding, answers) or finding.text, hint(finding, answers))
        groups.setdefault(u["level"], []).append(check)
    return tuple(
        CheckGroup(level, CHECK_WORDS[level], tuple(groups[level]))
        for level in ("emergency", "urgent")
        if level in groups
    )


def _intervention_name(knowledge: Knowledge, iid: str) -> str:
    for item in knowledge.interventions:
        if getattr(item, "id", None) == iid and getattr(item, "title", ""):
            return str(item.title)
    text = knowledge.vocabulary.intervention_texts.get(iid, "")
    return text.rstrip(".") if text else iid.replace("_", " ").capitalize()


def _label(choices: tuple[tuple[str, str], ...], value: str | None) -> str:
    return dict(choices).get(value or "", "Not said")


def build(
    answer: Mapping[str, Any],
    knowledge: Knowledge,
    answers: Answers,
    made_on: dt.date | None = None,
) -> ResultView:
    """The result page's content for one answer (``made_on``: when, today by default)."""
    level = answer["triage"]["level"]
    headline, action = TRIAGE_WORDS[level]
    main, also = _triage_reasons(answer, knowledge)
    unchecked = _unchecked(answer, knowledge, answers)
    if unchecked and level_rank(level) < level_rank("urgent"):
        action = UNCHECKED_FIRST + action
    triage = TriageView(
        level=level,
        headline=headline,
        action=action,
        meaning=knowledge.vocabulary.triage_meanings.get(level, ""),
        reasons=tuple(main),
        also=tuple(also),
    )
    shown: list[ConditionView] = []
    rest: list[ConditionView] = []
    for c in answer["conditions"]:
        try:
            condition = knowledge.condition(c["id"])
            summary, plain = condition.summary, condition.plain_name
        except KeyError:
            summary, plain = "", ""
        p = float(c["probability"])
        view = ConditionView(
            id=c["id"],
            name=plain or c["name"],
            medical_name=c["name"] if plain else "",
            summary=summary,
            percent=max(1, min(100, round(p * 100))),
            percent_text=chance_words(p),
            # a "no" never reads as a reason for a condition; it may argue against one
            supporting=_reasons(knowledge, answers, c["supporting"], (True,)),
            against=_reasons(knowledge, answers, c["against"], (True, False)),
        )
        (shown if p > SHOWN_THRESHOLD or not shown else rest).append(view)
    unlisted = answer.get("unlisted_probability")
    plan = answer["plan"]
    told = (
        ("Age", str(answers.age) if answers.age is not None else "Not said"),
        ("Sex", _label(SEX_CHOICES, answers.sex)),
        (
            "Shoes worn most",
            ", ".join(_label(FOOTWEAR_CHOICES, f) for f in answers.footwear) or "Not said",
        ),
        ("Work", _label(WORK_CHOICES, answers.work)),
        (
            "Worst pain in the last day",
            "Not said" if answers.pain_score is None else f"{answers.pain_score} out of 10",
        ),
    )
    return ResultView(
        triage=triage,
        first_steps=_first_steps(plan["phases"], knowledge, level),
        unchecked=unchecked,
        conditions=tuple(shown),
        less_likely=tuple(rest),
        unlisted_text=chance_words(float(unlisted)) if isinstance(unlisted, (int, float)) else "",
        phases=tuple(plan["phases"]),
        avoid=tuple(
            AvoidView(
                a["intervention"], _intervention_name(knowledge, a["intervention"]), a["reason"]
            )
            for a in plan["avoid"]
        ),
        disclaimer=answer["disclaimer"],
        told=told,
        said_yes=tuple(
            _finding_text(knowledge, f, answers) for f, v in answers.findings.items() if v
        ),
        said_no=tuple(
            _finding_text(knowledge, f, answers) for f, v in answers.findings.items() if not v
        ),
        made_on=_date_words(made_on or dt.datetime.now(dt.UTC).date()),
        knowledge_version=knowledge_version(),
    )


def _date_words(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"

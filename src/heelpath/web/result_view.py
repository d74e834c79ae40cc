"""The answer (spec v1) turned into what the result page shows, in plain words.

The engine decides; this module only words and orders it for a person:
triage first, then likely causes with their reasons, the plan, what was left
out and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from heelpath.interview import FOOTWEAR_CHOICES, SEX_CHOICES, WORK_CHOICES, Answers
from heelpath.knowledge.model import Knowledge

# Conditions at or above this share are shown with bars and reasons; the rest
# are listed briefly as "less likely" (the first three are always shown).
SHOWN_THRESHOLD = 0.05
ALWAYS_SHOWN = 3


@dataclass(frozen=True, slots=True)
class TriageView:
    level: str
    headline: str
    action: str
    meaning: str
    reasons: tuple[str, ...]


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
    text: str
    said: str  # "you said yes" / "you said no"


@dataclass(frozen=True, slots=True)
class ConditionView:
    id: str
    name: str
    summary: str
    percent: int  # for the bar, 1-100
    percent_text: str
    supporting: tuple[Reason, ...]
    against: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class AvoidView:
    id: str
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class ResultView:
    triage: TriageView
    conditions: tuple[ConditionView, ...]
    less_likely: tuple[ConditionView, ...]
    unlisted_text: str
    phases: tuple[Mapping[str, Any], ...]
    avoid: tuple[AvoidView, ...]
    disclaimer: str
    told: tuple[tuple[str, str], ...]  # (what, answer) of the "about you" screen
    said_yes: tuple[str, ...]
    said_no: tuple[str, ...]


def percent_text(p: float) -> str:
    if p < 0.01:
        return "less than 1%"
    if p > 0.99:
        return "more than 99%"
    return f"{round(p * 100)}%"


def _finding_text(knowledge: Knowledge, fid: str) -> str:
    try:
        return knowledge.finding(fid).text
    except KeyError:
        return fid.replace("_", " ")


def _reasons(knowledge: Knowledge, answers: Answers, ids: list[str]) -> tuple[Reason, ...]:
    out = []
    for fid in ids:
        value = answers.findings.get(fid)
        said = "" if value is None else ("you said yes" if value else "you said no")
        out.append(Reason(_finding_text(knowledge, fid), said))
    return tuple(out)


def _intervention_name(knowledge: Knowledge, iid: str) -> str:
    for item in knowledge.interventions:
        if getattr(item, "id", None) == iid and getattr(item, "title", ""):
            return str(item.title)
    text = knowledge.vocabulary.intervention_texts.get(iid, "")
    return text.rstrip(".") if text else iid.replace("_", " ").capitalize()


def _label(choices: tuple[tuple[str, str], ...], value: str | None) -> str:
    return dict(choices).get(value or "", "Not said")


def build(answer: Mapping[str, Any], knowledge: Knowledge, answers: Answers) -> ResultView:
    """The result page's content for one answer."""
    level = answer["triage"]["level"]
    headline, action = TRIAGE_WORDS[level]
    triage = TriageView(
        level=level,
        headline=headline,
        action=action,
        meaning=knowledge.vocabulary.triage_meanings.get(level, ""),
        reasons=tuple(answer["triage"]["reasons"]),
    )
    shown: list[ConditionView] = []
    rest: list[ConditionView] = []
    for i, c in enumerate(answer["conditions"]):
        try:
            summary = knowledge.condition(c["id"]).summary
        except KeyError:
            summary = ""
        p = float(c["probability"])
        view = ConditionView(
            id=c["id"],
            name=c["name"],
            summary=summary,
            percent=max(1, min(100, round(p * 100))),
            percent_text=percent_text(p),
            supporting=_reasons(knowledge, answers, c["supporting"]),
            against=_reasons(knowledge, answers, c["against"]),
        )
        (shown if i < ALWAYS_SHOWN or p >= SHOWN_THRESHOLD else rest).append(view)
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
        conditions=tuple(shown),
        less_likely=tuple(rest),
        unlisted_text=percent_text(float(unlisted)) if isinstance(unlisted, (int, float)) else "",
        phases=tuple(plan["phases"]),
        avoid=tuple(
            AvoidView(
                a["intervention"], _intervention_name(knowledge, a["intervention"]), a["reason"]
            )
            for a in plan["avoid"]
        ),
        disclaimer=answer["disclaimer"],
        told=told,
        said_yes=tuple(_finding_text(knowledge, f) for f, v in answers.findings.items() if v),
        said_no=tuple(_finding_text(knowledge, f) for f, v in answers.findings.items() if not v),
    )

"""What the pages and the API both do with a person's records, in one place each.

Saving an assessment, writing or correcting a diary entry (with the re-triage
a warning sign calls for), scoring VISA-A, and working out progress. Each
function that writes does it in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from heelpath.engine import Engine
from heelpath.errors import HeelpathError
from heelpath.store import records
from heelpath.store.db import Database
from heelpath.tracking import charts, escalation, progression
from heelpath.tracking.diary import DiaryEntry
from heelpath.tracking.visa_a import VisaAAnswers

EXERCISE_KINDS = frozenset({"load", "stretch"})


class NoAssessment(HeelpathError):
    """The diary follows a saved assessment's plan: there is none yet."""


@dataclass(frozen=True, slots=True)
class Written:
    """A diary entry as written, and the re-triage it called for (if any)."""

    entry_id: int
    retriage: dict[str, Any] | None


def today() -> dt.date:
    return dt.date.today()


def save_assessment(
    db: Database, engine: Engine, user_id: int, data: Any, source: str
) -> tuple[int, dict[str, Any]]:
    """Assess ``data`` (contract input; InvalidInput names the field) and keep it."""
    answer = engine.assess(data)
    with db.transaction() as session:
        return records.save_assessment(session, user_id, data, answer, source), answer


def _retriage(
    session: Any, engine: Engine, user_id: int, entry: DiaryEntry
) -> tuple[int, dict[str, Any]] | None:
    """Re-run triage on the latest assessment with the diary's warning signs added."""
    if not entry.red_flags:
        return None
    latest = records.latest_assessment(session, user_id)
    if latest is None:
        raise NoAssessment("save an assessment first: the diary follows its plan")
    data = dict(latest.input)
    findings = dict(data.get("findings") or {})  # type: ignore[call-overload]
    findings.update(dict.fromkeys(entry.red_flags, True))
    data["findings"] = findings
    answer = engine.assess(data)
    return records.save_assessment(session, user_id, data, answer, "diary"), answer


def write_entry(
    db: Database, engine: Engine, user_id: int, entry: DiaryEntry, entry_id: int | None = None
) -> Written | None:
    """A new entry (``entry_id`` None) or a correction; None when the entry is not theirs.

    The entry and its re-triage commit together: never an entry whose warning
    sign was not acted on.
    """
    with db.transaction() as session:
        if records.latest_assessment(session, user_id) is None:
            raise NoAssessment("save an assessment first: the diary follows its plan")
        if entry_id is None:
            row = records.add_entry(session, user_id, entry)
        else:
            found = records.correct_entry(session, user_id, entry_id, entry)
            if found is None:
                return None
            row = found
        retriage = _retriage(session, engine, user_id, entry)
        if retriage is not None:
            row.retriage_id = retriage[0]
        return Written(row.id, retriage[1] if retriage else None)


def add_visa_a(db: Database, user_id: int, day: dt.date, answers: VisaAAnswers) -> tuple[int, int]:
    with db.transaction() as session:
        row = records.add_visa_a(session, user_id, day, answers)
        return row.id, row.score


@dataclass(frozen=True, slots=True)
class Progress:
    """Everything the progress page and ``GET /api/v1/progress`` show."""

    today: dt.date
    has_assessment: bool
    triage_level: str | None
    triage_meaning: str | None
    pain: tuple[charts.PainPoint, ...]
    visa: tuple[charts.VisaPoint, ...]
    visa_target: int | None
    adherence: tuple[charts.WeekAdherence, ...]
    decision: progression.Decision
    exercises: tuple[tuple[progression.ExerciseToday, dict[str, Any]], ...]
    escalation: escalation.Escalation | None

    def as_dict(self) -> dict[str, Any]:
        esc = self.escalation
        return {
            "date": self.today.isoformat(),
            "triage": {"level": self.triage_level, "meaning": self.triage_meaning}
            if self.triage_level
            else None,
            "pain": [
                {"date": p.day.isoformat(), "pain": p.pain, "average_7_days": p.average}
                for p in self.pain
            ],
            "visa_a": [{"date": v.day.isoformat(), "score": v.score} for v in self.visa],
            "visa_a_meaningful_target": self.visa_target,
            "adherence": [
                {
                    "week_start": w.week_start.isoformat(),
                    "days": w.days,
                    "exercise_days": w.exercise_days,
                    "percent": w.percent,
                }
                for w in self.adherence
            ],
            "today": {
                "action": self.decision.action,
                "reason": self.decision.reason,
                "exercises": [
                    {
                        "intervention": x.intervention,
                        "title": item.get("title") or x.intervention,
                        "dose": item.get("dose"),
                        "last_sets": x.last_sets,
                        "sets_today": x.sets_today,
                    }
                    for x, item in self.exercises
                ],
            },
            "escalation": {
                "weeks": esc.weeks,
                "message": esc.message,
                "reasons": list(esc.reasons),
                "referral": esc.urgent_referral,
            }
            if esc
            else None,
        }


def plan_items(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for phase in answer["plan"]["phases"] for item in phase["items"]]


def progress(db: Database, engine: Engine, user_id: int, on: dt.date | None = None) -> Progress:
    """The series behind the charts, today's exercises with the reason, and any escalation."""
    on = on or today()
    with db.transaction() as session:
        diary = records.diary(session, user_id)
        visa = [(v.day, v.score) for v in records.visa_as(session, user_id)]
        first = records.assessments(session, user_id)[:1]
        latest = records.latest_assessment(session, user_id)
        answer: dict[str, Any] | None = dict(latest.answer) if latest else None
    kinds = {i.id: i.kind for i in engine.knowledge.interventions}
    items = (
        [i for i in plan_items(answer) if kinds.get(i["intervention"]) in EXERCISE_KINDS]
        if answer
        else []
    )
    exercise_ids = frozenset(i["intervention"] for i in items)
    decision = progression.decide(diary, on, exercise_ids)
    todays = progression.todays_exercises(diary, decision, [i["intervention"] for i in items])
    starts = [d.day for d in diary[:1]] + [a.created_at.date() for a in first]
    triage: dict[str, Any] | None = answer["triage"] if answer else None
    return Progress(
        today=on,
        has_assessment=answer is not None,
        triage_level=triage["level"] if triage else None,
        triage_meaning=triage["meaning"] if triage else None,
        pain=charts.pain_series(diary),
        visa=charts.visa_series(visa),
        visa_target=charts.meaningful_target(charts.visa_series(visa)),
        adherence=charts.adherence_series(diary, exercise_ids, on),
        decision=decision,
        exercises=tuple(zip(todays, items, strict=True)),
        escalation=escalation.check(min(starts), on, diary, visa) if starts else None,
    )

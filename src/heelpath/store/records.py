"""A person's records: saved assessments, diary entries and VISA-A scores.

Every read and write names the owner: a record of someone else's is found
exactly as often as one that does not exist (never), so callers answer both
with the same 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from heelpath.errors import HeelpathError
from heelpath.store import models
from heelpath.store.db import utcnow
from heelpath.tracking.diary import DiaryEntry, entry_from_dict
from heelpath.tracking.visa_a import VisaAAnswers, score


class DayTaken(HeelpathError):
    """A second diary entry for a day that has one: correct the first instead."""

    def __init__(self, entry_id: int) -> None:
        self.entry_id = entry_id
        super().__init__("there is already an entry for that day")


def save_assessment(
    session: Session, user_id: int, data: dict[str, Any], answer: dict[str, Any], source: str
) -> int:
    row = models.Assessment(
        user_id=user_id, created_at=utcnow(), source=source, input=data, answer=answer
    )
    session.add(row)
    session.flush()
    return row.id


def assessment(session: Session, user_id: int, assessment_id: int) -> models.Assessment | None:
    return session.scalar(
        select(models.Assessment).where(
            models.Assessment.id == assessment_id, models.Assessment.user_id == user_id
        )
    )


def assessments(session: Session, user_id: int) -> list[models.Assessment]:
    return list(
        session.scalars(
            select(models.Assessment)
            .where(models.Assessment.user_id == user_id)
            .order_by(models.Assessment.created_at, models.Assessment.id)
        )
    )


def latest_assessment(session: Session, user_id: int) -> models.Assessment | None:
    return session.scalar(
        select(models.Assessment)
        .where(models.Assessment.user_id == user_id)
        .order_by(models.Assessment.created_at.desc(), models.Assessment.id.desc())
        .limit(1)
    )


def add_entry(session: Session, user_id: int, entry: DiaryEntry) -> models.DiaryEntry:
    """A new diary entry; ``DayTaken`` when that day already has one."""
    existing = session.scalar(
        select(models.DiaryEntry.id).where(
            models.DiaryEntry.user_id == user_id, models.DiaryEntry.day == entry.day
        )
    )
    if existing is not None:
        raise DayTaken(existing)
    now = utcnow()
    row = models.DiaryEntry(
        user_id=user_id, day=entry.day, data=entry.as_dict(), created_at=now, updated_at=now
    )
    session.add(row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        # the same day written at the same moment by another request
        raise DayTaken(
            session.scalar(
                select(models.DiaryEntry.id).where(
                    models.DiaryEntry.user_id == user_id, models.DiaryEntry.day == entry.day
                )
            )
            or 0
        ) from None
    return row


def entry(session: Session, user_id: int, entry_id: int) -> models.DiaryEntry | None:
    return session.scalar(
        select(models.DiaryEntry).where(
            models.DiaryEntry.id == entry_id, models.DiaryEntry.user_id == user_id
        )
    )


def correct_entry(
    session: Session, user_id: int, entry_id: int, new: DiaryEntry
) -> models.DiaryEntry | None:
    """Replace an entry's contents (a correction); None when it is not this person's."""
    row = entry(session, user_id, entry_id)
    if row is None:
        return None
    if new.day != row.day:
        clash = session.scalar(
            select(models.DiaryEntry.id).where(
                models.DiaryEntry.user_id == user_id, models.DiaryEntry.day == new.day
            )
        )
        if clash is not None:
            raise DayTaken(clash)
    row.day = new.day
    row.data = new.as_dict()
    row.updated_at = utcnow()
    session.flush()
    return row


def delete_entry(session: Session, user_id: int, entry_id: int) -> bool:
    result = session.execute(
        delete(models.DiaryEntry).where(
            models.DiaryEntry.id == entry_id, models.DiaryEntry.user_id == user_id
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def entries(session: Session, user_id: int) -> list[models.DiaryEntry]:
    return list(
        session.scalars(
            select(models.DiaryEntry)
            .where(models.DiaryEntry.user_id == user_id)
            .order_by(models.DiaryEntry.day)
        )
    )


def diary(session: Session, user_id: int) -> list[DiaryEntry]:
    """The diary as the tracking module reads it, oldest first."""
    return [entry_from_dict(row.data) for row in entries(session, user_id)]


def add_visa_a(session: Session, user_id: int, day: dt.date, answers: VisaAAnswers) -> models.VisaA:
    row = models.VisaA(
        user_id=user_id,
        day=day,
        answers=answers.as_dict(),
        score=score(answers),
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def visa_a(session: Session, user_id: int, visa_id: int) -> models.VisaA | None:
    return session.scalar(
        select(models.VisaA).where(models.VisaA.id == visa_id, models.VisaA.user_id == user_id)
    )


def visa_as(session: Session, user_id: int) -> list[models.VisaA]:
    return list(
        session.scalars(
            select(models.VisaA)
            .where(models.VisaA.user_id == user_id)
            .order_by(models.VisaA.day, models.VisaA.id)
        )
    )


def entry_out(row: models.DiaryEntry) -> dict[str, Any]:
    return {
        "id": row.id,
        **row.data,
        "date": row.day.isoformat(),
        "retriage_assessment_id": row.retriage_id,
        "updated_at": row.updated_at.isoformat(),
    }


def assessment_out(row: models.Assessment) -> dict[str, Any]:
    return {
        "id": row.id,
        "created_at": row.created_at.isoformat(),
        "source": row.source,
        "input": row.input,
        "answer": row.answer,
    }


def visa_out(row: models.VisaA) -> dict[str, Any]:
    return {"id": row.id, "date": row.day.isoformat(), "score": row.score, "answers": row.answers}


def export(session: Session, user_id: int) -> dict[str, Any]:
    """Everything stored about the person, as JSON-ready data (download my data)."""
    user = session.get(models.User, user_id)
    assert user is not None
    return {
        "account": {
            "email": user.email,
            "created_at": user.created_at.isoformat(),
            "consented_at": user.consented_at.isoformat(),
            "last_sign_in_at": user.last_sign_in_at.isoformat(),
        },
        "assessments": [assessment_out(a) for a in assessments(session, user_id)],
        "diary": [entry_out(e) for e in entries(session, user_id)],
        "visa_a": [visa_out(v) for v in visa_as(session, user_id)],
    }

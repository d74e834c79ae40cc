"""The tables. Everything a person owns hangs off ``users`` with ON DELETE CASCADE,
so deleting the account erases it all in one statement."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on every engine (SQLite keeps no time zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store times in UTC")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: object
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    pass


def _owner() -> Mapped[int]:
    return mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    consented_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_sign_in_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)


class Session(Base):
    """A signed-in browser (kind ``web``) or an API token (kind ``api``).

    Only the SHA-256 of the secret is stored, so a copy of the database
    cannot be used to sign in.
    """

    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = _owner()
    kind: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)


class SignInFailure(Base):
    """One failed sign-in, for the rate limit (kept only for the limit's window)."""

    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(254))  # the email signed in to
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_sign_in_failures_key_at", "key", "at"),)


class AppSecret(Base):
    """Secrets every app process must share (the CSRF key when none is configured)."""

    __tablename__ = "app_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class PendingAssessment(Base):
    """An anonymous assessment held for a short while so that it can be saved after signing in."""

    __tablename__ = "pending_assessments"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    input: Mapped[dict[str, object]] = mapped_column(JSON)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)


class Assessment(Base):
    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(16))  # interview | api | diary (a re-triage)
    input: Mapped[dict[str, object]] = mapped_column(JSON)
    answer: Mapped[dict[str, object]] = mapped_column(JSON)


class DiaryEntry(Base):
    __tablename__ = "diary_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    day: Mapped[dt.date] = mapped_column(Date)
    data: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    retriage_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL"), nullable=True
    )

    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_diary_entries_user_day"),)


class VisaA(Base):
    __tablename__ = "visa_a"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    day: Mapped[dt.date] = mapped_column(Date)
    answers: Mapped[dict[str, object]] = mapped_column(JSON)
    score: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Clinician(Base):
    """An account that treats people: it can redeem share codes (self-declared; the person's
    share code, not this row, is what gives access)."""

    __tablename__ = "clinicians"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ShareCode(Base):
    """A short code a person gives their clinician: single use, expiring; only its hash kept."""

    __tablename__ = "share_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = _owner()
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Share(Base):
    """A clinician's read-only access to one person's records, until the person revokes it."""

    __tablename__ = "shares"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    clinician_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class AuditEvent(Base):
    """A clinician looked at a person's records: who, when and what (the person can read it)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _owner()
    clinician_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    clinician: Mapped[str] = mapped_column(String(400))  # name and email, kept if they leave
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    what: Mapped[str] = mapped_column(String(200))


__all__ = [
    "AppSecret",
    "Assessment",
    "AuditEvent",
    "Base",
    "Clinician",
    "DiaryEntry",
    "PendingAssessment",
    "Session",
    "Share",
    "ShareCode",
    "SignInFailure",
    "User",
    "VisaA",
]

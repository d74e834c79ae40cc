"""Sharing with a clinic: clinicians, share codes, who has access, and the audit log.

- A person makes a **share code**: 8 letters and digits (no look-alikes), valid for
  ``CODE_HOURS`` and for one use; only its SHA-256 is kept.
- A **clinician** (an account that registered as one) redeems it and from then on
  reads that person's records, read-only, until the person **revokes** the share.
- Every read goes through :func:`open_record`, which checks the share inside the
  same transaction as the read and writes an **audit event** the person can read:
  a revoked share is refused on the very next request, and no view goes unlogged.

A share that is not there, is revoked, or belongs to someone else is answered
exactly alike (None), so a clinician learns nothing about people who did not share.
Each function takes an open ``Session`` inside a transaction (``Database.transaction()``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from heelpath.errors import InvalidInput
from heelpath.store import accounts, models
from heelpath.store.accounts import Account, token_hash
from heelpath.store.db import utcnow

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no I, L, O, U, 0 or 1 to misread
CODE_LENGTH = 8
CODE_HOURS = 24
MAX_NAME = 120


@dataclass(frozen=True, slots=True)
class Code:
    code: str  # shown to the person once, as ABCD-EFGH
    expires_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Access:
    """One clinician who can see the person's records."""

    share_id: int
    clinician: str
    since: dt.datetime


@dataclass(frozen=True, slots=True)
class Patient:
    """One person who shared their records with the clinician."""

    user_id: int
    email: str
    since: dt.datetime


@dataclass(frozen=True, slots=True)
class Viewed:
    at: dt.datetime
    clinician: str
    what: str


def register_clinician(session: Session, account: Account, name: object) -> None:
    """Make the account a clinician's, under the name the people they treat will see."""
    if not isinstance(name, str) or not 2 <= len(name.strip()) <= MAX_NAME:
        raise InvalidInput("name", f"must be your name and practice, 2 to {MAX_NAME} characters")
    row = session.get(models.Clinician, account.id)
    if row is None:
        session.add(models.Clinician(user_id=account.id, name=name.strip(), created_at=utcnow()))
    else:
        row.name = name.strip()


def clinician_name(session: Session, user_id: int) -> str | None:
    """The clinician's name, or None when the account is not a clinician's."""
    return session.scalar(select(models.Clinician.name).where(models.Clinician.user_id == user_id))


def _label(session: Session, clinician_id: int) -> str:
    row = session.execute(
        select(models.Clinician.name, models.User.email)
        .join(models.User, models.User.id == models.Clinician.user_id)
        .where(models.Clinician.user_id == clinician_id)
    ).one()
    return f"{row.name} ({row.email})"


def normalise_code(raw: object) -> str:
    """The code as typed, without spaces or dashes, in capitals."""
    if not isinstance(raw, str):
        return ""
    return "".join(ch for ch in raw.upper() if ch not in " -")[: CODE_LENGTH + 8]


def create_code(session: Session, person_id: int) -> Code:
    """A new share code for the person (any earlier unused codes stay valid until they expire)."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    now = utcnow()
    expires = now + dt.timedelta(hours=CODE_HOURS)
    session.add(
        models.ShareCode(
            code_hash=token_hash(code), user_id=person_id, created_at=now, expires_at=expires
        )
    )
    return Code(f"{code[:4]}-{code[4:]}", expires)


def redeem(session: Session, clinician: Account, raw_code: object) -> int | None:
    """Use a share code: the person's id, or None when the code is wrong, used or expired
    (the caller commits, so the failure counts towards the limit, and says so in one message).

    Raises ``accounts.TooManyAttempts`` after too many wrong codes from this clinician.
    """
    key = f"share-code:{clinician.id}"
    accounts.check_rate(session, key)
    code = normalise_code(raw_code)
    now = utcnow()
    # one statement marks the code used, so two clinicians racing for it cannot both win
    person_id = session.scalar(
        update(models.ShareCode)
        .where(
            models.ShareCode.code_hash == token_hash(code),
            models.ShareCode.used_at.is_(None),
            models.ShareCode.expires_at > now,
        )
        .values(used_at=now)
        .returning(models.ShareCode.user_id)
    )
    if person_id is None or person_id == clinician.id:
        accounts.record_failure(session, key)
        return None
    if not _share_id(session, clinician.id, person_id):
        session.add(models.Share(user_id=person_id, clinician_id=clinician.id, created_at=now))
    return int(person_id)


def _share_id(session: Session, clinician_id: int, person_id: int) -> int | None:
    return session.scalar(
        select(models.Share.id).where(
            models.Share.user_id == person_id,
            models.Share.clinician_id == clinician_id,
            models.Share.revoked_at.is_(None),
        )
    )


def access_list(session: Session, person_id: int) -> list[Access]:
    """Who can see the person's records now, oldest share first."""
    rows = session.execute(
        select(models.Share.id, models.Share.created_at, models.Clinician.name, models.User.email)
        .join(models.Clinician, models.Clinician.user_id == models.Share.clinician_id)
        .join(models.User, models.User.id == models.Share.clinician_id)
        .where(models.Share.user_id == person_id, models.Share.revoked_at.is_(None))
        .order_by(models.Share.created_at, models.Share.id)
    )
    return [Access(r.id, f"{r.name} ({r.email})", r.created_at) for r in rows]


def revoke(session: Session, person_id: int, share_id: int) -> bool:
    """End a share at once; False when it is not one of the person's live shares."""
    result = session.execute(
        update(models.Share)
        .where(
            models.Share.id == share_id,
            models.Share.user_id == person_id,
            models.Share.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def patients(session: Session, clinician_id: int) -> list[Patient]:
    """The people who share their records with the clinician now."""
    rows = session.execute(
        select(models.User.id, models.User.email, models.Share.created_at)
        .join(models.Share, models.Share.user_id == models.User.id)
        .where(models.Share.clinician_id == clinician_id, models.Share.revoked_at.is_(None))
        .order_by(models.Share.created_at, models.Share.id)
    )
    return [Patient(r.id, r.email, r.created_at) for r in rows]


def open_record(session: Session, clinician_id: int, person_id: int, what: str) -> bool:
    """May the clinician read the person's records now? If so, the view is logged in this
    transaction (the caller reads in the same one, so no read happens unlogged)."""
    if clinician_name(session, clinician_id) is None:
        return False
    if _share_id(session, clinician_id, person_id) is None:
        return False
    session.add(
        models.AuditEvent(
            user_id=person_id,
            clinician_id=clinician_id,
            clinician=_label(session, clinician_id),
            at=utcnow(),
            what=what,
        )
    )
    return True


def audit_log(session: Session, person_id: int) -> list[Viewed]:
    """Every view of the person's records by a clinician, newest first."""
    rows = session.scalars(
        select(models.AuditEvent)
        .where(models.AuditEvent.user_id == person_id)
        .order_by(models.AuditEvent.at.desc(), models.AuditEvent.id.desc())
    )
    return [Viewed(r.at, r.clinician, r.what) for r in rows]

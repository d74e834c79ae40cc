"""Accounts, sign-in sessions and API tokens, the sign-in rate limit, and retention.

Passwords are hashed with argon2id (argon2-cffi). Session cookies and API
tokens are random secrets of which only the SHA-256 is stored. Failed
sign-ins are counted in the database, so the limit holds across every app
process. Each function takes an open ``Session`` inside a transaction
(``Database.transaction()``): the caller's block is one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from heelpath.errors import HeelpathError, InvalidInput
from heelpath.store import models
from heelpath.store.db import utcnow

WEB_SESSION_DAYS = 14
API_TOKEN_DAYS = 30
PENDING_ASSESSMENT_HOURS = 24
INACTIVE_ACCOUNT_DAYS = 730  # an account not signed in to for 2 years is erased
SIGN_IN_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MIN_PASSWORD = 10
MAX_PASSWORD = 200
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")

_hasher = PasswordHasher()
# verified against when the email is unknown, so an unknown email takes as long as a known one
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$BI6ou+VrW+wFn7pB6/uVCg$"
    "5qiBGilurWok0oHnYDtaNTm06dhN6op+5Ws81EqWSNo"
)


class EmailTaken(HeelpathError):
    """Sign-up with an email that already has an account."""


class TooManyAttempts(HeelpathError):
    """Too many failed sign-ins for this email or address: wait ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"too many failed sign-ins; try again in {retry_after} seconds")


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    email: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(raw: object, field: str = "email") -> str:
    if not isinstance(raw, str) or len(raw) > 254 or not EMAIL.match(raw.strip()):
        raise InvalidInput(field, "must be an email address, like name@example.com")
    return raw.strip().lower()


def check_password(raw: object, field: str = "password") -> str:
    if not isinstance(raw, str) or not MIN_PASSWORD <= len(raw) <= MAX_PASSWORD:
        raise InvalidInput(field, f"must be {MIN_PASSWORD} to {MAX_PASSWORD} characters long")
    return raw


def create(session: Session, email: str, password: str) -> Account:
    """A new account; the person consents to storing their data by creating it."""
    email = normalise_email(email)
    password = check_password(password)
    now = utcnow()
    user = models.User(
        email=email,
        password_hash=_hasher.hash(password),
        created_at=now,
        consented_at=now,
        last_sign_in_at=now,
    )
    session.add(user)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise EmailTaken("an account with this email already exists") from None
    return Account(user.id, user.email)


def _failures(session: Session, key: str, since: dt.datetime) -> tuple[int, dt.datetime | None]:
    count, first = session.execute(
        select(func.count(), func.min(models.SignInFailure.at)).where(
            models.SignInFailure.key == key, models.SignInFailure.at > since
        )
    ).one()
    return int(count), first


def check_rate(session: Session, email: str) -> None:
    """Raise ``TooManyAttempts`` when sign-in to this email failed too often of late.

    Counted per email, not per address: behind a reverse proxy every request
    comes from the proxy, and one person's typos must not lock out everyone.
    """
    now = utcnow()
    count, first = _failures(session, email, now - SIGN_IN_WINDOW)
    if count >= MAX_FAILURES_PER_EMAIL and first is not None:
        raise TooManyAttempts(max(1, int((first + SIGN_IN_WINDOW - now).total_seconds()) + 1))


def record_failure(session: Session, email: str) -> None:
    session.add(models.SignInFailure(key=email, at=utcnow()))


def authenticate(session: Session, email: object, password: object) -> Account | None:
    """The account whose email and password these are, or None (the caller records the failure)."""
    if not isinstance(email, str) or not isinstance(password, str):
        return None
    user = session.scalar(select(models.User).where(models.User.email == email.strip().lower()))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_sign_in_at = utcnow()
    return Account(user.id, user.email)


def start_session(session: Session, account: Account, kind: str) -> str:
    """A new browser session (``web``) or API token (``api``); returns the secret once."""
    token = secrets.token_urlsafe(32)
    days = WEB_SESSION_DAYS if kind == "web" else API_TOKEN_DAYS
    now = utcnow()
    session.add(
        models.Session(
            token_hash=token_hash(token),
            user_id=account.id,
            kind=kind,
            created_at=now,
            expires_at=now + dt.timedelta(days=days),
        )
    )
    return token


def account_for(session: Session, token: str | None, kind: str) -> Account | None:
    """The account a session cookie or API token belongs to, if it is live."""
    if not token or len(token) > 100:
        return None
    row = session.execute(
        select(models.User.id, models.User.email)
        .join(models.Session, models.Session.user_id == models.User.id)
        .where(
            models.Session.token_hash == token_hash(token),
            models.Session.kind == kind,
            models.Session.expires_at > utcnow(),
        )
    ).first()
    return Account(row.id, row.email) if row else None


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(
            delete(models.Session).where(models.Session.token_hash == token_hash(token))
        )


def delete_account(session: Session, account_id: int) -> None:
    """Erase the account and, through ON DELETE CASCADE, everything it owns."""
    session.execute(delete(models.User).where(models.User.id == account_id))


def shared_secret(session: Session, name: str) -> str:
    """A secret every app process shares, made once and kept in the database."""
    value = session.scalar(select(models.AppSecret.value).where(models.AppSecret.name == name))
    if value is not None:
        return value
    try:
        with session.begin_nested():
            session.add(models.AppSecret(name=name, value=secrets.token_hex(32)))
    except IntegrityError:
        pass  # another process made it first: use theirs
    value = session.scalar(select(models.AppSecret.value).where(models.AppSecret.name == name))
    assert value is not None
    return value


def hold_pending(session: Session, data: dict[str, object]) -> str:
    """Keep an anonymous assessment input for a day, to be saved after signing in."""
    token = secrets.token_urlsafe(24)
    session.add(
        models.PendingAssessment(
            token_hash=token_hash(token),
            input=data,
            expires_at=utcnow() + dt.timedelta(hours=PENDING_ASSESSMENT_HOURS),
        )
    )
    return token


def take_pending(session: Session, token: str | None) -> dict[str, object] | None:
    """The held input for ``token`` (once: it is deleted), if it has not expired."""
    if not token or len(token) > 100:
        return None
    row = session.get(models.PendingAssessment, token_hash(token))
    if row is None:
        return None
    session.delete(row)
    session.flush()
    return row.input if row.expires_at > utcnow() else None


def purge_expired(session: Session) -> dict[str, int]:
    """Enforce retention: expired sessions, held assessments, old failures, dormant accounts."""
    now = utcnow()
    statements = {
        "sessions": delete(models.Session).where(models.Session.expires_at <= now),
        "pending_assessments": delete(models.PendingAssessment).where(
            models.PendingAssessment.expires_at <= now
        ),
        "sign_in_failures": delete(models.SignInFailure).where(
            models.SignInFailure.at <= now - SIGN_IN_WINDOW
        ),
        "users": delete(models.User).where(
            models.User.last_sign_in_at <= now - dt.timedelta(days=INACTIVE_ACCOUNT_DAYS)
        ),
    }
    counts = {}
    for name, statement in statements.items():
        counts[name] = session.execute(statement).rowcount or 0  # type: ignore[attr-defined]
    return counts

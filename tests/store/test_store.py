"""The store on SQLite and PostgreSQL: migrations, accounts, sessions, ownership, retention,
backup and restore, and concurrent writers."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, inspect, select, update

from databases import database_url as fresh_database
from heelpath.errors import InvalidInput
from heelpath.store import accounts, backup, models, records
from heelpath.store.db import Database, alembic_config, database_url
from heelpath.tracking.diary import DiaryEntry
from heelpath.tracking.visa_a import parse_answers

VISA = {
    "q1": 5,
    "q2": 5,
    "q3": 5,
    "q4": 5,
    "q5": 5,
    "q6": 5,
    "q7": 4,
    "q8": {"branch": "B", "points": 10},
}
DAY = dt.date(2026, 3, 1)


@pytest.fixture(scope="module")
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    database.upgrade()
    yield database
    database.dispose()


_n = iter(range(10**6))


def new_account(db: Database) -> accounts.Account:
    with db.transaction() as s:
        return accounts.create(s, f"person{next(_n)}@example.com", "a long enough password")


def test_the_default_database_is_a_file_in_the_per_user_data_folder(tmp_path: Path) -> None:
    assert database_url({"HEELPATH_DATA_DIR": str(tmp_path)}) == f"sqlite:///{tmp_path}/heelpath.db"
    assert database_url({"XDG_DATA_HOME": "/x"}) == "sqlite:////x/heelpath/heelpath.db"
    assert (
        database_url({"HEELPATH_DATABASE_URL": "postgresql+psycopg://h/db"})
        == "postgresql+psycopg://h/db"
    )


def test_migrations_create_every_table_and_go_down_and_up_again(db: Database) -> None:
    tables = set(inspect(db.engine).get_table_names())
    assert {t.name for t in models.Base.metadata.sorted_tables} <= tables
    config = alembic_config(db.url)
    command.downgrade(config, "base")
    assert not set(inspect(db.engine).get_table_names()) & {"users", "diary_entries"}
    command.upgrade(config, "head")
    db.upgrade()  # idempotent
    assert {"users", "diary_entries", "visa_a"} <= set(inspect(db.engine).get_table_names())


def test_the_schema_matches_the_models(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), models.Base.metadata)
    assert diff == []


def test_passwords_are_argon2id_and_never_stored(db: Database) -> None:
    with db.transaction() as s:
        a = accounts.create(s, "Mixed.Case@Example.com", "correct horse battery")
    with db.transaction() as s:
        user = s.get(models.User, a.id)
        assert user is not None and user.email == "mixed.case@example.com"
        assert user.password_hash.startswith("$argon2id$")
        assert "correct horse" not in user.password_hash
        assert accounts.authenticate(s, "mixed.case@example.com", "correct horse battery") == a
        assert accounts.authenticate(s, "mixed.case@example.com", "wrong password!!") is None
        assert accounts.authenticate(s, "nobody@example.com", "correct horse battery") is None


def test_the_real_hasher_uses_argon2id_with_its_standard_costs() -> None:
    from argon2 import PasswordHasher, Type

    real = PasswordHasher()
    assert real.type is Type.ID and real.memory_cost >= 65536 and real.time_cost >= 3


@pytest.mark.parametrize(
    ("email", "password", "field"),
    [("not-an-email", "a long enough password", "email"), ("a@example.com", "short", "password")],
)
def test_bad_sign_up_details_are_named(db: Database, email: str, password: str, field: str) -> None:
    with pytest.raises(InvalidInput) as err, db.transaction() as s:
        accounts.create(s, email, password)
    assert err.value.field == field


def test_an_email_has_one_account(db: Database) -> None:
    with db.transaction() as s:
        accounts.create(s, "once@example.com", "a long enough password")
    with pytest.raises(accounts.EmailTaken), db.transaction() as s:
        accounts.create(s, "ONCE@example.com", "a long enough password")


def test_sessions_are_stored_hashed_and_expire(db: Database) -> None:
    a = new_account(db)
    with db.transaction() as s:
        token = accounts.start_session(s, a, "web")
    with db.transaction() as s:
        assert accounts.account_for(s, token, "web") == a
        assert accounts.account_for(s, token, "api") is None  # a cookie is not a token
        assert s.get(models.Session, token) is None  # only the hash is the key
        s.execute(
            update(models.Session)
            .where(models.Session.token_hash == accounts.token_hash(token))
            .values(expires_at=accounts.utcnow() - dt.timedelta(seconds=1))
        )
    with db.transaction() as s:
        assert accounts.account_for(s, token, "web") is None


def test_sign_in_failures_are_limited_per_email(db: Database) -> None:
    email = "limited@example.com"
    with db.transaction() as s:
        for _ in range(accounts.MAX_FAILURES_PER_EMAIL - 1):
            accounts.record_failure(s, email)
    with db.transaction() as s:
        accounts.check_rate(s, email)  # still allowed
        accounts.record_failure(s, email)
    with pytest.raises(accounts.TooManyAttempts) as err, db.transaction() as s:
        accounts.check_rate(s, email)
    assert 0 < err.value.retry_after <= accounts.SIGN_IN_WINDOW.total_seconds() + 1
    with db.transaction() as s:
        accounts.check_rate(s, "other@example.com")  # others are not affected


def test_records_are_found_only_by_their_owner(db: Database) -> None:
    a, b = new_account(db), new_account(db)
    with db.transaction() as s:
        aid = records.save_assessment(s, a.id, {"age": 40, "findings": {}}, {"x": 1}, "api")
        eid = records.add_entry(s, a.id, DiaryEntry(DAY, 3, 4, 2)).id
        vid = records.add_visa_a(s, a.id, DAY, parse_answers(VISA)).id
    with db.transaction() as s:
        assert records.assessment(s, b.id, aid) is None
        assert records.entry(s, b.id, eid) is None
        assert records.visa_a(s, b.id, vid) is None
        assert records.correct_entry(s, b.id, eid, DiaryEntry(DAY, 9, 9, 9)) is None
        assert records.delete_entry(s, b.id, eid) is False
        assert records.assessments(s, b.id) == [] and records.entries(s, b.id) == []
        assert records.entry(s, a.id, eid) is not None


def test_one_diary_entry_a_day_and_corrections_replace_it(db: Database) -> None:
    a = new_account(db)
    with db.transaction() as s:
        eid = records.add_entry(s, a.id, DiaryEntry(DAY, 3, 4, 2)).id
    with pytest.raises(records.DayTaken) as err, db.transaction() as s:
        records.add_entry(s, a.id, DiaryEntry(DAY, 5, 5, 5))
    assert err.value.entry_id == eid
    with db.transaction() as s:
        records.correct_entry(s, a.id, eid, DiaryEntry(DAY, 1, 1, 1, notes="fixed"))
    with db.transaction() as s:
        [entry] = records.diary(s, a.id)
        assert entry.pain_morning == 1 and entry.notes == "fixed"


def test_deleting_an_account_erases_everything_it_owns(db: Database) -> None:
    a, b = new_account(db), new_account(db)
    for who in (a, b):
        with db.transaction() as s:
            records.save_assessment(s, who.id, {"age": 40, "findings": {}}, {"x": 1}, "api")
            records.add_entry(s, who.id, DiaryEntry(DAY, 3, 4, 2))
            records.add_visa_a(s, who.id, DAY, parse_answers(VISA))
            accounts.start_session(s, who, "web")
    with db.transaction() as s:
        accounts.delete_account(s, a.id)
    with db.transaction() as s:
        for table in (models.Assessment, models.DiaryEntry, models.VisaA, models.Session):
            assert (
                s.scalar(select(func.count()).select_from(table).where(table.user_id == a.id)) == 0
            )
            assert (
                s.scalar(select(func.count()).select_from(table).where(table.user_id == b.id)) == 1
            )


def test_retention_purges_what_has_expired(db: Database) -> None:
    dormant, active = new_account(db), new_account(db)
    long_ago = accounts.utcnow() - dt.timedelta(days=accounts.INACTIVE_ACCOUNT_DAYS + 1)
    with db.transaction() as s:
        s.execute(
            update(models.User).where(models.User.id == dormant.id).values(last_sign_in_at=long_ago)
        )
        fresh = accounts.hold_pending(s, {"age": 40})
        stale = accounts.hold_pending(s, {"age": 41})
        s.execute(
            update(models.PendingAssessment)
            .where(models.PendingAssessment.token_hash == accounts.token_hash(stale))
            .values(expires_at=accounts.utcnow() - dt.timedelta(seconds=1))
        )
    with db.transaction() as s:
        counts = accounts.purge_expired(s)
    assert counts["users"] >= 1 and counts["pending_assessments"] >= 1
    with db.transaction() as s:
        assert s.get(models.User, dormant.id) is None
        assert s.get(models.User, active.id) is not None
        assert accounts.take_pending(s, stale) is None
        assert accounts.take_pending(s, fresh) == {"age": 40}
        assert accounts.take_pending(s, fresh) is None  # taken once


def test_a_held_assessment_past_its_time_is_never_given_back(db: Database) -> None:
    with db.transaction() as s:
        token = accounts.hold_pending(s, {"age": 40})
        s.execute(
            update(models.PendingAssessment)
            .values(expires_at=accounts.utcnow() - dt.timedelta(seconds=1))
            .where(models.PendingAssessment.token_hash == accounts.token_hash(token))
        )
    with db.transaction() as s:
        assert accounts.take_pending(s, token) is None


def test_the_shared_secret_is_made_once(db: Database) -> None:
    with db.transaction() as s:
        first = accounts.shared_secret(s, "test-secret")
    with db.transaction() as s:
        assert accounts.shared_secret(s, "test-secret") == first


@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_backup_and_restore_bring_back_every_row(db: Database, tmp_path: Path, target: str) -> None:
    a = new_account(db)
    with db.transaction() as s:
        records.add_entry(s, a.id, DiaryEntry(DAY, 3, 4, 2, notes="ünïcode ✓"))
        records.add_visa_a(s, a.id, DAY, parse_answers(VISA))
    path = tmp_path / "backup.json"
    counts = backup.backup(db, path)
    assert counts["users"] >= 1
    with fresh_database(target, tmp_path) as url:
        other = Database(url)
        try:
            assert backup.restore(other, path) == counts
            with other.transaction() as s:
                [entry] = records.diary(s, a.id)
                assert entry.notes == "ünïcode ✓"
                assert records.visa_as(s, a.id)[0].score == 44
                # new rows still get fresh ids after a restore
                b = accounts.create(s, "after-restore@example.com", "a long enough password")
                assert b.id > a.id
        finally:
            other.dispose()


def test_an_expired_backup_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    backup.backup(db, path)
    late = dt.date.today() + dt.timedelta(days=backup.KEEP_DAYS + 1)
    with pytest.raises(backup.BackupError, match="due for deletion"):
        backup.restore(db, path, today=late)
    path.write_text("{}")
    with pytest.raises(backup.BackupError, match="not a heelpath backup"):
        backup.restore(db, path)


def test_twenty_writers_at_once_lose_nothing(db: Database) -> None:
    people = [new_account(db) for _ in range(20)]
    errors: list[BaseException] = []
    start = threading.Barrier(20)

    def write(account: accounts.Account) -> None:
        try:
            start.wait()
            for n in range(10):
                with db.transaction() as s:
                    records.add_entry(
                        s, account.id, DiaryEntry(DAY - dt.timedelta(days=n), n, n, n)
                    )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.transaction() as s:
        for p in people:
            assert [e.pain_morning for e in records.diary(s, p.id)] == list(range(9, -1, -1))

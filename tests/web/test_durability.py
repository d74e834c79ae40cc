"""Nothing lost, on SQLite and PostgreSQL: a server killed with SIGKILL while diary writes are
in flight keeps every write it acknowledged, whole; 20 people writing at once lose nothing.

Real servers (``heelpath serve`` processes) and real HTTP.
"""

from __future__ import annotations

import datetime as dt
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from heelpath.store import accounts
from heelpath.store.db import Database
from servers import Server, serving, start, stop

pytestmark = pytest.mark.slow
PASSWORD = "a long enough password"
TODAY = dt.date.today()


def person(server: Server, db_url: str, name: str) -> dict[str, str]:
    """A new account (made in the store: sign-up is not under test here) with a saved
    assessment (through the server); returns its API headers."""
    db = Database(db_url)
    try:
        with db.transaction() as session:
            account = accounts.create(session, f"{name}@example.com", PASSWORD)
            token = accounts.start_session(session, account, "api")
    finally:
        db.dispose()
    headers = {"authorization": f"Bearer {token}"}
    r = httpx.post(
        f"{server.url}/api/v1/assessments",
        json={"age": 45, "findings": {}},
        headers=headers,
        timeout=60,
    )
    assert r.status_code == 201
    return headers


def entry(n: int) -> dict[str, object]:
    body: dict[str, object] = {
        "date": (TODAY - dt.timedelta(days=n)).isoformat(),
        "pain_morning": n % 11,
        "pain_during": (n * 3) % 11,
        "notes": f"entry {n} " + "x" * 200,
    }
    if n % 5 == 0:
        body["red_flags"] = ["calf_swelling_tenderness"]  # the entry and its re-triage together
    return body


def write_until_stopped(
    server: Server, headers: dict[str, str], acked: dict[int, int], stop_at: threading.Event
) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        for n in range(3000):
            if stop_at.is_set():
                return
            try:
                r = c.post("/api/v1/diary", json=entry(n), headers=headers)
            except httpx.HTTPError:
                return  # the server is gone: this write was never acknowledged
            if r.status_code == 201:
                acked[n] = r.json()["id"]
            else:
                raise AssertionError(f"{r.status_code} {r.text}")


def check_consistent(url: str) -> None:
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            if db.engine.dialect.name == "sqlite":
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            orphans = conn.execute(
                text(
                    "SELECT COUNT(*) FROM diary_entries d LEFT JOIN users u ON u.id = d.user_id "
                    "WHERE u.id IS NULL"
                )
            ).scalar()
            assert orphans == 0
            unacted = conn.execute(
                text(
                    "SELECT COUNT(*) FROM diary_entries d LEFT JOIN assessments a "
                    "ON a.id = d.retriage_id WHERE d.data LIKE '%calf_swelling%' AND a.id IS NULL"
                    if db.engine.dialect.name == "sqlite"
                    else "SELECT COUNT(*) FROM diary_entries d LEFT JOIN assessments a "
                    "ON a.id = d.retriage_id WHERE d.data::text LIKE '%calf_swelling%' AND a.id IS NULL"
                )
            ).scalar()
            assert unacted == 0  # never an entry with a warning sign that was not re-triaged
    finally:
        db.dispose()


def test_a_killed_server_keeps_every_acknowledged_write(db_url: str, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    server = start(db_url, log)
    try:
        writers = [person(server, db_url, f"crash{i}-{time.monotonic_ns()}") for i in range(6)]
        acked: list[dict[int, int]] = [{} for _ in writers]
        stop_at = threading.Event()
        threads = [
            threading.Thread(target=write_until_stopped, args=(server, h, a, stop_at))
            for h, a in zip(writers, acked, strict=True)
        ]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 60
        while sum(len(a) for a in acked) < 60 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.proc.send_signal(signal.SIGKILL)  # mid-write: requests are in flight
        server.proc.wait(10)
        stop_at.set()
        for t in threads:
            t.join(60)
        assert sum(len(a) for a in acked) >= 60, log.read_text()[-2000:]
    finally:
        stop(server)

    check_consistent(db_url)
    with serving(db_url, log) as again, httpx.Client(base_url=again.url, timeout=30) as c:
        for headers, mine in zip(writers, acked, strict=True):
            stored = {e["id"]: e for e in c.get("/api/v1/diary", headers=headers).json()}
            for n, entry_id in mine.items():
                assert entry_id in stored, f"acknowledged entry {n} is lost"
                assert stored[entry_id]["notes"] == entry(n)["notes"]
                assert stored[entry_id]["pain_morning"] == n % 11


def test_twenty_people_writing_at_once_lose_nothing(db_url: str, tmp_path: Path) -> None:
    with serving(db_url, tmp_path / "serve.log") as server:
        people = [person(server, db_url, f"busy{i}-{time.monotonic_ns()}") for i in range(20)]
        barrier = threading.Barrier(20)
        failures: list[str] = []

        def write(headers: dict[str, str]) -> None:
            with httpx.Client(base_url=server.url, timeout=60) as c:
                barrier.wait()
                for n in range(1, 11):
                    r = c.post("/api/v1/diary", json=entry(n), headers=headers)
                    if r.status_code != 201:
                        failures.append(f"{r.status_code} {r.text}")

        threads = [threading.Thread(target=write, args=(h,)) for h in people]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        assert failures == []
        with httpx.Client(base_url=server.url, timeout=30) as c:
            for headers in people:
                days = [e["date"] for e in c.get("/api/v1/diary", headers=headers).json()]
                assert len(days) == 10 and len(set(days)) == 10
    check_consistent(db_url)

"""Load on the follow-up: sign in, write the diary, view progress — beside a trivial endpoint.

Starts ``heelpath serve`` (one process) on a free loopback port over a fresh SQLite
database (or ``--database-url``, e.g. a PostgreSQL schema), makes the accounts in the
store, then drives the server with Locust (FastHttpUser, headless, from this script):

1. GET /healthz with the same number of users, for ``--trivial-seconds``;
2. the scenario, for ``--seconds``: each user signs in once (POST /api/v1/tokens), then
   writes a diary day (POST /api/v1/diary) and reads progress (GET /api/v1/progress),
   over and over.

Prints requests per second, p50 and p99 latency and the error count for each
request type (the goal is zero errors), and writes them to
benchmarks/results/recovery_load.json. Exit status 1 on any error. Loopback only.

    uv run python benchmarks/recovery_load.py [--users 50] [--seconds 60] [--trivial-seconds 15]
"""

from __future__ import annotations

# Locust patches the standard library with gevent when imported: import it first.
from locust import FastHttpUser, constant, task  # isort: skip
from locust.env import Environment  # isort: skip

import argparse
import datetime as dt
import itertools
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import gevent

from heelpath.store import accounts
from heelpath.store.db import Database

HOST = "127.0.0.1"
RESULTS = Path(__file__).resolve().parent / "results" / "recovery_load.json"
PASSWORD = "benchmark password"
EMAILS: list[str] = []
_next_email = itertools.count()


class TrivialUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def health(self) -> None:
        self.client.get("/healthz", name="GET /healthz")


class RecoveringUser(FastHttpUser):
    """One person: signs in, then keeps their diary and looks at their progress."""

    wait_time = constant(0)

    def on_start(self) -> None:
        self.email = EMAILS[next(_next_email) % len(EMAILS)]
        self.days = itertools.count(1)
        r = self.client.post(
            "/api/v1/tokens",
            json={"email": self.email, "password": PASSWORD},
            name="POST /api/v1/tokens (sign in)",
        )
        self.headers = {"authorization": f"Bearer {r.json()['token']}"} if r.ok else {}

    @task
    def diary(self) -> None:
        n = next(self.days)
        body = {
            "date": (dt.date.today() - dt.timedelta(days=n)).isoformat(),
            "pain_morning": n % 6,
            "pain_during": n % 5,
            "pain_after": n % 4,
            "done": ["progressive_calf_strengthening"],
            "sets": {"progressive_calf_strengthening": 3},
            "notes": "benchmark",
        }
        self.client.post(
            "/api/v1/diary", json=body, headers=self.headers, name="POST /api/v1/diary"
        )

    @task
    def progress(self) -> None:
        self.client.get("/api/v1/progress", headers=self.headers, name="GET /api/v1/progress")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def start_server(database_url: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    url = f"http://{HOST}:{port}"
    env = {**os.environ, "HEELPATH_DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "heelpath", "serve", "--host", HOST, "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.2)
        if proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit(f"the server did not start:\n{log.read_text()[-2000:]}")


def make_accounts(database_url: str, users: int) -> None:
    """The people of the run, each with a saved assessment (the diary follows its plan)."""
    from heelpath.engine import default_engine
    from heelpath.web.recovery import save_assessment

    engine = default_engine()
    db = Database(database_url)
    db.upgrade()
    try:
        for i in range(users):
            email = f"load{i}-{time.time_ns()}@example.com"
            with db.transaction() as session:
                account = accounts.create(session, email, PASSWORD)
            save_assessment(db, engine, account.id, {"age": 40, "findings": {}}, "api")
            EMAILS.append(email)
    finally:
        db.dispose()


def run(user: type[FastHttpUser], url: str, users: int, seconds: float) -> dict[str, Any]:
    env = Environment(user_classes=[user], host=url)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.sleep(seconds)
    runner.quit()
    out = {}
    for (name, method), s in sorted(env.stats.entries.items()):
        out[f"{name}"] = {
            "method": method,
            "requests": s.num_requests,
            "errors": s.num_failures,
            "rps": round(s.num_requests / seconds, 1),
            "p50_ms": s.get_response_time_percentile(0.5),
            "p99_ms": s.get_response_time_percentile(0.99),
        }
    out["errors"] = {str(k): v.occurrences for k, v in env.stats.errors.items()}  # type: ignore[assignment]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--trivial-seconds", type=float, default=15)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="heelpath-load-"))
    url_db = args.database_url or f"sqlite:///{folder / 'load.db'}"
    make_accounts(url_db, args.users)
    proc, url = start_server(url_db, folder / "serve.log")
    try:
        trivial = run(TrivialUser, url, args.users, args.trivial_seconds)
        scenario = run(RecoveringUser, url, args.users, args.seconds)
    finally:
        proc.terminate()
        proc.wait(30)

    database = "PostgreSQL" if url_db.startswith("postgresql") else "SQLite"
    print(f"{args.users} users, one server process, {database}; loopback")
    print(f"{'request':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    errors = 0
    for name, s in [*trivial.items(), *scenario.items()]:
        if name == "errors":
            continue
        errors += s["errors"]
        print(f"{name:34} {s['rps']:>8} {s['p50_ms']:>8} {s['p99_ms']:>8} {s['errors']:>7}")
    for what, count in {**trivial["errors"], **scenario["errors"]}.items():
        print(f"error: {what} x{count}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "users": args.users,
                "seconds": args.seconds,
                "database": database,
                "trivial": trivial,
                "scenario": scenario,
            },
            indent=2,
        )
    )
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())

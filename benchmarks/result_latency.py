"""The result page: p50 and p99, with 1 and with 50 people at once.

Starts ``heelpath serve`` (the same function, access log off, a known
``HEELPATH_SECRET_KEY``) on a free loopback port, then Locust users (FastHttpUser,
keep-alive) each open ``/assess/result`` with the signed answers cookie of a
random person (every question answered) and get the result page back.
The server's own time comes from each response's ``Server-Timing`` header
(``web/timing.py``); the times at the client (loopback, no network) also count
the load generator, which shares the machine's cores.
Three cases:

- one person, again and again;
- 50 people, each sending a last answer every 5 s (a person at the fastest: 50
  people use the app at once, and their requests now and then meet);
- 50 people pressing the button back to back without pause: the worker's
  capacity (results per second) and the queue it then builds.

Also prints the server's CPU time per result page (all its processes).

    uv run python benchmarks/result_latency.py [--workers 1] [--seconds 10]

``--workers 1 2`` compares one worker with two (one person: the time per request
must not grow with a second worker).
"""

from __future__ import annotations

# Locust patches the standard library with gevent when imported: import it first.
from locust import FastHttpUser, constant, constant_pacing, task  # isort: skip
from locust.env import Environment  # isort: skip

import argparse
import itertools
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import gevent
from _inputs import random_inputs

from heelpath.interview import Answers
from heelpath.knowledge import load_knowledge
from heelpath.web import answers_cookie

HOST = "127.0.0.1"
SECRET = "result-latency-benchmark-secret"
FINDINGS = [f.id for f in load_knowledge().findings]


def cookie_header(data: dict[str, Any]) -> str:
    """The answers cookie of ``data``: every question answered (the rest "not sure")."""
    answers = Answers(
        age=data["age"],
        age_text=str(data["age"]),
        sex=data["sex"],
        footwear=tuple(data["footwear"]),
        findings=data["findings"],
        unsure=frozenset(f for f in FINDINGS if f not in data["findings"]),
    )
    key = answers_cookie.derive_key(SECRET.encode())
    return f"{answers_cookie.COOKIE}={answers_cookie.encode(answers, key)}"


COOKIES = [cookie_header(d) for d in random_inputs(500)]


class Person(FastHttpUser):
    wait_time = constant(0)
    cookies = itertools.cycle(COOKIES)

    @task
    def last_answer(self) -> None:
        with self.client.get(
            "/assess/result", headers={"cookie": next(self.cookies)}, catch_response=True
        ) as r:
            if r.status_code != 200 or b"Your result" not in (r.content or b""):
                r.failure(f"not a result page: {r.status_code}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    # the function `heelpath serve` calls (its log, one line a request, to nowhere)
    code = (
        "from heelpath.web.app import serve; "
        f"serve({HOST!r}, {port}, workers={workers}, access_log=False, log_level='warning')"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "HEELPATH_SECRET_KEY": SECRET},
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    time.sleep(2.0 if workers > 1 else 0.0)  # every worker up
                    return proc
        except OSError:
            time.sleep(0.2)
        if proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit("the server did not start")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process and its children so far (Linux), or 0."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(cpu_seconds(int(c)) for c in children)


def measure(base: str, users: int, pace: float, seconds: float, server_pid: int) -> str:
    person = (
        type("PacedPerson", (Person,), {"wait_time": constant_pacing(pace)}) if pace else Person
    )
    env = Environment(user_classes=[person], host=base)
    samples: list[float] = []  # as the client saw them
    server: list[float] = []  # the server's own time (its Server-Timing header)
    failures: list[str] = []

    def on_request(response_time: float, exception: Any, response: Any, **_: Any) -> None:
        if exception is not None:
            failures.append(str(exception))
            return
        samples.append(response_time)
        timing = response.headers.get("server-timing", "")
        if timing.startswith("app;dur="):
            server.append(float(timing.removeprefix("app;dur=")))

    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.sleep(2.0)  # warm-up: every user connected and busy before counting
    env.events.request.add_listener(on_request)
    cpu_before = cpu_seconds(server_pid)
    started = time.perf_counter()
    gevent.sleep(seconds)
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds(server_pid) - cpu_before
    env.events.request.remove_listener(on_request)
    runner.quit()
    who = f"{users:>2} {'person' if users == 1 else 'people'}, " + (
        f"one each {pace:g} s" if pace else "back to back"
    )
    if len(server) < 2:
        return f"{who}: too few results ({len(samples)}, failures: {failures[:3]})"
    s, c = statistics.quantiles(server, n=100), statistics.quantiles(samples, n=100)
    return (
        f"{who:>28}: server p50 {s[49]:6.1f} ms, p99 {s[98]:6.1f} ms "
        f"(at the client p50 {c[49]:.1f} ms, p99 {c[98]:.1f} ms); "
        f"{len(samples) / elapsed:.0f} results/s, server CPU {1000 * cpu / len(samples):.2f} ms "
        f"per result" + (f"; {len(failures)} failures, first: {failures[0]}" if failures else "")
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, nargs="+", default=[1])
    ap.add_argument("--seconds", type=float, default=10.0, help="counted time of each case")
    args = ap.parse_args()
    print(f"last answer to result page, {os.cpu_count()} cores shared with the load generator")
    for workers in args.workers:
        port = free_port()
        proc = start_server(port, workers)
        try:
            print(f"--workers {workers}:")
            for users, pace, seconds in ((1, 0.0, 1), (50, 5.0, 3), (50, 0.0, 1)):
                base = f"http://{HOST}:{port}"
                print("  " + measure(base, users, pace, seconds * args.seconds, proc.pid))
        finally:
            proc.terminate()
            proc.wait(30)


if __name__ == "__main__":
    main()

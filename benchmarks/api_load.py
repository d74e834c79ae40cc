"""Throughput and latency of POST /api/v1/assess against a trivial endpoint of the same app.

Starts ``heelpath serve``'s app (one uvicorn worker, access log off) on a free
loopback port, then drives it with Locust (FastHttpUser, from this script) in
alternating timed phases: GET /healthz, POST /api/v1/assess, and so on, ending
with GET /healthz. The same users, the same concurrency, the same run. Prints
requests per second, p50 and p99 latency and the server's CPU time per request
for each (the median phase), and the ratio of throughputs (assess / trivial; the
goal is at least 0.5): for each round, the assess phase over the mean of the
trivial phases either side of it, and the median of those. On a shared machine
throughput drifts by 10% or more within a minute; neighbours cancel the drift and
the median a stray phase. Loopback only; every phase stops after its time.

    uv run python benchmarks/api_load.py [--users 16] [--seconds 4] [--rounds 4] [--min-ratio 0.5]

Exit status 1 when the ratio is below --min-ratio. The figures also go to
benchmarks/results/api_load.json.
"""

from __future__ import annotations

# Locust patches the standard library with gevent when imported: import it first.
from locust import FastHttpUser, constant, task  # isort: skip
from locust.env import Environment  # isort: skip

import argparse
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import gevent
import orjson
from _inputs import random_inputs

HOST = "127.0.0.1"
RESULTS = Path(__file__).resolve().parent / "results" / "api_load.json"
BODIES = [orjson.dumps(d) for d in random_inputs(500)]
JSON = {"content-type": "application/json"}


class TrivialUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def health(self) -> None:
        self.client.get("/healthz", name="GET /healthz")


class AssessUser(FastHttpUser):
    wait_time = constant(0)
    bodies = itertools.cycle(BODIES)

    @task
    def assess(self) -> None:
        self.client.post(
            "/api/v1/assess", data=next(self.bodies), headers=JSON, name="POST /api/v1/assess"
        )


@dataclass
class Phase:
    endpoint: str
    requests: int
    failures: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    server_cpu_ms: float  # server CPU time per request (user + system), 0 where unknown


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def start_server(port: int) -> subprocess.Popen[bytes]:
    code = (
        "from heelpath.web.server import serve; "
        f"serve({HOST!r}, {port}, access_log=False, log_level='warning')"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
        if proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit("the server did not start")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (Linux), or 0."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_phase(
    user: type[FastHttpUser], base: str, users: int, seconds: float, server_pid: int
) -> Phase:
    env = Environment(user_classes=[user], host=base)
    samples: list[float] = []
    failures = 0

    def on_request(response_time: float, exception: Any, **_: Any) -> None:
        nonlocal failures
        if exception is not None:
            failures += 1
        else:
            samples.append(response_time)

    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.sleep(1.0)  # warm-up: every user connected and busy before counting
    env.events.request.add_listener(on_request)
    cpu_before = cpu_seconds(server_pid)
    started = time.perf_counter()
    gevent.sleep(seconds)
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds(server_pid) - cpu_before
    env.events.request.remove_listener(on_request)
    runner.quit()
    q = statistics.quantiles(samples, n=100) if len(samples) > 1 else [0.0] * 99
    name = user.__name__
    endpoint = "POST /api/v1/assess" if name == "AssessUser" else "GET /healthz"
    return Phase(
        endpoint=endpoint,
        requests=len(samples),
        failures=failures,
        seconds=round(elapsed, 2),
        rps=round(len(samples) / elapsed, 1),
        p50_ms=round(q[49], 2),
        p99_ms=round(q[98], 2),
        server_cpu_ms=round(1000 * cpu / len(samples), 3) if samples else 0.0,
    )


def round_ratios(phases: list[Phase]) -> list[float]:
    """Each assess phase's throughput over the mean of the trivial phases before and after it."""
    out = []
    for i, p in enumerate(phases):
        if p.endpoint == "POST /api/v1/assess":
            around = statistics.fmean([phases[i - 1].rps, phases[i + 1].rps])
            out.append(p.rps / around if around else 0.0)
    return out


def median_phase(phases: list[Phase], endpoint: str) -> Phase:
    ranked = sorted((p for p in phases if p.endpoint == endpoint), key=lambda p: p.rps)
    return ranked[(len(ranked) - 1) // 2]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=16, help="concurrent users (default 16)")
    ap.add_argument("--seconds", type=float, default=4.0, help="length of each phase (default 4)")
    ap.add_argument("--rounds", type=int, default=4, help="alternating rounds (default 4)")
    ap.add_argument("--min-ratio", type=float, default=0.5, help="fail below this ratio")
    args = ap.parse_args()

    port = _free_port()
    base = f"http://{HOST}:{port}"
    proc = start_server(port)
    phases: list[Phase] = []
    try:
        # trivial, assess, trivial, assess, ..., trivial: each assess phase sits between
        # two trivial ones, so a slow drift of the shared machine cancels out
        for _ in range(args.rounds):
            for user in (TrivialUser, AssessUser):
                phases.append(run_phase(user, base, args.users, args.seconds, proc.pid))
        phases.append(run_phase(TrivialUser, base, args.users, args.seconds, proc.pid))
    finally:
        proc.terminate()
        proc.wait(10)

    rounds = round_ratios(phases)
    ratio = statistics.median(rounds)
    trivial = median_phase(phases, "GET /healthz")
    assess = median_phase(phases, "POST /api/v1/assess")
    print(
        f"{args.users} users, {args.rounds} rounds of {args.seconds:g} s per endpoint, "
        f"one uvicorn worker on {os.cpu_count()} cores (median phase shown)"
    )
    print(
        f"{'endpoint':<22}{'requests':>10}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'failed':>8}{'server CPU ms/req':>19}"
    )
    for p in (trivial, assess):
        print(
            f"{p.endpoint:<22}{p.requests:>10}{p.rps:>10.1f}{p.p50_ms:>9.2f}"
            f"{p.p99_ms:>9.2f}{p.failures:>8}{p.server_cpu_ms:>19.3f}"
        )
    print(
        "ratio by round (assess / the trivial phases either side): "
        + ", ".join(f"{r:.2f}" for r in rounds)
    )
    verdict = "ok" if ratio >= args.min_ratio else "BELOW GOAL"
    print(
        f"throughput ratio assess / trivial, median of the rounds: {ratio:.2f} "
        f"(goal >= {args.min_ratio:g}) {verdict}"
    )
    if assess.server_cpu_ms:
        # steadier than throughput on a shared machine: what one request costs the server
        print(
            f"server CPU per request, trivial / assess: "
            f"{trivial.server_cpu_ms / assess.server_cpu_ms:.2f}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "users": args.users,
                "ratio": round(ratio, 3),
                "rounds": [round(r, 3) for r in rounds],
                "phases": [asdict(p) for p in phases],
            },
            indent=2,
        )
    )
    failed = any(p.failures for p in phases)
    return 0 if ratio >= args.min_ratio and not failed else 1


if __name__ == "__main__":
    sys.exit(main())

"""One assessment in process (p50/p99), and the cold start of `heelpath assess` for one case.

    uv run python benchmarks/latency.py [N=5000]

In process: ``heelpath.assess`` over N random inputs, one at a time, timed by the
wall clock and by the thread's own CPU time (on a shared machine the wall clock
also counts the time the process waited for a core; the CPU time does not).

Cold start: ``heelpath assess --json FILE`` of one case as a new process, after one
warm-up run (which writes Python's bytecode caches and heelpath's knowledge cache,
as any first run does), against ``python -c pass``: the median CPU time (user +
system) and wall time of 7 runs each.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _inputs import random_inputs

import heelpath

RUNS = 7


def percentiles(xs: list[float]) -> str:
    q = statistics.quantiles(xs, n=100)
    return f"p50 {q[49]:.3f} ms, p99 {q[98]:.3f} ms"


def in_process(n: int) -> None:
    t = time.perf_counter()
    heelpath.assess({"age": 40, "findings": {}})  # builds the engine once
    build = time.perf_counter() - t
    wall, cpu = [], []
    for data in random_inputs(n, seed=3):
        w, c = time.perf_counter(), time.thread_time()
        heelpath.assess(data)
        cpu.append((time.thread_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    print(f"assess() in process, n={n}: CPU {percentiles(cpu)}; wall {percentiles(wall)}")
    print(f"  (the first call, which loads the knowledge: {build * 1000:.0f} ms)")


def cold_start() -> None:
    hp = shutil.which("heelpath") or str(Path(sys.executable).with_name("heelpath"))
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a person's machine
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        fh.write('{"age": 40, "findings": {"pain_midportion": true}}')
    try:
        for name, cmd in (
            ("heelpath assess --json (one case)", [hp, "assess", "--json", fh.name]),
            ("python -c pass", [sys.executable, "-c", "pass"]),
        ):
            subprocess.run(cmd, env=env, capture_output=True, check=True)  # warm-up
            cpu, wall = [], []
            for _ in range(RUNS):
                usage = resource.getrusage(resource.RUSAGE_CHILDREN)
                before = usage.ru_utime + usage.ru_stime
                start = time.perf_counter()
                subprocess.run(cmd, env=env, capture_output=True, check=True)
                wall.append(time.perf_counter() - start)
                usage = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu.append(usage.ru_utime + usage.ru_stime - before)
            print(
                f"cold start, {name}: CPU {statistics.median(cpu):.3f} s, "
                f"wall {statistics.median(wall):.3f} s (median of {RUNS})"
            )
    finally:
        os.unlink(fh.name)


if __name__ == "__main__":
    in_process(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
    cold_start()

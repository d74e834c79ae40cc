"""In-process single-assessment latency, and CLI cold start against `python -c pass`.

uv run python benchmarks/latency.py [N=2000]
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _inputs import random_inputs

import heelpath


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def in_process(n: int) -> None:
    t = time.perf_counter()
    heelpath.assess({"age": 40, "findings": {}})  # build the engine once
    build = time.perf_counter() - t
    times = []
    for data in random_inputs(n, seed=3):
        t = time.perf_counter()
        heelpath.assess(data)
        times.append(time.perf_counter() - t)
    ms = [x * 1000 for x in times]
    print(
        f"assess() n={n}: p50 {percentile(ms, 0.5):.3f} ms, p99 {percentile(ms, 0.99):.3f} ms, "
        f"mean {statistics.fmean(ms):.3f} ms; first call (loads knowledge) {build * 1000:.0f} ms"
    )


def cold_start(runs: int = 5) -> None:
    hp = shutil.which("heelpath") or str(Path(sys.executable).with_name("heelpath"))
    example = '{"age": 40, "findings": {"pain_midportion": true}}'

    def best(cmd: list[str], stdin: str | None = None) -> float:
        out = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(cmd, input=stdin, text=True, capture_output=True, check=True)
            out.append(time.perf_counter() - t)
        return min(out)

    base = best([sys.executable, "-c", "pass"])
    cli = best([hp, "assess", "--json", "-"], example)
    print(
        f"cold start: heelpath assess {cli * 1000:.0f} ms, python -c pass {base * 1000:.0f} ms, "
        f"ratio {cli / base:.1f}"
    )


if __name__ == "__main__":
    in_process(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
    cold_start()

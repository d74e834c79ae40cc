"""In-process cost of one care plan: ``build_plan`` alone, the differential and triage done.

    uv run python benchmarks/plan_speed.py [N=3000]

Prints the mean microseconds per ``build_plan`` call over N random inputs (best of
three passes), with the urgent and home plans also shown apart.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from _inputs import random_inputs

from heelpath.engine import default_engine
from heelpath.reasoning.differential import score
from heelpath.reasoning.plan import build_plan
from heelpath.reasoning.results import level_rank
from heelpath.reasoning.triage import triage

PASSES = 3


def prepared(n: int) -> list[tuple[Any, ...]]:
    """(knowledge, case, differential, triage) for each input: all build_plan needs."""
    engine = default_engine()
    out = []
    for data in random_inputs(n):
        case = engine.parse(data)
        diff = score(engine.model, case)
        out.append((engine.knowledge, case, diff, triage(engine.rules, case, diff)))
    return out


def mean_us(args: list[tuple[Any, ...]]) -> float:
    """The best of PASSES passes over ``args``, in microseconds per plan."""
    best = float("inf")
    for _ in range(PASSES):
        t = time.perf_counter()
        for a in args:
            build_plan(*a)
        best = min(best, time.perf_counter() - t)
    return best / len(args) * 1e6


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    args = prepared(n)
    build_plan(*args[0])  # anything built on first use is not part of the per-plan cost
    urgent = [a for a in args if level_rank(a[3].level) >= level_rank("urgent")]
    home = [a for a in args if level_rank(a[3].level) < level_rank("urgent")]
    print(f"build_plan, n={n}: {mean_us(args):.1f} µs per plan (best of {PASSES})")
    for name, group in (("urgent/emergency", urgent), ("self-care/soon", home)):
        if group:
            print(f"  {name}: {len(group)} plans, {mean_us(group):.1f} µs per plan")


if __name__ == "__main__":
    main()

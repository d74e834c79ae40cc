"""Batch mode: assessments per second per core of `heelpath assess --batch`, and its I/O floor.

    uv run python benchmarks/batch_throughput.py [N=100000]

Writes N random inputs as JSON Lines and runs ``heelpath assess --batch`` over them
(one process: one core), twice. Prints, for the better run, the assessments per
second of wall time and per second of the process's own CPU time (user + system):
the second is the figure per core, steady on a shared machine. Also prints the
floor: what any implementation must at least do with the same lines, parse each
input and write each answer, done with orjson as heelpath does; the ratio says how
much of the time is the assessment itself.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson
from _inputs import random_inputs


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def floor_seconds(inp: Path, out: Path) -> float:
    """Parse every input line and serialise every answer, with orjson, in this process."""
    lines = inp.read_bytes().splitlines()
    answers = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    start = time.process_time()
    for line in lines:
        orjson.loads(line)
    with open("/dev/null", "wb") as sink:
        for answer in answers:
            sink.write(orjson.dumps(answer) + b"\n")
    return time.process_time() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    hp = shutil.which("heelpath") or str(Path(sys.executable).with_name("heelpath"))
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        inp.write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in random_inputs(n)))
        best_wall = best_cpu = float("inf")
        for _ in range(2):
            cpu, wall = children_cpu(), time.perf_counter()
            with out.open("wb") as fh:
                subprocess.run([hp, "assess", "--batch", str(inp)], stdout=fh, check=True)
            best_wall = min(best_wall, time.perf_counter() - wall)
            best_cpu = min(best_cpu, children_cpu() - cpu)
        answers = sum(1 for _ in out.open("rb"))
        assert answers == n, f"{answers} answers for {n} inputs"
        floor = floor_seconds(inp, out)
    print(
        f"batch n={n}: {best_wall:.1f} s wall ({n / best_wall:.0f} assessments/s), "
        f"{best_cpu:.1f} s CPU: {n / best_cpu:.0f} assessments/s per core"
    )
    print(
        f"I/O floor (orjson parse of each input, serialise of each answer): {floor:.2f} s CPU; "
        f"heelpath takes {best_cpu / floor:.0f}x that"
    )


if __name__ == "__main__":
    main()

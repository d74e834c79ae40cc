"""Batch throughput of `heelpath assess --batch` against the I/O floor of the same work.

The floor is a Python process that parses the same input lines and parses and
re-serialises the same answers: what any implementation must at least do.

    uv run python benchmarks/batch_throughput.py [N=20000]

Prints the best of two runs of each, and the ratio (lower is better; goal 3, limit 10).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _inputs import random_inputs


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    hp = shutil.which("heelpath") or str(Path(sys.executable).with_name("heelpath"))
    d = Path(tempfile.mkdtemp())
    inp, out = d / "in.jsonl", d / "out.jsonl"
    inp.write_text("".join(json.dumps(x) + "\n" for x in random_inputs(n)))
    floor_src = (
        "import json\n"
        f"for l in open({str(inp)!r}): json.loads(l)\n"
        "with open('/dev/null', 'w') as o:\n"
        f"    for l in open({str(out)!r}): o.write(json.dumps(json.loads(l)) + '\\n')\n"
    )
    best_hp = best_floor = float("inf")
    for _ in range(2):
        t = time.perf_counter()
        with out.open("wb") as fh:
            subprocess.run([hp, "assess", "--batch", str(inp)], stdout=fh, check=True)
        best_hp = min(best_hp, time.perf_counter() - t)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", floor_src], check=True)
        best_floor = min(best_floor, time.perf_counter() - t)
    lines = sum(1 for _ in out.open())
    assert lines == n, f"{lines} answers for {n} inputs"
    size = out.stat().st_size / n
    print(
        f"batch n={n}: heelpath {best_hp:.2f} s ({n / best_hp:.0f}/s), I/O floor {best_floor:.2f} s, "
        f"ratio {best_hp / best_floor:.2f} (goal 3, limit 10); answer size {size:.0f} bytes"
    )


if __name__ == "__main__":
    main()

"""Random valid inputs for the benchmarks (fixed seed, so runs compare)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

VOCAB = json.loads(
    (Path(__file__).resolve().parents[1] / "src/heelpath/knowledge/vocabulary.json").read_text()
)


def random_inputs(n: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    ids = [f["id"] for f in VOCAB["findings"]]
    out = []
    for _ in range(n):
        k = rng.randint(3, 18)
        out.append(
            {
                "age": rng.randint(6, 90),
                "sex": rng.choice(VOCAB["sex"]),
                "footwear": rng.sample(VOCAB["footwear"], rng.randint(0, 2)),
                "findings": {i: rng.random() < 0.5 for i in rng.sample(ids, k)},
            }
        )
    return out

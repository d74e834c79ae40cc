"""A digest of heelpath's answers, to show that a change to the code leaves them as they were.

The cases: every vignette of ``../shared/vignettes/*.jsonl`` (where that folder is beside
the checkout) and 10,000 random valid inputs. The random ones come from a seeded
generator (``random.Random``) in the shape of ``strategies.inputs`` and over the same
ids, so they are the same on every run and every machine. Each answer is written as
sorted-key JSON with every probability rounded to the 4 decimals it is shown with, and
hashed; the digest keeps one hash per case, so a difference names its case.

Write the digest from the code as it is (only when the answers are meant to change)::

    uv run python tests/answers_digest.py

``tests/test_answers_digest.py`` compares today's answers with the committed digest.
"""

from __future__ import annotations

import hashlib
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # strategies, when run as a script
from strategies import FINDING_IDS, FOOTWEAR, SEXES, WORK  # noqa: E402

DIGEST = HERE / "answers_digest.txt"
VIGNETTES = HERE.parents[1] / "shared" / "vignettes"
RANDOM_CASES = 10_000
SEED = 20261201
SHOWN_DECIMALS = 4
# ages where the prior changes shape (child blend 15-17, modifiers' bounds) and the limits
EDGE_AGES = (0, 1, 8, 14, 15, 16, 17, 18, 19, 39, 40, 60, 65, 120)


def random_input(rng: random.Random) -> dict[str, Any]:
    """One valid contract input; optional fields are left out half the time."""
    age = rng.choice(EDGE_AGES) if rng.random() < 0.2 else rng.randint(0, 120)
    size = rng.randint(0, 30)
    data: dict[str, Any] = {
        "age": age,
        "findings": {f: rng.random() < 0.5 for f in rng.sample(FINDING_IDS, size)},
    }
    if rng.random() < 0.5:
        data["sex"] = rng.choice(SEXES)
    if rng.random() < 0.5:
        data["footwear"] = rng.sample(FOOTWEAR, rng.randint(0, 3))
    if rng.random() < 0.5:
        data["work"] = rng.choice(WORK)
    if rng.random() < 0.5:
        data["pain_score"] = rng.randint(0, 10)
    return data


def random_cases(n: int = RANDOM_CASES, seed: int = SEED) -> list[tuple[str, dict[str, Any]]]:
    rng = random.Random(seed)
    return [(f"random:{i:05d}", random_input(rng)) for i in range(n)]


def vignette_cases(folder: Path = VIGNETTES) -> list[tuple[str, dict[str, Any]]]:
    """(``file:id``, input) of every vignette; none where the folder is missing."""
    out = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            if line.strip():
                v = orjson.loads(line)
                out.append((f"{path.name}:{v['id']}", v["input"]))
    return out


def inputs_hash(cases: list[tuple[str, dict[str, Any]]]) -> str:
    """One hash of the inputs themselves: a changed generator or vocabulary shows as that."""
    return _hash(orjson.dumps([c for _, c in cases], option=orjson.OPT_SORT_KEYS))


def canonical(answer: Any) -> Any:
    """The answer as shown: every float rounded to the probabilities' 4 decimals."""
    if isinstance(answer, float):
        return round(answer, SHOWN_DECIMALS)
    if isinstance(answer, dict):
        return {k: canonical(v) for k, v in answer.items()}
    if isinstance(answer, list | tuple):
        return [canonical(v) for v in answer]
    return answer


def answer_hash(answer: Any) -> str:
    return _hash(orjson.dumps(canonical(answer), option=orjson.OPT_SORT_KEYS))


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def digest_lines(
    assess: Callable[[dict[str, Any]], Any], cases: list[tuple[str, dict[str, Any]]]
) -> Iterator[str]:
    yield f"inputs {inputs_hash(cases)}"
    for key, data in cases:
        yield f"{key} {answer_hash(assess(data))}"


def read_digest(path: Path = DIGEST) -> dict[str, str]:
    """key -> hash, ``inputs:random`` and ``inputs:vignettes`` included."""
    out = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, value = line.split()
            out[key] = value
    return out


def write_digest(path: Path = DIGEST) -> None:
    import heelpath

    random_part = random_cases()
    vignette_part = vignette_cases()
    if not vignette_part:
        raise SystemExit(f"no vignettes in {VIGNETTES}: the digest must include them")
    lines = ["# heelpath answers digest: written by tests/answers_digest.py, see its docstring"]
    for name, cases in (("vignettes", vignette_part), ("random", random_part)):
        part = list(digest_lines(heelpath.assess, cases))
        lines.append(part[0].replace("inputs", f"inputs:{name}", 1))
        lines.extend(part[1:])
    path.write_text("\n".join(lines) + "\n")
    print(f"{path}: {len(vignette_part)} vignettes, {len(random_part)} random inputs")


if __name__ == "__main__":
    write_digest()

"""How honest are heelpath's probabilities? Reliability by bin and Brier score on case sets.

    uv run python benchmarks/calibration.py [CASES.jsonl ...]

Each case is a vignette (``{"input": ..., "expected": {"diagnosis": ...}}``); by default
the two shared sets, ``../shared/vignettes/dev.jsonl`` and ``published.jsonl``. Every
condition's probability in the answer is one prediction, right when that condition is
the case's reference diagnosis (conditions the answer leaves out count as 0). It prints,
per set:

- the reliability table: predictions grouped by probability, the mean predicted
  against the share that were right (a calibrated model has the two close);
- the expected calibration error (ECE: the bins' gaps weighted by their size);
- the Brier score over all conditions and "something not listed" (0 is perfect; a
  model that always says 100% for the wrong condition scores 2);
- the mean probability given to the reference diagnosis, and how often the top
  condition is right against its mean probability (over- or under-confidence).
"""

from __future__ import annotations

import itertools
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import heelpath

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SETS = [ROOT.parent / "shared" / "vignettes" / n for n in ("dev.jsonl", "published.jsonl")]
BINS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0001)


@dataclass
class Figures:
    name: str
    cases: int
    bins: list[tuple[float, float, int, float, float]]  # lo, hi, n, mean predicted, observed
    ece: float
    brier: float
    mean_reference: float
    top1_confidence: float
    top1_accuracy: float


def _predictions(answer: dict[str, Any], reference: str) -> list[tuple[float, int]]:
    """(probability, 1 if right else 0) for each condition the answer lists."""
    return [(c["probability"], int(c["id"] == reference)) for c in answer["conditions"]]


def evaluate(path: Path) -> Figures:
    cases = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    preds: list[tuple[float, int]] = []
    brier = mean_ref = conf = acc = 0.0
    for case in cases:
        answer = heelpath.assess(case["input"])
        reference = case["expected"]["diagnosis"]
        listed = _predictions(answer, reference)
        preds.extend(listed)
        # conditions left out of the answer are predictions of ~0, right only if the
        # reference is among them; "something not listed" is never the reference
        hit = sum(y for _, y in listed)
        brier += sum((p - y) ** 2 for p, y in listed) + (0 if hit else 1)
        brier += answer["unlisted_probability"] ** 2
        mean_ref += sum(p for p, y in listed if y)
        top = answer["conditions"][0]
        conf += top["probability"]
        acc += top["id"] == reference
    n = len(cases)
    rows = []
    ece = 0.0
    for lo, hi in itertools.pairwise(BINS):
        inside = [(p, y) for p, y in preds if lo <= p < hi]
        if not inside:
            rows.append((lo, min(hi, 1.0), 0, 0.0, 0.0))
            continue
        mp = sum(p for p, _ in inside) / len(inside)
        ob = sum(y for _, y in inside) / len(inside)
        ece += len(inside) * abs(mp - ob)
        rows.append((lo, min(hi, 1.0), len(inside), mp, ob))
    return Figures(
        name=path.name,
        cases=n,
        bins=rows,
        ece=ece / len(preds),
        brier=brier / n,
        mean_reference=mean_ref / n,
        top1_confidence=conf / n,
        top1_accuracy=acc / n,
    )


def report(f: Figures) -> str:
    lines = [f"{f.name}: {f.cases} cases"]
    lines.append("  probability   predictions  mean predicted  observed")
    for lo, hi, n, mp, ob in f.bins:
        shown = f"{mp:14.3f}  {ob:8.3f}" if n else f"{'-':>14}  {'-':>8}"
        lines.append(f"  {lo:4.2f}-{hi:4.2f}   {n:11d}  {shown}")
    lines.append(f"  expected calibration error {f.ece:.3f}")
    lines.append(f"  Brier score (all conditions + not listed) {f.brier:.3f}")
    lines.append(f"  mean probability of the reference diagnosis {f.mean_reference:.3f}")
    lines.append(
        f"  top condition: mean probability {f.top1_confidence:.3f}, "
        f"right {f.top1_accuracy:.3f} of the time"
    )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or DEFAULT_SETS
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"no such case file: {', '.join(missing)}", file=sys.stderr)
        return 2
    for p in paths:
        print(report(evaluate(p)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

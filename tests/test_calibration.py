"""benchmarks/calibration.py: reliability and Brier score of the probabilities."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "calibration.py"

CASES = [
    {
        "input": {"age": 34, "sex": "male", "findings": {"calf_squeeze_no_foot_movement": True}},
        "expected": {"diagnosis": "achilles_tendon_rupture"},
    },
    {
        "input": {"age": 46, "findings": {"pain_at_insertion": True, "tender_insertion": True}},
        "expected": {"diagnosis": "insertional_achilles_tendinopathy"},
    },
    {
        "input": {"age": 46, "findings": {"pain_under_heel": True, "first_step_pain": True}},
        "expected": {"diagnosis": "deep_vein_thrombosis"},  # a deliberate miss
    },
]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120
    )


def test_prints_reliability_and_brier_for_a_case_file(tmp_path: Path) -> None:
    f = tmp_path / "cases.jsonl"
    f.write_text("\n".join(json.dumps(c) for c in CASES) + "\n")
    r = _run(str(f))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "cases.jsonl: 3 cases" in out
    assert "mean predicted" in out and "expected calibration error" in out
    brier = float(out.split("Brier score (all conditions + not listed) ")[1].split()[0])
    # two confident hits and one miss: clearly worse than perfect, better than all wrong
    assert 0.3 < brier < 1.5
    right = out.split("top condition: mean probability ")[1]
    assert "right 0.667 of the time" in right


def test_a_missing_case_file_is_named(tmp_path: Path) -> None:
    r = _run(str(tmp_path / "nowhere.jsonl"))
    assert r.returncode == 2 and "nowhere.jsonl" in r.stderr

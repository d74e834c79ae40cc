"""Is this server ready to answer? It is when its engine answers a known case rightly.

``GET /healthz`` and ``heelpath serve`` ask the engine for a textbook Achilles
tendon rupture and check the answer: urgent or an emergency, the rupture
first, every probability a finite number in 0-1 summing to at most 1. A server
whose knowledge loaded but cannot answer (a number the loader let through, a
rule that fails when run) is never marked ready. The knowledge is immutable
once loaded, so one good answer holds for the life of the process.
"""

from __future__ import annotations

import math
from typing import Any

KNOWN_CASE: dict[str, Any] = {
    "age": 41,
    "sex": "male",
    "findings": {
        "sudden_onset": True,
        "pop_or_snap": True,
        "palpable_gap": True,
        "calf_squeeze_no_foot_movement": True,
    },
}
KNOWN_CONDITION = "achilles_tendon_rupture"
KNOWN_LEVELS = ("urgent", "emergency")


def _is_probability(p: Any) -> bool:
    return (
        isinstance(p, int | float) and not isinstance(p, bool) and math.isfinite(p) and 0 <= p <= 1
    )


def readiness_problem(engine: Any) -> str | None:
    """What is wrong with the engine's answer to the known case, or None when it is right."""
    try:
        answer = engine.assess(KNOWN_CASE)
    except Exception as exc:  # any failure means not ready; the type says which
        return f"the known case cannot be assessed ({type(exc).__name__})"
    conditions = answer.get("conditions") or []
    probabilities = [c.get("probability") for c in conditions]
    if not probabilities or not all(_is_probability(p) for p in probabilities):
        return "the known case's probabilities are not finite numbers between 0 and 1"
    if sum(probabilities) > 1 + 1e-9:
        return "the known case's probabilities sum to more than 1"
    if conditions[0].get("id") != KNOWN_CONDITION:
        return f"the known case does not rank {KNOWN_CONDITION} first"
    if answer.get("triage", {}).get("level") not in KNOWN_LEVELS:
        return "the known case is not triaged urgent or emergency"
    return None

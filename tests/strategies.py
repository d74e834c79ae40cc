"""Hypothesis strategies for the engine, kept in one place."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

_VOCAB = json.loads(
    (Path(__file__).resolve().parents[1] / "src/heelpath/knowledge/vocabulary.json").read_text()
)
FINDING_IDS: list[str] = [f["id"] for f in _VOCAB["findings"]]
SEXES: list[str] = list(_VOCAB["sex"])
FOOTWEAR: list[str] = list(_VOCAB["footwear"])
WORK: list[str] = list(_VOCAB["work"])

findings = st.dictionaries(st.sampled_from(FINDING_IDS), st.booleans(), max_size=30)


@st.composite
def inputs(draw: st.DrawFn, finding_ids: list[str] | None = None) -> dict[str, Any]:
    """A valid contract input, with optional fields sometimes left out."""
    ids = finding_ids or FINDING_IDS
    data: dict[str, Any] = {
        "age": draw(st.integers(0, 120)),
        "findings": draw(st.dictionaries(st.sampled_from(ids), st.booleans(), max_size=30)),
    }
    if draw(st.booleans()):
        data["sex"] = draw(st.sampled_from(SEXES))
    if draw(st.booleans()):
        data["footwear"] = draw(st.lists(st.sampled_from(FOOTWEAR), max_size=3, unique=True))
    if draw(st.booleans()):
        data["work"] = draw(st.sampled_from(WORK))
    if draw(st.booleans()):
        data["pain_score"] = draw(st.integers(0, 10))
    return data

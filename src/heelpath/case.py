"""The validated input the reasoning works from; ``contract.parse_case`` builds it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Case:
    """A validated input (spec v1): what the reasoning code works from."""

    age: int
    findings: Mapping[str, bool]  # finding id -> present; an unlisted one is unknown
    sex: str | None = None
    footwear: tuple[str, ...] = ()
    work: str | None = None
    pain_score: int | None = None

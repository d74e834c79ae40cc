"""The validated input the reasoning works from; ``contract.parse_case`` builds it.

Compiled by mypyc (``setup.py``) into a native, read-only class, as the results
are (see ``reasoning/results.py``): the engine reads its fields many times per
assessment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final


@dataclass(init=False, slots=True)
class Case:
    """A validated input (spec v1): what the reasoning code works from."""

    age: Final[int]
    findings: Final[Mapping[str, bool]]  # finding id -> present; an unlisted one is unknown
    sex: Final[str | None]
    footwear: Final[tuple[str, ...]]
    work: Final[str | None]
    pain_score: Final[int | None]

    def __init__(
        self,
        age: int,
        findings: Mapping[str, bool],
        sex: str | None = None,
        footwear: tuple[str, ...] = (),
        work: str | None = None,
        pain_score: int | None = None,
    ) -> None:
        self.age = age
        self.findings = findings
        self.sex = sex
        self.footwear = footwear
        self.work = work
        self.pain_score = pain_score

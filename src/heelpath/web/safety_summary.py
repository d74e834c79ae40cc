"""The clinical-safety page's content, read from the hazard log when the app starts.

``docs/safety/hazard-log.md`` is the project's clinical risk file; this module
counts its hazards per section and words each section for a person, so the page
can never fall behind the log. In a wheel the log ships beside this module
(``pyproject.toml`` copies it in); from a checkout it is read from ``docs/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOG_PATHS = (
    HERE / "hazard-log.md",  # in a wheel
    HERE.parents[2] / "docs" / "safety" / "hazard-log.md",  # in a checkout
)
SECTION = re.compile(r"^## (.+)$", re.MULTILINE)
HAZARD = re.compile(r"^### H(\d+)\. (.+)$", re.MULTILINE)
BULLET = re.compile(r"^- (.+(?:\n  .+)*)", re.MULTILINE)
# Sections of the log that hold no hazards.
NOT_HAZARDS = ("How to read and keep this log", "Residual risks and limits")

# Each section of the log in plain words: what could go wrong, and what heelpath does.
PLAIN: dict[str, str] = {
    "Missed or delayed care (triage)": (
        "Someone who needs to be seen today, or needs an ambulance, is told they can wait. "
        'The warning-sign questions are always asked, a "not sure" is never taken as a '
        "no, and a 1 in 10 chance of a torn tendon, a broken bone, a clot or an infection "
        "is enough to send someone to care."
    ),
    "A plan that contradicts its own triage": (
        "The home plan says one thing and the advice to get seen says another. Someone "
        "who should be seen first is never given exercises or stretches before then."
    ),
    "Harmful advice for this person (the safety filter)": (
        "A treatment that is risky for this person (a medicine, a product, an exercise) "
        "is suggested. Each one is checked against what the person told us, and left out "
        "with the reason when it is not safe."
    ),
    "The plan as a document": (
        "The plan is unclear, incomplete or misleading. Every item says how much and how "
        "often, and where the evidence disagrees with common advice it says so."
    ),
    "The engine itself": (
        "The calculation behind the result goes wrong. Its answers are pinned by tests, "
        "checked by hand on worked examples, and bad input is refused, never guessed."
    ),
    "Exports: the printed plan and the FHIR record": (
        "A printed or exported plan leaves out a warning or a dose, or a clinic record is "
        "wrong. Both are read back and checked by tests."
    ),
    "Sparse answers: dangers that cannot be ruled out": (
        "Someone who answers few questions is reassured although a danger cannot be "
        "ruled out. Heelpath then says what it could not check and sends them to care "
        "when a danger stays possible."
    ),
    "Knowledge files and the running service": (
        "The medical content is damaged or the service misbehaves. The content is read "
        "strictly and refused when it is broken; the service checks itself before it "
        "answers."
    ),
    "Sparse answers: the ranking and home tests": (
        "With few answers, the likely causes are shown in the wrong order, or a home "
        "check is suggested when it could do harm."
    ),
    "Follow-up: the diary, progress and accounts": (
        "A warning sign in the diary is missed, or someone else sees your records. A "
        "warning sign re-checks your advice at once, and every record is kept to its owner."
    ),
    "Sharing with a clinic": (
        "The wrong person sees your records. Sharing needs a short code you give, works "
        "once, can be stopped at once, and every look is written down for you to read."
    ),
}


@dataclass(frozen=True, slots=True)
class SafetySection:
    title: str
    plain: str  # what could go wrong and what heelpath does, in plain words
    hazards: tuple[str, ...]  # the hazards' titles


@dataclass(frozen=True, slots=True)
class SafetySummary:
    sections: tuple[SafetySection, ...]
    residual: tuple[str, ...]  # the limits that remain, as the log words them

    @property
    def total(self) -> int:
        return sum(len(s.hazards) for s in self.sections)


def summarise(text: str) -> SafetySummary:
    """The hazard log's sections with their hazards, and its residual risks."""
    marks = list(SECTION.finditer(text))
    sections: list[SafetySection] = []
    residual: tuple[str, ...] = ()
    for i, m in enumerate(marks):
        title = m.group(1).strip()
        body = text[m.end() : marks[i + 1].start() if i + 1 < len(marks) else len(text)]
        if title == "Residual risks and limits":
            residual = tuple(re.sub(r"\s+", " ", b).strip() for b in BULLET.findall(body))
            continue
        if title in NOT_HAZARDS:
            continue
        hazards = tuple(
            t.strip() for _, t in HAZARD.findall(body) if not t.strip().endswith("(withdrawn)")
        )
        if hazards:
            sections.append(SafetySection(title, PLAIN.get(title, ""), hazards))
    return SafetySummary(tuple(sections), residual)


def load_summary(paths: tuple[Path, ...] = LOG_PATHS) -> SafetySummary | None:
    """The summary of the first hazard log found, or None when none is shipped."""
    for path in paths:
        if path.is_file():
            return summarise(path.read_text(encoding="utf-8"))
    return None

"""The guided interview: which questions to ask, screen by screen, and what the answers mean.

Pure logic, no web: the web app (``heelpath.web``) renders what this module decides.

- The screens follow the finding groups of the knowledge (where it hurts, how
  it started, what makes it worse, what you can see and feel, your health),
  after a first screen about the person (age, sex, shoes, work, pain).
- Every answer is yes, no or not sure. "Not sure" leaves the finding out of the
  contract input: unknown is not the same as absent.
- Red-flag screening is always asked, and so is the whole health screen (it
  also holds what makes a treatment unsafe). Any other question is skipped when
  neither answer could change the answer we give: the top of the differential,
  any condition's probability by a visible amount, or the triage level.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from heelpath.contract import Case
from heelpath.knowledge.expressions import findings_named
from heelpath.knowledge.model import Finding, Knowledge
from heelpath.parsing import whole_number
from heelpath.reasoning.differential import compile_model, score
from heelpath.reasoning.results import Differential
from heelpath.reasoning.triage import compile_rules, triage

Reply = Literal["yes", "no", "unsure"]
REPLIES: tuple[Reply, ...] = ("yes", "no", "unsure")

# A question is worth asking when one of its answers moves some condition's
# probability by at least this much (two points on the result page's scale) ...
MIN_SHIFT = 0.02
# ... or reorders the conditions shown first on the result page.
TOP_N = 3
# Groups asked in full: the health screen carries red flags and the reasons a
# treatment is left out of the plan, which the differential cannot see.
ALWAYS_ASKED_GROUPS = frozenset({"health"})

AGE_MIN, AGE_MAX = 0, 120
PAIN_MIN, PAIN_MAX = 0, 10
FINDING_PREFIX = "q_"


@dataclass(frozen=True, slots=True)
class Screen:
    """One screen of the interview: a heading, a short lead-in and a finding group (or none)."""

    id: str
    title: str
    lead: str
    group: str | None = None  # None: the "about you" screen


SCREENS: tuple[Screen, ...] = (
    Screen(
        "about",
        "About you",
        "A few facts about you change which causes are likely and what care suits you.",
    ),
    Screen(
        "location",
        "Where it hurts",
        "Use the drawing to find the places. Answer for the heel that hurts most.",
        "location",
    ),
    Screen("history", "How it started", "Think back to when the pain began.", "history"),
    Screen("pattern", "What makes it worse", "Think about the last week or two.", "pattern"),
    Screen(
        "signs",
        "What you can see and feel",
        "Some of these are simple checks. Stop any check that hurts a lot.",
        "signs",
    ),
    Screen(
        "health",
        "Your health",
        "These questions look for warning signs and for treatments to avoid.",
        "health",
    ),
)


def screen_count() -> int:
    return len(SCREENS)


# The "about you" screen in plain words; the ids are the contract's. An empty
# value is "prefer not to say" / "not sure": the field is then left out.
SEX_CHOICES: tuple[tuple[str, str], ...] = (
    ("female", "Female"),
    ("male", "Male"),
    ("other", "Another way"),
    ("", "Prefer not to say"),
)
FOOTWEAR_CHOICES: tuple[tuple[str, str], ...] = (
    ("athletic", "Trainers or running shoes"),
    ("dress", "Dress or work shoes with a stiff back"),
    ("flats_or_womens_dress", "Flats, pumps or heels"),
    ("boots", "Boots (work, walking or fashion)"),
    ("sandals", "Sandals, flip-flops or clogs"),
)
WORK_CHOICES: tuple[tuple[str, str], ...] = (
    ("seated", "Mostly sitting, for example at a desk"),
    ("standing_or_manual", "Mostly on my feet, or physical work"),
    ("", "Neither, or not sure"),
)
PAIN_CHOICES: tuple[tuple[str, str], ...] = (
    ("", "Not sure"),
    *(
        (str(n), f"{n}" + {0: " – no pain", 10: " – worst pain imaginable"}.get(n, ""))
        for n in range(11)
    ),
)


@dataclass(frozen=True, slots=True)
class Answers:
    """What the person has said so far. Findings not listed are unknown ("not sure")."""

    age: int | None = None
    age_text: str = ""  # as typed, to show again when it is not a valid age
    sex: str | None = None
    footwear: tuple[str, ...] = ()
    work: str | None = None
    pain_score: int | None = None
    findings: Mapping[str, bool] = field(default_factory=lambda: MappingProxyType({}))

    def reply(self, finding_id: str) -> Reply:
        value = self.findings.get(finding_id)
        if value is None:
            return "unsure"
        return "yes" if value else "no"


def parse_form(items: Iterable[tuple[str, str]], knowledge: Knowledge) -> Answers:
    """Read the interview's form fields; anything unknown or malformed is ignored.

    Findings are fields ``q_<finding id>`` with the value yes, no or unsure.
    The person's own answers are never trusted to be well formed: only known
    ids and values are kept, so what reaches the engine is always valid.
    """
    finding_ids = {f.id for f in knowledge.findings}
    vocab = knowledge.vocabulary
    age_text = ""
    sex = work = None
    pain_score = None
    footwear: list[str] = []
    findings: dict[str, bool] = {}
    for name, raw in items:
        value = raw if isinstance(raw, str) else ""
        if name == "age":
            age_text = value.strip()[:10]
        elif name == "sex" and value in vocab.sex:
            sex = value
        elif name == "work" and value in vocab.work:
            work = value
        elif name == "footwear" and value in vocab.footwear and value not in footwear:
            footwear.append(value)
        elif name == "pain_score":
            pain_score = whole_number(value, PAIN_MIN, PAIN_MAX)
        elif name.startswith(FINDING_PREFIX):
            fid = name[len(FINDING_PREFIX) :]
            if fid in finding_ids and value in ("yes", "no"):
                findings[fid] = value == "yes"
            elif fid in findings and value == "unsure":
                del findings[fid]
    return Answers(
        age=whole_number(age_text, AGE_MIN, AGE_MAX),
        age_text=age_text,
        sex=sex,
        footwear=tuple(footwear),
        work=work,
        pain_score=pain_score,
        findings=MappingProxyType(findings),
    )


def about_errors(answers: Answers) -> dict[str, str]:
    """Problems on the "about you" screen, by field name, in words for the person."""
    if answers.age is not None:
        return {}
    if not answers.age_text:
        return {"age": "Enter your age in whole years, for example 46."}
    return {"age": f"Enter an age in whole years between {AGE_MIN} and {AGE_MAX}, for example 46."}


def to_input(answers: Answers) -> dict[str, Any]:
    """The contract input (spec v1) for these answers; "not sure" findings are left out."""
    if answers.age is None:
        raise ValueError("the age is needed before the answers can be assessed")
    data: dict[str, Any] = {"age": answers.age, "findings": dict(answers.findings)}
    if answers.sex:
        data["sex"] = answers.sex
    if answers.footwear:
        data["footwear"] = list(answers.footwear)
    if answers.work:
        data["work"] = answers.work
    if answers.pain_score is not None:
        data["pain_score"] = answers.pain_score
    return data


def to_fields(answers: Answers) -> list[tuple[str, str]]:
    """The answers as form fields, to carry them from screen to screen (hidden inputs)."""
    out: list[tuple[str, str]] = []
    if answers.age_text:
        out.append(("age", answers.age_text))
    if answers.sex:
        out.append(("sex", answers.sex))
    out.extend(("footwear", f) for f in answers.footwear)
    if answers.work:
        out.append(("work", answers.work))
    if answers.pain_score is not None:
        out.append(("pain_score", str(answers.pain_score)))
    for fid, value in answers.findings.items():
        out.append((FINDING_PREFIX + fid, "yes" if value else "no"))
    return out


def _case(answers: Answers, findings: Mapping[str, bool]) -> Case:
    return Case(
        age=answers.age if answers.age is not None else 40,
        findings=findings,
        sex=answers.sex,
        footwear=answers.footwear,
        work=answers.work,
        pain_score=answers.pain_score,
    )


def _top(d: Differential) -> tuple[str, ...]:
    return tuple(s.id for s in d.scores[:TOP_N])


class Interview:
    """Decides, for one knowledge base, which questions each screen asks."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self._model = compile_model(knowledge)
        self._rules = compile_rules(knowledge)
        red_flag = {f.id for f in knowledge.findings if f.red_flag}
        for rule in knowledge.red_flag_rules:
            red_flag |= findings_named(rule.when)
        self.always_asked = frozenset(
            f.id for f in knowledge.findings if f.id in red_flag or f.group in ALWAYS_ASKED_GROUPS
        )
        # a finding with no likelihood ratio that moves anything cannot move the differential
        self.informative = frozenset(
            lr.finding
            for lr in knowledge.likelihood_ratios
            if (lr.lr_pos is not None and lr.lr_pos != 1)
            or (lr.lr_neg is not None and lr.lr_neg != 1)
        )
        self._by_group: dict[str, tuple[Finding, ...]] = {}
        for s in SCREENS:
            if s.group:
                self._by_group[s.group] = tuple(f for f in knowledge.findings if f.group == s.group)

    def screen(self, index: int) -> Screen:
        return SCREENS[index]

    def findings_of(self, screen: Screen) -> tuple[Finding, ...]:
        """Every finding a screen could ask, in the knowledge's order."""
        return self._by_group.get(screen.group or "", ())

    def questions(self, screen: Screen, answers: Answers) -> tuple[Finding, ...]:
        """The findings this screen asks about, given the answers so far."""
        candidates = self.findings_of(screen)
        open_ = [
            f.id
            for f in candidates
            if f.id not in self.always_asked and f.id not in answers.findings
        ]
        changing = self.can_change(answers, open_)
        return tuple(
            f
            for f in candidates
            if f.id in self.always_asked or f.id in answers.findings or f.id in changing
        )

    def can_change(self, answers: Answers, finding_ids: Iterable[str]) -> frozenset[str]:
        """The findings (of those given) for which a yes or a no could change the answer.

        Changing the answer means reordering the first conditions, moving any
        condition's probability by at least ``MIN_SHIFT``, or changing the
        triage level.
        """
        ids = [fid for fid in finding_ids if fid in self.informative]
        if not ids:
            return frozenset()
        base_findings = dict(answers.findings)
        cases = [_case(answers, base_findings)]
        for fid in ids:
            for value in (True, False):
                cases.append(_case(answers, {**base_findings, fid: value}))
        scored = [score(self._model, case) for case in cases]
        base = scored[0]
        base_p = {s.id: s.probability for s in base.scores}
        base_level = triage(self._rules, cases[0], base).level
        out = set()
        for i, fid in enumerate(ids):
            for k in (1, 2):
                j = 2 * i + k
                d = scored[j]
                if (
                    _top(d) != _top(base)
                    or any(abs(s.probability - base_p[s.id]) >= MIN_SHIFT for s in d.scores)
                    or triage(self._rules, cases[j], d).level != base_level
                ):
                    out.add(fid)
                    break
        return frozenset(out)

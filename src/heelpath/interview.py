"""The guided interview: which questions to ask, screen by screen, and what the answers mean.

Pure logic, no web: the web app (``heelpath.web``), the terminal (``heelpath
interview``) and the replay benchmark all run this one interview.

1. "About you" (age, sex, pain) comes first; shoes and work (not asked of a
   child) come right after the warning signs.
2. The warning signs come next, on one screen, each needing an explicit answer:
   every finding an emergency rule names, and every finding whose "yes" alone
   sends this person to care today or at once (worked out from the red-flag
   rules, not listed by hand). Most are a yes / no / not sure question each;
   signs of one theme are a warning checklist (below). A "yes" that sends to care
   today ends the interview at once.
3. Then one short screen at a time, the questions chosen by
   ``heelpath.question_choice`` (expected information over the differential and
   the triage level), until no answer could change the level or the leading
   condition, or take an unsafe treatment out of the plan.

Where it hurts (the knowledge's ``sites``, evidence.yaml) is ONE question: the
first time the choice would ask a place, the screen asks "where does it hurt?"
instead, with a box per place and "I can't say where". It counts as one question
(``Interview.asked`` lists it once, as ``SITES``). A ticked place is a "yes". A
place left unticked is recorded as nothing at all: it stays out of the contract
input (unknown), so triage never reads it as a "no" (the ranking reads the
unnamed places as absent by itself, ``reasoning.differential.ranking_findings``),
and it is never asked again to refine, only where an answer to it could raise
the level or take an unsafe item out of the plan. "I can't say where" is "not
sure" to every place. No box ticked is an error, never a default (hazard H106).

The knowledge's checklists (findings.yaml ``checklists``: "do any of these apply to
you?") are asked the same way, one question each: a ticked box is a "yes", "None of
these" a "no" to every box shown, "I'm not sure" "not sure" to every box shown, and a
box left unticked next to a ticked one unknown (hazard H109). One ``TickQuestion``
serves both kinds. A warning checklist (``warning: true``) is asked so among the warning
signs; the result waits until it is answered (hazard H111).

Every answer is yes, no or not sure. "Not sure" leaves the finding out of the
contract input: unknown is not the same as absent. Questions fit the person:
nobody under 16 or male is asked about pregnancy, no child about work. A
follow-up question (findings.yaml ``follows``: "from a height?" after "a fall?")
is asked only after a "yes" to the question it follows; a later "no" or "not sure"
to that question takes the follow-up's answer back, and a "yes" to it with that
question left out means a "yes" to that question (as in the contract).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Literal

from heelpath.case import Case
from heelpath.knowledge.model import Finding, Knowledge
from heelpath.parsing import whole_number
from heelpath.question_choice import Outlook, QuestionChooser
from heelpath.reasoning.results import level_rank

Reply = Literal["yes", "no", "unsure"]
REPLIES: tuple[Reply, ...] = ("yes", "no", "unsure")

AGE_MIN, AGE_MAX = 0, 120
PAIN_MIN, PAIN_MAX = 0, 10
FINDING_PREFIX = "q_"
# Under this age the questions are for a parent ("your child"), as the red-flag
# rules' child age (sick_child: age_below 16) and the plan's child versions.
CHILD_AGE = 16
# Questions that do not fit everyone: pregnancy is not asked of children or men,
# a growth spurt only of children and teenagers.
NOT_FOR_CHILDREN = frozenset({"pregnant"})
NOT_FOR_MEN = frozenset({"pregnant"})
ONLY_UNDER_18 = frozenset({"growth_spurt"})
# At most this many questions on one screen after the warning signs.
SCREEN_MAX = 4
URGENT = level_rank("urgent")

# Questions answered by ticking boxes (TickQuestion): "where does it hurt?" and the
# knowledge's checklists. The id of each is its id in Answers.screens and
# Interview.asked, and its form field: one value per ticked box (a finding id), or
# TICK_UNSURE ("not sure"), or TICK_NONE ("none of these", checklists only).
TICK_UNSURE = "unsure"
TICK_NONE = "none"
# "Where does it hurt?": the knowledge's sites asked as one question.
SITES = "where"
SITES_QUESTION = "Where does it hurt?"
SITES_QUESTION_CHILD = "Where does your child feel the pain?"
SITES_HINT = (
    "Tick every place that hurts, and leave the others empty. "
    "The drawings show where the places are."
)
SITES_CANT_SAY = "I can't say where, or I'm not sure"
# A checklist: "do any of these apply to you?" (findings.yaml ``checklists``).
CHECKLIST_HINT = 'Tick every one that applies, or choose "None of these".'
CHECKLIST_CANT_SAY = "I'm not sure"
NONE_OF_THESE = "None of these"

GROUP_TITLES = {
    "history": "How it started",
    "location": "Where it hurts",
    "pattern": "What makes it worse",
    "signs": "What you can see and feel",
    "health": "Health and medicines",
}


@dataclass(frozen=True, slots=True)
class TickQuestion:
    """One question answered by ticking boxes, a finding each: "where does it hurt?" (the
    knowledge's sites) or a checklist ("do any of these apply to you?").

    A ticked box is a "yes". "Not sure" (``cant_say``) is "not sure" to every box shown.
    "None of these" (``none``; checklists only, pain is somewhere) is a "no" to every box
    shown. A box left unticked next to a ticked one is recorded as nothing: unknown,
    never "no" (hazards H106, H109).
    """

    id: str  # its id in Answers.screens and Interview.asked, and its form field
    title: str
    question: str
    question_child: str
    hint: str
    ask: str  # the start of its error message: "Tick the places that hurt"
    boxes: Mapping[str, str]  # finding id -> the words of its box, in order
    cant_say: str
    none: str = ""  # the "none of these" box ("": there is none)
    # asked among the warning signs (a checklist with ``warning: true``), not chosen
    warning: bool = False

    def wording(self, answers: Answers) -> str:
        """The question as this person is asked it (a parent: "your child")."""
        return self.question_child if answers.is_child else self.question

    def values(self, sent: Iterable[str]) -> list[str]:
        """The form values this question knows: boxes, "not sure", "none of these"."""
        special = {TICK_UNSURE, TICK_NONE} if self.none else {TICK_UNSURE}
        return [v for v in sent if v in self.boxes or v in special]


def tick_questions(knowledge: Knowledge) -> dict[str, TickQuestion]:
    """The questions answered by ticking boxes, by id: "where does it hurt?" first."""
    places = {f.id: f.place for f in knowledge.findings if f.id in knowledge.sites}
    out = {
        SITES: TickQuestion(
            id=SITES,
            title=GROUP_TITLES["location"],
            question=SITES_QUESTION,
            question_child=SITES_QUESTION_CHILD,
            hint=SITES_HINT,
            ask="Tick the places that hurt",
            boxes=MappingProxyType({s: places[s] for s in knowledge.sites}),
            cant_say=SITES_CANT_SAY,
        )
    }
    for c in knowledge.checklists:
        out[c.id] = TickQuestion(
            id=c.id,
            title=c.title,
            question=c.question,
            question_child=c.question_child,
            hint=CHECKLIST_HINT,
            ask="Tick the ones that apply",
            boxes=MappingProxyType(dict(c.boxes)),
            cant_say=CHECKLIST_CANT_SAY,
            none=NONE_OF_THESE,
            warning=c.warning,
        )
    return out


@dataclass(frozen=True, slots=True)
class Screen:
    """One screen of questions: a heading and the findings it asks, or one question
    answered by ticking a box per finding (``tick``)."""

    title: str
    findings: tuple[Finding, ...]
    tick: TickQuestion | None = None

    @property
    def sites(self) -> bool:
        """Whether this is "where does it hurt?"."""
        return self.tick is not None and self.tick.id == SITES

    @property
    def ids(self) -> tuple[str, ...]:
        """How the screen is kept in ``Answers.screens``: a tick question starts with its id."""
        ids = tuple(f.id for f in self.findings)
        return (self.tick.id, *ids) if self.tick is not None else ids


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
    """What the person has said so far. Findings not listed are unknown ("not sure").

    ``unsure`` holds the questions answered "not sure" (asked, still unknown);
    ``screens`` the finding ids of each question screen shown after the warning
    signs, in order, so that each step can be shown again as it was.
    """

    age: int | None = None
    age_text: str = ""  # as typed, to show again when it is not a valid age
    sex: str | None = None
    footwear: tuple[str, ...] = ()
    work: str | None = None
    pain_score: int | None = None
    findings: Mapping[str, bool] = field(default_factory=lambda: MappingProxyType({}))
    unsure: frozenset[str] = frozenset()
    screens: tuple[tuple[str, ...], ...] = ()

    def reply(self, finding_id: str) -> Reply | None:
        """The answer given, or None when the question has not been answered."""
        value = self.findings.get(finding_id)
        if value is None:
            return "unsure" if finding_id in self.unsure else None
        return "yes" if value else "no"

    def answered(self, finding_id: str) -> bool:
        return finding_id in self.findings or finding_id in self.unsure

    @property
    def is_child(self) -> bool:
        return self.age is not None and self.age < CHILD_AGE


def wording(finding: Finding, answers: Answers) -> str:
    """The question as this person is asked it, decided once from the age: a parent
    answering for a child (under ``CHILD_AGE``) gets the knowledge's child wording
    ("your child") where it has one."""
    if answers.is_child and finding.question_child:
        return finding.question_child
    return finding.question


def hint(finding: Finding, answers: Answers) -> str:
    """How to check it, as this person reads it: a parent checking a child gets the
    knowledge's child version where it has one (decided with :func:`wording`)."""
    if answers.is_child and finding.help_child:
        return finding.help_child
    return finding.help


def site_fields(ticked: Iterable[str] | None) -> list[tuple[str, str]]:
    """The form fields of an answer to "where does it hurt?": a field per ticked place,
    or None for "I can't say where"."""
    return tick_fields(SITES, TICK_UNSURE if ticked is None else tuple(ticked))


def tick_fields(tick_id: str, reply: Iterable[str] | str) -> list[tuple[str, str]]:
    """The form fields of an answer to a tick question: a field per ticked box, or
    TICK_UNSURE ("not sure") or TICK_NONE ("none of these")."""
    if isinstance(reply, str):
        return [(tick_id, reply)]
    fields = [(tick_id, fid) for fid in reply]
    if not fields:
        raise ValueError("nothing ticked: tick a box, or answer 'not sure' or 'none of these'")
    return fields


def tick_answer(screen: Screen, says: Callable[[str], bool | None]) -> list[tuple[str, str]]:
    """The form fields of a person answering a tick question as they would answer each
    box on its own (``says``: yes, no, or None for not sure): a tick for each "yes"; with
    none, "none of these" where every box is a "no" (and the question has that box); else
    "not sure" ("I can't say where"). The replay and the tests answer this way."""
    if screen.tick is None:
        raise ValueError("not a tick question")
    shown = [f.id for f in screen.findings]
    ticked = tuple(f for f in shown if says(f) is True)
    if ticked:
        return tick_fields(screen.tick.id, ticked)
    if screen.tick.none and all(says(f) is False for f in shown):
        return tick_fields(screen.tick.id, TICK_NONE)
    return tick_fields(screen.tick.id, TICK_UNSURE)


def _apply_ticks(
    tick: TickQuestion,
    shown: tuple[str, ...],
    values: list[str],
    findings: dict[str, bool],
    unsure: set[str],
) -> None:
    """Lay one answer to a tick question over the findings it showed (see TickQuestion).
    Every earlier answer to them is taken back, but for the places a "no" given to one
    on its own stays (a place is never answered "no" by the site question itself)."""
    ticked = [v for v in values if v in shown]
    for fid in shown:
        if tick.none or findings.get(fid) is True:
            findings.pop(fid, None)
        unsure.discard(fid)
    if ticked:
        findings.update(dict.fromkeys(ticked, True))
    elif tick.none and TICK_NONE in values:
        findings.update(dict.fromkeys(shown, False))
    elif TICK_UNSURE in values:
        for fid in shown:
            findings.pop(fid, None)
            unsure.add(fid)


def parse_form(items: Iterable[tuple[str, str]], knowledge: Knowledge) -> Answers:
    """Read the interview's form fields; anything unknown or malformed is ignored.

    Findings are fields ``q_<finding id>`` with the value yes, no or unsure; a tick
    question ("where does it hurt?", a checklist) is fields named by its id, one per
    ticked box, or one ``unsure`` or ``none`` (see :func:`merge_form`).
    The person's own answers are never trusted to be well formed: only known
    ids and values are kept, so what reaches the engine is always valid.
    """
    return merge_form(Answers(), items, knowledge)


def merge_form(
    answers: Answers,
    items: Iterable[tuple[str, str]],
    knowledge: Knowledge,
    owns: Iterable[str] = (),
) -> Answers:
    """The answers with the form's fields laid over them.

    ``owns``: the about-you fields this form shows; those it does not send are
    cleared (an unticked box or "prefer not to say" sends nothing).

    The fields of a tick question (its id: ``where`` for "where does it hurt?", a
    checklist's id) answer it as a whole, for the boxes its screen showed (all of them
    when it has not been shown): the boxes ticked become "yes", every earlier "yes" or
    "not sure" to them is taken back, and a box left unticked is recorded as nothing
    (unknown, never "no"); a "no" given to a place on its own stays. ``unsure`` alone is
    "not sure" to every box, ``none`` alone (checklists) "no" to every box. When ticks
    come with either, the ticks count.
    """
    finding_ids = {f.id for f in knowledge.findings}
    vocab = knowledge.vocabulary
    owned = set(owns)
    age_text = "" if "age" in owned else answers.age_text
    sex = None if "sex" in owned else answers.sex
    work = None if "work" in owned else answers.work
    pain_score = None if "pain_score" in owned else answers.pain_score
    footwear: list[str] = [] if "footwear" in owned else list(answers.footwear)
    findings = dict(answers.findings)
    unsure = set(answers.unsure)
    ticks = tick_questions(knowledge)
    sent: dict[str, list[str]] = {}
    for name, raw in items:
        value = raw if isinstance(raw, str) else ""
        if name == "age":
            age_text = value.strip()[:10]
        elif name == "sex":
            sex = value if value in vocab.sex else None
        elif name == "work":
            work = value if value in vocab.work else None
        elif name == "footwear" and value in vocab.footwear and value not in footwear:
            footwear.append(value)
        elif name == "pain_score":
            pain_score = whole_number(value, PAIN_MIN, PAIN_MAX)
        elif name in ticks and ticks[name].values([value]):
            sent.setdefault(name, []).append(value)
        elif name.startswith(FINDING_PREFIX):
            fid = name[len(FINDING_PREFIX) :]
            if fid in finding_ids and value in ("yes", "no"):
                findings[fid] = value == "yes"
                unsure.discard(fid)
            elif fid in finding_ids and value == "unsure":
                findings.pop(fid, None)
                unsure.add(fid)
    for tick_id, values in sent.items():
        tick = ticks[tick_id]
        shown = next((s[1:] for s in answers.screens if s and s[0] == tick_id), tuple(tick.boxes))
        _apply_ticks(tick, shown, values, findings, unsure)
    for fid, parent in knowledge.follow_ups.items():
        if findings.get(fid) is True and parent not in findings and parent not in unsure:
            findings[parent] = True  # "from a height" with the fall left out: a fall, as ever
        elif findings.get(parent) is not True:  # "no fall": "from a height" does not apply
            findings.pop(fid, None)
            unsure.discard(fid)
    return Answers(
        age=whole_number(age_text, AGE_MIN, AGE_MAX),
        age_text=age_text,
        sex=sex,
        footwear=tuple(footwear),
        work=work,
        pain_score=pain_score,
        findings=MappingProxyType(findings),
        unsure=frozenset(unsure),
        screens=answers.screens,
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
    """The answers as form fields (the result page's save and download forms carry them)."""
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


def _ids(item: Finding | Screen) -> tuple[str, ...]:
    """The finding a question asks, or the boxes of a tick question."""
    return tuple(f.id for f in item.findings) if isinstance(item, Screen) else (item.id,)


class Interview:
    """The interview for one knowledge base: what to ask next, for this person."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.chooser = QuestionChooser(knowledge)
        self._by_id = {f.id: f for f in knowledge.findings}
        self._order = {f.id: i for i, f in enumerate(knowledge.findings)}
        self._follows = knowledge.follow_ups
        self._ticks = tick_questions(knowledge)
        # a warning sign asked in a warning checklist -> that checklist
        self._warning_tick = {fid: t for t in self._ticks.values() if t.warning for fid in t.boxes}
        self._emergency = frozenset(
            fid for c in self.chooser.rules if c.rule.level == "emergency" for fid in c.findings
        )
        self._emergency_alone = frozenset(  # a "yes" alone is an emergency
            fid
            for c in self.chooser.rules
            if c.rule.level == "emergency" and len(c.findings) == 1
            for fid in c.findings
        )

    def finding(self, finding_id: str) -> Finding:
        return self._by_id[finding_id]

    def question_text(self, question_id: str, answers: Answers) -> str:
        """A question asked (an id from :meth:`asked`) as this person read it."""
        if question_id in self._ticks:
            return self._ticks[question_id].wording(answers)
        return wording(self._by_id[question_id], answers)

    # -- the person ---------------------------------------------------------------------

    def applies(self, finding_id: str, answers: Answers) -> bool:
        """Whether the question fits this person (pregnancy, growth spurts) and their
        answers (a follow-up only after a yes to the question it follows)."""
        parent = self._follows.get(finding_id)
        if parent is not None and answers.findings.get(parent) is not True:
            return False
        if answers.is_child and finding_id in NOT_FOR_CHILDREN:
            return False
        if answers.sex == "male" and finding_id in NOT_FOR_MEN:
            return False
        return not (finding_id in ONLY_UNDER_18 and answers.age is not None and answers.age >= 18)

    def wording(self, finding: Finding, answers: Answers) -> str:
        """The question as this person is asked it (see :func:`wording`)."""
        return wording(finding, answers)

    def hint(self, finding: Finding, answers: Answers) -> str:
        """How to check it, as this person reads it (see :func:`hint`)."""
        return hint(finding, answers)

    def case(self, answers: Answers) -> Case:
        """The answers as the engine reads them (questions that do not fit are left out)."""
        if answers.age is None:
            raise ValueError("the age is needed before the answers can be assessed")
        return Case(
            age=answers.age,
            findings={f: v for f, v in answers.findings.items() if self.applies(f, answers)},
            sex=answers.sex,
            footwear=answers.footwear,
            work=None if answers.is_child else answers.work,
            pain_score=answers.pain_score,
        )

    def case_input(self, answers: Answers) -> dict[str, Any]:
        """The contract input for these answers (questions that do not fit are left out)."""
        data = to_input(answers)
        data["findings"] = {f: v for f, v in data["findings"].items() if self.applies(f, answers)}
        if answers.is_child:
            data.pop("work", None)
        return data

    def outlook(self, answers: Answers) -> Outlook:
        return self.chooser.outlook(self.case(answers))

    # -- the warning signs --------------------------------------------------------------

    def warning_signs(self, answers: Answers) -> tuple[Finding, ...]:
        """The warning-sign questions for this person, in the knowledge's order: every
        finding an emergency rule names, and every one whose "yes" alone means care today."""
        if answers.age is None:
            return ()
        ids = self._warning_sign_ids(answers.age, answers.sex, answers.pain_score)
        return tuple(f for f in self.knowledge.findings if f.id in ids)

    @functools.lru_cache(maxsize=512)  # noqa: B019 - one Interview per app, few ages
    def _warning_sign_ids(self, age: int, sex: str | None, pain: int | None) -> frozenset[str]:
        person = Answers(age=age, sex=sex, pain_score=pain)
        out = set()
        for f in self.knowledge.findings:
            if not self.applies(f.id, person):
                continue
            if f.id in self._emergency:
                out.add(f.id)
                continue
            alone = Case(age=age, findings={f.id: True}, sex=sex, pain_score=pain)
            if self.chooser.outlook(alone).level >= URGENT:
                out.add(f.id)
        return frozenset(out)

    def warning_steps(self, answers: Answers) -> tuple[Finding | Screen, ...]:
        """The warning signs as the person is asked them: those that need help at once
        first, then the rest, each part in the knowledge's order; a question per sign, and
        a tick question for each warning checklist (findings.yaml ``checklists`` with
        ``warning: true``) with two or more of this person's signs, at the place of its
        first box. One with a single sign for this person asks it on its own."""
        signs = self.warning_signs(answers)
        ids = {f.id for f in signs}
        out: list[Finding | Screen] = []
        placed: set[str] = set()
        for f in signs:
            tick = self._warning_tick.get(f.id)
            boxes = () if tick is None else tuple(self._by_id[b] for b in tick.boxes if b in ids)
            if tick is None or len(boxes) < 2:
                out.append(f)
            elif tick.id not in placed:
                placed.add(tick.id)
                out.append(Screen(tick.title, boxes, tick=tick))
        # the signs an emergency rule names come first, those that alone mean one first of all
        out.sort(key=lambda item: (not self.is_emergency_item(item), not self._alone(item)))
        return tuple(out)

    def is_emergency_item(self, item: Finding | Screen) -> bool:
        """Whether a warning-sign question asks a sign an emergency rule names."""
        return any(self.is_emergency_sign(fid) for fid in _ids(item))

    def _alone(self, item: Finding | Screen) -> bool:
        return all(fid in self._emergency_alone for fid in _ids(item))

    def warning_ticks(self, answers: Answers) -> dict[str, tuple[str, ...]]:
        """The warning checklists this person is asked, with the boxes each shows."""
        return {
            item.tick.id: tuple(f.id for f in item.findings)
            for item in self.warning_steps(answers)
            if isinstance(item, Screen) and item.tick is not None
        }

    def is_emergency_sign(self, finding_id: str) -> bool:
        return finding_id in self._emergency

    def missing_warning_steps(self, answers: Answers) -> tuple[Finding | Screen, ...]:
        """The warning-sign questions not answered yet: a question per sign with no yes, no
        or not sure; a warning checklist with no box ticked, not "none of these" and not
        "not sure" (a box left unticked next to a ticked one is unknown, not missing)."""
        out: list[Finding | Screen] = []
        for item in self.warning_steps(answers):
            if isinstance(item, Screen):
                assert item.tick is not None
                if self.tick_reply(answers, item.tick.id) is None:
                    out.append(item)
            elif not answers.answered(item.id):
                out.append(item)
        return tuple(out)

    def missing_warning_signs(self, answers: Answers) -> tuple[Finding, ...]:
        """The warning signs whose question is not answered yet (see
        :meth:`missing_warning_steps`), a finding each."""
        out: list[Finding] = []
        for item in self.missing_warning_steps(answers):
            out.extend(item.findings if isinstance(item, Screen) else (item,))
        return tuple(out)

    # -- what to ask next ---------------------------------------------------------------

    def asked(self, answers: Answers) -> list[str]:
        """Every question asked so far, warning signs first, then screen by screen: a
        finding id each, and a tick question ("where does it hurt?", a checklist) once,
        as its id, however many boxes it showed."""
        out = [
            item.ids[0] if isinstance(item, Screen) else item.id  # a checklist: its id
            for item in self.warning_steps(answers)
        ]
        for screen in answers.screens:
            ids = screen[:1] if self.tick_of(screen) else [f for f in screen if f in self._by_id]
            out.extend(fid for fid in ids if fid not in out)
        return [fid for fid in out if fid in self._ticks or self.applies(fid, answers)]

    def asked_findings(self, answers: Answers) -> list[str]:
        """Every finding asked so far: the boxes a tick question showed count, each."""
        out: list[str] = []
        for qid in self.asked(answers):
            out.extend(self.tick_shown(answers, qid) if qid in self._ticks else [qid])
        return list(dict.fromkeys(out))

    # -- questions answered by ticking boxes ----------------------------------------------

    def tick_question(self, tick_id: str) -> TickQuestion:
        return self._ticks[tick_id]

    def tick_of(self, screen_ids: tuple[str, ...]) -> TickQuestion | None:
        """The tick question a kept screen (``Answers.screens``) asked, or None."""
        return self._ticks.get(screen_ids[0]) if screen_ids else None

    def tick_shown(self, answers: Answers, tick_id: str) -> tuple[str, ...]:
        """The boxes a tick question showed (none when it was not asked); a warning
        checklist's are those of this person's warning signs."""
        if self._ticks[tick_id].warning:
            return self.warning_ticks(answers).get(tick_id, ())
        for screen in answers.screens:
            if screen and screen[0] == tick_id:
                return tuple(f for f in screen[1:] if f in self._by_id and self.applies(f, answers))
        return ()

    def tick_reply(
        self, answers: Answers, tick_id: str
    ) -> tuple[str, ...] | Literal["unsure", "none"] | None:
        """The answer to a tick question: the boxes ticked, "unsure", "none" (none of
        these), or None (not asked, or not answered yet)."""
        shown = self.tick_shown(answers, tick_id)
        ticked = tuple(f for f in shown if answers.findings.get(f) is True)
        if ticked:
            return ticked
        none = self._ticks[tick_id].none
        if none and shown and all(answers.findings.get(f) is False for f in shown):
            return "none"
        if any(f in answers.unsure for f in shown):
            return "unsure"
        return None

    def tick_error(self, tick_id: str, values: Iterable[str], answers: Answers) -> str | None:
        """What is wrong with an answer to a tick question (its form values), in words for
        the person, or None. Nothing ticked is an error, never a default; so are boxes
        ticked together with "not sure" or "none of these", or those two together."""
        tick = self._ticks[tick_id]
        known = set(tick.values(values))
        special = [f'"{tick.none}"'] if tick.none else []
        choose = " or ".join([*special, f'"{tick.cant_say}"'])
        question = tick.wording(answers)
        if not known:
            return f"{tick.ask}, or choose {choose}, for: {question}"
        if len(known) > 1 and known & {TICK_UNSURE, TICK_NONE}:
            return f"{tick.ask}, or choose {choose}, not both, for: {question}"
        return None

    def _tick_screen(self, answers: Answers, tick: TickQuestion) -> Screen | None:
        """The tick question with its boxes still open for this person; None when fewer
        than two are (one is asked as a question of its own)."""
        boxes = tuple(
            self._by_id[f]
            for f in tick.boxes
            if self.applies(f, answers) and not answers.answered(f)
        )
        return Screen(tick.title, boxes, tick=tick) if len(boxes) > 1 else None

    def next_screen(self, answers: Answers) -> Screen | None:
        """The next screen of questions, or None when the interview is over.

        Over: once the level is "today" or "emergency" and nothing could raise it,
        or when no answer could change the level, the leading condition or the plan's
        safety (``heelpath.question_choice``).
        """
        if answers.age is None or self.missing_warning_signs(answers):
            raise ValueError("the age and the warning signs come before the other questions")
        case = self.case(answers)
        open_ = self.open_findings(answers)
        # the boxes left unticked in a tick question stay open, but only for safety
        asked_ticks = {s[0] for s in answers.screens if self.tick_of(s)}
        asked_ticks |= set(self.warning_ticks(answers))
        unticked = frozenset(f for t in asked_ticks for f in self.tick_shown(answers, t))
        if not open_:
            return None
        chosen_so_far = sum(1 if self.tick_of(s) else len(s) for s in answers.screens)
        candidates = self.chooser.next_findings(case, open_, chosen_so_far, unticked)
        if self.chooser.outlook(case).level >= URGENT:
            # care today is decided: only what could raise it further is still asked
            candidates = [c for c in candidates if c.raises_safety]
        if not candidates:
            return None
        # a box of a tick question not asked yet: the whole question, at once
        waiting = {f: t for t in self._ticks.values() if t.id not in asked_ticks for f in t.boxes}
        tick = waiting.get(candidates[0].finding)
        screen = self._tick_screen(answers, tick) if tick is not None else None
        if screen is not None:
            return screen
        first = self._by_id[candidates[0].finding]
        same_group = [
            self._by_id[c.finding]
            for c in candidates[1:]
            if self._by_id[c.finding].group == first.group
            and c.finding not in waiting  # they come in their tick question
        ]
        chosen = sorted([first, *same_group[: SCREEN_MAX - 1]], key=lambda f: self._order[f.id])
        return Screen(GROUP_TITLES.get(first.group, "A few more questions"), tuple(chosen))

    def open_findings(self, answers: Answers) -> list[str]:
        """The questions that could still be asked, in the knowledge's order: not answered,
        not asked on their own, fitting the person. A place left unticked in "where does it
        hurt?" is among them (it may be asked again, for safety only)."""
        one_by_one = {item.id for item in self.warning_steps(answers) if isinstance(item, Finding)}
        for screen in answers.screens:
            if not self.tick_of(screen):
                one_by_one.update(screen)
        asked = one_by_one | set(answers.findings) | answers.unsure
        return [
            f.id
            for f in self.knowledge.findings
            if f.id not in asked and self.applies(f.id, answers)
        ]

    def screen_at(self, answers: Answers, index: int) -> Screen:
        """A screen already shown (its questions as asked then)."""
        kept = answers.screens[index]
        ids = [fid for fid in kept if fid in self._by_id]
        findings = tuple(self._by_id[fid] for fid in ids if self.applies(fid, answers))
        tick = self.tick_of(kept)
        if tick is not None:
            return Screen(tick.title, findings, tick=tick)
        group = findings[0].group if findings else ""
        return Screen(GROUP_TITLES.get(group, "A few more questions"), findings)

    def with_screen(self, answers: Answers, screen: Screen) -> Answers:
        return replace(answers, screens=(*answers.screens, screen.ids))

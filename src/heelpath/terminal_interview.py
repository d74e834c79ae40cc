"""The interview at a terminal (``heelpath interview``): the same questions as the web.

One question at a time, in the web's order: about you first (age, sex, pain),
then the warning signs, then shoes and work (not when care today is already
decided; no work question for a child), then the screens the interview chooses
(``heelpath.interview``).
Each question takes y (yes), n (no) or ? (not sure); "b" goes back one question
and takes its answer back. "Where does it hurt?" is one question with a numbered
list of places: the numbers of every place that hurts, separated by commas (a
place left out is not recorded as a "no"), or ? for "I can't say where". A
checklist ("do any of these apply?") is one question in the same way, with 0 for
"none of these". Nothing typed is asked again, never taken as an answer. Reading and writing go through the two functions
given, so a test can drive it without a terminal.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum, auto
from types import MappingProxyType
from typing import Literal, TypeVar

from heelpath.interview import (
    FOOTWEAR_CHOICES,
    SEX_CHOICES,
    TICK_NONE,
    TICK_UNSURE,
    URGENT,
    WORK_CHOICES,
    Answers,
    Interview,
    Screen,
    TickQuestion,
    about_errors,
    merge_form,
    tick_fields,
)
from heelpath.knowledge.model import Finding

T = TypeVar("T")
Ask = Callable[[str], str]
Say = Callable[[str], None]
REPLIES = {"y": True, "yes": True, "n": False, "no": False, "?": None, "not sure": None}
BACK = ("b", "back")
SITES_PROMPT = "   Numbers, separated by commas, or ? if you can't say where (b = back): "
CHECKLIST_PROMPT = (
    "   Numbers, separated by commas, 0 for none of these, or ? if not sure (b = back): "
)


class Stopped(Exception):
    """The person ended the interview (end of input)."""


@dataclass(frozen=True)
class _Point:
    """What was known before a question, to go back to."""

    answers: Answers
    pending: tuple[Finding | Screen, ...]


def _choose(ask: Ask, say: Say, prompt: str, choices: tuple[tuple[str, str], ...]) -> str | None:
    """One of the choices by number; Enter for none (a choice with the value "" counts too)."""
    shown = [(v, label) for v, label in choices if v]
    say(prompt)
    for i, (_, label) in enumerate(shown, 1):
        say(f"  {i}. {label}")
    while True:
        raw = ask("Number, or Enter to skip: ").strip()
        if not raw:
            return None
        if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= len(shown):
            return shown[int(raw) - 1][0]
        say(f"Type a number from 1 to {len(shown)}, or press Enter.")


def ask_about(interview: Interview, ask: Ask, say: Say) -> Answers:
    """The about-you questions (the web's first step); the age is needed, the rest may
    be skipped."""
    knowledge = interview.knowledge
    while True:
        age = ask("Your age in years (for a child, the child's age): ").strip()
        answers = merge_form(Answers(), [("age", age)], knowledge)
        problems = about_errors(answers)
        if not problems:
            break
        say(problems["age"])
    fields = [("age", age)]
    sex = _choose(ask, say, "Sex:", SEX_CHOICES)
    if sex:
        fields.append(("sex", sex))
    while True:
        pain = ask("Worst pain in the last 24 hours, 0 to 10 (Enter to skip): ").strip()
        if not pain or (pain.isascii() and pain.isdigit() and int(pain) <= 10):
            break
        say("Type a whole number from 0 to 10, or press Enter.")
    if pain:
        fields.append(("pain_score", pain))
    return merge_form(Answers(), fields, knowledge)


def ask_daily(interview: Interview, answers: Answers, ask: Ask, say: Say) -> Answers:
    """Shoes and work (the web's step after the warning signs); no work for a child."""
    fields = []
    whose = "your child wear" if answers.is_child else "you wear"
    shoes = _choose(ask, say, f"Which shoes do {whose} most?", FOOTWEAR_CHOICES)
    if shoes:
        fields.append(("footwear", shoes))
    if not answers.is_child:
        work = _choose(ask, say, "What is your work like?", WORK_CHOICES)
        if work:
            fields.append(("work", work))
    return merge_form(answers, fields, interview.knowledge)


def _record(answers: Answers, finding_id: str, value: bool | None) -> Answers:
    findings = dict(answers.findings)
    unsure = set(answers.unsure)
    findings.pop(finding_id, None)
    unsure.discard(finding_id)
    if value is None:
        unsure.add(finding_id)
    else:
        findings[finding_id] = value
    return replace(answers, findings=MappingProxyType(findings), unsure=frozenset(unsure))


def read_places(raw: str, count: int) -> list[int] | None:
    """The place numbers typed ("1,3" or "1 3"), from 1 to ``count``; None when the text
    is not such a list (nothing typed included)."""
    parts = [p for p in raw.replace(",", " ").split() if p]
    if not parts or not all(p.isascii() and p.isdigit() and 1 <= int(p) <= count for p in parts):
        return None
    return sorted({int(p) for p in parts})


class _Typed(Enum):
    """What :func:`_read` returns besides an answer."""

    INVALID = auto()  # from a parse: the text typed is not an answer
    BACK = auto()  # "b": go back one question


def _read(
    ask: Ask,
    say: Say,
    prompt: str,
    parse: Callable[[str], T | _Typed],
    retry: str,
    can_go_back: bool,
) -> T | Literal[_Typed.BACK]:
    """Ask until the text typed is an answer (``parse`` gives it, or ``_Typed.INVALID``
    when it is not, and ``retry`` is said) or "b" for back, where there is a question
    before this one."""
    while True:
        raw = ask(prompt).strip().lower()
        if raw in BACK:
            if can_go_back:
                return _Typed.BACK
            say("   This is the first question.")
            continue
        value = parse(raw)
        if value is not _Typed.INVALID:
            return value
        say(retry)


def _ticks(raw: str, count: int, none: bool) -> list[int] | str | _Typed:
    """An answer to a tick question: the box numbers, TICK_UNSURE (?), TICK_NONE (0,
    where the question has "none of these"), or ``_Typed.INVALID``."""
    if raw == "?":
        return TICK_UNSURE
    if none and raw == "0":
        return TICK_NONE
    return read_places(raw, count) or _Typed.INVALID


def _show_ticks(
    interview: Interview,
    screen: Screen,
    tick: TickQuestion,
    answers: Answers,
    number: int,
    say: Say,
) -> None:
    say(f"{number}. {tick.wording(answers)}")
    if tick.none:
        say("   Type the number of every one that applies, or 0 if none of these applies.")
    else:
        say(
            "   Type the number of every place that hurts. A place left out is taken as not hurting."
        )
    for i, f in enumerate(screen.findings, 1):
        say(f"   {i:>2}) {tick.boxes[f.id]}")
        help_text = "" if tick.none and not tick.warning else interview.hint(f, answers)
        if help_text:
            say(f"       ({help_text})")
    if tick.none:
        say(f"    0) {tick.none}")
    say(f"    ?) {tick.cant_say}")


def ask_questions(interview: Interview, answers: Answers, ask: Ask, say: Say) -> Answers:
    """The warning signs, then shoes and work, then the chosen screens, one question at
    a time, until the end."""
    say("")
    say("Warning signs: please answer each one. y = yes, n = no, ? = not sure, b = back.")
    pending: tuple[Finding | Screen, ...] = interview.warning_steps(answers)
    history: list[_Point] = []
    daily_asked = False
    while True:
        if not pending:
            if interview.missing_warning_steps(answers):
                pending = interview.missing_warning_steps(answers)
                continue
            if not daily_asked:
                daily_asked = True
                if interview.outlook(answers).level < URGENT:
                    say("")
                    answers = ask_daily(interview, answers, ask, say)
            screen = interview.next_screen(answers)
            if screen is None:
                return answers
            answers = interview.with_screen(answers, screen)
            pending = (screen,) if screen.tick is not None else screen.findings
            say("")
            say(screen.title)
        item = pending[0]
        number = len(history) + 1
        say("")
        if isinstance(item, Screen):  # a tick question: one question, several boxes
            tick = item.tick
            assert tick is not None  # only tick questions are pending as a whole screen
            _show_ticks(interview, item, tick, answers, number, say)
            count = len(item.findings)
            what = "ones that apply" if tick.none else "places that hurt"
            zero = (
                ", 0 for none of these, or ? if you are not sure"
                if tick.none
                else ", or ? if you can't say where"
            )
            boxes: list[int] | str | Literal[_Typed.BACK] = _read(
                ask,
                say,
                CHECKLIST_PROMPT if tick.none else SITES_PROMPT,
                functools.partial(_ticks, count=count, none=bool(tick.none)),
                f"   Type the numbers of the {what}, from 1 to {count} "
                f"(for example 1,3){zero}: {tick.wording(answers)}",
                can_go_back=bool(history),
            )
            if boxes is _Typed.BACK:
                new: Answers | Literal[_Typed.BACK] = boxes
            else:
                ticked: str | list[str] = (
                    boxes if isinstance(boxes, str) else [item.findings[i - 1].id for i in boxes]
                )
                new = merge_form(answers, tick_fields(tick.id, ticked), interview.knowledge)
        else:
            say(f"{number}. {interview.wording(item, answers)}")
            help_text = interview.hint(item, answers)
            if help_text:
                say(f"   ({help_text})")
            reply = _read(
                ask,
                say,
                "   y / n / ? (b = back): ",
                lambda raw: REPLIES.get(raw, _Typed.INVALID),
                "   Type y for yes, n for no, ? if you are not sure, or b to go back.",
                can_go_back=bool(history),
            )
            new = reply if reply is _Typed.BACK else _record(answers, item.id, reply)
        if new is _Typed.BACK:
            point = history.pop()
            answers, pending = point.answers, point.pending
            continue
        history.append(_Point(answers, pending))
        answers, pending = new, pending[1:]


def run(interview: Interview, ask: Ask, say: Say) -> Answers:
    """The whole interview; the answers it ends with."""
    say("heelpath: pain at the back of the heel. This is general information, not a diagnosis.")
    say("If you have chest pain or trouble breathing, call your emergency number now.")
    say("")
    answers = ask_about(interview, ask, say)
    return ask_questions(interview, answers, ask, say)

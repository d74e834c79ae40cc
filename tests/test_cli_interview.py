"""`heelpath interview` at a real terminal (a pseudo-terminal driven by pexpect)."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pexpect

from heelpath.interview import SITES, SITES_QUESTION, Answers, Interview, Screen
from heelpath.knowledge import Knowledge
from heelpath.terminal_interview import (
    CHECKLIST_PROMPT,
    SITES_PROMPT,
    ask_questions,
    read_places,
)

QUESTION = re.compile(r"\n(\d+)\. ([^\n]+)\r?\n")
PROMPT = r"y / n / \? \(b = back\): "
PLACES = re.escape(SITES_PROMPT.strip())
CHECKLIST = re.escape(CHECKLIST_PROMPT.strip())


def _spawn(saved: Path) -> pexpect.spawn:
    """``heelpath interview --save saved`` in a pseudo-terminal 100 columns wide."""
    return pexpect.spawn(
        sys.executable,
        ["-m", "heelpath", "interview", "--save", str(saved)],
        env={**os.environ, "COLUMNS": "100", "NO_COLOR": "1"},
        encoding="utf-8",
        timeout=120,
        dimensions=(50, 100),
    )


def test_a_squash_player_who_felt_a_snap_at_a_terminal(tmp_path: Path) -> None:
    saved = tmp_path / "case.json"
    child = _spawn(saved)
    try:
        child.expect("Your age in years")
        child.sendline("forty")  # not a number: asked again
        child.expect("Enter an age in whole years")
        child.sendline("38")
        child.expect("Sex:")
        child.expect("Number, or Enter to skip: ")
        child.sendline("2")  # Male
        child.expect("Worst pain")
        child.sendline("7")
        child.expect("Warning signs")  # right after about you, as on the web
        asked: list[str] = []
        went_back = False
        while True:
            found = child.expect(
                [PROMPT, CHECKLIST, "be seen in person today", "call emergency services"]
            )
            if found > 1:
                break
            question = child.before.strip().splitlines()
            if found == 1:  # a warning checklist: the number of the snap's box, else none
                snap = [line for line in question if re.match(r"\s*\d+\) A pop or snap", line)]
                child.sendline(snap[0].split(")")[0].strip() if snap else "0")
                continue
            text = next(line for line in reversed(question) if re.match(r"\d+\. ", line))
            asked.append(text)
            if not went_back and len(asked) == 2:
                child.sendline("y")  # a slip, then back to answer it again
                child.expect(PROMPT)
                child.sendline("b")
                went_back = True
                continue
            child.sendline("y" if "pop or snap" in text else "n")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    # the question gone back to was asked again, with the same number
    assert asked[1] == asked[2]
    data = json.loads(saved.read_text())
    assert data["age"] == 38 and data["sex"] == "male" and data["pain_score"] == 7
    assert data["findings"]["pop_or_snap"] is True
    assert data["findings"]["chest_pain_or_breathless"] is False  # "none of these"
    assert data["findings"]["saddle_numbness_or_bladder_change"] is False
    assert not [f for f, v in data["findings"].items() if v and f != "pop_or_snap"]
    assert "footwear" not in data  # care today was decided: shoes and work are not asked


def test_the_terminal_and_the_web_ask_the_same_questions(knowledge: Knowledge) -> None:
    interview = Interview(knowledge)
    said: list[str] = []

    def reply(prompt: str) -> str:
        said.append(prompt)
        if prompt == SITES_PROMPT:
            return "2"  # the second place: the tendon, 2 to 6 cm above the heel
        if prompt == CHECKLIST_PROMPT:
            return "0"  # none of these
        return "1" if prompt.startswith("Number") else "n"

    start = Answers(age=45, age_text="45", sex="male")
    answers = ask_questions(interview, start, reply, said.append)
    shown = [line.split(". ", 1)[1] for line in said if re.match(r"\d+\. ", line)]
    assert shown == [interview.question_text(q, answers) for q in interview.asked(answers)]
    # where does it hurt: asked once, as one question, the place typed a yes
    assert said.count(SITES_PROMPT) == 1 and shown.count(SITES_QUESTION) == 1
    assert SITES in interview.asked(answers)
    assert answers.findings["pain_midportion"] is True
    assert interview.next_screen(answers) is None
    # the web's order: the warning signs, then shoes and work, then the chosen questions
    signs = len(interview.warning_steps(answers))
    shoes = said.index("Which shoes do you wear most?")
    numbered = [i for i, line in enumerate(said) if re.match(r"\d+\. ", line)]
    assert numbered[signs - 1] < shoes < numbered[signs]
    assert said.index("What is your work like?") < numbered[signs]
    assert answers.footwear == ("athletic",) and answers.work == "seated"


def test_back_at_the_first_question_and_an_unknown_reply_ask_again(
    knowledge: Knowledge,
) -> None:
    interview = Interview(knowledge)
    said: list[str] = []
    replies = iter(["b", "x", "0"])

    def ask(prompt: str) -> str:
        if prompt.startswith("Number"):
            return ""  # shoes and work: skipped
        default = {SITES_PROMPT: "1", CHECKLIST_PROMPT: "0"}.get(prompt, "n")
        return next(replies, default)

    a = ask_questions(interview, Answers(age=40, age_text="40", sex="male"), ask, said.append)
    first = interview.warning_steps(a)[0]
    assert isinstance(first, Screen) and first.tick is not None  # the emergency checklist
    assert said.count("   This is the first question.") == 1
    assert sum(line.startswith("   Type the numbers of the ones that apply") for line in said) == 1
    assert all(a.findings[f.id] is False for f in first.findings)  # the "0" after both


def test_read_places_takes_numbers_and_nothing_else() -> None:
    assert read_places("1,3", 9) == [1, 3]
    assert read_places(" 3 1, 3 ", 9) == [1, 3]
    for bad in ("", ",", "0", "10", "1,x", "1.5", "all", "?"):
        assert read_places(bad, 9) is None, bad


def test_a_runner_says_where_it_hurts_at_a_terminal(tmp_path: Path, knowledge: Knowledge) -> None:
    saved = tmp_path / "case.json"
    child = _spawn(saved)
    runner = {"gradual_onset", "runner_or_jumper", "training_increase", "morning_stiffness"}
    places = list(knowledge.sites)
    try:
        child.expect("Your age in years")
        child.sendline("45")
        child.expect("Number, or Enter to skip: ")
        child.sendline("2")  # Male
        child.expect("Worst pain")
        child.sendline("")
        child.expect("Warning signs")
        sites_seen = 0
        checklists: list[str] = []
        asked: list[str] = []
        while True:
            found = child.expect(
                [PROMPT, PLACES, "Number, or Enter to skip: ", pexpect.EOF, CHECKLIST]
            )
            if found == 3:
                break
            if found == 4:  # "do any of these apply?": 0 is "none of these"
                checklists.append(child.before)
                child.sendline("0")
                continue
            if found == 2:
                child.sendline("")  # shoes and work: skipped
                continue
            before = child.before
            if found == 1:
                sites_seen += 1
                assert SITES_QUESTION in before
                assert knowledge.finding("pain_midportion").place in before
                if sites_seen == 1:
                    child.sendline("")  # nothing typed: asked again, never a default
                    child.expect("Type the numbers of the places that hurt")
                    child.expect(PLACES)
                    child.sendline("12")  # no such place
                    child.expect("Type the numbers of the places that hurt")
                    child.expect(PLACES)
                    child.sendline("b")  # back to the question before, then here again
                    child.expect(PROMPT)
                    child.sendline("?")
                    continue
                child.sendline(
                    f"{places.index('pain_midportion') + 1}, {places.index('pain_in_calf') + 1}"
                )
                continue
            text = next(
                line for line in reversed(before.strip().splitlines()) if re.match(r"\d+\. ", line)
            )
            asked.append(text)
            child.sendline(
                "y" if any(knowledge.finding(f).question in text for f in runner) else "n"
            )
    finally:
        child.close()
    assert child.exitstatus == 0
    assert sites_seen == 2  # asked, gone back past, asked again
    data = json.loads(saved.read_text())
    found_sites = {f: v for f, v in data["findings"].items() if f in places}
    # the places typed are a yes; the others are left out, never a "no" (unless one was
    # asked again on its own, for safety, and answered "n")
    assert found_sites.pop("pain_midportion") is True and found_sites.pop("pain_in_calf") is True
    for site in found_sites:
        assert any(knowledge.finding(site).question in text for text in asked), site
    # a checklist answered "none of these" is a "no" to every box it showed
    assert checklists
    for checklist in knowledge.checklists:
        shown = [f for f, box in checklist.boxes if any(box in text for text in checklists)]
        assert all(data["findings"][f] is False for f in shown), checklist.id

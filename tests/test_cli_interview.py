"""`heelpath interview` at a real terminal (a pseudo-terminal driven by pexpect)."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pexpect

from heelpath.interview import Answers, Interview
from heelpath.knowledge import Knowledge
from heelpath.terminal_interview import ask_questions

QUESTION = re.compile(r"\n(\d+)\. ([^\n]+)\r?\n")
PROMPT = r"y / n / \? \(b = back\): "


def test_a_squash_player_who_felt_a_snap_at_a_terminal(tmp_path: Path) -> None:
    saved = tmp_path / "case.json"
    child = pexpect.spawn(
        sys.executable,
        ["-m", "heelpath", "interview", "--save", str(saved)],
        env={**os.environ, "COLUMNS": "100", "NO_COLOR": "1"},
        encoding="utf-8",
        timeout=120,
        dimensions=(50, 100),
    )
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
            found = child.expect([PROMPT, "be seen in person today", "call emergency services"])
            if found:
                break
            question = child.before.strip().splitlines()
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
    assert data["findings"]["chest_pain_or_breathless"] is False
    assert not [f for f, v in data["findings"].items() if v and f != "pop_or_snap"]
    assert "footwear" not in data  # care today was decided: shoes and work are not asked


def test_the_terminal_and_the_web_ask_the_same_questions(knowledge: Knowledge) -> None:
    interview = Interview(knowledge)
    said: list[str] = []

    def reply(prompt: str) -> str:
        said.append(prompt)
        return "1" if prompt.startswith("Number") else "n"

    start = Answers(age=45, age_text="45", sex="male")
    answers = ask_questions(interview, start, reply, said.append)
    shown = [line.split(". ", 1)[1] for line in said if re.match(r"\d+\. ", line)]
    assert shown == [
        interview.wording(interview.finding(f), answers) for f in interview.asked(answers)
    ]
    assert interview.next_screen(answers) is None
    # the web's order: the warning signs, then shoes and work, then the chosen questions
    signs = len(interview.warning_signs(answers))
    shoes = said.index("Which shoes do you wear most?")
    numbered = [i for i, line in enumerate(said) if re.match(r"\d+\. ", line)]
    assert numbered[signs - 1] < shoes < numbered[signs]
    assert said.index("What is your work like?") < numbered[signs]
    assert answers.footwear == ("athletic",) and answers.work == "seated"

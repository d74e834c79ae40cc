"""``heelpath assess --text``: triage first and unmissable, the plan with doses, the disclaimer last."""

from __future__ import annotations

import io
import re
from typing import Any

from rich.console import Console

from heelpath.engine import Engine
from heelpath.textview import print_answer

RUPTURE = {
    "age": 35,
    "sex": "male",
    "findings": {"sudden_onset": True, "pop_or_snap": True, "palpable_gap": True},
    "footwear": ["athletic"],
}
CLOT_AND_BREATHLESS = {
    "age": 33,
    "findings": {"calf_swelling_tenderness": True, "chest_pain_or_breathless": True},
}
MIDPORTION = {
    "age": 38,
    "findings": {"pain_midportion": True, "tender_midportion": True, "gradual_onset": True},
    "footwear": ["athletic"],
    "work": "seated",
}


def render(answer: dict[str, Any], *, styles: bool = False) -> str:
    console = Console(
        file=io.StringIO(),
        width=100,
        record=True,
        force_terminal=styles,
        color_system="standard" if styles else None,
    )
    print_answer(answer, console)
    return console.export_text(styles=styles)


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_triage_comes_first(engine: Engine) -> None:
    text = render(engine.assess(RUPTURE))
    assert "URGENT: be seen in person today" in lines(text)[0]
    assert text.index("URGENT") < text.index("Likely causes") < text.index("Your plan")
    # the first phase is the care step, and it says not to walk it off
    plan = text[text.index("Your plan") :]
    assert plan.index("Be seen in person today") < plan.index("Keep weight off the foot")
    assert "walk it off" in plan


def test_emergency_is_unmissable(engine: Engine) -> None:
    answer = engine.assess(CLOT_AND_BREATHLESS)
    assert answer["triage"]["level"] == "emergency"
    text = render(answer)
    assert "EMERGENCY: call emergency services now" in lines(text)[0]
    assert lines(text)[0].startswith("┏")  # the heavy frame, kept for urgent and emergency
    styled = render(answer, styles=True)
    first = styled.splitlines()[0]
    assert "\x1b[" in first and "41" in first  # white on red


def test_plan_shows_phases_doses_and_evidence(engine: Engine) -> None:
    text = render(engine.assess(MIDPORTION))
    for title in ("1. Settle it down", "2. Load and correct", "3. Return to activity"):
        assert title in text
    assert "Dose: 3 sets of 15 with the knee straight" in text
    assert "Strong evidence: " in text
    assert "The evidence, not the usual advice" in text


def test_likely_causes_with_chance_in_words_and_why(engine: Engine) -> None:
    text = render(engine.assess(MIDPORTION))
    causes = text[text.index("Likely causes") : text.index("Your plan")]
    assert "Mid-portion Achilles" in causes
    assert "%" not in causes and re.search(r"(about|more than|less than) \d+ in 10", causes)
    assert "+ Pain in the tendon itself" in causes  # the finding in words, not its id


def test_left_out_items_and_reasons_are_shown(engine: Engine) -> None:
    answer = engine.assess(
        {**MIDPORTION, "findings": {**MIDPORTION["findings"], "kidney_disease": True}}
    )
    text = render(answer)
    left_out = " ".join(text[text.index("Left out for you, and why") :].split())
    assert "Anti-inflammatory" in left_out and "naproxen" in left_out
    assert "kidney" in left_out


def test_disclaimer_comes_last(engine: Engine) -> None:
    answer = engine.assess(MIDPORTION)
    text = render(answer)
    tail = " ".join(lines(text)[-4:])
    assert "not a diagnosis" in answer["disclaimer"]
    assert "not a" in tail and "diagnosis" in tail


def test_renders_a_minimal_answer() -> None:
    answer = {
        "triage": {"level": "soon", "reasons": ["Because."]},
        "conditions": [{"id": "x_y", "probability": 0.5, "supporting": [], "against": []}],
        "plan": {
            "phases": [
                {"id": "p", "title": "Do", "items": [{"intervention": "zz", "instructions": "Go."}]}
            ],
            "avoid": [],
        },
    }
    text = render(answer)
    assert "SOON" in lines(text)[0]
    assert "Go." in text and "Left out" not in text


def test_unanswered_warning_signs_are_listed_and_chances_are_in_words(engine: Engine) -> None:
    answer = engine.assess({"age": 45, "findings": {"pain_midportion": True}})
    assert answer["triage"]["unchecked"]
    text = render(answer)
    assert "once the unanswered warning signs below are ruled out" in text
    assert "call emergency services now:" in text
    assert flat_question(engine, "chest_pain_or_breathless") in " ".join(text.split())
    assert "%" not in text.split("Likely causes")[1].split("Your plan")[0]
    assert "in 10" in text or "in 100" in text


def flat_question(engine: Engine, fid: str) -> str:
    return " ".join(engine.knowledge.finding(fid).question.split())

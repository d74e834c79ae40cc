"""The pages: a guided interview that works as plain forms, and a result page led by triage."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from heelpath.interview import SCREENS
from web.webform import FormPage, Walker

ABOUT = {"age": "35", "sex": "female", "footwear": ["dress"], "work": "seated", "pain_score": "4"}


def _assets(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', html)


def test_the_first_page_leads_into_the_interview_and_weighs_under_100_kb(
    client: TestClient,
) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert 'href="/assess"' in r.text
    weight = len(r.content) + sum(len(client.get(a).content) for a in set(_assets(r.text)))
    assert weight < 100_000
    # the first interview screen, with its assets, too
    r = client.get("/assess")
    assert len(r.content) + sum(len(client.get(a).content) for a in set(_assets(r.text))) < 100_000


@pytest.mark.parametrize("path", ["/", "/assess", "/docs", "/no-such-page"])
def test_pages_need_no_inline_code_and_nothing_from_other_hosts(
    client: TestClient, path: str
) -> None:
    html = client.get(path).text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert not re.search(r"<style\b", html), "inline style element"
    assert not re.search(r"\sstyle=", html), "style attribute"
    assert not re.search(r"\son[a-z]+=", html), "event-handler attribute"
    assert not re.search(r'(?:src|href|action)="(?:https?:)?//', html), "another host"


def test_the_about_screen_asks_age_sex_footwear_and_work(walker: Walker) -> None:
    page = walker.start()
    assert page.title() == "About you"
    assert "Step 1 of 6" in page.html
    for name in ("age", "sex", "footwear", "work", "pain_score"):
        assert f'name="{name}"' in page.html
    assert set(page.options["footwear"]) == {
        "athletic",
        "dress",
        "flats_or_womens_dress",
        "boots",
        "sandals",
    }


@pytest.mark.parametrize("age", ["", "abc", "121", "-3", "4.5"])
def test_a_missing_or_bad_age_is_explained_next_to_the_field(walker: Walker, age: str) -> None:
    page = walker.submit(walker.start(), {"age": age})
    assert page.title() == "About you"
    assert "There is a problem" in page.html
    assert 'href="#age"' in page.html
    assert 'aria-invalid="true"' in page.html
    assert 'aria-describedby="age-hint age-error"' in page.html


def test_each_screen_asks_yes_no_not_sure_with_not_sure_chosen(walker: Walker) -> None:
    page = walker.submit(walker.start(), ABOUT)
    assert page.title() == "Where it hurts"
    assert "Step 2 of 6" in page.html
    assert page.options, "no questions on the location screen"
    for name, values in page.options.items():
        assert name.startswith("q_")
        assert values == ["yes", "no", "unsure"]
        assert page.value(name) == ["unsure"]
    assert page.html.count("<fieldset") == page.html.count("<legend>") == len(page.options)


def test_the_location_screen_has_the_labelled_heel_drawing(walker: Walker) -> None:
    page = walker.submit(walker.start(), ABOUT)
    assert 'role="img"' in page.html
    assert "<title id=" in page.html and "<desc id=" in page.html
    for label in ("Calf", "mid-portion", "insertion", "Under the heel", "Inner side", "Outer side"):
        assert label in page.html


def test_back_keeps_every_answer(walker: Walker) -> None:
    about = walker.start()
    location = walker.submit(about, ABOUT)
    history = walker.submit(location, {"q_pain_at_insertion": "yes", "q_pain_midportion": "no"})
    assert history.title() == "How it started"
    history_changes = {"q_gradual_onset": "yes"}
    back = walker.submit(history, history_changes, go="back")
    assert back.title() == "Where it hurts"
    assert back.value("q_pain_at_insertion") == ["yes"]
    assert back.value("q_pain_midportion") == ["no"]
    # the answer given on the screen we left is kept too
    assert back.value("q_gradual_onset") == ["yes"]
    first = walker.submit(back, go="back")
    assert first.title() == "About you"
    assert first.value("age") == ["35"]
    assert first.value("sex") == ["female"]
    assert first.value("footwear") == ["dress"]
    assert first.value("work") == ["seated"]
    assert first.value("pain_score") == ["4"]


def test_red_flag_screening_is_always_asked(walker: Walker, knowledge) -> None:  # type: ignore[no-untyped-def]
    from heelpath.knowledge.expressions import findings_named

    red = {f.id for f in knowledge.findings if f.red_flag}
    for rule in knowledge.red_flag_rules:
        red |= findings_named(rule.when)
    asked: set[str] = set()
    page = walker.submit(walker.start(), ABOUT)
    while "triage-title" not in page.html:
        asked |= {n.removeprefix("q_") for n in page.options if n.startswith("q_")}
        page = walker.submit(page)
    assert red <= asked, red - asked


def test_the_interview_has_six_steps_then_the_result(walker: Walker) -> None:
    page = walker.submit(walker.start(), ABOUT)
    seen = ["About you"]
    while "triage-title" not in page.html:
        seen.append(page.title())
        assert f"Step {len(seen)} of {len(SCREENS)}" in page.html
        page = walker.submit(page)
    assert seen == [s.title for s in SCREENS]


def _main(page: FormPage) -> str:
    return page.html[page.html.index("<main") :]


def test_the_result_puts_triage_first_then_causes_plan_and_disclaimer(walker: Walker) -> None:
    page = walker.answer_all(ABOUT, yes={"pain_at_insertion", "tender_insertion", "gradual_onset"})
    main = _main(page)
    order = [
        main.index('class="triage'),
        main.index("What might be going on"),
        main.index("Your care plan"),
        main.index("Please read"),
    ]
    assert order == sorted(order)
    assert "Insertional Achilles tendinopathy" in main
    assert 'class="bar-fill"' in main
    assert "Why we think so" in main
    assert "not a diagnosis" in main


def test_an_emergency_is_red_and_says_what_to_do_now(walker: Walker) -> None:
    page = walker.answer_all(ABOUT, yes={"chest_pain_or_breathless", "calf_swelling_tenderness"})
    assert 'class="triage triage-emergency"' in page.html
    assert page.title() == "Call emergency services now"
    assert "emergency number" in page.html


def test_the_result_can_go_back_to_change_answers(walker: Walker) -> None:
    result = walker.answer_all(ABOUT, yes={"pain_at_insertion"})
    back = walker.submit(result, go="back")
    assert back.title() == "Your health"
    assert "Step 6 of 6" in back.html


def test_not_sure_is_left_out_of_the_assessment(walker: Walker) -> None:
    page = walker.answer_all(ABOUT, yes={"pain_at_insertion"}, no={"pop_or_snap"})
    told = page.html[page.html.index("What you told us") :]
    assert "You said yes to" in told and "You said no to" in told
    assert told.count("<li>") == 2


def test_a_tampered_form_is_ignored_not_trusted(client: TestClient) -> None:
    r = client.post(
        "/assess",
        data={
            "step": "6",
            "go": "next",
            "age": "40",
            "q_not_a_finding": "yes",
            "q_pain_at_insertion": "maybe",
            "sex": "robot",
            "footwear": "skates",
        },
    )
    assert r.status_code == 200
    assert "triage-title" in r.text
    r = client.post("/assess", data={"step": "99", "go": "next"})
    assert r.status_code == 200
    assert "There is a problem" in r.text


def test_a_print_stylesheet_makes_the_result_a_clean_handout(client: TestClient) -> None:
    css = client.get("/static/heelpath.css").text
    start = css.index("@media print")
    printed = css[start:]
    for hidden in (".site-header", ".site-footer", ".no-print", ".actions"):
        assert hidden in printed
    assert "break-inside: avoid" in printed

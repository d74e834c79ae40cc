"""The pages: a guided interview that works as plain forms, and a result page led by triage."""

from __future__ import annotations

import html as html_lib
import logging
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from heelpath.knowledge import Knowledge
from heelpath.knowledge.expressions import findings_named
from web.people import csrf
from web.webform import FormPage, Walker, post_form

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


def test_about_you_asks_age_sex_and_pain_then_shoes_and_work_after_the_warning_signs(
    walker: Walker,
) -> None:
    page = walker.start()
    assert walker.url == "/assess/step/1"
    assert page.title() == "About you"
    assert "Step 1" in page.html
    for name in ("age", "sex", "pain_score"):
        assert f'name="{name}"' in page.html
    signs = walker.submit(page, {"age": "35"})
    daily = walker.submit(signs, signs.every("no"))
    assert walker.url == "/assess/step/3"
    assert daily.title() == "Shoes and work"
    assert 'name="work"' in daily.html
    assert set(daily.options["footwear"]) == {
        "athletic",
        "dress",
        "flats_or_womens_dress",
        "boots",
        "sandals",
    }


def test_a_child_is_never_asked_about_work_or_pregnancy(
    walker: Walker, knowledge: Knowledge
) -> None:
    page = walker.submit(walker.start(), {"age": "12", "sex": "female"})
    seen = []
    asked = []
    while walker.url.startswith("/assess/step/"):
        seen.append(page.html)
        asked += [name[2:] for name in page.options if name.startswith("q_")]
        page = walker.submit(page, page.every("unsure"))
    assert walker.url == "/assess/check"
    for html in seen:
        assert 'name="work"' not in html
        assert "pregnan" not in html.lower()
    assert "Which shoes does your child wear most?" in "".join(seen)
    assert "Work" not in page.html
    # every question in the child's wording, on its step and on the check page
    shown = html_lib.unescape("".join(seen))
    check = html_lib.unescape(page.html)
    assert asked
    assert any(knowledge.finding(fid).question_child for fid in asked)
    for fid in asked:
        f = knowledge.finding(fid)
        expected = f.question_child or f.question
        assert expected in shown and expected in check, fid
        if f.question_child:
            assert f.question not in shown, fid
        if f.help_child:
            assert f.help_child in shown and f.help not in shown, fid
    assert any(knowledge.finding(fid).help_child for fid in asked)


@pytest.mark.parametrize("age", ["", "abc", "121", "-3", "4.5"])
def test_a_missing_or_bad_age_is_explained_next_to_the_field(walker: Walker, age: str) -> None:
    page = walker.submit(walker.start(), {"age": age})
    assert page.status == 422
    assert page.title() == "About you"
    assert "There is a problem" in page.html
    assert 'href="#age"' in page.html
    assert 'aria-invalid="true"' in page.html
    assert 'aria-describedby="age-hint age-error"' in page.html


def test_the_warning_signs_come_right_after_about_you_with_nothing_chosen(
    walker: Walker, knowledge: Knowledge
) -> None:
    page = walker.submit(walker.start(), ABOUT)
    assert walker.url == "/assess/step/2"
    assert page.title() == "Warning signs"
    # a question per sign (q_<id>), or a warning checklist with a box per sign
    asked = {n.removeprefix("q_") for n in page.options if n.startswith("q_")}
    asked |= {v for n, vs in page.options.items() if not n.startswith("q_") for v in vs}
    emergency = {
        f
        for r in knowledge.red_flag_rules
        if r.level == "emergency"
        for f in findings_named(r.when)
    }
    assert emergency <= asked, emergency - asked
    for name, values in page.options.items():
        if name.startswith("q_"):
            assert values == ["yes", "no", "unsure"]
        else:  # a checklist: its boxes, then "none of these" and "not sure"
            assert values[-2:] == ["none", "unsure"] and len(values) >= 4
        assert page.value(name) == [], f"{name} has an answer chosen by default"


def test_a_warning_sign_left_unanswered_is_an_error_naming_the_question(walker: Walker) -> None:
    signs = walker.submit(walker.start(), ABOUT)
    answers = signs.every("no")
    answers.pop("q_palpable_gap")
    answers.pop("emergency_signs")
    page = walker.submit(signs, answers)
    assert page.status == 422
    assert "There is a problem" in page.html
    assert 'href="#q_palpable_gap-yes"' in page.html
    assert "Choose yes, no or not sure for: Can you feel a dip" in page.html
    # a warning checklist with nothing ticked: an error naming it, never a default
    assert 'href="#emergency_signs-chest_pain_or_breathless"' in page.html
    assert "Tick the ones that apply, or choose" in page.html
    assert "for: Do you have any of these now?" in page.html
    # what was answered is kept, and nothing else was chosen for the person
    assert page.value("infection_signs") == ["none"]
    assert page.value("q_cannot_bear_weight") == ["no"]
    assert page.value("q_palpable_gap") == []
    assert page.value("emergency_signs") == []
    # and the result cannot be reached around it
    assert walker.get("/assess/result").title() == "Warning signs"


def test_boxes_ticked_with_none_of_these_on_the_warning_signs_are_an_error(
    walker: Walker,
) -> None:
    """A warning checklist with a box and "None of these" ticked together: an error naming
    the question, and nothing recorded for it (the rest of the step is kept)."""
    signs = walker.submit(walker.start(), ABOUT)
    answers = signs.every("no")
    answers["infection_signs"] = ["wound_or_puncture", "none"]
    page = walker.submit(signs, answers)
    assert page.status == 422
    assert 'href="#infection_signs-fever_or_unwell"' in page.html
    assert "not both, for: Do you have any of these signs of infection?" in page.html
    assert page.value("infection_signs") == []  # neither the wound nor "none" was kept
    assert page.value("emergency_signs") == ["none"]
    assert walker.get("/assess/result").title() == "Warning signs"
    # the wound alone ticked: care today, and the fever left unticked is asked on its own
    # (with a wound it would mean emergency care), never read as a "no"
    page = walker.submit(page, {**answers, "infection_signs": "wound_or_puncture"})
    assert walker.url == "/assess/step/4"
    assert "q_fever_or_unwell" in page.options


def test_not_sure_answers_the_warning_signs_and_the_interview_goes_on(walker: Walker) -> None:
    signs = walker.submit(walker.start(), ABOUT)
    page = walker.submit(signs, {name: "unsure" for name in signs.options})
    assert page.status == 200
    assert walker.url == "/assess/step/3"
    assert page.title() == "Shoes and work"


def test_every_step_is_a_post_that_redirects_to_a_get(app: FastAPI) -> None:
    c = TestClient(app, follow_redirects=False)
    r = c.get("/assess")
    assert (r.status_code, r.headers["location"]) == (303, "/assess/step/1")
    token = csrf(c, "/assess/step/1")
    r = c.post("/assess/step/1", data={"csrf_token": token, **ABOUT})
    assert (r.status_code, r.headers["location"]) == (303, "/assess/step/2")
    cookie = r.headers["set-cookie"]
    assert "heelpath_answers=" in cookie
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert "max-age=86400" in cookie.lower()
    # no health data in the cookie's clear text, nor in any address
    assert "female" not in cookie and "35" not in r.headers["location"]
    page = c.get("/assess/step/2")
    names = re.findall(r'name="(q_[a-z_]+)" value="yes"', page.text)
    ticks = re.findall(r'name="([a-z_]+)" value="none"', page.text)
    r = c.post(
        "/assess/step/2",
        data={"csrf_token": token, **dict.fromkeys(names, "no"), **dict.fromkeys(ticks, "none")},
    )
    assert (r.status_code, r.headers["location"]) == (303, "/assess/step/3")
    r = c.post("/assess/step/3", data={"csrf_token": token, "footwear": "dress"})
    assert (r.status_code, r.headers["location"]) == (303, "/assess/step/4")


def test_reload_and_back_show_each_step_again_from_the_cookie(walker: Walker) -> None:
    signs = walker.submit(walker.start(), ABOUT)
    daily = walker.submit(signs, signs.every("no"))
    third = walker.submit(daily, ABOUT)
    assert walker.url == "/assess/step/4"
    # Reload: the same questions again, no resubmission
    assert walker.get("/assess/step/4").html == third.html
    # Back (the browser's, or the page's link): the answers are kept
    back = walker.submit(third, go="back")
    assert back.title() == "Shoes and work"
    assert back.value("footwear") == ["dress"]
    assert back.value("work") == ["seated"]
    signs = walker.submit(back, go="back")
    assert signs.title() == "Warning signs"
    assert all(signs.value(name) == [v] for name, v in signs.every("no").items())
    first = walker.get("/assess/step/1")
    assert first.value("age") == ["35"]
    assert first.value("sex") == ["female"]
    assert first.value("pain_score") == ["4"]
    # a step not reached yet sends to the furthest one reached
    walker.get("/assess/step/40")
    assert walker.url == "/assess/step/4"


def test_a_yes_to_a_same_day_warning_sign_ends_the_interview_at_once(walker: Walker) -> None:
    signs = walker.submit(walker.start(), {"age": "34", "sex": "male"})
    answers = signs.every("no")
    answers["how_it_started"] = "pop_or_snap"
    page = walker.submit(signs, answers)
    assert walker.url == "/assess/result"
    assert "triage-urgent" in page.html


def test_an_emergency_sign_ends_the_interview_with_what_to_do_now(walker: Walker) -> None:
    page = walker.answer_all(ABOUT, yes={"chest_pain_or_breathless", "calf_swelling_tenderness"})
    assert walker.url == "/assess/result"
    assert 'class="triage triage-emergency"' in page.html
    assert page.title() == "Call emergency services now"
    assert "emergency number" in page.html


def test_the_interview_ends_on_check_your_answers_then_the_result(walker: Walker) -> None:
    signs = walker.submit(walker.start(), ABOUT)
    page = walker.submit(signs, signs.every("no"))
    steps = 0
    while walker.url.startswith("/assess/step/"):
        steps += 1
        assert steps < 30
        assert 1 <= len(page.options) <= 4
        page = walker.submit(page, page.every("unsure"))
    assert walker.url == "/assess/check"
    assert page.title() == "Check your answers"
    assert 'href="/assess/result"' in page.html
    assert "triage-title" in walker.get("/assess/result").html


def test_a_change_link_goes_to_the_question_and_back_to_check_your_answers(
    walker: Walker,
) -> None:
    walker.answer_all(ABOUT, yes={"pain_at_insertion"})
    check = walker.get("/assess/check")
    link = re.search(r'href="(/assess/step/2\?change=1#q_palpable_gap)"', check.html)
    assert link, "no Change link for the tendon-gap question"
    anchor = "#emergency_signs-chest_pain_or_breathless"
    assert f'href="/assess/step/2?change=1{anchor}"' in check.html, "no Change link for a checklist"
    step = walker.get(link.group(1).split("#")[0])
    assert step.value("change") == ["1"]
    assert 'href="/assess/check">Back</a>' in step.html
    page = walker.submit(step, {"q_palpable_gap": "unsure", "infection_signs": "unsure"})
    assert walker.url == "/assess/check"
    row = page.html[page.html.index("a dip or a gap") :]
    assert row.index("Not sure") < row.index("Change")
    row = page.html[page.html.index("Do you have any of these signs of infection?") :]
    assert row.index("I&#39;m not sure") < row.index("Change")
    # changing the age comes back too
    about = walker.get("/assess/step/1?change=1")
    page = walker.submit(about, {"age": "36"})
    assert walker.url == "/assess/check"
    assert "<dd>36</dd>" in page.html


def test_the_result_can_be_bookmarked_and_shown_again(walker: Walker) -> None:
    first = walker.answer_all(ABOUT, yes={"pain_at_insertion"})
    again = walker.get("/assess/result")
    assert again.title() == first.title()


def test_the_result_asks_for_the_warning_signs_first(walker: Walker) -> None:
    walker.submit(walker.start(), ABOUT)
    page = walker.get("/assess/result")
    assert walker.url == "/assess/step/2"
    assert "no warning signs" not in page.html.lower()


def test_the_results_change_button_goes_to_check_your_answers(walker: Walker) -> None:
    result = walker.answer_all(ABOUT, yes={"pain_at_insertion"})
    r = walker.client.post("/assess", data={"go": "back"}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/assess/check")
    assert "Change my answers" in result.html


def test_delete_my_answers_clears_the_cookie(walker: Walker) -> None:
    walker.answer_all(ABOUT, yes={"pain_at_insertion"})
    check = walker.get("/assess/check")
    assert 'action="/assess/forget"' in check.html
    token = [("csrf_token", check.value("csrf_token")[0])]
    r = post_form(walker.client, token, "/assess/forget", follow_redirects=False)
    assert r.status_code == 303
    assert (
        'heelpath_answers=""' in r.headers["set-cookie"] or "Max-Age=0" in r.headers["set-cookie"]
    )
    home = walker.get(r.headers["location"])
    assert "Your answers have been deleted" in home.html
    assert walker.get("/assess/check").title() == "About you"


@pytest.mark.parametrize(
    "cookie",
    [
        "garbage",
        "a.b",
        "x" * 5000,
        "eJxLz0ktykstLgYAGjIEcw.0000",
    ],
)
def test_a_tampered_or_foreign_cookie_starts_again_safely(app: FastAPI, cookie: str) -> None:
    c = TestClient(app, follow_redirects=False)
    c.cookies.set("heelpath_answers", cookie)
    for path in ("/assess/step/3", "/assess/check", "/assess/result"):
        r = c.get(path)
        assert (r.status_code, r.headers["location"]) == (303, "/assess/step/1")


def test_a_cookie_with_its_signature_moved_to_other_answers_is_refused(walker: Walker) -> None:
    walker.submit(walker.start(), ABOUT)
    value = walker.client.cookies["heelpath_answers"]
    body, signature = value.split(".")
    forged = body[:-2] + ("AA" if body[-2:] != "AA" else "BB")
    walker.client.cookies.clear()
    walker.client.cookies.set("heelpath_answers", f"{forged}.{signature}")
    page = walker.get("/assess/step/2")
    assert walker.url == "/assess/step/1"
    assert page.value("age") == [""]


def test_not_sure_is_left_out_of_the_assessment(walker: Walker) -> None:
    page = walker.answer_all(ABOUT, yes={"pain_at_insertion"}, no={"palpable_gap"})
    told = page.html[page.html.index("What you told us") :]
    assert "You said yes to" in told and "You said no to" in told
    assert told.count("<li>") == 2


def test_a_tampered_form_is_ignored_not_trusted(walker: Walker) -> None:
    about = walker.start()
    page = walker.submit(
        about, {"age": "40", "sex": "robot", "footwear": "skates", "q_pain_at_insertion": "yes"}
    )
    assert walker.url == "/assess/step/2"
    signs = page.every("no")
    page = walker.submit(page, {**signs, "q_not_a_finding": "yes", "q_pain_at_insertion": "maybe"})
    assert page.status == 200
    first = walker.get("/assess/step/1")
    assert first.value("sex") == [""]
    daily = walker.get("/assess/step/3")
    assert daily.value("footwear") == []


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
    assert "Why we think so" in main
    assert "not a diagnosis" in main


def test_a_print_stylesheet_makes_the_result_a_clean_handout(client: TestClient) -> None:
    css = client.get("/static/heelpath.css").text
    start = css.index("@media print")
    printed = css[start:]
    for hidden in (".site-header", ".site-footer", ".no-print", ".actions"):
        assert hidden in printed
    assert "break-inside: avoid" in printed


def test_no_answer_reaches_an_address_or_the_log(
    walker: Walker, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    addresses: list[str] = []
    walker.client.event_hooks["response"] = [
        lambda r: addresses.append(r.headers.get("location", ""))
    ]
    walker.answer_all(
        {"age": "57", "sex": "female"}, yes={"pain_midportion", "gradual_onset", "diabetes"}
    )
    assert len(addresses) > 3
    for address in addresses:
        assert re.fullmatch(r"|/assess/(step/\d+(\?change=1)?|check|result)", address), address
    # each line without its timing and random request id, which may hold any digits
    logged = "\n".join(
        re.sub(r"[\d.]+ ms id=[0-9a-f]+", "", r.getMessage()) for r in caplog.records
    )
    assert "/assess/step/" in logged  # the access log is on
    for secret in ("57", "female", "midportion", "gradual", "diabetes", "q_"):
        assert secret not in logged, secret

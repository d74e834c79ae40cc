"""Checklists on the web ("do any of these apply to you?"): one step, a box per finding,
"None of these" and "I'm not sure", plain forms (JavaScript off)."""

from __future__ import annotations

import html as html_lib

from heelpath.interview import CHECKLIST_CANT_SAY, NONE_OF_THESE, Answers, tick_questions
from heelpath.knowledge import Knowledge
from heelpath.web import answers_cookie
from web.webform import FormPage, Walker


def _to_a_checklist(walker: Walker, knowledge: Knowledge) -> tuple[FormPage, str]:
    """Up to the first checklist, "not sure" to every question before it; the page and
    the checklist's id."""
    checklists = {c.id for c in knowledge.checklists}
    page = walker.walk_to(
        {"age": "50", "sex": "female"}, lambda page: bool(checklists & set(page.options))
    )
    return page, (checklists & set(page.options)).pop()


def test_a_checklist_is_one_step_with_none_of_these_and_not_sure(
    walker: Walker, knowledge: Knowledge
) -> None:
    page, checklist = _to_a_checklist(walker, knowledge)
    tick = tick_questions(knowledge)[checklist]
    assert page.status == 200
    assert list(page.options) == [checklist]  # one question, no yes / no / not sure radios
    boxes = page.options[checklist][:-2]
    assert boxes and set(boxes) <= set(tick.boxes)
    assert page.options[checklist][-2:] == ["none", "unsure"]
    assert page.value(checklist) == []  # nothing ticked for the person
    text = html_lib.unescape(page.html)
    assert f"<legend>{tick.question}</legend>" in text
    assert NONE_OF_THESE in text and CHECKLIST_CANT_SAY in text
    for fid in boxes:
        assert f'<label for="{checklist}-{fid}">{tick.boxes[fid]}</label>' in text


def test_nothing_ticked_is_an_error_and_nothing_is_recorded(
    walker: Walker, knowledge: Knowledge
) -> None:
    page, checklist = _to_a_checklist(walker, knowledge)
    url = walker.url
    before = walker.client.cookies["heelpath_answers"]
    for sent in ([], ["none", "unsure"], [page.options[checklist][0], "none"]):
        error = walker.submit(page, {checklist: sent})
        assert error.status == 422, sent
        assert "There is a problem" in error.html
        first = page.options[checklist][0]
        assert f'href="#{checklist}-{first}"' in error.html  # linked to the first box
        assert f'class="question field-error" id="{checklist}"' in error.html
        assert walker.client.cookies["heelpath_answers"] == before  # nothing recorded
    assert walker.get(url).value(checklist) == []


def _kept(walker: Walker, knowledge: Knowledge) -> Answers:
    """The answers the browser's cookie holds."""
    key = answers_cookie.derive_key(walker.client.app.state.csrf_key)  # type: ignore[attr-defined]
    kept = answers_cookie.decode(walker.client.cookies["heelpath_answers"], key, knowledge)
    assert kept is not None
    return kept


def test_none_of_these_is_kept_shown_again_and_listed_on_the_check_page(
    walker: Walker, knowledge: Knowledge
) -> None:
    page, checklist = _to_a_checklist(walker, knowledge)
    url = walker.url
    boxes = page.options[checklist][:-2]
    walker.submit(page, {checklist: "none"})
    again = walker.get(url)
    assert again.value(checklist) == ["none"]  # Back shows the answer given
    answers = _kept(walker, knowledge)
    assert {f: answers.findings.get(f) for f in boxes} == dict.fromkeys(boxes, False)
    check = walker.get("/assess/check")
    text = html_lib.unescape(check.html)
    tick = tick_questions(knowledge)[checklist]
    assert tick.question in text and NONE_OF_THESE in text
    # a change: one box ticked, the others unknown again (never "no")
    walker.submit(walker.get(url), {checklist: [boxes[0]]})
    answers = _kept(walker, knowledge)
    assert answers.findings[boxes[0]] is True
    assert not any(answers.answered(f) for f in boxes[1:])

"""'Where does it hurt?' on the web: one step, a box per place, plain forms (JavaScript off)."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import replace

from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from heelpath.interview import (
    SITES,
    SITES_CANT_SAY,
    SITES_QUESTION,
    SITES_QUESTION_CHILD,
    merge_form,
    parse_form,
    site_fields,
    to_fields,
    to_input,
)
from heelpath.knowledge import Knowledge
from heelpath.web import answers_cookie
from web.webform import FormPage, Walker, post_form

FIRST_BOX = "where-pain_at_insertion"


def _to_the_site_step(walker: Walker, about: dict[str, str | list[str]]) -> FormPage:
    """Up to the site question, "not sure" to every question before it."""
    return walker.walk_to(about, lambda page: "where" in page.options)


def test_the_site_question_is_one_step_with_a_box_per_place(
    walker: Walker, knowledge: Knowledge
) -> None:
    page = _to_the_site_step(walker, {"age": "40", "sex": "male"})
    assert page.status == 200
    assert list(page.options) == ["where"]  # one question, no yes / no / not sure radios
    assert page.options["where"] == [*knowledge.sites, "unsure"]
    assert page.value("where") == []  # nothing ticked for the person
    text = html_lib.unescape(page.html)
    assert f"<legend>{SITES_QUESTION}</legend>" in text
    assert SITES_CANT_SAY in text
    assert 'class="heel-figure"' in text  # the drawings of the places
    for site in knowledge.sites:
        f = knowledge.finding(site)
        assert f'<label for="where-{site}">{f.place}</label>' in text
        if f.help:
            assert f.help in text and f'aria-describedby="where-{site}-hint"' in page.html


def test_nothing_ticked_is_an_error_naming_the_question(walker: Walker) -> None:
    page = _to_the_site_step(walker, {"age": "40", "sex": "male"})
    url = walker.url
    before = walker.client.cookies["heelpath_answers"]
    error = walker.submit(page, {"where": []})
    assert error.status == 422
    assert "There is a problem" in error.html
    assert f'href="#{FIRST_BOX}"' in error.html  # the summary links to the first box
    text = html_lib.unescape(error.html)
    assert f"for: {SITES_QUESTION}" in text and SITES_CANT_SAY in text
    assert 'class="question field-error" id="where"' in error.html
    assert 'aria-describedby="where-hint where-error"' in error.html
    assert error.title() == "Where it hurts"
    # nothing was recorded and the interview did not go on
    assert walker.client.cookies["heelpath_answers"] == before
    assert walker.get(url).value("where") == []


def test_places_and_i_cant_say_where_together_are_an_error_that_keeps_the_ticks(
    walker: Walker,
) -> None:
    page = _to_the_site_step(walker, {"age": "40", "sex": "male"})
    error = walker.submit(page, {"where": ["pain_in_calf", "unsure"]})
    assert error.status == 422
    assert "not both" in html_lib.unescape(error.html)
    assert error.value("where") == ["pain_in_calf", "unsure"]  # shown as sent, to put right


def test_a_tick_goes_on_and_back_shows_it_ticked(walker: Walker, knowledge: Knowledge) -> None:
    page = _to_the_site_step(walker, {"age": "40", "sex": "male"})
    url = walker.url
    r = post_form(
        walker.client,
        [*[(n, v) for n, v in page.fields if n == "csrf_token"], ("where", "pain_midportion")],
        path=url,
        follow_redirects=False,
    )
    assert r.status_code == 303
    n = int(url.rsplit("/", 1)[1])
    assert r.headers["location"] in (f"/assess/step/{n + 1}", "/assess/check")
    again = walker.get(url)
    assert again.value("where") == ["pain_midportion"]
    # the answers in the cookie: a yes to the place ticked, nothing for the others
    key = answers_cookie.derive_key(walker.client.app.state.csrf_key)  # type: ignore[attr-defined]
    kept = answers_cookie.decode(walker.client.cookies["heelpath_answers"], key, knowledge)
    assert kept is not None
    assert {s: v for s, v in kept.findings.items() if s in knowledge.sites} == {
        "pain_midportion": True
    }
    assert not set(knowledge.sites) & kept.unsure
    assert [s for s in kept.screens if s[:1] == ("where",)] == [("where", *knowledge.sites)]


def test_check_your_answers_shows_the_places_in_words_and_changes_them_in_one_click(
    walker: Walker, knowledge: Knowledge
) -> None:
    walker.answer_all({"age": "40", "sex": "male"}, yes={"pain_midportion", "pain_in_calf"})
    check = walker.get("/assess/check")
    text = html_lib.unescape(check.html)
    row = text[text.index(f"<dt>{SITES_QUESTION}</dt>") :]
    row = row[: row.index("</div>")]
    assert knowledge.finding("pain_midportion").place in row
    assert knowledge.finding("pain_in_calf").place in row
    assert knowledge.finding("pain_under_heel").place not in row
    link = re.search(r'href="(/assess/step/(\d+)\?change=1)#where-pain_at_insertion"', row)
    assert link, "no Change link for the site question"
    step = walker.get(link.group(1))
    assert step.value("where") == ["pain_midportion", "pain_in_calf"]
    page = walker.submit(step, {"where": "unsure"})
    for _ in range(10):  # a changed answer may bring new questions, then the list again
        if walker.url == "/assess/check":
            break
        assert walker.url.endswith("?change=1")
        page = walker.submit(page, page.every("unsure"))
    assert walker.url == "/assess/check"
    text = html_lib.unescape(page.html)
    row = text[text.index(f"<dt>{SITES_QUESTION}</dt>") :]
    assert row.index(SITES_CANT_SAY) < row.index("Change")


def test_the_result_lists_the_ticked_place_and_never_the_unticked_ones_as_no(
    walker: Walker, knowledge: Knowledge
) -> None:
    page = walker.answer_all({"age": "40", "sex": "male"}, yes={"pain_midportion"})
    told = html_lib.unescape(page.html[page.html.index("What you told us") :])
    said_no = told[told.index("You said no to") :] if "You said no to" in told else ""
    for site in set(knowledge.sites) - {"pain_midportion"}:
        f = knowledge.finding(site)
        assert f.question not in said_no and f.text not in said_no, site


def test_a_child_is_asked_where_it_hurts_in_the_childs_wording(walker: Walker) -> None:
    page = _to_the_site_step(walker, {"age": "10", "sex": "female"})
    text = html_lib.unescape(page.html)
    assert f"<legend>{SITES_QUESTION_CHILD}</legend>" in text
    assert f"<legend>{SITES_QUESTION}</legend>" not in text
    # the help under a place is the parent's version
    assert "you can feel at the back of your ankle" not in text


def test_a_tampered_site_answer_is_an_error_not_a_default(client: TestClient) -> None:
    walker = Walker(client)
    page = _to_the_site_step(walker, {"age": "40", "sex": "male"})
    error = walker.submit(page, {"where": ["pain_in_elbow"]})
    assert error.status == 422


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_site_answer_survives_the_cookie_and_the_hidden_fields(
    knowledge: Knowledge, data: st.DataObject
) -> None:
    sites = list(knowledge.sites)
    ticked = data.draw(st.lists(st.sampled_from(sites), unique=True))
    others = data.draw(
        st.dictionaries(
            st.sampled_from([f.id for f in knowledge.findings if f.id not in sites]),
            st.booleans(),
            max_size=8,
        )
    )
    age = data.draw(st.integers(0, 120))
    a = parse_form(
        [("age", str(age)), *(("q_" + f, "yes" if v else "no") for f, v in others.items())],
        knowledge,
    )
    a = merge_form(a, site_fields(ticked or None), knowledge)
    a = replace(a, screens=(tuple(others), (SITES, *sites)))
    key = b"k" * 32
    back = answers_cookie.decode(answers_cookie.encode(a, key), key, knowledge)
    assert back is not None
    assert dict(back.findings) == dict(a.findings)
    assert back.unsure == a.unsure
    assert back.screens == a.screens
    assert to_input(parse_form(to_fields(a), knowledge)) == to_input(a)
    # the unticked places are in neither
    for site in set(sites) - set(ticked):
        assert site not in to_input(a)["findings"]

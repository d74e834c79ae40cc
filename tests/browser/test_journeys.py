"""Whole journeys in a real browser: three people, the keyboard alone, a 375 px phone, no JavaScript.

Every page of the clinical journeys is checked with axe-core (WCAG 2.2 A/AA
and best practice) and must report no violation; every request must stay on
the app's own host; every page is kept as a screenshot in test-artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
EXERCISE = {
    "calf_stretch",
    "hamstring_stretch",
    "plantar_fascia_stretch",
    "eccentric_heel_drops_full_range",
    "eccentric_heel_drops_floor_level",
    "isometric_calf_holds",
    "progressive_calf_strengthening",
    "massage",
    "massage_stick",
}
HEAVY_LOADING = {"eccentric_heel_drops_full_range", "progressive_calf_strengthening"}


class Journey:
    """One person's way through the app in one browser tab."""

    def __init__(self, page: Page, base_url: str, shots: Path, name: str, axe: bool = True) -> None:
        self.page = page
        self.base_url = base_url
        self.shots = shots
        self.name = name
        self.axe = axe
        self.count = 0
        self.foreign: list[str] = []
        self.footwear: tuple[str, ...] = ()
        self.work: str | None = None
        page.context.on("request", self._request)

    def _request(self, request: object) -> None:
        url = getattr(request, "url", "")
        if not url.startswith(self.base_url) and not url.startswith(("data:", "about:")):
            self.foreign.append(url)

    def check(self) -> None:
        """Every page: no violation from axe-core, nothing from another host, a screenshot."""
        self.count += 1
        self.page.screenshot(path=self.shots / f"{self.name}-{self.count:02d}.png", full_page=True)
        if self.axe:
            results = Axe().run(self.page, options=AXE_OPTIONS)
            assert results.violations_count == 0, (
                f"{self.page.url} ({self.page.title()}):\n{results.generate_report()}"
            )
        assert self.foreign == [], self.foreign

    def start(self) -> None:
        self.page.goto(self.base_url + "/")
        self.check()
        self.page.get_by_role("link", name="Start the check").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text("About you")

    def about(
        self, age: int, sex: str, footwear: Iterable[str] = (), work: str | None = None
    ) -> None:
        p = self.page
        p.get_by_label("Your age in years").fill(str(age))
        p.get_by_label(sex, exact=True).check()
        # shoes and work are asked after the warning signs (answer_screen fills them in)
        self.footwear, self.work = tuple(footwear), work
        self.check()
        self.next()

    def next(self) -> None:
        """Press Next and wait for the page it leads to (POST, redirect, GET) to load, so
        that what follows (a reload, a count of inputs) sees the new page, not the old."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Next").click()

    def answer_screen(
        self, yes: Iterable[str] = (), no: Iterable[str] = (), rest: str = "unsure"
    ) -> None:
        """Answer every question on this step (yes, no, or ``rest``) and go on. "Where
        does it hurt?" gets a tick for each place in ``yes``, or "I can't say where"."""
        p = self.page
        if p.locator("input[name=footwear]").count():
            for shoes in self.footwear:
                p.get_by_label(shoes, exact=True).check()
            if self.work and p.locator("input[name=work]").count():
                p.get_by_label(self.work, exact=True).check()
        names = p.locator("input[type=radio][value=yes]").evaluate_all(
            "els => els.map(e => e.name)"
        )
        for name in names:
            fid = name.removeprefix("q_")
            reply = "yes" if fid in yes else "no" if fid in no else rest
            p.locator(f"#{name}-{reply}").check()
        # a tick question ("where does it hurt?", a checklist): a tick for each box in
        # ``yes``; else "none of these" when every box is in ``no`` (or the rest are "no");
        # else "not sure"
        boxes = p.locator("input[type=checkbox]:not([name=footwear])").evaluate_all(
            "els => els.map(e => [e.name, e.value])"
        )
        for name in dict.fromkeys(n for n, _ in boxes):
            values = [v for n, v in boxes if n == name]
            findings = [v for v in values if v not in ("unsure", "none")]
            ticked = [fid for fid in findings if fid in set(yes)]
            if not ticked:
                none = "none" in values and (
                    rest == "no" or all(fid in set(no) for fid in findings)
                )
                ticked = ["none" if none else "unsure"]
            for fid in ticked:
                p.locator(f"#{name}-{fid}").check()
        self.check()
        self.next()

    def answer_every_screen(
        self,
        yes: set[str],
        no: set[str] = frozenset(),
        rest: str = "unsure",  # type: ignore[assignment]
    ) -> None:
        """Answer what each step asks (the rest: ``rest``), past check-your-answers, up to
        the result page."""
        p = self.page
        for _ in range(30):
            if p.locator("#triage-title").count():
                self.check()
                return
            if p.get_by_role("heading", level=1, name="Check your answers").count():
                self.check()
                with p.expect_navigation():
                    p.get_by_role("link", name="See my result").click()
                continue
            expect(p.locator(".progress-text")).to_have_text(re.compile(r"Step \d+"))
            self.answer_screen(yes, no, rest)
        raise AssertionError("the interview did not reach the result page")

    def interventions(self) -> set[str]:
        return set(
            self.page.locator(".plan-item").evaluate_all(
                "items => items.map(i => i.dataset.intervention)"
            )
        )

    def first_condition(self) -> str:
        value = self.page.locator(".cause").first.get_attribute("data-condition")
        return value or ""


@pytest.fixture
def journey(
    page: Page, base_url: str, screenshots: Path, request: pytest.FixtureRequest
) -> Journey:
    return Journey(page, base_url, screenshots, request.node.originalname.removeprefix("test_"))


def _triage_comes_first(page: Page) -> None:
    first = page.locator("main > *").first
    expect(first).to_have_class(re.compile(r"\btriage\b"))


def test_a_sudden_pop_playing_squash_is_urgent_and_the_plan_holds_no_exercise(
    journey: Journey,
) -> None:
    journey.start()
    journey.about(
        42, "Male", ["Trainers or running shoes"], "Mostly sitting, for example at a desk"
    )
    journey.answer_every_screen(
        yes={
            "sudden_onset",
            "pop_or_snap",
            "felt_kicked_in_calf",
            "runner_or_jumper",
            "cannot_single_leg_heel_raise",
            "weak_push_off",
            "calf_squeeze_no_foot_movement",
            "palpable_gap",
        },
        no={"gradual_onset", "fall_or_heel_impact", "chest_pain_or_breathless"},
    )
    page = journey.page
    _triage_comes_first(page)
    triage = page.locator(".triage")
    expect(triage).to_have_class(re.compile(r"triage-(urgent|emergency)"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("Get seen in person today|Call emergency services now")
    )
    assert journey.first_condition() == "achilles_tendon_rupture"
    plan = journey.interventions()
    assert plan & {"urgent_in_person_care", "call_emergency_services"}
    assert not plan & EXERCISE, plan & EXERCISE
    first_phase = page.locator(".phase").first.locator(".plan-item").first
    expect(first_phase).to_have_attribute(
        "data-intervention", re.compile("urgent_in_person_care|call_emergency_services")
    )


def test_a_desk_worker_in_dress_shoes_with_insertional_pain(journey: Journey) -> None:
    journey.start()
    journey.about(
        47,
        "Female",
        ["Dress or work shoes with a stiff back"],
        "Mostly sitting, for example at a desk",
    )
    journey.answer_every_screen(
        yes={
            "gradual_onset",
            "pain_at_insertion",
            "tender_insertion",
            "morning_stiffness",
            "worse_with_shoe_pressure",
            "worse_uphill_or_stairs",
            "pain_on_tiptoe",
            "rigid_backed_shoes",
            "chronic_over_3_months",
        },
        no={
            "sudden_onset",
            "pop_or_snap",
            "pain_midportion",
            "tender_midportion",
            "pain_under_heel",
        },
    )
    page = journey.page
    _triage_comes_first(page)
    assert journey.first_condition() in {
        "insertional_achilles_tendinopathy",
        "retrocalcaneal_bursitis",
        "haglund_syndrome",
    }
    plan = journey.interventions()
    assert "eccentric_heel_drops_floor_level" in plan
    assert "eccentric_heel_drops_full_range" not in plan
    # the shoe and insert advice is worded for dress shoes
    support = page.locator(
        ".plan-item[data-intervention=heel_lift], "
        ".plan-item[data-intervention=rigid_arch_support], "
        ".plan-item[data-intervention=open_backed_or_soft_counter_shoes]"
    )
    assert support.count() >= 1
    assert "dress" in " ".join(support.all_text_contents()).lower()  # in a folded phase


def test_an_11_year_old_footballer_gets_severs_and_a_childs_plan(journey: Journey) -> None:
    journey.start()
    journey.about(11, "Male", ["Trainers or running shoes"])
    journey.answer_every_screen(
        yes={
            "gradual_onset",
            "runner_or_jumper",
            "training_increase",
            "growth_spurt",
            "worse_after_activity",
            "tender_heel_bone_squeeze",
            "pain_at_insertion",
        },
        no={
            "sudden_onset",
            "pop_or_snap",
            "fall_or_heel_impact",
            "fever_or_unwell",
            "night_or_rest_pain",
            "swelling",
        },
    )
    page = journey.page
    _triage_comes_first(page)
    assert journey.first_condition() == "calcaneal_apophysitis"
    expect(page.locator(".triage")).to_have_class(re.compile("triage-(self_care|soon)"))
    plan = journey.interventions()
    assert not plan & HEAVY_LOADING
    assert "oral_nsaid" not in plan
    assert plan & {"heel_lift", "heel_cup"}
    expect(page.locator("#plan-title + *, .phase").first).to_be_visible()
    assert "child" in page.locator("main").inner_text().lower()


def _tab_to(page: Page, matches: str, limit: int = 80) -> None:
    """Press Tab until the focused element satisfies the JS predicate ``matches`` (on ``el``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {matches}; }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {matches}")


def _focus_is_visible(page: Page) -> bool:
    return bool(
        page.evaluate(
            """(() => {
                const s = getComputedStyle(document.activeElement);
                return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
                    || s.boxShadow !== 'none';
            })()"""
        )
    )


def test_the_whole_journey_by_keyboard_alone(journey: Journey) -> None:
    page = journey.page
    page.goto(journey.base_url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    assert _focus_is_visible(page)
    _tab_to(page, "el.textContent === 'Start the check'")
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("About you")

    _tab_to(page, "el.id === 'age'")
    page.keyboard.type("35")
    page.keyboard.press("Tab")  # the sex radios: arrow keys choose within the group
    assert page.evaluate("document.activeElement.name") == "sex"
    page.keyboard.press("ArrowUp")  # from "Prefer not to say" to "Another way"
    page.keyboard.press("ArrowUp")  # to "Male"
    assert page.evaluate("document.activeElement.value") == "male"
    _tab_to(page, "el.textContent.trim() === 'Next'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Warning signs")

    # the warning signs: a yes/no question is one Tab stop, where the arrow key chooses
    # "No"; a checklist is a Tab stop per box, where Space ticks "None of these"
    groups = page.locator("input[type=radio][value=yes]").count()
    checklists = page.locator("input[type=checkbox][value=none]").count()
    assert groups and checklists
    for _ in range(groups + checklists):
        _tab_to(page, "el.type === 'radio' || (el.type === 'checkbox' && el.value === 'none')")
        assert _focus_is_visible(page)
        if page.evaluate("document.activeElement.type") == "radio":
            page.keyboard.press("ArrowRight")  # from "Yes" to "No", which checks it
            assert page.evaluate("document.activeElement.value") == "no"
        else:
            page.keyboard.press("Space")  # ticks "None of these"
            assert page.evaluate("document.activeElement.checked")
    assert page.locator("input[type=radio]:checked").count() == groups
    assert page.locator("input[type=checkbox][value=none]:checked").count() == checklists
    _tab_to(page, "el.textContent.trim() === 'Next'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Shoes and work")
    _tab_to(page, "el.textContent.trim() === 'Next'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".progress-text")).to_have_text("Step 4")

    # step 4: say yes to the first question, then go on
    _tab_to(page, "el.type === 'radio'")
    first = page.evaluate("document.activeElement.name")
    page.keyboard.press("Space")  # checks "Yes"
    assert page.evaluate("document.activeElement.value") == "yes"
    _tab_to(page, "el.textContent.trim() === 'Next'")
    assert _focus_is_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Back, by keyboard, keeps the answer
    _tab_to(page, "el.textContent.trim() === 'Back'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".progress-text")).to_have_text("Step 4")
    expect(page.locator(f"input[name='{first}'][value=yes]")).to_be_checked()

    for _ in range(30):
        if page.get_by_role("heading", level=1, name="Check your answers").count():
            break
        if page.locator("input[type=checkbox]").count():
            # a tick question ("where does it hurt?", a checklist): Tab to the first box,
            # Space ticks it
            _tab_to(page, "el.type === 'checkbox'")
            assert _focus_is_visible(page)
            page.keyboard.press("Space")
            assert page.evaluate("document.activeElement.checked") is True
        _tab_to(page, "el.textContent.trim() === 'Next'")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    _tab_to(page, "el.textContent.trim() === 'See my result'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#triage-title")).to_be_visible()
    _tab_to(page, "el.textContent.trim() === 'Change my answers'")
    assert _focus_is_visible(page)
    journey.check()


def test_the_journey_on_a_375_px_phone(browser: Browser, base_url: str, screenshots: Path) -> None:
    context = browser.new_context(
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    try:
        page = context.new_page()
        j = Journey(page, base_url, screenshots, "phone-375", axe=False)

        def fits() -> None:
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, f"{page.url}: the page is {width}px wide at 375px"

        j.start()
        fits()
        j.about(52, "Female", ["Flats, pumps or heels"], "Mostly on my feet, or physical work")
        for _ in range(30):
            if page.locator("#triage-title").count():
                break
            fits()
            if page.get_by_role("link", name="See my result").count():
                j.check()
                page.get_by_role("link", name="See my result").click()
            else:
                j.answer_screen(rest="no")
        fits()
        j.check()
        page.goto(base_url + "/docs")
        fits()
    finally:
        context.close()


def test_every_page_works_with_javascript_off(
    browser: Browser, base_url: str, screenshots: Path
) -> None:
    context: BrowserContext = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        j = Journey(page, base_url, screenshots, "no-js", axe=False)
        j.start()
        j.about(30, "Prefer not to say")
        j.answer_every_screen(yes={"pain_midportion", "gradual_onset"})
        expect(page.locator("#triage-title")).to_be_visible()
        # the print button needs JavaScript, so without it it stays hidden
        expect(page.locator(".js-print")).to_be_hidden()
        page.get_by_role("button", name="Change my answers").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    finally:
        context.close()


def test_the_api_docs_and_error_pages_pass_axe(journey: Journey) -> None:
    for path in ("/docs", "/no-such-page"):
        journey.page.goto(journey.base_url + path)
        journey.check()


def test_a_bad_age_is_announced_and_linked_to_the_field(journey: Journey) -> None:
    journey.start()
    page = journey.page
    page.get_by_label("Your age in years").fill("two hundred")
    page.get_by_role("button", name="Next").click()
    expect(page.locator(".error-summary")).to_be_visible()
    journey.check()
    page.get_by_role("link", name=re.compile("Enter an age")).click()
    expect(page.locator("#age")).to_be_focused()


# -- the interview's navigation: four stories at 1280 and 375 px ------------------------------

RUNNER = {
    "gradual_onset",
    "training_increase",
    "runner_or_jumper",
    "pain_midportion",
    "tender_midportion",
    "tendon_nodule_or_thickening",
    "morning_stiffness",
    "warms_up_with_activity",
    "worse_after_activity",
}


@pytest.fixture(params=[1280, 375], ids=["1280px", "375px"])
def sized(
    browser: Browser, base_url: str, screenshots: Path, request: pytest.FixtureRequest
) -> Iterable[Journey]:
    width = request.param
    context = browser.new_context(
        viewport={"width": width, "height": 900 if width > 400 else 740},
        is_mobile=width < 400,
        has_touch=width < 400,
    )
    name = f"{request.node.originalname.removeprefix('test_')}-{width}"
    journey = Journey(context.new_page(), base_url, screenshots, name)
    original = journey.check

    def check_and_fit() -> None:
        original()
        scroll = journey.page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{journey.page.url}: {scroll}px wide at {width}px"

    journey.check = check_and_fit  # type: ignore[method-assign]
    yield journey
    context.close()


def _heading(page: Page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def test_a_45_year_old_runner_with_back_reload_and_a_changed_answer(sized: Journey) -> None:
    j, page = sized, sized.page
    j.start()
    j.about(45, "Male", ["Trainers or running shoes"], "Mostly sitting, for example at a desk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Warning signs")
    j.answer_screen(rest="no")
    j.answer_screen()  # shoes and work
    # Reload a step: the same page, nothing sent again
    url = page.url
    page.reload()
    assert page.url == url
    j.check()
    first_questions = page.locator("input[type=radio][value=yes]").evaluate_all(
        "els => els.map(e => e.name)"
    )
    j.answer_screen(RUNNER, rest="no")
    # the browser's Back: the step before, with its answers
    page.go_back()
    assert page.url == url
    for name in first_questions:
        expect(page.locator(f"input[name='{name}']:checked")).to_have_count(1)
    page.go_forward()
    for _ in range(30):
        if _heading(page) == "Check your answers":
            break
        j.answer_screen(RUNNER, rest="no")
    j.check()
    # where it hurts: one row, the place ticked in words
    places = page.locator(".answer-row", has_text="Where does it hurt?")
    expect(places).to_have_count(1)
    expect(places).to_contain_text("In the tendon, 2 to 6 cm above the heel")
    # change one answer in one click, and come back to the list
    page.get_by_role(
        "link", name=re.compile("Change your answer to: Can you feel a dip or a gap")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Warning signs")
    page.locator("#q_palpable_gap-unsure").check()
    j.check()
    page.get_by_role("button", name="Save and go back to my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    row = page.locator(".answer-row", has_text="a dip or a gap")
    expect(row).to_contain_text("Not sure")
    # a warning checklist is changed in one click too
    page.get_by_role(
        "link", name=re.compile("Change your answer to: Do you have any of these now")
    ).click()
    expect(page.locator("#emergency_signs-none")).to_be_checked()
    page.locator("#emergency_signs-none").uncheck()
    page.locator("#emergency_signs-unsure").check()
    j.check()
    page.get_by_role("button", name="Save and go back to my answers").click()
    row = page.locator(".answer-row", has_text="Do you have any of these now?")
    expect(row).to_contain_text("I'm not sure")
    page.get_by_role("link", name="See my result").click()
    expect(page.locator("#triage-title")).to_be_visible()
    j.check()
    assert j.first_condition() == "midportion_achilles_tendinopathy"
    # the result can be opened again (bookmarked) while the answers last
    page.goto(j.base_url + "/assess/result")
    expect(page.locator("#triage-title")).to_be_visible()


def test_where_it_hurts_left_blank_is_an_error_linked_to_its_first_box(sized: Journey) -> None:
    j, page = sized, sized.page
    j.start()
    j.about(45, "Female")
    for _ in range(20):
        if page.locator("input[name=where]").count():
            break
        j.answer_screen(rest="no")
    expect(page.get_by_role("group", name="Where does it hurt?")).to_be_visible()
    j.check()
    j.next()  # nothing ticked
    expect(page.locator(".error-summary")).to_be_visible()
    j.check()
    page.get_by_role("link", name=re.compile("Tick the places that hurt")).click()
    expect(page.locator("#where-pain_at_insertion")).to_be_focused()
    # a place and "I can't say where" together: an error too, the ticks kept
    page.locator("#where-pain_under_heel").check()
    page.locator("#where-unsure").check()
    j.next()
    expect(page.locator(".error-summary")).to_contain_text("not both")
    expect(page.locator("#where-pain_under_heel")).to_be_checked()
    page.locator("#where-unsure").uncheck()
    j.next()
    expect(page.locator(".error-summary")).to_have_count(0)
    page.get_by_role("link", name="Back").click()  # the step again, as answered
    expect(page.locator("#where-pain_under_heel")).to_be_checked()
    expect(page.locator("#where-unsure")).not_to_be_checked()


def test_a_squash_player_who_felt_a_snap_is_sent_to_care_at_once(sized: Journey) -> None:
    j, page = sized, sized.page
    j.start()
    j.about(38, "Male")
    j.answer_screen(yes={"pop_or_snap", "sudden_onset"}, rest="no")
    # the interview ends at once: straight to the result
    assert page.url.endswith("/assess/result")
    triage = page.locator(".triage")
    expect(triage).to_have_class(re.compile(r"triage-(urgent|emergency)"))
    j.check()
    page.reload()
    expect(triage).to_have_class(re.compile(r"triage-(urgent|emergency)"))
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Warning signs")
    expect(page.locator("#how_it_started-pop_or_snap")).to_be_checked()
    expect(page.locator("#emergency_signs-none")).to_be_checked()


def test_a_12_year_old_footballer_is_asked_as_a_child(sized: Journey) -> None:
    j, page = sized, sized.page
    j.start()
    j.about(12, "Male", ["Trainers or running shoes"])
    texts = []
    for _ in range(30):
        if _heading(page) == "Check your answers":
            break
        texts.append(page.locator("main").inner_text())
        assert page.locator("input[name=work]").count() == 0
        j.answer_screen(
            yes={"gradual_onset", "runner_or_jumper", "growth_spurt", "worse_after_activity"},
            rest="no",
        )
    seen = "\n".join(texts).lower()
    assert "pregnan" not in seen
    assert "your child" in seen
    page.get_by_role("link", name="See my result").click()
    j.check()
    assert j.first_condition() == "calcaneal_apophysitis"


def test_all_not_sure_never_says_no_warning_signs(sized: Journey) -> None:
    j, page = sized, sized.page
    j.start()
    j.about(40, "Prefer not to say")
    j.answer_every_screen(yes=set(), rest="unsure")
    expect(page.locator("#triage-title")).to_be_visible()
    assert "no warning signs" not in page.locator("main").inner_text().lower()

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
        for shoes in footwear:
            p.get_by_label(shoes, exact=True).check()
        if work:
            p.get_by_label(work, exact=True).check()
        self.check()
        p.get_by_role("button", name="Next").click()

    def answer_every_screen(self, yes: set[str], no: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        """Answer what each screen asks (the rest stays "not sure") up to the result page."""
        p = self.page
        for _ in range(8):
            if p.locator("#triage-title").count():
                self.check()
                return
            expect(p.locator(".progress-text")).to_have_text(re.compile(r"Step \d of 6"))
            for fid in yes:
                box = p.locator(f"#q_{fid}-yes")
                if box.count():
                    box.check()
            for fid in no:
                box = p.locator(f"#q_{fid}-no")
                if box.count():
                    box.check()
            self.check()
            p.get_by_role("button", name=re.compile("^(Next|See my result)$")).click()
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
    expect(page.get_by_role("heading", level=1)).to_have_text("Where it hurts")

    # screen 2: say yes to the first question with the arrow keys, then go on
    _tab_to(page, "el.type === 'radio'")
    assert _focus_is_visible(page)
    first = page.evaluate("document.activeElement.name")
    page.keyboard.press("ArrowLeft")  # from "Not sure" to "No"
    page.keyboard.press("ArrowLeft")  # to "Yes"
    assert page.evaluate("document.activeElement.value") == "yes"
    _tab_to(page, "el.textContent.trim() === 'Next'")
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("How it started")

    # Back, by keyboard, keeps the answer
    _tab_to(page, "el.textContent.trim() === 'Back'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Where it hurts")
    expect(page.locator(f"input[name='{first}'][value=yes]")).to_be_checked()

    for _ in range(6):
        if page.locator("#triage-title").count():
            break
        _tab_to(page, "['Next', 'See my result'].includes(el.textContent.trim())")
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
        for _ in range(8):
            if page.locator("#triage-title").count():
                break
            fits()
            j.check()
            page.get_by_role("button", name=re.compile("^(Next|See my result)$")).click()
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
        expect(page.get_by_role("heading", level=1)).to_have_text("Your health")
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

"""Following the recovery in a real browser: sign up from a result, keep the diary for days,
fill in VISA-A, and see the progress charts and today's adjusted exercises.

Every page of the follow-up is checked with axe-core (WCAG 2.2 A/AA and best
practice) and must report no violation; nothing is fetched from another host.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
HSR = "progressive_calf_strengthening"


def day(n: int) -> str:
    return (dt.date.today() - dt.timedelta(days=n)).isoformat()


class Person:
    def __init__(self, page: Page, base_url: str, shots: Path) -> None:
        self.page, self.base_url, self.shots = page, base_url, shots
        self.count = 0
        self.foreign: list[str] = []
        page.context.on("request", self._request)

    def _request(self, request: object) -> None:
        url = getattr(request, "url", "")
        if not url.startswith(self.base_url) and not url.startswith(("data:", "about:")):
            self.foreign.append(url)

    def check(self) -> None:
        self.count += 1
        self.page.screenshot(path=self.shots / f"recovery-{self.count:02d}.png", full_page=True)
        results = Axe().run(self.page, options=AXE_OPTIONS)
        assert results.violations_count == 0, f"{self.page.url}:\n{results.generate_report()}"
        assert self.foreign == [], self.foreign

    def assessment(self) -> None:
        """The check, up to the result page (age 46, pain where the tendon meets the heel)."""
        p = self.page
        p.goto(self.base_url + "/assess")
        p.get_by_label("Your age in years").fill("46")
        with p.expect_navigation():
            p.get_by_role("button", name="Next").click()
        for _ in range(30):
            if p.locator("#triage-title").count():
                return
            if p.get_by_role("link", name="See my result").count():
                with p.expect_navigation():
                    p.get_by_role("link", name="See my result").click()
                continue
            for name in p.locator("input[type=radio][value=yes]").evaluate_all(
                "els => els.map(e => e.name)"
            ):
                reply = "yes" if name == "q_pain_at_insertion" else "no"
                p.locator(f"#{name}-{reply}").check()
            if p.locator("#where-pain_at_insertion").count():  # where does it hurt
                p.locator("#where-pain_at_insertion").check()
            none = p.locator("input[type=checkbox][value=none]")  # the checklists
            for i in range(none.count()):
                none.nth(i).check()
            with p.expect_navigation():
                p.get_by_role("button", name="Next").click()
        raise AssertionError("the interview did not reach the result page")

    def diary(
        self, date: str, morning: int, during: int | None = None, sets: int | None = None
    ) -> None:
        p = self.page
        p.goto(self.base_url + "/diary/new")
        p.get_by_label("Day", exact=True).fill(date)
        p.get_by_label("Pain first thing this morning").select_option(str(morning))
        if during is not None:
            p.get_by_label("Pain during exercise or activity").select_option(str(during))
            p.locator(f"#done-{HSR}").check()
            p.locator(f"#sets-{HSR}").fill(str(sets))
        if self.count < 4:
            self.check()
        p.get_by_role("button", name="Save").click()
        expect(p.get_by_role("heading", level=1)).to_have_text("My progress")


def test_sign_up_keep_a_diary_fill_in_visa_a_and_see_progress(
    page: Page, base_url: str, screenshots: Path
) -> None:
    person = Person(page, base_url, screenshots)
    person.assessment()
    page.get_by_role("button", name="Save to my account").click()

    # no account yet: create one, and the result is saved to it
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    person.check()
    page.get_by_label("Email address").fill(f"{uuid.uuid4().hex[:10]}@example.com")
    page.get_by_label("Password (at least 10 characters)").fill("a long enough password")
    page.get_by_label(re.compile("I agree that heelpath keeps")).check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saved assessment")
    person.check()

    # a diary for four days: exercise within the pain limit, settled by the next morning
    person.diary(day(4), morning=4, during=4, sets=3)
    person.diary(day(3), morning=4, during=4, sets=3)
    person.diary(day(2), morning=3, during=3, sets=3)
    person.diary(day(1), morning=3)

    # VISA-A
    page.goto(base_url + "/visa-a")
    for item, points in (("q1", 6), ("q2", 7), ("q3", 5), ("q4", 8), ("q5", 4), ("q6", 3)):
        page.locator(f"#{item}-{points}").check()
    page.locator("#q7-4").check()
    page.locator("#q8-branch-B").check()
    page.locator("#q8b-10").check()
    person.check()
    page.get_by_role("button", name="Save my score").click()

    # progress: three charts with text alternatives, and today's exercises stepped up
    expect(page.get_by_role("heading", level=1)).to_have_text("My progress")
    charts = page.get_by_role("img")
    expect(page.locator("svg.chart")).to_have_count(3)
    assert charts.filter(has_text="").count() >= 3
    expect(page.locator("#visa-chart-desc")).to_contain_text("latest 47")
    today = page.locator(".today")
    expect(today).to_contain_text("Step up.")
    expect(today).to_contain_text("settled by the next morning")
    expect(today).to_contain_text("4 sets today (last time 3)")
    person.check()

    # my account: download and delete are there, behind a form
    page.get_by_role("link", name="Account").click()
    expect(page.get_by_role("link", name="Download my data")).to_be_visible()
    person.check()

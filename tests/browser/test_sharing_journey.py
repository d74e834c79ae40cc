"""Sharing with a clinic in a real browser: a person shares with their clinician, the clinician
reads the diary, the person revokes, the clinician no longer can, and the person's log shows
the view. Two browser contexts (two people, two cookie jars); axe on every new page."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"
NOTE = "Stiff on the stairs this morning"
CLINICIAN = "Dr Ada Stone, Northside Podiatry"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


def _accessible(page: Page, shots: Path, name: str) -> None:
    page.screenshot(path=shots / f"sharing-{name}.png", full_page=True)
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}:\n{results.generate_report()}"


def _sign_up(page: Page, base_url: str) -> str:
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    page.goto(base_url + "/signup")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password (at least 10 characters)").fill(PASSWORD)
    page.locator("#consent").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return email


def test_share_see_the_diary_revoke_and_read_the_log(
    browser: Browser, base_url: str, screenshots: Path
) -> None:
    person_ctx, clinic_ctx = browser.new_context(), browser.new_context()
    try:
        person, clinic = person_ctx.new_page(), clinic_ctx.new_page()
        email = _sign_up(person, base_url)

        # a saved result to follow (the check itself is tested elsewhere), then a diary entry
        person.goto(base_url + "/account")
        token = person.locator("input[name=csrf_token]").first.get_attribute("value") or ""
        saved = person.request.post(
            base_url + "/my/assessments",
            form={"csrf_token": token, "age": "44", "q_pain_midportion": "yes"},
        )
        assert saved.ok
        person.goto(base_url + "/diary/new")
        person.locator("#pain_morning").select_option("4")
        person.get_by_label("Notes (optional)").fill(NOTE)
        person.get_by_role("button", name="Save", exact=True).click()

        person.goto(base_url + "/account/sharing")
        person.get_by_role("button", name="Make a share code").click()
        code = person.locator(".share-code").inner_text()
        assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
        _accessible(person, screenshots, "person-code")

        # the clinician registers, types the code, and reads the diary
        _sign_up(clinic, base_url)
        clinic.goto(base_url + "/clinic")
        clinic.get_by_label("Your name and practice").fill(CLINICIAN)
        clinic.get_by_role("button", name="Register as a clinician").click()
        clinic.get_by_label("Share code").fill(code.lower())
        clinic.get_by_role("button", name="Add").click()
        expect(clinic.get_by_role("heading", level=1)).to_have_text(f"Records shared by {email}")
        expect(clinic.get_by_role("cell", name=NOTE)).to_be_visible()
        _accessible(clinic, screenshots, "clinician-diary")
        shared_url = clinic.url

        # the person sees who has access and who looked, and stops it
        person.goto(base_url + "/account/sharing")
        log = person.locator("table")
        expect(log).to_contain_text(CLINICIAN)
        expect(log).to_contain_text("viewed the assessments, diary and charts")
        _accessible(person, screenshots, "person-log")
        person.get_by_role("button", name=f"Stop sharing with {CLINICIAN}").click()
        expect(person.get_by_role("status")).to_contain_text("can no longer see your records")

        # at once: the same page is gone for the clinician, and the person is off the list
        response = clinic.goto(shared_url)
        assert response is not None and response.status == 404
        expect(clinic.get_by_text(NOTE)).to_have_count(0)
        clinic.goto(base_url + "/clinic")
        expect(clinic.get_by_text(email)).to_have_count(0)

        # and the log still shows the view
        person.reload()
        expect(person.locator("table")).to_contain_text(CLINICIAN)
    finally:
        person_ctx.close()
        clinic_ctx.close()

"""The result page printed by chromium: 1-3 A4 pages holding the level, every plan item and
its dose, the date and both versions; and the trust pages pass axe."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from fastapi import FastAPI
from playwright.sync_api import Page

from exports.readback import flat, pdf_text
from heelpath import __version__
from heelpath.engine import Engine, default_engine
from heelpath.knowledge.version import knowledge_version
from heelpath.web.app import create_app
from heelpath.web.result_view import TRIAGE_WORDS
from heelpath.web.settings import Settings
from web.results import DAY, result_html

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("poppler")]

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
STORIES: dict[str, dict[str, Any]] = {
    "runner_45": {
        "age": 45,
        "sex": "male",
        "footwear": ["athletic"],
        "pain_score": 5,
        "findings": {
            "gradual_onset": True,
            "runner_or_jumper": True,
            "training_increase": True,
            "pain_midportion": True,
            "morning_stiffness": True,
            "tender_midportion": True,
            "pain_on_tiptoe": True,
            "sudden_onset": False,
            "pop_or_snap": False,
            "chest_pain_or_breathless": False,
        },
    },
    "squash_snap": {
        "age": 41,
        "sex": "male",
        "findings": {
            "sudden_onset": True,
            "pop_or_snap": True,
            "felt_kicked_in_calf": True,
            "weak_push_off": True,
            "cannot_single_leg_heel_raise": True,
        },
    },
    "footballer_12": {
        "age": 12,
        "sex": "male",
        "findings": {
            "runner_or_jumper": True,
            "growth_spurt": True,
            "pain_at_insertion": True,
            "tender_heel_bone_squeeze": True,
            "both_heels": True,
            "fall_or_heel_impact": False,
            "fever_or_unwell": False,
        },
    },
    "all_not_sure": {"age": 50, "findings": {}},
}


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return create_app(Settings(), engine=default_engine())


def _show(page: Page, base_url: str, html: str) -> None:
    """The result page as the app renders it, at the live server's address (so its own
    stylesheet and drawings load from there)."""
    url = f"{base_url}/print-check"
    page.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto(url)


def _pages(pdf: bytes) -> int:
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    match = re.search(r"^Pages:\s+(\d+)", out.stdout.decode(), re.MULTILINE)
    assert match
    return int(match.group(1))


@pytest.mark.parametrize("story", sorted(STORIES))
def test_the_printed_result_fits_on_three_pages_with_the_plan_doses_date_and_versions(
    page: Page, base_url: str, app: FastAPI, story: str, tmp_path: Path
) -> None:
    engine: Engine = app.state.engine
    data = STORIES[story]
    answer = engine.assess(data)
    _show(page, base_url, result_html(app, data, engine))
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    (tmp_path / f"{story}.pdf").write_bytes(pdf)
    assert 1 <= _pages(pdf) <= 3
    text = pdf_text(pdf)
    headline, _ = TRIAGE_WORDS[answer["triage"]["level"]]
    assert headline in text
    for phase in answer["plan"]["phases"]:  # folded on screen, open on paper
        for item in phase["items"]:
            assert flat(item["title"]) in text, item["intervention"]
            assert flat(item["dose"]) in text, item["intervention"]
    made = f"{DAY.day} {DAY:%B %Y}"
    assert f"made on {made}" in text
    assert f"heelpath {__version__}" in text
    assert knowledge_version() in text
    for hidden in ("Save to my account", "Change my answers", "Skip to main content"):
        assert hidden not in text


def test_the_result_about_clinical_safety_and_privacy_pages_pass_axe(
    page: Page, base_url: str, app: FastAPI
) -> None:
    for story in ("runner_45", "all_not_sure"):
        _show(page, base_url, result_html(app, STORIES[story], app.state.engine))
        page.locator("details").evaluate_all("ds => ds.forEach(d => d.open = true)")
        results = Axe().run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, results.generate_report()
    for path in ("/about", "/clinical-safety", "/privacy"):
        page.goto(base_url + path)
        results = Axe().run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, f"{path}:\n{results.generate_report()}"

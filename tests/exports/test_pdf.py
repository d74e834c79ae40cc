"""The printable plan, read back with poppler: 1-3 pages, the level, every reason, dose and warning."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from exports.readback import DRAWINGS, dev_case_params, flat, page_images, pdf_text
from heelpath import __version__
from heelpath.drawings import drawing_for
from heelpath.engine import Engine
from heelpath.exports.drawings import drawing_path, load_drawing
from heelpath.exports.fonts import missing_glyphs
from heelpath.exports.pdf import DETAILS, MAX_PAGES, SEEK_CARE, Detail, render_pdf
from heelpath.exports.pdf_charts import Series
from heelpath.knowledge.version import knowledge_version
from heelpath.web.result_view import TRIAGE_WORDS

pytestmark = pytest.mark.usefixtures("poppler")
TODAY = dt.date(2026, 3, 14)


def _render(engine: Engine, data: dict[str, Any], **kw: Any) -> tuple[dict[str, Any], bytes]:
    answer = engine.assess(data)
    kw.setdefault("drawings_dir", DRAWINGS)
    return answer, render_pdf(data, answer, engine.knowledge, today=TODAY, **kw)


@pytest.mark.parametrize("case", dev_case_params())
def test_each_dev_case_prints_on_one_to_three_pages_with_level_plan_and_doses(
    engine: Engine, case: dict[str, Any], tmp_path: Path
) -> None:
    answer, pdf = _render(engine, case["input"])
    pages = page_images(pdf, tmp_path)
    assert 1 <= len(pages) <= MAX_PAGES
    text = pdf_text(pdf)
    headline, action = TRIAGE_WORDS[answer["triage"]["level"]]
    assert flat(headline) in text
    assert flat(action) in text
    for reason in answer["triage"]["reasons"]:
        assert flat(reason) in text
    for phase in answer["plan"]["phases"]:
        assert flat(phase["title"]) in text
        for item in phase["items"]:
            assert flat(item["instructions"]) in text, item["intervention"]
            if item.get("dose"):
                assert flat(item["dose"]) in text, item["intervention"]
    for avoid in answer["plan"]["avoid"]:
        assert flat(avoid["reason"]) in text, avoid["intervention"]
    assert answer["conditions"][0]["name"] in text
    assert flat(answer["disclaimer"]) in text


def test_every_page_carries_the_date_and_both_versions(engine: Engine) -> None:
    _, pdf = _render(engine, {"age": 46, "findings": {"pain_at_insertion": True}})
    pages = pdf_text(pdf).split("\f")
    footer = f"heelpath {__version__} · knowledge {knowledge_version()} · made 2026-03-14"
    assert all(footer in page for page in pages if page.strip())
    assert "14 March 2026" in pages[0]


def test_an_emergency_puts_the_call_first(engine: Engine) -> None:
    _, pdf = _render(
        engine, {"age": 60, "findings": {"chest_pain_or_breathless": True, "swelling": True}}
    )
    text = pdf_text(pdf)
    assert text.index("Call emergency services now") < text.index("What might be going on")


def test_the_font_prints_every_character_the_plans_use(engine: Engine) -> None:
    texts = []
    for case in dev_case_params():
        if case.values[0] is None:
            pytest.skip("the development cases are missing")
        answer = engine.assess(case.values[0]["input"])
        for phase in answer["plan"]["phases"]:
            for item in phase["items"]:
                texts += [item["instructions"], item.get("dose", ""), item.get("evidence", "")]
        texts += [a["reason"] for a in answer["plan"]["avoid"]]
        texts += answer["triage"]["reasons"]
    assert missing_glyphs("".join(texts)) == set()
    assert missing_glyphs("’ ≥ × – ✓") == set()
    assert missing_glyphs("\U0001f9b6") == {"\U0001f9b6"}  # the check can fail


def test_drawings_are_drawn_beside_their_exercise_and_self_test(engine: Engine) -> None:
    data = {
        "age": 38,
        "findings": {"pain_midportion": True, "tender_midportion": True, "pain_on_tiptoe": True},
    }
    # the same detail for both, whatever fits: only the drawings differ
    _, with_drawings = _render(engine, data, details=DETAILS[:1])
    _, without = _render(engine, data, drawings_dir=Path("/nonexistent"), details=DETAILS[:1])
    assert with_drawings != without
    text = pdf_text(with_drawings)
    assert "The checks you did" in text  # pain_on_tiptoe has a drawing
    assert "The checks you did" not in pdf_text(without)
    # the drawings' own words are drawn: the heel drops beside their instructions, the
    # tiptoe check beside its question
    assert "lower slowly" in text and "rise slowly" in text
    assert "lower slowly" not in pdf_text(without)


@pytest.mark.parametrize("case", dev_case_params())
def test_each_dev_case_draws_every_exercise_and_still_fits(
    engine: Engine, case: dict[str, Any], tmp_path: Path
) -> None:
    answer, pdf = _render(engine, case["input"])
    assert 1 <= len(page_images(pdf, tmp_path)) <= MAX_PAGES
    drawn = [
        i["intervention"]
        for p in answer["plan"]["phases"]
        for i in p["items"]
        if drawing_for(i["intervention"]) is not None
    ]
    if not drawn:
        return
    # svglib draws each SVG as vector paths: more of them than the same plan without
    # drawings, at the same level of detail
    same = (DETAILS[-1],)
    _, drawn_pdf = _render(engine, case["input"], details=same)
    _, bare = _render(engine, case["input"], drawings_dir=Path("/nonexistent"), details=same)
    assert _path_operators(drawn_pdf) > _path_operators(bare)


def _path_operators(pdf: bytes) -> int:
    """How many path-painting operators (stroke, fill) the PDF's pages hold, read by qpdf-free
    means: poppler's pdftocairo turns the pages into SVG, whose <path> elements we count."""
    out = subprocess.run(
        ["pdftocairo", "-svg", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return out.stdout.count(b"<path")


def test_a_missing_or_broken_drawing_never_stops_the_plan(engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "calf_stretch.svg").write_text("<svg this is not xml")
    (tmp_path / "pain_on_tiptoe.svg").write_text("")
    answer, pdf = _render(
        engine, {"age": 38, "findings": {"pain_on_tiptoe": True}}, drawings_dir=tmp_path
    )
    text = pdf_text(pdf)
    for phase in answer["plan"]["phases"]:
        for item in phase["items"]:
            assert flat(item.get("dose", "")) in text


def test_a_drawing_is_scaled_to_the_width_asked() -> None:
    path = drawing_path("calf_stretch", DRAWINGS)
    assert path is not None
    drawing = load_drawing(path, 50.0)
    assert drawing is not None
    assert drawing.width == pytest.approx(50.0)
    assert drawing_path("no_such_exercise", DRAWINGS) is None


def test_account_charts_are_printed_with_their_words(engine: Engine, tmp_path: Path) -> None:
    start = dt.date(2026, 2, 1)
    pain = [(start + dt.timedelta(days=n), float(p)) for n, p in enumerate((7, 6, 6, 4, 3, 2))]
    visa = [
        (start, 48.0),
        (start + dt.timedelta(days=7), 60.0),
        (start + dt.timedelta(days=14), 71.0),
    ]
    charts = [
        Series("Pain over 2 weeks", pain, 10, "Morning pain fell from 7 to 2 out of 10."),
        Series("VISA-A", visa, 100, "The VISA-A score rose from 48 to 71 out of 100.",
               target=62, target_label="meaningful change"),
        Series("Nothing yet", [], 10, "This chart has no points and is left out."),
    ]  # fmt: skip
    _, pdf = _render(engine, {"age": 38, "findings": {"pain_midportion": True}}, charts=charts)
    text = pdf_text(pdf)
    assert "Your progress" in text
    assert "Morning pain fell from 7 to 2 out of 10." in text
    assert "The VISA-A score rose from 48 to 71 out of 100." in text
    assert "meaningful change" in text and "01 Feb 2026" in text
    assert "This chart has no points" not in text
    assert len(page_images(pdf, tmp_path)) <= MAX_PAGES
    _, without = _render(engine, {"age": 38, "findings": {"pain_midportion": True}})
    assert "Your progress" not in pdf_text(without)


@pytest.mark.parametrize("detail", DETAILS, ids=lambda d: f"{d.font_size}pt")
def test_every_level_of_detail_keeps_every_warning_reason_and_dose(
    engine: Engine, detail: Detail
) -> None:
    # the longest plan: many findings, so many items and many things left out
    data = {
        "age": 70,
        "footwear": ["sandals", "dress"],
        "work": "standing_or_manual",
        "findings": {
            "pain_at_insertion": True,
            "pain_midportion": True,
            "diabetes": True,
            "reduced_foot_sensation": True,
            "swelling": True,
            "gradual_onset": True,
            "morning_stiffness": True,
            "pain_under_heel": True,
        },
    }
    answer, pdf = _render(engine, data, details=(detail,))
    text = pdf_text(pdf)
    for reason in answer["triage"]["reasons"]:
        assert flat(reason) in text
    for phase in answer["plan"]["phases"]:
        for item in phase["items"]:
            assert flat(item["instructions"]) in text
            assert flat(item.get("dose", "")) in text
    for avoid in answer["plan"]["avoid"]:
        assert flat(avoid["reason"]) in text
    for when, what in SEEK_CARE:
        assert flat(f"{when} {what}") in text


def test_the_same_plan_gives_the_same_bytes(engine: Engine) -> None:
    data = {"age": 46, "findings": {"pain_at_insertion": True}}
    assert _render(engine, data)[1] == _render(engine, data)[1]


def test_report_command_writes_the_pdf(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text('{"age": 46, "findings": {"pain_at_insertion": true}}')
    out = tmp_path / "plan.pdf"
    run = subprocess.run(
        [sys.executable, "-m", "heelpath", "report", str(source), "--pdf", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert "Your care plan" in pdf_text(out.read_bytes())


def test_report_command_refuses_bad_input_and_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text('{"age": 46, "findings": {"pain_in_elbow": true}}')
    out = tmp_path / "plan.pdf"
    run = subprocess.run(
        [sys.executable, "-m", "heelpath", "report", str(source), "--pdf", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert "pain_in_elbow" in run.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [source]


def test_the_plan_lists_the_warning_signs_not_checked_and_never_reassures(
    engine: Engine,
) -> None:
    answer, pdf = _render(engine, {"age": 45, "findings": {"pain_midportion": True}})
    assert answer["triage"]["unchecked"]
    text = pdf_text(pdf)
    assert "Warning signs not checked" in text
    assert "no warning signs" not in text.lower()
    question = engine.knowledge.finding("chest_pain_or_breathless").question
    assert flat(question) in text
    assert text.index("Warning signs not checked") < text.index("What might be going on")

"""The drawings: every exercise and self-test has one, each file is a valid, titled SVG,
and the page and the PDF show them beside their instructions."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from heelpath.drawings import DRAWINGS, DRAWINGS_DIR, EXERCISE_KINDS, SELF_TESTS, drawing_for
from heelpath.exports.drawings import drawing_path, load_drawing
from heelpath.knowledge import Knowledge

SVG = "{http://www.w3.org/2000/svg}"


def test_every_exercise_in_the_knowledge_has_a_drawing(knowledge: Knowledge) -> None:
    exercises = [i.id for i in knowledge.interventions if i.kind in EXERCISE_KINDS]
    assert len(exercises) >= 5
    assert [i for i in exercises if drawing_for(i) is None] == []


def test_every_self_test_is_a_finding_with_a_drawing(knowledge: Knowledge) -> None:
    ids = {f.id for f in knowledge.findings}
    for fid in SELF_TESTS:
        assert fid in ids, fid
        assert drawing_for(fid) is not None, fid
    # the tests the issue names: single-leg tiptoe, calf squeeze, heel squeeze, four steps
    for fid in (
        "cannot_single_leg_heel_raise",
        "calf_squeeze_no_foot_movement",
        "tender_heel_bone_squeeze",
        "cannot_bear_weight",
    ):
        assert fid in SELF_TESTS


def test_a_finding_whose_help_needs_a_helper_or_a_move_is_a_self_test(
    knowledge: Knowledge,
) -> None:
    """A new hands-on check in findings.yaml must come with a drawing."""
    moves = (
        "You need a helper",
        "Hold a wall",
        "Hold on to a wall",
        "Cup the heel",
        "pinch",
        "squeeze the tendon",
        "Run a finger",
    )
    hands_on = {f.id for f in knowledge.findings if f.red_flag and any(m in f.help for m in moves)}
    assert hands_on
    assert hands_on <= set(SELF_TESTS)


@pytest.mark.parametrize("item_id", sorted(DRAWINGS))
def test_each_drawing_is_a_valid_svg_with_its_title_and_text_alternative(item_id: str) -> None:
    d = DRAWINGS[item_id]
    assert d.path.parent == DRAWINGS_DIR and d.path.is_file()
    root = ET.parse(d.path).getroot()
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text == d.title
    assert desc is not None and desc.text == d.alt
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert len(d.alt.split()) >= 12  # says what it shows, not just a name
    assert "href" not in d.path.read_text()  # nothing fetched from elsewhere


@pytest.mark.parametrize("item_id", sorted(DRAWINGS))
def test_the_pdf_can_draw_each_file(item_id: str) -> None:
    path = drawing_path(item_id)
    assert path == DRAWINGS[item_id].path
    drawing = load_drawing(path, 60.0)
    assert drawing is not None and drawing.width == pytest.approx(60.0)


def test_every_file_in_the_folder_is_used() -> None:
    used = {d.file for d in DRAWINGS.values()}
    assert {p.name for p in DRAWINGS_DIR.glob("*.svg")} == used

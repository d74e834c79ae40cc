"""The drawings of the self-tests and exercises: which file shows which id, and its words.

One plain SVG file per drawing in ``web/static/drawings/``. The web app serves them
(the ``partials/drawing.html`` partial puts one in a page) and the PDF draws the
same files (``exports/drawings.py``). Each has a title (its short name) and a text
alternative that says what the drawing shows, for people who cannot see it.

The ids are the knowledge's: an intervention id for an exercise, a finding id for
a self-test. Every exercise (an intervention of the kinds in ``EXERCISE_KINDS``)
and every self-test in ``SELF_TESTS`` has a drawing; a test holds that.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DRAWINGS_DIR = Path(__file__).resolve().parent / "web" / "static" / "drawings"

# The interventions a person does with their body, step by step: each gets a drawing.
EXERCISE_KINDS = frozenset({"load", "stretch"})


@dataclass(frozen=True, slots=True)
class Drawing:
    file: str  # the file name in DRAWINGS_DIR
    title: str  # short: what it is
    alt: str  # what the drawing shows, for a person who cannot see it

    @property
    def path(self) -> Path:
        return DRAWINGS_DIR / self.file


# The self-tests: findings a person checks by doing something (the single-leg
# tiptoe, calf squeeze, heel squeeze and four steps, and the other hands-on checks).
SELF_TESTS: tuple[str, ...] = (
    "cannot_single_leg_heel_raise",
    "pain_on_tiptoe",
    "calf_squeeze_no_foot_movement",
    "tender_heel_bone_squeeze",
    "cannot_bear_weight",
    "foot_rests_more_level",
    "palpable_gap",
    "tender_midportion",
)


def _d(name: str, title: str, alt: str) -> Drawing:
    return Drawing(f"{name}.svg", title, alt)


# id -> drawing; the words are the same as the SVG file's <title> and <desc> (a test holds it)
DRAWINGS: dict[str, Drawing] = {
    "eccentric_heel_drops_full_range": _d(
        "heel_drops_step",
        "Heel drops off a step",
        "A person stands on the edge of a step on the ball of the painful foot, holding a rail, and slowly lowers the heel below the step, as far as it goes, over about 3 seconds. The good leg is used to get back up.",
    ),
    "eccentric_heel_drops_floor_level": _d(
        "heel_drops_floor",
        "Heel drops on the flat floor",
        "A person stands on the floor holding a chair, rises onto tiptoe with both feet, then takes the good foot off and slowly lowers the heel of the painful foot to the floor, not below it.",
    ),
    "progressive_calf_strengthening": _d(
        "heavy_slow_heel_raise",
        "Heavy slow heel raises",
        "A person holds weights in both hands and rises slowly onto tiptoe over 3 seconds, then lowers over 3 seconds. Weights go up as the weeks go on.",
    ),
    "isometric_calf_holds": _d(
        "isometric_hold",
        "Holding a heel raise",
        "A person holds a wall and rises halfway onto tiptoe, then holds still for about 45 seconds without moving, as the plan says.",
    ),
    "calf_stretch": _d(
        "calf_stretch",
        "Calf stretch against a wall",
        "A person faces a wall with hands on it, the painful leg straight behind with the heel on the floor, and leans forward until a gentle stretch is felt in the calf. Then the back knee is bent slightly to stretch the lower calf.",
    ),
    "hamstring_stretch": _d(
        "hamstring_stretch",
        "Hamstring stretch on a chair",
        "A person sits on the edge of a chair with one leg straight out in front and the heel on the floor, keeps the back straight and leans forward from the hips until a gentle stretch is felt behind the thigh.",
    ),
    "plantar_fascia_stretch": _d(
        "plantar_fascia_stretch",
        "Stretch for the sole of the foot",
        "A person sits with the painful foot across the other knee and pulls the toes back towards the shin with one hand until a stretch is felt along the sole.",
    ),
    "cannot_single_leg_heel_raise": _d(
        "single_leg_heel_raise",
        "Single-leg tiptoe test",
        "A person stands on the painful leg only, one hand on a wall for balance, the other foot off the floor, and rises onto tiptoe. An arrow shows the heel lifting.",
    ),
    "pain_on_tiptoe": _d(
        "tiptoe_both_feet",
        "Tiptoe on both feet",
        "A person holds a wall with one hand and rises slowly onto the balls of both feet, then lowers down. An arrow shows the heels lifting.",
    ),
    "calf_squeeze_no_foot_movement": _d(
        "calf_squeeze_test",
        "Calf squeeze test (with a helper)",
        "A person lies face down on a bed with both feet hanging over the end. A helper's hand squeezes the thickest part of the calf. Normally the foot points down a little; if the foot stays still, get seen today.",
    ),
    "tender_heel_bone_squeeze": _d(
        "heel_bone_squeeze",
        "Heel squeeze test",
        "A hand cups the heel and presses in from both sides, below the ankle bones. Pain when squeezing can mean a crack in the heel bone.",
    ),
    "cannot_bear_weight": _d(
        "four_steps",
        "Four steps test",
        "Footprints show four steps in a row. If you cannot put weight on the foot or take four steps, get seen today.",
    ),
    "foot_rests_more_level": _d(
        "foot_hang_test",
        "Foot angle test, lying face down (with a helper)",
        "A person lies face down with both knees bent so the lower legs point up. Normally the toes tip a little towards the ceiling; a foot that hangs flatter than the other can mean a torn tendon.",
    ),
    "palpable_gap": _d(
        "tendon_gap_check",
        "Feeling along the tendon",
        "A finger runs gently down the Achilles tendon from the calf to the heel, feeling for a dip or gap. Compare with the other leg.",
    ),
    "tender_midportion": _d(
        "tendon_pinch",
        "Pinching the tendon",
        "Finger and thumb gently squeeze the Achilles tendon, from just above the heel bone up to about three finger-widths higher. Compare with the other leg.",
    ),
}


def drawing_for(item_id: str) -> Drawing | None:
    """The drawing of an exercise (intervention id) or self-test (finding id), if any."""
    return DRAWINGS.get(item_id)

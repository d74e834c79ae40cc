"""The VISA-A items in plain words for the form (a paraphrase of Robinson et al. 2001).

The scoring lives in ``heelpath.tracking.visa_a``; this is only what the page says.
Each simple item: (field, question, what 0 means, what 10 means).
"""

from __future__ import annotations

ITEMS = (
    (
        "q1",
        "For how many minutes is your Achilles stiff when you first get up?",
        "100 minutes or more",
        "no stiffness",
    ),
    (
        "q2",
        "Once you are warmed up for the day, does it hurt to stretch the Achilles fully over "
        "the edge of a step, knee straight?",
        "strong, severe pain",
        "no pain",
    ),
    (
        "q3",
        "After walking on flat ground for 30 minutes, does it hurt within the next 2 hours? "
        "(If you cannot walk 30 minutes because of pain, choose 0.)",
        "strong, severe pain",
        "no pain",
    ),
    (
        "q4",
        "Does it hurt walking downstairs at a normal pace?",
        "strong, severe pain",
        "no pain",
    ),
    (
        "q5",
        "Does it hurt during or right after 10 single-leg heel raises from flat ground?",
        "strong, severe pain",
        "no pain",
    ),
    (
        "q6",
        "How many single-leg hops can you do without pain? (10 or more: choose 10.)",
        "none",
        "10 or more",
    ),
)
ITEM_7 = "Are you doing sport or other physical activity at the moment?"
ITEM_7_CHOICES = (
    "Not at all",
    "Modified training, or modified competition, or both",
    "Full training or competition, but not at the level from before the pain",
    "Competing at the same or a higher level than before the pain",
)
ITEM_8_QUESTION = (
    "Choose the one of A, B or C that fits you, then answer only that part: how long can "
    "you train or practise with Achilles-loading sport?"
)
ITEM_8_BRANCHES = {
    "A": "A. I have no pain during Achilles-loading sport",
    "B": "B. I have some pain but it does not stop me completing it",
    "C": "C. I have pain that stops me completing it",
}
ITEM_8_TIMES = (
    "Not at all",
    "1 to 10 minutes",
    "11 to 20 minutes",
    "21 to 30 minutes",
    "More than 30 minutes",
)

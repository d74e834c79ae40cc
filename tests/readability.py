"""The Flesch-Kincaid grade of a text, computed here so that it needs nothing from the network.

grade = 0.39 * words / sentences + 11.8 * syllables / words - 15.59 (Kincaid et al. 1975).
A grade of about 6 is a reading age of about 11 (grade + 5), the NHS's aim for health
information. textstat computes the same formula but needs NLTK's pronouncing dictionary,
which it downloads on first use; here syllables are counted the usual way without a
dictionary: groups of vowels, less a silent final "e" (but not "-le", "-ee"), at least one
per word. That miscounts a few words, not the average.
"""

from __future__ import annotations

import functools
import re

WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
# a sentence (or a clause a reader takes as one) ends at . ! ? ; or :
SENTENCE_END = re.compile(r"[.!?;:]+(?=\s|$)")
VOWELS = re.compile(r"[aeiouy]+")


@functools.cache
def syllables(word: str) -> int:
    w = word.lower().replace("’", "'").strip("'")
    if w.endswith("'s"):
        w = w[:-2]
    groups = len(VOWELS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1  # a silent final e: "stone", "shoe" stays one
    if (
        w.endswith(("ed", "es"))
        and not w.endswith(("ted", "ded", "ses", "ces", "zes", "ges"))
        and groups > 1
    ):
        groups -= 1  # "raised", "shoes": the e is silent
    return max(1, groups)


def grade(text: str) -> float:
    words = WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len(SENTENCE_END.findall(text.strip())))
    total = sum(syllables(w) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * total / len(words) - 15.59

"""Plain language: every question, reason and plan item a person reads, scored for reading age.

The score is the Flesch-Kincaid grade (``tests/readability.py``); reading age is about the
grade plus 5. The NHS aims its health information at a reading age of 9-11, so:

- the mean over all the texts must be at most grade 6 (reading age about 11);
- each text must be at most grade 9: headroom of three grades for the medical words a
  text cannot do without (one five-syllable drug name, such as "ciprofloxacin", in a
  fifteen-word sentence adds about three grades on its own);
- nine in ten texts must be at most grade 8.

The worst ten are printed (``pytest -s``, and in the message when it fails), so the next
plain-language pass knows where to start.
"""

from __future__ import annotations

import statistics

from heelpath.engine import Engine
from heelpath.interview import (
    CHECKLIST_HINT,
    SITES_CANT_SAY,
    SITES_HINT,
    SITES_QUESTION,
    SITES_QUESTION_CHILD,
)
from heelpath.reasoning.triage import SELF_CARE_REASON, SELF_CARE_UNCHECKED_REASON
from heelpath.web.result_view import CHECK_WORDS, TRIAGE_WORDS, UNCHECKED_FIRST
from readability import grade, syllables

MEAN_MAX = 6.0
ITEM_MAX = 9.0
MOST_MAX, MOST_SHARE = 8.0, 0.9


def person_texts(engine: Engine) -> list[tuple[str, str]]:
    """(where, text) for every text from the knowledge and the result page a person reads."""
    k = engine.knowledge
    out: list[tuple[str, str]] = []
    for f in k.findings:
        out.append((f"question {f.id}", f.question))
        if f.question_child:
            out.append((f"child question {f.id}", f.question_child))
        if f.help:
            out.append((f"help {f.id}", f.help))
        if f.help_child:
            out.append((f"child help {f.id}", f.help_child))
        if f.place:
            out.append((f"place {f.id}", f.place))
    out += [
        ("where question", SITES_QUESTION),
        ("where question, child", SITES_QUESTION_CHILD),
        ("where hint", SITES_HINT),
        ("where: can't say", SITES_CANT_SAY),
        ("checklist hint", CHECKLIST_HINT),
    ]
    for c in k.checklists:
        out += [(f"checklist {c.id}", c.question), (f"checklist {c.id}, child", c.question_child)]
        out += [(f"checklist {c.id}: {fid}", box) for fid, box in c.boxes]
    out += [(f"reason {r.id}", r.reason) for r in k.red_flag_rules]
    out += [(f"summary {c.id}", c.summary) for c in k.conditions]
    for i in k.interventions:
        out.append((f"instructions {i.id}", i.instructions))
        if i.for_child is not None:
            out.append((f"child instructions {i.id}", i.for_child.instructions))
        if i.seed_note:
            out.append((f"note {i.id}", i.seed_note))
        out += [(f"left out {i.id}", g.text) for g in i.contraindications]
        out += [(f"caution {i.id}", g.text) for g in i.cautions]
        out += [(f"if unknown {i.id}", g.text) for g in i.if_unknown]
    out += [(f"triage {level}", action) for level, (_, action) in TRIAGE_WORDS.items()]
    out += [
        ("self-care reason", SELF_CARE_REASON),
        ("unchecked reason", SELF_CARE_UNCHECKED_REASON),
    ]
    out += [(f"check {level}", words) for level, words in CHECK_WORDS.items()]
    out.append(("unchecked first", UNCHECKED_FIRST))
    first: dict[str, str] = {}  # a text used by several entries is scored once
    for where, text in out:
        first.setdefault(text, where)
    return [(where, text) for text, where in first.items()]


def test_the_syllable_count_is_right_on_words_it_must_get_right() -> None:
    counts = {"heel": 1, "shoes": 1, "stone": 1, "tendon": 2, "people": 2, "ibuprofen": 4}
    assert {w: syllables(w) for w in counts} == counts
    assert grade("The cat sat on the mat.") < 1
    assert grade("Inflammatory enthesopathy necessitates rheumatological evaluation.") > 15


def test_what_a_person_reads_is_plain(engine: Engine) -> None:
    texts = person_texts(engine)
    assert len(texts) > 250
    scored = sorted(((grade(t), where, t) for where, t in texts), reverse=True)
    worst = "\n".join(f"{g:5.1f}  {where}: {t[:90]}" for g, where, t in scored[:10])
    mean = statistics.mean(g for g, _, _ in scored)
    print(f"\nFlesch-Kincaid grade: mean {mean:.2f} over {len(scored)} texts; the worst ten:")
    print(worst)
    assert mean <= MEAN_MAX, f"mean grade {mean:.2f} > {MEAN_MAX}; the worst:\n{worst}"
    over = [(g, where) for g, where, _ in scored if g > ITEM_MAX]
    assert over == [], f"above grade {ITEM_MAX}:\n{worst}"
    most = sum(1 for g, _, _ in scored if g <= MOST_MAX) / len(scored)
    assert most >= MOST_SHARE, f"only {most:.0%} at grade {MOST_MAX} or below:\n{worst}"

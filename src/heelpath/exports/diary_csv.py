"""The diary as CSV, for a person's own spreadsheet.

One row a day, oldest first, with a header row. Lists (what was done, warning
signs) are joined with "; ", sets as "exercise: n". A cell a spreadsheet would
read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) is prefixed with an apostrophe, so a note can never run as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

COLUMNS = (
    "date",
    "pain_morning",
    "pain_during",
    "pain_after",
    "stiffness_morning",
    "done",
    "sets",
    "ice",
    "warning_signs",
    "notes",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def diary_csv(entries: Iterable[Mapping[str, Any]]) -> str:
    """CSV text of diary entries in the diary's JSON shape (``DiaryEntry.as_dict``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for e in sorted(entries, key=lambda e: str(e.get("date", ""))):
        sets = e.get("sets") or {}
        writer.writerow(
            [
                _cell(e.get("date")),
                _cell(e.get("pain_morning")),
                _cell(e.get("pain_during")),
                _cell(e.get("pain_after")),
                _cell(e.get("stiffness_morning")),
                _cell("; ".join(e.get("done") or ())),
                _cell("; ".join(f"{k}: {v}" for k, v in sets.items())),
                _cell(bool(e.get("ice"))),
                _cell("; ".join(e.get("red_flags") or ())),
                _cell(e.get("notes") or ""),
            ]
        )
    return out.getvalue()

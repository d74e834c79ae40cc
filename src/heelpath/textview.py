"""The answer for a person at a terminal (``heelpath assess --text``), drawn with Rich.

Order matters: triage first and unmissable, then the likely causes and why,
then the plan phase by phase (dose and evidence strength on every item), what
was left out and why, and the disclaimer last. It renders the contract's
answer dict only; names for ids come from the knowledge when it is at hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

# What each level looks like and its one-line headline (the vocabulary gives the meaning).
LEVEL_STYLE = {
    "emergency": ("bold white on red", "EMERGENCY: call emergency services now"),
    "urgent": ("bold red", "URGENT: be seen in person today"),
    "soon": ("bold yellow", "SOON: book an appointment in the next 1-2 weeks"),
    "self_care": ("bold green", "SELF-CARE: home treatment is a reasonable start"),
}
EVIDENCE_STYLE = {
    "Strong evidence": "green",
    "Some evidence": "green",
    "Mixed evidence": "yellow",
    "Little evidence": "yellow",
}
CHECK_WORDS = {
    "emergency": "Not answered - if any is true, call emergency services now:",
    "urgent": "Not answered - if any is true, get seen in person today:",
}
MAX_CONDITIONS = 5


@lru_cache(maxsize=1)
def _names() -> Mapping[str, str]:
    """Plain names for intervention and finding ids, from the shipped knowledge if it loads."""
    try:
        from heelpath.engine import default_engine

        k = default_engine().knowledge
    except Exception:  # the view must still render without the knowledge
        return {}
    names = {f.id: f.text.rstrip(".") for f in k.findings}
    names.update({iv.id: iv.title for iv in k.interventions})
    return names


def _name(identifier: str) -> str:
    return _names().get(identifier) or identifier.replace("_", " ").capitalize()


@lru_cache(maxsize=1)
def _questions() -> Mapping[str, str]:
    """The question a person is asked for each finding id, when the knowledge loads."""
    try:
        from heelpath.engine import default_engine

        return {f.id: f.question for f in default_engine().knowledge.findings}
    except Exception:  # the view must still render without the knowledge
        return {}


def _chance(p: float) -> str:
    """ "about 6 in 10", never a bare percentage (the result page's words)."""
    from heelpath.web.result_view import chance_words

    return chance_words(p)


def _triage(answer: Mapping[str, Any]) -> Panel:
    triage = answer.get("triage", {})
    level = triage.get("level", "self_care")
    style, headline = LEVEL_STYLE.get(level, LEVEL_STYLE["self_care"])
    if level == "self_care" and triage.get("unchecked"):
        headline = "SELF-CARE, once the unanswered warning signs below are ruled out"
    body = Text()
    meaning = triage.get("meaning")
    if meaning:
        body.append(f"{meaning}\n\n", style="bold")
    for reason in triage.get("reasons", []):
        body.append("• ", style=style)
        body.append(f"{reason}\n")
    # the warning signs nobody answered: never an all-clear while they are open
    for level in ("emergency", "urgent"):
        ids = [u["finding"] for u in triage.get("unchecked", []) if u.get("level") == level]
        if ids:
            body.append(f"\n{CHECK_WORDS[level]}\n", style="bold")
            for fid in ids:
                body.append(f"  ? {_questions().get(fid) or _name(fid)}\n")
    return Panel(
        body,
        title=Text(headline, style=style),
        title_align="left",
        border_style=style.replace("bold ", "").replace("white on ", ""),
        box=box.HEAVY if level in ("urgent", "emergency") else box.ROUNDED,
    )


def _conditions(answer: Mapping[str, Any]) -> Table:
    table = Table(title="Likely causes", title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("Cause", ratio=3)
    table.add_column("Chance", justify="right", ratio=2, no_wrap=True)
    table.add_column("Why", ratio=6)
    for c in answer.get("conditions", [])[:MAX_CONDITIONS]:
        why = [f"+ {_name(f)}" for f in c.get("supporting", [])[:3]]
        why += [f"- {_name(f)}" for f in c.get("against", [])[:2]]
        table.add_row(c.get("name", c["id"]), _chance(float(c["probability"])), "\n".join(why))
    return table


def _grade_style(evidence: str) -> str:
    return EVIDENCE_STYLE.get(evidence.partition(":")[0], "white")


def _item(item: Mapping[str, Any]) -> Group:
    lines: list[Any] = [Text(f"▸ {item.get('title') or _name(item['intervention'])}", style="bold")]
    body: list[Text] = []
    if item.get("dose"):
        body.append(Text.assemble(("Dose: ", "bold cyan"), item["dose"]))
    body.append(Text(item["instructions"]))
    if item.get("evidence"):
        body.append(Text(item["evidence"], style=_grade_style(item["evidence"])))
    if item.get("note"):
        body.append(
            Text.assemble(("The evidence, not the usual advice: ", "italic bold"), item["note"])
        )
    lines += [Padding(t, (0, 0, 0, 2)) for t in body]
    lines.append(Text(""))
    return Group(*lines)


def _phase(number: int, phase: Mapping[str, Any]) -> Panel:
    parts: list[Any] = []
    if phase.get("summary"):
        parts.append(Text(phase["summary"], style="italic"))
    parts += [_item(i) for i in phase.get("items", [])]
    first_care = number == 1 and any(
        i["intervention"] in ("urgent_in_person_care", "call_emergency_services")
        for i in phase.get("items", [])
    )
    return Panel(
        Group(*parts),
        title=Text(f"{number}. {phase.get('title', phase.get('id', ''))}", style="bold"),
        title_align="left",
        border_style="red" if first_care else "blue",
    )


def _avoid(answer: Mapping[str, Any]) -> Table | None:
    avoid = answer.get("plan", {}).get("avoid", [])
    if not avoid:
        return None
    table = Table(
        title="Left out for you, and why", title_justify="left", box=box.SIMPLE_HEAD, expand=True
    )
    table.add_column("Not for now", ratio=1, style="bold")
    table.add_column("Why", ratio=3)
    for a in avoid:
        table.add_row(_name(a["intervention"]), a["reason"])
    return table


def print_answer(answer: Mapping[str, Any], console: Console) -> None:
    """Render one contract answer for a person: triage first, disclaimer last."""
    console.print(_triage(answer))
    console.print(_conditions(answer))
    console.rule("Your plan", style="blue")
    for n, phase in enumerate(answer.get("plan", {}).get("phases", []), start=1):
        console.print(_phase(n, phase))
    avoid = _avoid(answer)
    if avoid is not None:
        console.print(avoid)
    if answer.get("disclaimer"):
        console.print(Text(answer["disclaimer"], style="dim"))

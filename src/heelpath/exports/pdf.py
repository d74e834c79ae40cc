"""The printable plan: one to three A4 pages a person can take to a clinic or pin up.

Order follows the result page: how soon to get help and why, the likely causes
in plain words with the reasons, the plan phase by phase with every dose and a
drawing of each exercise, what was left out and why, when to seek care, the
self-tests with their drawings, and (for an account) the progress charts. Every
page carries the date, the heelpath version and the knowledge version.

The plan must fit on three pages without ever losing a warning, a reason or a
dose: when it does not fit, the detail that is safe to leave out goes first
(the evidence lines, then the self-tests, then the drawings shrink), never
the triage, the doses, the instructions or what to avoid.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from heelpath import __version__
from heelpath.drawings import DRAWINGS_DIR
from heelpath.exports.drawings import drawing_path, load_drawing
from heelpath.exports.fonts import register_fonts
from heelpath.exports.pdf_charts import Series, line_chart
from heelpath.knowledge.model import Knowledge
from heelpath.knowledge.version import knowledge_version
from heelpath.web.result_view import CHECK_WORDS, TRIAGE_WORDS, chance_words

MAX_PAGES = 3
MARGIN = 14 * mm
CONTENT_WIDTH = A4[0] - 2 * MARGIN
MAX_REASONS = 4  # findings named per condition, for and against
SHOWN_CONDITIONS = 3

LEVEL_COLOURS = {
    "emergency": colors.HexColor("#9b1c1c"),
    "urgent": colors.HexColor("#b42318"),
    "soon": colors.HexColor("#8a5a00"),
    "self_care": colors.HexColor("#1d6b3a"),
}

# The safety net printed on every plan, whatever the level: the warning signs in plain
# words, grouped by how fast to act (the same signs the interview's red-flag questions ask).
SEEK_CARE = (
    (
        "Call emergency services now if",
        "you have chest pain or get short of breath; or you have numbness around your groin "
        "or bottom, or new trouble with your bladder or bowels.",
    ),
    (
        "Get seen in person today if",
        "you feel or hear a pop or snap, or it feels as if you were kicked in the back of the "
        "leg; you cannot stand on tiptoe on that leg or cannot walk on it; one calf becomes "
        "swollen, warm and sore; you get a fever, or redness that spreads; or the foot goes "
        "numb, weak, cold or pale.",
    ),
    (
        "See a podiatrist or doctor",
        "if the pain is not clearly better after about 6 weeks of the plan, if it keeps you "
        "awake at night, or if you are worried.",
    ),
)


@dataclass(frozen=True, slots=True)
class Detail:
    """How much of the optional detail goes in; the first that fits on three pages wins."""

    evidence: bool
    self_tests: bool
    drawing_width: float
    font_size: float


DETAILS = (
    Detail(evidence=True, self_tests=True, drawing_width=32 * mm, font_size=9),
    Detail(evidence=False, self_tests=True, drawing_width=28 * mm, font_size=8.5),
    Detail(evidence=False, self_tests=False, drawing_width=22 * mm, font_size=8),
    Detail(evidence=False, self_tests=False, drawing_width=18 * mm, font_size=7.5),
)


class _Styles:
    def __init__(self, size: float) -> None:
        regular, bold = register_fonts()
        lead = size * 1.28
        self.body = ParagraphStyle(
            "body", fontName=regular, fontSize=size, leading=lead, alignment=TA_LEFT
        )
        self.small = ParagraphStyle("small", parent=self.body, fontSize=size - 1, leading=lead - 1)
        self.bullet = ParagraphStyle("bullet", parent=self.body, leftIndent=9, bulletIndent=0)
        self.title = ParagraphStyle(
            "title", parent=self.body, fontName=bold, fontSize=size + 7, leading=size + 10
        )
        self.h2 = ParagraphStyle(
            "h2",
            parent=self.body,
            fontName=bold,
            fontSize=size + 3,
            leading=size + 6,
            spaceBefore=7,
            spaceAfter=2,
            textColor=colors.HexColor("#14365d"),
        )
        self.h3 = ParagraphStyle(
            "h3", parent=self.body, fontName=bold, fontSize=size + 1, spaceBefore=3
        )
        self.banner = ParagraphStyle(
            "banner",
            parent=self.body,
            fontName=bold,
            fontSize=size + 5,
            leading=size + 8,
            textColor=colors.white,
        )
        self.banner_text = ParagraphStyle("banner_text", parent=self.body, textColor=colors.white)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _bullets(items: Sequence[str], style: ParagraphStyle) -> list[Flowable]:
    return [Paragraph(escape(t), style, bulletText="•") for t in items]


def _finding_text(knowledge: Knowledge, fid: str) -> str:
    """The finding as the person was asked it."""
    try:
        finding = knowledge.finding(fid)
    except KeyError:
        return fid.replace("_", " ")
    return finding.question or finding.text


def _intervention_name(knowledge: Knowledge, iid: str) -> str:
    for item in knowledge.interventions:
        if getattr(item, "id", None) == iid and getattr(item, "title", ""):
            return str(item.title)
    text = knowledge.vocabulary.intervention_texts.get(iid, "")
    return text.rstrip(".") if text else iid.replace("_", " ").capitalize()


def _chance(probability: float) -> str:
    return chance_words(probability)


def _said(findings: Mapping[str, bool], fid: str) -> str:
    if fid not in findings:
        return ""
    return " (you said yes)" if findings[fid] else " (you said no)"


class _Builder:
    def __init__(
        self,
        data: Mapping[str, Any],
        answer: Mapping[str, Any],
        knowledge: Knowledge,
        detail: Detail,
        drawings_dir: Path,
    ) -> None:
        self.data = data
        self.answer = answer
        self.knowledge = knowledge
        self.detail = detail
        self.drawings_dir = drawings_dir
        self.s = _Styles(detail.font_size)
        self.findings: Mapping[str, bool] = data.get("findings", {})

    def triage(self) -> list[Flowable]:
        triage = self.answer["triage"]
        level = triage["level"]
        headline, action = TRIAGE_WORDS[level]
        cells: list[Flowable] = [
            _p(headline, self.s.banner),
            Spacer(1, 2),
            _p(action, self.s.banner_text),
        ]
        if triage.get("reasons"):
            cells.append(Spacer(1, 3))
            cells.append(_p("Why:", self.s.banner_text))
            cells += _bullets(
                triage["reasons"],
                ParagraphStyle("banner_bullet", parent=self.s.bullet, textColor=colors.white),
            )
        box = Table([[cells]], colWidths=[CONTENT_WIDTH])
        box.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), LEVEL_COLOURS[level]),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                ]
            )
        )
        return [box]

    def conditions(self) -> list[Flowable]:
        out: list[Flowable] = [
            _p("What might be going on", self.s.h2),
            _p(
                "The likely causes, given your answers. This is not a diagnosis: only an "
                "examination can tell for sure.",
                self.s.body,
            ),
        ]
        conditions = self.answer["conditions"]
        for c in conditions[:SHOWN_CONDITIONS]:
            name = self._name(c)
            block: list[Flowable] = [_p(f"{name}: {_chance(float(c['probability']))}", self.s.h3)]
            try:
                summary = self.knowledge.condition(c["id"]).summary
            except KeyError:
                summary = ""
            if summary:
                block.append(_p(summary, self.s.body))
            # a "no" is never shown as a reason for a condition
            for label, ids in (
                ("Points to it", [f for f in c["supporting"] if self.findings.get(f) is True]),
                ("Points away from it", [f for f in c["against"] if f in self.findings]),
            ):
                if ids:
                    named = [
                        _finding_text(self.knowledge, f).rstrip(".") + _said(self.findings, f)
                        for f in ids
                    ]
                    more = len(named) - MAX_REASONS
                    text = "; ".join(named[:MAX_REASONS]) + (
                        f"; and {more} more" if more > 0 else ""
                    )
                    block.append(_p(f"{label}: {text}.", self.s.small))
            out.append(KeepTogether(block))
        rest = [
            f"{self._name(c)} ({_chance(float(c['probability']))})"
            for c in conditions[SHOWN_CONDITIONS:]
        ]
        if rest:
            out.append(_p("Less likely, but not ruled out: " + "; ".join(rest) + ".", self.s.small))
        return out

    def _name(self, c: Mapping[str, Any]) -> str:
        """The plain name first, the medical name after."""
        try:
            plain = self.knowledge.condition(c["id"]).plain_name
        except KeyError:
            plain = ""
        return f"{plain} ({c['name']})" if plain else str(c["name"])

    def unchecked(self) -> list[Flowable]:
        """The warning signs nobody answered: never an all-clear without them."""
        groups: dict[str, list[str]] = {}
        for u in self.answer["triage"].get("unchecked", []):
            groups.setdefault(u["level"], []).append(_finding_text(self.knowledge, u["finding"]))
        if not groups:
            return []
        out: list[Flowable] = [
            _p("Warning signs not checked", self.s.h2),
            _p(
                "These questions were not answered, so heelpath could not check them. "
                "They are worth checking now.",
                self.s.body,
            ),
        ]
        for level in ("emergency", "urgent"):
            if level in groups:
                out.append(_p(CHECK_WORDS[level] + ":", self.s.h3))
                out.append(_p(" ".join(groups[level]), self.s.small))
        return [KeepTogether(out)]

    def _drawing(self, item_id: str, width: float) -> Flowable | None:
        path = drawing_path(item_id, self.drawings_dir)
        return load_drawing(path, width, max_height=width) if path is not None else None

    def _item(self, item: Mapping[str, Any]) -> list[Flowable]:
        title = item.get("title") or _intervention_name(self.knowledge, item["intervention"])
        text: list[Flowable] = [
            _p(title, self.s.h3),
            _p(item["instructions"], self.s.body),
        ]
        if item.get("dose"):
            text.append(Paragraph(f"<b>How much:</b> {escape(item['dose'])}", self.s.body))
        if self.detail.evidence and item.get("evidence"):
            text.append(_p(item["evidence"], self.s.small))
        picture = self._drawing(item["intervention"], self.detail.drawing_width)
        if picture is None:
            return text
        gap = 4 * mm
        row = Table(
            [[picture, text]],
            colWidths=[
                self.detail.drawing_width + gap,
                CONTENT_WIDTH - self.detail.drawing_width - gap,
            ],
        )
        row.setStyle(_TIGHT)
        return [row]

    def plan(self) -> list[Flowable]:
        out: list[Flowable] = [_p("Your care plan", self.s.h2)]
        for n, phase in enumerate(self.answer["plan"]["phases"], start=1):
            head: list[Flowable] = [_p(f"{n}. {phase['title']}", self.s.h3)]
            if phase.get("summary"):
                head.append(_p(phase["summary"], self.s.small))
            items = phase["items"]
            if not items:
                out += head
                continue
            # a phase heading never sits alone at the foot of a page
            out.append(KeepTogether([*head, *self._item(items[0])]))
            out += [KeepTogether(self._item(i)) for i in items[1:]]
        return out

    def avoid(self) -> list[Flowable]:
        avoid = self.answer["plan"]["avoid"]
        if not avoid:
            return []
        out: list[Flowable] = [_p("Left out for you, and why", self.s.h2)]
        for a in avoid:
            name = _intervention_name(self.knowledge, a["intervention"])
            out.append(
                Paragraph(
                    f"<b>{escape(name)}:</b> {escape(a['reason'])}", self.s.bullet, bulletText="•"
                )
            )
        return out

    def seek_care(self) -> list[Flowable]:
        out: list[Flowable] = [_p("When to get help", self.s.h2)]
        meaning = self.answer["triage"].get("meaning")
        if meaning:
            out.append(_p(meaning, self.s.body))
        for when, what in SEEK_CARE:
            out.append(
                Paragraph(f"<b>{escape(when)}</b> {escape(what)}", self.s.bullet, bulletText="•")
            )
        return [KeepTogether(out)]

    def self_tests(self) -> list[Flowable]:
        if not self.detail.self_tests:
            return []
        rows = []
        for fid, value in self.findings.items():
            picture = self._drawing(fid, self.detail.drawing_width * 0.8)
            if picture is None:
                continue
            try:
                question = self.knowledge.finding(fid).question
            except KeyError:
                continue
            said = "You said yes." if value else "You said no."
            rows.append([picture, [_p(question, self.s.body), _p(said, self.s.small)]])
        if not rows:
            return []
        width = self.detail.drawing_width * 0.8 + 4 * mm
        table = Table(rows, colWidths=[width, CONTENT_WIDTH - width])
        table.setStyle(_TIGHT)
        return [_p("The checks you did", self.s.h2), table]

    def charts(self, charts: Sequence[Series]) -> list[Flowable]:
        out: list[Flowable] = []
        for series in charts:
            if not series.points:
                continue
            regular, _bold = register_fonts()
            picture = line_chart(series, CONTENT_WIDTH, 42 * mm, regular)
            block = [_p(series.title, self.s.h3), picture, _p(series.description, self.s.small)]
            out.append(KeepTogether(block))
        return [_p("Your progress", self.s.h2), *out] if out else []

    def about(self) -> list[Flowable]:
        # kept whole: a disclaimer split by a page break reads as two half-sentences
        return [KeepTogether([Spacer(1, 6), _p(self.answer["disclaimer"], self.s.small)])]


_TIGHT = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]
)


def _footer_text(today: dt.date) -> str:
    return (
        f"heelpath {__version__} · knowledge {knowledge_version()} · made {today.isoformat()} · "
        "general information, not a diagnosis"
    )


def _build(
    data: Mapping[str, Any],
    answer: Mapping[str, Any],
    knowledge: Knowledge,
    detail: Detail,
    today: dt.date,
    charts: Sequence[Series],
    drawings_dir: Path,
) -> tuple[bytes, int]:
    b = _Builder(data, answer, knowledge, detail, drawings_dir)
    regular, _bold = register_fonts()
    footer = _footer_text(today)
    story: list[Flowable] = [
        _p("Your plan for pain at the back of the heel", b.s.title),
        _p(f"Made on {today.strftime('%d %B %Y').lstrip('0')} with heelpath.", b.s.small),
        Spacer(1, 5),
        *b.triage(),
        *b.unchecked(),
        *b.conditions(),
        *b.plan(),
        *b.avoid(),
        *b.seek_care(),
        *b.self_tests(),
        *b.charts(charts),
        *b.about(),
    ]

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawString(MARGIN, 8 * mm, footer)
        canvas.drawRightString(A4[0] - MARGIN, 8 * mm, f"page {doc.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=12 * mm,
        bottomMargin=14 * mm,
        title="Your plan for pain at the back of the heel",
        author="heelpath",
        subject=f"heelpath {__version__}, knowledge {knowledge_version()}",
        creator="heelpath",
        invariant=True,  # the same plan gives the same bytes (no creation time, fixed id)
    )
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue(), doc.page


def render_pdf(
    data: Mapping[str, Any],
    answer: Mapping[str, Any],
    knowledge: Knowledge,
    *,
    today: dt.date | None = None,
    charts: Sequence[Series] = (),
    drawings_dir: Path = DRAWINGS_DIR,
    details: Sequence[Detail] = DETAILS,
) -> bytes:
    """The plan for one validated input and its answer, as PDF bytes (1-3 A4 pages).

    ``charts`` are an account's progress series (pain, VISA-A), drawn after the plan.
    ``details`` are tried in turn until the plan fits; the last is used if none does.
    """
    when = today or dt.date.today()
    pdf = b""
    for detail in details:
        pdf, pages = _build(data, answer, knowledge, detail, when, charts, drawings_dir)
        if pages <= MAX_PAGES:
            break
    return pdf

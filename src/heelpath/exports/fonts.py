"""The PDF's fonts: DejaVu Sans, shipped in this package (licence in fonts/LICENSE).

ReportLab's built-in fonts cannot print characters the plan uses, such as
``’``, ``≥`` or ``×``; DejaVu covers them all. The fonts are registered with
ReportLab when a PDF is first made, never at import.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIR = Path(__file__).parent / "fonts"
REGULAR = "HeelpathSans"
BOLD = "HeelpathSans-Bold"


@cache
def register_fonts() -> tuple[str, str]:
    """Register the regular and bold faces (once) and return their names."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONTS_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )
    return REGULAR, BOLD


def missing_glyphs(text: str) -> set[str]:
    """The characters of ``text`` the regular face cannot print (a test checks the plan's)."""
    register_fonts()
    face = pdfmetrics.getFont(REGULAR).face
    widths = face.charWidths  # code point -> advance, for every glyph the font has
    return {ch for ch in text if ch.isprintable() and ord(ch) not in widths and not ch.isspace()}

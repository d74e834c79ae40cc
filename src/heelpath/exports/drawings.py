"""The drawings of the self-tests and exercises, as ReportLab drawings for the PDF.

The web app serves one plain SVG file per self-test and exercise from
``web/static/drawings/`` (which file shows which id: ``heelpath/drawings.py``); the
PDF draws the same files (svglib turns SVG into ReportLab's vector shapes). An id
with no file simply has no drawing.
"""

from __future__ import annotations

import logging
from pathlib import Path

from reportlab.graphics.shapes import Drawing
from svglib.svglib import svg2rlg

from heelpath.drawings import DRAWINGS_DIR, drawing_for


def drawing_path(item_id: str, directory: Path = DRAWINGS_DIR) -> Path | None:
    """The SVG file for a self-test (finding id) or exercise (intervention id), if there is one:
    the catalogue's file, else ``<id>.svg``, in ``directory``."""
    known = drawing_for(item_id)
    for name in ((known.file,) if known else ()) + (f"{item_id}.svg",):
        path = directory / name
        if path.is_file():
            return path
    return None


def load_drawing(path: Path, width: float, max_height: float | None = None) -> Drawing | None:
    """The SVG at ``path`` scaled to ``width`` points (and at most ``max_height``), or None
    when svglib cannot read it: a missing picture must never stop the plan printing."""
    # svglib logs every SVG feature it skips; a drawing it can mostly read is still useful
    logging.getLogger("svglib.svglib").setLevel(logging.ERROR)
    try:
        drawing = svg2rlg(str(path), external_reference_root=str(path.parent))
    except Exception:  # malformed XML and the like: no picture, the text still prints
        return None
    if drawing is None or drawing.width <= 0 or drawing.height <= 0:
        return None
    scale = width / drawing.width
    if max_height is not None:
        scale = min(scale, max_height / drawing.height)
    drawing.scale(scale, scale)
    drawing.width *= scale
    drawing.height *= scale
    return drawing

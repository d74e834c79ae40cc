"""Reading exports back: the development cases, and a PDF's text and pages through poppler."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEV_CASES = ROOT.parent / "shared" / "vignettes" / "dev.jsonl"
DRAWINGS = ROOT / "src" / "heelpath" / "web" / "static" / "drawings"  # the shipped ones


def dev_cases() -> list[dict[str, Any]]:
    """The development vignettes, or none when the shared case set is not beside the repo."""
    if not DEV_CASES.exists():
        return []
    return [json.loads(line) for line in DEV_CASES.read_text().splitlines() if line.strip()]


def dev_case_params() -> list[Any]:
    cases = dev_cases()
    if not cases:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{DEV_CASES} is missing"))]
    return [pytest.param(c, id=c["id"]) for c in cases]


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, as poppler reads it, with runs of white space made single spaces.

    List bullets are dropped: poppler may read a column of bullets into the middle of
    the text beside them."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return re.sub(r"[ \t\n\r•]+", " ", out.stdout.decode("utf-8"))


def page_images(pdf: bytes, folder: Path, resolution: int = 30) -> list[Path]:
    """Each page rendered to a PNG by poppler; one file per page."""
    source = folder / "plan.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(resolution), "-png", str(source), str(folder / "page")],
        check=True,
        capture_output=True,
    )
    return sorted(folder.glob("page*.png"))


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()

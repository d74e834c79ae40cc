"""Shared fixtures: the shipped knowledge and engine, the worked-example knowledge, and
poppler's command-line tools for reading PDFs back.

The PDF tests read the plan with Debian's poppler-utils (``pdftotext``, ``pdftoppm``).
Without them they skip with a message, unless ``HEELPATH_REQUIRE_POPPLER=1`` (as in CI),
when they fail instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from heelpath.engine import Engine, default_engine
from heelpath.knowledge import Knowledge, load_knowledge

GOLDEN_KNOWLEDGE = Path(__file__).parent / "golden" / "knowledge"
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return default_engine().knowledge


@pytest.fixture(scope="session")
def engine() -> Engine:
    return default_engine()


@pytest.fixture(scope="session")
def golden_engine() -> Engine:
    return Engine(load_knowledge(GOLDEN_KNOWLEDGE))


@pytest.fixture(scope="session")
def poppler() -> None:
    missing = [tool for tool in ("pdftotext", "pdftoppm") if shutil.which(tool) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} missing: install Debian's poppler-utils"
    if os.environ.get("HEELPATH_REQUIRE_POPPLER") == "1":
        pytest.fail(f"{message}; HEELPATH_REQUIRE_POPPLER=1 makes the PDF tests required")
    pytest.skip(f"{message} (apt-get install -y poppler-utils) to run the PDF tests")

"""Fixtures for the exports: poppler's command-line tools.

The PDF tests read the plan back with Debian's poppler-utils (``pdftotext``,
``pdftoppm``). Without them the tests skip with a message, unless
``HEELPATH_REQUIRE_POPPLER=1`` (as in CI), when they fail instead.
"""

from __future__ import annotations

import os
import shutil

import pytest


@pytest.fixture(scope="session")
def poppler() -> None:
    missing = [tool for tool in ("pdftotext", "pdftoppm") if shutil.which(tool) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} missing: install Debian's poppler-utils"
    if os.environ.get("HEELPATH_REQUIRE_POPPLER") == "1":
        pytest.fail(f"{message}; HEELPATH_REQUIRE_POPPLER=1 makes the PDF tests required")
    pytest.skip(f"{message} (apt-get install -y poppler-utils) to run the PDF tests")

"""Shared fixtures: the shipped knowledge and engine, the worked-example knowledge, and
poppler's command-line tools for reading PDFs back.

The PDF tests read the plan with Debian's poppler-utils (``pdftotext``, ``pdftoppm``).
Without them they skip with a message, unless ``HEELPATH_REQUIRE_POPPLER=1`` (as in CI),
when they fail instead.

Hypothesis draws the same examples on every run (``derandomize``), so a run passes or
fails the same way on every machine; ``HEELPATH_HYPOTHESIS=explore`` draws new ones
each run, for looking for counterexamples on purpose.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from hypothesis import settings

from databases import BACKENDS, database_url
from heelpath.engine import Engine, default_engine
from heelpath.interview import Interview
from heelpath.knowledge import Knowledge, load_knowledge
from heelpath.store import accounts

GOLDEN_KNOWLEDGE = Path(__file__).parent / "golden" / "knowledge"
SHARED = Path(__file__).resolve().parents[2] / "shared"

settings.register_profile("deterministic", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HEELPATH_HYPOTHESIS", "deterministic"))


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return default_engine().knowledge


@pytest.fixture(scope="session")
def engine() -> Engine:
    return default_engine()


@pytest.fixture(scope="session")
def interview(knowledge: Knowledge) -> Interview:
    return Interview(knowledge)


@pytest.fixture(scope="session")
def golden_engine() -> Engine:
    return Engine(load_knowledge(GOLDEN_KNOWLEDGE))


def pytest_configure(config: pytest.Config) -> None:
    # an app built without a database URL uses the per-user data folder: keep tests out of
    # the real one (the schemathesis module builds its app while it is collected)
    os.environ["HEELPATH_DATA_DIR"] = tempfile.mkdtemp(prefix="heelpath-tests-")


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashes() -> Iterator[None]:
    """argon2id with its smallest costs for the apps in this process (servers the tests
    start keep the real costs; tests/store/test_accounts.py checks those)."""
    real = accounts._hasher
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    accounts._hasher = real


@pytest.fixture(scope="module", params=BACKENDS)
def db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh database, once on SQLite and once on PostgreSQL, for a test module."""
    with database_url(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def poppler() -> None:
    missing = [tool for tool in ("pdftotext", "pdftoppm") if shutil.which(tool) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} missing: install Debian's poppler-utils"
    if os.environ.get("HEELPATH_REQUIRE_POPPLER") == "1":
        pytest.fail(f"{message}; HEELPATH_REQUIRE_POPPLER=1 makes the PDF tests required")
    pytest.skip(f"{message} (apt-get install -y poppler-utils) to run the PDF tests")

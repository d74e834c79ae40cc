"""Shared fixtures: the shipped knowledge and engine, and the worked-example knowledge."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from databases import BACKENDS, database_url
from heelpath.engine import Engine, default_engine
from heelpath.knowledge import Knowledge, load_knowledge
from heelpath.store import accounts

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

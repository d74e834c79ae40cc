"""Shared fixtures: the shipped knowledge and engine, and the worked-example knowledge."""

from __future__ import annotations

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

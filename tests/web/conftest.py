"""Fixtures for the web app: one app over the shipped knowledge, and a client for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from heelpath.engine import Engine
from heelpath.web.app import create_app
from heelpath.web.settings import Settings
from web.webform import Walker


@pytest.fixture(scope="session")
def app(engine: Engine) -> Iterator[FastAPI]:
    app = create_app(Settings(max_body_bytes=16 * 1024), engine=engine)
    yield app
    app.state.db.dispose()


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def records_app(engine: Engine, db_url: str) -> Iterator[FastAPI]:
    """An app over a fresh database: once on SQLite, once on PostgreSQL."""
    app = create_app(Settings(max_body_bytes=16 * 1024, database_url=db_url), engine=engine)
    yield app
    app.state.db.dispose()


@pytest.fixture
def walker(app: FastAPI) -> Walker:
    """A person with their own browser (cookies), so answers never leak between tests."""
    return Walker(TestClient(app))

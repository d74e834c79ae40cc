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
def app(engine: Engine) -> FastAPI:
    return create_app(Settings(max_body_bytes=16 * 1024), engine=engine)


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def walker(client: TestClient) -> Walker:
    return Walker(client)

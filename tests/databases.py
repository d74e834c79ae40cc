"""The two databases every store and web test runs on: SQLite and PostgreSQL.

PostgreSQL is the server at ``HEELPATH_TEST_POSTGRES_URL`` (default: the
project machines' 127.0.0.1:5432, user postgres, database test). Each use gets
its own schema, dropped afterwards, so parallel runs never meet. Where no
server answers, the PostgreSQL cases skip with a message, unless
``HEELPATH_REQUIRE_POSTGRES=1`` (as in CI), when they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ("sqlite", "postgresql")


def postgres_base() -> str:
    return os.environ.get("HEELPATH_TEST_POSTGRES_URL") or DEFAULT_POSTGRES


def _require_postgres(reason: str) -> None:
    message = f"PostgreSQL is not reachable at {postgres_base()} ({reason})"
    if os.environ.get("HEELPATH_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{message}; HEELPATH_REQUIRE_POSTGRES=1 makes the PostgreSQL tests required")
    pytest.skip(f"{message}: start it to run the PostgreSQL tests")


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema in the test database; yields a URL whose search_path is that schema."""
    schema = f"hp_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_base(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        admin.dispose()
        _require_postgres(str(exc).splitlines()[0])
    try:
        yield f"{postgres_base()}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def database_url(backend: str, folder: Path) -> Iterator[str]:
    """A fresh, empty database of the given kind."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'heelpath-{uuid.uuid4().hex[:8]}.db'}"
    else:
        with postgres_schema() as url:
            yield url

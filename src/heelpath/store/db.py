"""The database: where it is, the engine, migrations, transactions, backup and restore.

- ``HEELPATH_DATABASE_URL`` picks the database (PostgreSQL for clinics and
  several app processes: ``postgresql+psycopg://user@host/db``).
- Without it, an SQLite file in the per-user data folder:
  ``$HEELPATH_DATA_DIR``, else ``$XDG_DATA_HOME/heelpath``, else
  ``~/.local/share/heelpath`` (``heelpath.db``).
- ``Database.transaction()`` is the one way to write: everything inside
  commits together or not at all.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The per-user folder for the default SQLite database."""
    env = os.environ if environ is None else environ
    if env.get("HEELPATH_DATA_DIR"):
        return Path(env["HEELPATH_DATA_DIR"])
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "heelpath"


def database_url(environ: Mapping[str, str] | None = None) -> str:
    """``HEELPATH_DATABASE_URL``, or the SQLite file in the data folder."""
    env = os.environ if environ is None else environ
    url = (env.get("HEELPATH_DATABASE_URL") or "").strip()
    if url:
        return url
    return f"sqlite:///{data_dir(env) / 'heelpath.db'}"


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # let the begin event below emit SQLite's BEGIN IMMEDIATE, which takes the write lock
    # at the start of a transaction, so two writers queue instead of one failing half-way
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")  # ON DELETE CASCADE needs it
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    cursor.execute("PRAGMA synchronous=FULL")  # a commit is on disk before it is acknowledged
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; for SQLite the folder is created and the pragmas set."""
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = url
    return config


def upgrade(url: str) -> None:
    """Bring the database at ``url`` to the newest schema (``heelpath db upgrade``)."""
    from alembic import command

    command.upgrade(alembic_config(url), "head")


class Database:
    """One engine and its sessions; made by the app factory or the CLI, never at import."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits at the end of the block, or rolls back on an error."""
        with self._sessions() as session, session.begin():
            yield session

    def upgrade(self) -> None:
        upgrade(self.url)

    def dispose(self) -> None:
        self.engine.dispose()

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)

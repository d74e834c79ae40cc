"""``heelpath db backup FILE`` and ``heelpath db restore FILE``: every table as one JSON file.

The same file restores into SQLite or PostgreSQL (a clinic can move from one to
the other). A backup says when it must be deleted (``delete_after``, 35 days
after it was made: the privacy page's promise), and ``restore`` refuses one
past that date, so a deleted account cannot come back from an old copy.
Restoring replaces everything in the database, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Date, Integer, delete, insert, select, text

from heelpath.errors import HeelpathError
from heelpath.store import models
from heelpath.store.db import Database, utcnow

FORMAT = "heelpath-backup"
VERSION = 1
KEEP_DAYS = 35
TABLES = [t for t in models.Base.metadata.sorted_tables]


class BackupError(HeelpathError):
    """A backup file that cannot be restored: says why."""


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _decode(column: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, models.UTCDateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return dt.date.fromisoformat(value)
    return value


def backup(db: Database, path: Path) -> dict[str, int]:
    """Write every table to ``path`` (read in one transaction, so the copy is consistent)."""
    made = utcnow()
    tables: dict[str, list[dict[str, Any]]] = {}
    with db.transaction() as session:
        for table in TABLES:
            rows = session.execute(select(table)).mappings()
            tables[table.name] = [{k: _encode(v) for k, v in row.items()} for row in rows]
    document = {
        "format": FORMAT,
        "version": VERSION,
        "made_at": made.isoformat(),
        "delete_after": (made + dt.timedelta(days=KEEP_DAYS)).date().isoformat(),
        "tables": tables,
    }
    tmp = path.with_name(path.name + ".partial")
    tmp.write_text(json.dumps(document), encoding="utf-8")
    tmp.replace(path)  # never a half-written backup under the real name
    return {name: len(rows) for name, rows in tables.items()}


def restore(db: Database, path: Path, today: dt.date | None = None) -> dict[str, int]:
    """Replace the database's contents with the backup at ``path``."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"cannot read {path}: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"{path} is not a heelpath backup")
    if document.get("version") != VERSION:
        raise BackupError(f"{path} is a backup of version {document.get('version')}, not {VERSION}")
    today = today or utcnow().date()
    if dt.date.fromisoformat(document["delete_after"]) < today:
        raise BackupError(
            f"{path} was due for deletion on {document['delete_after']}: it may hold "
            "accounts that have since been deleted, so it is not restored"
        )
    db.upgrade()
    counts = {}
    with db.transaction() as session:
        for table in reversed(TABLES):
            session.execute(delete(table))
        for table in TABLES:
            rows = document["tables"].get(table.name, [])
            if rows:
                decoded = [
                    {c.name: _decode(c, row.get(c.name)) for c in table.columns} for row in rows
                ]
                session.execute(insert(table), decoded)
            counts[table.name] = len(rows)
        if db.engine.dialect.name == "postgresql":
            for table in TABLES:
                for column in table.primary_key.columns:
                    if isinstance(column.type, Integer):
                        session.execute(
                            text(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', "
                                f"'{column.name}'), COALESCE(MAX({column.name}), 0) + 1, false) "
                                f"FROM {table.name}"
                            )
                        )
    return counts

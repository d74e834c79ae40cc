"""`heelpath db upgrade | backup | restore | purge` as real processes, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from heelpath.store import accounts, records
from heelpath.store.db import Database
from heelpath.tracking.diary import DiaryEntry

HEELPATH = [sys.executable, "-m", "heelpath", "db"]


def run(args: list[str], url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HEELPATH_DATABASE_URL": url}
    return subprocess.run(HEELPATH + args, capture_output=True, text=True, timeout=120, env=env)


def test_without_a_url_the_database_is_in_the_data_folder(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HEELPATH_DATABASE_URL"}
    env["HEELPATH_DATA_DIR"] = str(tmp_path / "data")
    r = subprocess.run([*HEELPATH, "upgrade"], capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "data" / "heelpath.db").exists()


def test_upgrade_backup_and_restore(db_url: str, tmp_path: Path) -> None:
    assert run(["upgrade"], db_url).returncode == 0
    assert run(["upgrade"], db_url).returncode == 0  # again: nothing to do
    db = Database(db_url)
    try:
        with db.transaction() as s:
            a = accounts.create(s, f"cli{tmp_path.name}@example.com", "a long enough password")
            records.add_entry(s, a.id, DiaryEntry(dt.date(2026, 1, 1), 4, 5, 3))
        file = tmp_path / "backup.json"
        r = run(["backup", str(file)], db_url)
        assert r.returncode == 0, r.stderr
        saved = json.loads(file.read_text())
        assert saved["delete_after"] > saved["made_at"][:10]
        with db.transaction() as s:
            accounts.delete_account(s, a.id)
        r = run(["restore", str(file)], db_url)
        assert r.returncode == 0, r.stderr
        with db.transaction() as s:
            assert [e.pain_during for e in records.diary(s, a.id)] == [5]
        assert run(["purge"], db_url).returncode == 0
    finally:
        db.dispose()


def test_restoring_something_that_is_not_a_backup_exits_2(db_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}')
    r = run(["restore", str(bad)], db_url)
    assert r.returncode == 2 and "not a heelpath backup" in r.stderr
    r = run(["restore", str(tmp_path / "missing.json")], db_url)
    assert r.returncode == 2 and "cannot read" in r.stderr


@pytest.mark.parametrize("command", ["upgrade", "backup", "restore", "purge"])
def test_every_db_command_is_in_the_readme_and_the_deploy_guide(command: str) -> None:
    root = Path(__file__).resolve().parents[1]
    assert f"heelpath db {command}" in (root / "README.md").read_text()
    assert f"heelpath db {command}" in (root / "docs" / "deploy.md").read_text()

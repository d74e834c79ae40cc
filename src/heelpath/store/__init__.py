"""Persistence: accounts, sessions, saved assessments, the diary and VISA-A (SQLAlchemy 2).

``db.py`` makes the engine and runs the migrations (Alembic, shipped in
``migrations/``); ``models.py`` holds the tables; ``accounts.py`` and
``records.py`` are the only code that reads or writes them. Every write is one
transaction. SQLite by default (a file in the per-user data folder); set
``HEELPATH_DATABASE_URL`` to a PostgreSQL URL for several app processes.
"""

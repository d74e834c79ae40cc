"""Alembic's environment: the URL comes from ``heelpath.store.db.alembic_config``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from heelpath.store.db import make_engine
from heelpath.store.models import Base

config = context.config
url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
if not url:
    raise RuntimeError("no database URL: run migrations through `heelpath db upgrade`")

engine = make_engine(url)
try:
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # app processes starting together upgrade one after the other
                connection.execute(text("SELECT pg_advisory_xact_lock(72310012)"))
            context.run_migrations()
        connection.commit()
finally:
    engine.dispose()

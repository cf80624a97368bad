"""Alembic environment for the case-queue schema."""

from __future__ import annotations

from alembic import context

from bot.accounts import Base  # its metadata holds the case-queue and the staff tables
from bot.db import get_engine
from bot.db.migrate import VERSION_TABLE

config = context.config
engine = get_engine(config.attributes["database_url"])

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()

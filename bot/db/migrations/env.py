"""Alembic environment for our schema: the case queue, staff accounts and the answer library."""

from __future__ import annotations

from alembic import context

from bot.db import get_engine
from bot.db.migrate import VERSION_TABLE
from bot.db.schema import metadata

config = context.config
engine = get_engine(config.attributes["database_url"])

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()

"""Alembic environment for our schema: the case queue, staff accounts and the answer library."""

from __future__ import annotations

from alembic import context

import bot.answers.models  # noqa: F401  (puts the answer library's tables in the same metadata)
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

"""Every table of our schema in one SQLAlchemy metadata: what the migrations are compared with.

Alembic's environment (bot/db/migrations/env.py) and the test that compares the models with
the migrations read it from here, so that `alembic revision --autogenerate` sees the tables
whose models live beside the code that uses them, and proposes no drops.
"""

from __future__ import annotations

import bot.answers.models  # noqa: F401  (the answer library)
import bot.cases.status_lookups  # noqa: F401  (failed status lookups)
import bot.login_attempts  # noqa: F401  (the desk's login throttle)
from bot.accounts import Base  # the case queue, the channels' seen messages and the staff tables

metadata = Base.metadata

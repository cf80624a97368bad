"""The outbox tries a failed e-mail again after a growing wait, and gives up after a number of
tries (`bot/cases/queue/mail.py`).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sk_outbox") as table:
        table.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True)))
        table.add_column(sa.Column("failed_at", sa.DateTime(timezone=True)))
        table.create_index("ix_sk_outbox_next_attempt_at", ["next_attempt_at"])


def downgrade() -> None:
    with op.batch_alter_table("sk_outbox") as table:
        table.drop_index("ix_sk_outbox_next_attempt_at")
        table.drop_column("failed_at")
        table.drop_column("next_attempt_at")

"""Retention: when a ticket was anonymised after the retention period (`python -m bot.cases retention`).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sk_tickets") as batch:
        batch.add_column(sa.Column("anonymised_at", sa.DateTime(timezone=True)))
        batch.create_index("ix_sk_tickets_anonymised_at", ["anonymised_at"])
    # The retention run looks for closed tickets by their last change.
    op.create_index("ix_sk_tickets_updated_at", "sk_tickets", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_sk_tickets_updated_at", table_name="sk_tickets")
    with op.batch_alter_table("sk_tickets") as batch:
        batch.drop_index("ix_sk_tickets_anonymised_at")
        batch.drop_column("anonymised_at")

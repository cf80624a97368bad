"""Message ids the channels have handled, so that a redelivered or replayed message is handled once
(`bot/channels/seen_messages.py`).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sk_seen_messages",
        sa.Column("channel", sa.String(32), primary_key=True),
        sa.Column("message_id", sa.String(255), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sk_seen_messages_at", "sk_seen_messages", ["at"])


def downgrade() -> None:
    op.drop_index("ix_sk_seen_messages_at", table_name="sk_seen_messages")
    op.drop_table("sk_seen_messages")

"""Failed case-status lookups, for the limits on trying references in turn (`bot/cases/status_lookups.py`).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sk_status_lookups",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("client", sa.String(64)),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sk_status_lookups_conversation_id", "sk_status_lookups", ["conversation_id"])
    op.create_index("ix_sk_status_lookups_at", "sk_status_lookups", ["at"])


def downgrade() -> None:
    op.drop_index("ix_sk_status_lookups_at", table_name="sk_status_lookups")
    op.drop_index("ix_sk_status_lookups_conversation_id", table_name="sk_status_lookups")
    op.drop_table("sk_status_lookups")

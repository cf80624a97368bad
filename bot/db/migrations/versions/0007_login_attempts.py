"""Desk logins: one row per attempt, for the waits per (account, client address) (`bot/login_attempts.py`).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sk_login_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sk_login_attempts_at", "sk_login_attempts", ["at"])
    op.create_index("ix_sk_login_attempts_user_address", "sk_login_attempts", ["username", "address"])


def downgrade() -> None:
    op.drop_index("ix_sk_login_attempts_user_address", table_name="sk_login_attempts")
    op.drop_index("ix_sk_login_attempts_at", table_name="sk_login_attempts")
    op.drop_table("sk_login_attempts")

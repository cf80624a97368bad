"""The answer library's review list: questions an editor has dealt with (`bot/answers/review.py`).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sk_reviewed_questions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("answer_key", sa.String(80)),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant", "digest", name="uq_sk_reviewed_questions_tenant_digest"),
    )
    op.create_index("ix_sk_reviewed_questions_at", "sk_reviewed_questions", ["at"])


def downgrade() -> None:
    op.drop_index("ix_sk_reviewed_questions_at", table_name="sk_reviewed_questions")
    op.drop_table("sk_reviewed_questions")

"""The answer library: each answer's current state, and every version of it (bot/answers).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sk_answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tenant", sa.String(64), nullable=False),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("theme", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("owner", sa.String(100), nullable=False),
        sa.Column("checked_on", sa.Date, nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("catalogue_hash", sa.String(64)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.UniqueConstraint("tenant", "key", name="uq_sk_answers_tenant_key"),
    )
    op.create_index("ix_sk_answers_theme", "sk_answers", ["theme"])
    op.create_index("ix_sk_answers_status", "sk_answers", ["status"])
    op.create_table(
        "sk_answer_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("answer_id", sa.Integer, sa.ForeignKey("sk_answers.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("change", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("theme", sa.String(64), nullable=False),
        sa.Column("owner", sa.String(100), nullable=False),
        sa.Column("checked_on", sa.Date, nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.UniqueConstraint("answer_id", "version", name="uq_sk_answer_versions_answer_version"),
    )
    op.create_index("ix_sk_answer_versions_answer_id", "sk_answer_versions", ["answer_id"])


def downgrade() -> None:
    op.drop_index("ix_sk_answer_versions_answer_id", table_name="sk_answer_versions")
    op.drop_table("sk_answer_versions")
    op.drop_index("ix_sk_answers_status", table_name="sk_answers")
    op.drop_index("ix_sk_answers_theme", table_name="sk_answers")
    op.drop_table("sk_answers")

"""Runs of scheduled jobs (the retention run) and their result, for metrics and alerts
(`bot/cases/job_runs.py`).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sk_job_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("job", sa.String(32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("summary", sa.Text),
    )
    op.create_index("ix_sk_job_runs_job", "sk_job_runs", ["job"])


def downgrade() -> None:
    op.drop_index("ix_sk_job_runs_job", table_name="sk_job_runs")
    op.drop_table("sk_job_runs")

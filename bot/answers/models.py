"""Tables of the answer library: each answer's current state, and every version of it.

An answer is one row in `sk_answers` (its key is unique per tenant: `lokal` is this installation;
a shared catalogue and each municipality's own versions can later sit beside it as other tenants).
Its content (titles, texts, parts, examples, sources) is one JSON document, so that a version is a
whole snapshot: `sk_answer_versions` keeps every one, with who made it, when and what was done,
and restoring an earlier version copies its snapshot. `version` is the optimistic lock: a save
names the version it started from, and a newer one in between refuses it.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from bot.answers.vocabulary import LOCAL_TENANT
from bot.cases.models import Base, utcnow


class Answer(Base):
    __tablename__ = "sk_answers"
    __table_args__ = (sa.UniqueConstraint("tenant", "key", name="uq_sk_answers_tenant_key"),)

    id = sa.Column(sa.Integer, primary_key=True)
    tenant = sa.Column(sa.String(64), nullable=False, default=LOCAL_TENANT)
    key = sa.Column(sa.String(80), nullable=False)
    theme = sa.Column(sa.String(64), nullable=False, index=True)
    status = sa.Column(sa.String(16), nullable=False, index=True)
    owner = sa.Column(sa.String(100), nullable=False)
    checked_on = sa.Column(sa.Date, nullable=False)
    content = sa.Column(sa.JSON, nullable=False)
    version = sa.Column(sa.Integer, nullable=False)
    # The catalogue text this answer was last loaded from (a hash); a later load updates only an
    # answer nobody has changed since (`bot.answers.catalogue`).
    catalogue_hash = sa.Column(sa.String(64))
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    updated_by = sa.Column(sa.String(100), nullable=False)

    versions = relationship("AnswerVersion", order_by="AnswerVersion.version", back_populates="answer")


class AnswerVersion(Base):
    __tablename__ = "sk_answer_versions"
    __table_args__ = (sa.UniqueConstraint("answer_id", "version", name="uq_sk_answer_versions_answer_version"),)

    id = sa.Column(sa.Integer, primary_key=True)
    answer_id = sa.Column(sa.Integer, sa.ForeignKey("sk_answers.id"), nullable=False, index=True)
    version = sa.Column(sa.Integer, nullable=False)
    at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    actor = sa.Column(sa.String(100), nullable=False)
    change = sa.Column(sa.String(32), nullable=False)
    status = sa.Column(sa.String(16), nullable=False)
    theme = sa.Column(sa.String(64), nullable=False)
    owner = sa.Column(sa.String(100), nullable=False)
    checked_on = sa.Column(sa.Date, nullable=False)
    content = sa.Column(sa.JSON, nullable=False)

    answer = relationship("Answer", back_populates="versions")


class ReviewedQuestion(Base):
    """A question from the review list that an editor has dealt with, so it leaves the list.

    Only a hash of the question is kept (`bot.answers.review`), never its text: the text stays in
    the conversation, which the retention run deletes after the retention period.
    """

    __tablename__ = "sk_reviewed_questions"

    id = sa.Column(sa.Integer, primary_key=True)
    tenant = sa.Column(sa.String(64), nullable=False, default=LOCAL_TENANT)
    digest = sa.Column(sa.String(64), nullable=False)
    action = sa.Column(sa.String(32), nullable=False)  # `review.Action`
    answer_key = sa.Column(sa.String(80))
    actor = sa.Column(sa.String(100), nullable=False)
    at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow, index=True)

    __table_args__ = (sa.UniqueConstraint("tenant", "digest", name="uq_sk_reviewed_questions_tenant_digest"),)

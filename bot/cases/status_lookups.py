"""Limits on failed case-status lookups, so that nobody can try SK-2026-00001, -00002 … in turn.

A lookup that finds no case for the reference and contact given is written as a row
(`sk_status_lookups`) with the conversation and the pseudonym of the client's address (a keyed
hash that `bot.channels.client` puts in the message's metadata; Messenger has none). Before a
lookup:

- one conversation may fail `FREE_PER_CONVERSATION` times; after that it must wait 1 minute
  after its last failure, then 2, 4 … up to `MAX_WAIT`;
- one client address may fail `PER_CLIENT` times in `CLIENT_WINDOW`, however many conversation
  ids it uses.

A lookup that must wait is not made, so waiting tells nothing. Every failure is logged with the
conversation and the client shortened and the contact left out. Rows older than a day go.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import sqlalchemy as sa

from bot.cases.models import Base, as_utc, utcnow
from bot.cases.service import lookup_status, store_errors
from bot.cases.states import Status
from bot.db import session_scope
from bot.waits import growing_wait

logger = logging.getLogger(__name__)

# The message metadata key under which the channels put the client address's pseudonym.
CLIENT_METADATA_KEY = "sk_client"
FREE_PER_CONVERSATION = 3
MAX_WAIT = dt.timedelta(hours=1)
PER_CLIENT = 10
CLIENT_WINDOW = dt.timedelta(hours=1)
KEPT = dt.timedelta(days=1)


class FailedLookup(Base):
    __tablename__ = "sk_status_lookups"

    id = sa.Column(sa.Integer, primary_key=True)
    conversation_id = sa.Column(sa.String(255), nullable=False, index=True)
    client = sa.Column(sa.String(64))
    at = sa.Column(sa.DateTime(timezone=True), nullable=False, index=True)


def wait_until(
    conversation_id: str, client: str | None, *, now: dt.datetime | None = None, url: str | None = None
) -> dt.datetime | None:
    """When this conversation (or client) may look up a case again, or None when it may now."""
    now = now or utcnow()
    with session_scope(url) as session:
        failures, last = session.execute(
            sa.select(sa.func.count(), sa.func.max(FailedLookup.at)).where(
                FailedLookup.conversation_id == conversation_id, FailedLookup.at >= now - KEPT
            )
        ).one()
        until = None
        if failures >= FREE_PER_CONVERSATION:
            until = as_utc(last) + growing_wait(int(failures), FREE_PER_CONVERSATION, MAX_WAIT)
        if client:
            count, first = session.execute(
                sa.select(sa.func.count(), sa.func.min(FailedLookup.at)).where(
                    FailedLookup.client == client, FailedLookup.at >= now - CLIENT_WINDOW
                )
            ).one()
            if count >= PER_CLIENT:
                by_client = as_utc(first) + CLIENT_WINDOW
                until = max(until, by_client) if until else by_client
    return until if until and until > now else None


def record_failure(
    conversation_id: str, client: str | None, reference: str, *, now: dt.datetime | None = None, url: str | None = None
) -> None:
    now = now or utcnow()
    with session_scope(url) as session:
        session.execute(sa.delete(FailedLookup).where(FailedLookup.at < now - KEPT))
        session.add(FailedLookup(conversation_id=conversation_id[:255], client=(client or None), at=now))
    logger.warning(
        "Status lookup without a match: reference %s, conversation …%s, client %s",
        reference[:20] or "-",
        conversation_id[-4:],
        (client or "-")[:8],
    )


@dataclass(frozen=True)
class Lookup:
    """The case's status (None: no case with that reference and contact), or when to try again."""

    status: Status | None
    retry_at: dt.datetime | None = None


@store_errors
def checked_lookup(
    reference: str,
    contact: str,
    conversation_id: str,
    client: str | None,
    *,
    now: dt.datetime | None = None,
    url: str | None = None,
) -> Lookup:
    """`lookup_status` within the limits above: the one way the bot looks up a case."""
    now = now or utcnow()
    retry_at = wait_until(conversation_id, client, now=now, url=url)
    if retry_at is not None:
        return Lookup(None, retry_at)
    status = lookup_status(reference, contact, url=url)
    if status is None:
        record_failure(conversation_id, client, reference, now=now, url=url)
    return Lookup(status)

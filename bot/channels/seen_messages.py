"""Message ids a channel has handled, kept in the database for `KEEP` so that a redelivered or
replayed message is handled once, whichever Rasa replica gets it and across restarts.

`first_time` inserts the id; the unique key makes it atomic between replicas. When the database
cannot be reached the message is handled (the in-process memory of the channel still drops
redeliveries it saw itself): a citizen's message is not lost to an outage.
"""

from __future__ import annotations

import datetime as dt
import logging

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.cases.models import SeenMessage, utcnow
from bot.db import session_scope

logger = logging.getLogger(__name__)

KEEP = dt.timedelta(days=7)


def first_time(channel: str, message_id: str, *, url: str | None = None) -> bool:
    """True the first time a channel's message id is seen, False ever after (within `KEEP`)."""
    now = utcnow()
    try:
        with session_scope(url) as session:
            session.add(SeenMessage(channel=channel, message_id=message_id[:255], at=now))
            session.flush()
            if now.second == 0:  # now and then, not on every message
                session.execute(sa.delete(SeenMessage).where(SeenMessage.at < now - KEEP))
    except IntegrityError:
        return False
    except SQLAlchemyError:
        logger.exception("Could not record a %s message id; it is handled all the same", channel)
    return True

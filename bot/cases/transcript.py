"""A ticket's chat transcript up to the handoff, read from Rasa's SQL tracker store.

Rasa keeps every conversation in its own `events` table (sender_id, type_name, timestamp,
intent_name, action_name, data as JSON text) in the same database as the case queue. We only
read it. Personal ID numbers were masked by the channel before Rasa stored anything.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from bot.cases import live
from bot.cases.models import as_utc
from bot.cases.service import TicketView
from bot.db import get_engine
from bot.settings import get_settings

logger = logging.getLogger(__name__)

EVENTS_TABLE = "events"
MAX_LINES = 500
# Rasa stores the message after the ticket row is written; allow for the clock between processes.
_SLACK = dt.timedelta(seconds=2)


EXTERNAL_PREFIX = "EXTERNAL: "  # Rasa's text for external events (live chat turns): not said by anyone


@dataclass(frozen=True)
class TranscriptLine:
    at: dt.datetime
    speaker: str  # "citizen", "bot" or "staff" (a staff member in a live chat)
    text: str
    intent: str | None = None
    buttons: tuple[str, ...] = ()
    name: str | None = None  # the staff member's name as the citizen saw it


def has_events_table(url: str | None = None) -> bool:
    try:
        return sa.inspect(get_engine(url or get_settings().database_url)).has_table(EVENTS_TABLE)
    except SQLAlchemyError:
        return False


def _line(type_name: str, timestamp: float, intent: str | None, data: str | None) -> TranscriptLine | None:
    try:
        payload = json.loads(data or "{}")
    except ValueError:
        payload = {}
    text = str(payload.get("text") or "").strip()
    at = dt.datetime.fromtimestamp(float(timestamp), dt.timezone.utc)
    if type_name == "user":
        if text.startswith(EXTERNAL_PREFIX):
            return None
        if text == "/greet":
            return TranscriptLine(at, "citizen", "(åpnet chatten)", intent)
        if text.startswith("/"):
            text = f"(trykket på en knapp: {text[1:].split('{')[0]})"
        return TranscriptLine(at, "citizen", text, intent)
    extra = payload.get("data") or {}
    buttons = tuple(str(b.get("title", "")) for b in (extra.get("buttons") or []) if isinstance(b, dict))
    if not text and not buttons:
        return None
    metadata = payload.get("metadata") or {}
    if metadata.get("sender") == "staff":
        return TranscriptLine(at, "staff", text, None, (), str(metadata.get("sender_name") or "") or None)
    return TranscriptLine(at, "bot", text, None, buttons)


def transcript(
    conversation_id: str, *, until: dt.datetime | None = None, url: str | None = None
) -> list[TranscriptLine]:
    """What the citizen and the bot said, up to the handoff at `until` and the bot's answer to it.

    Empty when the tracker store is elsewhere or the conversation has been deleted.
    """
    url = url or get_settings().database_url
    if not has_events_table(url):
        return []
    statement = sa.text(
        f"SELECT type_name, timestamp, intent_name, data FROM {EVENTS_TABLE} "
        "WHERE sender_id = :sender AND type_name IN ('user', 'bot') ORDER BY timestamp, id"
    )
    try:
        with get_engine(url).connect() as connection:
            rows = connection.execute(statement, {"sender": conversation_id}).all()
    except SQLAlchemyError:
        logger.exception("Could not read the transcript of %s", conversation_id)
        return []
    cutoff = as_utc(until) + _SLACK if until else None
    lines: list[TranscriptLine] = []
    for type_name, timestamp, intent, data in rows:
        line = _line(type_name, timestamp, intent, data)
        if line is None:
            continue
        if cutoff and line.at > cutoff:
            # Keep the bot's answer to the handoff (the reference), stop at the next citizen message.
            if line.speaker == "citizen":
                break
        lines.append(line)
        if len(lines) >= MAX_LINES:
            break
    return lines


def ticket_transcript(ticket: TicketView, *, url: str | None = None) -> list[TranscriptLine]:
    """A ticket's transcript: up to the handoff, or for a live chat the whole chat so far."""
    chat = live.chat_for_ticket(ticket.reference, url=url)
    if chat is None:
        return transcript(ticket.conversation_id, until=ticket.created_at, url=url)
    return transcript(ticket.conversation_id, until=chat.ended_at, url=url)

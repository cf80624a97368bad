"""Statistics for the service office: conversations, handoffs, tickets per topic and channel,
times to first response and to close, conversations that got the emergency numbers or legevakt
(counts only), the questions the bot answered with «I don't know», and the citizens' 👍 / 👎 on
topic answers.

Conversations, safety answers and unanswered questions come from Rasa's `events` table (read only);
tickets and their history from the case queue. Days and weeks are counted in Norwegian time.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.answers.vocabulary import ANSWER_ENTITY, FEEDBACK_INTENT, RATED_ANSWER, VOTE_ENTITY, Vote
from bot.cases.models import Ticket, TicketEvent, as_utc, utcnow
from bot.cases.transcript import EVENTS_TABLE, has_events_table
from bot.cases.vocabulary import LOCAL_TZ, EventKind, Status
from bot.db import get_engine, session_scope
from bot.settings import get_settings
from bot.topics import label

PERIODS = ("day", "week")
# The bot's answers that count: the emergency answers (suicide risk included) and legevakt.
EMERGENCY_RESPONSES = ("utter_emergency", "utter_suicide_risk")
URGENT_HEALTH_RESPONSES = ("utter_urgent_health",)
DONT_KNOW_RESPONSE = "utter_dont_know"


@dataclass(frozen=True)
class Bucket:
    start: dt.date
    label: str
    conversations: int
    tickets: int
    emergencies: int = 0  # conversations that got the emergency numbers
    urgent_health: int = 0  # conversations that got legevakt's number


@dataclass(frozen=True)
class Misunderstood:
    text: str
    count: int
    last_at: dt.datetime


@dataclass(frozen=True)
class Statistics:
    period: str
    start: dt.datetime
    end: dt.datetime
    buckets: list[Bucket]
    conversations: int
    tickets: int
    per_topic: list[tuple[str, str, int]]  # topic, label, count
    per_channel: list[tuple[str, int]]
    median_first_response: dt.timedelta | None
    median_close: dt.timedelta | None
    answered: int  # tickets with a first response, behind the median
    closed: int
    misunderstood: list[Misunderstood] = field(default_factory=list)  # answered «I don't know»
    emergencies: int = 0
    urgent_health: int = 0

    @property
    def handoff_share(self) -> float | None:
        """Share of conversations handed to a person (a ticket was made)."""
        return self.tickets / self.conversations if self.conversations else None


def _bucket_start(day: dt.date, period: str) -> dt.date:
    return day - dt.timedelta(days=day.weekday()) if period == "week" else day


def _bucket_label(start: dt.date, period: str) -> str:
    if period == "week":
        return f"uke {start.isocalendar()[1]}"
    return f"{start.day}.{start.month}."


def _local_day(moment: dt.datetime) -> dt.date:
    return as_utc(moment).astimezone(LOCAL_TZ).date()


def _median(values: list[dt.timedelta]) -> dt.timedelta | None:
    return dt.timedelta(seconds=statistics.median(v.total_seconds() for v in values)) if values else None


def compute(
    period: str = "day", count: int = 14, *, now: dt.datetime | None = None, url: str | None = None
) -> Statistics:
    """Figures for the last `count` days or weeks (the current one included)."""
    if period not in PERIODS:
        raise ValueError(period)
    count = max(1, min(count, 366))
    url = url or get_settings().database_url
    end = now or utcnow()
    step = dt.timedelta(days=7 if period == "week" else 1)
    first = _bucket_start(_local_day(end), period) - (count - 1) * step
    start = dt.datetime.combine(first, dt.time(0), LOCAL_TZ).astimezone(dt.timezone.utc)
    chats = _conversation_figures(url, start, end, period)
    tickets = _ticket_figures(url, start, end, period)
    buckets = [
        Bucket(
            s,
            _bucket_label(s, period),
            chats.conversations[s],
            tickets.created[s],
            chats.safety["emergency"][s],
            chats.safety["urgent_health"][s],
        )
        for s in (first + i * step for i in range(count))
    ]
    return Statistics(
        period=period,
        start=start,
        end=end,
        buckets=buckets,
        conversations=sum(chats.conversations.values()),
        tickets=sum(tickets.created.values()),
        per_topic=[(topic, label(topic), n) for topic, n in tickets.topics.most_common()],
        per_channel=tickets.channels.most_common(),
        median_first_response=_median(tickets.to_reply),
        median_close=_median(tickets.to_close),
        answered=len(tickets.to_reply),
        closed=len(tickets.to_close),
        emergencies=sum(chats.safety["emergency"].values()),
        urgent_health=sum(chats.safety["urgent_health"].values()),
        misunderstood=chats.misunderstood,
    )


@dataclass
class _ConversationFigures:
    """Read from Rasa's events: conversations and safety answers per bucket, «I don't know» questions."""

    conversations: Counter[dt.date] = field(default_factory=Counter)
    safety: dict[str, Counter[dt.date]] = field(
        default_factory=lambda: {"emergency": Counter(), "urgent_health": Counter()}
    )
    misunderstood: list[Misunderstood] = field(default_factory=list)


def _conversation_figures(url: str, start: dt.datetime, end: dt.datetime, period: str) -> _ConversationFigures:
    figures = _ConversationFigures()
    if not has_events_table(url):
        return figures
    with get_engine(url).connect() as connection:
        rows = connection.execute(
            sa.text(
                f"SELECT sender_id, MIN(timestamp) FROM {EVENTS_TABLE} "
                "WHERE type_name = 'user' AND timestamp >= :a AND timestamp < :b GROUP BY sender_id"
            ),
            {"a": start.timestamp(), "b": end.timestamp()},
        ).all()
        for _sender, first_at in rows:
            day = dt.datetime.fromtimestamp(float(first_at), LOCAL_TZ).date()
            figures.conversations[_bucket_start(day, period)] += 1
        for kind, days in _safety_days(connection, start, end).items():
            for day in days:
                figures.safety[kind][_bucket_start(day, period)] += 1
        misses = unanswered(connection, start, end)
    figures.misunderstood = _misunderstood([(m.at, m.text) for m in misses])
    return figures


def _misunderstood(unanswered: list[tuple[Any, str]]) -> list[Misunderstood]:
    """The same question asked again counts once, with how often and when last (at most 100)."""
    found: dict[str, list] = {}
    for timestamp, text in unanswered:
        text = " ".join(text.split())
        if not text or text.startswith("/"):
            continue
        at = dt.datetime.fromtimestamp(float(timestamp), dt.timezone.utc)
        entry = found.setdefault(text.lower(), [text, 0, at])
        entry[1] += 1
        entry[2] = max(entry[2], at)
    return sorted(
        (Misunderstood(text, n, at) for text, n, at in found.values()),
        key=lambda m: (-m.count, -m.last_at.timestamp()),
    )[:100]


@dataclass
class _TicketFigures:
    created: Counter[dt.date] = field(default_factory=Counter)
    topics: Counter[str] = field(default_factory=Counter)
    channels: Counter[str] = field(default_factory=Counter)
    to_reply: list[dt.timedelta] = field(default_factory=list)
    to_close: list[dt.timedelta] = field(default_factory=list)


def _ticket_figures(url: str, start: dt.datetime, end: dt.datetime, period: str) -> _TicketFigures:
    with session_scope(url) as session:
        tickets = session.execute(
            sa.select(Ticket.id, Ticket.created_at, Ticket.topic, Ticket.channel).where(
                Ticket.created_at >= start, Ticket.created_at < end
            )
        ).all()
        first_reply, first_close = _first_reply_and_close(session, [row.id for row in tickets])
    figures = _TicketFigures()
    for row in tickets:
        created = as_utc(row.created_at)
        figures.created[_bucket_start(_local_day(created), period)] += 1
        figures.topics[row.topic] += 1
        figures.channels[row.channel] += 1
        if row.id in first_reply:
            figures.to_reply.append(first_reply[row.id] - created)
        if row.id in first_close:
            figures.to_close.append(first_close[row.id] - created)
    return figures


def _first_reply_and_close(session: Session, ids: list[int]) -> tuple[dict[int, dt.datetime], dict[int, dt.datetime]]:
    first_reply: dict[int, dt.datetime] = {}
    first_close: dict[int, dt.datetime] = {}
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        replies = session.execute(
            sa.select(TicketEvent.ticket_id, sa.func.min(TicketEvent.at))
            .where(TicketEvent.ticket_id.in_(chunk), TicketEvent.kind == EventKind.REPLY.value)
            .group_by(TicketEvent.ticket_id)
        ).all()
        closes = session.execute(
            sa.select(TicketEvent.ticket_id, sa.func.min(TicketEvent.at))
            .where(
                TicketEvent.ticket_id.in_(chunk),
                TicketEvent.kind == EventKind.STATUS.value,
                TicketEvent.to_status == Status.CLOSED.value,
            )
            .group_by(TicketEvent.ticket_id)
        ).all()
        first_reply.update({tid: as_utc(at) for tid, at in replies})
        first_close.update({tid: as_utc(at) for tid, at in closes})
    return first_reply, first_close


def _bot_answers(
    connection: sa.engine.Connection, responses: tuple[str, ...], start: dt.datetime, end: dt.datetime
) -> Iterator[Any]:
    """The bot's messages in the period that gave one of `responses` (pre-filtered in SQL, checked here)."""
    likes = " OR ".join(f"data LIKE :r{i}" for i in range(len(responses)))
    rows = connection.execute(
        sa.text(
            f"SELECT id, sender_id, timestamp, data FROM {EVENTS_TABLE} WHERE type_name = 'bot' "
            f"AND timestamp >= :a AND timestamp < :b AND ({likes})"
        ),
        {"a": start.timestamp(), "b": end.timestamp(), **{f"r{i}": f"%{r}%" for i, r in enumerate(responses)}},
    ).all()
    for row in rows:
        try:
            response = (json.loads(row.data or "{}").get("metadata") or {}).get("utter_action")
        except ValueError:
            continue
        if response in responses:
            yield row


def _safety_days(connection: sa.engine.Connection, start: dt.datetime, end: dt.datetime) -> dict[str, list[dt.date]]:
    """For each kind, the (conversation, day) pairs that got that safety answer: a conversation counts once a day."""
    found: dict[str, list[dt.date]] = {}
    for kind, responses in (("emergency", EMERGENCY_RESPONSES), ("urgent_health", URGENT_HEALTH_RESPONSES)):
        pairs = {
            (row.sender_id, dt.datetime.fromtimestamp(float(row.timestamp), LOCAL_TZ).date())
            for row in _bot_answers(connection, responses, start, end)
        }
        found[kind] = [day for _, day in pairs]
    return found


@dataclass(frozen=True)
class Unanswered:
    at: float  # the bot's answer, seconds since the epoch
    text: str  # the citizen's message (ID numbers were masked before it was stored)
    response: str  # what the bot answered: one of the responses asked for
    language: str | None  # the conversation's `language` slot at the time, if set


def unanswered(
    connection: sa.engine.Connection,
    start: dt.datetime,
    end: dt.datetime,
    responses: tuple[str, ...] = (DONT_KNOW_RESPONSE,),
) -> list[Unanswered]:
    """Each citizen message the bot answered with one of `responses` («I don't know» by default)."""
    found = []
    for row in _bot_answers(connection, responses, start, end):
        before = {"s": row.sender_id, "i": row.id}
        data = connection.execute(
            sa.text(
                f"SELECT data FROM {EVENTS_TABLE} WHERE sender_id = :s AND type_name = 'user' AND id < :i "
                "ORDER BY id DESC LIMIT 1"
            ),
            before,
        ).scalar()
        language = _language_at(connection, row.sender_id, row.id)
        try:
            text = str(json.loads(data or "{}").get("text") or "")
            response = (json.loads(row.data or "{}").get("metadata") or {}).get("utter_action")
        except ValueError:
            continue
        found.append(Unanswered(row.timestamp, text, str(response), language))
    return found


def _language_at(connection: sa.engine.Connection, sender_id: str, event_id: int) -> str | None:
    """The conversation's `language` slot just before the event, if set."""
    slot = connection.execute(
        sa.text(
            f"SELECT data FROM {EVENTS_TABLE} WHERE sender_id = :s AND type_name = 'slot' "
            "AND action_name = 'language' AND id < :i ORDER BY id DESC LIMIT 1"
        ),
        {"s": sender_id, "i": event_id},
    ).scalar()
    try:
        language = json.loads(slot).get("value") if slot else None
    except ValueError:
        return None
    return language if isinstance(language, str) else None


@dataclass(frozen=True)
class Rating:
    at: float  # the vote, seconds since the epoch
    sender_id: str
    topic: str  # the answer voted on, `faq/<key>`
    up: bool
    question: str  # the citizen's message before the vote: what the answer answered
    language: str | None  # the conversation's `language` slot at the time, if set


def ratings(connection: sa.engine.Connection, start: dt.datetime, end: dt.datetime) -> list[Rating]:
    """The 👍 / 👎 votes on topic answers in the period; a citizen's latest vote on an answer counts.

    A vote counts only for an answer the conversation got (a tap names it; a typed «👍» is about
    the latest one), and its question is the citizen's message that answer answered.
    """
    rows = connection.execute(
        sa.text(
            f"SELECT id, sender_id, timestamp, data FROM {EVENTS_TABLE} WHERE type_name = 'user' "
            "AND intent_name = :intent AND timestamp >= :a AND timestamp < :b ORDER BY id"
        ),
        {"intent": FEEDBACK_INTENT, "a": start.timestamp(), "b": end.timestamp()},
    ).all()
    latest: dict[tuple[str, str], Rating] = {}
    for row in rows:
        try:
            entities = (json.loads(row.data or "{}").get("parse_data") or {}).get("entities") or []
        except ValueError:
            continue
        found = {e.get("entity"): e.get("value") for e in entities if isinstance(e, dict)}
        if found.get(VOTE_ENTITY) not in (Vote.UP.value, Vote.DOWN.value):
            continue
        named = found.get(ANSWER_ENTITY)
        # Rasa's tracker stores write the event's JSON with json.dumps' default separators.
        rated = json.dumps({RATED_ANSWER: named})[1:-1] if isinstance(named, str) else f'"{RATED_ANSWER}"'
        answer = connection.execute(
            sa.text(
                f"SELECT id, data FROM {EVENTS_TABLE} WHERE sender_id = :s AND type_name = 'bot' AND id < :i "
                "AND data LIKE :rated ORDER BY id DESC LIMIT 1"
            ),
            {"s": row.sender_id, "i": row.id, "rated": f"%{rated}%"},
        ).first()
        try:
            topic = (json.loads(answer.data or "{}").get("metadata") or {}).get(RATED_ANSWER) if answer else None
        except ValueError:
            continue
        if not isinstance(topic, str) or not topic or (isinstance(named, str) and topic != named):
            continue
        question = connection.execute(
            sa.text(
                f"SELECT data FROM {EVENTS_TABLE} WHERE sender_id = :s AND type_name = 'user' AND id < :i "
                "ORDER BY id DESC LIMIT 1"
            ),
            {"s": row.sender_id, "i": answer.id},
        ).scalar()
        try:
            text = str(json.loads(question or "{}").get("text") or "")
        except ValueError:
            text = ""
        up = found[VOTE_ENTITY] == Vote.UP.value
        language = _language_at(connection, row.sender_id, row.id)
        latest[(row.sender_id, topic)] = Rating(row.timestamp, row.sender_id, topic, up, text, language)
    return list(latest.values())

"""The review list: what citizens asked that the bot could not answer, for the editors to act on.

A question is on the list when the bot answered it with «I don't know» (`utter_dont_know`), was
unsure and asked «Mente du …?» (`utter_which_topic`), or gave an answer the citizen marked 👎
(bot/channels/feedback.py). The questions are read from the
conversations in Rasa's tracker store (ID numbers were masked before they were stored), so the
list follows the retention period by itself: when the retention run deletes a conversation, its
questions leave the list. The same question asked again is one item, with how often and when.

With one action an editor adds the question as an example to an answer (the bot knows it once
the answer is published, within a minute), starts a new answer from it, or sets it aside. A
question dealt with leaves the list; what is kept of it is a hash of its text, not the text, and
the retention run deletes that too after the retention period.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from dataclasses import dataclass, replace

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.answers import store
from bot.answers.models import ReviewedQuestion
from bot.answers.store import AnswerError, AnswerView
from bot.answers.vocabulary import LANGUAGES, LOCAL_TENANT
from bot.cases.models import utcnow
from bot.cases.service import store_errors
from bot.cases.stats import ratings, unanswered
from bot.cases.transcript import has_events_table
from bot.db import get_engine, session_scope
from bot.kommune import get_kommune
from bot.pii import mask_text
from bot.settings import get_settings
from bot.topics import answer_key

# The bot's answers that put a question on the list, and what the editor is told about each.
REVIEW_RESPONSES = {
    "utter_dont_know": "Boten visste ikke",
    "utter_which_topic": "Boten var usikker og spurte «Mente du …?»",
}
DISLIKED = "Innbyggeren svarte «Nei» (👎) etter svaret «{title}»"
MAX_ITEMS = 300


class Action(str, enum.Enum):
    EXAMPLE_ADDED = "eksempel lagt til"
    NEW_ANSWER = "nytt svar"
    SET_ASIDE = "lagt til side"


@dataclass(frozen=True)
class ReviewItem:
    text: str
    count: int
    last_at: dt.datetime
    why: str  # what the bot did, for the editor
    language: str  # nb, nn or en: the conversation's language when it was asked

    @property
    def digest(self) -> str:
        return digest(self.text)


def normalise(text: str) -> str:
    return " ".join(mask_text(text).split())


def digest(text: str) -> str:
    """The one thing kept about a question once it is dealt with."""
    return hashlib.sha256(normalise(text).casefold().encode()).hexdigest()


@store_errors
def pending(*, url: str | None = None, tenant: str = LOCAL_TENANT, now: dt.datetime | None = None) -> list[ReviewItem]:
    """The questions on the list, the most asked first, then the newest."""
    url = url or get_settings().database_url
    now = now or utcnow()
    start = now - dt.timedelta(days=get_kommune().retention_days)
    if not has_events_table(url):
        return []
    end = now + dt.timedelta(minutes=1)
    with get_engine(url).connect() as connection:
        misses = unanswered(connection, start, end, tuple(REVIEW_RESPONSES))
        disliked = [vote for vote in ratings(connection, start, end) if not vote.up]
    with session_scope(url) as session:
        done = set(
            session.execute(sa.select(ReviewedQuestion.digest).where(ReviewedQuestion.tenant == tenant)).scalars()
        )
    views = store.list_answers(url=url, tenant=tenant) if disliked else []
    titles = {view.key: view.doc.title.get("nb") for view in views}
    asked = [(m.text, m.at, REVIEW_RESPONSES[m.response], m.language) for m in misses]
    for vote in disliked:
        key = answer_key(vote.topic) or vote.topic
        asked.append((vote.question, vote.at, DISLIKED.format(title=titles.get(key) or key), vote.language))
    found: dict[str, ReviewItem] = {}
    # Oldest first, so that a question asked in several spellings is shown as first asked,
    # whatever order the database returned the rows in.
    for raw, seconds, why, language in sorted(asked, key=lambda item: float(item[1])):
        text = normalise(raw)
        if not text or text.startswith("/") or digest(text) in done:
            continue
        at = dt.datetime.fromtimestamp(float(seconds), dt.timezone.utc)
        language = language if language in LANGUAGES else get_kommune().default_language
        key = text.casefold()
        item = found.get(key)
        if item is None:
            found[key] = ReviewItem(text, 1, at, why, language)
        else:
            newer = at >= item.last_at
            found[key] = replace(
                item,
                count=item.count + 1,
                last_at=max(at, item.last_at),
                why=why if newer else item.why,
                language=language if newer else item.language,
            )
    items = sorted(found.values(), key=lambda i: (-i.count, -i.last_at.timestamp()))
    return items[:MAX_ITEMS]


@store_errors
def mark(
    text: str,
    action: Action,
    actor: str,
    *,
    answer_key: str | None = None,
    url: str | None = None,
    tenant: str = LOCAL_TENANT,
) -> None:
    """Take the question off the list (idempotent: a second editor's mark changes nothing).

    The unique key on the question's hash decides who marked it first, also when two editors
    mark it at the same moment: the second insert fails, and the first mark stands.
    """
    try:
        with session_scope(url) as session:
            session.add(
                ReviewedQuestion(
                    tenant=tenant, digest=digest(text), action=action.value, answer_key=answer_key, actor=actor
                )
            )
    except IntegrityError:
        pass  # marked already


@store_errors
def add_example(
    key: str, question: str, language: str, actor: str, *, url: str | None = None, tenant: str = LOCAL_TENANT
) -> AnswerView:
    """Add `question` to the answer's examples in `language`, as a new version, and take it off the list.

    The answer keeps its status: a published answer is found by the question within a minute.
    """
    text = normalise(question)
    if not text:
        raise AnswerError(["Spørsmålet er tomt."])
    if language not in LANGUAGES:
        raise AnswerError(["Velg bokmål, nynorsk eller engelsk."])
    current = store.get(key, url=url, tenant=tenant)
    examples = {lang: list(items) for lang, items in current.doc.examples.items()}
    if text.casefold() not in {e.casefold() for e in examples.get(language, [])}:
        examples[language] = [*examples.get(language, []), text]
        current = store.save(replace(current.doc, examples=examples), current.version, actor, url=url, tenant=tenant)
    mark(text, Action.EXAMPLE_ADDED, actor, answer_key=key, url=url, tenant=tenant)
    return current

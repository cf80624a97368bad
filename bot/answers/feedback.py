"""The citizens' 👍 / 👎 on topic answers, per answer and per theme, for the statistics page.

The votes are read from the conversations in Rasa's tracker store (`bot.cases.stats.ratings`), so
they follow the retention period with them. The widget and Messenger ask after each library answer
(bot/channels/feedback.py); a 👎 also puts the question on the editors' review list
(`bot.answers.review`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from bot.answers import store
from bot.answers.vocabulary import LOCAL_TENANT
from bot.cases.stats import Rating, ratings
from bot.cases.transcript import has_events_table
from bot.db import get_engine
from bot.settings import get_settings
from bot.topics import answer_key

UNKNOWN_THEME = "Svar som er slettet"


@dataclass(frozen=True)
class Share:
    name: str  # the answer's title in bokmål, or the theme
    key: str  # the answer's key; empty for a theme
    up: int
    down: int

    @property
    def votes(self) -> int:
        return self.up + self.down

    @property
    def share(self) -> float:
        """The share of 👍 among the votes."""
        return self.up / self.votes if self.votes else 0.0


@dataclass(frozen=True)
class Shares:
    per_answer: list[Share]  # the most 👎 first: what the editors look at first
    per_theme: list[Share]

    @property
    def votes(self) -> int:
        return sum(s.votes for s in self.per_theme)


def read(start: dt.datetime, end: dt.datetime, *, url: str | None = None) -> list[Rating]:
    url = url or get_settings().database_url
    if not has_events_table(url):
        return []
    with get_engine(url).connect() as connection:
        return ratings(connection, start, end)


def shares(start: dt.datetime, end: dt.datetime, *, url: str | None = None, tenant: str = LOCAL_TENANT) -> Shares:
    """The 👍 share per answer and per theme for votes in [start, end)."""
    votes = read(start, end, url=url)
    answers = {view.key: view.doc for view in store.list_answers(url=url, tenant=tenant)}
    up: Counter[str] = Counter()
    down: Counter[str] = Counter()
    for vote in votes:
        key = answer_key(vote.topic) or vote.topic
        (up if vote.up else down)[key] += 1
    per_answer, theme_up, theme_down = [], Counter(), Counter()
    for key in up.keys() | down.keys():
        doc = answers.get(key)
        theme = doc.theme if doc else UNKNOWN_THEME
        per_answer.append(Share(doc.title.get("nb", key) if doc else key, key, up[key], down[key]))
        theme_up[theme] += up[key]
        theme_down[theme] += down[key]
    per_theme = [Share(theme, "", theme_up[theme], theme_down[theme]) for theme in theme_up.keys() | theme_down.keys()]
    return Shares(
        per_answer=sorted(per_answer, key=lambda s: (-s.down, s.share, s.name)),
        per_theme=sorted(per_theme, key=lambda s: (s.share, -s.votes, s.name)),
    )

"""What citizens ask about: the topics, one per published answer of the library, their labels and pages.

A topic is `faq/<answer key>`: the answer library's published answers (bot/answers), as this
process's live snapshot has them, so a newly published answer is a topic everywhere within the
library's refresh interval. A label is the answer's title: shown in the conversation's language on
«Mente du …?» buttons (and sent back as the citizen's message when pressed, so a pressed button is
answered) and in bokmål on tickets and in the desk. A topic's page is where a follow-up question
(«hva koster det?», «når er fristen?») is sent when the answer has no part for it: the first web
address in the answer, else the municipality's website.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from bot.answers import live, store
from bot.answers.document import PLACEHOLDER, AnswerDoc
from bot.answers.render import answer_text, in_language, title
from bot.answers.store import AnswerNotFound
from bot.cases.service import CaseStoreError
from bot.kommune import get_kommune

FAQ_INTENT = "faq"
OTHER_TOPIC = "annet"
_PREFIX = f"{FAQ_INTENT}/"
_WEB_ADDRESS = re.compile(r"https?://[^\s)]+[^\s).,;:!?]|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.no(?:/[^\s)]*[^\s).,;:!?])?")


def topic_key(answer_key: str) -> str:
    """The topic of a library answer: `waste` → `faq/waste`."""
    return f"{_PREFIX}{answer_key}"


def answer_key(topic: str) -> str | None:
    """The library answer of a topic: `faq/waste` → `waste`; None for other topics."""
    return topic[len(_PREFIX) :] if topic.startswith(_PREFIX) else None


@dataclass(frozen=True)
class Topic:
    key: str
    doc: AnswerDoc

    def label(self, language: str = "nb") -> str:
        return title(self.doc, language)

    def link(self) -> str:
        """The topic's page: the municipality's page its answer links to (its first `{lenke_…}`),
        else its first web address, else the municipality's website.

        A follow-up («hva koster det?») sends the citizen there, so the municipality's page comes
        before a national one the answer also names (the drawings of a house are ordered, and paid
        for, on the municipality's page, not on Kartverket's free map).
        """
        kommune = get_kommune()
        values = kommune.placeholders("nb")
        names = PLACEHOLDER.findall(in_language(self.doc.text, "nb"))
        own = next((values[name] for name in names if name.startswith("lenke_") and values.get(name)), None)
        if own:
            return own
        found = _WEB_ADDRESS.search(answer_text(self.doc, "nb"))
        return found.group(0) if found else kommune.links.get("nettside", "")


class _LibraryTopics(Mapping[str, Topic]):
    """The published answers as topics, read from this process's live library on every use."""

    @staticmethod
    def _answers() -> dict[str, AnswerDoc]:
        return live.library().snapshot().answers

    def __getitem__(self, topic: str) -> Topic:
        doc = self._answers().get(answer_key(topic) or "")
        if doc is None:
            raise KeyError(topic)
        return Topic(topic, doc)

    def __contains__(self, topic: object) -> bool:
        return isinstance(topic, str) and (answer_key(topic) or "") in self._answers()

    def __iter__(self) -> Iterator[str]:
        return iter([topic_key(key) for key in self._answers()])

    def __len__(self) -> int:
        return len(self._answers())


TOPICS: Mapping[str, Topic] = _LibraryTopics()

# The last «Mente du …?» button: none of the topics offered.
NONE_OF_THESE = {"nb": "Ingen av disse", "nn": "Ingen av desse", "en": "None of these"}

# Labels of what else a ticket can be about (tickets and the desk show them in bokmål).
TOPIC_LABELS: dict[str, str] = {
    "human_handoff": "Snakke med en person",
    "case_status": "Status på sak",
    "emergency": "Nødsituasjon",
    "suicide_risk": "Nødsituasjon",
    "urgent_health": "Legevakt",
}


def label(topic: str, language: str = "nb") -> str:
    """A topic's name: its answer's title, also when the answer has since been unpublished or archived."""
    found = TOPICS.get(topic)
    if found:
        return found.label(language)
    key = answer_key(topic)
    if key:
        try:  # a ticket about an answer staff have since taken down
            return title(store.get(key).doc, language)
        except (AnswerNotFound, CaseStoreError):
            pass
    return TOPIC_LABELS.get(topic, "Annet")


def topic_by_label(text: str) -> str | None:
    """The topic whose label, in any language, is exactly `text` (a pressed button)."""
    key = live.library().snapshot().titles.get(" ".join(text.split()).casefold())
    return topic_key(key) if key else None

"""The published answers as one process sees them, kept up to date without a restart.

Each process (every Rasa server, the action server, the desk) holds a `Snapshot`: the published
answers and an index over their examples. At most every `ANSWER_REFRESH_SECONDS` (10) a reader
asks the database for the library's revision (one small query); when it has grown, the new
published answers are read in a background thread while readers keep the snapshot they have. A
process that ranks questions (a Rasa server) builds the new index there too, before it swaps the
snapshot: about 20 s for the first process on the machine to fit it, half a second for the others
to load it (`index.index_for`, `index_files`), or nothing when the change left every title and
example as it was. So a published change reaches every process
within the refresh interval plus that, and nothing waits for it. If the database cannot be
reached, the process keeps answering from the snapshot it has.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from bot.answers import store
from bot.answers.document import AnswerDoc
from bot.cases.service import CaseStoreError
from bot.settings import answer_refresh_seconds, database_url

if TYPE_CHECKING:
    from bot.answers.index import AnswerIndex

logger = logging.getLogger(__name__)

# A word's stem, crudely: its first letters, so that «apoteket» and «apotek», «søknaden» and
# «søknad», and a misspelt «voteing» and «voting» are the same word.
STEM_LETTERS = 4
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Snapshot:
    revision: int
    answers: dict[str, AnswerDoc] = field(default_factory=dict)

    @cached_property
    def titles(self) -> dict[str, str]:
        """Every title of every answer, case-folded, to its answer's key (the first answer that has it)."""
        found: dict[str, str] = {}
        for key, doc in self.answers.items():
            for name in doc.title.values():
                found.setdefault(name.casefold(), key)
        return found

    @cached_property
    def words(self) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
        """Each answer's words in its titles and example questions, and their stems (`STEM_LETTERS`).

        `bot.certainty` reads them: an answer is given only to a question that shares a word with it.
        """
        found = {}
        for key, doc in self.answers.items():
            texts = [*doc.title.values(), *(example for items in doc.examples.values() for example in items)]
            words = frozenset(word for text in texts for word in _WORD.findall(text.casefold()))
            found[key] = (words, frozenset(word[:STEM_LETTERS] for word in words))
        return found

    @cached_property
    def index(self) -> AnswerIndex:
        # Imported here: a process that only reads answers (the action server, the desk) never
        # needs scikit-learn.
        from bot.answers.index import index_for

        return index_for(self.answers.values())


class LiveLibrary:
    """The newest published answers this process has read; see the module."""

    def __init__(
        self,
        url: str | None = None,
        *,
        refresh_seconds: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        background: bool = True,
    ) -> None:
        self._url = url
        self._refresh = refresh_seconds
        self._clock = clock
        self._background = background
        self._snapshot = Snapshot(revision=-1)
        self._checked_at: float | None = None
        self._lock = threading.Lock()
        self._loading = False

    def snapshot(self) -> Snapshot:
        """The current snapshot; starts a refresh when the interval has passed."""
        now = self._clock()
        refresh = self._refresh if self._refresh is not None else answer_refresh_seconds()
        with self._lock:
            due = self._checked_at is None or now - self._checked_at >= refresh
            current = self._snapshot
            if due and not self._loading:
                self._checked_at, self._loading = now, True
                first = current.revision < 0
            else:
                return current
        if first or not self._background:
            self._reload()  # the first read waits: there is nothing to answer from yet
            return self._snapshot
        threading.Thread(target=self._reload, name="answer-library", daemon=True).start()
        return current

    def _reload(self) -> None:
        try:
            revision = store.revision(url=self._url)
            if revision != self._snapshot.revision:
                answers = {doc.key: doc for doc in store.published(url=self._url)}
                fresh = Snapshot(revision, answers)
                if "index" in vars(self._snapshot):  # this process ranks questions (a Rasa server):
                    _ = fresh.index  # build the new index before readers see it
                self._snapshot = fresh
                logger.info("Answer library: %d published answers (revision %d)", len(answers), revision)
        except CaseStoreError as error:
            logger.warning("Answer library not reachable, keeping %d answers: %s", len(self._snapshot.answers), error)
        finally:
            with self._lock:
                self._loading = False


_libraries: dict[str, LiveLibrary] = {}
_libraries_lock = threading.Lock()


def library(url: str | None = None) -> LiveLibrary:
    """This process's live library for the database `url` (DATABASE_URL by default)."""
    key = url or database_url()
    with _libraries_lock:
        return _libraries.setdefault(key, LiveLibrary(key))


def forget(url: str) -> None:
    """Drops this process's snapshot of the library at `url`: the next read starts afresh."""
    with _libraries_lock:
        _libraries.pop(url, None)

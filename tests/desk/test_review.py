"""The editors' review list: questions the bot could not answer, and the one action on each."""

from __future__ import annotations

import datetime as dt
import html
import re
import threading

import pytest
import sqlalchemy as sa
from rasa.shared.core.events import SlotSet

from bot import accounts
from bot.answers import review, store
from bot.answers.models import ReviewedQuestion
from bot.cases.models import utcnow
from bot.cases.retention import apply_retention
from bot.db import session_scope
from tests.desk.conftest import Desk, Events
from tests.test_pii import VALID_FNR

pytestmark = pytest.mark.asyncio


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _asked(events: Events, sender: str, text: str, response: str, minutes_ago: float, language: str = "nb") -> None:
    at = utcnow() - dt.timedelta(minutes=minutes_ago)
    events.add(sender, SlotSet("language", language), at)
    events.said(sender, text, at, intent="nlu_fallback")
    events.answered(sender, "…", at + dt.timedelta(seconds=1), response=response)


async def test_the_list_holds_what_the_bot_could_not_answer_once_per_question(
    desk: Desk, events: Events, editor: accounts.StaffView
) -> None:
    _asked(events, "c1", "kan jeg ha høner i hagen", "utter_dont_know", 30)
    _asked(events, "c2", "Kan jeg ha  høner i hagen", "utter_dont_know", 20)
    _asked(events, "c3", "parkering ved skolen", "utter_which_topic", 10)
    _asked(events, "c4", "can I keep bees in my garden", "utter_dont_know", 5, language="en")
    _asked(events, "c5", f"mitt fødselsnummer er {VALID_FNR} og jeg lurer på skatt", "utter_dont_know", 4)
    events.said("c6", "hvordan søker jeg barnehageplass", utcnow())  # answered: not on the list
    events.answered("c6", "Du søker …", utcnow(), response="utter_faq")

    items = review.pending()
    assert [(i.text, i.count) for i in items][:1] == [("kan jeg ha høner i hagen", 2)]
    assert {i.text for i in items} >= {"parkering ved skolen", "can I keep bees in my garden"}
    assert "hvordan søker jeg barnehageplass" not in {i.text for i in items}
    assert not any(VALID_FNR in i.text for i in items)
    bees = next(i for i in items if i.text.startswith("can I"))
    assert bees.language == "en" and "visste ikke" in bees.why
    assert "Mente du" in next(i for i in items if i.text.startswith("parkering")).why

    client = await desk.login("rita")
    page = await client.get("/svar/gjennomgang")
    assert page.status == 200
    shown = _text(page.text)
    assert "4 spørsmål" in shown and "Spurt 2 ganger" in shown and VALID_FNR not in page.text
    agent = await desk.login("kari")
    assert (await agent.get("/svar/gjennomgang")).status == 403


async def test_adding_a_question_as_an_example_teaches_the_answer_and_clears_it(
    desk: Desk, events: Events, editor: accounts.StaffView
) -> None:
    question = "hvor legger jeg båten min om sommeren"
    _asked(events, "c1", question, "utter_which_topic", 10)
    before = store.get("boat_berth")
    client = await desk.login("rita")
    page = await client.get("/svar/gjennomgang")
    assert 'value="boat_berth"' in page.text  # the bot's own best guesses are offered
    added = await client.post("/svar/gjennomgang/eksempel", {"sporsmal": question, "svar": "boat_berth", "sprak": "nb"})
    assert added.status == 303 and "ok=example" in added.location

    after = store.get("boat_berth")
    assert after.version == before.version + 1 and after.updated_by == "rita"
    assert after.doc.examples["nb"][-1] == question and after.doc.examples["en"] == before.doc.examples["en"]
    assert question in {q for doc in store.published() if doc.key == "boat_berth" for q in doc.examples["nb"]}
    assert review.pending() == []
    assert "0 spørsmål" in _text((await client.get("/svar/gjennomgang")).text)

    # Asked again later: it stays off the list; a second add changes nothing.
    _asked(events, "c2", question, "utter_dont_know", 1)
    assert review.pending() == []
    again = await client.post("/svar/gjennomgang/eksempel", {"sporsmal": question, "svar": "boat_berth", "sprak": "nb"})
    assert again.status == 303 and store.get("boat_berth").version == after.version

    unknown = await client.post("/svar/gjennomgang/eksempel", {"sporsmal": "noe", "svar": "finnes_ikke", "sprak": "nb"})
    assert unknown.status == 400 and "Finner ikke svaret" in _text(unknown.text)


async def test_a_new_answer_from_a_question_and_setting_one_aside(
    desk: Desk, events: Events, editor: accounts.StaffView
) -> None:
    _asked(events, "c1", "kan jeg ha høner i hagen", "utter_dont_know", 10)
    _asked(events, "c2", "asdf hei", "utter_dont_know", 9)
    client = await desk.login("rita")
    form = await client.get("/svar/nytt-svar?sporsmal=kan+jeg+ha+h%C3%B8ner+i+hagen&sprak=nb")
    assert "kan jeg ha høner i hagen" in _text(form.text)
    made = await client.post(
        "/svar/nytt-svar",
        {
            "nokkel": "honsehold",
            "tema": "Natur og miljø",
            "tittel_nb": "Høner i hagen",
            "sporsmal": "kan jeg ha høner i hagen",
            "sprak": "nb",
        },
    )
    assert made.status == 303
    assert store.get("honsehold").doc.examples == {"nb": ["kan jeg ha høner i hagen"]}

    aside = await client.post("/svar/gjennomgang/til-side", {"sporsmal": "asdf hei"})
    assert aside.status == 303
    assert review.pending() == []


def test_the_retention_run_forgets_what_was_dealt_with(db_url: str, events: Events) -> None:
    review.mark("et gammelt spørsmål", review.Action.SET_ASIDE, "rita")
    _asked(events, "c1", "et gammelt spørsmål", "utter_dont_know", 1)
    assert review.pending() == []
    apply_retention(days=30, now=utcnow() + dt.timedelta(days=31))
    assert [i.text for i in review.pending()] == []  # the conversation is gone too
    _asked(events, "c2", "et gammelt spørsmål", "utter_dont_know", 1)
    assert [i.text for i in review.pending()] == ["et gammelt spørsmål"]  # the mark is gone: it is new again


def test_editors_marking_one_question_at_once_get_no_error(db_url: str) -> None:
    """Eight editors take the same question off the list at the same moment: one mark, no error."""
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def editor(name: str) -> None:
        barrier.wait()
        try:
            review.mark("kan jeg ha høner i hagen", review.Action.SET_ASIDE, name)
        except BaseException as error:  # noqa: BLE001  (collected for the assertion below)
            errors.append(error)

    threads = [threading.Thread(target=editor, args=(f"redaktør{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    review.mark("Kan jeg ha  høner i hagen", review.Action.NEW_ANSWER, "ola", answer_key="hens")
    with session_scope() as session:
        marks = session.execute(sa.select(ReviewedQuestion.actor, ReviewedQuestion.action)).all()
    assert errors == []
    assert len(marks) == 1 and marks[0].action == review.Action.SET_ASIDE.value

"""bot/nlg.py: answers in the conversation's language, the most specific variation, local facts."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlg import KommuneNLG

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def _say(action: str, **slots: str | None) -> str:
    tracker = DialogueStateTracker.from_events("t", [SlotSet(k, v) for k, v in slots.items()], DOMAIN.slots)
    response = asyncio.run(KommuneNLG(domain=DOMAIN).generate(action, tracker, "rest"))
    assert response is not None
    return response["text"]


def test_an_empty_language_slot_means_the_municipalitys_written_standard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _say("utter_language_switched").startswith("Greit, jeg svarer på bokmål")
    kommune = yaml.safe_load((ROOT / "kommune.yml").read_text(encoding="utf-8"))
    kommune["malform"] = "nn"
    path = tmp_path / "kommune.yml"
    path.write_text(yaml.safe_dump(kommune, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("KOMMUNE_FILE", str(path))
    assert _say("utter_language_switched").startswith("Greitt, eg svarar på nynorsk")
    assert _say("utter_language_switched", language="en").startswith("OK, I will answer in English")


def test_the_most_specific_variation_wins() -> None:
    for _ in range(10):  # Rasa alone would pick at random among the matching variations
        polish = _say("utter_interpreter_result", ticket_outcome="created", language="pl", ticket_reference="SK-1")
        assert polish.startswith("Dziękujemy") and "SK-1" in polish
    assert _say("utter_interpreter_result", ticket_outcome="failed", language="pl").startswith("Przepraszamy")
    english = _say("utter_interpreter_result", ticket_outcome="created", language="de", ticket_reference="SK-2")
    assert english.startswith("Thank you")  # a language without its own words gets English


def test_local_facts_are_filled_in_the_answers_language() -> None:
    from bot.kommune import get_kommune

    kommune = get_kommune()
    assert kommune.placeholders("en")["apningstider"] == kommune.opening_hours.as_text("en")
    assert kommune.placeholders("nn")["apningstider"] == kommune.opening_hours.as_text("nn")
    assert kommune.placeholders("nb")["apningstider"] == kommune.opening_hours.as_text("nb")
    assert kommune.placeholders("en")["plassering"] == kommune.location_by_language["en"]
    assert kommune.placeholders("pl")["plassering"] == kommune.location_by_language["en"]
    assert kommune.placeholders("nb")["plassering"] == kommune.location_by_language["nb"]


def test_each_answer_says_which_language_it_is_in() -> None:
    for slot, expected in (("nn", "nn"), ("en", "en"), ("pl", "en"), (None, "nb")):
        tracker = DialogueStateTracker.from_events("t", [SlotSet("language", slot)], DOMAIN.slots)
        response = asyncio.run(KommuneNLG(domain=DOMAIN).generate("utter_greet", tracker, "socketio"))
        assert response is not None and response["language"] == expected, slot


def test_the_widgets_messages_carry_the_answers_language() -> None:
    """bot/channels/socketio.py: `lang` on every bot_uttered once an answer named its language."""
    from bot.channels.socketio import LanguageSocketIOOutput

    emitted: list[dict] = []

    class Server:
        async def emit(self, event: str, data: dict, room: str) -> None:
            emitted.append(data)

    out = LanguageSocketIOOutput(Server(), "bot_uttered")  # type: ignore[arg-type]
    asyncio.run(out.send_text_message("s", "Før svaret"))
    buttons = [{"title": "A", "payload": "/a"}]
    asyncio.run(out.send_response("s", {"text": "Hello.", "language": "en", "buttons": buttons}))
    assert emitted[0] == {"text": "Før svaret"}
    assert emitted[1]["lang"] == "en" and emitted[1]["text"] == "Hello."


def _answer(action: str, events: list | None = None, **kwargs: str) -> dict | None:
    tracker = DialogueStateTracker.from_events("t", events or [], DOMAIN.slots)
    return asyncio.run(KommuneNLG(domain=DOMAIN).generate(action, tracker, "rest", **kwargs))


def test_the_topic_answer_is_the_one_the_library_chose_in_the_conversations_language(db_url: str) -> None:
    from rasa.shared.core.events import UserUttered

    from bot.answers import store
    from tests.test_answers import _doc

    store.create(_doc("a1"), "kari")
    chosen = {"faq": {"response": {"intent_response_key": "faq/a1"}, "ranking": []}}
    asked = UserUttered("båtplass?", {"name": "faq", "confidence": 0.9}, parse_data={"response_selector": chosen})
    response = _answer("utter_faq", [SlotSet("language", "nn"), asked])
    assert response is not None and response["text"].startswith("Du søkjer om båtplass")
    assert response["topic_key"] == "faq/a1"

    price = _answer("utter_follow_up_price", [SlotSet("language", "en")], topic_key="faq/a1")
    assert price is not None and price["text"].startswith("See the price at") and price["topic_key"] == "faq/a1"
    # An answer without that part gets the dialogue's general follow-up response.
    deadline = _answer("utter_follow_up_deadline", topic_key="faq/a1", topic="Båtplass", topic_link="https://x.no")
    assert deadline is not None and deadline["text"].startswith("Fristene står på siden om «Båtplass»: https://x.no")


def test_right_after_an_answer_a_short_question_only_fairly_sure_of_another_is_more_of_that_answer(
    db_url: str,
) -> None:
    """«hvor mye kan jeg låne maks?» after the start loan's answer: the library read «låne» as books."""
    from rasa.shared.core.events import BotUttered, UserUttered

    from bot.answers import store
    from tests.test_answers import _doc

    store.create(_doc("a1"), "kari")
    store.create(_doc("a2"), "kari")

    def asked(text: str, confidence: float) -> UserUttered:
        ranking = [{"intent_response_key": "faq/a2", "confidence": confidence}]
        selector = {"faq": {"response": {"intent_response_key": "faq/a2"}, "ranking": ranking}}
        intent = {"name": "faq", "confidence": 1.0}
        parse = {"text": text, "intent": intent, "intent_ranking": [intent], "response_selector": selector}
        return UserUttered(text, intent, parse_data=parse)

    answered = [
        SlotSet("language", "en"),
        BotUttered("…", metadata={"utter_action": "utter_faq", "topic_key": "faq/a1"}),
    ]
    price = _answer("utter_faq", [*answered, asked("how much does it cost?", 0.45)])
    assert price is not None and price["text"].startswith("See the price at") and price["topic_key"] == "faq/a1"
    assert _answer("utter_faq", [*answered, asked("how much does it cost?", 0.9)])["topic_key"] == "faq/a2"
    # With no answer before it, the library's choice stands.
    assert (
        _answer("utter_faq", [SlotSet("language", "en"), asked("how much does it cost?", 0.45)])["topic_key"]
        == "faq/a2"
    )


def test_can_i_appeal_gets_the_answers_own_part_on_appeals(db_url: str) -> None:
    from bot.answers import store
    from tests.test_answers import _doc

    appeal = {"nb": "Fristen for å klage er seks uker.", "en": "The deadline to appeal is six weeks."}
    store.create(_doc("a1", parts={"klage": appeal}), "kari")
    response = _answer("utter_follow_up_complaint", [SlotSet("language", "en")], topic_key="faq/a1")
    assert response is not None and response["text"] == "The deadline to appeal is six weeks."


def test_an_unpublished_or_archived_answer_is_never_given(db_url: str) -> None:
    from bot.answers import live, store
    from bot.answers.selection import selection
    from bot.answers.vocabulary import AnswerStatus
    from tests.test_answers import _doc

    store.create(_doc("a1"), "kari")
    store.create(_doc("a2", status=AnswerStatus.DRAFT), "kari")
    store.create(_doc("a3"), "kari")
    store.set_status("a3", AnswerStatus.ARCHIVED, 1, "kari")
    assert sorted(live.library().snapshot().answers) == ["a1"]
    ranked = [item["intent_response_key"] for item in selection("hvordan søker jeg om båtplass")["ranking"]]
    assert ranked == ["faq/a1"]
    assert _answer("utter_faq/a1") is not None
    assert _answer("utter_faq/a2") is None and _answer("utter_faq/a3") is None

"""Topics: one per published answer of the library, labelled by its titles, with a page to point to."""

from __future__ import annotations

from bot.answers import catalogue, store
from bot.answers.render import answer_text
from bot.answers.vocabulary import AnswerStatus
from bot.kommune import get_kommune
from bot.topics import TOPICS, answer_key, label, topic_by_label, topic_key


def test_every_published_answer_is_a_topic_labelled_by_its_titles() -> None:
    docs = {doc.key: doc for doc in catalogue.read()}
    assert len(TOPICS) == len(docs)
    for key, doc in docs.items():
        topic = topic_key(key)
        assert answer_key(topic) == key
        assert label(topic, "nb") == doc.title["nb"]
        for title in doc.title.values():
            assert topic_by_label(title.upper()) == topic  # a pressed «Mente du …?» button


def test_labels_follow_the_language_and_pages_come_from_the_answer_or_kommune_yml() -> None:
    assert label("faq/early_voting", "nn") == "Førehandsrøysting"
    assert label("faq/early_voting", "pl") == "Early voting"
    assert label("human_handoff") == "Snakke med en person"
    assert label("faq/no_such_answer") == "Annet"
    assert TOPICS["faq/waste"].link() == get_kommune().links["avfall"]
    assert "skatteetaten.no" in TOPICS["faq/moving"].link()
    # The municipality's own page, not the national one its answer names first (Kartverket's free map).
    documents, own_page = TOPICS["faq/property_documents"], get_kommune().links["eiendomsdokumenter"]
    text = answer_text(documents.doc, "nb")
    assert text.index("kartverket") < text.index(own_page)
    assert documents.link() == own_page
    assert all(topic.link() for topic in TOPICS.values())
    assert "faq/no_such_answer" not in TOPICS and answer_key("human_handoff") is None


def test_a_ticket_keeps_its_topic_name_after_the_answer_is_archived(db_url: str) -> None:
    doc = next(doc for doc in catalogue.read() if doc.key == "boat_berth")
    created = store.create(doc, "kari")
    store.set_status("boat_berth", AnswerStatus.ARCHIVED, created.version, "kari")
    assert "faq/boat_berth" not in TOPICS  # never given to citizens …
    assert label("faq/boat_berth") == "Båtplass"  # … but the desk still says what the ticket was about
    assert label("faq/boat_berth", "en") == "Boat berth"

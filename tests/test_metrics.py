"""The operator's metrics and health routes (bot/operations): every metric moves when its event
happens, /metrics answers only this machine or METRICS_TOKEN, and readiness names what is wrong.

The desk's routes are tested in tests/desk/test_health_metrics.py, the Rasa server's and the
action server's live in tests/test_live_stack.py, readiness with PostgreSQL stopped in
tests/test_faults.py.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.guard import guarded
from bot.channels.rate_limit import RateLimiter
from bot.nlg import ANSWER_ACTION, KommuneNLG
from bot.operations import metrics
from bot.operations.health import migration_head, migrations_check
from tests.desk.conftest import make_ticket

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scraped(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a /metrics page by (name, sorted labels)."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


# --- the Rasa server's own counts, in-process -----------------------------------------------------


class AnsweringRasa:
    """Stands in for Rasa: answers each message in nynorsk, as the NLG marks its answers."""

    async def __call__(self, message: UserMessage) -> None:
        await message.output_channel.send_response(message.sender_id, {"text": "Svar", "language": "nn"})


def test_a_message_counts_with_its_channel_language_and_time() -> None:
    handle = guarded(AnsweringRasa(), RateLimiter(1, 60), RateLimiter(0, 60))
    before = (
        sample("servicekontor_messages_total", channel="socketio", language="nn"),
        sample("servicekontor_answer_seconds_count", channel="socketio"),
        sample("servicekontor_rate_limited_total", channel="socketio"),
    )
    for _ in range(2):  # the second is over the limit of one
        message = UserMessage("Kor lenge er de opne?", CollectingOutputChannel(), "m1", input_channel="socketio")
        asyncio.run(handle(message))
    assert sample("servicekontor_messages_total", channel="socketio", language="nn") == before[0] + 1
    assert sample("servicekontor_answer_seconds_count", channel="socketio") == before[1] + 1
    assert sample("servicekontor_rate_limited_total", channel="socketio") == before[2] + 1


@pytest.mark.parametrize(
    "action, kind",
    [
        ("utter_dont_know", "dont_know"),
        ("utter_which_topic", "which_topic"),
        ("utter_no_question", "no_question"),
        ("utter_emergency", "emergency"),
        ("utter_suicide_risk", "suicide_risk"),
        ("utter_urgent_health", "urgent_health"),
        ("utter_greet", "other"),
    ],
)
def test_each_kind_of_answer_counts(action: str, kind: str) -> None:
    tracker = DialogueStateTracker.from_events("metrics", [], DOMAIN.slots)
    before = sample("servicekontor_answers_total", kind=kind, language="nb")
    asyncio.run(KommuneNLG(domain=DOMAIN).generate(action, tracker, "rest"))
    assert sample("servicekontor_answers_total", kind=kind, language="nb") == before + 1


def test_the_topic_answer_action_is_the_one_the_metrics_count_as_topic() -> None:
    assert metrics.TOPIC_ACTION == ANSWER_ACTION
    assert metrics.answer_kind(ANSWER_ACTION) == metrics.answer_kind(f"{ANSWER_ACTION}/legevakt") == "topic"
    assert metrics.answer_kind("utter_follow_up_price") == "follow_up"
    assert metrics.answer_kind("utter_follow_up_no_topic") == "other"


def test_a_ticket_counts_once_however_often_it_is_submitted(db_url: str) -> None:
    before = sample("servicekontor_tickets_created_total", channel="socketio")
    make_ticket("once", channel="socketio")
    make_ticket("once", channel="socketio")  # the same idempotency key: the same ticket
    assert sample("servicekontor_tickets_created_total", channel="socketio") == before + 1


def test_a_database_ahead_of_the_code_is_ready_and_one_behind_is_not() -> None:
    head = migration_head()
    assert migrations_check(head).ok
    assert migrations_check("9999").ok  # a newer version migrated: the old one keeps serving
    assert not migrations_check("0001").ok and not migrations_check(None).ok

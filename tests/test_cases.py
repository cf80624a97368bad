"""The case queue on SQLite and (in CI) PostgreSQL."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from bot import cases
from bot.cases import NewTicket, Status
from bot.db import get_engine


def _new(key: str = "k1", contact: str = "912 34 567", **overrides: str) -> NewTicket:
    values = dict(
        idempotency_key=key,
        conversation_id="conv-1",
        channel="rest",
        topic="faq/waste",
        summary="Søppeldunken er ikke tømt",
        language="nb",
        contact_name="Kari Nordmann",
        contact=contact,
    )
    values.update(overrides)
    return NewTicket(**values)  # type: ignore[arg-type]


def _count(url: str, table: str = "sk_tickets") -> int:
    with get_engine(url).connect() as connection:
        return connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_create_ticket_keeps_what_the_desk_needs(db_url: str) -> None:
    ticket = cases.create_ticket(_new())
    assert re.fullmatch(r"SK-\d{4}-\d{5}", ticket.reference)
    assert ticket.status is Status.NEW
    assert (ticket.conversation_id, ticket.channel, ticket.topic, ticket.language) == (
        "conv-1",
        "rest",
        "faq/waste",
        "nb",
    )
    assert ticket.contact_phone == "+4791234567" and ticket.contact_email is None
    assert ticket.created_at is not None
    history = _count(db_url, "sk_ticket_events")
    assert history == 1


def test_id_numbers_never_reach_a_ticket(db_url: str) -> None:
    ticket = cases.create_ticket(_new(summary="fnr 01019012480, søppel", contact_name="Ola 010190 12480"))
    assert "12480" not in ticket.summary + ticket.contact_name


def test_retrying_a_submission_returns_the_same_ticket(db_url: str) -> None:
    first = cases.create_ticket(_new("same"))
    second = cases.create_ticket(_new("same"))
    assert first.reference == second.reference
    assert _count(db_url) == 1
    third = cases.create_ticket(_new("other"))
    assert third.reference != first.reference


def test_concurrent_duplicate_submits_make_one_ticket(db_url: str) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        references = set(pool.map(lambda _: cases.create_ticket(_new("race")).reference, range(16)))
    assert len(references) == 1
    assert _count(db_url) == 1


def test_status_needs_the_matching_contact(db_url: str) -> None:
    ticket = cases.create_ticket(_new(contact="kari@example.no"))
    assert cases.lookup_status(ticket.reference, "KARI@example.no") is Status.NEW
    assert cases.lookup_status(ticket.reference.lower().replace("-", " "), "kari@example.no") is Status.NEW
    wrong_pair = cases.lookup_status(ticket.reference, "ola@example.no")
    unknown = cases.lookup_status("SK-2026-99999", "kari@example.no")
    assert wrong_pair is None and unknown is None
    assert cases.lookup_status(ticket.reference, "ikke en kontakt") is None


def test_status_machine_records_every_change(db_url: str) -> None:
    ticket = cases.create_ticket(_new())
    cases.transition(ticket.reference, Status.IN_PROGRESS, actor="kari")
    cases.transition(ticket.reference, Status.RESOLVED, actor="kari", detail="Ringt tilbake")
    cases.transition(ticket.reference, Status.CLOSED, actor="kari")
    reopened = cases.transition(ticket.reference, Status.IN_PROGRESS, actor="per")
    assert reopened.status is Status.IN_PROGRESS
    assert _count(db_url, "sk_ticket_events") == 5
    cases.transition(ticket.reference, Status.CLOSED, actor="per")
    with pytest.raises(cases.StatusError):
        cases.transition(ticket.reference, Status.WAITING, actor="per")


def test_unreachable_database_raises_case_store_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(cases.CaseStoreError):
        cases.create_ticket(_new())
    with pytest.raises(cases.CaseStoreError):
        cases.lookup_status("SK-2026-00001", "91234567")

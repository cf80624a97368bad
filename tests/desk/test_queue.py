"""The case queue as the desk works it (bot.cases.queue), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot import accounts, cases
from bot.cases import queue
from bot.cases.models import utcnow
from bot.cases.queue import QueueFilter
from bot.cases.queue import mail as queue_mail
from bot.cases.states import Status, StatusError
from bot.cases.vocabulary import LOCAL_TZ
from bot.kommune import OpeningHours
from tests.desk.conftest import make_ticket

WEEKDAYS = OpeningHours.parse({d: "08:00-15:30" for d in ("mandag", "tirsdag", "onsdag", "torsdag", "fredag")})


def _kinds(reference: str) -> list[str]:
    return [e.kind for e in queue.ticket_detail(reference).events]


def test_one_working_day_skips_the_weekend() -> None:
    friday = dt.datetime(2026, 11, 20, 10, 0, tzinfo=LOCAL_TZ)
    assert queue.due_at(friday, WEEKDAYS) == dt.datetime(2026, 11, 23, 10, 0, tzinfo=LOCAL_TZ)
    tuesday = dt.datetime(2026, 11, 24, 14, 0, tzinfo=LOCAL_TZ)
    assert queue.due_at(tuesday, WEEKDAYS) == dt.datetime(2026, 11, 25, 14, 0, tzinfo=LOCAL_TZ)
    saturday = dt.datetime(2026, 11, 21, 12, 0, tzinfo=LOCAL_TZ)
    # Counted from Monday's opening: due Tuesday 08:00.
    assert queue.due_at(saturday, WEEKDAYS) == dt.datetime(2026, 11, 24, 8, 0, tzinfo=LOCAL_TZ)


def test_queue_is_open_tickets_oldest_first_with_overdue_marked(db_url: str) -> None:
    first = make_ticket("a")
    second = make_ticket("b")
    closed = make_ticket("c")
    cases.transition(closed.reference, Status.CLOSED, actor="kari")
    items = queue.list_queue(QueueFilter())
    assert [i.ticket.reference for i in items] == [first.reference, second.reference]
    assert not any(i.overdue for i in items)
    later = queue.list_queue(QueueFilter(), now=first.created_at + dt.timedelta(days=5))
    assert all(i.overdue for i in later) and later[0].age >= dt.timedelta(days=5)
    everything = queue.list_queue(QueueFilter(status="all"))
    assert {i.ticket.reference for i in everything} == {first.reference, second.reference, closed.reference}
    only_closed = queue.list_queue(QueueFilter(status="closed"), now=first.created_at + dt.timedelta(days=5))
    assert [i.ticket.reference for i in only_closed] == [closed.reference]
    assert not only_closed[0].overdue


def test_filters_and_search(db_url: str) -> None:
    waste = make_ticket("a", contact="kari@example.no")
    tax = make_ticket(
        "b",
        contact="+47 412 34 567",
        topic="faq/property_tax",
        channel="socketio",
        language="nn",
        contact_name="Ola Nordmann",
    )
    queue.claim(tax.reference, actor="ola")

    def refs(**kwargs: object) -> list[str]:
        return [i.ticket.reference for i in queue.list_queue(QueueFilter(**kwargs), viewer="ola")]  # type: ignore[arg-type]

    assert refs(topic="faq/property_tax") == [tax.reference]
    assert refs(channel="rest") == [waste.reference]
    assert refs(language="nn") == [tax.reference]
    assert refs(mine=True) == [tax.reference]
    assert refs(status="in_progress") == [tax.reference]
    assert refs(query=tax.reference.lower().replace("-", " ")) == [tax.reference]
    assert refs(query="ola nord") == [tax.reference]
    assert refs(query="412 34 567") == [tax.reference]
    assert refs(query="KARI@example.no") == [waste.reference]
    assert refs(query="100%_") == []
    assert queue.queue_facets()["topic"] == ["faq/property_tax", "faq/waste"]


def test_claim_moves_a_new_ticket_to_in_progress_and_records_it(db_url: str) -> None:
    ticket = make_ticket()
    claimed = queue.claim(ticket.reference, actor="kari")
    assert claimed.assignee == "kari" and claimed.status is Status.IN_PROGRESS
    assert _kinds(ticket.reference) == ["created", "claim", "status"]
    assert queue.claim(ticket.reference, actor="kari").assignee == "kari"  # claiming your own is a no-op
    assert _kinds(ticket.reference) == ["created", "claim", "status"]
    with pytest.raises(queue.ClaimConflict) as conflict:
        queue.claim(ticket.reference, actor="ola")
    assert conflict.value.holder == "kari"
    with pytest.raises(queue.TicketNotFound):
        queue.claim("SK-2026-99999", actor="kari")


def test_concurrent_claims_have_exactly_one_winner(db_url: str) -> None:
    ticket = make_ticket()
    actors = [f"agent{i}" for i in range(8)]
    barrier = threading.Barrier(len(actors))

    def attempt(actor: str) -> str:
        barrier.wait()
        try:
            return queue.claim(ticket.reference, actor=actor).assignee or ""
        except queue.ClaimConflict as conflict:
            return f"conflict:{conflict.holder}"

    with ThreadPoolExecutor(max_workers=len(actors)) as pool:
        results = list(pool.map(attempt, actors))
    winners = [r for r in results if not r.startswith("conflict:")]
    assert len(winners) == 1, results
    assert all(r == f"conflict:{winners[0]}" for r in results if r.startswith("conflict:"))
    detail = queue.ticket_detail(ticket.reference)
    assert detail.ticket.assignee == winners[0]
    assert [e.actor for e in detail.events if e.kind == "claim"] == winners


def test_release_and_reassign(db_url: str) -> None:
    for username in ("kari", "ola"):  # a ticket goes only to an active staff member
        accounts.create_user(username, username.title(), "et langt passord 123", url=db_url)
    ticket = make_ticket()
    queue.claim(ticket.reference, actor="kari")
    with pytest.raises(queue.QueueError):
        queue.release(ticket.reference, actor="ola")
    assert queue.release(ticket.reference, actor="kari").assignee is None
    moved = queue.reassign(ticket.reference, "ola", actor="kari")
    assert moved.assignee == "ola"
    events = queue.ticket_detail(ticket.reference).events
    assert [(e.kind, e.actor) for e in events[-2:]] == [("release", "kari"), ("assign", "kari")]
    assert events[-1].detail == "Gitt til ola."
    cases.transition(ticket.reference, Status.CLOSED, actor="ola")
    with pytest.raises(StatusError):
        queue.reassign(ticket.reference, "kari", actor="ola")
    with pytest.raises(StatusError):
        queue.claim(ticket.reference, actor="kari")


def test_a_ticket_goes_only_to_an_active_staff_member(db_url: str) -> None:
    accounts.create_user("ola", "Ola", "et langt passord 123", url=db_url)
    ticket = make_ticket()
    with pytest.raises(queue.InvalidAssignee):
        queue.reassign(ticket.reference, "ingen", actor="ola")
    accounts.update_user("ola", active=False, url=db_url)
    with pytest.raises(queue.InvalidAssignee):
        queue.reassign(ticket.reference, "ola", actor="ola")
    assert queue.ticket_detail(ticket.reference).ticket.assignee is None


def test_notes_are_events_and_empty_text_is_refused(db_url: str) -> None:
    ticket = make_ticket()
    queue.add_note(ticket.reference, "Ringte, ingen svar. Fnr 01019012480", actor="kari")
    note = queue.ticket_detail(ticket.reference).events[-1]
    assert (note.kind, note.actor) == ("note", "kari")
    assert "12480" not in note.detail  # ID numbers are masked here too
    fullwidth = "".join(chr(0xFF10 + int(d)) for d in "01019012480")
    queue.add_note(ticket.reference, f"Fnr {fullwidth}, og med nullbredde 0101\u200b9012480", actor="kari")
    note = queue.ticket_detail(ticket.reference).events[-1]
    assert note.detail == "Fnr [fødselsnummer fjernet], og med nullbredde [fødselsnummer fjernet]"
    with pytest.raises(queue.QueueError):
        queue.add_note(ticket.reference, "   ", actor="kari")
    with pytest.raises(queue.QueueError):
        queue.add_note(ticket.reference, "x" * 4001, actor="kari")


def test_a_reply_to_a_phone_number_is_a_call_back(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ticket = make_ticket(contact="912 34 567")
    result = queue.reply(ticket.reference, "Vi henter dunken i morgen.", actor="kari", new_status=Status.RESOLVED)
    assert result.outbox_id is None and result.call_back == "91 23 45 67"
    assert result.ticket.status is Status.RESOLVED
    # A new ticket is in progress once answered; then the status the reply asked for.
    assert _kinds(ticket.reference) == ["created", "status", "reply", "status"]
    assert cases.lookup_status(ticket.reference, "91234567") is Status.RESOLVED
    assert queue.list_outbox() == []


def test_a_reply_to_an_e_mail_waits_in_the_outbox_without_smtp(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMTP_HOST", raising=False)
    ticket = make_ticket(contact="kari@example.no")
    result = queue.reply(ticket.reference, "Hei! Dunken tømmes i morgen.", actor="kari", new_status=Status.WAITING)
    assert result.outbox_id is not None and result.call_back is None
    assert queue.deliver_outbox() == 0
    [message] = queue.list_outbox()
    assert message.to_address == "kari@example.no" and message.sent_at is None
    assert ticket.reference in message.subject and "Hei! Dunken tømmes i morgen." in message.body
    assert cases.lookup_status(ticket.reference, "kari@example.no") is Status.WAITING


class FakeSMTP:
    sent: list = []
    fail = False

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port = host, port

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *args: object) -> None:
        pass

    def starttls(self, context: ssl.SSLContext) -> None:
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname

    def login(self, user: str, password: str) -> None:
        pass

    def send_message(self, message: object) -> None:
        if FakeSMTP.fail:
            raise smtplib.SMTPRecipientsRefused({})
        FakeSMTP.sent.append(message)


def test_replies_are_sent_by_smtp_when_configured(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTP_HOST", "smtp.example.invalid")
    monkeypatch.setattr(queue_mail.smtplib, "SMTP", FakeSMTP)
    FakeSMTP.sent, FakeSMTP.fail = [], True
    ticket = make_ticket(contact="kari@example.no")
    result = queue.reply(ticket.reference, "Svar <b>her</b>", actor="kari")
    assert queue.deliver_outbox(only=[result.outbox_id]) == 0
    [waiting] = queue.list_outbox()
    assert waiting.attempts == 1 and waiting.last_error
    FakeSMTP.fail = False
    assert queue.deliver_outbox() == 0  # the next try waits a minute (tests/desk/test_outbox_retry.py)
    assert queue.deliver_outbox(now=utcnow() + dt.timedelta(minutes=1)) == 1
    assert queue.list_outbox() == []
    [mail] = FakeSMTP.sent
    assert mail["To"] == "kari@example.no" and ticket.reference in mail["Subject"]
    assert "Svar <b>her</b>" in mail.get_content()
    assert _kinds(ticket.reference)[-1] == "email_sent"


def test_closed_tickets_take_no_reply_until_reopened(db_url: str) -> None:
    ticket = make_ticket()
    queue.change_status(ticket.reference, Status.CLOSED, actor="kari", detail="Ferdig")
    with pytest.raises(StatusError):
        queue.reply(ticket.reference, "Hei", actor="kari")
    with pytest.raises(StatusError):
        queue.change_status(ticket.reference, Status.WAITING, actor="kari")
    reopened = queue.change_status(ticket.reference, Status.IN_PROGRESS, actor="kari", detail="Innbygger ringte")
    assert reopened.status is Status.IN_PROGRESS
    statuses = [
        (e.from_status, e.to_status, e.actor)
        for e in queue.ticket_detail(ticket.reference).events
        if e.kind == "status"
    ]
    assert statuses == [("new", "closed", "kari"), ("closed", "in_progress", "kari")]
    with pytest.raises(queue.TicketNotFound):
        queue.change_status("SK-2026-99999", Status.CLOSED, actor="kari")


@pytest.mark.parametrize(
    ("language", "subject_starts", "footer"),
    [
        ("nb", "Svar fra", "Du kan spørre chatten vår om status på saken."),
        ("nn", "Svar frå", "Du kan spørje chatten vår om status på saka."),
        ("en", "Reply from", "You can ask our chat about the status of your case."),
    ],
)
def test_the_reply_mail_is_in_the_tickets_language(language: str, subject_starts: str, footer: str) -> None:
    from bot.cases.models import Ticket
    from bot.kommune import get_kommune

    kommune = get_kommune()
    subject, body = queue.reply_mail(Ticket(reference="SK-2026-00042", language=language), "Svaret.")
    assert subject.startswith(subject_starts) and subject.endswith("SK-2026-00042")
    assert body.startswith("Svaret.\n\n") and footer in body
    assert kommune.phone in body and kommune.email in body and kommune.office_name in subject


def test_a_reply_mail_in_another_language_uses_the_municipalitys_written_form() -> None:
    from bot.cases.models import Ticket
    from bot.kommune import get_kommune

    polish, _ = queue.reply_mail(Ticket(reference="SK-2026-00042", language="pl"), "Svaret.")
    own, _ = queue.reply_mail(Ticket(reference="SK-2026-00042", language=get_kommune().default_language), "Svaret.")
    assert polish == own

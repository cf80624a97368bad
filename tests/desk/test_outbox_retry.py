"""The outbox sends a failed reply again after a growing wait, gives up after OUTBOX_MAX_ATTEMPTS
tries and shows that on the ticket; «Send på nytt» tries once more (issue 16).

A plain SMTP server in a thread refuses the first deliveries with «451» as a busy mail server
does. Time is passed in (`now`): nothing here waits for the clock.
"""

from __future__ import annotations

import datetime as dt
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest
import sqlalchemy as sa

from bot.cases import queue
from bot.cases.models import OutboxMessage, as_utc, utcnow
from bot.cases.queue import mail
from bot.db import session_scope
from bot.settings import Settings
from tests.desk.conftest import Desk, make_ticket
from tests.test_metrics import scraped


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough plain SMTP for smtplib: EHLO, MAIL, RCPT, DATA, QUIT; refuses while told to."""

    def handle(self) -> None:
        server: _SMTPServer = self.server  # type: ignore[assignment]

        def say(line: str) -> None:
            self.wfile.write(line.encode() + b"\r\n")
            self.wfile.flush()

        say("220 smtp.test ESMTP")
        data: list[bytes] | None = None
        while line := self.rfile.readline():
            if data is not None:
                if line in (b".\r\n", b".\n"):
                    if server.refuse > 0:
                        server.refuse -= 1
                        say("451 4.3.0 Try again later")
                    else:
                        server.received.append(b"".join(data).decode())
                        say("250 queued")
                    data = None
                else:
                    data.append(line)
                continue
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                say("250 smtp.test")
            elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                say("250 ok")
            elif command == "DATA":
                data = []
                say("354 go ahead")
            elif command == "QUIT":
                say("221 bye")
                return
            else:
                say("502 not implemented")


class _SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, refuse: int) -> None:
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.refuse = refuse
        self.received: list[str] = []


@pytest.fixture
def smtp() -> Iterator[_SMTPServer]:
    server = _SMTPServer(refuse=2)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _settings(server: _SMTPServer, attempts: int = 6) -> Settings:
    return replace(
        Settings.from_env(),
        smtp_host="127.0.0.1",
        smtp_port=server.server_address[1],
        smtp_starttls=False,
        outbox_max_attempts=attempts,
    )


def _waiting_reply(key: str) -> tuple[str, int]:
    ticket = make_ticket(key, contact="kari@example.no")
    result = queue.reply(ticket.reference, "Vi har bestilt en ny dunk til deg.", actor="kari")
    return ticket.reference, result.outbox_id


def _message(message_id: int) -> OutboxMessage:
    with session_scope() as session:
        message = session.get(OutboxMessage, message_id)
    # SQLite hands back naive datetimes (stored in UTC).
    message.next_attempt_at, message.failed_at = as_utc(message.next_attempt_at), as_utc(message.failed_at)
    return message


def test_a_refused_reply_is_sent_again_after_a_growing_wait(db_url: str, smtp: _SMTPServer) -> None:
    reference, message_id = _waiting_reply("retry")
    settings, start = _settings(smtp), utcnow()

    assert mail.deliver_outbox(settings=settings, now=start) == 0
    first = _message(message_id)
    assert first.attempts == 1 and "451" in first.last_error and first.failed_at is None
    first_wait = first.next_attempt_at - start
    assert first_wait == dt.timedelta(minutes=1)

    # Not due yet: nothing is tried.
    assert mail.deliver_outbox(settings=settings, now=start + first_wait / 2) == 0
    assert _message(message_id).attempts == 1

    second_try = start + first_wait
    assert mail.deliver_outbox(settings=settings, now=second_try) == 0
    second = _message(message_id)
    assert second.attempts == 2 and second.next_attempt_at - second_try > first_wait

    assert mail.deliver_outbox(settings=settings, now=second.next_attempt_at) == 1
    sent = _message(message_id)
    assert sent.sent_at is not None and sent.attempts == 3 and sent.last_error is None
    assert len(smtp.received) == 1 and "Vi har bestilt en ny dunk" in smtp.received[0]
    kinds = [event.kind for event in queue.ticket_detail(reference).events]
    assert kinds.count("email_sent") == 1 and "email_failed" not in kinds


def test_two_senders_at_the_same_moment_send_a_reply_once(db_url: str, smtp: _SMTPServer) -> None:
    _, message_id = _waiting_reply("race")
    smtp.refuse = 0
    now = utcnow()
    assert mail._claim(message_id, now, None)  # another desk process took it a moment ago
    assert mail.deliver_outbox(settings=_settings(smtp), now=now) == 0
    assert smtp.received == [] and _message(message_id).attempts == 0


async def test_after_the_last_try_the_ticket_shows_it_and_staff_can_send_again(
    desk: Desk, db_url: str, smtp: _SMTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference, message_id = _waiting_reply("given-up")
    settings, now = _settings(smtp, attempts=2), utcnow()
    assert mail.deliver_outbox(settings=settings, now=now) == 0
    assert mail.deliver_outbox(settings=settings, now=now + dt.timedelta(minutes=1)) == 0
    failed = _message(message_id)
    assert failed.failed_at is not None and failed.attempts == 2 and failed.next_attempt_at is None
    # Given up: no later round picks it again.
    assert mail.deliver_outbox(settings=settings, now=now + dt.timedelta(days=1)) == 0
    assert _message(message_id).attempts == 2
    events = queue.ticket_detail(reference).events
    assert events[-1].kind == "email_failed" and "kom ikke fram etter 2 forsøk" in events[-1].detail

    figures = scraped((await desk.api(None, "GET", "/metrics")).text)
    assert figures[("servicekontor_outbox_failed", ())] == 1 and figures[("servicekontor_outbox_waiting", ())] == 0

    staff = await desk.login("kari")
    page = (await staff.get(f"/sak/{reference}")).text
    assert "Svaret på e-post kom ikke fram" in page and "Ring innbyggeren" in page
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(smtp.server_address[1]))
    monkeypatch.setenv("SMTP_STARTTLS", "false")
    monkeypatch.setenv("OUTBOX_MAX_ATTEMPTS", "2")
    outbox = (await staff.get("/utboks")).text
    assert "Kom ikke fram." in outbox and f"/utboks/{message_id}/send-igjen" in outbox

    smtp.refuse = 1  # still down: staff are told so, plainly
    answer = await staff.post(f"/utboks/{message_id}/send-igjen")
    assert answer.status == 200 and "kom ikke fram denne gangen heller" in answer.text
    assert _message(message_id).failed_at is not None

    answer = await staff.post(f"/utboks/{message_id}/send-igjen")
    assert answer.status == 303 and "sent_again" in answer.location
    assert _message(message_id).sent_at is not None and len(smtp.received) == 1
    page = (await staff.get(f"/sak/{reference}")).text
    assert "Svaret på e-post kom ikke fram" not in page


def test_the_waits_grow_and_stop_growing_at_an_hour() -> None:
    waits = [mail.retry_wait(attempt) for attempt in range(1, 10)]
    assert waits[:5] == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8, 16)]
    assert max(waits) == dt.timedelta(hours=1) and waits == sorted(waits)


def test_without_smtp_nothing_is_tried(db_url: str) -> None:
    _, message_id = _waiting_reply("no-smtp")
    with session_scope() as session:
        assert session.execute(sa.select(sa.func.count()).select_from(OutboxMessage)).scalar() == 1
    assert mail.deliver_outbox(settings=Settings.from_env()) == 0 and _message(message_id).attempts == 0

"""The reply e-mail to a citizen (a template per language: bokmål, nynorsk, English) and
sending the outbox by SMTP, with tries again after a growing wait (`deliver_outbox`)."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from email.message import EmailMessage

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.cases.models import OutboxMessage, Ticket, utcnow
from bot.cases.service import record_event
from bot.cases.vocabulary import SYSTEM_ACTOR, EventKind
from bot.db import session_scope
from bot.kommune import get_kommune
from bot.settings import Settings, get_settings
from bot.waits import growing_wait

logger = logging.getLogger(__name__)
RETRY_CAP = dt.timedelta(hours=1)
# How long one try holds a message: far longer than an SMTP timeout (20 s), so nobody else sends it.
CLAIM_FOR = dt.timedelta(minutes=5)

# The reply e-mail, in the ticket's language: (subject, the lines after the reply). A ticket in
# another language (an interpreter was offered) gets the municipality's own written form.
_TEMPLATES = {
    "nb": (
        "Svar fra {office} i {kommune} – sak {reference}",
        "Saksnummer: {reference}\n"
        "Du kan spørre chatten vår om status på saken. Oppgi saksnummeret og denne e-postadressen.\n\n"
        "Hilsen {office}, {kommune}\n"
        "Telefon {phone} · {email}\n",
    ),
    "nn": (
        "Svar frå {office} i {kommune} – sak {reference}",
        "Saksnummer: {reference}\n"
        "Du kan spørje chatten vår om status på saka. Oppgi saksnummeret og denne e-postadressa.\n\n"
        "Helsing {office}, {kommune}\n"
        "Telefon {phone} · {email}\n",
    ),
    "en": (
        "Reply from {office}, {kommune} – case {reference}",
        "Case number: {reference}\n"
        "You can ask our chat about the status of your case. Give the case number and this e-mail address.\n\n"
        "Kind regards, {office}, {kommune}\n"
        "Phone {phone} · {email}\n",
    ),
}


def reply_mail(ticket: Ticket, text: str) -> tuple[str, str]:
    """Subject and body of the e-mail that carries a staff member's reply to the citizen."""
    kommune = get_kommune()
    language = ticket.language if ticket.language in _TEMPLATES else kommune.default_language
    subject, footer = _TEMPLATES[language]
    facts = {
        "office": kommune.office_name,
        "kommune": kommune.name,
        "reference": ticket.reference,
        "phone": kommune.phone,
        "email": kommune.email,
    }
    return subject.format(**facts), f"{text}\n\n" + footer.format(**facts)


def tls_context(settings: Settings) -> ssl.SSLContext:
    """A TLS context that verifies the SMTP server's certificate and host name.

    Without one, smtplib accepts any certificate, and whoever can redirect SMTP_HOST reads the
    SMTP password and every reply. SMTP_CA_FILE names the CA(s) to trust instead of the system's.
    """
    return ssl.create_default_context(cafile=settings.smtp_ca_file)


def _send(settings: Settings, message: OutboxMessage) -> None:
    mail = EmailMessage()
    kommune = get_kommune()
    mail["From"] = settings.smtp_from or kommune.email
    mail["To"] = message.to_address
    mail["Subject"] = message.subject
    mail["Reply-To"] = kommune.email
    mail.set_content(message.body)
    context = tls_context(settings)
    if settings.smtp_port == 465:
        connection = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=20, context=context)
    else:
        connection = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20)
    with connection as smtp:
        if settings.smtp_starttls and not isinstance(smtp, smtplib.SMTP_SSL):
            smtp.starttls(context=context)
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(mail)


def retry_wait(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed try: 1, 2, 4 … minutes, at most an hour."""
    return growing_wait(attempts, 1, RETRY_CAP)


def _due(now: dt.datetime) -> sa.ColumnElement:
    return sa.and_(
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.failed_at.is_(None),
        sa.or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
    )


def _claim(message_id: int, now: dt.datetime, url: str | None) -> bool:
    """Take the message for one try; another desk process that tries the same moment gets False."""
    with session_scope(url) as session:
        claimed = session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == message_id, _due(now))
            .values(next_attempt_at=now + CLAIM_FOR)
            .execution_options(synchronize_session=False)
        )
        return claimed.rowcount == 1


def deliver_outbox(
    *,
    settings: Settings | None = None,
    only: list[int] | None = None,
    url: str | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Send the e-mails that are due by SMTP when SMTP_HOST is set; returns how many were sent.

    A failed try is kept on the message (attempts, last error) and the message waits 1, 2, 4 …
    minutes for the next one (`next_attempt_at`); after OUTBOX_MAX_ATTEMPTS tries it is marked
    failed, with an event on the ticket, and only a staff member's «Send på nytt» tries again.
    Each message is claimed first, so two desk processes never send the same one twice.
    """
    settings = settings or get_settings()
    if not settings.smtp_host:
        return 0
    now = now or utcnow()
    statement = sa.select(OutboxMessage.id).where(_due(now)).order_by(OutboxMessage.id)
    if only is not None:
        statement = statement.where(OutboxMessage.id.in_(only))
    with session_scope(url) as session:
        ids = list(session.execute(statement).scalars())
    sent = 0
    for message_id in ids:
        if not _claim(message_id, now, url):
            continue
        with session_scope(url) as session:
            message = session.get(OutboxMessage, message_id)
            if message is None:
                continue
            message.attempts = (message.attempts or 0) + 1
            try:
                _send(settings, message)
            except (OSError, smtplib.SMTPException) as error:
                _failed(session, message, str(error)[:500] or error.__class__.__name__, now, settings)
                continue
            message.sent_at = utcnow()
            message.last_error = None
            message.next_attempt_at = None
            ticket = session.get(Ticket, message.ticket_id)
            detail = f"E-post sendt til {message.to_address}."
            record_event(session, ticket, EventKind.EMAIL_SENT, actor=SYSTEM_ACTOR, detail=detail)
            sent += 1
    return sent


def _failed(session: Session, message: OutboxMessage, error: str, now: dt.datetime, settings: Settings) -> None:
    message.last_error = error
    if message.attempts < settings.outbox_max_attempts:
        message.next_attempt_at = now + retry_wait(message.attempts)
        logger.warning("Outbox message %s not sent (try %s): %s", message.id, message.attempts, error)
        return
    message.failed_at, message.next_attempt_at = now, None
    logger.error("Outbox message %s given up after %s tries: %s", message.id, message.attempts, error)
    detail = (
        f"E-posten til {message.to_address} kom ikke fram etter {message.attempts} forsøk. "
        "Ring innbyggeren, eller send den på nytt fra utboksen."
    )
    ticket = session.get(Ticket, message.ticket_id)
    record_event(session, ticket, EventKind.EMAIL_FAILED, actor=SYSTEM_ACTOR, detail=detail)


def send_again(message_id: int, *, settings: Settings | None = None, url: str | None = None) -> bool:
    """A staff member's «Send på nytt»: one more try now, also for a message given up on.

    Returns whether it was sent; a failure marks it failed again at once.
    """
    with session_scope(url) as session:
        message = session.get(OutboxMessage, message_id)
        if message is None or message.sent_at is not None:
            return message is not None
        message.failed_at, message.next_attempt_at = None, None
    return deliver_outbox(settings=settings, only=[message_id], url=url) > 0

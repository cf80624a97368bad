"""Norwegian (bokmål) words and formats for what staff read in the desk: statuses, channels,
languages, history events, ages and times."""

from __future__ import annotations

import datetime as dt

from bot.cases.models import as_utc
from bot.cases.states import ALLOWED, Status
from bot.cases.vocabulary import BOT_ACTOR, LOCAL_TZ, SYSTEM_ACTOR, Channel, EventKind
from bot.languages import language_name, needs_interpreter
from bot.topics import label as topic_label

STATUS_LABELS = {
    Status.NEW.value: "Ny",
    Status.IN_PROGRESS.value: "Under arbeid",
    Status.WAITING.value: "Venter på innbygger",
    Status.RESOLVED.value: "Løst",
    Status.CLOSED.value: "Lukket",
}
CHANNEL_LABELS = {
    Channel.REST.value: "REST",
    Channel.WIDGET.value: "Nettsidechat",
    Channel.MESSENGER.value: "Messenger",
    Channel.UNKNOWN.value: "Ukjent",
}
LANGUAGE_LABELS = {"nb": "Bokmål", "nn": "Nynorsk", "en": "Engelsk"}
EVENT_LABELS = {
    EventKind.CREATED.value: "Opprettet",
    EventKind.STATUS.value: "Status endret",
    EventKind.CLAIM.value: "Tatt",
    EventKind.RELEASE.value: "Lagt tilbake i køen",
    EventKind.ASSIGN.value: "Gitt videre",
    EventKind.NOTE.value: "Internt notat",
    EventKind.REPLY.value: "Svar til innbygger",
    EventKind.EMAIL_SENT.value: "E-post sendt",
    EventKind.EMAIL_FAILED.value: "E-post kom ikke fram",
    EventKind.LIVE_CHAT.value: "Direktechat",
    EventKind.ANONYMISED.value: "Anonymisert",
}
ACTOR_LABELS = {BOT_ACTOR: "Chatboten", SYSTEM_ACTOR: "Systemet"}


def status_label(value: str | Status) -> str:
    value = value.value if isinstance(value, Status) else value
    return STATUS_LABELS.get(value, value)


def status_actions(current: Status) -> list[tuple[str, str]]:
    """The statuses a ticket can move to from `current`, with what the button says."""
    order = [Status.NEW, Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED, Status.CLOSED]
    actions = []
    for status in order:
        if status not in ALLOWED[current]:
            continue
        if status is Status.IN_PROGRESS and current in (Status.RESOLVED, Status.CLOSED):
            text = "Gjenåpne"
        else:
            text = STATUS_LABELS[status.value]
        actions.append((status.value, text))
    return actions


LIVE_END_LABELS = {
    "handed_back": "gitt tilbake til chatboten",
    "closed": "avsluttet av medarbeideren",
    "no_answer": "ingen svarte i tide",
    "staff_gone": "medarbeideren forlot chatten",
}


def live_end_label(value: str | None) -> str:
    return LIVE_END_LABELS.get(value or "", "avsluttet")


def channel_label(value: str) -> str:
    return CHANNEL_LABELS.get(value, value)


def language_label(value: str) -> str:
    """«Bokmål», or «Trenger tolk: polsk» for a language the chat does not answer in."""
    if needs_interpreter(value):
        return f"Trenger tolk: {language_name(value)}"
    return LANGUAGE_LABELS.get(value, value)


def event_label(kind: str) -> str:
    return EVENT_LABELS.get(kind, kind)


def actor_label(actor: str) -> str:
    return ACTOR_LABELS.get(actor, actor)


def format_age(age: dt.timedelta) -> str:
    minutes = max(0, int(age.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} t {minutes} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} t"


def format_duration(value: dt.timedelta | None) -> str:
    return "–" if value is None else format_age(value)


def format_time(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return as_utc(value).astimezone(LOCAL_TZ).strftime("%d.%m.%Y kl. %H.%M")


def format_iso(value: dt.datetime | None) -> str:
    return "" if value is None else as_utc(value).astimezone(LOCAL_TZ).isoformat(timespec="minutes")


FILTERS = {
    "status_label": status_label,
    "channel_label": channel_label,
    "live_end_label": live_end_label,
    "language_label": language_label,
    "event_label": event_label,
    "actor_label": actor_label,
    "topic_label": topic_label,
    "age": format_age,
    "duration": format_duration,
    "time": format_time,
    "iso": format_iso,
}

"""Small helpers between requests and templates: reading queue filters from the query string,
and the geometry of the statistics chart (an SVG the server draws; no JavaScript)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.cases.queue import QueueFilter
from bot.cases.states import Status
from bot.cases.stats import Bucket

_STATUSES = {"open", "all", *(s.value for s in Status)}


def filters_from_args(args: Any) -> QueueFilter:
    """Query string → filter. Names are the Norwegian ones in the form (tema, kanal, sprak, mine, q)."""

    def arg(name: str) -> str | None:
        value = (args.get(name) or "").strip()
        return value[:200] or None

    status = arg("status") or "open"
    return QueueFilter(
        status=status if status in _STATUSES else "open",
        topic=arg("tema"),
        channel=arg("kanal"),
        language=arg("sprak"),
        mine=arg("mine") == "1",
        query=arg("q"),
    )


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    conversations_y: float
    conversations_h: float
    tickets_y: float
    tickets_h: float
    label: str
    conversations: int
    tickets: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    top: int
    max_value: int
    bars: list[Bar]


def chart(buckets: list[Bucket], width: int = 640, height: int = 220) -> Chart:
    """Paired bars per day/week: conversations and tickets, on one scale."""
    top, bottom = 10, 30
    plot = height - top - bottom
    max_value = max([1, *(b.conversations for b in buckets), *(b.tickets for b in buckets)])
    slot = width / max(1, len(buckets))
    bar = max(2.0, slot * 0.35)
    bars = []
    for i, bucket in enumerate(buckets):
        c_h = plot * bucket.conversations / max_value
        t_h = plot * bucket.tickets / max_value
        x = i * slot + slot * 0.1
        bars.append(
            Bar(
                x=round(x, 1),
                width=round(bar, 1),
                conversations_y=round(top + plot - c_h, 1),
                conversations_h=round(c_h, 1),
                tickets_y=round(top + plot - t_h, 1),
                tickets_h=round(t_h, 1),
                label=bucket.label,
                conversations=bucket.conversations,
                tickets=bucket.tickets,
            )
        )
    return Chart(width, height, top, max_value, bars)

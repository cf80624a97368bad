"""The case queue: tickets, their status machine and history. The only code that writes tickets.

Both the Rasa actions and the staff desk call the functions exported here.
"""

from bot.cases.contact import ContactError, contact_name, find_contact, normalize_contact
from bot.cases.reference import format_reference, parse_reference
from bot.cases.service import (
    CaseStoreError,
    NewTicket,
    TicketView,
    create_ticket,
    get_ticket,
    lookup_status,
    transition,
)
from bot.cases.states import Status, StatusError
from bot.cases.status_lookups import Lookup, checked_lookup

__all__ = [
    "CaseStoreError",
    "ContactError",
    "Lookup",
    "NewTicket",
    "Status",
    "StatusError",
    "TicketView",
    "checked_lookup",
    "contact_name",
    "create_ticket",
    "format_reference",
    "get_ticket",
    "lookup_status",
    "find_contact",
    "normalize_contact",
    "parse_reference",
    "transition",
]

"""Property-based tests (hypothesis): arbitrary input at the channels and the form validators.

- the guard: whatever text arrives, it never raises; Rasa sees only clean text (no control
  characters, no lone surrogates, NFC, at most MAX_MESSAGE_CHARS, something visible) with no
  ID number in any digits; otherwise the citizen gets exactly one notice;
- the REST channel, over HTTP: arbitrary bytes and arbitrary JSON give 200 with answers or a
  4xx with a JSON error, never a 500; `parse_body` raises nothing but `BadRequest`;
- the Socket.IO payload check and the form validators in actions/: arbitrary values never
  raise; a validator returns either a normalised valid value or None with its *_invalid flag
  set, for which domain.yml has a polite re-ask.

Runs are repeatable (`derandomize=True`) and modest in size; no deadlines.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import unicodedata
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sanic import Sanic
from stdnum.no import fodselsnummer

from actions.actions import ValidateInterpreterForm, ValidateStatusForm, ValidateTicketForm
from bot import cases, pii
from bot.channels.guard import guarded, notice
from bot.channels.rate_limit import RateLimiter
from bot.channels.rest import BadRequest, GuardedRestInput, RestMessage, parse_body
from bot.channels.socketio import clean_message_payload
from bot.pii import MASK, mask_id_numbers
from bot.sanitize import MAX_SENDER_CHARS, clean_text
from bot.settings import get_settings
from tests.live import serve_in_loop

Sanic.test_mode = True
ROOT = Path(__file__).resolve().parent.parent
SETTINGS = settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow], database=None
)
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
DIGIT_SCRIPTS = [0x30, 0xFF10, 0x0660, 0x06F0, 0x0966]  # ASCII, fullwidth, Arabic-Indic, Persian, Devanagari

# --- strategies ---------------------------------------------------------------------------------

# Every code point, lone surrogates and control characters included.
any_char = st.characters(exclude_categories=())
nasty_char = st.sampled_from(list("\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\x9b\r\n\t\u2028\u202e\u2066\ufeff\ud83d\udc4d"))
text_part = st.text(st.one_of(any_char, nasty_char, st.sampled_from(list("aøå 0123.-<>'\";"))), max_size=60)


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    """A valid fødselsnummer or D-nummer, split by spaces, dots or dashes, in some script's digits."""
    day = draw(st.integers(1, 28)) + draw(st.sampled_from([0, 40]))  # D-nummer adds 40
    month = draw(st.integers(1, 12))
    year = draw(st.integers(0, 99))
    individual = draw(st.integers(0, 999))
    first = f"{day:02d}{month:02d}{year:02d}{individual:03d}"
    check1 = fodselsnummer.calc_check_digit1(first)
    check2 = fodselsnummer.calc_check_digit2(first + check1)
    number = first + check1 + check2
    if not fodselsnummer.is_valid(number):  # check digit 10: no such number
        number = "01019012480"
    zero = draw(st.sampled_from(DIGIT_SCRIPTS))
    separators = draw(st.lists(st.sampled_from(["", "", "", " ", ".", "-"]), min_size=10, max_size=10))
    digits = [chr(zero + int(d)) for d in number]
    return digits[0] + "".join(sep + digit for sep, digit in zip(separators, digits[1:], strict=True))


citizen_text = st.one_of(
    st.text(any_char, max_size=300),
    st.builds(lambda a, n, b: f"{a} {n} {b}", text_part, id_numbers(), text_part),
    st.builds(lambda a, n: a * n, text_part, st.integers(0, 200)),  # long, repetitive
    st.text(nasty_char, max_size=20),
)
json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(any_char))
json_value = st.recursive(
    json_scalar,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
rest_object = st.fixed_dictionaries(
    {},
    optional={
        "sender": st.one_of(json_value, st.text(any_char, max_size=10), st.text(min_size=1, max_size=20)),
        "message": st.one_of(json_value, citizen_text),
        "metadata": json_value,
        "input_channel": json_value,
    },
)


def _fold_digits(text: str) -> str:
    return re.sub(r"\d", lambda m: str(unicodedata.digit(m.group())), text)


def _has_id_number(text: str) -> bool:
    return mask_id_numbers(_fold_digits(text))[1]


def _assert_clean_for_rasa(text: str) -> None:
    assert not FORBIDDEN.search(text), repr(text)
    assert unicodedata.is_normalized("NFC", text)
    assert text and text == text.strip()
    assert len(text.replace(MASK, "")) <= get_settings().max_message_chars  # a mask is longer than a number
    assert not _has_id_number(text), repr(text)


class Recorder:
    def __init__(self) -> None:
        self.texts: list[str] = []

    async def __call__(self, message: UserMessage) -> None:
        self.texts.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": "svar"})


# --- the guard ----------------------------------------------------------------------------------


def test_the_id_number_strategy_needs_the_masking() -> None:
    """The guard property below can fail: these numbers are found only after normalising (a
    masker that matched the raw text would let them through)."""
    arabic_indic = "٠١٠١٩٠١٢٤٨٠"
    assert _has_id_number(arabic_indic) and not pii._mask(arabic_indic)[1]
    assert mask_id_numbers(arabic_indic)[1]


@SETTINGS
@given(text=citizen_text)
@example(text="\x00")
@example(text="fnr ０１０１９０ １２４８０ takk")
@example(text="a" * 2001)
@example(text="\ud83d" + "b" * 1999 + "\x00\x00")
def test_the_guard_never_raises_and_rasa_sees_only_clean_text(text: str) -> None:
    rasa = Recorder()
    out = CollectingOutputChannel()
    asyncio.run(guarded(rasa, RateLimiter(0, 0))(UserMessage(text, out, "innbygger", input_channel="rest")))
    told = [m["text"] for m in out.messages]
    assert all(isinstance(t, str) and t for t in told)
    if rasa.texts:
        [seen] = rasa.texts
        _assert_clean_for_rasa(seen)
        assert told[-1] == "svar"
    else:
        assert len(told) == 1 and told[0] in {
            notice("empty_message"),
            *(
                notice("too_long", language, max_chars=get_settings().max_message_chars)
                for language in ("nb", "nn", "en")
            ),
        }


@SETTINGS
@given(text=st.text(any_char, max_size=200))
def test_cleaning_is_idempotent_and_leaves_nothing_forbidden(text: str) -> None:
    clean = clean_text(text)
    assert clean_text(clean) == clean
    assert not FORBIDDEN.search(clean) and unicodedata.is_normalized("NFC", clean)


# --- the REST channel ---------------------------------------------------------------------------


@SETTINGS
@given(body=st.one_of(st.binary(max_size=500), rest_object.map(lambda o: json.dumps(o).encode())))
@example(body=b"[" * 20_000)
@example(body=b'{"sender": "a", "message": "\\ud800"}')
def test_parse_body_accepts_or_explains(body: bytes) -> None:
    try:
        message = parse_body(body)
    except BadRequest as error:
        assert error.status in (400, 413) and error.message and error.message[0].isupper()
        return
    assert isinstance(message, RestMessage) and isinstance(message.text, str)
    assert 0 < len(message.sender) <= MAX_SENDER_CHARS and message.sender.isprintable()
    assert message.metadata is None or isinstance(message.metadata, dict)


@SETTINGS
@given(sender=st.text(st.characters(categories=["L", "N", "P"]), min_size=1, max_size=40), text=citizen_text)
def test_well_formed_bodies_are_accepted_as_sent(sender: str, text: str) -> None:
    message = parse_body(json.dumps({"sender": sender, "message": text}).encode())
    assert (message.sender, message.text) == (sender.strip(), text)


@pytest.fixture(scope="module")
def rest_server() -> Iterator[tuple[str, Recorder]]:
    """The REST channel on a real HTTP server, in a thread with its own event loop."""
    rasa = Recorder()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    state: dict[str, Any] = {}

    async def start() -> None:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("RATE_LIMIT_MESSAGES", "0")  # hypothesis repeats senders
            blueprint = GuardedRestInput().blueprint(rasa)
        app = Sanic(f"rest_property_{uuid.uuid4().hex[:8]}")
        app.blueprint(blueprint, url_prefix="/webhooks/rest")
        url, server = await serve_in_loop(app)
        state.update(server=server, url=f"{url}/webhooks/rest/webhook")

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(60)

    async def stop() -> None:
        server = state["server"]
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()

    try:
        yield state["url"], rasa
    finally:
        asyncio.run_coroutine_threadsafe(stop(), loop).result(60)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(60)
        loop.close()


def _post(url: str, body: bytes) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@settings(SETTINGS, max_examples=100)
@given(body=st.one_of(st.binary(max_size=300), rest_object.map(lambda o: json.dumps(o).encode())))
@example(body=b'{"sender": "a", "message": "\\u0000\\ud83d"}')
@example(body=json.dumps({"sender": "a", "message": "fnr ٠١٠١٩٠١٢٤٨٠"}).encode())
def test_the_rest_channel_never_answers_500(rest_server: tuple[str, Recorder], body: bytes) -> None:
    url, rasa = rest_server
    rasa.texts.clear()
    status, answer = _post(url, body)
    if status == 200:
        assert isinstance(answer, list) and answer and all(isinstance(m.get("text"), str) for m in answer)
    else:
        assert status in (400, 413) and set(answer) == {"error"} and isinstance(answer["error"], str)
        assert rasa.texts == []
    for text in rasa.texts:
        _assert_clean_for_rasa(text)


# --- Socket.IO ----------------------------------------------------------------------------------


@SETTINGS
@given(args=st.lists(json_value, max_size=3), persistence=st.booleans())
def test_socketio_payloads_are_dropped_or_made_safe(args: list[Any], persistence: bool) -> None:
    data = clean_message_payload(tuple(args), persistence, "metadata")
    if data is None:
        return
    assert isinstance(data["message"], str) and isinstance(data["metadata"], dict)
    session_id = data["session_id"]
    assert (session_id is None and not persistence) or (
        isinstance(session_id, str) and session_id.isprintable() and 0 < len(session_id) <= MAX_SENDER_CHARS
    )


# --- the form validators ------------------------------------------------------------------------

TRACKER = Tracker("innbygger", {}, {"text": ""}, [], False, None, {}, "action_listen")
slot_value = st.one_of(citizen_text, json_scalar, st.lists(st.text(max_size=10), max_size=3))
# Norwegian mobile numbers (40, 41, 45-48 and 9x series) in the ways people write them.
# Mobile numbers phonenumbers knows as assigned (its pattern for NO), in the spellings citizens use.
_MOBILE = r"\A(45([0-24-9][0-9]|3[0-57-9])[0-9]{4}|(4[016-8]|9[0-9])[0-9]{6})\Z"


def _spell(digits: str, country_code: bool, spaced: bool) -> str:
    number = f"{digits[:3]} {digits[3:5]} {digits[5:]}" if spaced else digits
    return f"+47 {number}" if country_code else number


phones = st.builds(_spell, st.from_regex(_MOBILE), st.booleans(), st.booleans())
emails = st.from_regex(r"\A[a-z][a-z0-9]{0,5}([._-][a-z0-9]{1,5}){0,2}@[a-z]([a-z0-9-]{0,8}[a-z0-9])?\.(no|com|org)\Z")


def _validate(action: Any, slot: str, value: Any) -> dict[str, Any]:
    return getattr(action, f"validate_{slot}")(value, CollectingDispatcher(), TRACKER, {})


def _assert_contact(display: Any) -> None:
    assert isinstance(display, str)
    assert cases.normalize_contact(display).display == display  # already in its normal form


@SETTINGS
@given(value=slot_value)
def test_ticket_summary(value: Any) -> None:
    summary = _validate(ValidateTicketForm(), "ticket_summary", value)["ticket_summary"]
    if summary is not None:
        assert 2 <= len(summary) <= 1000 and summary == " ".join(summary.split()) and clean_text(summary) == summary


@SETTINGS
@given(value=slot_value)
@example(value="jeg heter \x00Kari\u202e Nordmann")
def test_contact_name(value: Any) -> None:
    name = _validate(ValidateTicketForm(), "contact_name", value)["contact_name"]
    if name is not None:
        assert 0 < len(name) <= 100 and name == " ".join(name.split()) and clean_text(name) == name
        assert not name.lower().startswith("jeg heter ")


@pytest.mark.parametrize(
    "action,slot,flag",
    [
        (ValidateTicketForm(), "contact_method", "contact_invalid"),
        (ValidateInterpreterForm(), "interpreter_contact", "contact_invalid"),
        (ValidateStatusForm(), "status_contact", "status_contact_invalid"),
    ],
)
@SETTINGS
@given(value=st.one_of(slot_value, phones, emails))
def test_contact_validators(action: Any, slot: str, flag: str, value: Any) -> None:
    result = _validate(action, slot, value)
    assert set(result) == {slot, flag}
    if result[flag]:
        assert result[slot] is None
    elif slot == "status_contact":
        cases.normalize_contact(result[slot])  # the contact found, to look the ticket up by
    else:
        _assert_contact(result[slot])


@pytest.mark.parametrize(
    "action,slot",
    [(ValidateTicketForm(), "contact_method"), (ValidateInterpreterForm(), "interpreter_contact")],
)
@SETTINGS
@given(value=st.one_of(phones, emails))
def test_well_formed_contacts_are_accepted(action: Any, slot: str, value: str) -> None:
    result = _validate(action, slot, value)
    assert result["contact_invalid"] is False
    _assert_contact(result[slot])


@SETTINGS
@given(value=st.one_of(slot_value, st.builds("SK-{}-{}".format, st.integers(0, 9999), st.integers(0, 999_999))))
def test_status_reference(value: Any) -> None:
    result = _validate(ValidateStatusForm(), "status_reference", value)
    reference = result["status_reference"]
    assert result["status_reference_invalid"] is (reference is None)
    if reference is not None:
        assert re.fullmatch(r"SK-\d{4}-\d{5,6}", reference) and cases.parse_reference(reference) == reference


@SETTINGS
@given(
    year=st.integers(2000, 2099),
    number=st.integers(1, 99_999),
    spelling=st.sampled_from(["SK-{}-{}", "sk {} {}", "{}-{}"]),
)
def test_typed_references_are_understood(year: int, number: int, spelling: str) -> None:
    result = _validate(ValidateStatusForm(), "status_reference", spelling.format(year, number))
    assert result == {"status_reference": f"SK-{year}-{number:05d}", "status_reference_invalid": False}


@pytest.mark.parametrize(
    "slot,flag",
    [
        ("contact_method", "contact_invalid"),
        ("interpreter_contact", "contact_invalid"),
        ("status_reference", "status_reference_invalid"),
        ("status_contact", "status_contact_invalid"),
    ],
)
def test_every_invalid_flag_has_a_polite_re_ask_in_each_language(slot: str, flag: str) -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    languages = set()
    for variant in domain["responses"][f"utter_ask_{slot}"]:
        conditions = {c["name"]: c["value"] for c in variant.get("condition") or []}
        if conditions.get(flag) is True:
            languages.add(conditions.get("language", "nb"))
            assert variant["text"].strip()
    assert {"nb", "nn", "en"} <= languages or slot == "interpreter_contact" and languages

from __future__ import annotations

import logging

import pytest

from bot.pii import MASK, SENDER_PREFIX, MaskingFilter, mask_data, mask_id_numbers, pseudonymous_sender

VALID_FNR = "01019012480"  # valid check digits, not a real person's
VALID_DNR = "41019012474"


@pytest.mark.parametrize(
    "text",
    [
        f"fødselsnummeret mitt er {VALID_FNR}",
        "010190 12480",
        "01.01.90 124 80",
        "0101-9012480",
        f"D-nummer {VALID_DNR} takk",
        f"x{VALID_FNR}y",
    ],
)
def test_id_numbers_are_masked(text: str) -> None:
    masked, found = mask_id_numbers(text)
    assert found
    assert MASK in masked
    assert "12480" not in masked and "12474" not in masked


@pytest.mark.parametrize(
    "text",
    ["ring 51 33 50 00", "kontonummer 1234.56.78903", "saken SK-2026-00042", "01019012481", "tlf 912 34 567"],
)
def test_other_numbers_are_left_alone(text: str) -> None:
    assert mask_id_numbers(text) == (text, False)


@pytest.mark.parametrize(
    "text",
    ["010190 - 12480", "010190\u00a012480", "01 01 90 – 124 80", "0 1 0 1 9 0 1 2 4 8 0", "010190-12480."],
)
def test_id_numbers_split_by_a_few_separators_are_masked(text: str) -> None:
    masked, found = mask_id_numbers(f"nummeret er {text} takk")
    assert found and "12480" not in masked.replace(" ", "").replace("\u00a0", "")
    assert masked.startswith("nummeret er ") and masked.endswith(" takk")


@pytest.mark.parametrize(
    "text",
    [
        "010190/12480",
        "010190,12480",
        "010190_12480",
        "010190\n12480",
        "010190\u200912480",  # thin space
        "010190\u202f12480",  # narrow no-break space
        "0101\u200b9012480",  # zero-width space
        "01019\u200c012480",
        "010\u200d19012480",
        "0101\u206090\u00ad12480",  # word joiner, soft hyphen
        "\uff10\uff11\uff10\uff11\uff19\uff10\uff11\uff12\uff14\uff18\uff10",  # fullwidth
    ],
)
def test_id_numbers_behind_other_separators_and_invisible_characters_are_masked(text: str) -> None:
    masked, found = mask_id_numbers(f"nummer {text} takk")
    assert found and masked == f"nummer {MASK} takk"


def test_a_text_without_an_id_number_keeps_its_own_form() -> None:
    text = "Familien 👨\u200d👩\u200d👧 bor i Storgata 1, ring ０ for hjelp"
    assert mask_id_numbers(text) == (text, False)


def test_a_sender_id_that_is_an_id_number_is_stored_as_a_keyed_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import pii

    monkeypatch.setenv("SENDER_ID_KEY", "nøkkel-a")
    pii.sender_key.cache_clear()
    first = pseudonymous_sender(VALID_FNR)
    assert first.startswith(SENDER_PREFIX) and "12480" not in first
    assert pseudonymous_sender("010190 12480") == first  # the same person, the same conversation
    assert pseudonymous_sender(VALID_DNR) not in (first, VALID_DNR)
    monkeypatch.setenv("SENDER_ID_KEY", "nøkkel-b")
    pii.sender_key.cache_clear()
    assert pseudonymous_sender(VALID_FNR) != first  # keyed: no table of birth dates reverses it
    pii.sender_key.cache_clear()
    for kept in ("1234567890123456", "kari", "01019012481", "widget-3f2a"):  # a Messenger PSID, names
        assert pseudonymous_sender(kept) == kept


def test_mask_data_masks_strings_inside_metadata() -> None:
    data = {"page": "/skjema", VALID_FNR: [f"fnr {VALID_DNR}", 3, None], "nested": {"x": "010190 12480"}}
    masked = mask_data(data)
    assert masked == {"page": "/skjema", MASK: [f"fnr {MASK}", 3, None], "nested": {"x": MASK}}
    assert mask_data(None) is None and mask_data(42) == 42


def test_log_records_are_masked_whatever_the_handler(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("tests.pii")
    with caplog.at_level(logging.INFO, logger="tests.pii"):
        logger.info("Received user message '%s' from %s", f"fnr {VALID_FNR}", "rest")
        try:
            raise ValueError(f"bad input 010190 12480 in {VALID_DNR}")
        except ValueError:
            logger.exception("Handling failed")
        logger.info("nothing personal: ring 51 33 50 00, %d%%", 5)
    text = "\n".join(caplog.text.splitlines())
    assert "12480" not in text and "12474" not in text
    assert f"Received user message 'fnr {MASK}' from rest" in text
    assert f"ValueError: bad input {MASK} in {MASK}" in text
    assert "ring 51 33 50 00, 5%" in text
    assert "Traceback" in text and "ValueError" in text


@pytest.mark.parametrize(
    "query", [VALID_FNR, "010190+12480", "010190%2012480", "010190+-+12480", "01.01.90%20124%2080"]
)
def test_the_access_log_request_line_is_masked(query: str) -> None:
    record = logging.LogRecord("sanic.access", logging.INFO, __file__, 1, "", (), None)
    record.request = f"GET http://desk/?status=all&q={query}"
    assert MaskingFilter().filter(record)
    assert record.request == f"GET http://desk/?status=all&q={MASK}"


def test_an_access_log_line_without_a_number_is_left_as_it_was() -> None:
    record = logging.LogRecord("sanic.access", logging.INFO, __file__, 1, "", (), None)
    record.request = "GET http://desk/?q=Kari+Nordmann%21"
    assert MaskingFilter().filter(record)
    assert record.request == "GET http://desk/?q=Kari+Nordmann%21"

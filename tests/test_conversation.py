from __future__ import annotations

from bot.conversation import submission_key, ticket_topic


def _user(intent: str, sub: str | None = None) -> dict:
    parse_data: dict = {"intent": {"name": intent, "confidence": 0.9}}
    if sub:
        parse_data["response_selector"] = {"faq": {"response": {"intent_response_key": sub}}}
    return {"event": "user", "parse_data": parse_data}


def test_ticket_topic_prefers_the_description_then_the_last_question() -> None:
    start = {"event": "active_loop", "name": "ticket_form"}
    described = {**_user("faq", "faq/property_tax"), "text": "Feil i eiendomsskatten"}
    name = {**_user("faq", "faq/jobs"), "text": "Kari"}
    events = [_user("faq", "faq/waste"), _user("faq", "faq/moving"), _user("human_handoff"), start, described, name]
    assert ticket_topic(events, "ticket_form", "Feil i eiendomsskatten") == "faq/property_tax"
    vague = {**_user("greet"), "text": "hjelp meg"}
    events = [_user("faq", "faq/moving"), _user("human_handoff"), start, vague, name]
    assert ticket_topic(events, "ticket_form", "hjelp meg") == "faq/moving"
    assert ticket_topic([_user("greet"), start, name], "ticket_form", None) == "annet"


def test_submission_key_is_stable_per_form_activation() -> None:
    first = [{"event": "active_loop", "name": "ticket_form", "timestamp": 1.0}]
    again = first + [{"event": "slot", "name": "x", "timestamp": 2.0}]
    second = again + [{"event": "active_loop", "name": "ticket_form", "timestamp": 3.0}]
    assert submission_key("a", first, "ticket_form") == submission_key("a", again, "ticket_form")
    assert submission_key("a", second, "ticket_form") != submission_key("a", first, "ticket_form")
    assert submission_key("b", first, "ticket_form") != submission_key("a", first, "ticket_form")


def test_a_try_after_a_failed_submit_is_the_same_submission() -> None:
    def outcome(value: str) -> dict:
        return {"event": "slot", "name": "ticket_outcome", "value": value}

    def activation(form: str, at: float) -> dict:
        return {"event": "active_loop", "name": form, "timestamp": at}

    first = [activation("ticket_form", 1.0), {"event": "active_loop", "name": None}]
    failed = first + [outcome("failed"), activation("ticket_form", 2.0)]
    failed_twice = failed + [outcome("failed"), activation("ticket_form", 3.0)]
    then_created = failed_twice + [outcome("created"), activation("ticket_form", 4.0)]
    key = submission_key("a", first, "ticket_form")
    assert submission_key("a", failed, "ticket_form") == key
    assert submission_key("a", failed_twice, "ticket_form") == key
    assert submission_key("a", then_created, "ticket_form") != key
    # Another form's failure does not tie this form's next submission to its last one.
    other = first + [outcome("created"), activation("interpreter_form", 2.0), outcome("failed")]
    assert submission_key("a", [*other, activation("ticket_form", 3.0)], "ticket_form") != key

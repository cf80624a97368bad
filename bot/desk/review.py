"""The editors' review list in the desk: questions the bot could not answer, each with one action
(add it as an example to an answer, start a new answer from it, set it aside).

Views only: the list and its rules live in `bot.answers.review`; the suggested answers come from
the bot's own ranking (`bot.answers.trial`).
"""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from bot.answers import review, store, trial
from bot.answers.document import LANGUAGE_NAMES
from bot.answers.store import AnswerError
from bot.desk.web import Route, form_value, render, routes_blueprint, run, see_other

SHOWN = 100  # items on the page; the rest come as the first are dealt with
SUGGESTED = 5  # answers offered per question, best first
MESSAGES = {
    "example": "Spørsmålet er lagt til som eksempel. Er svaret publisert, kjenner boten det igjen innen ett minutt.",
    "aside": "Spørsmålet er lagt til side.",
}


async def review_list(request: Request, status: int = 200, error: str | None = None) -> HTTPResponse:
    items = await run(review.pending)
    shown = items[:SHOWN]
    suggestions = await run(lambda: {item.digest: trial.closest(item.text, SUGGESTED) for item in shown})
    return render(
        request,
        "review.html",
        status=status,
        items=shown,
        total=len(items),
        suggestions=suggestions,
        languages=LANGUAGE_NAMES,
        error=error,
        ok=MESSAGES.get(request.args.get("ok", "")),
    )


async def choose_answer(request: Request) -> HTTPResponse:
    """One question, with every answer to choose from (when none of the suggestions is right)."""
    question = review.normalise(request.args.get("sporsmal") or "")[:500]
    language = request.args.get("sprak") or "nb"
    return render(
        request,
        "review_choose.html",
        question=question,
        language=language if language in LANGUAGE_NAMES else "nb",
        languages=LANGUAGE_NAMES,
        answers=await run(store.list_answers),
    )


async def add_example(request: Request) -> HTTPResponse:
    question, key = form_value(request, "sporsmal"), form_value(request, "svar")
    try:
        await run(review.add_example, key, question, form_value(request, "sprak"), request.ctx.user.username)
    except AnswerError as refused:
        return await review_list(request, status=400, error=" ".join(refused.problems))
    return see_other("/svar/gjennomgang", "example")


async def set_aside(request: Request) -> HTTPResponse:
    question = form_value(request, "sporsmal")
    if review.normalise(question):
        await run(review.mark, question, review.Action.SET_ASIDE, request.ctx.user.username)
    return see_other("/svar/gjennomgang", "aside")


ROUTES: list[Route] = [
    ("GET", "/svar/gjennomgang", review_list),
    ("GET", "/svar/gjennomgang/velg", choose_answer),
    ("POST", "/svar/gjennomgang/eksempel", add_example),
    ("POST", "/svar/gjennomgang/til-side", set_aside),
]


def blueprint() -> Blueprint:
    """The editors' review list."""
    return routes_blueprint("review", ROUTES)

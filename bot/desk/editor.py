"""The answer library's editor in the desk (role «redaktør», and administrators): the list of
answers by theme and status with search and the «Prøv et spørsmål» box, one answer's form with
its three languages side by side and a live preview, publishing, history and restore.

Views only: the rules live in `bot.answers` (the store's version check and publishing checks,
`editing` for the form and preview, `trial` for the question box).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from bot.answers import editing, review, store, trial
from bot.answers.document import AnswerDoc
from bot.answers.store import AnswerError, AnswerNotFound, AnswerView, PublishBlocked, VersionConflict
from bot.answers.vocabulary import LANGUAGES, THEMES, AnswerStatus
from bot.desk.web import Route, error_page, form_fields, form_value, render, routes_blueprint, run, see_other

STATUS_LABELS = {AnswerStatus.DRAFT: "Utkast", AnswerStatus.PUBLISHED: "Publisert", AnswerStatus.ARCHIVED: "Arkivert"}
CHANGES = {
    "publiser": AnswerStatus.PUBLISHED,
    "avpubliser": AnswerStatus.DRAFT,
    "arkiver": AnswerStatus.ARCHIVED,
}
MESSAGES = {
    "saved": "Endringen er lagret.",
    "saved_live": "Endringen er lagret og publisert. Boten bruker den nye teksten innen ett minutt.",
    "created": "Svaret er opprettet som utkast. Skriv teksten, og publiser når den er klar.",
    "publisert": "Svaret er publisert. Boten bruker det innen ett minutt.",
    "utkast": "Svaret er avpublisert. Boten gir det ikke lenger.",
    "arkivert": "Svaret er arkivert. Boten gir det ikke lenger.",
    "restored": "Den tidligere versjonen er gjenopprettet som en ny versjon.",
}


def _status(value: str) -> AnswerStatus | None:
    try:
        return AnswerStatus(value)
    except ValueError:
        return None


# --- the list ----------------------------------------------------------------------------------


async def answers(request: Request) -> HTTPResponse:
    theme = request.args.get("tema") or ""
    status = _status(request.args.get("status") or "")
    query = (request.args.get("q") or "").strip()[:200]
    unchecked_only = request.args.get("ukontrollert") == "1"
    every = await run(store.list_answers)
    today = dt.date.today()
    shown = [
        view
        for view in every
        if (not theme or view.doc.theme == theme)
        and (status is None or view.doc.status is status)
        and (not query or editing.matches(view.doc, query))
        and (not unchecked_only or editing.needs_check(view.doc, today))
    ]
    question = (request.args.get("sporsmal") or "").strip()[:500]
    tried = await run(trial.try_question, question) if question else None
    return render(
        request,
        "answers.html",
        shown=shown,
        counts={s: sum(1 for v in every if v.doc.status is s) for s in AnswerStatus},
        unchecked={v.key for v in every if editing.needs_check(v.doc, today)},
        themes=THEMES,
        statuses=STATUS_LABELS,
        filters={"tema": theme, "status": status.value if status else "", "q": query, "ukontrollert": unchecked_only},
        question=tried.question if tried else "",
        tried=tried,
        ok=MESSAGES.get(request.args.get("ok", "")),
    )


# --- one answer --------------------------------------------------------------------------------


async def _answer_page(
    request: Request,
    view: AnswerView,
    doc: AnswerDoc | None = None,
    *,
    status: int = 200,
    error: str | None = None,
    problems: list[str] | None = None,
    newer: AnswerView | None = None,
) -> HTTPResponse:
    """The form, with `doc` (the editor's own text after a refused save) or the stored answer."""
    shown = doc or view.doc
    return render(
        request,
        "answer.html",
        status=status,
        view=view,
        doc=shown,
        version=(newer or view).version,
        newer=newer,
        preview=await run(editing.preview, shown),
        languages=LANGUAGES,
        parts=editing.PART_LABELS,
        themes=THEMES,
        statuses=STATUS_LABELS,
        needs_check=editing.needs_check(view.doc),
        error=error,
        problems=problems or [],
        ok=MESSAGES.get(request.args.get("ok", "")),
    )


async def _get(request: Request, key: str) -> AnswerView | HTTPResponse:
    try:
        return await run(store.get, key)
    except AnswerNotFound:
        return error_page(request, 404, "Fant ikke svaret", f"Det finnes ikke noe svar med nøkkelen «{key}».")


async def show_answer(request: Request, key: str) -> HTTPResponse:
    view = await _get(request, key)
    return view if isinstance(view, HTTPResponse) else await _answer_page(request, view)


def _expected_version(request: Request) -> int:
    try:
        return int(form_value(request, "versjon"))
    except ValueError:
        return -1


async def save_answer(request: Request, key: str) -> HTTPResponse:
    view = await _get(request, key)
    if isinstance(view, HTTPResponse):
        return view
    doc = editing.doc_from_form(form_fields(request), view.doc)
    actor = request.ctx.user.username
    try:
        saved = await run(store.save, doc, _expected_version(request), actor)
    except VersionConflict:
        newer = await run(store.get, key)
        error = (
            f"{newer.updated_by} lagret svaret mens du skrev (versjon {newer.version}). Teksten din er ikke "
            "lagret, men den står i skjemaet. Se den nye versjonen nederst, og lagre igjen når du har tatt med "
            "det du vil beholde."
        )
        return await _answer_page(request, view, doc, status=409, error=error, newer=newer)
    except PublishBlocked as blocked:
        error = "Svaret er publisert, så endringen kan ikke lagres før dette er rettet:"
        return await _answer_page(request, view, doc, status=400, error=error, problems=blocked.problems)
    except AnswerError as invalid:
        return await _answer_page(
            request, view, doc, status=400, error="Endringen kan ikke lagres:", problems=invalid.problems
        )
    if form_value(request, "etter") == "publiser" and saved.doc.status is not AnswerStatus.PUBLISHED:
        try:
            saved = await run(store.set_status, key, AnswerStatus.PUBLISHED, saved.version, actor)
        except PublishBlocked as blocked:
            error = "Endringen er lagret, men svaret kan ikke publiseres før dette er rettet:"
            return await _answer_page(request, saved, status=400, error=error, problems=blocked.problems)
    live = saved.doc.status is AnswerStatus.PUBLISHED
    return see_other(f"/svar/{key}", "saved_live" if live else "saved")


async def change_status(request: Request, key: str) -> HTTPResponse:
    view = await _get(request, key)
    if isinstance(view, HTTPResponse):
        return view
    wanted = CHANGES.get(form_value(request, "endring"))
    if wanted is None:
        return await _answer_page(request, view, status=400, error="Ukjent endring.")
    try:
        await run(store.set_status, key, wanted, _expected_version(request), request.ctx.user.username)
    except VersionConflict:
        newer = await run(store.get, key)
        error = f"{newer.updated_by} endret svaret like før deg. Se over den nye versjonen og prøv igjen."
        return await _answer_page(request, newer, status=409, error=error)
    except PublishBlocked as blocked:
        error = "Svaret kan ikke publiseres før dette er rettet:"
        return await _answer_page(request, view, status=400, error=error, problems=blocked.problems)
    return see_other(f"/svar/{key}", wanted.value)


async def preview_answer(request: Request, key: str) -> HTTPResponse:
    """The live preview for the form's script (static/desk.js): LIX, the bot's text, problems."""
    view = await _get(request, key)
    if isinstance(view, HTTPResponse):
        return json({"error": "not_found"}, status=404)
    doc = editing.doc_from_form(form_fields(request), view.doc)
    return json((await run(editing.preview, doc)).as_json())


# --- history -----------------------------------------------------------------------------------


async def answer_history(request: Request, key: str, status: int = 200, error: str | None = None) -> HTTPResponse:
    view = await _get(request, key)
    if isinstance(view, HTTPResponse):
        return view
    versions = await run(store.history, key)
    older = [v.doc for v in versions[1:]] + [None]
    steps = [(v, editing.changed(before, v.doc)) for v, before in zip(versions, older, strict=True)]
    return render(
        request, "answer_history.html", status=status, view=view, steps=steps, statuses=STATUS_LABELS, error=error
    )


async def restore_version(request: Request, key: str) -> HTTPResponse:
    try:
        version = int(form_value(request, "gjenopprett"))
    except ValueError:
        return await answer_history(request, key, status=400, error="Velg en versjon å gjenopprette.")
    try:
        await run(store.restore, key, version, _expected_version(request), request.ctx.user.username)
    except VersionConflict:
        return await answer_history(
            request, key, status=409, error="Noen andre endret svaret like før deg. Se over historikken og prøv igjen."
        )
    except AnswerError as refused:
        return await answer_history(request, key, status=400, error=" ".join(refused.problems))
    return see_other(f"/svar/{key}", "restored")


# --- a new answer ------------------------------------------------------------------------------


async def new_answer_form(request: Request, status: int = 200, error: str | None = None, **form: Any) -> HTTPResponse:
    if not form:  # from the review list: the question becomes the first example
        question = review.normalise(request.args.get("sporsmal") or "")[:500]
        language = request.args.get("sprak") or "nb"
        form = {"sporsmal": question, "sprak": language if language in LANGUAGES else "nb"} if question else {}
    return render(request, "answer_new.html", status=status, themes=THEMES, form=form, error=error)


async def create_answer(request: Request) -> HTTPResponse:
    names = ("nokkel", "tema", "tittel_nb", "eier", "sporsmal", "sprak")
    values = {name: form_value(request, name).strip() for name in names}
    question = review.normalise(values["sporsmal"])
    language = values["sprak"] if values["sprak"] in LANGUAGES else "nb"
    doc = AnswerDoc(
        key=values["nokkel"],
        theme=values["tema"],
        title={"nb": values["tittel_nb"]},
        text={},
        examples={language: [question]} if question else {},
        owner=values["eier"][:100] or "Servicekontoret",
        status=AnswerStatus.DRAFT,
    )
    actor = request.ctx.user.username
    try:
        await run(store.create, doc, actor)
    except AnswerError as refused:
        return await new_answer_form(request, status=400, error=" ".join(refused.problems), **values)
    if question:
        await run(review.mark, question, review.Action.NEW_ANSWER, actor, answer_key=doc.key)
    return see_other(f"/svar/{doc.key}", "created")


ROUTES: list[Route] = [
    ("GET", "/svar", answers),
    ("GET", "/svar/nytt-svar", new_answer_form),
    ("POST", "/svar/nytt-svar", create_answer),
    ("GET", "/svar/<key>", show_answer),
    ("POST", "/svar/<key>", save_answer),
    ("POST", "/svar/<key>/status", change_status),
    ("POST", "/svar/<key>/forhandsvisning", preview_answer),
    ("GET", "/svar/<key>/historikk", answer_history),
    ("POST", "/svar/<key>/historikk", restore_version),
]


def blueprint() -> Blueprint:
    """The answer library's editor."""
    return routes_blueprint("editor", ROUTES)

"""The answer library's editor in the desk: who may use it, the list, editing with the version
check, what blocks publishing, the live preview, history and restore, and «Prøv et spørsmål»."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re

import pytest

from bot import accounts
from bot.answers import catalogue, render, store
from bot.answers.document import AnswerDoc
from bot.answers.vocabulary import LANGUAGES, PARTS, AnswerStatus
from bot.kommune import get_kommune
from tests.desk.conftest import Desk

pytestmark = pytest.mark.asyncio

KEY = "boat_berth"
NEW_TEXT = "Du leier båtplass hos havnen. Ring oss på {telefon}, så hjelper vi deg."


def form_of(doc: AnswerDoc, version: int, **changes: str) -> dict[str, str]:
    """The editor's form as the page fills it for `doc`, with `changes`."""
    form = {"versjon": str(version), "tema": doc.theme, "eier": doc.owner, "kilder": "\n".join(doc.sources)}
    for lang in LANGUAGES:
        form[f"tittel_{lang}"] = doc.title.get(lang, "")
        form[f"tekst_{lang}"] = doc.text.get(lang, "")
        form[f"eksempler_{lang}"] = "\n".join(doc.examples.get(lang, []))
        for name in PARTS:
            form[f"del_{name}_{lang}"] = doc.parts.get(name, {}).get(lang, "")
    form.update(changes)
    return form


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


async def test_only_editors_and_admins_reach_the_editor(desk: Desk, editor: accounts.StaffView) -> None:
    agent = await desk.login("kari")
    assert (await agent.get("/svar")).status == 403
    assert (await agent.post(f"/svar/{KEY}", form_of(store.get(KEY).doc, 1))).status == 403
    assert 'href="/svar"' not in (await agent.get("/")).text
    for name in ("rita", "admin"):
        client = await desk.login(name)
        assert 'href="/svar"' in (await client.get("/")).text
        page = await client.get("/svar")
        assert page.status == 200
        assert "Båtplass" in page.text and f"{len(catalogue.read())} svar" in page.text

    admin = await desk.login("admin")
    await admin.get("/admin/brukere")
    assert (await admin.post("/admin/brukere/kari", {"endring": "editor"})).status == 303
    assert accounts.get_user("kari").role_label == "Redaktør"
    assert (await (await desk.login("kari")).get("/svar")).status == 200


async def test_the_list_filters_searches_and_marks_unchecked_answers(desk: Desk, editor: accounts.StaffView) -> None:
    old = store.get("library")
    stale = dataclasses.replace(old.doc, checked_on=dt.date.today() - dt.timedelta(days=400))
    store.save(stale, old.version, "rita")
    client = await desk.login("rita")

    found = _text((await client.get("/svar?q=båtplass")).text)
    assert "Båtplass" in found and "Bibliotek" not in found

    themed = _text((await client.get("/svar?tema=Helse")).text)
    assert "Legevakt" in themed and "Båtplass" not in themed

    unchecked = await client.get("/svar?ukontrollert=1")
    assert "1 svar" in unchecked.text and "Over 12 måneder" in unchecked.text
    assert "/svar/library" in unchecked.text and f"/svar/{KEY}" not in unchecked.text

    store.set_status(KEY, AnswerStatus.DRAFT, store.get(KEY).version, "rita")
    drafts = await client.get("/svar?status=utkast")
    assert "1 svar" in drafts.text and f"/svar/{KEY}" in drafts.text


async def test_an_editor_changes_a_published_answer_and_the_bot_gives_it(
    desk: Desk, editor: accounts.StaffView
) -> None:
    before = store.get(KEY)
    client = await desk.login("rita")
    page = await client.get(f"/svar/{KEY}")
    assert "Lagre og publiser endringen" in page.text
    saved = await client.post(f"/svar/{KEY}", form_of(before.doc, before.version, tekst_nb=NEW_TEXT, kontrollert="1"))
    assert saved.status == 303 and "ok=saved_live" in saved.location
    assert "Boten bruker den nye teksten" in (await client.get(saved.location)).text

    after = store.get(KEY)
    assert after.version == before.version + 1 and after.doc.status is AnswerStatus.PUBLISHED
    assert after.doc.checked_on == dt.date.today() and after.updated_by == "rita"
    assert after.doc.text["nn"] == before.doc.text["nn"] and after.doc.examples == before.doc.examples
    live_doc = {doc.key: doc for doc in store.published()}[KEY]
    assert render.answer_text(live_doc, "nb") == NEW_TEXT.replace("{telefon}", get_kommune().phone)
    history = store.history(KEY)
    assert (history[0].actor, history[0].change) == ("rita", "endret")


async def test_what_blocks_publishing_is_shown_and_nothing_is_stored(desk: Desk, editor: accounts.StaffView) -> None:
    before = store.get(KEY)
    client = await desk.login("rita")
    heavy = (
        "Kommunens havneadministrasjon administrerer utleieordningen for småbåthavnens fortøyningsplasser, "
        "og søknadsbehandlingen gjennomføres fortløpende etter ansiennitetsprinsippet i venteliste­registeret."
    )
    for text, reason in ((heavy, "LIX"), ("Ring {ukjent_plass} i dag.", "«{ukjent_plass}» finnes ikke i kommune.yml")):
        refused = await client.post(f"/svar/{KEY}", form_of(before.doc, before.version, tekst_nb=text))
        assert refused.status == 400
        shown = _text(refused.text)
        assert reason in shown and "kan ikke lagres før dette er rettet" in shown
        assert html.escape(text, quote=False) in refused.text  # the editor's text stays in the form
        assert store.get(KEY).version == before.version


async def test_the_live_preview_measures_fills_and_lists_problems(desk: Desk, editor: accounts.StaffView) -> None:
    view = store.get(KEY)
    client = await desk.login("rita")
    await client.get(f"/svar/{KEY}")
    long = "Søknadsbehandlingen gjennomføres fortløpende etter ansiennitetsprinsippet i ventelisteregisteret"
    preview = await client.post(
        f"/svar/{KEY}/forhandsvisning", form_of(view.doc, view.version, tekst_nb=NEW_TEXT, tekst_en=long, tekst_nn="")
    )
    assert preview.status == 200
    data = preview.json()
    nb, nn, en = (data["languages"][lang] for lang in ("nb", "nn", "en"))
    assert nb["lix_ok"] and nb["lix"] < 40 and get_kommune().phone in nb["text"] and "{" not in nb["text"]
    assert not en["lix_ok"] and en["lix"] >= 40
    assert nn["written"] is False and nn["lix"] is None and nn["text"] == nb["text"]  # nynorsk falls back to bokmål
    assert any("engelsk har LIX" in p for p in data["problems"])
    assert store.get(KEY).version == view.version  # a preview stores nothing
    assert (await client.post(f"/svar/{KEY}/forhandsvisning", {"tekst_nb": "x"}, csrf=False)).status == 403


async def test_two_editors_save_the_same_answer(desk: Desk, editor: accounts.StaffView) -> None:
    start = store.get(KEY)
    rita, admin = await desk.login("rita"), await desk.login("admin")
    await rita.get(f"/svar/{KEY}")
    await admin.get(f"/svar/{KEY}")
    first = await admin.post(f"/svar/{KEY}", form_of(start.doc, start.version, tekst_nb="Ada sin tekst. Den er kort."))
    assert first.status == 303
    mine = "Ritas tekst. Den er også kort."
    second = await rita.post(f"/svar/{KEY}", form_of(start.doc, start.version, tekst_nb=mine))
    assert second.status == 409
    shown = _text(second.text)
    assert "admin lagret svaret mens du skrev" in shown and "Ada sin tekst" in shown
    assert mine in second.text  # nothing lost: her text is still in the form …
    assert store.get(KEY).doc.text["nb"] == "Ada sin tekst. Den er kort."  # … and Ada's is kept
    newer = re.search(r'name="versjon" value="(\d+)"', second.text)
    assert newer and int(newer.group(1)) == start.version + 1
    again = await rita.post(f"/svar/{KEY}", form_of(start.doc, int(newer.group(1)), tekst_nb=mine))
    assert again.status == 303 and store.get(KEY).doc.text["nb"] == mine


async def test_a_new_answer_is_a_draft_until_it_may_be_published(desk: Desk, editor: accounts.StaffView) -> None:
    client = await desk.login("rita")
    await client.get("/svar/nytt-svar")
    taken = await client.post("/svar/nytt-svar", {"nokkel": KEY, "tema": "Helse", "tittel_nb": "Dobbel"})
    assert taken.status == 400 and "finnes allerede" in _text(taken.text)
    made = await client.post(
        "/svar/nytt-svar", {"nokkel": "hundeluft", "tema": "Natur og miljø", "tittel_nb": "Hundeluftepark"}
    )
    assert made.status == 303 and made.location.startswith("/svar/hundeluft")
    draft = store.get("hundeluft")
    assert draft.doc.status is AnswerStatus.DRAFT
    assert "hundeluft" not in {doc.key for doc in store.published()}

    await client.get("/svar/hundeluft")
    text = "Kommunen har en luftepark for hund. Se kart og regler på {lenke_hund}."
    few = await client.post(
        "/svar/hundeluft",
        form_of(draft.doc, draft.version, tekst_nb=text, eksempler_nb="hvor kan hunden løpe løs", etter="publiser"),
    )
    assert few.status == 400
    assert "lagret, men svaret kan ikke publiseres" in _text(few.text) and "minst 8" in _text(few.text)
    saved = store.get("hundeluft")
    assert saved.doc.text["nb"] == text and saved.doc.status is AnswerStatus.DRAFT

    examples = "\n".join(
        [
            "hvor kan hunden løpe løs",
            "hundepark",
            "luftegård for hund",
            "finnes det hundeluftepark",
            "hvor kan jeg slippe hunden",
            "hundeparken i kommunen",
            "kan hunden være løs i parken",
            "inngjerdet område for hunder",
        ]
    )
    published = await client.post(
        "/svar/hundeluft", form_of(saved.doc, saved.version, eksempler_nb=examples, etter="publiser")
    )
    assert published.status == 303
    assert store.get("hundeluft").doc.status is AnswerStatus.PUBLISHED
    assert "hundeluft" in {doc.key for doc in store.published()}


async def test_unpublish_archive_history_and_restore(desk: Desk, editor: accounts.StaffView) -> None:
    original = store.get(KEY)
    client = await desk.login("rita")
    await client.get(f"/svar/{KEY}")
    await client.post(f"/svar/{KEY}", form_of(original.doc, original.version, tekst_nb=NEW_TEXT))
    await client.get(f"/svar/{KEY}")
    assert (
        await client.post(f"/svar/{KEY}/status", {"endring": "avpubliser", "versjon": str(original.version + 1)})
    ).status == 303
    assert store.get(KEY).doc.status is AnswerStatus.DRAFT and KEY not in {d.key for d in store.published()}
    stale = await client.post(f"/svar/{KEY}/status", {"endring": "arkiver", "versjon": str(original.version)})
    assert stale.status == 409 and store.get(KEY).doc.status is AnswerStatus.DRAFT
    await client.get(f"/svar/{KEY}")
    assert (
        await client.post(f"/svar/{KEY}/status", {"endring": "arkiver", "versjon": str(original.version + 2)})
    ).status == 303
    assert store.get(KEY).doc.status is AnswerStatus.ARCHIVED

    page = await client.get(f"/svar/{KEY}/historikk")
    shown = _text(page.text)
    for change in ("arkivert", "avpublisert", "endret", "lastet fra katalogen"):
        assert change in shown
    assert "Endret: svar (bokmål)." in " ".join(shown.split())  # what the edit changed
    current = store.get(KEY)
    restored = await client.post(
        f"/svar/{KEY}/historikk", {"gjenopprett": str(original.version), "versjon": str(current.version)}
    )
    assert restored.status == 303
    back = store.get(KEY)
    assert back.doc.text == original.doc.text and back.doc.status is AnswerStatus.ARCHIVED
    assert back.version == current.version + 1
    assert store.history(KEY)[0].change == "gjenopprettet"


async def test_try_a_question(desk: Desk, editor: accounts.StaffView) -> None:
    client = await desk.login("rita")

    sure = _text((await client.get("/svar?sporsmal=hvordan leier jeg båtplass i havna")).text)
    assert "Boten svarer: Båtplass" in " ".join(sure.split())

    emergency = _text((await client.get("/svar?sporsmal=pappa har vondt i brystet og er kald og klam")).text)
    assert "Boten gir nødnumrene først" in emergency

    unsure = " ".join(_text((await client.get("/svar?sporsmal=kan jeg ta med papegøyen på rådhuset")).text).split())
    assert "Boten svarer:" not in unsure
    assert "ikke vet" in unsure or "Mente du" in unsure

    masked = await client.get("/svar?sporsmal=fødselsnummeret mitt er 01019012480")
    assert "01019012480" not in masked.text


async def test_a_partial_form_changes_only_what_it_sends(desk: Desk, editor: accounts.StaffView) -> None:
    before = store.get(KEY)
    client = await desk.login("rita")
    await client.get(f"/svar/{KEY}")
    saved = await client.post(f"/svar/{KEY}", {"versjon": str(before.version), "tekst_nb": NEW_TEXT})
    assert saved.status == 303
    after = store.get(KEY).doc
    assert after.text == {**before.doc.text, "nb": NEW_TEXT}
    emptied = await client.post(f"/svar/{KEY}", {"versjon": str(before.version + 1), "tekst_en": ""})
    assert emptied.status == 303 and "en" not in store.get(KEY).doc.text  # a field sent empty empties it
    assert (after.title, after.examples, after.parts, after.sources) == (
        before.doc.title,
        before.doc.examples,
        before.doc.parts,
        before.doc.sources,
    )


async def test_the_desk_prepares_the_trial_box_when_it_starts_and_a_failure_only_warns(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.answers import trial
    from bot.desk.__main__ import _warm_up

    tried: list[str] = []
    monkeypatch.setattr(trial, "try_question", tried.append)
    await _warm_up(None)
    assert len(tried) == 1  # the index and the safety classifier are built before the first editor asks

    def broken(question: str) -> None:
        raise RuntimeError("database down")

    monkeypatch.setattr(trial, "try_question", broken)
    await _warm_up(None)
    assert "Could not prepare «Prøv et spørsmål» in advance" in caplog.text

"""The answer library (bot/answers): storage with history and a version check, the publishing
checks, the starter catalogue's load (never over a municipality's edits) and export, and the
schema's migration — on SQLite and, in CI, PostgreSQL."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa
import yaml
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.answers import catalogue, render, store
from bot.answers.document import AnswerDoc, publish_problems
from bot.answers.vocabulary import THEMES, AnswerStatus
from bot.db import get_engine
from bot.db.migrate import VERSION_TABLE, downgrade, upgrade
from bot.db.schema import metadata
from bot.topics import TOPICS
from tests.kommune_facts import PHONE, link
from tests.library_eval import FRESH, STEERED, read_questions

ROOT = Path(__file__).resolve().parent.parent

EXAMPLES = {
    "nb": [f"hvordan søker jeg om båtplass {i}" for i in range(8)],
    "nn": [f"korleis søkjer eg om båtplass {i}" for i in range(8)],
    "en": [f"how do i apply for a boat berth {i}" for i in range(8)],
}


def _doc(key: str = "baatplass", **changes: object) -> AnswerDoc:
    doc = AnswerDoc(
        key=key,
        theme="Kultur og fritid",
        title={"nb": "Båtplass", "nn": "Båtplass", "en": "Boat berth"},
        text={
            "nb": "Du søker om båtplass hos kommunen. Ring oss på {telefon}. Søk på {lenke_batplass}.",
            "nn": "Du søkjer om båtplass hos kommunen. Ring oss på {telefon}. Søk på {lenke_batplass}.",
            "en": "You apply for a boat berth to the municipality. Call us on {telefon}.",
        },
        parts={"pris": {"nb": "Prisen står på {lenke_batplass}.", "en": "See the price at {lenke_batplass}."}},
        examples=EXAMPLES,
        sources=["https://lovdata.no/lov/2019-06-21-70"],
        owner="Servicekontoret",
        checked_on=dt.date(2026, 12, 3),
    )
    return replace(doc, **changes)


def test_an_answer_is_stored_with_its_history_and_filled_in_the_conversations_language(db_url: str) -> None:
    created = store.create(_doc(), "kari")
    assert created.version == 1 and created.doc.status is AnswerStatus.PUBLISHED
    edited = store.save(_doc(text={**_doc().text, "nb": "Søk om båtplass på {lenke_batplass}."}), 1, "ola")
    assert edited.version == 2 and edited.updated_by == "ola"
    [latest, first] = store.history("baatplass")
    assert (latest.version, latest.actor, latest.change) == (2, "ola", "endret")
    assert (first.version, first.actor, first.change) == (1, "kari", "opprettet")
    assert "{telefon}" in first.doc.text["nb"]

    doc = store.get("baatplass").doc
    assert render.answer_text(doc, "nb") == f"Søk om båtplass på {link('batplass')}."
    nynorsk = f"Du søkjer om båtplass hos kommunen. Ring oss på {PHONE}. Søk på {link('batplass')}."
    assert render.answer_text(doc, "nn") == nynorsk
    assert render.answer_text(doc, "en", part="pris") == f"See the price at {link('batplass')}."
    assert render.answer_text(doc, "nn", part="pris") == f"Prisen står på {link('batplass')}."  # no nynorsk part
    assert render.answer_text(doc, "pl") == doc.text["en"].replace("{telefon}", PHONE)  # other languages: English
    assert render.title(doc, "en") == "Boat berth"


def test_the_second_of_two_editors_is_told_and_nothing_is_lost(db_url: str) -> None:
    store.create(_doc(), "kari")
    first = _doc(title={"nb": "Båtplass i havna", "nn": "Båtplass", "en": "Boat berth"})
    second = _doc(owner="Havnevesenet")
    store.save(first, 1, "kari")
    with pytest.raises(store.VersionConflict) as conflict:
        store.save(second, 1, "ola")
    assert conflict.value.current == 2 and "versjon 2" in conflict.value.problems[0]
    kept = store.get("baatplass")
    assert kept.doc.title["nb"] == "Båtplass i havna" and kept.doc.owner == "Servicekontoret"


def test_two_saves_at_the_same_moment_cannot_both_pass_the_version_check(db_url: str) -> None:
    store.create(_doc(), "kari")
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def edit(n: int) -> None:
        barrier.wait()
        try:
            store.save(_doc(owner=f"Redaktør {n}"), 1, f"r{n}")
            outcomes.append("saved")
        except store.VersionConflict:
            outcomes.append("conflict")
        except Exception as error:  # a locked SQLite file is a failure of this test, not a pass
            outcomes.append(type(error).__name__)

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "saved"]
    assert [v.version for v in store.history("baatplass")] == [2, 1]


def test_publishing_is_blocked_with_the_reason_while_the_text_is_unclear_or_has_unknown_facts(db_url: str) -> None:
    long_words = "Saksbehandlingsprosessen forutsetter dokumentasjonsgrunnlag fra søknadsbehandleren, " * 3
    unclear = _doc(text={"nb": long_words + "Se {lenke_finnes_ikke}."})
    with pytest.raises(store.PublishBlocked) as blocked:
        store.create(unclear, "kari")
    reasons = " ".join(blocked.value.problems)
    assert "LIX" in reasons and "{lenke_finnes_ikke}" in reasons
    draft = store.create(unclear.with_status(AnswerStatus.DRAFT), "kari")
    with pytest.raises(store.PublishBlocked):
        store.set_status("baatplass", AnswerStatus.PUBLISHED, draft.version, "kari")
    assert store.get("baatplass").doc.status is AnswerStatus.DRAFT
    assert store.published() == []


def test_an_unpublished_or_archived_answer_is_not_among_those_the_bot_may_give(db_url: str) -> None:
    store.create(_doc("a1"), "kari")
    store.create(_doc("a2"), "kari")
    store.create(_doc("a3"), "kari")
    store.set_status("a2", AnswerStatus.DRAFT, 1, "kari")
    store.set_status("a3", AnswerStatus.ARCHIVED, 1, "kari")
    assert [doc.key for doc in store.published()] == ["a1"]
    assert [v.change for v in store.history("a3")] == ["arkivert", "opprettet"]


def test_an_earlier_version_can_be_restored_as_a_new_version(db_url: str) -> None:
    store.create(_doc(), "kari")
    store.save(_doc(text={**_doc().text, "nb": "Ny tekst om båtplass. Se {lenke_batplass}."}), 1, "ola")
    restored = store.restore("baatplass", 1, 2, "kari")
    assert restored.version == 3 and restored.doc.text["nb"] == _doc().text["nb"]
    assert [v.change for v in store.history("baatplass")] == ["gjenopprettet", "endret", "opprettet"]


def test_the_revision_grows_with_every_change(db_url: str) -> None:
    before = store.revision()
    store.create(_doc(), "kari")
    after_create = store.revision()
    store.set_status("baatplass", AnswerStatus.DRAFT, 1, "kari")
    assert before < after_create < store.revision()


def _write_catalogue(folder: Path, docs: list[AnswerDoc]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    data = {"tema": docs[0].theme, "svar": [catalogue.doc_to_yaml(doc) for doc in docs]}
    (folder / "kultur.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_later_catalogue_load_never_overwrites_the_municipalitys_edits(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "answers"
    _write_catalogue(folder, [_doc("a1"), _doc("a2")])
    first = catalogue.load(folder)
    assert sorted(first.added) == ["a1", "a2"]
    assert catalogue.load(folder).unchanged == 2  # loading again changes nothing

    edited = _doc("a1", title={"nb": "Vår egen tittel", "nn": "Båtplass", "en": "Boat berth"})
    store.save(edited, 1, "kari")
    newer = {**_doc().title, "nb": "Båtplass (ny katalogtekst)"}
    _write_catalogue(folder, [_doc("a1", title=newer), _doc("a2", title=newer), _doc("a3")])
    second = catalogue.load(folder)
    assert second.kept == ["a1"] and second.updated == ["a2"] and second.added == ["a3"]
    assert store.get("a1").doc.title["nb"] == "Vår egen tittel"
    assert store.get("a2").doc.title["nb"] == "Båtplass (ny katalogtekst)"
    assert store.history("a2")[0].actor == "katalog"


def test_a_newer_catalogue_text_that_cannot_be_published_leaves_the_published_answer(
    db_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "answers"
    _write_catalogue(folder, [_doc("a1")])
    catalogue.load(folder)
    _write_catalogue(folder, [_doc("a1", text={"nb": "Se {lenke_finnes_ikke}."})])
    assert catalogue.load(folder).blocked == ["a1"]
    assert store.get("a1").doc.text == _doc().content()["text"] and store.get("a1").version == 1


def test_loading_into_a_database_without_the_tables_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    from bot.answers.__main__ import main

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    assert main(["load"]) == 1
    assert "python -m bot.db upgrade" in capsys.readouterr().err


def test_a_catalogue_answer_that_cannot_be_published_comes_in_as_a_draft(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "answers"
    _write_catalogue(folder, [_doc("a1", text={"nb": "Se {lenke_finnes_ikke}."})])
    result = catalogue.load(folder)
    assert result.drafts == ["a1"] and store.get("a1").doc.status is AnswerStatus.DRAFT


def test_export_then_load_into_an_empty_library_gives_the_same_answers(db_url: str, tmp_path: Path) -> None:
    store.create(_doc("a1"), "kari")
    store.create(_doc("a2", theme="Helse").with_status(AnswerStatus.DRAFT), "kari")
    paths = catalogue.export(tmp_path / "out")
    assert sorted(p.name for p in paths) == ["helse.yml", "kultur-og-fritid.yml"]
    docs = catalogue.read(tmp_path / "out")
    assert {d.key: d for d in docs} == {v.key: v.doc for v in store.list_answers()}


def test_the_catalogue_reads_and_every_answer_in_it_may_be_published() -> None:
    docs = catalogue.read()
    known = store.known_placeholders()
    problems = [f"{doc.key}: {p}" for doc in docs for p in publish_problems(doc, known, render.fill)]
    assert problems == []
    assert len({doc.key for doc in docs}) == len(docs)


def test_the_models_match_the_migrations(tmp_path: Path) -> None:
    """The metadata Alembic's environment compares with (bot/db/schema.py) is what the migrations build."""
    url = f"sqlite:///{tmp_path / 'schema.db'}"
    upgrade(url)
    with get_engine(url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": _not_alembics_own})
        differences = compare_metadata(context, metadata)
    assert differences == []
    # What `alembic revision --autogenerate` finds in a fresh process (env.py's own imports): nothing.
    check = "from alembic import command; from bot.db.migrate import alembic_config; import sys; "
    check += "command.check(alembic_config(sys.argv[1]))"
    found = subprocess.run([sys.executable, "-c", check, url], check=False, cwd=ROOT, capture_output=True, text=True)
    assert found.returncode == 0, found.stderr[-2000:]


def _not_alembics_own(name: str | None, kind: str, _parents: object) -> bool:
    return not (kind == "table" and name == VERSION_TABLE)


def test_the_answer_library_migration_goes_down_and_up_again(db_url: str) -> None:
    store.create(_doc(), "kari")
    downgrade(db_url, "0004")
    assert not sa.inspect(get_engine(db_url)).has_table("sk_answers")
    upgrade(db_url)
    assert sa.inspect(get_engine(db_url)).has_table("sk_answers") and store.list_answers() == []


def test_the_review_list_migration_goes_down_and_up_again_and_keeps_the_answers(db_url: str) -> None:
    store.create(_doc(), "kari")
    downgrade(db_url, "0005")
    assert not sa.inspect(get_engine(db_url)).has_table("sk_reviewed_questions")
    upgrade(db_url)
    assert sa.inspect(get_engine(db_url)).has_table("sk_reviewed_questions")
    assert [v.key for v in store.list_answers()] == [_doc().key]


def test_the_themes_are_the_14_main_themes_of_los_each_with_its_own_file() -> None:
    assert len(THEMES) == 14 and "Omsorg, trygd og sosiale tjenester" in THEMES
    assert len({catalogue.theme_file_name(t) for t in THEMES}) == 14
    files = {path.name for path in catalogue.CATALOGUE.glob("*.yml")}
    assert files <= {catalogue.theme_file_name(t) for t in THEMES}


def test_the_bots_topics_are_the_published_answers_of_the_library() -> None:
    """The session's library database holds the starter catalogue (tests/library_db.py)."""
    docs = {doc.key for doc in catalogue.read()}
    assert {key.removeprefix("faq/") for key in TOPICS} == docs
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    assert not [name for name in domain if name.startswith("utter_faq/")], "topic answers live in the library"


@pytest.mark.parametrize("folder", [STEERED, FRESH], ids=lambda folder: folder.name)
def test_the_held_out_questions_cover_every_answer_and_are_apart_from_its_examples(folder: Path) -> None:
    """tests/heldout/library*/ were written by other people than the examples, without seeing them."""
    docs = {doc.key: doc for doc in catalogue.read()}
    examples = {_plain(q) for doc in docs.values() for items in doc.examples.values() for q in items}
    questions = read_questions(folder)
    assert [q.expected for q in questions if q.expected not in docs] == [], "no such answer"
    assert [q.text for q in questions if _plain(q.text) in examples] == []
    counted = Counter((q.expected, q.language) for q in questions)
    thin = [(key, lang) for key in docs for lang in ("nb", "nn", "en") if counted[(key, lang)] < 2]
    assert thin == []


def _plain(text: str) -> str:
    return " ".join(text.casefold().split())


def test_the_index_ranks_the_answer_a_question_asks_for_with_two_answers_or_more() -> None:
    from bot.answers.index import AnswerIndex

    dogs = _doc(
        "dogs",
        title={"nb": "Hund og båndtvang", "en": "Dogs and the leash period"},
        examples={"nb": ["når er det båndtvang", "må hunden være i bånd", "båndtvang for hund", "løs hund"]},
    )
    fees = _doc(
        "fees",
        title={"nb": "Kommunale avgifter", "en": "Municipal fees"},
        examples={"nb": ["når forfaller avgiftene", "regning for vann og avløp", "kommunale gebyrer", "avgift"]},
    )
    for docs in ([_doc("boat"), dogs], [_doc("boat"), dogs, fees]):
        ranked = AnswerIndex(docs).rank("må hunden min gå i bånd om sommeren?")
        assert ranked[0].key == "dogs" and ranked[0].confidence > 0.5, ranked
        assert sorted(m.key for m in ranked) == sorted(d.key for d in docs)
        assert sum(m.confidence for m in ranked) <= 1  # the rest is «none of these»
    assert [m.key for m in AnswerIndex([_doc("boat")]).rank("båtplass")] == ["boat"]
    assert AnswerIndex([_doc("boat"), dogs]).rank("  ") == []


def test_a_question_every_answer_rejects_is_sure_of_none_however_far_its_best_answer_leads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot import certainty
    from bot.answers import index

    built = index.AnswerIndex([_doc("boat"), _doc("dogs"), _doc("fees")])

    def ranked(margins: list[float]) -> list[index.Match]:
        # The classifier's margins as the starter catalogue gives them: about -0.6 for the best
        # answer of a question on a subject it does not cover, +0.3 for a covered one (README).
        monkeypatch.setattr(built, "margins", lambda _: np.array(margins))
        return built.rank("et spørsmål")

    rejected, claimed = [-0.6, -0.9, -1.0], [0.3, -0.6, -0.9]
    assert ranked(rejected)[0].confidence < certainty.THRESHOLDS.topic
    assert ranked(claimed)[0].confidence > 0.95
    monkeypatch.setattr(index, "_NONE_MARGIN", float("-inf"))  # the softmax over the answers alone
    assert ranked(rejected)[0].confidence > 0.8  # sure of whichever answer was least far off
    assert [m.key for m in ranked(rejected)] == ["boat", "dogs", "fees"]


def test_an_index_is_built_once_for_the_same_titles_and_examples() -> None:
    import dataclasses

    from bot.answers.index import index_for

    docs = [_doc("boat"), _doc("dogs", title={"nb": "Hund"}, examples={"nb": ["løs hund", "båndtvang"]})]
    first = index_for(docs)
    new_text = [dataclasses.replace(docs[0], text={"nb": "En ny tekst. Den er kort."}), docs[1]]
    assert index_for(new_text) is first  # the index reads only titles and examples
    new_example = [docs[0], dataclasses.replace(docs[1], examples={"nb": ["løs hund", "båndtvang", "hundepark"]})]
    second = index_for(new_example)
    assert second is not first and "dogs" in second.keys
    assert index_for(docs) is first  # the last two are kept

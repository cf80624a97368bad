"""The starter catalogue: `data/answers/*.yml`, one readable YAML file per LOS theme.

`load` puts the catalogue's answers into the library. An answer that is not there yet is added
(published when it passes the publishing checks, else as a draft); an answer nobody has changed
since the catalogue last loaded it is updated when the catalogue's text has changed; an answer a
person has changed is never touched. So a later load (a new release of the catalogue) never
overwrites a municipality's own edits. `export` writes the library back in the same format, so
that one municipality's answers can be read, reviewed and shared with another.

The YAML uses Norwegian field names, for the people who read it (`nokkel`, `tittel`, `tekst`,
`deler`, `kilder`, `eier`, `sist_kontrollert`, `eksempler`, `status`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from bot.answers import store
from bot.answers.document import AnswerDoc
from bot.answers.models import Answer
from bot.answers.vocabulary import CATALOGUE_ACTOR, LANGUAGES, LOCAL_TENANT, THEME_FILES, THEMES, AnswerStatus
from bot.cases.service import store_errors
from bot.db import session_scope
from bot.yaml_files import read_yaml

CATALOGUE = Path(__file__).resolve().parent.parent.parent / "data" / "answers"


class CatalogueError(ValueError):
    """A catalogue file that cannot be read as answers."""


def theme_file_name(theme: str) -> str:
    """The catalogue file of a theme: «Natur og miljø» → natur-og-miljo.yml."""
    return THEME_FILES[theme]


def _texts(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        return {"nb": value}
    return {lang: str(value[lang]) for lang in LANGUAGES if isinstance(value, dict) and value.get(lang)}


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def doc_from_yaml(theme: str, item: dict[str, Any]) -> AnswerDoc:
    try:
        return AnswerDoc(
            key=str(item["nokkel"]),
            theme=theme,
            title=_texts(item["tittel"]),
            text=_texts(item["tekst"]),
            parts={str(name): _texts(texts) for name, texts in (item.get("deler") or {}).items()},
            examples={lang: [str(e) for e in (item.get("eksempler") or {}).get(lang) or []] for lang in LANGUAGES},
            sources=[str(s) for s in item.get("kilder") or []],
            owner=str(item.get("eier") or "Servicekontoret"),
            checked_on=_date(item.get("sist_kontrollert") or dt.date.today()),
            status=AnswerStatus(item.get("status", AnswerStatus.PUBLISHED.value)),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise CatalogueError(f"Svaret «{item.get('nokkel', '?')}» i temaet {theme}: {error}") from error


def read(directory: Path = CATALOGUE) -> list[AnswerDoc]:
    """Every answer in the catalogue's files; a key used twice is an error."""
    docs: list[AnswerDoc] = []
    for path in sorted(directory.glob("*.yml")):
        data = read_yaml(path) or {}
        theme = data.get("tema")
        if theme not in THEMES:
            raise CatalogueError(f"{path.name}: ukjent tema «{theme}»")
        docs.extend(doc_from_yaml(theme, item) for item in data.get("svar") or [])
    seen: set[str] = set()
    for doc in docs:
        if doc.key in seen:
            raise CatalogueError(f"Nøkkelen «{doc.key}» er brukt to ganger i katalogen.")
        seen.add(doc.key)
    return docs


def doc_to_yaml(doc: AnswerDoc) -> dict[str, Any]:
    content = doc.content()
    item: dict[str, Any] = {"nokkel": doc.key, "tittel": content["title"], "tekst": content["text"]}
    if content["parts"]:
        item["deler"] = content["parts"]
    item["kilder"] = content["sources"]
    item["eier"] = doc.owner
    item["sist_kontrollert"] = doc.checked_on
    if doc.status is not AnswerStatus.PUBLISHED:
        item["status"] = doc.status.value
    item["eksempler"] = content["examples"]
    return item


@dataclass
class LoadResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # changed by a person: left as it is
    drafts: list[str] = field(default_factory=list)  # added as drafts: they failed the publishing checks
    blocked: list[str] = field(default_factory=list)  # a newer catalogue text that may not be published: not loaded
    unchanged: int = 0


@store_errors
def load(
    directory: Path = CATALOGUE,
    *,
    url: str | None = None,
    tenant: str = LOCAL_TENANT,
) -> LoadResult:
    """Bring the catalogue into the library without overwriting anyone's edits (see the module)."""
    result = LoadResult()
    with session_scope(url) as session:
        rows = {row.key: row for row in session.execute(sa.select(Answer).where(Answer.tenant == tenant)).scalars()}
        loaded = {key: (row.catalogue_hash, row.updated_by, row.version) for key, row in rows.items()}
    for doc in read(directory):
        digest = doc.content_hash()
        if doc.key not in loaded:
            _add(doc, digest, result, url=url, tenant=tenant)
            continue
        previous_hash, last_editor, version = loaded[doc.key]
        if previous_hash == digest:
            result.unchanged += 1
        elif last_editor != CATALOGUE_ACTOR:
            result.kept.append(doc.key)
        else:
            try:
                store.update_from_catalogue(doc, digest, version, url=url, tenant=tenant)
                result.updated.append(doc.key)
            except store.PublishBlocked:
                result.blocked.append(doc.key)  # the published answer stays as it is
    return result


def _add(doc: AnswerDoc, digest: str, result: LoadResult, *, url: str | None, tenant: str) -> None:
    try:
        store.add_from_catalogue(doc, digest, url=url, tenant=tenant)
        result.added.append(doc.key)
    except store.PublishBlocked:
        store.add_from_catalogue(doc.with_status(AnswerStatus.DRAFT), digest, url=url, tenant=tenant)
        result.drafts.append(doc.key)


def export(directory: Path, *, url: str | None = None, tenant: str = LOCAL_TENANT) -> list[Path]:
    """Write every answer (all statuses) to `directory`, one file per theme, in the catalogue's format."""
    directory.mkdir(parents=True, exist_ok=True)
    by_theme: dict[str, list[AnswerDoc]] = {}
    for view in store.list_answers(url=url, tenant=tenant):
        by_theme.setdefault(view.doc.theme, []).append(view.doc)
    written = []
    for theme, docs in sorted(by_theme.items()):
        path = directory / theme_file_name(theme)
        body = yaml.safe_dump(
            {"tema": theme, "svar": [doc_to_yaml(doc) for doc in docs]}, allow_unicode=True, sort_keys=False, width=100
        )
        path.write_text(f"# Tema (LOS): {theme}\n{body}", encoding="utf-8")
        written.append(path)
    return written

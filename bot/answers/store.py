"""The answer library's operations: create, edit, publish, archive, restore; each one a version.

Every change writes the answer's whole new state as a version (`AnswerVersion`: who, when, what),
so the history shows each step and any earlier version can be restored. A change names the version
it started from; if someone saved in between, it is refused with `VersionConflict` and nothing is
lost: the editor sees the newer version and can redo the change on it. Publishing is refused with
`PublishBlocked` (and its reasons) while `publish_problems` finds anything, also when an edit to a
published answer would make it so. Database failures surface as `CaseStoreError`, as in `bot.cases`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.answers import render
from bot.answers.document import AnswerDoc, publish_problems, shape_problems
from bot.answers.models import Answer, AnswerVersion
from bot.answers.vocabulary import CATALOGUE_ACTOR, LOCAL_TENANT, AnswerStatus, Change
from bot.cases.models import as_utc, utcnow
from bot.cases.service import store_errors
from bot.db import session_scope
from bot.kommune import get_kommune


class AnswerError(ValueError):
    """A change to the library that cannot be made; `problems` says why, in Norwegian."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class AnswerNotFound(AnswerError):
    def __init__(self, key: str) -> None:
        super().__init__([f"Finner ikke svaret «{key}»."])


class AnswerExists(AnswerError):
    def __init__(self, key: str) -> None:
        super().__init__([f"Det finnes allerede et svar med nøkkelen «{key}»."])


class PublishBlocked(AnswerError):
    """The answer would be given to citizens while something in it is wrong."""


class VersionConflict(AnswerError):
    """Someone saved the answer after the version this change started from."""

    def __init__(self, key: str, current: int) -> None:
        super().__init__(
            [
                f"Noen andre lagret «{key}» mens du skrev (nå versjon {current}). "
                "Åpne svaret på nytt og gjør endringen der."
            ]
        )
        self.current = current


@dataclass(frozen=True)
class AnswerView:
    doc: AnswerDoc
    version: int
    updated_at: dt.datetime
    updated_by: str

    @property
    def key(self) -> str:
        return self.doc.key


@dataclass(frozen=True)
class VersionView:
    version: int
    at: dt.datetime
    actor: str
    change: str
    doc: AnswerDoc


def known_placeholders() -> set[str]:
    return set(get_kommune().placeholders("nb"))


def _view(row: Answer) -> AnswerView:
    doc = AnswerDoc.from_content(
        row.key, row.theme, row.content, owner=row.owner, checked_on=row.checked_on, status=row.status
    )
    return AnswerView(doc=doc, version=row.version, updated_at=as_utc(row.updated_at), updated_by=row.updated_by)


def _check(doc: AnswerDoc) -> None:
    problems = shape_problems(doc)
    if problems:
        raise AnswerError(problems)
    if doc.status is AnswerStatus.PUBLISHED:
        problems = publish_problems(doc, known_placeholders(), render.fill)
        if problems:
            raise PublishBlocked(problems)


def _row(session: Session, key: str, tenant: str) -> Answer:
    query = sa.select(Answer).where(Answer.tenant == tenant, Answer.key == key)
    row = session.execute(query).scalar_one_or_none()
    if row is None:
        raise AnswerNotFound(key)
    return row


def _record(session: Session, row: Answer, change: Change) -> None:
    """Keep the row's current state in the history, as the version it now has."""
    session.add(
        AnswerVersion(
            answer_id=row.id,
            version=row.version,
            at=row.updated_at,
            actor=row.updated_by,
            change=change.value,
            status=row.status,
            theme=row.theme,
            owner=row.owner,
            checked_on=row.checked_on,
            content=row.content,
        )
    )


def _fields(doc: AnswerDoc, actor: str) -> dict[str, object]:
    return {
        "theme": doc.theme,
        "owner": doc.owner,
        "checked_on": doc.checked_on,
        "status": doc.status.value,
        "content": doc.content(),
        "updated_at": utcnow(),
        "updated_by": actor,
    }


def _change(
    key: str,
    expected_version: int,
    actor: str,
    change: Change,
    new_doc: Callable[[AnswerDoc], AnswerDoc],
    *,
    url: str | None,
    tenant: str,
    extra: dict[str, object] | None = None,
) -> AnswerView:
    """Apply `new_doc(current)` to the answer if nobody saved it since `expected_version`.

    The version check is a conditional UPDATE, so two saves at once cannot both pass it (on
    SQLite too, where a row lock does nothing).
    """
    with session_scope(url) as session:
        row = _row(session, key, tenant)
        if row.version != expected_version:
            raise VersionConflict(key, row.version)
        doc = new_doc(_view(row).doc)
        _check(doc)
        updated = session.execute(
            sa.update(Answer)
            .where(Answer.id == row.id, Answer.version == expected_version)
            .values(version=expected_version + 1, **_fields(doc, actor), **(extra or {}))
            .execution_options(synchronize_session=False)
        )
        if updated.rowcount != 1:
            raise VersionConflict(key, expected_version + 1)
        session.refresh(row)
        _record(session, row, change)
        return _view(row)


@store_errors
def create(doc: AnswerDoc, actor: str, *, url: str | None = None, tenant: str = LOCAL_TENANT) -> AnswerView:
    return _insert(doc, actor, Change.CREATED, url=url, tenant=tenant)


def _insert(
    doc: AnswerDoc, actor: str, change: Change, *, url: str | None, tenant: str, catalogue_hash: str | None = None
) -> AnswerView:
    _check(doc)
    try:
        with session_scope(url) as session:
            row = Answer(tenant=tenant, key=doc.key, version=1, catalogue_hash=catalogue_hash, **_fields(doc, actor))
            session.add(row)
            session.flush()
            _record(session, row, change)
            return _view(row)
    except sa.exc.IntegrityError as error:
        raise AnswerExists(doc.key) from error


@store_errors
def save(
    doc: AnswerDoc, expected_version: int, actor: str, *, url: str | None = None, tenant: str = LOCAL_TENANT
) -> AnswerView:
    """Save an edit; the answer keeps its status (an edit to a published answer goes live)."""
    return _replace_content(doc, expected_version, actor, Change.EDITED, url=url, tenant=tenant)


def _replace_content(
    doc: AnswerDoc,
    expected_version: int,
    actor: str,
    change: Change,
    *,
    url: str | None,
    tenant: str,
    extra: dict[str, object] | None = None,
) -> AnswerView:
    def keep_status(current: AnswerDoc) -> AnswerDoc:
        return doc.with_status(current.status)

    return _change(doc.key, expected_version, actor, change, keep_status, url=url, tenant=tenant, extra=extra)


_STATUS_CHANGE = {
    AnswerStatus.PUBLISHED: Change.PUBLISHED,
    AnswerStatus.DRAFT: Change.UNPUBLISHED,
    AnswerStatus.ARCHIVED: Change.ARCHIVED,
}


@store_errors
def set_status(
    key: str,
    status: AnswerStatus,
    expected_version: int,
    actor: str,
    *,
    url: str | None = None,
    tenant: str = LOCAL_TENANT,
) -> AnswerView:
    """Publish, unpublish (back to draft) or archive."""
    return _change(
        key,
        expected_version,
        actor,
        _STATUS_CHANGE[status],
        lambda current: current.with_status(status),
        url=url,
        tenant=tenant,
    )


@store_errors
def restore(
    key: str, version: int, expected_version: int, actor: str, *, url: str | None = None, tenant: str = LOCAL_TENANT
) -> AnswerView:
    """Bring back an earlier version's content, as a new version; the status stays as it is now."""
    old = next((v for v in history(key, url=url, tenant=tenant) if v.version == version), None)
    if old is None:
        raise AnswerError([f"«{key}» har ingen versjon {version}."])
    return _replace_content(old.doc, expected_version, actor, Change.RESTORED, url=url, tenant=tenant)


@store_errors
def get(key: str, *, url: str | None = None, tenant: str = LOCAL_TENANT) -> AnswerView:
    with session_scope(url) as session:
        return _view(_row(session, key, tenant))


@store_errors
def list_answers(
    *, theme: str | None = None, status: AnswerStatus | None = None, url: str | None = None, tenant: str = LOCAL_TENANT
) -> list[AnswerView]:
    """Every answer (or those of a theme or status), by theme and title."""
    query = sa.select(Answer).where(Answer.tenant == tenant)
    if theme:
        query = query.where(Answer.theme == theme)
    if status:
        query = query.where(Answer.status == status.value)
    with session_scope(url) as session:
        views = [_view(row) for row in session.execute(query).scalars()]
    return sorted(views, key=lambda v: (v.doc.theme, v.doc.title.get("nb", v.key).lower()))


@store_errors
def history(key: str, *, url: str | None = None, tenant: str = LOCAL_TENANT) -> list[VersionView]:
    """Every version of the answer, newest first."""
    with session_scope(url) as session:
        row = _row(session, key, tenant)
        return [
            VersionView(
                version=v.version,
                at=as_utc(v.at),
                actor=v.actor,
                change=v.change,
                doc=AnswerDoc.from_content(
                    row.key, v.theme, v.content, owner=v.owner, checked_on=v.checked_on, status=v.status
                ),
            )
            for v in reversed(row.versions)
        ]


@store_errors
def revision(*, url: str | None = None) -> int:
    """A number that grows with every change to the library: the bot reloads when it has grown."""
    with session_scope(url) as session:
        return session.execute(sa.select(sa.func.max(AnswerVersion.id))).scalar() or 0


@store_errors
def published(*, url: str | None = None, tenant: str = LOCAL_TENANT) -> list[AnswerDoc]:
    """The answers the bot may give: published ones only."""
    return [v.doc for v in list_answers(status=AnswerStatus.PUBLISHED, url=url, tenant=tenant)]


@store_errors
def add_from_catalogue(
    doc: AnswerDoc, digest: str, *, url: str | None = None, tenant: str = LOCAL_TENANT
) -> AnswerView:
    """Add a catalogue answer, remembering which catalogue text it came from (`digest`)."""
    return _insert(doc, CATALOGUE_ACTOR, Change.LOADED, url=url, tenant=tenant, catalogue_hash=digest)


@store_errors
def update_from_catalogue(
    doc: AnswerDoc, digest: str, expected_version: int, *, url: str | None = None, tenant: str = LOCAL_TENANT
) -> AnswerView:
    """Replace an answer nobody has edited with the catalogue's newer text; its status stays."""
    extra = {"catalogue_hash": digest}
    return _replace_content(doc, expected_version, CATALOGUE_ACTOR, Change.LOADED, url=url, tenant=tenant, extra=extra)

"""Staff accounts of the desk: argon2 password hashes, login throttling, sessions and API tokens.

Sessions and API tokens are random secrets handed out once; only their SHA-256 hashes are stored,
so a copy of the database lets nobody in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass, replace

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.exc import IntegrityError

from bot import login_attempts
from bot.cases.models import Base, as_utc, utcnow
from bot.db import session_scope

ROLES = ("agent", "editor", "admin")
# A «redaktør» works cases like a «saksbehandler» and also edits the answer library; an
# administrator may do everything.
ROLE_LABELS = {"agent": "Saksbehandler", "editor": "Redaktør", "admin": "Administrator"}
EDITOR_ROLES = frozenset({"editor", "admin"})
MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,99}")
_hasher = PasswordHasher()
# Verified against when the username is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class Staff(Base):
    __tablename__ = "sk_staff"

    id = sa.Column(sa.Integer, primary_key=True)
    username = sa.Column(sa.String(100), nullable=False, unique=True)
    full_name = sa.Column(sa.String(200), nullable=False)
    role = sa.Column(sa.String(16), nullable=False)
    password_hash = sa.Column(sa.String(255), nullable=False)
    active = sa.Column(sa.Boolean, nullable=False, default=True, server_default=sa.true())
    # No longer used (the waits are per client address: bot/login_attempts.py); kept for old rows.
    failed_logins = sa.Column(sa.Integer, nullable=False, default=0, server_default="0")
    locked_until = sa.Column(sa.DateTime(timezone=True))
    last_login_at = sa.Column(sa.DateTime(timezone=True))
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)


class StaffSession(Base):
    __tablename__ = "sk_sessions"

    token_hash = sa.Column(sa.String(64), primary_key=True)
    staff_id = sa.Column(sa.Integer, sa.ForeignKey("sk_staff.id", ondelete="CASCADE"), nullable=False, index=True)
    csrf_token = sa.Column(sa.String(64), nullable=False)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    expires_at = sa.Column(sa.DateTime(timezone=True), nullable=False, index=True)


class ApiToken(Base):
    __tablename__ = "sk_api_tokens"

    id = sa.Column(sa.Integer, primary_key=True)
    staff_id = sa.Column(sa.Integer, sa.ForeignKey("sk_staff.id", ondelete="CASCADE"), nullable=False, index=True)
    name = sa.Column(sa.String(100), nullable=False)
    token_hash = sa.Column(sa.String(64), nullable=False, unique=True)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    last_used_at = sa.Column(sa.DateTime(timezone=True))
    revoked_at = sa.Column(sa.DateTime(timezone=True))


class AccountError(ValueError):
    """Input that cannot make or change an account; the message is for staff to read."""


class LoginFailed(Exception):
    """Wrong username or password, a deactivated account, or an address that must wait first."""

    def __init__(self, retry_at: dt.datetime | None = None) -> None:
        super().__init__("login failed")
        self.retry_at = retry_at


@dataclass(frozen=True)
class StaffView:
    id: int
    username: str
    full_name: str
    role: str
    active: bool
    # Until when some client address must wait before it may try this account again.
    waiting_until: dt.datetime | None = None
    last_login_at: dt.datetime | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_edit_answers(self) -> bool:
        return self.role in EDITOR_ROLES

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @classmethod
    def of(cls, staff: Staff) -> StaffView:
        return cls(
            id=staff.id,
            username=staff.username,
            full_name=staff.full_name,
            role=staff.role,
            active=bool(staff.active),
            last_login_at=as_utc(staff.last_login_at),
        )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not _USERNAME.fullmatch(name):
        raise AccountError("Brukernavnet kan bare ha små bokstaver a–z, tall, punktum, bindestrek og understrek.")
    return name


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Passordet må ha minst {MIN_PASSWORD_LENGTH} tegn.")


def create_user(
    username: str, full_name: str, password: str, role: str = "agent", *, url: str | None = None
) -> StaffView:
    name = normalize_username(username)
    if role not in ROLES:
        raise AccountError("Rollen må være saksbehandler, redaktør eller administrator.")
    _check_password(password)
    full_name = " ".join((full_name or "").split())[:200] or name
    try:
        with session_scope(url) as session:
            staff = Staff(
                username=name,
                full_name=full_name,
                role=role,
                password_hash=_hasher.hash(password),
                active=True,
                failed_logins=0,
                created_at=utcnow(),
            )
            session.add(staff)
            session.flush()
            return StaffView.of(staff)
    except IntegrityError:
        raise AccountError(f"Brukernavnet «{name}» finnes allerede.") from None


def get_user(username: str, *, url: str | None = None) -> StaffView | None:
    with session_scope(url) as session:
        staff = session.execute(sa.select(Staff).where(Staff.username == (username or "").strip().lower())).scalar()
        return StaffView.of(staff) if staff else None


def list_users(*, url: str | None = None) -> list[StaffView]:
    with session_scope(url) as session:
        users = [StaffView.of(s) for s in session.execute(sa.select(Staff).order_by(Staff.username)).scalars()]
    waits = login_attempts.waiting_until([u.username for u in users], utcnow(), url=url)
    return [replace(u, waiting_until=waits[u.username]) for u in users]


def authenticate(
    username: str,
    password: str,
    *,
    address: str = login_attempts.UNKNOWN_ADDRESS,
    url: str | None = None,
    now: dt.datetime | None = None,
) -> StaffView:
    """The staff member, or LoginFailed (with `retry_at` when this address must wait first).

    Every attempt spends one argon2 verification, whether the account exists, is deactivated or
    must wait, so the time taken tells nothing. The waits are per (account, client address):
    `bot/login_attempts.py`.
    """
    now = now or utcnow()
    name = (username or "").strip().lower()
    _, retry_at = login_attempts.begin(name, address, now, url=url)
    if retry_at is not None:
        _spend_the_same_time(password)
        raise LoginFailed(retry_at)
    with session_scope(url) as session:
        staff = session.execute(sa.select(Staff).where(Staff.username == name)).scalar()
        if staff is None or not staff.active:
            _spend_the_same_time(password)
            raise LoginFailed()
        try:
            _hasher.verify(staff.password_hash, password or "")
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            raise LoginFailed() from None
        if _hasher.check_needs_rehash(staff.password_hash):
            staff.password_hash = _hasher.hash(password)
        staff.last_login_at = now
        user = StaffView.of(staff)
    login_attempts.succeeded(name, address, url=url)
    return user


def _spend_the_same_time(password: str) -> None:
    try:
        _hasher.verify(_DUMMY_HASH, password or "")
    except VerificationError:
        pass


def set_password(username: str, password: str, *, url: str | None = None) -> None:
    """An administrator's reset: the new password, every login session ended, every wait lifted."""
    _check_password(password)
    with session_scope(url) as session:
        staff = _staff(session, username)
        staff.password_hash = _hasher.hash(password)
        session.execute(sa.delete(StaffSession).where(StaffSession.staff_id == staff.id))
    login_attempts.unlock(username.strip().lower(), url=url)


def change_own_password(
    username: str, current: str, new: str, *, keep_session: str | None = None, url: str | None = None
) -> None:
    """A staff member's own change: the current password first; every other session of theirs ends."""
    _check_password(new)
    with session_scope(url) as session:
        staff = _staff(session, username)
        try:
            _hasher.verify(staff.password_hash, current or "")
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            raise AccountError("Det nåværende passordet er feil.") from None
        if current == new:
            raise AccountError("Det nye passordet må være et annet enn det gamle.")
        staff.password_hash = _hasher.hash(new)
        others = sa.delete(StaffSession).where(StaffSession.staff_id == staff.id)
        if keep_session:
            others = others.where(StaffSession.token_hash != _digest(keep_session))
        session.execute(others)


def update_user(
    username: str,
    *,
    role: str | None = None,
    active: bool | None = None,
    unlock: bool = False,
    actor: str | None = None,
    url: str | None = None,
) -> StaffView:
    """Change role, (de)activate, or lift a lockout. Deactivation ends the user's sessions and tokens.

    `actor`, the administrator making the change (None from the command line), cannot deactivate
    themselves or give up their own administrator role: a desk must keep an administrator.
    """
    if actor is not None and actor.strip().lower() == (username or "").strip().lower():
        if active is False:
            raise AccountError("Du kan ikke deaktivere deg selv.")
        if role is not None and role != "admin":
            raise AccountError("Du kan ikke ta fra deg selv administratorrollen.")
    with session_scope(url) as session:
        staff = _staff(session, username)
        if role is not None:
            if role not in ROLES:
                raise AccountError("Rollen må være saksbehandler, redaktør eller administrator.")
            staff.role = role
        if active is not None:
            staff.active = active
            if not active:  # for good: reactivating the user revives no session and no token
                session.execute(sa.delete(StaffSession).where(StaffSession.staff_id == staff.id))
                session.execute(
                    sa.update(ApiToken)
                    .where(ApiToken.staff_id == staff.id, ApiToken.revoked_at.is_(None))
                    .values(revoked_at=utcnow())
                )
        session.flush()
        view = StaffView.of(staff)
    if unlock:
        login_attempts.unlock(view.username, url=url)
    return view


def _staff(session: sa.orm.Session, username: str) -> Staff:
    staff = session.execute(sa.select(Staff).where(Staff.username == (username or "").strip().lower())).scalar()
    if staff is None:
        raise AccountError(f"Fant ingen bruker «{username}».")
    return staff


# --- login sessions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginSession:
    user: StaffView
    csrf_token: str
    expires_at: dt.datetime


def start_session(user: StaffView, *, hours: int = 10, url: str | None = None) -> tuple[str, LoginSession]:
    """A new session for the user; the token goes in the cookie and is never stored in clear."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = utcnow()
    expires = now + dt.timedelta(hours=hours)
    with session_scope(url) as session:
        session.execute(sa.delete(StaffSession).where(StaffSession.expires_at < now))
        session.add(
            StaffSession(
                token_hash=_digest(token), staff_id=user.id, csrf_token=csrf, created_at=now, expires_at=expires
            )
        )
    return token, LoginSession(user, csrf, expires)


def get_session(token: str | None, *, url: str | None = None) -> LoginSession | None:
    if not token:
        return None
    with session_scope(url) as session:
        row = session.execute(
            sa.select(StaffSession, Staff)
            .join(Staff, Staff.id == StaffSession.staff_id)
            .where(StaffSession.token_hash == _digest(token))
        ).first()
        if row is None:
            return None
        login, staff = row
        expires = as_utc(login.expires_at)
        if expires <= utcnow() or not staff.active:
            session.delete(login)
            return None
        return LoginSession(StaffView.of(staff), login.csrf_token, expires)


def end_session(token: str | None, *, url: str | None = None) -> None:
    if token:
        with session_scope(url) as session:
            session.execute(sa.delete(StaffSession).where(StaffSession.token_hash == _digest(token)))


# --- API tokens -------------------------------------------------------------------------------

API_TOKEN_PREFIX = "skd_"


def create_api_token(username: str, name: str = "saksystem", *, url: str | None = None) -> str:
    """A new API token acting as `username`; shown once, stored only as a hash."""
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with session_scope(url) as session:
        staff = _staff(session, username)
        if not staff.active:
            raise AccountError(f"Brukeren «{staff.username}» er deaktivert.")
        session.add(
            ApiToken(
                staff_id=staff.id, name=(name or "saksystem")[:100], token_hash=_digest(token), created_at=utcnow()
            )
        )
    return token


@dataclass(frozen=True)
class TokenView:
    id: int
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None


def list_api_tokens(username: str, *, url: str | None = None) -> list[TokenView]:
    """The user's API tokens that still work (never the tokens themselves: only their hashes exist)."""
    with session_scope(url) as session:
        staff = _staff(session, username)
        rows = session.execute(
            sa.select(ApiToken)
            .where(ApiToken.staff_id == staff.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.id)
        ).scalars()
        return [TokenView(t.id, t.name, as_utc(t.created_at), as_utc(t.last_used_at)) for t in rows]


def revoke_api_tokens(username: str, *, token_id: int | None = None, url: str | None = None) -> int:
    """Revoke one of the user's API tokens (`token_id`), or all of them; returns how many."""
    with session_scope(url) as session:
        staff = _staff(session, username)
        statement = sa.update(ApiToken).where(ApiToken.staff_id == staff.id, ApiToken.revoked_at.is_(None))
        if token_id is not None:
            statement = statement.where(ApiToken.id == token_id)
        return session.execute(statement.values(revoked_at=utcnow())).rowcount


def api_token_user(token: str | None, *, url: str | None = None) -> StaffView | None:
    if not token or not token.startswith(API_TOKEN_PREFIX):
        return None
    with session_scope(url) as session:
        row = session.execute(
            sa.select(ApiToken, Staff)
            .join(Staff, Staff.id == ApiToken.staff_id)
            .where(ApiToken.token_hash == _digest(token), ApiToken.revoked_at.is_(None))
        ).first()
        if row is None or not row[1].active:
            return None
        row[0].last_used_at = utcnow()
        return StaffView.of(row[1])

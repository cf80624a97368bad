"""Throttling desk logins: a growing wait per (account, client address), and a cap per address.

Every attempt is first written and committed as a row (`sk_login_attempts`), and only then counts
every other row of its kind, so each of several parallel guesses sees at least those that counted
before it, on SQLite as on PostgreSQL. (Counting only the rows with a lower id let a burst through on
PostgreSQL: ids are handed out in one order and committed in another.) A right password deletes the
rows of its (account, address); a refused attempt (one that had to wait) deletes its own, so
waiting does not make the wait longer. The account name is the one typed, whether it exists or
not, so an unknown account answers exactly like a known one. Staff at the office are never locked
out by someone guessing from elsewhere: the wait is for that address only. Both are stored as
keyed hashes (`_key`): a name typed into the wrong field (an ID number, a password) is not kept,
nor the client's address.

- After `FREE_FAILURES` wrong passwords for one account from one address (within
  `PAIR_WINDOW`), the next attempt must wait 1 minute after the last one, then 2, 4 … up to
  `MAX_WAIT`.
- One address may make `ADDRESS_FAILURES` wrong attempts in `ADDRESS_WINDOW`, over all accounts.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from bot.cases.models import Base, as_utc
from bot.db import session_scope
from bot.pii import keyed_hash
from bot.waits import growing_wait

FREE_FAILURES = 5
PAIR_WINDOW = dt.timedelta(hours=24)
MAX_WAIT = dt.timedelta(hours=1)
ADDRESS_FAILURES = 30
ADDRESS_WINDOW = dt.timedelta(minutes=15)
UNKNOWN_ADDRESS = "-"


class LoginAttempt(Base):
    __tablename__ = "sk_login_attempts"

    id = sa.Column(sa.Integer, primary_key=True)
    username = sa.Column(sa.String(100), nullable=False)
    address = sa.Column(sa.String(64), nullable=False)
    at = sa.Column(sa.DateTime(timezone=True), nullable=False, index=True)

    __table_args__ = (sa.Index("ix_sk_login_attempts_user_address", "username", "address"),)


def _key(kind: str, value: str) -> str:
    return keyed_hash(f"login-{kind}", value, 40)


def wait_after(failures: int) -> dt.timedelta:
    """How long after the last failure the next attempt must wait, after `failures` failures."""
    return growing_wait(failures, FREE_FAILURES, MAX_WAIT)


def begin(username: str, address: str, now: dt.datetime, *, url: str | None = None) -> tuple[int, dt.datetime | None]:
    """Record an attempt; returns its id, and when it may be tried again if it must wait now."""
    username, address = _key("user", username), _key("address", address or UNKNOWN_ADDRESS)
    with session_scope(url) as session:
        session.execute(sa.delete(LoginAttempt).where(LoginAttempt.at < now - PAIR_WINDOW))
        attempt = LoginAttempt(username=username, address=address, at=now)
        session.add(attempt)
        session.flush()
        attempt_id = int(attempt.id)
    with session_scope(url) as session:
        others = LoginAttempt.id != attempt_id
        pair = session.execute(
            sa.select(sa.func.count(), sa.func.max(LoginAttempt.at)).where(
                others,
                LoginAttempt.username == username,
                LoginAttempt.address == address,
                LoginAttempt.at >= now - PAIR_WINDOW,
            )
        ).one()
        failures, last = int(pair[0]), as_utc(pair[1])
        retry_at = last + wait_after(failures) if last and failures >= FREE_FAILURES else None
        by_address = session.execute(
            sa.select(sa.func.count(), sa.func.min(LoginAttempt.at)).where(
                others, LoginAttempt.address == address, LoginAttempt.at >= now - ADDRESS_WINDOW
            )
        ).one()
        if int(by_address[0]) >= ADDRESS_FAILURES:
            address_retry = as_utc(by_address[1]) + ADDRESS_WINDOW
            retry_at = max(retry_at, address_retry) if retry_at else address_retry
    if retry_at is not None and retry_at > now:
        forget(attempt_id, url=url)
        return attempt_id, retry_at
    return attempt_id, None


def forget(attempt_id: int, *, url: str | None = None) -> None:
    with session_scope(url) as session:
        session.execute(sa.delete(LoginAttempt).where(LoginAttempt.id == attempt_id))


def succeeded(username: str, address: str, *, url: str | None = None) -> None:
    """A right password: the (account, address) starts afresh."""
    with session_scope(url) as session:
        session.execute(
            sa.delete(LoginAttempt).where(
                LoginAttempt.username == _key("user", username),
                LoginAttempt.address == _key("address", address or UNKNOWN_ADDRESS),
            )
        )


def unlock(username: str, *, url: str | None = None) -> None:
    """An administrator lifts every wait on the account, from every address."""
    with session_scope(url) as session:
        session.execute(sa.delete(LoginAttempt).where(LoginAttempt.username == _key("user", username)))


def waiting_until(usernames: list[str], now: dt.datetime, *, url: str | None = None) -> dict[str, dt.datetime | None]:
    """Per account, the latest moment until which some address must wait before trying it again."""
    keys = {_key("user", name): name for name in usernames}
    with session_scope(url) as session:
        rows = session.execute(
            sa.select(LoginAttempt.username, sa.func.count(), sa.func.max(LoginAttempt.at))
            .where(LoginAttempt.username.in_(list(keys)), LoginAttempt.at >= now - PAIR_WINDOW)
            .group_by(LoginAttempt.username, LoginAttempt.address)
        ).all()
    found: dict[str, dt.datetime | None] = dict.fromkeys(usernames)
    for key, count, last in rows:
        until = as_utc(last) + wait_after(int(count))
        name = keys[key]
        if int(count) >= FREE_FAILURES and until > now and (found[name] is None or until > found[name]):
            found[name] = until
    return found

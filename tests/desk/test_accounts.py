"""Staff accounts: argon2 hashes, lockout after repeated wrong passwords, sessions, API tokens."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from bot import accounts
from bot.cases.models import utcnow
from bot.db import get_engine
from tests.desk.conftest import PASSWORD


def _row(url: str, sql: str, **params: object) -> tuple:
    with get_engine(url).connect() as connection:
        return connection.execute(sa.text(sql), params).one()


def test_passwords_are_stored_as_argon2_hashes(db_url: str) -> None:
    accounts.create_user("Kari", "Kari Saksbehandler", PASSWORD)
    (stored,) = _row(db_url, "SELECT password_hash FROM sk_staff WHERE username = 'kari'")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.authenticate("KARI ", PASSWORD).username == "kari"


def test_bad_accounts_are_refused(db_url: str) -> None:
    with pytest.raises(accounts.AccountError, match="minst"):
        accounts.create_user("kari", "Kari", "kort")
    with pytest.raises(accounts.AccountError):
        accounts.create_user("kari <script>", "Kari", PASSWORD)
    with pytest.raises(accounts.AccountError):
        accounts.create_user("kari", "Kari", PASSWORD, role="superuser")
    accounts.create_user("kari", "Kari", PASSWORD)
    with pytest.raises(accounts.AccountError, match="finnes"):
        accounts.create_user("kari", "Kari 2", PASSWORD)


def test_wrong_password_and_unknown_user_fail_alike(db_url: str) -> None:
    accounts.create_user("kari", "Kari", PASSWORD)
    for username, password in (("kari", "feil-passord-123"), ("nobody", PASSWORD), ("kari", "")):
        with pytest.raises(accounts.LoginFailed) as failed:
            accounts.authenticate(username, password)
        assert failed.value.locked_until is None


def test_five_wrong_passwords_lock_the_account_for_a_while(db_url: str) -> None:
    accounts.create_user("kari", "Kari", PASSWORD)
    now = utcnow()
    for attempt in range(accounts.MAX_FAILED_LOGINS):
        with pytest.raises(accounts.LoginFailed) as failed:
            accounts.authenticate("kari", f"feil-{attempt}-passord", now=now)
    assert failed.value.locked_until == now + accounts.LOCKOUT
    # Locked: even the right password is refused...
    with pytest.raises(accounts.LoginFailed) as still:
        accounts.authenticate("kari", PASSWORD, now=now + dt.timedelta(minutes=14))
    assert still.value.locked_until is not None
    # ...until the lockout has passed.
    assert accounts.authenticate("kari", PASSWORD, now=now + accounts.LOCKOUT + dt.timedelta(seconds=1))


def test_a_right_password_resets_the_count(db_url: str) -> None:
    accounts.create_user("kari", "Kari", PASSWORD)
    for _ in range(accounts.MAX_FAILED_LOGINS - 1):
        with pytest.raises(accounts.LoginFailed):
            accounts.authenticate("kari", "feil-passord-123")
    accounts.authenticate("kari", PASSWORD)
    with pytest.raises(accounts.LoginFailed) as failed:
        accounts.authenticate("kari", "feil-passord-123")
    assert failed.value.locked_until is None


def test_an_admin_can_unlock_and_deactivate(db_url: str) -> None:
    accounts.create_user("kari", "Kari", PASSWORD)
    for _ in range(accounts.MAX_FAILED_LOGINS):
        with pytest.raises(accounts.LoginFailed):
            accounts.authenticate("kari", "feil-passord-123")
    accounts.update_user("kari", unlock=True)
    user = accounts.authenticate("kari", PASSWORD)
    token, _ = accounts.start_session(user)
    accounts.update_user("kari", active=False)
    assert accounts.get_session(token) is None
    with pytest.raises(accounts.LoginFailed):
        accounts.authenticate("kari", PASSWORD)


def test_sessions_are_stored_hashed_and_end(db_url: str) -> None:
    user = accounts.create_user("kari", "Kari", PASSWORD)
    token, login = accounts.start_session(user, hours=1)
    (stored,) = _row(db_url, "SELECT token_hash FROM sk_sessions")
    assert stored != token and token not in stored
    again = accounts.get_session(token)
    assert again is not None and again.user.username == "kari" and again.csrf_token == login.csrf_token
    assert accounts.get_session(token + "x") is None
    accounts.end_session(token)
    assert accounts.get_session(token) is None


def test_expired_sessions_are_refused(db_url: str) -> None:
    user = accounts.create_user("kari", "Kari", PASSWORD)
    token, _ = accounts.start_session(user, hours=0)
    assert accounts.get_session(token) is None


def test_api_tokens_act_as_their_user_until_revoked(db_url: str) -> None:
    accounts.create_user("kari", "Kari", PASSWORD)
    token = accounts.create_api_token("kari", "saksystem")
    (stored,) = _row(db_url, "SELECT token_hash FROM sk_api_tokens")
    assert token not in stored
    assert accounts.api_token_user(token).username == "kari"
    assert accounts.api_token_user("skd_wrong") is None
    assert accounts.revoke_api_tokens("kari") == 1
    assert accounts.api_token_user(token) is None


def test_an_administrator_cannot_deactivate_or_demote_themselves(db_url: str) -> None:
    """The rule is in bot.accounts, for the desk and any other caller (the command line passes no actor)."""
    accounts.create_user("anne", "Anne Admin", "et langt passord 123", "admin", url=db_url)
    with pytest.raises(accounts.AccountError, match="deaktivere deg selv"):
        accounts.update_user("anne", active=False, actor="anne", url=db_url)
    with pytest.raises(accounts.AccountError, match="administratorrollen"):
        accounts.update_user("Anne", role="agent", actor="anne", url=db_url)
    assert accounts.get_user("anne", url=db_url).active and accounts.get_user("anne", url=db_url).is_admin
    assert accounts.update_user("anne", role="agent", url=db_url).role == "agent"

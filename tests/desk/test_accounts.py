"""Staff accounts: argon2 hashes, waits after repeated wrong passwords, sessions, API tokens."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from bot import accounts, login_attempts
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
        assert failed.value.retry_at is None


def _fail(username: str, address: str, now: dt.datetime, times: int = 1) -> accounts.LoginFailed:
    for _ in range(times):
        with pytest.raises(accounts.LoginFailed) as failed:
            accounts.authenticate(username, "feil-passord-123", address=address, now=now)
    return failed.value


def test_wrong_passwords_make_that_address_wait_longer_and_longer(db_url: str) -> None:
    accounts.create_user("kari", "Kari", PASSWORD)
    now = utcnow()
    assert _fail("kari", "203.0.113.9", now, login_attempts.FREE_FAILURES).retry_at is None
    # The sixth attempt from there must wait a minute after the fifth, even with the right password.
    waited = _fail("kari", "203.0.113.9", now)
    assert waited.retry_at == now + dt.timedelta(minutes=1)
    with pytest.raises(accounts.LoginFailed) as still:
        accounts.authenticate("kari", PASSWORD, address="203.0.113.9", now=now + dt.timedelta(seconds=30))
    assert still.value.retry_at == now + dt.timedelta(minutes=1)
    # Waiting did not make the wait longer; after it, one more guess, then 2 minutes, then 4.
    later = now + dt.timedelta(minutes=1, seconds=1)
    assert _fail("kari", "203.0.113.9", later).retry_at is None
    assert _fail("kari", "203.0.113.9", later).retry_at == later + dt.timedelta(minutes=2)
    later += dt.timedelta(minutes=2, seconds=1)
    assert _fail("kari", "203.0.113.9", later).retry_at is None
    assert _fail("kari", "203.0.113.9", later).retry_at == later + dt.timedelta(minutes=4)
    # Kari at the office is not locked out by the guesses from elsewhere.
    assert accounts.authenticate("kari", PASSWORD, address="10.1.2.3", now=later).username == "kari"


def test_an_unknown_account_waits_exactly_like_a_known_one(db_url: str) -> None:
    accounts.create_user("kari", "Kari", PASSWORD)
    now = utcnow()
    known = _fail("kari", "203.0.113.9", now, login_attempts.FREE_FAILURES + 1)
    unknown = _fail("finnes.ikke", "203.0.113.9", now, login_attempts.FREE_FAILURES + 1)
    assert known.retry_at == unknown.retry_at == now + dt.timedelta(minutes=1)


def test_every_attempt_spends_one_password_hash(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    accounts.create_user("kari", "Kari", PASSWORD)
    accounts.create_user("ola", "Ola", PASSWORD)
    accounts.update_user("ola", active=False)
    verified: list[str] = []
    real = accounts._hasher

    class Counting:
        def verify(self, stored: str, password: str) -> bool:
            verified.append(stored)
            return real.verify(stored, password)

        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

    monkeypatch.setattr(accounts, "_hasher", Counting())
    now = utcnow()
    _fail("kari", "203.0.113.9", now, login_attempts.FREE_FAILURES + 1)  # the last one had to wait
    _fail("nobody", "203.0.113.9", now)
    _fail("ola", "203.0.113.9", now)
    assert len(verified) == login_attempts.FREE_FAILURES + 3


def test_one_address_may_guess_only_so_often_over_all_accounts(db_url: str) -> None:
    accounts.create_user("kari", "Kari", PASSWORD)
    now = utcnow()
    for number in range(login_attempts.ADDRESS_FAILURES):
        assert _fail(f"gjett{number}", "203.0.113.9", now).retry_at is None
    with pytest.raises(accounts.LoginFailed) as failed:
        accounts.authenticate("kari", PASSWORD, address="203.0.113.9", now=now)
    assert failed.value.retry_at == now + login_attempts.ADDRESS_WINDOW
    assert accounts.authenticate("kari", PASSWORD, address="198.51.100.7", now=now)


def test_parallel_guesses_are_each_counted(db_url: str) -> None:
    """On SQLite too: each attempt is a row before it is judged, so ten at once are not one."""
    accounts.create_user("kari", "Kari", PASSWORD)
    now = utcnow()
    barrier = threading.Barrier(10)

    def guess(number: int) -> dt.datetime | None:
        barrier.wait()
        try:
            accounts.authenticate("kari", f"feil-{number}-passord", address="203.0.113.9", now=now)
        except accounts.LoginFailed as failed:
            return failed.retry_at
        raise AssertionError("a wrong password was accepted")

    with ThreadPoolExecutor(10) as pool:
        waits = list(pool.map(guess, range(10)))
    assert sum(1 for wait in waits if wait is None) <= login_attempts.FREE_FAILURES
    assert any(wait is not None for wait in waits)


def test_attempts_committed_out_of_id_order_are_counted(db_url: str) -> None:
    """On PostgreSQL ids are handed out in one order and committed in another: an attempt whose row
    has a higher id but was committed first must count too (counting only lower ids let a burst of
    parallel guesses through, now and then, in CI)."""
    now = utcnow()
    pair = {"username": login_attempts._key("user", "kari"), "address": login_attempts._key("address", "203.0.113.9")}
    with get_engine(db_url).begin() as connection:
        connection.execute(
            sa.insert(login_attempts.LoginAttempt),
            [{"id": 1_000_000 + number, **pair, "at": now} for number in range(login_attempts.FREE_FAILURES)],
        )
    assert _fail("kari", "203.0.113.9", now).retry_at == now + login_attempts.wait_after(login_attempts.FREE_FAILURES)


def test_a_right_password_resets_the_count(db_url: str) -> None:
    accounts.create_user("kari", "Kari", PASSWORD)
    now = utcnow()
    _fail("kari", "203.0.113.9", now, login_attempts.FREE_FAILURES - 1)
    accounts.authenticate("kari", PASSWORD, address="203.0.113.9", now=now)
    assert _fail("kari", "203.0.113.9", now, login_attempts.FREE_FAILURES).retry_at is None


def test_an_admin_can_unlock_and_deactivate(db_url: str) -> None:
    accounts.create_user("kari", "Kari", PASSWORD)
    now = utcnow()
    _fail("kari", "203.0.113.9", now, login_attempts.FREE_FAILURES + 1)
    [kari] = accounts.list_users()
    assert kari.waiting_until == now + dt.timedelta(minutes=1)
    accounts.update_user("kari", unlock=True)
    assert accounts.list_users()[0].waiting_until is None
    user = accounts.authenticate("kari", PASSWORD, address="203.0.113.9", now=now)
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


def test_one_token_can_be_revoked_and_the_others_keep_working(db_url: str) -> None:
    accounts.create_user("kari", "Kari", PASSWORD)
    first = accounts.create_api_token("kari", "saksystem")
    second = accounts.create_api_token("kari", "rapporter")
    [one, two] = accounts.list_api_tokens("kari")
    assert (one.name, two.name) == ("saksystem", "rapporter")
    assert accounts.revoke_api_tokens("kari", token_id=one.id) == 1
    assert accounts.api_token_user(first) is None and accounts.api_token_user(second).username == "kari"
    assert [t.name for t in accounts.list_api_tokens("kari")] == ["rapporter"]
    assert accounts.revoke_api_tokens("kari", token_id=one.id) == 0


def test_deactivating_ends_every_session_and_token_for_good(db_url: str) -> None:
    user = accounts.create_user("kari", "Kari", PASSWORD)
    session, _ = accounts.start_session(user)
    token = accounts.create_api_token("kari")
    accounts.update_user("kari", active=False)
    accounts.update_user("kari", active=True)
    assert accounts.get_session(session) is None
    assert accounts.api_token_user(token) is None  # reactivation revives nothing
    assert accounts.list_api_tokens("kari") == []


def test_changing_ones_own_password_needs_the_current_one_and_ends_other_sessions(db_url: str) -> None:
    user = accounts.create_user("kari", "Kari", PASSWORD)
    here, _ = accounts.start_session(user)
    elsewhere, _ = accounts.start_session(user)
    with pytest.raises(accounts.AccountError, match="nåværende"):
        accounts.change_own_password("kari", "feil-passord-123", "et nytt langt passord", keep_session=here)
    with pytest.raises(accounts.AccountError, match="minst"):
        accounts.change_own_password("kari", PASSWORD, "kort", keep_session=here)
    with pytest.raises(accounts.AccountError, match="annet"):
        accounts.change_own_password("kari", PASSWORD, PASSWORD, keep_session=here)
    assert accounts.get_session(elsewhere) is not None
    accounts.change_own_password("kari", PASSWORD, "et nytt langt passord", keep_session=here)
    assert accounts.get_session(here) is not None and accounts.get_session(elsewhere) is None
    with pytest.raises(accounts.LoginFailed):
        accounts.authenticate("kari", PASSWORD)
    assert accounts.authenticate("kari", "et nytt langt passord").username == "kari"


def test_an_admin_reset_ends_every_session(db_url: str) -> None:
    user = accounts.create_user("kari", "Kari", PASSWORD)
    session, _ = accounts.start_session(user)
    accounts.set_password("kari", "satt av administrator")
    assert accounts.get_session(session) is None
    assert accounts.authenticate("kari", "satt av administrator").username == "kari"


def test_the_command_line_resets_passwords_and_revokes_tokens(db_url: str) -> None:
    accounts.create_user("kari", "Kari", PASSWORD)
    token = accounts.create_api_token("kari", "saksystem")
    run = [sys.executable, "-m", "bot.desk"]
    env = {**os.environ, "DATABASE_URL": db_url}

    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([*run, *args], input=stdin, env=env, capture_output=True, text=True, check=False)

    done = cli("set-password", "kari", "--password-stdin", stdin="fra kommandolinja\n")
    assert done.returncode == 0 and "er satt" in done.stdout
    assert accounts.authenticate("kari", "fra kommandolinja").username == "kari"
    listed = cli("list-tokens", "kari")
    [line] = listed.stdout.splitlines()
    token_id = line.split("\t")[0]
    assert "saksystem" in line and token not in listed.stdout
    assert cli("revoke-token", "kari", "--id", "999").returncode == 1
    assert cli("revoke-token", "kari", "--id", token_id).returncode == 0
    assert accounts.api_token_user(token) is None
    assert "ingen API-nøkler" in cli("list-tokens", "kari").stdout


def test_an_administrator_cannot_deactivate_or_demote_themselves(db_url: str) -> None:
    """The rule is in bot.accounts, for the desk and any other caller (the command line passes no actor)."""
    accounts.create_user("anne", "Anne Admin", "et langt passord 123", "admin", url=db_url)
    with pytest.raises(accounts.AccountError, match="deaktivere deg selv"):
        accounts.update_user("anne", active=False, actor="anne", url=db_url)
    with pytest.raises(accounts.AccountError, match="administratorrollen"):
        accounts.update_user("Anne", role="agent", actor="anne", url=db_url)
    assert accounts.get_user("anne", url=db_url).active and accounts.get_user("anne", url=db_url).is_admin
    assert accounts.update_user("anne", role="agent", url=db_url).role == "agent"

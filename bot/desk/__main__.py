"""Command line of the desk.

python -m bot.desk serve [--host H] [--port P]      start the desk (DESK_HOST, DESK_PORT)
python -m bot.desk create-user [--role admin] ...   a staff account (asks for the password)
python -m bot.desk create-token USERNAME            an API token acting as that user
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import sys
from typing import Any

from bot import accounts
from bot.db.migrate import upgrade
from bot.settings import get_settings

logger = logging.getLogger(__name__)


async def _warm_up(app: Any) -> None:
    """Builds the answer index and loads the safety classifier once the desk is up, in the
    background: otherwise the first «Prøv et spørsmål» waits for both (10-30 s)."""
    from bot.answers import trial

    try:
        await asyncio.to_thread(trial.try_question, "hei")
    except Exception:  # the editor builds them on first use instead
        logger.warning("Could not prepare «Prøv et spørsmål» in advance", exc_info=True)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Passord: ")
    if first != getpass.getpass("Gjenta passordet: "):
        raise accounts.AccountError("Passordene er ikke like.")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.desk", description="Saksbehandling for servicekontoret")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="start the desk")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)

    create_user = commands.add_parser("create-user", help="create a staff account")
    create_user.add_argument("--username", "-u")
    create_user.add_argument("--name", "-n", help="full name")
    create_user.add_argument("--role", choices=accounts.ROLES, default="agent")
    create_user.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    create_token = commands.add_parser("create-token", help="create an API token for the case system")
    create_token.add_argument("username")
    create_token.add_argument("--name", default="saksystem", help="what the token is for")

    set_password = commands.add_parser("set-password", help="set a staff member's password (ends their sessions)")
    set_password.add_argument("username")
    set_password.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    list_tokens = commands.add_parser("list-tokens", help="list a staff member's API tokens that still work")
    list_tokens.add_argument("username")

    revoke_token = commands.add_parser("revoke-token", help="revoke an API token (or all of a staff member's)")
    revoke_token.add_argument("username")
    which = revoke_token.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", type=int, help="the token's number, as list-tokens shows it")
    which.add_argument("--all", action="store_true", help="every token of the user")

    args = parser.parse_args(argv)
    settings = get_settings()

    if args.command == "serve":
        from bot.desk.app import create_app

        app = create_app("desk")
        app.add_task(_warm_up)
        app.run(
            host=args.host or settings.desk_host,
            port=args.port or settings.desk_port,
            access_log=os.environ.get("DESK_ACCESS_LOG", "") == "1",
            workers=1,
            motd=False,
        )
        return 0

    upgrade()
    try:
        if args.command == "create-user":
            username = args.username or input("Brukernavn: ")
            name = args.name or input("Fullt navn: ")
            user = accounts.create_user(username, name, _password(args.password_stdin), args.role)
            print(
                f"Opprettet {user.role_label.lower()} «{user.username}». Logg inn på http://localhost:{settings.desk_port}/"
            )
        elif args.command == "set-password":
            accounts.set_password(args.username, _password(args.password_stdin))
            print(f"Passordet til «{args.username}» er satt. Brukeren er logget ut overalt.")
        elif args.command == "list-tokens":
            tokens = accounts.list_api_tokens(args.username)
            for token in tokens:
                used = token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "aldri brukt"
                print(f"{token.id}\t{token.name}\tlaget {token.created_at.isoformat(timespec='minutes')}\t{used}")
            if not tokens:
                print(f"«{args.username}» har ingen API-nøkler som virker.")
        elif args.command == "revoke-token":
            count = accounts.revoke_api_tokens(args.username, token_id=None if args.all else args.id)
            if not count and not args.all:
                raise accounts.AccountError(f"«{args.username}» har ingen virkende API-nøkkel med nummer {args.id}.")
            print(f"Trakk tilbake {count} API-nøkkel(er). De virker ikke lenger.")
        else:
            token = accounts.create_api_token(args.username, args.name)
            print("API-nøkkel (vises bare nå, ta vare på den):")
            print(token)
    except accounts.AccountError as error:
        print(f"Feil: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Command line of the database (DATABASE_URL).

python -m bot.db upgrade [REVISION]          bring the schema up to date (or to REVISION)
python -m bot.db downgrade REVISION          take the schema back to REVISION (never without one:
                                             `base` drops every table, with the tickets, the
                                             conversations' cases and the answer library)
python -m bot.db backup PATH [--overwrite]   a consistent copy of everything, also while the
                                             services run (bot/db/backup.py)
python -m bot.db restore PATH [--replace]    a backup back into the database, with the services
                                             stopped; then migrations and the retention run

backup and restore print what they did in Norwegian, for the municipality's IT; exit code 0 when
done, 1 on an error (the message says what went wrong and what to do), 2 for a wrong command line.
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import SQLAlchemyError

from bot.cases.service import CaseStoreError
from bot.db.backup import KIND_NAMES, BackupError, BackupReport, RestoreReport, backup, restore, shown_url
from bot.db.migrate import downgrade, upgrade
from bot.settings import get_settings

STOP_SERVICES = (
    "Tjenestene (Rasa, handlingsserveren og skranken) og de nattlige jobbene må være stoppet mens "
    "databasen gjenopprettes: «systemctl stop servicekontor.target servicekontor-retention.timer "
    "servicekontor-backup.timer», eller avslutt «make run»."
)
START_SERVICES = (
    "Start tjenestene igjen: «systemctl start servicekontor.target servicekontor-retention.timer "
    "servicekontor-backup.timer», eller «make run»."
)


def _size(size: int) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}".replace(".", ",")
    return f"{size} byte"


def backup_lines(report: BackupReport, url: str) -> list[str]:
    path = report.path.resolve()
    return [
        f"Sikkerhetskopi lagret: {path} ({KIND_NAMES[report.kind]}, {_size(report.size)}).",
        f"Database: {shown_url(url)}",
        "Filen inneholder personopplysninger og kan bare leses av eieren (rettigheter 600). Oppbevar den trygt.",
        f"Gjenopprett med: python -m bot.db restore {path}",
    ]


def restore_lines(report: RestoreReport, url: str) -> list[str]:
    retention = report.retention
    lines = [
        f"Gjenopprettet {report.path.resolve()} til {shown_url(url)} ({KIND_NAMES[report.kind]}).",
        "Databaseskjemaet er oppdatert til denne versjonen av programmet.",
        f"Lagringstiden ({retention.days} dager) er kjørt: {retention.tickets} saker anonymisert, "
        f"{retention.conversations} samtaler uten sak og {retention.events} hendelser i samtaleloggen slettet.",
        f"I databasen nå: {report.tickets} saker ({report.ticket_events} hendelser i sakshistorikken), "
        f"{report.events} hendelser i samtaleloggen, {report.answers} svar i svarbiblioteket.",
    ]
    if retention.failed:
        lines.append(
            f"{len(retention.failed)} saker kunne ikke anonymiseres nå; kjør «python -m bot.cases retention» "
            "før tjenestene startes."
        )
    lines.append(START_SERVICES)
    return lines


def _fail(message: str) -> int:
    print(f"Feil: {message}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.db", description="Databasen til servicekontoret (DATABASE_URL)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("upgrade", help="oppdater databaseskjemaet")
    up.add_argument("revision", nargs="?", default="head")
    down = commands.add_parser("downgrade", help="sett databaseskjemaet tilbake til en revisjon")
    down.add_argument("revision", nargs="?")
    save = commands.add_parser(
        "backup",
        help="ta sikkerhetskopi av hele databasen (saker, samtaler, svarbiblioteket)",
        description="Tar en sikkerhetskopi av hele databasen. Tjenestene kan kjøre imens.",
    )
    save.add_argument("path", metavar="FIL", help="filen sikkerhetskopien skrives til")
    save.add_argument("--overwrite", action="store_true", help="erstatt FIL hvis den finnes")
    load = commands.add_parser(
        "restore",
        help="gjenopprett en sikkerhetskopi (tjenestene må være stoppet)",
        description=f"Gjenoppretter en sikkerhetskopi. {STOP_SERVICES} Etterpå oppdateres databaseskjemaet, "
        "og lagringstiden i kommune.yml kjøres, slik at det som alt var slettet, ikke kommer tilbake.",
    )
    load.add_argument("path", metavar="FIL", help="sikkerhetskopien fra «python -m bot.db backup»")
    load.add_argument(
        "--replace", action="store_true", help="erstatt dataene som alt er i databasen (ellers nektes det)"
    )
    args = parser.parse_args(argv)

    if args.command == "upgrade":
        upgrade(revision=args.revision)
        return 0
    if args.command == "downgrade":
        if not args.revision:
            parser.error(
                "downgrade trenger en revisjon, for eksempel «python -m bot.db downgrade 0008». "
                "«base» sletter alle tabellene med alle dataene."
            )
        downgrade(revision=args.revision)
        return 0

    url = get_settings().database_url
    try:
        if args.command == "backup":
            print("\n".join(backup_lines(backup(url, args.path, overwrite=args.overwrite), url)))
        else:
            print("\n".join(restore_lines(restore(url, args.path, replace=args.replace), url)))
    except BackupError as error:
        return _fail(str(error))
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        return _fail(f"{error.strerror or error}{where}. Sjekk at mappen finnes og at du har tilgang til den.")
    except (CaseStoreError, SQLAlchemyError) as error:
        return _fail(
            f"Databasen {shown_url(url)} svarte ikke, eller svarte med en feil ({error.__class__.__name__}). "
            "Sjekk DATABASE_URL og at databasen kjører, og prøv igjen."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

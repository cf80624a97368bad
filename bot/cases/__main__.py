"""Command line of the case queue.

python -m bot.cases retention [--dry-run]   anonymise closed tickets and delete old conversations
                                            past `lagringstid_dager` (bot/cases/retention.py)

Meant for a daily cron job or Kubernetes CronJob; running it twice changes nothing more. Each
run is recorded (`bot/cases/job_runs.py`), so that an alert can tell when it stopped.
Prints what it did in Norwegian. Exit code 0 when everything was done, 1 when some tickets
must wait for the next run or the database cannot be reached, 2 when kommune.yml is wrong.
"""

from __future__ import annotations

import argparse
import sys

import yaml
from sqlalchemy.exc import SQLAlchemyError

from bot.cases import job_runs
from bot.cases.models import utcnow
from bot.cases.retention import RetentionReport, apply_retention
from bot.cases.service import CaseStoreError
from bot.cases.vocabulary import LOCAL_TZ
from bot.db.migrate import upgrade
from bot.kommune import get_kommune
from bot.settings import get_settings


def report_lines(report: RetentionReport) -> list[str]:
    """The run's result as staff and operators read it."""
    cutoff = report.cutoff.astimezone(LOCAL_TZ).strftime("%d.%m.%Y kl. %H.%M")
    would = report.dry_run
    lines = [
        f"Lagringstid: {report.days} dager (lagringstid_dager i kommune.yml). Grense: {cutoff}.",
        f"{'Saker som ville blitt anonymisert' if would else 'Anonymiserte saker'}: {report.tickets}",
        f"{'Samtaler uten sak som ville blitt slettet' if would else 'Slettede samtaler uten sak'}: "
        f"{report.conversations}",
        f"{'Hendelser i samtaleloggen som ville blitt slettet' if would else 'Slettede hendelser i samtaleloggen'}: "
        f"{report.events}",
        f"{'Direktechatter uten sak som ville blitt slettet' if would else 'Slettede direktechatter uten sak'}: "
        f"{report.live_chats}",
    ]
    if would:
        lines.append("Prøvekjøring: ingenting er endret.")
    if report.failed:
        lines.append(
            f"{len(report.failed)} saker kunne ikke anonymiseres nå ({', '.join(report.failed[:10])}). "
            "De prøves igjen ved neste kjøring."
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.cases", description="Sakskøen til servicekontoret")
    commands = parser.add_subparsers(dest="command", required=True)
    retention = commands.add_parser(
        "retention", help="anonymiser lukkede saker og slett gamle samtaler etter lagringstiden i kommune.yml"
    )
    retention.add_argument("--dry-run", action="store_true", help="vis hva som ville blitt gjort, uten å endre noe")
    args = parser.parse_args(argv)

    try:
        days = get_kommune().retention_days
    except (OSError, KeyError, ValueError, yaml.YAMLError) as error:
        print(f"Kunne ikke lese kommune.yml ({get_settings().kommune_file}): {error}", file=sys.stderr)
        return 2
    started = utcnow()
    try:
        upgrade()
        report = apply_retention(days=days, dry_run=args.dry_run)
        if not args.dry_run:  # for the operator's metrics: when it last ran, and with what result
            job_runs.record(job_runs.RETENTION, started, not report.failed, "\n".join(report_lines(report)))
    except (CaseStoreError, SQLAlchemyError, OSError) as error:
        print(
            f"Fikk ikke kontakt med databasen ({error.__class__.__name__}). Prøv igjen senere; "
            "det som alt er gjort, blir ikke gjort på nytt.",
            file=sys.stderr,
        )
        return 1
    print("\n".join(report_lines(report)))
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())

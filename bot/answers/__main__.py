"""Command line of the answer library (messages in Norwegian, for the municipality's IT):

python -m bot.answers load [MAPPE]     # the catalogue (data/answers) into the database
python -m bot.answers export MAPPE     # every answer out, one YAML file per theme
python -m bot.answers check [MAPPE]    # the catalogue's answers against the publishing checks
python -m bot.answers ask "SPØRSMÅL"   # which published answers are closest to a question
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.answers import catalogue, live, render
from bot.answers.document import publish_problems
from bot.answers.store import known_placeholders
from bot.cases.service import CaseStoreError


def _load(directory: Path) -> int:
    result = catalogue.load(directory)
    print(
        f"Svarbiblioteket: {len(result.added)} nye, {len(result.updated)} oppdatert fra katalogen, "
        f"{result.unchanged} uendret, {len(result.kept)} endret av kommunen (ikke rørt)."
    )
    if result.drafts:
        print(f"Lagt inn som utkast fordi de ikke kan publiseres ennå: {', '.join(result.drafts)}")
    if result.blocked:
        print(f"Ikke oppdatert, fordi den nye teksten ikke kan publiseres: {', '.join(result.blocked)}")
    return 0


def _check(directory: Path) -> int:
    docs = catalogue.read(directory)
    known = known_placeholders()
    failures = [(doc.key, problem) for doc in docs for problem in publish_problems(doc, known, render.fill)]
    for key, problem in failures:
        print(f"{key}: {problem}")
    print(f"{len(docs)} svar i {directory}: {'alt i orden' if not failures else f'{len(failures)} feil'}.")
    return 1 if failures else 0


def _ask(question: str) -> int:
    snapshot = live.library().snapshot()
    matches = snapshot.index.rank(question, limit=3)
    if not matches:
        print("Ingen publiserte svar å søke i.")
        return 1
    for match in matches:
        doc = snapshot.answers[match.key]
        print(f"{match.confidence:.2f}  {match.key}  {doc.title.get('nb', '')}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.answers", description="Svarbiblioteket")
    parser.add_argument("command", choices=["load", "export", "check", "ask"])
    parser.add_argument("directory", nargs="?", help="en mappe (load, export, check) eller et spørsmål (ask)")
    args = parser.parse_args(argv)
    if args.command == "ask":
        return _ask(args.directory or "")
    if args.command == "export":
        if args.directory is None:
            parser.error("export trenger en mappe å skrive til")
        for path in catalogue.export(Path(args.directory)):
            print(path)
        return 0
    directory = Path(args.directory) if args.directory else catalogue.CATALOGUE
    try:
        return _load(directory) if args.command == "load" else _check(directory)
    except catalogue.CatalogueError as error:
        print(f"Katalogen kan ikke leses: {error}", file=sys.stderr)
        return 1
    except CaseStoreError:
        print("Fant ikke databasen, eller den er ikke oppdatert. Kjør python -m bot.db upgrade først.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

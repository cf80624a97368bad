"""Command line: `python -m bot.db upgrade` brings the case-queue schema up to date;
`python -m bot.db downgrade REVISION` takes it back to REVISION (never without one: `base`
drops every table, with the tickets, the conversations' cases and the answer library)."""

from __future__ import annotations

import argparse

from bot.db.migrate import downgrade, upgrade


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.db")
    parser.add_argument("command", choices=["upgrade", "downgrade"])
    parser.add_argument("revision", nargs="?")
    args = parser.parse_args()
    if args.command == "upgrade":
        upgrade(revision=args.revision or "head")
    elif not args.revision:
        parser.error(
            "downgrade trenger en revisjon, for eksempel «python -m bot.db downgrade 0008». "
            "«base» sletter alle tabellene med alle dataene."
        )
    else:
        downgrade(revision=args.revision)


if __name__ == "__main__":
    main()

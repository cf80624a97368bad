"""Command line: `python -m bot.db upgrade` brings the case-queue schema up to date."""

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
    else:
        downgrade(revision=args.revision or "base")


if __name__ == "__main__":
    main()

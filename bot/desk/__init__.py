"""The staff desk: a Sanic web app where service-office staff work the case queue.

Pages (Jinja2, bokmål) and a JSON API over `bot.cases` and `bot.accounts`; no business rules
of its own. Start it with `python -m bot.desk serve` (`make run` does).
"""

from bot.desk.app import create_app

__all__ = ["create_app"]

"""Starts a Rasa command (the Rasa server, the action server, the shell) so that its output is
what an operator needs: the start lines, the addresses and real errors.

Rasa's dependencies print pages of deprecation warnings at start (pkg_resources, TensorFlow,
matplotlib, distutils). `PYTHONWARNINGS=ignore::DeprecationWarning` (the Makefile sets it) cannot
hide them: importing Sanic 21.12, which Rasa pins, puts `filterwarnings("once", DeprecationWarning)`
in front of it. So this module imports Sanic first, puts the filter back in front, and then runs
Rasa's own command line unchanged:

    python -m bot.launch run --model models/servicekontor.tar.gz ...   # = rasa run ...
    python -m bot.launch run actions --actions actions                 # = rasa run actions ...

Every other warning (a UserWarning about the model or the data, say) still shows.

It is also the one place that installs our changes to Rasa (`bot/rasa_patches.py`): `prepare()`
runs before Rasa's command line, so `rasa run`, `rasa shell`, `rasa test` and training all run with
them. The tests and benchmarks that load a model in their own process call `prepare()` first.
It also gives the action server and the Rasa server their shared token (`bot/action_auth.py`), and
the action server its health and metrics routes (`bot/operations/routes.py`).
"""

from __future__ import annotations

import os
import sys
import warnings

# The largest request body the Rasa server reads (Sanic's default is 100 MB). Its channels need far
# less: the REST channel takes 256 kB, Messenger's webhooks and Socket.IO's polling a few kB.
RASA_REQUEST_MAX_BYTES = 1_000_000


def quiet_deprecations() -> None:
    """Hide deprecation warnings from here on, also after Sanic's import has asked to show them."""
    import sanic.app  # noqa: F401  (its import adds the filter we override)

    for category in (DeprecationWarning, PendingDeprecationWarning):
        warnings.filterwarnings("ignore", category=category)
    # Matplotlib's font parser warns through pyparsing with a UserWarning subclass, which Rasa
    # later sets to show «once» (in front of our filter): import it now, while nothing shows.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import matplotlib.pyplot  # noqa: F401


def prepare() -> None:
    """Install our changes to Rasa (checked against the Rasa installed) before any Rasa code runs."""
    from bot import rasa_patches

    rasa_patches.install()


def main(argv: list[str]) -> None:
    quiet_deprecations()
    prepare()
    from bot import action_auth

    # endpoints.yml sends it to the action server; the action server demands it.
    if not os.environ.get(action_auth.TOKEN_VARIABLE):  # unset or empty (`ACTION_SERVER_TOKEN=` in a file)
        os.environ[action_auth.TOKEN_VARIABLE] = action_auth.token()
    if argv[:2] == ["run", "actions"]:
        from bot.operations import routes

        action_auth.install()
        routes.install_on_action_server()
    elif argv[:1] == ["run"]:
        # Sanic reads SANIC_* into its config: the Rasa server refuses a larger body with 413 from
        # its Content-Length (or, chunked, as soon as it grows past it), before reading it.
        os.environ.setdefault("SANIC_REQUEST_MAX_SIZE", str(RASA_REQUEST_MAX_BYTES))
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *argv]
    rasa_main()


if __name__ == "__main__":
    main(sys.argv[1:])

"""Every change we make to Rasa's own code, in one list: what, why, and the test that guards it.

Rasa 3.6 is pinned (`requirements.lock`: rasa==3.6.21). `install()` first checks that the running
Rasa is that version and that every attribute we replace, or override in a subclass, exists;
otherwise it refuses with `RasaPatchError`, which names what is wrong, and the process does not
start. Without the check a renamed attribute would silently do nothing, or fail on every message
and reach the citizen as a polite «technical problem». Then it installs all patches; it is
idempotent.

`install()` is called in one place: `bot/launch.py`, through which every Rasa process starts (the
Procfile's servers, `make train`, `make shell`, and `python -m bot.launch test` for `rasa test`), so
all of them run with the same patches. The test suite and the benchmarks that load a model in their
own process start the same way (`bot.launch.prepare()`, called by `tests/conftest.py`).

Where Rasa loads our code, `require()` refuses to go on without the patches, with a message that
says how to start Rasa instead: `bot/channels/__init__.py` (the server's channels),
`bot/nlu/__init__.py` (our model's components: training, `rasa shell`, `rasa test`) and
`bot.tracker_store.CachedSQLTrackerStore` (built, and wrapped by Rasa, before the model loads). So a
plain `rasa run` or `rasa test` stops at once instead of running without them.

Patched (replaced) attributes, each with why and the test that compares it with Rasa's own behaviour:

- `RemoteAction._validate_action_result` → `bot.speedups._validate_action_result`: a validator built
  once, not per call (a fifth of the server's CPU).
  `tests/test_rasa_patches.py::test_action_results_are_validated_as_rasa_does`
- `Event.resolve_by_type` → `bot.speedups._resolve_event_by_type`: no walk over all event classes
  for every event. `tests/test_speedups.py::test_event_classes_resolve_as_rasa_resolves_them`
- `RasaModel._rasa_predict` → `bot.speedups._fast_rasa_predict`: TensorFlow's concrete function,
  called directly. `tests/test_speedups.py::test_tensorflow_fast_path_predicts_what_rasa_predicts`
- `DaskGraphRunner.run` → `bot.graph_runner.run_in_order`: the graph's nodes in an order worked out
  once, no dask per call. `tests/test_speedups.py::test_graph_runner_gives_what_dask_gives`
- `rasa.core.run.load_agent_on_start` → `bot.speedups._load_agent_then_freeze`: `gc.freeze()` once
  the model is loaded. `tests/test_rasa_patches.py::test_the_loaded_model_is_out_of_the_collectors_sight`
- `RemoteAction.run` → `bot.action_failures._run`: notes a failed custom action for
  `bot.channels.guard`. `tests/test_rasa_patches.py::test_a_failed_custom_action_is_noted_and_still_raises`
- `FailSafeTrackerStore.__init__` → `bot.failsafe.raise_errors_through_failsafe`: our store's
  errors are raised, not hidden. `tests/test_tracker_store.py` (the tests with the database down)
- `Domain.states_for_tracker_history` → `bot.dialogue_states.states_for_tracker_history`: the
  policies' dialogue states go on from the last call on the same tracker instead of replaying the
  whole history each time; it runs Rasa's own loop body with `Domain`'s private helpers
  (`_get_prev_action_sub_state`, `_remove_rule_only_features`, `_substitute_rule_only_user_input`,
  `_clean_state`), which the version check holds to 3.6.21. `tests/test_dialogue_states.py`

- `RulePolicy._get_possible_keys` → `bot.speedups._possible_rule_keys`: tries against the latest
  state only the rules that ask for its previous action and intent (or for none), and stops
  matching rules against the history after the longest rule's length, where every rule fits.
  `tests/test_speedups.py::test_rule_policy_finds_the_rules_rasa_finds`

Private methods overridden in a subclass (no patch, but the same check that they exist):
`TemplatedNaturalLanguageGenerator._random_response_for` and `._response_variables`
(`bot.nlg.KommuneNLG`; `tests/test_nlg.py`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PINNED_RASA = "3.6.21"


class RasaPatchError(RuntimeError):
    """The running Rasa is not the one our patches were written for."""


@dataclass(frozen=True)
class Patch:
    """`owner.attribute` replaced by what `replacement()` returns."""

    owner: Any
    attribute: str
    replacement: Callable[[], Any]

    @property
    def name(self) -> str:
        return f"{getattr(self.owner, '__name__', self.owner)}.{self.attribute}"


def _patches() -> list[Patch]:
    from rasa.core import run
    from rasa.core.actions.action import RemoteAction
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.core.tracker_store import FailSafeTrackerStore
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import Event
    from rasa.utils.tensorflow import models

    from bot import action_failures, dialogue_states, failsafe, graph_runner, speedups

    original_init = FailSafeTrackerStore.__init__
    return [
        Patch(RemoteAction, "_validate_action_result", lambda: speedups._validate_action_result),
        Patch(Event, "resolve_by_type", lambda: staticmethod(speedups._resolve_event_by_type)),
        Patch(models.RasaModel, "_rasa_predict", lambda: speedups._fast_rasa_predict),
        Patch(DaskGraphRunner, "run", lambda: graph_runner.run_in_order),
        Patch(run, "load_agent_on_start", lambda: speedups._load_agent_then_freeze),
        Patch(RemoteAction, "run", lambda: action_failures._run),
        Patch(FailSafeTrackerStore, "__init__", lambda: failsafe.raise_errors_through_failsafe(original_init)),
        Patch(Domain, "states_for_tracker_history", lambda: dialogue_states.states_for_tracker_history),
        Patch(RulePolicy, "_get_possible_keys", lambda: speedups._possible_rule_keys),
    ]


def _overridden() -> list[tuple[Any, str]]:
    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator

    return [
        (TemplatedNaturalLanguageGenerator, "_random_response_for"),
        (TemplatedNaturalLanguageGenerator, "_response_variables"),
    ]


def problems(version: str | None = None) -> list[str]:
    """What keeps the patches from being installed: a wrong Rasa version or a missing attribute."""
    return _problems(_patches(), version)


def _problems(patches: list[Patch], version: str | None) -> list[str]:
    import rasa

    found: list[str] = []
    version = version or rasa.__version__
    if version != PINNED_RASA:
        found.append(f"Rasa {version} is installed; these patches are written for Rasa {PINNED_RASA}")
    for patch in patches:
        if not hasattr(patch.owner, patch.attribute):
            found.append(f"{patch.name} no longer exists")
    for owner, attribute in _overridden():
        if not hasattr(owner, attribute):
            found.append(f"{owner.__name__}.{attribute} (overridden in a subclass of ours) no longer exists")
    return found


_originals: dict[tuple[int, str], Any] = {}  # Rasa's own attribute, by (id(owner), attribute)
_lock = threading.RLock()
_installed = False
_installing = False  # importing what the patches need can import a module that calls install()


def install() -> None:
    """Check, then install every patch (once per process). Raises `RasaPatchError` if the check fails."""
    global _installed, _installing
    with _lock:
        if _installed or _installing:
            return
        _installing = True
        try:
            _install()
        finally:
            _installing = False


def _install() -> None:
    global _installed
    patches = _patches()
    found = _problems(patches, None)
    if found:
        raise RasaPatchError(
            "Servicekontor cannot start: its changes to Rasa do not fit the Rasa installed ("
            + "; ".join(found)
            + "). Install the pinned versions: pip install -r requirements.lock (bot/rasa_patches.py)."
        )
    for patch in patches:
        _originals[(id(patch.owner), patch.attribute)] = patch.owner.__dict__[patch.attribute]
        setattr(patch.owner, patch.attribute, patch.replacement())
    _installed = True


def require(where: str) -> None:
    """Refuse to go on in a process that started Rasa without `install()` (a plain `rasa run`)."""
    if not _installed and not _installing:
        raise RasaPatchError(
            f"{where} needs Servicekontor's changes to Rasa (bot/rasa_patches.py), and this process "
            "started without them. Start Rasa through bot/launch.py, which installs them: "
            "python -m bot.launch run|shell|test|train ... (as `rasa ...`; see the Procfile and the Makefile)."
        )


def installed() -> bool:
    """Whether `install()` has run in this process."""
    return _installed


def original(owner: Any, attribute: str) -> Any:
    """Rasa's own `owner.attribute`, as it was before `install()` (for the tests that compare)."""
    return _originals[(id(owner), attribute)]

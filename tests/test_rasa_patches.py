"""Our changes to Rasa (bot/rasa_patches.py): checked before they are installed, installed in one
place (bot/launch.py) and required wherever Rasa loads our code, and each one giving Rasa's own
results where it only makes things faster."""

from __future__ import annotations

import asyncio
import gc
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.shared.core.domain import Domain

import bot.nlu  # noqa: F401  (what every process that loads our model imports)
from bot import action_failures, rasa_patches, speedups
from bot.tracker_store import CachedSQLTrackerStore

ROOT = Path(__file__).resolve().parent.parent


def test_the_pinned_rasa_is_the_one_in_the_lock_file() -> None:
    pinned = re.search(r"^rasa==(\S+)", (ROOT / "requirements.lock").read_text(), re.MULTILINE)
    assert pinned and pinned.group(1) == rasa_patches.PINNED_RASA


def test_every_patch_is_installed_once_a_model_can_be_loaded() -> None:
    assert rasa_patches.installed() and rasa_patches.problems() == []
    for patch in rasa_patches._patches():
        installed = patch.owner.__dict__[patch.attribute]
        expected = patch.replacement()
        assert getattr(installed, "__qualname__", installed) == getattr(expected, "__qualname__", expected), patch.name
        assert installed is not rasa_patches.original(patch.owner, patch.attribute), patch.name


def test_another_rasa_version_is_refused_with_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    assert rasa_patches.problems("3.7.0") == ["Rasa 3.7.0 is installed; these patches are written for Rasa 3.6.21"]
    monkeypatch.setattr(rasa_patches, "_installed", False)
    monkeypatch.setattr("rasa.__version__", "3.7.0")
    with pytest.raises(rasa_patches.RasaPatchError, match=r"Rasa 3\.7\.0 is installed.*requirements\.lock"):
        rasa_patches.install()


def test_a_renamed_rasa_attribute_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(RemoteAction, "_validate_action_result")
    monkeypatch.setattr(rasa_patches, "_installed", False)
    with pytest.raises(rasa_patches.RasaPatchError, match="RemoteAction._validate_action_result no longer exists"):
        rasa_patches.install()


def test_our_rasa_code_refuses_to_run_in_a_process_started_without_the_patches(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rasa_patches.require("x")  # installed by tests/conftest.py, as bot/launch.py does for Rasa
    monkeypatch.setattr(rasa_patches, "_installed", False)
    with pytest.raises(rasa_patches.RasaPatchError, match=r"The conversation store.*python -m bot\.launch"):
        CachedSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))


def test_the_patches_are_installed_in_one_place() -> None:
    """Only bot/launch.py installs them; everything else that needs them only checks (require)."""
    callers = sorted(
        str(path.relative_to(ROOT))
        for folder in ("bot", "actions", "bench")
        for path in (ROOT / folder).rglob("*.py")
        if re.search(r"rasa_patches\.install\(\)", path.read_text())
    )
    assert callers == ["bot/launch.py"]


def test_a_renamed_method_we_override_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator

    monkeypatch.delattr(TemplatedNaturalLanguageGenerator, "_response_variables")
    assert any("_response_variables" in problem for problem in rasa_patches.problems())


@pytest.mark.parametrize(
    "result",
    [
        {"events": [], "responses": []},
        {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hei"}]},
        {"events": "not a list"},
        {"responses": [{"text": 3}], "events": [{"no_event_key": True}]},
        {"events": [{"event": 42}]},
    ],
)
def test_action_results_are_validated_as_rasa_does(result: dict[str, Any]) -> None:
    action = RemoteAction("action_x", None)
    rasas = rasa_patches.original(RemoteAction, "_validate_action_result")

    def outcome(validate: Any) -> Any:
        try:
            return validate(action, result)
        except ValidationError as error:
            return ("invalid", error.message)

    assert outcome(speedups._validate_action_result) == outcome(rasas)


def test_the_loaded_model_is_out_of_the_collectors_sight(monkeypatch: pytest.MonkeyPatch) -> None:
    """After the model loads, a full collection no longer walks its objects; new objects it still does."""
    model = [{"weights": [i]} for i in range(10_000)]

    async def load(*_: Any) -> Any:
        return model

    monkeypatch.setattr(speedups, "_load_agent_on_start", load)
    gc.unfreeze()
    try:
        from rasa.core import run

        assert asyncio.run(run.load_agent_on_start("model", None, None, "app", "loop")) is model
        walked = {id(o) for o in gc.get_objects()}
        assert id(model) not in walked and id(model[0]) not in walked
        created_after = [{"message": 1}]
        assert any(o is created_after for o in gc.get_objects())
    finally:
        gc.unfreeze()


def test_a_failed_custom_action_is_noted_and_still_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    failing = RemoteAction("action_check_status", None)

    async def down(*_: Any, **__: Any) -> Any:
        raise ConnectionError("action server down")

    async def rejects(*_: Any, **__: Any) -> Any:
        raise ActionExecutionRejection("form", "hands the turn back")

    async def attempt() -> list[str]:
        with action_failures.watch() as failures:
            with pytest.raises(ConnectionError):
                await failing.run(None, None, None, None)
            monkeypatch.setattr(action_failures, "_original_run", rejects)
            with pytest.raises(ActionExecutionRejection):
                await failing.run(None, None, None, None)
        return failures

    monkeypatch.setattr(action_failures, "_original_run", down)
    assert asyncio.run(attempt()) == ["action_check_status"]  # the rejection is no failure


def test_rasas_wrapper_raises_our_stores_errors_and_keeps_hiding_others(tmp_path: Path) -> None:
    domain = Domain.empty()
    ours = CachedSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "t.db"))
    theirs = InMemoryTrackerStore(domain)

    async def broken(*_: Any, **__: Any) -> Any:
        raise OSError("database down")

    ours.retrieve = broken  # type: ignore[method-assign]
    theirs.retrieve = broken  # type: ignore[method-assign]
    with pytest.raises(OSError):
        asyncio.run(FailSafeTrackerStore(ours).retrieve("kari"))
    assert asyncio.run(FailSafeTrackerStore(theirs).retrieve("kari")) is None  # Rasa's own behaviour

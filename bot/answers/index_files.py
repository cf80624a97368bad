"""Fitted answer indexes on disk: fitted once per machine, loaded by every process and every start.

Fitting the index over the library (bot/answers/index.py) takes about 20 s of one core. Without
this, every Rasa process fitted it at every start and after every published change, each on its
own. Here a fitted index is a folder named by its fingerprint in `ANSWER_INDEX_DIR`
(var/answer-index): the classifier's weights as a .npy file that each process maps read-only (the
operating system keeps one copy in memory for all of them), the IDF weights and intercepts as .npz,
the answers' keys and the vocabularies as JSON. Plain arrays and text: nothing is unpickled.

A process that needs an index nobody has fitted yet holds a lock on its name while it fits, so
two processes that start together fit it once: the second waits and loads it. The folder is
written under a temporary name and renamed when complete, so nobody reads half an index. The two
most recently used folders stay, and older ones while they all fit in `BUDGET_BYTES`. When the
folder cannot be written (a read-only or full disk) or what is in it cannot be read, the process
fits the index itself and says so in the log.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.settings import answer_index_dir

logger = logging.getLogger(__name__)

KEPT = 2  # the index in use and the one being fitted beside it
# Older indexes stay while all fit in this: the starter catalogue's takes about 200 MB, a test's
# few answers a few kB, so these never push out the catalogue's.
BUDGET_BYTES = 800 * 2**20
_WEIGHTS = "weights.npy"
_ARRAYS = "arrays.npz"
_TEXTS = "keys-and-vocabularies.json"
_STALE_SECONDS = 3600  # a temporary folder this old was left by a process that died while writing


@dataclass(frozen=True)
class Fitted:
    """What ranking needs of a fitted index (bot/answers/index.py), as plain data."""

    keys: list[str]
    vocabularies: tuple[dict[str, int], dict[str, int]]  # n-gram → column, per feature set
    idfs: tuple[np.ndarray, np.ndarray]
    weights: np.ndarray  # columns × margins (C order: a question's columns are rows side by side)
    intercept: np.ndarray  # one per margin: one per answer, or one for two answers (a binary classifier)


def fitted(name: str, fit: Callable[[], Fitted], folder: Path | None = None) -> Fitted:
    """The index called `name` from disk, or `fit()` once for the machine and kept there."""
    folder = folder or answer_index_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _locked(folder / f"{name}.lock"):
            found = load(folder / name)
            if found is not None:
                return found
            started = time.perf_counter()
            found = fit()
            logger.info("Answer index fitted in %.1f s (%d answers)", time.perf_counter() - started, len(found.keys))
            try:
                save(found, folder / name)
                _prune(folder, keep=name)
            except OSError as error:
                logger.warning("Answer index not kept in %s: %s", folder, error)
            return found
    except OSError as error:
        logger.warning("Answer index folder %s not usable (%s): fitting the index in this process", folder, error)
        return fit()


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def save(index: Fitted, path: Path) -> None:
    """Write `index` into the folder `path`, all at once: under another name, then renamed."""
    partial = path.with_name(f"{path.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        np.save(partial / _WEIGHTS, index.weights, allow_pickle=False)
        np.savez(partial / _ARRAYS, idf0=index.idfs[0], idf1=index.idfs[1], intercept=index.intercept)
        texts = {"keys": index.keys, "vocabularies": list(index.vocabularies)}
        (partial / _TEXTS).write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        partial.rename(path)
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def load(path: Path) -> Fitted | None:
    """The index `save` wrote into `path`; None when there is none, or it cannot be read (then removed)."""
    if not path.is_dir():
        return None
    try:
        texts = json.loads((path / _TEXTS).read_text(encoding="utf-8"))
        with np.load(path / _ARRAYS, allow_pickle=False) as arrays:
            idfs, intercept = (arrays["idf0"], arrays["idf1"]), arrays["intercept"]
        weights = np.load(path / _WEIGHTS, mmap_mode="r", allow_pickle=False)
        vocabularies = tuple(texts["vocabularies"])
        keys = list(texts["keys"])
        columns = sum(len(v) for v in vocabularies)
        if len(vocabularies) != 2 or weights.shape[0] != (columns if keys else 0):
            raise ValueError(f"weights for {weights.shape[0]} features, vocabularies of {columns}")
        os.utime(path)  # in use: the last to be pruned
        return Fitted(keys, (vocabularies[0], vocabularies[1]), idfs, weights, intercept)
    except (OSError, ValueError, KeyError, TypeError) as error:
        logger.warning("Answer index in %s unreadable, fitting it again: %s", path, error)
        shutil.rmtree(path, ignore_errors=True)
        return None


def _size(folder: Path) -> int:
    return sum(entry.stat().st_size for entry in folder.iterdir())


def _prune(folder: Path, keep: str) -> None:
    """Remove the least recently used indexes beyond `KEPT` and `BUDGET_BYTES`, and what dead writers left."""
    now = time.time()
    indexes = []
    for entry in folder.iterdir():
        if ".partial-" in entry.name:
            if now - entry.stat().st_mtime > _STALE_SECONDS:
                shutil.rmtree(entry, ignore_errors=True)
        elif entry.is_dir():
            indexes.append(entry)
    indexes.sort(key=lambda entry: (entry.name == keep, entry.stat().st_mtime), reverse=True)
    used = 0
    for position, entry in enumerate(indexes):
        used += _size(entry)
        if position >= KEPT and used > BUDGET_BYTES:
            # A process that maps the weights keeps reading them: the file goes when it lets go.
            shutil.rmtree(entry, ignore_errors=True)
            entry.with_name(f"{entry.name}.lock").unlink(missing_ok=True)

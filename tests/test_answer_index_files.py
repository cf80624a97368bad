"""The answer index: its own scoring gives scikit-learn's margins, and a fitted index is kept on disk
once per machine (bot/answers/index.py, bot/answers/index_files.py)."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from sklearn.svm import LinearSVC

from bot.answers import catalogue, index, index_files
from bot.answers.document import AnswerDoc


@pytest.fixture(scope="module")
def docs() -> list[AnswerDoc]:
    return catalogue.read()[:25]


@pytest.fixture(scope="module")
def questions() -> list[str]:
    return [
        "hvor mye koster det å ha barn i barnehagen",
        "kva kostar det å leige gymsalen ein laurdag?",
        "how do I get a parking permit for residents",
        "Fastlegen min har sluttet HVA gjør jeg",
        "",
        "!!!",
        "qqqq zzzz",
    ]


def _sklearn_margins(docs: list[AnswerDoc], questions: list[str]) -> np.ndarray:
    """LinearSVC.decision_function over the vectorizers' transform: what `AnswerIndex.margins` stands for."""
    _, texts, owners = index.training_texts(docs)
    chars, words = index._vectorizers()
    matrix = index._joined(chars.fit_transform(texts), words.fit_transform(texts))
    classifier = LinearSVC(C=index._C, class_weight="balanced", random_state=index._SEED)
    classifier.fit(matrix, np.asarray(owners))
    margins = classifier.decision_function(index._joined(chars.transform(questions), words.transform(questions)))
    return margins if margins.ndim == 2 else np.stack([-margins, margins], axis=1)


@pytest.mark.parametrize("answers", [25, 2])
def test_the_index_scores_a_question_as_scikit_learn_would(
    docs: list[AnswerDoc], questions: list[str], answers: int
) -> None:
    built = index.AnswerIndex(docs[:answers])
    ours = np.array([built.margins(q) for q in questions])
    assert ours.shape == (len(questions), answers)
    assert np.allclose(ours, _sklearn_margins(docs[:answers], questions), rtol=0, atol=1e-9)


def test_a_fitted_index_is_fitted_once_and_loaded_after(
    tmp_path: Path, docs: list[AnswerDoc], questions: list[str]
) -> None:
    fits: list[int] = []

    def fit() -> index_files.Fitted:
        fits.append(1)
        return index.fit(docs)

    name = index.fingerprint(docs)
    first = index_files.fitted(name, fit, tmp_path)
    second = index_files.fitted(name, fit, tmp_path)
    assert len(fits) == 1
    assert isinstance(second.weights, np.memmap)  # mapped, shared by the processes that load it
    assert second.keys == first.keys and second.vocabularies == first.vocabularies
    for question in questions:
        assert index.AnswerIndex(fitted=second).rank(question) == index.AnswerIndex(fitted=first).rank(question)
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == [name]  # nothing half-written is left


def test_two_processes_that_need_the_same_index_fit_it_once(tmp_path: Path, docs: list[AnswerDoc]) -> None:
    fits: list[int] = []

    def slow_fit() -> index_files.Fitted:
        fits.append(1)
        time.sleep(0.3)
        return index.fit(docs[:3])

    found: list[index_files.Fitted] = []
    starts = [threading.Thread(target=lambda: found.append(index_files.fitted("x", slow_fit, tmp_path))) for _ in "ab"]
    for thread in starts:
        thread.start()
    for thread in starts:
        thread.join()
    assert len(fits) == 1 and len(found) == 2 and found[0].keys == found[1].keys


def test_an_unreadable_index_is_fitted_again_and_replaced(
    tmp_path: Path, docs: list[AnswerDoc], caplog: pytest.LogCaptureFixture
) -> None:
    fitted = index_files.fitted("x", lambda: index.fit(docs[:3]), tmp_path)
    (tmp_path / "x" / "weights.npy").write_bytes(b"not an array")
    with caplog.at_level(logging.WARNING):
        again = index_files.fitted("x", lambda: index.fit(docs[:3]), tmp_path)
    assert "unreadable" in caplog.text
    assert again.keys == fitted.keys
    assert index_files.load(tmp_path / "x") is not None  # written anew


def test_without_a_writable_folder_the_process_fits_the_index_itself(
    tmp_path: Path, docs: list[AnswerDoc], caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    with caplog.at_level(logging.WARNING):
        fitted = index_files.fitted("x", lambda: index.fit(docs[:3]), blocked / "indexes")
    assert fitted.keys == [doc.key for doc in docs[:3]]
    assert "not usable" in caplog.text


def test_old_indexes_go_but_the_two_newest_stay_and_small_ones_fit_the_budget(
    tmp_path: Path, docs: list[AnswerDoc], monkeypatch: pytest.MonkeyPatch
) -> None:
    small = index.fit(docs[:2])
    for name in ("a", "b", "c"):
        index_files.fitted(name, lambda: small, tmp_path)
        time.sleep(0.01)
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == ["a", "b", "c"]  # within the budget
    monkeypatch.setattr(index_files, "BUDGET_BYTES", 1)
    index_files.fitted("a", lambda: small, tmp_path)  # loaded: now the most recently used
    index_files.fitted("d", lambda: small, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == ["a", "d"]
    assert not (tmp_path / "b.lock").exists()

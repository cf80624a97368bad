"""The benchmark's load (bench/load.py): the long conversation asks its first questions again."""

from __future__ import annotations

from bench.load import Citizens


def test_a_long_conversation_asks_its_first_questions_again_at_each_bucket() -> None:
    questions = Citizens().questions_in_a_row(105, seed=100, again_at=(25, 100))
    assert len(questions) == 105
    assert questions[24:30] == questions[:6] == questions[99:105]
    assert len(set(questions[6:24])) > 10  # between the buckets, other questions

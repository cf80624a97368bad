"""Which published answers a question asks for, in the shape of Rasa's response selector.

The one ranking the bot's NLU (`bot.nlu.library`) and the editor's «Prøv et spørsmål» box in the
desk (`bot.answers.trial`) both use, so the editor sees what the bot would do. It ranks from this
process's live snapshot of the published answers (`bot.answers.live`). A message that is exactly
an answer's title, in any language (a pressed «Mente du …?» button), asks for that answer.
"""

from __future__ import annotations

from typing import Any

from bot.answers import live
from bot.topics import topic_by_label, topic_key

RANKED = 5  # answers kept in the ranking: the «Mente du …?» choices come from its top three


def selection(text: str) -> dict[str, Any]:
    """The response-selector output for `text` from this process's published answers."""
    labelled = topic_by_label(text)
    if labelled:  # a pressed «Mente du …?» button, or an answer's title typed: that answer
        ranking = [{"intent_response_key": labelled, "confidence": 1.0}]
    else:
        ranking = [
            {"intent_response_key": topic_key(match.key), "confidence": match.confidence}
            for match in live.library().snapshot().index.rank(text, limit=RANKED)
        ]
    best = ranking[0] if ranking else {"intent_response_key": None, "confidence": 0.0}
    response = {
        "intent_response_key": best["intent_response_key"],
        "utter_action": f"utter_{best['intent_response_key']}" if best["intent_response_key"] else None,
        "confidence": best["confidence"],
        "responses": [],
    }
    return {"response": response, "ranking": ranking}

"""Rasa's whitespace tokenizer, without the words of the ID-number mask or of an emergency beside a question.

Implements Rasa's `Tokenizer` interface by extending `WhitespaceTokenizer`.

- The channels replace an ID number with «[fødselsnummer fjernet]» before Rasa sees the message
  (bot/pii.py). Those words are ours, not the citizen's, yet the featurizers would read them like
  any other words and could pull the message towards another topic. Here they are no tokens, so
  «Når er dere åpne? [fødselsnummer fjernet]» is understood exactly as «Når er dere åpne?».
- «Det brenner i garasjen. Når er dere åpne?»: the safety layer (`bot.safety`, placed last in the
  pipeline by `bot.nlu.safety`) answers the emergency from the whole text. So that DIET and the
  response selector can read the question asked beside it, the parts of such a message that the
  safety layer flags on their own are no tokens when the message is parsed (never in training),
  as long as at least `MIN_REST_TOKENS` words remain.

A message that would be left with no tokens keeps them all: the featurizers need something.
What is left of the text is also kept as text (`question_text`), for the answer library's
index, which reads characters rather than tokens.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import safety
from bot.pii import MASK

_MASK = re.compile(re.escape(MASK))
# Where one part of a message ends and the next begins: sentence ends, commas, «og»/«men»/«and».
_PARTS = re.compile(r"[.!?;:\n]+|,|\s(?:og|men|and|but|forresten|btw|by the way)\s", re.IGNORECASE)
MIN_REST_TOKENS = 3
_LEFT_BEHIND = re.compile(r"^[\s.,;:!-]+|[\s.,;:-]+$")  # what separated a part left out
QUESTION_TEXT = "question_text"  # a parsed message's text without the parts left out here


def message_parts(text: str) -> list[tuple[int, int]]:
    """Start and end of each part of `text`."""
    spans, start = [], 0
    for match in _PARTS.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def safety_spans(text: str) -> list[tuple[int, int]]:
    """The parts the safety layer flags on their own, when the message has other parts too."""
    parts = message_parts(text)
    if len(parts) < 2 or not safety.assess(text):
        return []
    return [(a, b) for a, b in parts if safety.assess(text[a:b])]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MaskAwareWhitespaceTokenizer(WhitespaceTokenizer):
    """`WhitespaceTokenizer` that leaves out the mask's words, and a flagged emergency beside a question."""

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        tokens = super().tokenize(message, attribute)
        text = message.get(attribute) or ""
        if MASK not in text:
            return tokens
        return _outside(tokens, [match.span() for match in _MASK.finditer(text)]) or tokens

    def process(self, messages: list[Message]) -> list[Message]:
        """Tokenize messages being parsed (never training data): here the safety parts are left out."""
        super().process(messages)
        for message in messages:
            text = message.get(TEXT)
            tokens = message.get(TOKENS_NAMES[TEXT])
            if not isinstance(text, str) or not tokens:
                continue
            flagged = safety_spans(text)
            rest = _outside(tokens, flagged)
            left_out = [match.span() for match in _MASK.finditer(text)]
            if flagged and len(rest) >= MIN_REST_TOKENS:
                message.set(TOKENS_NAMES[TEXT], rest)
                left_out += flagged
            if left_out:
                message.set(QUESTION_TEXT, _text_outside(text, left_out))
        return messages


def question_text(message: Message) -> str:
    """The text of a parsed message as its tokens read it: without the parts left out above."""
    kept = message.get(QUESTION_TEXT)
    return kept if isinstance(kept, str) and kept.strip() else message.get(TEXT) or ""


def _text_outside(text: str, spans: list[tuple[int, int]]) -> str:
    kept = [char for i, char in enumerate(text) if not any(start <= i < end for start, end in spans)]
    return _LEFT_BEHIND.sub("", " ".join("".join(kept).split()))


def _outside(tokens: list[Token], spans: list[tuple[int, int]]) -> list[Token]:
    if not spans:
        return tokens
    return [token for token in tokens if not any(start <= token.start < end for start, end in spans)]

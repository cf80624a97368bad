"""Rasa's whitespace tokenizer, without the words of the ID-number mask.

Implements Rasa's `Tokenizer` interface by extending `WhitespaceTokenizer`. The channels replace
an ID number with «[fødselsnummer fjernet]» before Rasa sees the message (bot/pii.py). Those
words are ours, not the citizen's, yet the featurizers would read them like any other words and
could pull the message towards another topic. Here they are no tokens, so «Når er dere åpne?
[fødselsnummer fjernet]» is understood exactly as «Når er dere åpne?». A message that is only
the mask keeps its tokens: with none, the featurizers would have nothing to work on.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.pii import MASK

_MASK = re.compile(re.escape(MASK))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MaskAwareWhitespaceTokenizer(WhitespaceTokenizer):
    """`WhitespaceTokenizer` that leaves out the words of the ID-number mask."""

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        tokens = super().tokenize(message, attribute)
        text = message.get(attribute) or ""
        if MASK not in text:
            return tokens
        spans = [match.span() for match in _MASK.finditer(text)]
        kept = [token for token in tokens if not any(start <= token.start < end for start, end in spans)]
        return kept or tokens

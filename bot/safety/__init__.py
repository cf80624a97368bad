"""The safety layer: is this message an emergency, a suicide risk or an urgent health need?

It does not depend on the topic classifier. Two independent halves, and either is enough:
word patterns (`patterns.py`) and a small trained classifier with its own data
(`classifier.py`). Recall matters more than precision here: a false alarm costs the citizen one
extra line, a miss can cost a life. The Rasa pipeline uses it to put the safety intent first
(`bot.nlu.safety`), and the channels use it so that an emergency is never held back by the rate
limit or a live chat (`bot.channels.guard`).

Of several kinds in one message the most serious wins: suicide risk (its answer starts with 113
and adds Mental Helse's 116 123), then emergency, then urgent health (legevakt 116 117).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.safety import patterns

if TYPE_CHECKING:
    from bot.safety.classifier import SafetyClassifier


class SafetyKind(str, enum.Enum):
    """What the safety layer found; the value is the Rasa intent that answers it."""

    SUICIDE_RISK = "suicide_risk"
    EMERGENCY = "emergency"
    URGENT_HEALTH = "urgent_health"

    @property
    def intent(self) -> str:
        return self.value


SAFETY_INTENTS = frozenset(kind.intent for kind in SafetyKind)
# In Rasa's parse data: whether a pattern found the safety case (else the classifier did).
BY_PATTERN = "safety_by_pattern"

# The classifier's probability from which a kind counts. Chosen on the calibration set
# (tests/calibration/): on its own the classifier then finds 97.0 % of the 198 safety messages
# there, with 5 false alarms in 746 ordinary ones (0.3: 98.0 % and 6; 0.5: 94.9 % and 4).
# README, «Safety first».
CLASSIFIER_THRESHOLD = 0.4
_PATTERNS = {
    SafetyKind.SUICIDE_RISK: patterns.SUICIDE_RISK_RE,
    SafetyKind.EMERGENCY: patterns.EMERGENCY_RE,
    SafetyKind.URGENT_HEALTH: patterns.URGENT_HEALTH_RE,
}


@dataclass(frozen=True)
class Assessment:
    """The most serious kind found, and whether a pattern or the classifier found it."""

    kind: SafetyKind
    by_pattern: bool
    score: float


def assess(text: str) -> Assessment | None:
    """The safety kind of a message, or None for an ordinary one."""
    return _assess(patterns.normalise(text))


@lru_cache(maxsize=2048)
def _assess(text: str) -> Assessment | None:
    if not text:
        return None
    from bot.safety.classifier import get_classifier  # scikit-learn only where it is used

    scores = get_classifier().scores(text)
    found = {kind for kind in SafetyKind if _PATTERNS[kind].search(text)}
    for kind in SafetyKind:  # most serious first
        if kind == SafetyKind.URGENT_HEALTH and patterns.for_an_animal(text):
            continue  # «katta kaster opp, hvor er dyrlegevakta?»
        if kind in found:
            return Assessment(kind, True, 1.0)
        # A person who does not answer or a knife at the door, named by a pattern, needs 112 and
        # the emergency answer; the classifier's guess at despair does not outrank it.
        if kind == SafetyKind.SUICIDE_RISK and SafetyKind.EMERGENCY in found:
            continue
        if scores.get(kind.intent, 0.0) >= CLASSIFIER_THRESHOLD:
            return Assessment(kind, False, scores[kind.intent])
    return None


def warm_up() -> None:
    """Train the classifier now rather than on the first citizen's message (no model at hand)."""
    from bot.safety.classifier import get_classifier

    get_classifier()


def use(classifier: SafetyClassifier) -> None:
    """Score with `classifier` (the one stored in the loaded model) from now on."""
    from bot.safety.classifier import install

    install(classifier)
    _assess.cache_clear()

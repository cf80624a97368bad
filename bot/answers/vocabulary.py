"""The answer library's fixed words: statuses, the LOS main themes, the parts of an answer, and the
names the citizens' 👍 / 👎 on an answer travel under (NLG, channels, Rasa's events, statistics)."""

from __future__ import annotations

from enum import Enum

LANGUAGES = ("nb", "nn", "en")
CATALOGUE_ACTOR = "katalog"  # who made a change the starter catalogue's loader made
LOCAL_TENANT = "lokal"  # this installation's own answers (a shared catalogue can live beside them later)

# 👍 / 👎 after a topic answer: bot/nlg.py marks a library answer with RATED_ANSWER (its topic),
# bot/channels/feedback.py asks, and the vote comes back as the FEEDBACK_INTENT with two entities.
RATED_ANSWER = "rated_answer"
FEEDBACK_INTENT = "feedback"
VOTE_ENTITY = "feedback_vote"
ANSWER_ENTITY = "feedback_answer"


class Vote(str, Enum):
    UP = "up"
    DOWN = "down"


class AnswerStatus(str, Enum):
    """Only a published answer is ever given to a citizen."""

    DRAFT = "utkast"
    PUBLISHED = "publisert"
    ARCHIVED = "arkivert"


class Change(str, Enum):
    """What a version in an answer's history records."""

    CREATED = "opprettet"
    EDITED = "endret"
    PUBLISHED = "publisert"
    UNPUBLISHED = "avpublisert"
    ARCHIVED = "arkivert"
    RESTORED = "gjenopprettet"
    LOADED = "lastet fra katalogen"


# The 14 main themes of LOS, the national structure for public services (Digdir).
THEMES = (
    "Arbeid",
    "Barn og familie",
    "Bolig og eiendom",
    "Forbrukerspørsmål",
    "Helse",
    "Individ og samfunn",
    "Kultur og fritid",
    "Natur og miljø",
    "Næring",
    "Omsorg, trygd og sosiale tjenester",
    "Rettslige spørsmål",
    "Skatter og avgifter",
    "Skole og utdanning",
    "Trafikk og samferdsel",
)

# The starter catalogue's file per theme (data/answers/).
THEME_FILES = {
    "Arbeid": "arbeid.yml",
    "Barn og familie": "barn-og-familie.yml",
    "Bolig og eiendom": "bolig-og-eiendom.yml",
    "Forbrukerspørsmål": "forbrukersporsmal.yml",
    "Helse": "helse.yml",
    "Individ og samfunn": "individ-og-samfunn.yml",
    "Kultur og fritid": "kultur-og-fritid.yml",
    "Natur og miljø": "natur-og-miljo.yml",
    "Næring": "naering.yml",
    "Omsorg, trygd og sosiale tjenester": "omsorg-trygd-sosiale-tjenester.yml",
    "Rettslige spørsmål": "rettslige-sporsmal.yml",
    "Skatter og avgifter": "skatter-og-avgifter.yml",
    "Skole og utdanning": "skole-og-utdanning.yml",
    "Trafikk og samferdsel": "trafikk-og-samferdsel.yml",
}

# The parts of an answer a follow-up question asks for: catalogue name → `bot.follow_up.Facet` value.
PARTS = {
    "pris": "price",
    "frist": "deadline",
    "behandlingstid": "processing_time",
    "hvem": "eligibility",
    "hvordan": "how_to_apply",
    "hvor": "where",
    "dokumenter": "documents",
    "klage": "complaint",
}
# The other way round: `bot.follow_up.Facet` value → the part that answers it.
PART_OF_FACET = {facet: part for part, facet in PARTS.items()}

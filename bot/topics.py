"""What citizens ask about: the topics of the `faq` retrieval intent, their labels and pages.

A label is shown in the conversation's language on «Mente du …?» buttons (and sent back as the
citizen's message when pressed, so every label is also a training example of its topic) and in
bokmål on tickets and in the desk. A topic's page is where a follow-up question («hva koster
det?», «når er fristen?») is sent: a `lenker:` key in kommune.yml, or a national site.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.kommune import answer_language, get_kommune

FAQ_INTENT = "faq"
OTHER_TOPIC = "annet"


@dataclass(frozen=True)
class Topic:
    key: str
    nb: str
    nn: str
    en: str
    page: str  # a `lenker:` key in kommune.yml, or a web address of a national service

    def label(self, language: str = "nb") -> str:
        return getattr(self, answer_language(language))

    def link(self) -> str:
        """The topic's page: the municipality's own from kommune.yml, else the national one."""
        links = get_kommune().links
        return links.get(self.page) or (self.page if "." in self.page else links.get("nettside", ""))


_TOPICS = [
    Topic("faq/opening_hours", "Åpningstider", "Opningstider", "Opening hours", "nettside"),
    Topic("faq/contact", "Adresse og kontakt", "Adresse og kontakt", "Address and contact", "nettside"),
    Topic("faq/early_voting", "Forhåndsstemming", "Førehandsrøysting", "Early voting", "valg"),
    Topic("faq/voting", "Stemme på valgdagen", "Røyste på valdagen", "Voting on election day", "valg"),
    Topic("faq/public_records", "Innsyn og postliste", "Innsyn og postliste", "Public records", "postliste"),
    Topic("faq/digital_mail", "Digital post", "Digital post", "Digital mail", "norge.no"),
    Topic("faq/interpreter", "Tolk", "Tolk", "Interpreter", "tolk"),
    Topic("faq/alcohol_licence", "Skjenkebevilling", "Skjenkeløyve", "Alcohol licence", "bevilling"),
    Topic("faq/companion_card", "Ledsagerbevis", "Ledsagarbevis", "Companion card", "ledsagerbevis"),
    Topic(
        "faq/disabled_parking",
        "Parkeringskort for forflytningshemmede",
        "Parkeringskort for rørslehemma",
        "Disabled parking permit",
        "parkeringstillatelse",
    ),
    Topic("faq/boat_berth", "Båtplass", "Båtplass", "Boat berth", "batplass"),
    Topic(
        "faq/kindergarten_fees",
        "Betaling for barnehage og SFO",
        "Betaling for barnehage og SFO",
        "Kindergarten and after-school fees",
        "foreldrebetaling",
    ),
    Topic(
        "faq/kindergarten_apply",
        "Søke barnehageplass",
        "Søkje barnehageplass",
        "Applying for a kindergarten place",
        "barnehageopptak",
    ),
    Topic("faq/building_application", "Byggesøknad", "Byggjesøknad", "Building application", "byggesak"),
    Topic(
        "faq/property_documents",
        "Tegninger og eiendomsinformasjon",
        "Teikningar og eigedomsinformasjon",
        "Drawings and property information",
        "eiendomsdokumenter",
    ),
    Topic("faq/property_tax", "Eiendomsskatt", "Eigedomsskatt", "Property tax", "eiendomsskatt"),
    Topic("faq/waste", "Avfall og gjenvinning", "Avfall og gjenvinning", "Waste and recycling", "avfall"),
    Topic("faq/municipal_fees", "Kommunale avgifter", "Kommunale avgifter", "Municipal fees", "kommunale_avgifter"),
    Topic("faq/moving", "Flytting", "Flytting", "Moving house", "skatteetaten.no"),
    Topic("faq/nav", "Nav og sosialhjelp", "Nav og sosialhjelp", "Nav and social assistance", "nav.no"),
    Topic("faq/complaint", "Klage på vedtak", "Klage på vedtak", "Appealing a decision", "klage"),
    Topic(
        "faq/report_fault",
        "Melde feil på vei, lys eller vann",
        "Melde feil på veg, lys eller vatn",
        "Reporting a fault on roads, lights or water",
        "meld_feil",
    ),
    Topic("faq/jobs", "Jobb og lærlingplass", "Jobb og lærlingplass", "Jobs and apprenticeships", "stillinger"),
    Topic("faq/politics", "Politiske møter", "Politiske møte", "Political meetings", "politikk"),
    Topic("faq/privacy", "Personvern", "Personvern", "Privacy", "personvern"),
    Topic("faq/login", "Innlogging", "Innlogging", "Logging in", "idporten.no"),
]
TOPICS: dict[str, Topic] = {topic.key: topic for topic in _TOPICS}

# The last «Mente du …?» button: none of the topics offered.
NONE_OF_THESE = {"nb": "Ingen av disse", "nn": "Ingen av desse", "en": "None of these"}

# Labels of what else a ticket can be about (tickets and the desk show them in bokmål).
_OTHER_LABELS = {
    "human_handoff": "Snakke med en person",
    "case_status": "Status på sak",
    "emergency": "Nødsituasjon",
    "suicide_risk": "Nødsituasjon",
    "urgent_health": "Legevakt",
}
TOPIC_LABELS: dict[str, str] = {**{key: topic.nb for key, topic in TOPICS.items()}, **_OTHER_LABELS}


def label(topic: str, language: str = "nb") -> str:
    found = TOPICS.get(topic)
    if found:
        return found.label(language)
    return TOPIC_LABELS.get(topic, "Annet")


def topic_by_label(text: str) -> str | None:
    """The topic whose label, in any language, is exactly `text` (a pressed button)."""
    wanted = " ".join(text.split()).casefold()
    for topic in _TOPICS:
        if wanted in (topic.nb.casefold(), topic.nn.casefold(), topic.en.casefold()):
            return topic.key
    return None

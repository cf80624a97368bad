"""What citizens ask about: the topics of the `faq` retrieval intent, with Norwegian labels.

A label is shown on buttons (and sent back as the citizen's message when pressed) and on tickets.
"""

from __future__ import annotations

FAQ_INTENT = "faq"
OTHER_TOPIC = "annet"

TOPIC_LABELS: dict[str, str] = {
    "faq/opening_hours": "Åpningstider",
    "faq/contact": "Adresse og kontakt",
    "faq/early_voting": "Forhåndsstemming",
    "faq/voting": "Stemme på valgdagen",
    "faq/public_records": "Innsyn og postliste",
    "faq/digital_mail": "Digital post",
    "faq/interpreter": "Tolk",
    "faq/alcohol_licence": "Skjenkebevilling",
    "faq/companion_card": "Ledsagerbevis",
    "faq/disabled_parking": "Parkeringskort for forflytningshemmede",
    "faq/boat_berth": "Båtplass",
    "faq/kindergarten_fees": "Betaling for barnehage og SFO",
    "faq/kindergarten_apply": "Søke barnehageplass",
    "faq/building_application": "Byggesøknad",
    "faq/property_documents": "Tegninger og eiendomsinformasjon",
    "faq/property_tax": "Eiendomsskatt",
    "faq/waste": "Avfall og gjenvinning",
    "faq/municipal_fees": "Kommunale avgifter",
    "faq/moving": "Flytting",
    "faq/nav": "Nav og sosialhjelp",
    "faq/complaint": "Klage på vedtak",
    "faq/report_fault": "Melde feil på vei, lys eller vann",
    "faq/jobs": "Jobb og lærlingplass",
    "faq/politics": "Politiske møter",
    "faq/privacy": "Personvern",
    "faq/login": "Innlogging",
    "human_handoff": "Snakke med en person",
    "case_status": "Status på sak",
    "emergency": "Nødsituasjon",
}


def label(topic: str) -> str:
    return TOPIC_LABELS.get(topic, "Annet")

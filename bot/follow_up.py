"""Short follow-up questions: which facet of the topic just answered they ask about.

«hva koster det?» after the answer on skjenkebevilling asks for that topic's price. The
`follow_up` intent says that a message is such a question; `facet_of` says which part of the
topic it asks about, from the words it uses (bokmål, nynorsk, dialect, English). A follow-up that
matches none («og glass?», «kan du si mer?») asks for more of the same topic.
"""

from __future__ import annotations

import enum
import re


class Facet(str, enum.Enum):
    """What a follow-up asks about; the value names the response `utter_follow_up_<value>`."""

    PRICE = "price"
    DEADLINE = "deadline"
    PROCESSING_TIME = "processing_time"
    ELIGIBILITY = "eligibility"
    HOW_TO_APPLY = "how_to_apply"
    WHERE = "where"
    HOURS = "hours"
    COMPLAINT = "complaint"
    DOCUMENTS = "documents"
    MORE = "more"


# Checked in this order: «hvor lang tid» is processing time, not «hvor» (where), «hvor lenge før
# må jeg søke» is a deadline, not a processing time, and «klagefrist» is how to appeal.
_FACET_WORDS: list[tuple[Facet, str]] = [
    (
        Facet.HOURS,
        r"åpningstid\w*|opningstid\w*|\båpent\b|\bope\b|\bopen\b|opening hours|opening times|\båpner\b|\bopnar\b|"
        r"\bstenger\b|\bstengjer\b|\bopens\b|\bcloses\b|\b(?:it|they) close\b",
    ),
    (Facet.COMPLAINT, r"\bklag\w*|\banke\b|\banke på\b|\bcomplain\w*|\bappeal\w*"),
    (Facet.DEADLINE, r"lenge før|lenge i forveien|lenge i forvegen|how long before|how far in advance|in advance"),
    (
        Facet.PROCESSING_TIME,
        r"lang tid|ka tid får|kor lenge|hvor lenge|hvor fort|kor fort|saksbehandlingstid|sakshandsamingstid|"
        r"ventetid|venteliste|ventelista|ventelisten|waiting list|"
        r"hvor mange dager|kor mange dagar|\bta[rk] det\b|\btek det\b|går det (?:fort|raskt)|fortere|"
        r"raskare|raskere|forvente svar|rekne med svar|når får (?:jeg|eg|æ|i|man) svar|når kjem svaret|svar samme dag|"
        r"når kommer svaret|når blir det klart|how long|how soon|how quickly|how fast|take long|how many days|"
        r"faster|when will i (?:hear|get)|waiting time|processing time",
    ),
    (
        Facet.DEADLINE,
        r"frist|for seint|til når|til kva tid|til ka tid|until when|"
        r"for sent|innen når|innan når|senest|siste dag|\brekk|løpende opptak|løpande opptak|"
        r"deadline|too late|by when|last day|still apply|extension|when must|when do i have to|"
        r"når må (?:jeg|eg|æ|i|det)|kor tid må|når stenger det",
    ),
    (
        Facet.PRICE,
        r"kost|pris|gratis|betal|gebyr|avgift|\bkr\b|kroner|dyrt|egenandel|eigendel|eigenandel|rabatt|moderasjon|"
        r"hvor mye|kor mykje|kor mye|kor mykkje|cost|price|\bfree\b|\bpay\b|\bfee\b|how much|charge|"
        r"discount|expensive",
    ),
    (
        Facet.ELIGIBILITY,
        r"hvem|kven|kæm|\bkem\b|gjelder det|gjeld det|rett på|rett til|krav på|krav til|kan (?:jeg|eg|æ) få|"
        r"pensjonist|student|ufør|forsørger|aldersgrense|statsborger|kvalifiser|over 18|alle søke|"
        r"må (?:jeg|eg|æ|man|ein) (?:bo|bu|være|vere)|annen kommune|anna kommune|"
        r"who can|who gets|eligib|apply to me|can i get|qualif|pensioner|age limit|live in|students|"
        r"citizen|lag og foreninger|lag og organisasjonar|lag og organisasjoner|clubs",
    ),
    (
        Facet.DOCUMENTS,
        r"ha med|ta med|hva trenger|kva treng|ka treng|trenger (?:jeg|eg|æ)|treng (?:eg|æ)|legitimasjon|\bleg\b|"
        r"papirer|papira|papirene|dokument|vedlegg|attest|legge ved|leggje ved|førerkort|førarkort|bankkort|"
        r"\bbilde\b|\bbilder\b|\bpass\b|"
        r"bring|what do i need|documents?|papers|\bid\b|identification|passport|driving licen|attachment|proof",
    ),
    (
        Facet.HOW_TO_APPLY,
        r"søk|søknad|skjema|på nett|på papir|papirskjema|on paper|paper form|"
        r"nettet|digitalt|e-post|epost|hvordan|korleis|koss|åssen|hva må (?:jeg|man)|"
        r"kva må (?:eg|ein)|ka må (?:æ|i)|første steg|fylle|lenke|\blink\b|melder jeg|melde fra|"
        r"apply|application|\bform\b|online|how do i|how can i|sign up|register|first step",
    ),
    (
        Facet.WHERE,
        r"hvor|\bkor\b|kvar|hvilket sted|adresse|address|langt unna|etasje|sentrum|nærheten|møte opp|"
        r"komme innom|buss dit|where|\bfar\b|get there|holder til|holde til|held til",
    ),
]
_FACETS = [(facet, re.compile(rf"(?:{words})", re.IGNORECASE)) for facet, words in _FACET_WORDS]
# The whole words a facet's words are part of: «kostar» goes, not «kost» leaving «ar».
_FACET_SPANS = [re.compile(rf"\w*(?:{words})\w*", re.IGNORECASE) for _, words in _FACET_WORDS]


# Words that ask nothing of their own: what is left of «hvilke dokumenter trenger jeg?» once its
# facet words are gone.
_FUNCTION_WORDS = frozenset(
    "hva kva ka hvilke hvilken kor hvor er e det den de dei dem jeg eg æ i je vi me man ein en et eit "
    "kan må skal bør får vil kunne da så og å for til med om på av no nå der her noe noko nåkka "
    "what which is are it there the a an do does i we can must should need to for of on at then "
    "and so any what's når tid when they them their this that these har ha have has "
    "helg helga helgen helgene helgane lørdag lørdager søndag søndager kveld kvelden kveldane kveldene "
    "sommer sommaren sommeren jul julen jula påske påsken påska weekend weekends evening evenings "
    "tidlig tidleg sent seint morgen morgenen morgon morgonen ettermiddag ettermiddagen dagen early late "
    "morning mornings afternoon afternoons day dag today tomorrow in how saturday saturdays sunday sundays "
    "summer christmas easter mandag mandagen mandager tirsdag tirsdagen tirsdager tysdag onsdag onsdagen onsdager "
    "torsdag torsdagen torsdager fredag fredagen fredager lørdagen søndagen laurdag laurdagen sundag sundagen "
    "monday mondays tuesday tuesdays wednesday wednesdays thursday thursdays friday fridays "
    "før etter mellom fra frå before after between from until".split()
)
_WORD = re.compile(r"[^\W\d_]+")


# A question that names nothing but a facet is short; the cap also keeps `_FACET_SPANS` linear, since
# «\w*» before the words costs time quadratic in the length of one long word (the NLU runs this on
# every question, up to the length cap).
_MAX_FACET_ONLY_CHARS = 200


def asks_only_a_facet(text: str) -> bool:
    """Whether the message asks for a facet and names nothing else: «hvilke dokumenter trenger jeg?»."""
    return facet_of(text) is not Facet.MORE and subject_words(text) == []


def subject_words(text: str) -> list[str] | None:
    """What the message names, once its facet words and small words are gone: «apoteket», «amfi»
    in «Når er apoteket på Amfi åpent på søndager?»; None for a message too long to read so."""
    if len(text or "") > _MAX_FACET_ONLY_CHARS:
        return None
    rest = text or ""
    for pattern in _FACET_SPANS:
        rest = pattern.sub(" ", rest)
    return [w for w in _WORD.findall(rest.lower()) if w not in _FUNCTION_WORDS]


# «og for pensjonister?», «and for adults?», «gjeld det for studentar òg?»: the same service, asked
# for another group of people, not a service of its own (DIET reads «adults» as adult education).
_FOR_A_GROUP = re.compile(
    r"^(?:og|å|and|men|but|hva med|kva med|ka med|what about|how about|gjelder det|gjeld det|er det|is it|"
    r"does it apply|same)?\s*(?:også |òg |au |also )?(?:for|til|te) (?:\w+ ){0,2}"
    r"(?:voksne|vaksne|barn|born|unger|ungar|ungdom\w*|unge|pensjonist\w*|eldre|senior\w*|student\w*|elev\w*|"
    r"uføre|uføretrygd\w*|familie\w*|småbarnsfamilie\w*|innvandr\w*|flyktning\w*|tilflytt\w*|utlending\w*|"
    r"funksjonshemm\w*|bedrift\w*|firma\w*|organisasjon\w*|lag og foren\w*|hytte\w*|turist\w*|besøkende|"
    r"adults?|children|child|kids?|teens?|teenagers?|youth|young people|pensioners?|seniors?|(?:the )?elderly|"
    r"older people|students?|pupils?|(?:the )?disabled|famil(?:y|ies)|refugees?|immigrants?|foreigners?|"
    r"newcomers|businesses|companies|firms|clubs|cabin owners|tourists|visitors)"
    r"(?: (?:også|òg|au|too|as well|da|då|then))?\s*[?.!]*$",
    re.IGNORECASE,
)


def asks_for_a_group(text: str) -> bool:
    """Whether the message asks the same again for another group of people: «og for pensjonister?»."""
    return bool(_FOR_A_GROUP.match(" ".join((text or "").split())))


def facet_of(text: str) -> Facet:
    """The facet a follow-up asks about; `MORE` when its words name none."""
    for facet, pattern in _FACETS:
        if pattern.search(text or ""):
            return facet
    return Facet.MORE

"""Word patterns for emergencies, suicide risk and urgent health, in bokmål, nynorsk, dialect and English.

The patterns are one half of the safety layer (`bot.safety`); the trained classifier
(`bot.safety.classifier`) is the other. A pattern names a situation («puster ikke», «vondt i
brystet», «svelget tabletter»), not a topic word, so that «brann- og feiingsgebyr» or «kan jeg
brenne bål» do not match while «det brenner» does. They are matched against the lower-cased text
with whitespace collapsed (`normalise`). `tests/test_safety.py` checks them against every
ordinary training example, which must not match. A gap between words is always bounded
(`.{0,40}`, never `.*`): the patterns run on messages of up to 8,000 characters before the length
cap, and an unbounded gap makes a long message cost time quadratic in its length.
"""

from __future__ import annotations

import re


def _any(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


def _unless_message_names(excluded: str, pattern: str) -> str:
    """`pattern` anywhere in a message that nowhere matches `excluded`.

    Read from the message's start over its first 2,000 characters (the chat's longest message):
    the bounded gaps keep a long adversarial message cheap.
    """
    return rf"^(?!.{{0,2000}}{excluded}).{{0,2000}}?{pattern}"


# Someone the writer talks about (not «dere» or «kommunen»: «dere svarer ikke» is a complaint).
PERSON = _any(
    r"han",
    r"hun",
    r"ho",
    r"hu",
    r"dem",
    r"mamma\w*",
    r"pappa\w*",
    r"mor\w*",
    r"far\w*",
    r"bestemor\w*",
    r"bestefar\w*",
    r"besten",
    r"farmor",
    r"farfar",
    r"mormor",
    r"morfar",
    r"kona",
    r"kona mi",
    r"mannen",
    r"mannen min",
    r"min mann",
    r"mi kone",
    r"samboer\w*",
    r"kjæresten",
    r"barn\w*",
    r"baby\w*",
    r"ungen",
    r"ungen min",
    r"gutt\w*",
    r"guten",
    r"jent\w*",
    r"dotter\w*",
    r"datter\w*",
    r"søn\w*",
    r"son\w*",
    r"bror\w*",
    r"søster\w*",
    r"syster\w*",
    r"nabo\w*",
    r"venn\w*",
    r"kompis\w*",
    r"kamerat\w*",
    r"kollega\w*",
    r"pasient\w*",
    r"dama",
    r"fyren",
    r"noen",
    r"nokon",
    r"nån",
    r"en mann",
    r"ein mann",
    r"en dame",
    r"ei dame",
    r"en kvinne",
    r"ei kvinne",
    r"et barn",
    r"eit barn",
    r"mann",
    r"kvinne",
)
NOT = _any(r"ikke", r"ikkje", r"ikkj", r"itj", r"ikk", r"ik", r"inte", r"not", r"no longer")
SWALLOWED = _any(
    r"svelg\w*",
    r"drukket",
    r"drukke",
    r"drukki",
    r"drokke",
    r"drakk",
    r"drikke",
    r"spist",
    r"spiste",
    r"ete",
    r"åt",
    r"fått i seg",
    r"fått i sæ",
    r"fekk i seg",
    r"fikk i seg",
    r"slikket på",
    r"swallowed",
    r"swallow",
    r"ate",
    r"eaten",
    r"drank",
    r"drunk",
    r"got into",
)
# Taking medicine is its daily use («jeg tok medisinen min i morges»): it counts when something stands
# between the verb and the pills («tok 40 paracet», «har tatt alle pillene»), and that is more than «min».
TAKEN = _any(r"tatt", r"tok", r"tek", r"took", r"taken")
_OWN = _any(
    r"min",
    r"mi",
    r"mitt",
    r"mine",
    r"sin",
    r"si",
    r"sine",
    r"ikke",
    r"ikkje",
    r"itj",
    r"not",
    r"my",
    r"his",
    r"her",
    r"the",
    r"their",
)
HARMFUL = _any(
    r"piller",
    r"pilla",
    r"pillar",
    r"pillene",
    r"pillane",
    r"tablett\w*",
    r"sovetablett\w*",
    r"sovepille\w*",
    r"smertestill\w*",
    r"paracet\w*",
    r"ibux",
    r"medisin\w*",
    r"vaskemiddel",
    r"oppvask\w*",
    r"klor\w*",
    r"rødsprit",
    r"lampeolje",
    r"parafin",
    r"gift\w*",
    r"rottegift",
    r"batteri\w*",
    r"knappecelle\w*",
    r"magnet\w*",
    r"giftig\w*",
    r"frostvæske",
    r"white spirit",
    r"salmiakk",
    r"bleach",
    r"detergent",
    r"dishwasher tablet",
    r"pills",
    r"tablets",
    r"medicine",
    r"meds",
    r"poison\w*",
    r"battery",
    r"batteries",
    r"chemicals?",
    r"lamp oil",
    r"antifreeze",
)
BODY = _any(
    r"armen",
    r"arma",
    r"beinet",
    r"beina",
    r"foten",
    r"fot",
    r"handa",
    r"hånden",
    r"hånda",
    r"håndleddet",
    r"handleddet",
    r"ankelen",
    r"ankel",
    r"kneet",
    r"knea",
    r"hofta",
    r"hoften",
    r"kragebeinet",
    r"ribbein\w*",
    r"finger\w*",
    r"tåa",
    r"tærne",
    r"nesa",
    r"nesen",
    r"skuldra",
    r"skulderen",
    r"ryggen",
    r"nakken",
    r"arm",
    r"leg",
    r"wrist",
    r"ankle",
    r"foot",
    r"knee",
    r"finger",
    r"hip",
    r"collarbone",
    r"shoulder",
)
CHILD = _any(
    r"barnet",
    r"barna",
    r"ungen",
    r"ungane",
    r"ungene",
    r"ungan",
    r"onga",
    r"ongen",
    r"ongan",
    r"gutten",
    r"guten",
    r"jenta",
    r"jenten",
    r"sønnen",
    r"sonen",
    r"datteren",
    r"dottera",
    r"babyen",
    r"veslejenta",
    r"veslebror",
    r"lillebror",
    r"lillesøster",
    r"\w*åringen",
    r"barn min",
    r"min sønn",
    r"min datter",
    r"mitt barn",
    r"child",
    r"kid",
    r"son",
    r"daughter",
    r"baby",
    r"toddler",
    r"boy",
    r"girl",
)
ACHE = _any(
    r"øret",
    r"øyra",
    r"øra",
    r"øre",
    r"magen",
    r"magan",
    r"hodet",
    r"hovudet",
    r"ryggen",
    r"tanna",
    r"tennene",
    r"halsen",
    r"øyet",
    r"auget",
    r"brystet",
)
# What makes a pain urgent rather than a long-standing complaint.
ACUTE = _any(
    r"natt\w*",
    r"kveld\w*",
    r"helg\w*",
    r"søndag",
    r"lørdag",
    r"sundag",
    r"laurdag",
    r"plutselig\w*",
    r"brått",
    r"sterk\w*",
    r"veldig",
    r"ille",
    r"fælt",
    r"kjempe\w*",
    r"ikke til å holde ut",
    r"uutholdelig\w*",
    r"forferdelig\w*",
    r"skikkelig",
    r"sykt",
)

# A fire, a fight or a heart attack told of as over («i forrige måned», «i fjor», «for to år siden»)
# is background to a question, not an emergency now; «for fem minutter siden» is now.
PAST = (
    r"(?!.{0,40}\b(?:(?:år|uker?|veker?|måneder?|månader?|dager|dagar|lenge) (?:siden|sidan|sia)|i fjor|i fjar|"
    r"i forrige|forrige (?:uke|veke|måned|månad|år|helg)|i går|last (?:week|month|year)|(?:years?|months?|weeks?) ago|"
    r"yesterday|i (?:vinter|sommer|sommar|høst|haust|våres)|(?:last|this) (?:winter|summer|autumn|spring)|"
    r"(?:i|in|back in|år|year) (?:19|20)\d\d|(?:in|i) the (?:19|20)?\d0'?s|(?:på|i) (?:19|20)?\d0-tal(?:l?et|l)|"
    r"(?:under|i|etter) (?:andre )?(?:verdenskrigen|verdskrigen|krigen)|"
    r"(?:during|in|after) the (?:second world )?war)\b)"
)

# «svarer ikke på meldinger»: someone who does not reply to messages, not a person who does not respond.
_NOT_MESSAGES = (
    r"(?! (?:\w+ )?(?:meldinger\w*|meldingar\w*|melding\w*|telefon\w*|e-post\w*|epost\w*|mail\w*|sms\w*|brev\w*|"
    r"henvendels\w*|førespurnad\w*|søknad\w*|spørsmål\w*|klage\w*|purring\w*|faktura\w*)\b)"
)

# Carbon monoxide without its name: a heater, a stove or a generator, and people dizzy, sick or sleepy.
_HEATER = (
    r"(?:gassovn\w*|gasspeis\w*|gas fireplace|gassvarmar\w*|gassvarmer\w*|parafinovn\w*|parafinbrenn\w*|"
    r"aggregat\w*|engangsgrill\w*|kullgrill\w*|grill(?:a|en)? inne|bålpanne\w*|vedovn\w*|peis\w*|ovnen|fyrt|fyra|"
    r"fyrte|gas heater|paraffin heater|generator|charcoal|barbecue inside|grill inside|wood stove|stove)"
)
_CO_SIGNS = (
    r"(?:svimmel|svimle|svimmelt|hodepine|hovudverk|vondt i (?:hodet|hue|huet|hovudet|huvve)|kvalm\w*|"
    r"søvnig\w*|trøtt\w*|døsig\w*|sløv\w*|dizzy|headaches?|nause\w*|drowsy|sleepy)"
)

# «is not responding to my emails»: someone who does not answer messages, not a person who does not respond.
_NOT_TO_MESSAGES = (
    r"(?! (?:to|on) (?:my |our |the |his |her |any )?(?:e-?mails?|mails?|messages?|calls?|phone|texts?|letters?|"
    r"applications?|requests?|complaints?|inquir\w*|enquir\w*))"
)

# A craftsman, a landlord or a caseworker who does not answer is a complaint, not a person who does not respond.
_A_TRADE = (
    r"\b(?:håndverker\w*|handverkar\w*|snekker\w*|rørlegger\w*|elektriker\w*|utleier\w*|utleigar\w*|selger\w*|"
    r"seljar\w*|firma\w*|kroner|kr|faktura\w*|mekler\w*|entreprenør\w*|saksbehandler\w*|sakshandsamar\w*|"
    r"forliksråd\w*|advokat\w*|skylder|skyldar)\b"
)
# Poisoning in a novel, a film or a game is research, not an emergency.
_FICTION = (
    r"\b(?:krimroman\w*|roman|romanen|novel|book|bok|boka|boken|film|filmen|movie|serie|serien|series|spill|spillet|"
    r"game|manus\w*|fortelling\w*|novelle\w*|research)\b"
)

# A message that opens with when it happened («For tre år siden hadde jeg hjerteinfarkt, …») tells its history.
_PAST_OPENING = (
    r"\s*(?:for|i|in) (?:\w+ ){1,2}(?:år|uker|veker|måneder|månader|years?|months?|weeks?) (?:siden|sidan|sia|ago)\b"
)

# Confused as a sign, not confused about the rules.
_CONFUSED = r"(?:forvirr\w*(?! (?:om|over|av|angående|rundt|med))|confused(?! (?:about|by|with)))"

# What is read or studied: a report, a thesis, statistics, or a book or a film.
_STUDIED = (
    rf"(?:{_FICTION}|\b(?:statisti\w*|bacheloroppgave\w*|masteroppgave\w*|oppgave\w*|oppgåve\w*|rapport\w*|thesis|"
    r"essay|report|forebygg\w*|prevention)\b)"
)

# The legevakt, as citizens spell it.
_LEGEVAKT = r"\b(?:legevakt\w*|legevagt\w*|legevak|leegevakt\w*|legevatk\w*|legvakt\w*)\b"

EMERGENCY = [
    # Fire, smoke, gas
    r"\bdet brenn(?:er)?\b(?! i (?:meg|hjertet|sjela) (?:for|etter|å)\b)(?! for (?:å|meg)\b)",
    r"\bbrenn(?:er)? (?:det )?(?:i|hos|på|oppe|nede|inne|ute)\b(?!(?<=i) (?:meg|hjertet|sjela) (?:for|etter|å)\b)",
    r"(?<!om )(?<!lærer om )(?<!lære om )\bbrann\b(?![-–])(?! (?:spel\w*|spiller|vann|vant|tapte|tapa|scora|scoret|"
    r"møter|møtte|kamp\w*|og redning\w*))"
    r"(?! ?(?:alarm|øv|vern|stasjon|vesen|tilsyn|sikker|forebygg|instruks|dør|teppe|slukk|regl|krav))" + PAST,
    r"\bstår i (?:brann|flammer)\b",
    r"\bflamm(?:er|ane|ene)\b",
    # smoke, unless from garden waste or a bonfire asked about as a rule
    _unless_message_names(
        r"\b(?:hageavfall|bråte|bål\w*|grill\w*|er det lov|lovlig)\b",
        r"\brøyk(?:en)?\s+"
        + _any(
            "i", "fra", "frå", "ut", "kjem", "kommer", "siver", "overalt", "under", "inne", "ifra", "velter", "fyller"
        )
        + r"(?! (?:\w+ )?(?:grill\w*|bål\w*|bålpanne\w*|sigarett\w*|røyking\w*))",
    ),
    r"(?<!blir det )(?<!blir det så )(?<!kommer det )(?<!kjem det )\b(?:mye|masse|tykk|svart|mykje|full av) røyk\b",
    r"\bryk(?:er|te|a)? (?:veldig |ganske |kraftig )?(?:mye|masse|svart|tett|kraftig|mykje)\b|"
    r"\bryk(?:er|e|te|a)? (?:\w+ )?(?:fra|frå|ifra|ut av|ut frå|ut fra) "
    r"(?:taket|vinduet|huset|garasjen|bilen|panseret|døra|veggen|kjelleren|loftet|stikkontakt\w*|kontakten|"
    r"sikringsskap\w*|ovnen|panelovnen|komfyren|tørketrommel\w*|vaskemaskin\w*|laderen|kabelen|ledningen)\b",
    # not «spark\w*»: a «sparkesykkel» is a kick scooter
    r"\b(?:gnist\w*|sparks?|sparking|røyk|smoke)\b.{0,30}\b(?:stikkontakt\w*|sikringsskap\w*|socket|outlet|"
    r"fuse ?box)\b|\b(?:stikkontakt\w*|sikringsskap\w*|socket|outlet)\b.{0,30}\b(?:gnist\w*|sparks?|sparking|"
    r"ryk(?:er|e|te|a)?|smoking|knitr\w*)\b",
    r"\brøyklukt\b",
    r"\b(?:svart|røyk|flammer|flammar|eld)\b.{0,20}\b(?:fra|frå|ut av|under|oppå) (?:panseret|motoren|motorrommet)\b",
    r"\bbrannalarmen (?:går|gikk|ula|uler|piper)\b(?!.{0,40}\b(?:batteri\w*|battery)\b)",
    r"\bgass\w*lukt\b|\bgasslokt\b|\bluk\w* (?:av )?(?:gass|gas|brent|svidd)\b|\bgasslekk\w*\b",
    r"\b(?:on fire|catch(?:ing)? fire|caught fire|is burning|are burning|house fire|in flames)\b",
    r"\bfire\b(?! (?:station|brigade|department|service|safety|inspection|drill|alarm|extinguisher|ban|exit|door|"
    r"officer|fighter|works|place|wood|pit|risk|regulation|hydrant))"
    r"(?=.{0,40}(?:!|help|house|flat|building|kitchen|smoke|burning|room|car|in my|in the))",
    r"(?<!plan for )(?<!planer for )(?<!beredskap for )(?<!beredskap mot )(?<!fare for )(?<!faren for )"
    r"(?<!risiko for )(?<!om )\b(?:skog|lyng|gras|gress|kratt|mark|torv|utmark)brann(?:en|ar|er)?\b"
    r"(?! (?:fare|faren|varsel|sesong\w*|risiko|beredskap|plan\w*|øvelse\w*|kart\w*)\b)" + PAST,
    r"\b(?:forest|wild|grass|brush|bush)(?: )?fire\b(?! (?:risk|danger|warning|ban|season))" + PAST,
    r"\b(?:i full fyr|står i fyr|stod i fyr|tok fyr|tatt fyr|tek fyr|teke fyr|tok eld|tatt eld|fått fyr)\b",
    r"\bsmoke (?:coming|in|from|everywhere|pouring|alarm (?:is )?going)\b",
    r"\bsmell(?:s|ing)? (?:of |like )?(?:gas|smoke|burning)\b|\bgas (?:leak\w*|smell\w*|odou?r)\b",
    # Breathing, consciousness, choking
    rf"\b(?:puster|puste|pustar|pusta|pust|pustr) {NOT}\b",
    rf"\b{NOT} (?:puster|pustar|puste)\b",
    rf"\b(?:får|fær|klarer|klare|klarar|greier|greie|kan) {NOT} (?:å |og )?(?:puste|pusta|pust|luft)\b",
    r"\b(?:tungt|vanskelig|vanskeleg|vondt) å puste\b|\bpustebesvær\b|\bpusteproblem\w*\b|\btungpust\w*\b",
    r"\bblå (?:i ansiktet|i andletet|i fjeset|rundt munnen|om munnen|på leppene|i leppene)\b",
    r"\b(?:leppene|leppane|lepper|munnen) (?:er|e|blir|ble|vart|har blitt) (?:\w+ )?"
    r"(?:grå|blå|gråblå|blåe|grey|gray|blue)\b|"
    r"\blips (?:are|look|went|turned) (?:\w+ )?(?:grey|gray|blue)\b|"
    r"\b(?:klarer|klarar|greier|greiar|får|kan) (?:ikke|ikkje|itj) (?:å )?(?:si|seie|snakke|snakka|fullføre) "
    r"(?:hele|heile|fulle) setning\w*\b|\b(?:can'?t|cannot) (?:finish|speak in|say) (?:a |full |whole )?sentences?\b",
    r"\bbevisstløs\w*\b|\bmedvitslaus\w*\b|(?<!holdt på å )(?<!held på å )(?<!nesten )\bbesvim\w*\b|"
    r"\bsvim(?:te|a|et) av\b|\bdatt om\b|\bfalt om\b",
    r"\bkollaps\w*\b(?!.{0,30}\b(?:sofa\w*|senga|sengen|couch|bed|hver dag|kvar dag|etter jobb|after work)\b)|"
    r"\bdeppa\b|\bhelt borte\b|\blivløs\b|\bligger (?:helt )?(?:stille|livløs|urørlig)\b",
    # not a craftsman, a landlord or a caseworker who does not answer (read from the message's start)
    _unless_message_names(
        _A_TRADE, rf"\b{PERSON} (?:svarer|svarar|svare|reagerer|reagerar|reagere|våkner|vaknar|vakne|rører seg) {NOT}\b"
    ),
    rf"\b(?:beveger|bevegar|rører|rører|rør) (?:seg|sæ) {NOT}\b|\b{NOT} (?:beveger|rører) (?:seg|sæ)\b",
    _unless_message_names(
        _A_TRADE,
        rf"\b(?:svarer|svarar|svare|reagerer|reagerar|våkner|vaknar|vakne) {NOT} "
        rf"(?:når|på{_NOT_MESSAGES}|lenger|meir|mer|opp)\b",
    ),
    rf"\b(?:vil|vill) {NOT} (?:våkne|vakne)\b",
    r"\b(?:umulig|umogleg|vanskelig|vanskeleg|uråd|nesten umulig|går ikke|går ikkje|får ikke|får ikkje) å vekke\b|"
    r"\b(?:hard|impossible|difficult) to wake\b|\bcan'?t wake (?:him|her|them|my|our)\b",
    r"\b(?:uten|utan|uta) å (?:røre|rør|bevege|bevega|røre på) (?:seg|sæ)\b|\bwithout moving\b",
    r"\b(?:ikke|ikkje|itj|ikkj) (?:rørt|bevegd|beveget|rørt på) (?:seg|sæ)\b|\bhas(?:n'?t| not) moved\b",
    r"\bfår (?:ikke|ikkje|itj) kontakt med\b|\bfår (?:ikke|ikkje|itj) liv i\b",
    r"\b(?:satt|sett|sitter|sit|satte) (?:seg )?(?:noe|noko|mat|ein|en|et|eit)? ?(?:fast )?i (?:halsen|vrangstrupen)\b",
    r"(?<!nesten )(?<!holdt på å )(?<!heldt på å )(?<!holdt på og )\bkvel(?:es|t|e|ast)\b"
    r"(?! av (?:latter|lått|ler|papir\w*|arbeid\w*|jobb\w*|skjema\w*|byråkrati\w*|regning\w*|mas|stress\w*))|"
    r"\bsetter (?:seg )?i halsen\b",
    r"\b(?:not|isn'?t|isnt|stopped|stop) breathing\b|\bcan'?t breathe\b|\bcannot breathe\b|\bcant breath\b",
    r"\b(?:struggling|hard|difficult) to breathe\b|\btrouble breathing\b",
    r"\bunconscious\b|\bunresponsive\b|\bpassed out\b|\bcollapsed\b|\bfainted\b",
    r"\b(?:won'?t|will not|doesn'?t|does not|isn'?t|is not) (?:wake up|respond|responding|move|moving)\b"
    + _NOT_TO_MESSAGES,
    r"\b(?:is not|isn'?t|are not|aren'?t|keeps not|still not|not) (?:waking up|waking|responding|reacting)\b"
    + _NOT_TO_MESSAGES,
    _unless_message_names(
        r"\b(?:hairballs?|hårball\w*|vets?|veterinar\w*|veterinær\w*|dyrlege\w*)\b",
        r"(?<!nearly )(?<!almost )\bchok(?:ing|ed)\b",
    ),
    r"\bturning blue\b|\blips are blue\b",
    # Heart, stroke, seizures, allergy
    r"\b(?:(?:kjempe|sykt|skikkelig|veldig|fælt|jævlig|forferdelig|so|så)? ?vondt|(?:kjempe)?vont|smerter|smerte|trykk|"
    r"trykkende|press|klemming|stikking) (?:i|over) "
    r"(?:brystet|bryste|brøstet|brøste|brystkassa|brystkassen|bringa|bringen|hjertet|hjartet)\b",
    r"\bstrål\w* (?:ut )?(?:i|til|mot|ned i|into|down) (?:the |my |his |her )?(?:venstre|left) arm\w*\b|"
    r"\bkaldsvett\w*\b.{0,60}\b(?:bryst\w*|brøst\w*|hjert\w*|chest)\b|"
    r"\b(?:bryst\w*|brøst\w*|chest)\b.{0,60}\bkaldsvett\w*\b",
    r"\bbrystsmert\w*\b|\bhjerteattakk\b",
    rf"^(?!{_PAST_OPENING}).{{0,2000}}?"
    rf"(?<!nesten )(?<!nærmest )\b(?:hjerteinfarkt|hjarteinfarkt|hjertestans|hjartestans)\b{PAST}",
    r"(?:\b(?:fått|fått et|fått eit|har fått|hatt) (?:hjerne)?slag\b|\bhjerneslag\b|\b(?:er|e) (?:hjerne)?slag\b)"
    + PAST,
    r"\b(?:munnen|munnviken|munnvik|ansiktet|andletet|fjeset) (?:henger|heng)\b|\bhengende munnvik\b",
    r"\bhenger i (?:munnen|ansiktet|munnviken)\b|\bsnakk(?:er|ar) (?:rart|utydelig|uklart|sludrete|utydeleg)\b",
    r"\b(?:snakker|snakkar|prater|pratar|praten|talen|snakket)\b (?:\w+ )?(?:heilt |helt |plutselig |plutseleg )?"
    r"(?:uforståelig|uforståeleg|utydelig|utydeleg|uklart|sludrete|grøtete|grautete|rart)\b",
    r"\blam(?:met|ma)? i (?:armen|beinet|ansiktet|andletet|den ene siden)\b|\bklarer ikke (?:å )?løfte armen\b",
    r"\b(?:klarer|klarar|greier|greiar|får|kan) (?:ikke|ikkje|itj|ikkj) (?:å )?(?:løfte|løfta|lyfte|bevege|bevega|"
    r"røre|kjenne) (?:den )?(?:høyre|venstre|høgre|ene)? ?(?:armen|arm|handa|hånden|hånda|beinet|foten|sida|siden)\b"
    r"(?!.{0,30}\b(?:etter|since|after) (?:\w+ )?(?:operasjon\w*|bruddet|brotet|skaden|ulykka|ulykken|surgery|"
    r"operation)\b)" + PAST,
    r"\bkramp(?:er|eanfall|ar|a)?\b|\bepileptisk anfall\b|\bepilepsianfall\b",
    # seizures one after another, or one that does not stop
    r"\b(?:to|tre|fire|flere|fleire|mange|two|three|several)\s+(?:\w+\s+)?(?:anfall|seizures)\b.{0,60}"
    r"\b(?:siste timen|siste halvtimen|på rad|etter hverandre|etter kvarandre|uten å våkne|utan å vakne|"
    r"without waking|in a row|back to back|in the last hour)\b|"
    r"\banfall\w*\b.{0,60}\b(?:uten å våkne|utan å vakne|without waking)\b|"
    r"\banfall\w* (?:har )?(?:vart|vara|varer|varar|varte|holdt på|halde på) (?:i )?(?:over |mer enn |meir enn )?"
    r"(?:\d+|fem|ti|flere|fleire) min",
    r"\b(?:ansikt\w*|andlet\w*|fjes\w*|munn\w*|face)\b (?:\w+ ){0,2}(?:skjev\w*|skeiv\w*|skakk\w*|lopsided|droop\w*)\b|"
    r"\b(?:skjev|skeiv|skakk) i (?:ansiktet|andletet|fjeset|munnen)\b|"
    r"\b(?:kan|klarer|klarar|greier|greiar|får) (?:ikke|ikkje|itj) (?:å )?(?:snakke|snakka|prate|prata) "
    r"(?:riktig|ordentlig|ordentleg|skikkelig|skikkeleg|normalt|tydelig|tydeleg|rett)\b"
    r"(?! (?:norsk|engelsk|nynorsk|bokmål|språket|språk|dialekt\w*|på telefon\w*))",
    rf"\b(?:falt|datt|dett|ramla|ramlet|hoppa|hoppet|stupte|stupa|dykket|dukket|fall|fell|fallen|landa|landet|landed|"
    rf"krasja|krasjet|kræsja)\b.{{0,100}}\b(?:kjenner|kjenne|kjenn|føler|kan|feel|can'?t|cannot) "
    rf"(?:ikke |ikkje |itj |not )?(?:kjenne |feel |move )?(?:\w+ )?(?:beina|beinet|bena|føttene|føtene|føttane|"
    rf"armene|armane|kroppen|legs|feet|arms|body)\b{PAST}|"
    r"\b(?:can'?t|cannot|can not) (?:feel|move) (?:my|his|her|their) (?:legs|feet|arms|body)\b" + PAST,
    r"\b(?:feber|febe|fever|temperatur|temperature|\d\d(?:[.,]\d)? i feber|hodepine|hovudverk|headache)\b.{0,80}"
    r"\b(?:stiv nakke|stiv i nakken|nakken er stiv|nakken e stiv|nakkestiv\w*|stiff neck|neck is (?:very )?stiff)\b|"
    r"\b(?:stiv nakke|stiv i nakken|nakken er stiv|stiff neck)\b.{0,80}\b(?:feber|febe|fever)\b|"
    r"\b(?:verste hodepine|verste hovudverk|værste hodepine|worst headache)\b|"
    r"\bworst (?:\w+ ){0,3}(?:of|in) (?:her|his|my|their) (?:whole )?life\b|"
    r"\b(?:can'?t|cannot|can not|unable to) (?:talk|speak) (?:properly|normally|clearly|right)\b|"
    r"\b(?:talks|talking|speaks|speaking|speech is) (?:funny|strange|weird|slurred)\b|"
    r"\b(?:prikk\w*|flekk\w*|utslett\w*|spots|rash)\b.{0,80}\b(?:glass|forsvinner ikke|forsvinn ikkje|"
    r"forsvinner ikkje|blekner ikke|won'?t fade|doesn'?t fade|don'?t fade|do not fade)\b",
    rf"\b{NOT} (?:våkner|vaknar|vakner|vakne|våkne) "
    r"(?:skikkelig|skikkeleg|ordentlig|ordentleg|ordenteleg|helt|heilt)\b|"
    r"\b(?:våkner|vaknar|vakner) (?:ikke|ikkje|itj) (?:skikkelig|skikkeleg|ordentlig|ordentleg|ordenteleg)\b",
    # a person near the writer, not a caseworker or a firm that no longer answers
    rf"\b(?:{CHILD}|mor|mora|moren|far|faren|mamma|pappa|mannen|kona|samboer\w*|bestemor|bestefar|mormor|morfar|"
    r"farmor|farfar|han|hun|ho|hu|he|she|mum|mom|dad|husband|wife)(?: mi| min| mitt| my)? (?:\w+ ){0,2}"
    rf"(?:(?:slutta|sluttet) å (?:svare|svara|reagere|reagera)\b(?: på)?{_NOT_MESSAGES}|"
    rf"stopped (?:responding|reacting)\b{_NOT_TO_MESSAGES})",
    r"\b(?:ser dobbelt|dobbeltsyn|seeing double|double vision)\b.{0,80}\b(?:arm\w*|ansikt\w*|andlet\w*|snakke|prate|"
    r"nummen|numb|face|speak|føles ikke|kjennes ikke)\b|\b(?:arm\w*|ansikt\w*|nummen|numb|face)\b.{0,80}"
    r"\b(?:ser dobbelt|dobbeltsyn|seeing double|double vision)\b",
    r"\bser (?:helt |heilt |veldig )?(?:rar|skjev|skeiv|skakk) ut i (?:ansiktet|andletet|fjeset|trynet)\b|"
    r"\b(?:ansiktet|andletet|fjeset|munnen) (?:er|e) (?:skjev|skeiv)\b",
    r"\b(?:øynene|auga|augo) (?:ruller|rullar|rulla|går|gjekk|vrenger seg|vrengjer seg) (?:bakover|opp|oppover)\b|"
    r"\beyes (?:are |were |keep )?rolling back\b|\beyes (?:go|going|went|roll\w*|turn\w*) (?:up|back)\b|"
    r"\bshaking uncontrollably\b|\bshaking (?:all|whole|all over|her whole|his whole) (?:body|over)\b|"
    r"\b(?:rister|ristar|rykker|rykkar) (?:ukontrollert|voldsomt|krampaktig)\b",
    r"\banafylak\w*\b|\ballergisk (?:sjokk|reaksjon)\b|\bhovn(?:er|ar|a|et)? (?:opp )?i (?:halsen|tunga|tungen)\b",
    r"\b(?:tunga|tungen|halsen|ansiktet|andletet|leppene) (?:hovner|hovnar|hovna|hovnet|svulmer)\b",
    r"\bhoven (?:i|opp i) (?:halsen|tunga|tungen|ansiktet|leppene)\b",
    # a blow to the head, then vomiting, memory loss or confusion
    r"\b(?:hit|hits|banged|bumped|slo|slått|slog|dunka|dunket)\b.{0,25}\b(?:head|hodet|hovudet|huet|hue|hau\w*|"
    r"skallen)\b.{0,80}"
    r"\b(?:vomit\w*|throwing up|threw up|kaster opp|kastar opp|kaste opp|kasta opp|kastet opp|spyr|spydde|"
    r"heilt rar|helt rar|can'?t remember|cannot remember|"
    r"doesn'?t remember|husker ikke|husker ingenting|hugsar ikkje|confused|forvirr\w*|unconscious|passed out|"
    r"besvimt|bevisstløs|medvitslaus)\b",
    r"\bchest (?:hurts|is hurting|feels tight|tightness)\b|"
    r"\bchest pain\w*\b|\bpain in (?:my|his|her) chest\b|\bheart attack\b|\bcardiac arrest\b",
    r"(?<!after my )(?<!after his )(?<!after her )(?<!since my )(?<!since his )(?<!since her )"
    rf"\bstroke\b{PAST}|\bface (?:is )?drooping\b|\bslurred speech\b",
    r"\bseizure\b|\bconvulsi\w*\b|\banaphyla\w*\b|\b(?:throat|tongue|lips|face) (?:is |are )?swell\w*\b",
    r"\b(?:severe|bad|serious) allergic reaction\b",
    r"\b(?:tongue|throat|lips|face) (?:is |are )?(?:getting |gets |got )?(?:really |very |so )?"
    r"(?:huge|bigger|big|thick|fat|puffy)\b|"
    r"\b(?:tunga|tungen|leppene|ansiktet|andletet) (?:blir|ble|vart|er) (?:\w+ )?(?:stor|større|tjukk|tykk|diger)\b",
    # a sting or a food, and then swelling in the face or trouble swallowing or breathing
    r"\b(?:stung|sting|stukket|stukke|veps\w*|bie|biene|wasp|bee|peanøtt\w*|nøtt\w*|peanut\w*|nuts?)\b.{0,80}"
    r"\b(?:swallow\w*|svelg\w*|piper|piping|hvese\w*|wheez\w*|hoven i (?:halsen|ansiktet)|swollen (?:face|throat|lips)|"
    r"(?:tungt|vanskelig|vanskeleg|dårlig|dårleg|ikke|ikkje|itj|trouble|hard|can'?t|difficult\w*) (?:å |to )?"
    r"(?:puste|pusta|breathe|breathing))\b",
    r"\bthroat (?:is |feels )?(?:like (?:it'?s |it is )?)?(?:closing|tightening|swelling)\b|"
    r"(?:\bepi-?pen\b|\badrenalinpenn\w*\b|\bepipenn\w*\b)"
    r"(?!.{0,40}\b(?:går ut|gå ut|utløper|utløpt|expire\w*|resept\w*|prescription|fornye\w*|renew\w*)\b)",
    r"\bhalsen (?:snører|snører seg|snører seg sammen|lukker seg|lukkar seg|tetner|tettnar)\b",
    # Bleeding and injuries
    r"\bblø(?:r|de|ing)? (?:mye|kraftig|masse|voldsomt|fælt|som bare|veldig|så mye|mykje|sykt|helt vilt|kraftig)\b",
    rf"\bblø\w*\b.{{0,40}}\b(?:slutter|stopper|stoppar|sluttar|går|vil) {NOT}\b",
    rf"\b(?:slutter|stopper|sluttar|stoppar|vil) {NOT} (?:å |og )?(?:slutte å )?blø\w*\b",
    r"\bkraftig blødning\b|\bstor blødning\b|\bsprut\w* blod\b|\bblod\w* spruter\b|\bblod sprut\w*\b",
    r"\b(?:mye|masse|mykje) blod\b|\bblod overalt\b|\bpulsåre\w*\b|\bkaster opp blod\b|\bhoster (?:opp )?blod\b",
    r"\bbleed(?:ing|s)? (?:a lot|heavily|badly|so much|everywhere)\b|\bwon'?t stop bleeding\b",
    r"\bblood everywhere\b",
    r"\b(?:går|klarer|klarar|greier|får) (?:ikke|ikkje|itj) (?:å )?(?:stoppe|stanse|stoppa|stansa|få stopp på) "
    r"(?:blødningen|blødninga|blodet|blødinga)\b|\b(?:can'?t|cannot) stop the bleeding\b",
    r"(?:\b(?:knivstukket|knivstikking|stukket med kniv|skot|skoten|skote|skotet|skaut)\b|\bskutt\b(?! ned\b)|"
    r"\bstabbed\b|"
    r"\bbeen shot\b)" + PAST,
    r"\b(?:navlestreng\w*|umbilical cord)\b.{0,60}\b(?:henger|heng|ute|ut|kommer|kjem|synlig|out|hanging|coming)\b|"
    r"\b(?:henger|heng|hanging|coming) (?:\w+ ){0,3}(?:ut|out)\b.{0,60}\b(?:navlestreng\w*|cord)\b",
    r"\b(?:gravid\w*|svanger\w*|\d+ (?:uker|veker|weeks) (?:på vei|på veg|gravid|pregnant)|pregnant)\b.{0,150}"
    r"\b(?:flimmer|flimring|ser stjerner|synsforstyrr\w*|blurred vision|blurry vision|seeing (?:spots|flashes|stars)|"
    r"(?:vondt|vont|smerte\w*) under ribbe\w*|pain under (?:my |the )?ribs)\b|"
    r"\b(?:flimmer|flimring|synsforstyrr\w*|(?:vondt|vont) under ribbe\w*)\b.{0,150}"
    r"\b(?:gravid\w*|svanger\w*|uker på vei|veker på veg)\b",
    r"(?:\b(?:diabet\w*|insulin\w*|blodsukker\w*|blodsukret|keton\w*|ketoacido\w*|type ?1)\b.{0,150}"
    r"\b(?:puster (?:tungt|fort|rart)|pustar (?:tungt|fort|rart)|puste tungt|ør i (?:hodet|hovudet)|"
    rf"{_CONFUSED}|breathing (?:fast|heavily|hard|strangely)|ketoacido\w*)\b|"
    rf"\b(?:puster (?:tungt|fort)|pustar (?:tungt|fort)|{_CONFUSED})\b.{{0,100}}"
    r"\b(?:diabet\w*|insulin\w*|blodsukker\w*|blodsukret|keton\w*)\b)" + PAST,
    r"\b(?:hoggorm\w*|huggorm\w*|slange\w*|orm|snake|adder|viper)\b.{0,150}\b(?:kaster opp|kastar opp|kast\w* opp|"
    r"spyr|spydde|svimmel|svimmel\w*|svimle|besvim\w*|puste\w*|pusta|hoven opp til|hovent opp til|hovna opp til|"
    r"vomit\w*|throwing up|dizzy|faint\w*|breath\w*|swollen up to)\b" + PAST,
    r"\b(?:astma\w*|asthma|inhalator\w*|inhaler|sprayen|ventolin|airomir|bricanyl)\b.{0,100}"
    r"\b(?:(?:klarer|klarar|greier|får|kan) (?:nesten )?(?:ikke|ikkje|itj) (?:å )?(?:si|seie|snakke|snakka|prate)|"
    r"(?:can'?t|cannot|can barely|unable to) (?:talk|speak|say)|foroverbøyd|bøyd framover|leaning forward|"
    r"lepp\w* (?:er |blir )?blå|lips (?:are |turning )?blue)\b",
    r"\b(?:baby\w*|spedbarn\w*|nyfødt\w*|newborn|infant|\d+ (?:uker|veker|weeks) gam(?:mel|al)|baby (?:på )?\d+ uker)\b"
    r".{0,100}\b(?:slapp(?! av)|slappe(?! av)|livløs|floppy|limp|lethargic|gråter (?:bare )?svakt|svak gråt|"
    r"hard to wake|pustepause\w*|grå i huden|gråblå)\b",
    # Poisoning and overdose
    r"\b(?:sopp\w*|mushroom\w*)\b.{0,80}\b(?:vomit\w*|throwing up|kast(?:er|ar|a|et) (?:\w+ )?opp|spyr|confused|"
    r"forvirr\w*|kvalm\w*|diarr\w*|magesmert\w*|stomach pain\w*)\b" + PAST,
    r"\b(?:inject\w*|took|taken|tok|tatt|sett|satt|sprøyta|sprøytet)\b.{0,30}\b(?:whole|all|hele|heile|alle)\b.{0,20}"
    r"\b(?:pen|penn|insulin\w*|pills|tablets|piller|pillene|tablett\w*|glass|glasset|brett|boks|boksen|dosett\w*)\b",
    r"\bfoam\w* (?:from|at) (?:the |his |her |my )?mouth\b|\bskum\w* (?:fra|frå|rundt|i|ut av) munnen\b",
    r"\b(?:drank|drunk|drink|drinks|drakk|drukket|drukke|svelget|svelgde|svelgja|swallowed)\b.{0,40}"
    r"\b(?:vaskemiddel\w*|oppvaskmiddel\w*|klorin\w*|\w*rens|bleach|detergent|cleaning \w+|antifreeze|frostvæske\w*|"
    r"lampeolje\w*|lamp oil|white spirit|terpentin\w*|lut|kaustisk\w*|dishwasher \w+|maskinoppvask\w*)\b",
    _unless_message_names(
        rf"(?:{_FICTION}|\b(?:band\w*|låt\w*|sang\w*|song\w*|album\w*|heter|called|named)\b)",
        r"\boverdos\w*\b(?! (?:av|of) (?:lekser|lekse|homework|arbeid|jobb|kaffe|coffee|sjokolade|informasjon|info))"
        r"(?! (?:statisti\w*|tall|figures|rates?|deaths? in|prevention|forebygging))",
    ),
    r"\bgiftinformasjonen\b",
    _unless_message_names(
        _FICTION,
        r"(?:(?<!om )(?<!kurs i )(?<!forebygge )(?<!forebygging av )(?<!førebyggje )\bforgift\w*\b|\bpoisoned\b|"
        r"\bpoisoning\b)",
    ),
    r"\bkullos(?!varsl|alarm|måler|detektor)\w*\b|\bkolos(?!varsl|alarm|målar|detektor)\w*\b|\bkarbonmonoksid\w*\b|"
    r"\bco-forgift\w*\b|\bcarbon monoxide\b",
    r"\b(?:kullos|kolos|co)[- ]?(?:alarm|varsl|detektor)\w* (?:piper|pip|går|gjekk|gikk|har gått|uler|ular|hyler)\b|"
    r"\b(?:co|carbon monoxide) (?:alarm|detector) (?:is |keeps |went |has gone )?(?:going off|beeping|went off|"
    r"sounding)\b",
    r"\b(?:co|carbon monoxide|kullos|kolos)[- ]?(?:alarm\w*|detector|detektor\w*|varsl\w*)\b.{0,60}"
    r"\b(?:beeping|beeps|going off|went off|goes off|sounding|piper|pip|uler|ular|hyler|har gått av|gikk av)\b"
    rf"|\b(?:co|carbon monoxide|kullos|kolos)[- ]?(?:alarm\w*|detector|detektor\w*|varsl\w*)\b.{{0,100}}\b{_CO_SIGNS}\b"
    + PAST,
    # Carbon monoxide told by its signs
    rf"\b{_HEATER}\b.{{0,100}}\b{_CO_SIGNS}\b|\b{_CO_SIGNS}\b.{{0,100}}\b{_HEATER}\b" + PAST,
    rf"\b{SWALLOWED}\b.{{0,40}}\b{HARMFUL}",
    rf"\b{TAKEN} (?!{HARMFUL})(?!{_OWN} {HARMFUL}).{{0,40}}\b{HARMFUL}",
    r"\b(?:svelg\w*|swallow\w*)\b.{0,30}\b(?:batteri\w*|battery|batteries)\b|"
    r"\b(?:spist|spiste|ate|eaten)\b (?:\w+ ){0,2}(?:et|eit|a|an) (?:lite |small )?(?:batteri|battery)\b",
    # a box or a glass of pills emptied, not a medicine cabinet cleared out
    rf"\btøm(?:t|te|d|de)\b (?:\w+ ){{0,2}}(?:boks\w*|glass\w*|pakk\w*|brett\w*|esk\w*|flask\w*|dosett\w*)\b.{{0,20}}"
    rf"\b{HARMFUL}",
    r"\b(?:spis\w*|svelg\w*|ate|eaten|swallow\w*|eat)\b.{0,30}\b(?:magnet\w*|magnets?|knappcelle\w*|knappecelle\w*|"
    r"knappbatteri\w*|knappebatteri\w*|"
    r"button batter\w*)\b|\b(?:magnet\w*|magnets?)\b.{0,30}\b(?:spist|svelg\w*|swallowed|ate)\b",
    r"\b(?:ligg|ligger|har lege|har ligget|har lagt|lå|låg|lying|been lying)\b (?:\w+ ){0,2}(?:på|on the) "
    r"(?:golvet|gulvet|golve|gulve|badegolvet|badegulvet|badromsgulvet|kjøkkengulvet|floor|bathroom floor)\b"
    r".{0,80}(?:\b(?:klarer|klare|klarar|greier|kan|får|fær) (?:ikke|ikkje|itj|ikkj) (?:å )?|"
    r"\b(?:can'?t|cannot|unable to) )(?:reise|reis|kome|komme|stå|get) (?:seg|sæ|meg|mæ|opp|up)\b|"
    r"\b(?:been|lying|ligget|lege|lagt) (?:\w+ )?(?:på|on the) (?:golvet|gulvet|golve|gulve|floor) "
    r"(?:hele natta|heile natta|hele natten|sia i går|siden i går|all night|since last night|since yesterday)\b",
    r"\b(?:alt for|for|too) mange (?:piller|tabletter|tablettar|pillar)\b|\btoo many (?:pills|tablets)\b",
    rf"\b(?:falt|datt|dett|detta|ramla|ramlet|fall|fell|fallen)\b.{{0,80}}"
    r"(?:\b(?:kommer|kjem|kjæm|klarer|klarar|greier|får|fær) (?:meg|mæ|seg|sæ|han|ham|ho|henne|hu) "
    r"(?:ikke|ikkje|itj|ikkj) (?:opp|på beina)\b|"
    r"\b(?:får|fær|klarer|greier) (?:ikke|ikkje|itj) (?:reist|reise) (?:meg|mæ|seg|sæ|han|ho|henne)\b|"
    rf"\b(?:can'?t|cannot|unable to) get (?:myself |him |her )?up\b){PAST}",
    r"\b(?:armen|arma|handa|hånda|hånden|fingrane|fingrene|fingeren|beinet|foten|håret|arm|hand|leg|foot|fingers|"
    r"hair|sleeve) (?:\w+ ){0,2}(?:inn i|inni|fast i|i|caught in|stuck in|in|into) (?:the |a )?"
    r"\w*(?:maskin\w*|blandar\w*|blander\w*|kvern\w*|presse\w*|pressa|vals\w*|fres\w*|skrue\w*|kraftuttak\w*|"
    r"machine\w*|mixer|auger|grinder|baler|machinery)\b",
    r"(?:\b(?:klemt|klemd|knust|fastklemt|fastklemd) (?:fast )?(?:under|mellom)\b|"
    r"\b(?:crushed|pinned) (?:under|between)\b)" + PAST,
    r"\b(?:fått|få|fikk|fekk|fær|got|gotten) (?:\w+ )?(?:strøm|straum|høgspent|høyspent) (?:i|gjennom|through|in) "
    r"(?:seg|sæ|meg|mæ|kroppen|hånda|handa|hånd|hånden|hand|armen|fingeren|him|her|me|his|my)\b|"
    r"\b(?:electric shock|electrocuted)\b|\bstrømstøt(?:et|ene)?\b|\bstraumstøyt(?:en|ar)?\b|"
    r"\b(?:ligger|ligge|ligg|lying) (?:ikke|ikkje|itj|not) (?:bevege|beveger|røre|rører|moving)\b",
    # Drowning, accidents, falls from height, the cold
    _unless_message_names(
        _STUDIED,
        r"\bdrukn\w*\b(?! i (?:papir|arbeid|jobb|skjema|søknad|mas|e-post|epost|regning|lekser))"
        r"(?! (?:\w+ )?(?:telefon\w*|mobil\w*|iphone\w*|ipad\w*|nettbrett\w*))" + PAST,
    ),
    r"\b(?:kvelva|kvelvd|kvelvt|kantra|kantret|kantrar|kantrer|kullseil\w*|capsiz\w*|overturned boat)\b|"
    r"\b(?:personar|personer|to personer|to personar|fleire personar|flere personer|people|two people|persons) "
    r"(?:i|uti) (?:vatnet|vannet|sjøen|havet|fjorden|elva|the water|the sea)\b",
    _unless_message_names(
        _STUDIED,
        r"(?:(?<!afraid of )(?<!scared of )(?<!fear of )\bdrowning\b"
        r"(?! in (?:paperwork|paper|work|forms|emails|e-mails|bills|debt|homework|applications))|"
        r"\bdrowned\b(?! (?:my|his|her|the) (?:phone|mobile|iphone|ipad|tablet)))" + PAST,
    ),
    r"\bunder vann\b|\bunder water\b|"
    r"\bgjennom isen\b|\bthrough the ice\b",
    r"(?<!mobilen )(?<!mobilen min )(?<!telefonen )(?<!nøklene )(?<!nøklane )(?<!lommeboka )"
    r"\b(?:falt|datt|dett|detta|dætt|ramla|ramlet) (?:\w+ )?(?:i|uti|ut i|ned i) "
    r"(?:vannet|vatnet|sjøen|sjøn|elva|havet|havna|fjorden|isen)\b|"
    r"\bfall\w* (?:in|into) the (?:water|sea|river|lake)\b",
    rf"\b(?:falt|datt|dett|gått|gikk|gjekk|hoppa|hoppet|ramla|ramlet|fell|went|gone|jumped) (?:\w+ )?"
    rf"(?:over ?bord|overboard)\b{PAST}|\bmann over bord\b|\bman overboard\b|"
    r"\bwent over the (?:railing|rail|side)\b|\b(?:he|she|someone|somebody|a man|a woman|a child|a kid|a person) "
    r"(?:is|are) (?:still )?in the (?:water|sea|river|lake|fjord)\b",
    r"\b(?:isen|vatnet|vannet|sjøen|elva|the ice|the water)\b.{0,100}\b(?:ser|sjå|see) "
    r"(?:eg |jeg |æ |vi |me |i |we )?(?:ikke |ikkje |itj )?"
    r"(?:han|ho|henne|ham|hun|him|her) (?:ikke |ikkje |itj )?(?:meir|mer|lenger|lengre|anymore|any more)\b",
    r"\b(?:dunk|smell|brak|bang|thud|crash|falt|datt)\b.{0,120}\b(?:stønn\w*|jamr\w*|klynk\w*|moan\w*|groan\w*)\b|"
    r"\b(?:stønn\w*|jamr\w*|moan\w*|groan\w*)\b.{0,80}\b(?:alene|aleine|åleine|alone|gulvet|golvet|floor)\b",
    # someone who walked into the water with the clothes on
    r"\b(?:sjøen|vannet|vatnet|havet|elva|fjorden|sea|water|lake)\b.{0,60}\b(?:med klærne på|med kleda på|"
    r"fully clothed|with (?:his|her) clothes on)\b|\b(?:med klærne på|med kleda på|fully clothed)\b.{0,60}"
    r"\b(?:sjøen|vannet|vatnet|havet|elva|fjorden|sea|water|lake)\b|\bser bare hodet\b|\bonly see (?:his|her) head\b",
    # a boat, not a basement, taking in water
    r"\b(?:båt\w*|sjekt\w*|jolle\w*|skøyt\w*|snekk\w*|kajakk\w*|vi)\b.{0,40}\b(?:tar|tek|tok|tatt|teke) inn "
    r"(?:vann|vatn|sjø|sjøen)\b|\b(?:boat|ship|dinghy|vessel|we are|we'?re)\b.{0,30}\btaking (?:on )?water\b|"
    r"\bdriv(?:er)? (?:\w+ )?(?:mot|inn mot) "
    r"(?:land|skjær\w*|skjera|skjæra|berget|holmen|fjellet|steinane)\b|"
    r"\b(?:kayak|canoe|boat|dinghy|kajakk\w*|kano\w*|båt\w*|jolle\w*) (?:\w+ ){0,2}(?:tipped|flipped|turned|capsized) "
    r"over\b|\b(?:friend|he|she|son|daughter|man|woman|someone|somebody|kid|child|boy|girl|husband|wife|dad|mum|"
    r"mom) (?:fell|has fallen|is still|are still|is stuck|went under) (?:in|into) the (?:water|sea|lake|river|fjord)\b",
    r"\b(?:person|mann|kvinne|dame|gutt|jente|unge|barn|folk)\w* (?:i|uti|ute i) "
    r"(?:elva|elven|sjøen|vannet|vatnet|havet|fjorden|straumen|strømmen)\b.{0,40}\b(?:driv\w*|flyt\w*|rop\w*|rope\w*|"
    r"sliter|slit|synk\w*|søkk\w*)|"
    r"\bdriv(?:er|a|ande|ende)? (?:(?:en|ein|ei|et|eit|noen|nokon) \w+ )?(?:nedover|utover|ut|av gårde|bortover) "
    r"(?:i |på )?(?:elva|elven|fjorden|sjøen|havet|vannet|vatnet|straumen|strømmen|mot fossen)\b|"
    r"\bdriv\w* (?:av gårde )?med (?:straumen|strømmen)\b|"
    r"\b(?:someone|somebody|a person|a man|a woman|a child|a kid|people) (?:is |are )?(?:in|floating in|drifting in|"
    r"struggling in) the (?:river|water|sea|lake|fjord)\b|\bdrifting (?:down|away|downstream)\b",
    rf"ul[yu]kk(?:e|a)\b{PAST}",
    rf"\b(?:kollider\w*|kjørt i hverandre|kjørte i hverandre|køyrt i kvarandre|køyrde i kvarandre|"
    rf"(?<!appen )(?<!appa )(?<!nettsida )(?<!sida )kræsj\w*|frontkræsj\w*)\b{PAST}",
    r"\b(?:gjødselkjeller\w*|gjødselkjellar\w*|gjødselkum\w*|gjødseltank\w*|gjødsellager\w*|manure (?:pit|cellar|tank)|"
    r"slurry (?:pit|tank))\b.{0,100}\b(?:ikke|ikkje|itj|not) (?:\w+ )?(?:opp|up)\b|"
    r"\b(?:ingen|ingenting|nobody|no one) (?:svarer|svarar|svara|answers|responds) når (?:vi|jeg|eg|je|æ|me|we|i) "
    r"(?:roper|ropar|ropa|ropte|rope|kaller|kallar|call|shout|yell)\b|"
    r"\b(?:hasn'?t|has not|didn'?t|did not|haven'?t) (?:come|came|surfaced) (?:back )?up\b|"
    r"\b(?:ikke|ikkje|itj) (?:kommet|kome|kommi|komme) opp (?:igjen|att|igjæn)\b",
    r"(?<!appen )(?<!appa )(?<!siden )(?<!sida )(?<!nettsiden )(?<!nettsida )(?<!skjemaet )(?<!programmet )(?<!det )"
    r"\bkrasj\w*\b(?! (?:hver|kvar|når|heile|hele|igjen|på (?:mobilen|pc\w*|telefonen)))|"
    r"\bkollisjon\b|\bfrontkollisjon\b|\bkjørt (?:på|ned|over)\b",
    rf"(?<!nesten )(?<!nesten blir )(?<!nesten ble )(?<!nesten bli )(?<!nær ved å bli )\bpåkjør\w*\b{PAST}",
    r"(?:\b(?:car )?crash\b|\b(?:an|a|car|bad|serious|terrible|traffic) accident\b)"
    r"(?!.{0,40}\b(?:to (?:my|the|our) insurance|til forsikring\w*)\b)" + PAST,
    r"\b(?:hit|run over|struck) by (?:a|the) (?:car|bus|truck|train|tram)\b" + PAST,
    r"\b(?:toget|trikken|et tog|eit tog|en trikk|ein trikk) (?:har )?"
    r"(?:traff|treft|trefte|truffet|tok|kjørte på|kjørt på|køyrde på|køyrt på) "
    r"(?:ham|han|henne|ho|en person|ein person|noen|nokon|en mann|ein mann|ei dame|en dame|et barn|eit barn|folk)\b|"
    r"\b(?:person|noen|nokon|mann|dame|barn|han|ho|hun|henne|ham|gutt\w*|jent\w*|folk)\b.{0,30}"
    r"\b(?:påkjørt|påkøyrt|truffet|treft) av (?:toget|trikken|et tog|eit tog)\b|"
    r"\b(?:ligger|ligg|liggande|liggende) (?:\w+ )?(?:på|ved|i) "
    r"(?:togsporet|jernbanesporet|skinnene|sporet|jernbanen)\b|"
    r"\blying on the (?:tracks|rails|railway)\b|"
    r"\b(?:tog\w*|jernbane\w*|train|railway)\b.{0,80}\b(?:går|gå|står|sitter|ligger|walking|standing|sitting) "
    r"(?:\w+ ){0,2}(?:langs|på|i|mellom|on|along|between) (?:the )?(?:sporene|sporet|skinnene|tracks|rails)\b|"
    r"\b(?:går|står|sitter|walking|standing|sitting) (?:\w+ ){0,2}(?:langs|på|mellom|on|along) (?:the )?"
    r"(?:sporene|skinnene|tracks|rails)\b.{0,80}\b(?:tog\w*|train)\b|"
    r"\b(?:someone|somebody|a person|a man|a woman|a child|a kid) (?:is )?on the (?:tracks|rails)\b",
    # Drunk or wrong-way driving now
    r"\b(?:fyllekar\w*|stup ?full|dritings|beruset|ruset|rusa|påvirket|påverka|promille\w*|"
    r"(?:han|ho|hun|sjåføren|føraren|mannen|dama|fyren|naboen|noen|nokon) (?:er |e |var )?(?:full|dritfull|drita)|"
    r"(?:sjåføren|føraren|han|hun|ho) (?:drakk|har drukket|har drukke))\b"
    r".{0,60}\b(?:kjører|kjøre|kjørte|køyrer|køyre|køyrde|kjøre bil|bak rattet|kjørte av gårde|sette seg i bilen)\b|"
    r"\b(?:kjører|kjøre|kjørte|køyrer|køyre|køyrde)\b.{0,60}\b(?:fyllekar\w*|stup ?full|dritings|beruset|ruset|rusa|"
    r"påvirket|påverka|i fylla|i rus|promille)\b|"
    r"\bfra grøftekant til grøftekant\b|\bfrå grøftekant til grøftekant\b|"
    r"\b(?:kjører|køyrer|kommer|kjem)\b.{0,30}\b(?:mot kjøreretningen|mot køyreretninga|i feil kjøreretning|"
    r"i feil køyreretning|feil vei på motorveien|feil veg på motorvegen|på feil side av (?:veien|vegen|motorveien|"
    r"motorvegen))\b|\bspøkelsesbilist\w*\b|"
    r"\b(?:drunk|drink)[- ]driv\w*|\bdriving (?:drunk|under the influence)\b|\bdrunk (?:man |guy |person )?"
    r"(?:is )?(?:driving|behind the wheel|got into (?:his|a|the) car)\b|"
    r"\b(?:driving|drives) (?:\w+ )?(?:on )?the wrong (?:side|way)\b|\bwrong-way driver\b|\bswerving all over\b",
    r"\b(?:kjørt|kjørte|kjøre|kjører|køyrt|køyrde|køyre|køyrer) av (?:veien|vegen)\b",
    r"\bvelt(?:a|et|er|e) (?:med )?bil\w*\b",
    r"\bbil\w* (?:har )?(?:velta|veltet|velter|ligger på taket|ligg på taket)\b|\bgone off the road\b|\boverturned\b",
    r"\b(?:sitter|sit|sitt|er) (?:folk |noen |nokon |han |ho |hun |de |dei )?fast "
    r"(?:i|inni|inne i) (?:bilen|bil|vraket)\b|"
    r"\b(?:sitter|sit) (?:\w+ ){0,2}fast (?:inni|inne i|i bilen|i bilvraket|under)\b|\bstuck (?:in|inside) the car\b",
    r"\bfalt (?:ned )?(?:fra|frå|av|ned fra) (?:taket|stigen|balkongen|vinduet|høyden|stillaset|hesten)\b",
    r"(?:\b(?:lost|stuck|stranded) (?:on|in) (?:the |a )?(?:mountain|mountains|fjell|snowstorm|storm)\b|\bavalanche\b)"
    + PAST,
    r"\bgått (?:oss|meg|seg) (?:bort|vill|fast)\b(?!.{0,30}\b(?:ganger|gonger|før|tidligere|tidlegare)\b)",
    r"\b(?:bil\w*|båt\w*)\b.{0,80}\b(?:synker|synke|søkk|søkke|søkker|sank|har sunket|er under vann)\b|"
    r"\b(?:bil\w*|buss\w*|traktor\w*|car|bus)\b.{0,60}\bned i (?:elva|elven|sjøen|vannet|vatnet|havet|fjorden|havna|"
    r"havnen|isen)\b|"
    r"\b(?:kjørt|køyrt|kjørte|køyrde|rulla|rullet) (?:rett )?(?:ut )?(?:i|uti) "
    r"(?:havna|havnen|sjøen|vannet|vatnet|elva|fjorden)\b|"
    r"\bcar (?:is |went |drove |has gone )?(?:in|into) the (?:water|sea|harbou?r|river|lake|fjord)\b|\bsinking\b",
    r"\b(?:gått|gikk|gjekk|går|kom|kommet|kome) (?:et |eit |ett |eitt )?(?:stort |svært |digert )?"
    r"(?:jord|stein|leir|snø|fjell|kvikkleire)?(?:ras|skred)\b" + PAST,
    r"(?<!risk of )(?<!risk of a )(?<!danger of )\b(?:landslide|mudslide|rockslide)\b(?! (?:risk|warning|map|zone))"
    + PAST,
    r"(?:\b(?:ras|jordras|steinras|leirras|snøras|skred)\b (?:over|på|ned på|mot) (?:veien|vegen|bilen|huset|hytta|"
    r"husa|husene|skolen|oss)\b|\b(?:tatt|teken) med (?:av raset|av skredet|ned)\b|"
    r"\b(?:fall|fell|fallen|falls|jumped|jumps) (?:\w+ ){0,4}(?:into|in) (?:the )?"
    r"(?:river|sea|water|lake|fjord|harbou?r)\b)" + PAST,
    r"(?:\bsnøskred\b(?!.{0,30}(?:fare|varsel|kurs))|\bskred(?:et)? (?:har )?(?:gått|gikk|tok)\b|"
    r"\b(?:tatt|teken|tekne) av (?:snø)?skred\w*\b|\bunder (?:eit |et )?(?:snø)?skred\w*\b)" + PAST,
    r"\bfinn(?:er)? (?:ikke|ikkje|itj) (?:veien|vegen) (?:ned|tilbake)\b",
    r"\b(?:propan\w*|gassflask\w*|gassbeholder\w*|gasstank\w*|gas bottle|gas tank|gas cylinder)\b.{0,40}"
    r"\b(?:lekk\w*|leak\w*|fres\w*|hiss\w*)",
    r"(?:\b(?:rast|raste|rasa|raset|ramla|ramlet|styrta|styrtet|falt|datt|falle|falli) sammen\b|"
    r"(?<!fra )(?<!frå )(?<!av )\b(?:taket|huset|låven|bygget|bygningen|veggen|muren|tribunen|brua|broen) "
    r"(?:har )?(?:rast|raste|rasa|raset|styrta|styrtet) (?:ned|inn|saman|sammen)\b|"
    r"\b(?:roof|building|ceiling|wall|house|barn|bridge)(?: of(?: \w+){1,3})? (?:has )?"
    r"(?:caved in|fallen in|came down|fell down|fell in)\b)" + PAST,
    r"\bfast under\b|\bklemt fast\b|\bunderkjølt\b|\bnedkjølt\b|\bhypotherm\w*\b|"
    r"\btrapped\b(?! in (?:my|a|an|this|the) (?:job|marriage|relationship|life|situation|contract|loop)\b)",
    # Violence, threats, crime in progress
    # not a thing that «dreper meg» or «slår meg» (idioms: a form, a wait, an idea)
    r"(?<!skjemaet )(?<!skjemaene )(?<!søknaden )(?<!dette )(?<!det )(?<!jobben )(?<!ventetida )(?<!ventetiden )"
    r"(?<!byråkratiet )(?<!papirarbeidet )(?<!sjefen )(?<!sjefen min )(?<!sjefen vår )(?<!læreren )"
    r"(?<!saksbehandlingen )(?<!stresset )(?<!kjedsomheten )(?<!bassen )(?<!musikken )(?<!bråket )(?<!støyen )"
    r"(?<!lyden )(?<!festen )(?<!festene )(?<!leksene )"
    r"\b(?:slår|slo|slått|banker|banka|sparker|sparka|dreper|drep|kveler|kvelar|angriper|skader|lugger|truer) "
    r"(?:meg|oss|henne|han|ham|ho|kona|kona si|mora|moren|barna|ungane|ungene|sønnen|dottera|datteren|mamma|"
    r"pappa|naboen|nabokona|mæ|dæ|sæ)\b",
    r"(?:(?<!mot )(?<!forebygge )(?<!håndtering av )(?<!forebygging av )\bvold\b|"
    r"\bvolden\b|\bvoldelig\b|\bvaldeleg\b|\bvoldtekt\w*\b|\bvoldt(?:att|ok|atte)\b|\bmishandl\w*\b)" + PAST,
    r"(?:\btru(?:er|ar|et|a|sler) (?:meg|oss|med å drepe|med kniv|med våpen|å drepe)\b|\btrusl\w*\b.{0,20}\bdrepe\b)"
    + PAST,
    r"\b(?:han|hun|ho|hu|de|dei|noen|nokon|nån) (?:\w+ ){0,2}(?:drepe|drepa|drep|slå ihjel) (?:meg|mæ|oss)\b",
    # a threat to shoot or kill at a place and time
    r"(?:\b(?:gonna|going to|will|is planning to|skal|ska|vil|planlegger å) (?:\w+ )?(?:shoot|kill|stab|bomb|skyte|"
    r"drepe|drepa|knivstikke|sprenge) (?:up )?(?:people|everyone|students|the school|folk|alle|elever|skolen)\b)"
    + PAST,
    r"\b(?:hører|høyrer|hører at|høyrer at) (?:det er )?(?:noen|nokon|nån|folk) (?:\w+ ){0,3}"
    r"(?:gå|går|gjeng|inne|i huset|nede|i første|i kjelleren|på loftet|prøver|prøvar|rister|ristar)\b|"
    r"\blåst (?:meg|mæ|oss) inne\b|"
    r"\bgjem(?:mer|t|te|de|a) (?:meg|mæ|oss)\b|\b(?:hear|heard) someone (?:in|inside|walking|downstairs|trying)\b|"
    r"\bhiding (?:in|from)\b",
    r"\b(?:tør|tørr|tørs) (?:ikke|ikkje|itj|ikkj) (?:å )?(?:gå|dra|reise|kome|komme) (?:hjem|heim)\b|"
    r"\b(?:skal|ska) (?:jeg|eg|æ|du) få (?:svi|juling|bank|deng)\b|\bi'?m (?:scared|afraid) to go home\b",
    r"(?<!slipte )(?<!slipe )(?<!sliper )(?<!slipar )"
    r"(?<!gammel )(?<!gamal )(?<!gamle )(?<!gammelt )(?<!gamalt )(?<!rusten )(?<!rusta )(?<!rustent )(?<!arvet )"
    r"(?<!arva )(?<!antikk )"
    r"(?:\bkniv\b|\bkniven\b|\bskyt(?:ing|er|ar)\b|\bskytevåpen\b|\bpistol\b|\bgevær\b)"
    r"(?!.{0,60}\b(?:levere inn|leverer inn|levere det inn|bli kvitt|kvitte meg med|kaste den|kaste det|museet|"
    r"våpenamnesti|innlevering|mat og helse|matlaging|kokkekurs|kjøkkenet|sløyd|skjerpe|slipe|sportsskyting|"
    r"skytebane\w*|skytterlag\w*|våpenkort\w*|våpenlisens\w*|fyrverkeri\w*|rakett\w*|nyttår\w*)\b)" + PAST,
    r"\b(?:hund\w*|bikkj\w*|dog)\b.{0,60}\b(?:bitt seg fast|biter seg fast|slipper (?:ikke|ikkje|itj)|angrip(?:er|ar)|"
    r"angriper|attacking|mauling|won'?t let go)\b",
    r"\b(?:dro|drog|dratt|trakk|tvang|tvinga|tvinget|dytta|dyttet|dragged|pulled|forced|grabbed|snatched|pushed)\b "
    r"(?:\w+ ){1,4}(?:inn i|inni|into) (?:\w+ ){0,2}(?:bil|bilen|varebil\w*|van|car)\b|"
    r"\b(?:kidnapp\w*|bortført\w*|bortfør\w*|kidnap\w*|abduct\w*)\b" + PAST,
    r"(?:\b(?:took|grabbed|pulled|tok|dro|drog|tvang) (?:him|her|them|ham|han|henne|ho|dem) (?:in|into|inn i|i|med i) "
    r"(?:a |the |en |ein |sin |his )?(?:bil|bilen|car|van|varebil\w*)\b|"
    r"\b(?:son|daughter|child|kid|boy|girl)\b.{0,30}\b(?:not|hasn'?t|has not|didn'?t|did not|never) "
    r"(?:come|came|got|gotten|returned) (?:back )?home\b)" + PAST,
    r"\b(?:våpen|weapon|gun|pistol|rifle|gevær|kniv|knife) (?:på|i|at|in|inne på|inside) (?:the )?"
    r"(?:skolen|skulen|school|kjøpesenteret|senteret|mall|shopping cent\w+|bussen|toget|barnehagen|butikken)\b" + PAST,
    r"\b(?:sporet av|spora av|avsporet|avspora|avsporing|derail\w*|train crash|togulykk\w*|ferjeulykk\w*|"
    r"ferry accident|eksplosjon|explosion)\b" + PAST,
    r"\b(?:mange|flere|fleire|mye|many|several) (?:er )?(?:skadde|skadet|skada|hurt|injured|wounded)\b" + PAST,
    r"\b(?:locked|stuck|trapped|innelåst|låst inne|sperret inne|sperra inne)\b.{0,20}"
    r"\b(?:freezer|fryserom\w*|kjølerom\w*|cold room|fryseren|frysaren)\b|"
    r"\b(?:freezer|fryserom\w*|kjølerom\w*|fryseren)\b.{0,60}\b(?:kan ikke åpne|kan ikkje opne|can'?t open|"
    r"cannot open|won'?t open|låst|locked)\b",
    r"\b(?:are|is|keep|started|start) (?:beating|kicking|punching|stabbing|attacking|hitting|strangling) "
    r"(?:up )?(?:a|an|the|some|this|that|my|his|her|our)? ?(?:man|woman|guy|girl|boy|person|someone|kid|child|lady|"
    r"him|her|me|us|them)\b" + PAST,
    # a theft or a break-in going on now
    r"\b(?:knuser|knuse|bryter opp|bryte opp|brekker opp|stjeler|stjele|stjæle|tar seg inn|prøver å komme inn|"
    r"breaking into|stealing|smashing)\b.{0,80}"
    r"\b(?:akkurat nå|nå|no|right now|now)\b(?! om dagen| for tida| for tiden| i det siste| og da| og då)",
    r"\b(?:holder|held|holdt|peker|peikar|truer|truar|holding|pointing) (?:\w+ )?(?:en |ei |ein |eit |et |a )?"
    r"(?:sprøyte\w*|kniv\w*|pistol\w*|våpen\w*|syringe|needle|knife|gun) (?:mot|på|at|to|against)\b|"
    r"\bkrev(?:er|ar|de|d)? (?:\w+ )?(?:penger|pengar|pengane|pengene|kassa|innhaldet)\b.{0,40}\b(?:kniv\w*|sprøyte\w*|"
    r"pistol\w*|våpen|truer|truar)\b",
    # a leak that makes people cough, not old chemicals for the hazardous-waste drop-off
    r"(?:\b(?:tankbil\w*|tanker|kjemikal\w*|ammoniakk\w*|klorgass|klor ?gass|giftig gass|giftige gasser|syre|"
    r"chemical\w*|toxic|fumes)\b.{0,60}\b(?:hoster|hostar|coughing|svir)\b|"
    r"\b(?:tankbil\w*|tanker|ammoniakk\w*|klorgass|giftig gass)\b.{0,40}\b(?:lekk\w*|leak\w*|utslipp\w*)\b|"
    r"\b(?:lekk\w*|leak\w*|utslipp\w*)\b.{0,60}\b(?:hoster|hostar|coughing|svir i (?:øynene|auga)|"
    r"gnir seg i øynene|får ikke puste|kan ikke puste|can'?t breathe|eyes (?:are )?burning)\b)" + PAST,
    r"\b(?:kjører|køyrer|kjørte|køyrde|driving|drives)\b.{0,20}"
    r"\b(?:i sikksakk|in zigzag|zigzag\w*|all over the road)\b|"
    r"\b(?:sjåfør\w*|føraren|bussjåfør\w*|driver)\b.{0,60}\b(?:lukter|luktar|lukta|smells? of) "
    r"(?:sprit|alkohol|fyll|alcohol|booze)\b",
    r"\b(?:uke|veke|week) (?:1\d|2\d|3[0-6])\b.{0,60}\b(?:rier|riene|veer|rie|blør|blør mye|bleeding|contractions|"
    r"vannet har gått|vatnet har gått|vannet gikk|waters? (?:has |have )?broke\w*)\b|"
    r"\b(?:rier|riene|veer|contractions|blør|bleeding|vannet har gått|vatnet har gått)\b.{0,60}\b(?:uke|veke|week) "
    r"(?:1\d|2\d|3[0-6])\b|\b(?:gravid|pregnant)\b.{0,60}\bblø(?:r|der)? (?:mye|kraftig|masse|mykje)\b|"
    r"\b(?:gravid|pregnant)\b.{0,60}\bbleeding (?:a lot|heavily)\b",
    r"\binnbrudd\b.{0,40}\b(?:nå|no|akkurat|pågår|inne|her)\b|\bbryt(?:er|ar|e) (?:seg|sæ) inn\b",
    r"(?:\b(?:står og|stend og|holder på å|held på å|er i ferd med å|prøver å|prøvar å) bryt\w* opp\b|"
    r"\bbryt(?:er|ar) opp (?:bilen|bil|døra|døren|bua|boden|garasjen|vinduet|låsen|porten|butikken|kiosken)\b)" + PAST,
    r"\bbr(?:øt|utt|aut) (?:seg|sæ) inn\b|\bnoen (?:er )?inne i (?:huset|leiligheten|huset mitt|leiligheta)\b",
    rf"\b(?:ranet|raner|ransforsøk|et ran|overfall|overfalt|slåsskamp|slosskamp|slagsmål)\b{PAST}",
    r"\bskrik\w*\b.{0,40}\b(?:hjelp|slår|smell|dunk|slag)\b|\b(?:hører|høyrer|hør) .{0,30}skrik\w*\b",
    r"\bskrik(?:er|ar) (?:om|etter) hjelp\b|\bredd for (?:livet|mannen min|kona mi|samboeren|ham|han|henne)\b",
    r"\b(?:hitting|beating|hits|beats|attacking|attacked|assaulted|assaulting|stabbing|strangling|choking) "
    r"(?:me|her|him|us|my|the)\b",
    r"\b(?:breaking|broke|broken) in(?:to)?\b.{0,30}\b(?:now|right now|house|flat|home)\b|\bbreak-in\b",
    r"\bburglar\w*\b|\b(?:threaten(?:ing|s|ed)?) (?:me|us|to kill)\b|\bwith a (?:knife|gun)\b|\bhas a (?:knife|gun)\b",
    r"\b(?:machete|axe|knife|gun|rifle|pistol|weapon|øks|øksa|machet(?:e|en))\b.{0,60}"
    r"\b(?:kill|killing|stab|shoot|threaten\w*|attack\w*|waving|swinging|drepe|drepa|truer|truar|viftar|vifter|"
    r"svinger|svingar)\b" + PAST,
    r"\b(?:waving|swinging|brandishing|pointing|vifter med|viftar med|svinger med|svingar med|peker med|peikar med) "
    r"(?:a |an |en |ei |et |eit )?(?:machete|axe|knife|gun|rifle|pistol|øks|øksa|kniv|kniven|gevær)\b" + PAST,
    r"\b(?:will|going to|gonna|wants to|threatens to|threatening to|says he'?ll|says she'?ll) kill "
    r"(?:someone|somebody|me|us|him|her|them|people|everyone|everybody|my|his|her)\b" + PAST,
    r"\b(?:is |keeps |been )?(?:following|stalking) (?:me|us)\b|\bfølg(?:er|jer|de) etter (?:meg|mæ|oss)\b",
    r"\bforfølg(?:er|jer|t|de) (?:meg|mæ|oss)\b|\b(?:fulgt|følgt|følgd) etter (?:meg|mæ|oss)\b",
    r"\bdomestic violence\b|\brobbed\b|\brobbery\b|\bscreaming\b|\bsomeone is in my (?:house|flat|home)\b",
    rf"\b(?:heteslag|heat ?stroke|sunstroke)\b{PAST}|"
    r"\b(?:sol|sola|solen|sun|heat|hete|heten|heiten|varmen|steikande|steikende|stekende)\b.{0,120}"
    rf"\b(?:{_CONFUSED}|(?:vet|veit) (?:ikke|ikkje|itj) (?:hvor|kor|kvar) (?:hun|han|ho|hu) er|"
    r"doesn'?t know where (?:she|he) is|besvim\w*|fainted)\b",
    # A missing child or vulnerable person
    rf"\b(?:mista|mistet|mist|lost)\b (?:\w+ ){{0,2}}(?:{CHILD}|\d+-?åring\w*|ungen|barnet|child|kid|son|daughter|boy|"
    r"girl|toddler|him|her|ham|han|henne|ho)\b.{0,80}\b(?:minutter|minutt|minutes|kan ikke svømme|kan ikkje symje|"
    r"can'?t swim|i mengden|i folkemengden|på \w*området|på senteret|på stranda|på festival\w*|på kjøpesenteret|"
    r"på butikken|på flyplassen|på lekeplassen|at the (?:mall|beach|festival|shop|store|park|fair|shopping cent\w+|"
    r"supermarket|airport|playground))\b" + PAST,
    rf"\b{CHILD}(?: min| mi| mitt| mine| vår| våres| vårres| på \d+)? (?:er |e |har |ha |he )?"
    r"(?:borte|forsvunne\w*|forsvunni|savnet|sakna|kommet bort|kome bort)\b",
    rf"\b(?:finn(?:er)?|finne) (?:henne|han|ham|ho|dem|ungen|barnet|gutten|jenta) {NOT}\b",
    rf"\b(?:finn(?:er)?|finne) {NOT} (?:igjen )?(?:{CHILD}|ungen|barnet|gutten|guten|jenta|sønnen|sonen|datteren|"
    r"dottera|barna|ungane|babyen|henne|han|ham|ho|mor|far|mamma|pappa|mora|moren|faren|bestemor\w*|bestefar\w*|"
    r"besten|mormor|morfar|farmor|farfar|kona|mannen|samboeren|broren|bror min|søstera|søsteren|systera)\b",
    # «gikk bort» without «seg» is died: a question on a funeral, not a missing person.
    r"\b(?:demen\w*|alzheimer\w*)\b.{0,80}\b(?:gått ut|gjekk ut|gikk ut|gått seg bort|gikk seg bort|gjekk seg bort|"
    r"vandra|vandret|forsvunne\w*|forsvant|kommet bort|kome bort|savna|savnet|"
    r"finn\w* (?:ikke|ikkje|itj)|wandered|missing|can'?t find|cannot find|left (?:the house|home)|walked out|"
    r"gone out|gått fra|gikk fra|gjekk frå|gått frå|rømt|rømte)\b|"
    r"\b(?:forsvunne\w*|forsvant|savna|savnet|missing|wandered off)\b.{0,80}\b(?:demen\w*|alzheimer\w*)\b",
    r"\b(?:har|hadde|he|ha) (?:ikke|ikkje|itj) (?:kommet|kome|komme|kommi) (?:tilbake|hjem|heim)\b|"
    rf"\b(?:{CHILD}|gutten|guten|jenta|sønnen|sonen|datteren|dottera|han|hun|ho|hu|mannen|kona|mor|far|mamma|pappa)"
    r"(?: min| mi| mitt| vår| våres)? (?:\w+ ){0,2}(?:kom|kjem|kommer|kjæm) (?:ikke|ikkje|itj|ikkj) "
    r"(?:hjem|heim|tilbake|atende)\b" + PAST,
    # A small child alone in a car (in the sun or the cold)
    rf"\b(?:{CHILD}|unge|barn|småbarn|spedbarn|ei lita jente|en liten gutt|ein liten gut)\b.{{0,40}}"
    r"\b(?:alene|aleine|åleine|aleina|igjen|låst inne) i (?:en |ei |ein )?(?:varm |het )?bil(?:en)?\b|"
    r"\b(?:child|kid|baby|toddler|infant|children|kids)\b.{0,40}\b(?:alone|left|locked) in (?:a|the) (?:hot )?car\b",
    r"\bog (?:ikke|ikkje|itj) (?:komme|kome|kom|kjem) (?:tilbake|att|atende)\b|"
    r"\b(?:hvem|kven|kem) kan (?:lete|leite|lette)\b",
    r"\b(?:gått|gikk|gjekk|vandret|vandra|gått seg) (?:ut|av gårde|hjemmefra|heimanfrå|bort|fra|frå)\b.{0,80}"
    r"\b(?:minus|kuldegrader|bare tøfler|berre tøflar|i tøfler|nattkjole|pysjamas|mørket|uten sko|utan sko|"
    r"barbeint|barføtt|berrføtt)\b",
    r"\b(?:ikke|ikkje|itj) (?:vet|veit|vett|vite) (?:hvor|kor|kvar) (?:jeg|eg|æ|vi|me) er\b(?! \w+ert\b)|"
    r"\b(?:vet|veit) (?:ikke|ikkje|itj) (?:hvor|kor|kvar) (?:jeg|eg|æ|vi|me) er\b(?! \w+ert\b)|"
    r"\bikke vet hvor er jeg\b|"
    r"\bdon'?t know where (?:i am|we are)\b",
    r"\b(?:child|kid|son|daughter|baby|toddler) is missing\b|\bcan'?t find my (?:child|kid|son|daughter|baby)\b",
    r"\b(?:my|our) (?:\w+ ){0,3}(?:child|kid|son|daughter|boy|girl|baby|toddler|mother|mum|mom|father|dad|"
    r"grandmother|grandma|grandfather|grandpa)\b"
    r"(?:(?!\b(?:but|and|papers|card|cards|documents|passport|phone|keys|wallet|bag|luggage|bike)\b).){0,30}"
    r"\b(?:is|are|has been|got|went) (?:lost|missing|gone)\b",
    r"\b(?:mor|mora|moren|far|faren|mamma|pappa|bestemor|bestefar|besten|mormor|morfar|farmor|farfar|ho|hu|hun)"
    r"(?: mi| min)? (?:\w+ )?(?:er|e|æ) (?:vekke|sporløst borte)\b(?! (?:på|i|til|hos|fra|frå|over)\b)|"
    r"\b(?:var|va|er|e) (?:ikke|ikkje|itj) i (?:senga|sengen|senga si|sengen sin)\b.{0,60}"
    r"\b(?:natt|natta|kom|i kveld)\b",
    r"\b(?:can'?t|cannot|can not) find (?:my|our) (?:\w+ )?(?:grandmother|grandma|granny|grandfather|grandpa|"
    r"mother|mum|mom|father|dad|husband|wife|brother|sister|boy|girl|toddler|children|kids)\b(?!')",
    r"\b(?:left|walked out of) (?:the house|home)\b.{0,80}\b(?:slippers|pyjamas|pajamas|nightgown|no shoes|"
    r"without (?:shoes|a coat|a jacket)|barefoot|the cold|freezing|dark)\b",
    # Swedish and Danish: what the citizen sees, in the neighbours' words
    r"\b(?:andas inte|andas ej|trækker ikke vejret|ånder ikke)\b|\b(?:går inte att|kan inte) väcka\w*\b|"
    r"\b(?:vaknar inte|kan ikke vækkes|vågner ikke)\b|\b(?:ramlat|segnat|fallit) ihop\b|\bfaldet om\b|"
    r"\b(?:faldet|fallit|ramlat|trillet|faldt|föll) (?:i|ned i|ner i) "
    r"(?:vandet|vattnet|havet|sjön|søen|havnen|hamnen|älven|åen)\b|"
    r"\bdet (?:brinner|brænder)\b|\b(?:ont i bröstet|ondt i brystet)\b|"
    r"\b(?:blöder mycket|bløder meget|bløder voldsomt)\b|\bblöder (?:väldigt|jätte|så|kraftigt) ?(?:mycket)?\b|"
    r"\bär inte (?:riktigt )?(?:vaken|kontaktbar)\b|\ber ikke (?:rigtig )?vågen\b",
    # Explicit calls for help
    r"^amb\b|\bamb(?:ulanse)? (?:til|to)\b",
    r"\bambulans(?:e|en)\b|\bambulance\b|\bring(?:e|er)? (?:110|112|113)\b|\bcall (?:110|112|113|the police)\b",
    r"\bnødnummer\w*\b|\bnaudnummer\w*\b|\bnødsituasjon\b|\bnaudsituasjon\b|\blivstruende\b|\blivsfare\b",
    r"\bakutt hjelp\b|\bhaster\b.{0,20}\bliv\b|"
    r"(?<!stor )(?<!god )(?<!grei )(?<!fin )(?<!takk for )\bhje+lp\b.{0,60}!|\bhje{2,}l+p\b|"
    r"^hjelp$|^help$|^hjelp hjelp",
    r"\bhelp\s*!{2,}|\bemergency\b(?! (?:room|clinic|doctor|dentist|vets?|veterinar\w*|ward|department|care|money|"
    r"fund|aid|loan|"
    r"alerts?|warnings?|sirens?|test\w*|kit|plan\w*|supplies|preparedness|drill|exercise))",
    r"\bplease help\b.{0,60}\b(?:now|quick|hurry)\b|\bring politiet\b|\bpoliti(?:et)?\b.{0,30}\b(?:nå|no|fort|raskt)\b",
    # A single alarm word typed alone (the classifier does not judge a single word)
    r"^(?:det )?(?:brenn(?:er|e)|brann|røyk|røyk ?utvikling|blør|bløder|innbrudd|innbrot|fire ?!+|smoke|"
    r"bleeding|burglar[sy]?|drukning|slag|hjerteslag|kvelning|choking|overdos\w*)[.! ]*$",
]

SUICIDE_RISK = [
    r"(?:\bselvmord(?!sforebygg|sførebygg)\w*\b|\bsjølvmord(?!sførebygg|sforebygg)\w*\b|"
    r"\bselvmords?(?:tall|statistikk\w*|rate\w*)\b)"
    r"(?!.{0,50}\b(?:statistikk\w*|prosjekt\w*|oppgave\w*|oppgåve\w*|skoleoppgave\w*|statistics|project|essay)\b)|\bsjølmord\w*\b|\bsjelvmord\w*\b|\bsuicid\w*\b",
    r"(?<!dere )(?<!dette )(?<!det )(?<!dokker )(?<!dykk )(?<!heten )(?<!varmen )(?<!kulda )(?<!kulden )(?<!bråket )"
    r"(?<!støyen )(?<!stresset )(?<!ventinga )(?<!ventetida )(?<!ventetiden )(?<!køen )(?<!byråkratiet )"
    r"(?<!saka )(?<!saken )(?<!byggesaken )(?<!byggesaka )(?<!søknaden )(?<!jobben )(?<!eksamen )(?<!leksene )"
    r"(?<!regningene )(?<!papirarbeidet )(?<!skjemaet )(?<!kommunen )"
    r"\bta(?:r)? livet\b(?! av (?:\w+ )?(?:tomat\w*|plant\w*|blomst\w*|hekk\w*|gras\w*|gress\w*|plen\w*|busk\w*|"
    r"tre|trær|trea|treet|bie\w*|fisk\w*|bakteri\w*|ugras\w*|ugress\w*|mose\w*))|"
    r"\btek livet\b|\bta (?:mitt|sitt) eget liv\b|\bta mitt eige liv\b",
    # exhaust led into a car; a razor blade in hand now
    r"\b(?:slange\w*|hose)\b.{0,40}\b(?:eksos\w*|exhaust)\b|\b(?:eksos\w*|exhaust)\b.{0,40}\b(?:slange\w*|hose|"
    r"inn (?:i bilen|vinduet|vindauget|gjennom vinduet))",
    r"\b(?:sitter|sit|holder|held|står|stend) (?:\w+ )?(?:med )?(?:et |eit |ett )?"
    r"(?:barberblad\w*|rakeblad\w*|razor ?blade\w*)\b|"
    r"\b(?:barberblad\w*|rakeblad\w*|razor\w*)\b.{0,60}\b(?:klarer ikke å la være|klarar ikkje (?:å )?la vere|"
    r"can'?t stop)\b",
    rf"\b(?:vil|ønsker|orker|orke|orka|gidder) {NOT} (?:å )?(?:leve|lev)\b",
    rf"\b{NOT} (?:vil|ønsker|orker) (?:å )?leve\b",
    r"\b(?:vil|ønsker å|ønskjer å|lyst (?:til )?å|tenker på å|tenkjer på å) (?:bare |berre )?(?:dø|døy|døden)\b",
    r"\bvil bare dø\b|\b(?:æ|eg|jeg) vil dø\b|\bvil døy\b|"
    r"\bpå å (?:dø|døy)\b"
    r"(?! av (?:latter|kjedsomhe\w*|kjedsemd|keisemd|keisamheit|sjenanse|skam|nysgjerrighet|nyfikenheit|stress\w*|"
    r"kulde|kulda|varme|varmen|heten|sult|tørst|spenning|kjærlighet))|"
    r"\bhelst (?:være|vere) død\b",
    r"\b(?:gjøre|gjere|gjer) slutt på (?:det|alt|livet|meg selv)\b|\bavslutte livet\b|\bende livet\b",
    r"\b(?:ingen|ikke noe|ikkje noko|ser ingen) (?:vits|mening|meining)\b.{0,20}\bleve\b|\bdrepe seg\b|"
    r"\bdrepe meg (?:selv|sjølv|sjøl|sjæl)\b|\b(?:jeg|eg|æ|je) (?:\w+ ){0,3}drepe meg\b|"
    r"\b(?:lyst til|tenkt på|tenker på|tenkjer på) å drepe meg\b",
    r"\b(?:har|have|got) (?:en|ein|a) plan\b.{0,40}\b(?:gjøre det|gjere det|gjer det|do it|ende det|end it|avslutte)\b",
    # «har slutta å skade seg sjølv» is over; «klarer ikke å slutte å skade meg selv» is not
    r"(?<!har slutta å )(?<!har sluttet å )(?<!har stoppa å )(?<!har stoppet å )"
    r"\bskad\w* (?:meg|mæ|seg|sæ) (?:selv|sjølv|sjøl|sjæl)\b|\bselvskad\w*\b|\bsjølvskad\w*\b",
    r"\b(?:kutter|skjærer|risper|brenner) (?:meg|mæ|seg) (?:selv |sjølv )?(?!på|i (?:fingeren|handa|hånda))",
    r"\b(?:vil|skal|tenker å|tenkjer å|kommer til å) hoppe\b.{0,40}\b(?:brua|broen|taket|stupet|fjellet|kanten)\b|"
    r"\b(?:brua|broen|taket|stupet|kanten)\b.{0,40}\b(?:vil|skal|tenker å|tenkjer å) hoppe\b|"
    # Someone on or outside a bridge's railing, not the railing's rust or paint
    r"\b(?:står|stend|står og|sitter|sit|klatrer|klatrar|klatret|klatra|henger|heng) (?:\w+ ){0,2}"
    r"(?:på|over|oppå|utenfor|utanfor|på utsiden av|på utsida av) (?:\w+ )?(?:rekkverket|brurekkverket|"
    r"bru-rekkverket|gelenderet|brukanten)\b|\b(?:på utsiden av|på utsida av|utanfor|utenfor) "
    r"(?:\w+ )?(?:rekkverket|brurekkverket|gelenderet)\b|"
    r"\b(?:standing|sitting|climbing|climbed|is|are|'s) (?:on|over|outside) the (?:bridge )?(?:railings?|ledge|"
    r"parapet)\b|"
    r"\b(?:brua|broa|broen|rekkverket|taket|stupet|kanten|balkongen|bridge|roof|ledge|railing)\b.{0,60}"
    r"\b(?:han|hun|ho|hu|noen|nokon|he|she|someone) (?:\w+ ){0,2}(?:skal|ska|vil|kjem til å|kommer til å|"
    r"is going to|wants to|will) (?:hoppe|hoppa|hopp|jump)\b|"
    r"\bhenge (?:meg|seg)\b|\bhoppe (?:foran|fra|frå|ut fra|ut frå|ned fra)\b",
    r"\b(?:bedre|betre) (?:for alle )?(?:uten|utan) meg\b|\bingen (?:vil |kommer til å )?(?:savne|sakne) meg\b",
    r"\bsamla?(?:et|a)? (?:opp |saman |sammen )?(?:på )?(?:tabletter|piller|pillar|tablettar)\b",
    r"\b(?:kill|killing|hurt|hurting|harm|harming|cut|cutting|burn|burning) "
    r"(?:myself|himself|herself|themselves)\b",
    r"\b(?:end|ending) (?:it all|my life|his life|her life|it)\b(?!.{0,20}(?:contract|subscription|lease|call))",
    r"\b(?:want|wants|wanna) to die\b|\b(?:don'?t|do not|doesn'?t) want to (?:live|be alive|wake up)\b",
    r"\bbetter off without me\b|\bno reason to live\b|"
    r"(?<!about )(?<!on )(?<!om )(?<!prevent )\bself[- ]harm\w*\b|\bnobody would miss me\b",
    r"\bthinking (?:about|of) (?:jumping|dying)\b",
    r"\b(?:gitt|gjeve|gjevi|gett|gav|ga) bort (?:alle )?"
    r"(?:tingene|sakene|eiendelene|dyra|hunden|katten)(?: mine| mi)?\b",
    r"\b(?:gave|given|giving) away (?:all )?(?:my|his|her) (?:things|stuff|belongings|pets?|dog|cat)\b",
    r"\bavskjedsbrev\w*\b|\bfarewell (?:letter|note)\b|\bsuicide note\b",
    # thanks for everything or goodbye, and then no answer
    r"\b(?:takk(?:er|ar|a)? for alt|thank(?:s| you)(?: all)? for everything|farvel|goodbye)\b.{0,120}"
    r"\b(?:(?:svarer|svarar) (?:han |hun |ho |hu |de |dei )?(?:ikke|ikkje)|tar (?:ikke|ikkje) (?:telefonen|mobilen)|"
    r"tek ikkje telefonen|"
    r"får (?:ikke|ikkje) tak i|can'?t reach|cannot reach|not answering|won'?t answer|doesn'?t answer|"
    r"isn'?t answering|no answer)\b",
    r"\b(?:sa|sagt|sei|seier|sier|said|says) (?:ha det|farvel|goodbye)\b.{0,60}\b(?:ikke|ikkje|itj|never|not|won'?t) "
    r"(?:\w+ )?(?:kom|komme|kome|kjem|come|coming|be)\w* (?:tilbake|att|atende|igjen|back|here)\b",
    r"\b(?:farvel|farvæl|goodbye|farewell)[- ]?(?:innlegg\w*|melding\w*|post|posts|message|snap|video)\b|"
    r"\b(?:la|lagt|posted|skrev|skreiv|sendt|sent) (?:ut )?(?:et |ei |eit |a )?(?:farvel|goodbye|farewell)\b",
    r"\b(?:sitter|sit|står|stend|står og|sitting|standing)\b (?:\w+ ){0,4}(?:på |ytterst på |on |at )(?:\w+ )?"
    r"(?:kanten|the edge) (?:av|på|of) (?:\w+ )?(?:taket|stupet|brua|broen|fjellet|the roof|the bridge|the cliff)\b|"
    r"\bytterst på kanten\b",
    r"\b(?:ingen|nobody|no one) (?:trenger|treng|må|needs to|has to|should) (?:å )?"
    r"(?:lete|leite|look) (?:etter|for) (?:meg|me)\b",
    r"\b(?:ikke|ikkje|itj) (?:let|leit|lete|leite) etter (?:meg|mæ)\b|\bdon'?t look for me\b",
    r"\b(?:won'?t|will not|not going to) be (?:here|around|alive) (?:tomorrow|anymore|much longer|after tonight)\b",
    r"\b(?:ikke|ikkje|itj) (?:være|vere|vær|ver) her (?:i morgen|i morgon|lenger|lenge til)\b",
    r"\b(?:vil|ville|har lyst til å|skal|ska|ska bare) (?:bare |berre |bære )?forsvinn\w*\b|\bwant to disappear\b|"
    r"\bforsvinn\w* for godt\b",
    r"\b(?:ikke|ikkje|itj|ittj|ikkj) (?:noe|noko|no|nå|nåkka) vits (?:lenger|lengre|meir|mer|i noe|i noko)\b(?! å)",
    # «i dag er min siste» said as the end, not «min siste dag på jobb»
    r"\b(?:(?:i natt|i kveld|i dag) er (?:min|hans|hennes|mi) siste|(?:tonight|today) is (?:my|his|her|their) last)"
    r"(?: natt| dag| kveld| night| day)?(?=\s*(?:[.!,;]|$|og |and ))",
    r"\beasier if i (?:don'?t|didn'?t|never) wake\b|\b(?:have|got|bought) (?:the|a) rope\b",
    r"\b(?:står|sitter|stå|sitt) (?:på|ved) (?:brua|broen|brukanten|taket|kanten|stupet)\b.{0,60}\b(?:nå|no|nu)\b",
    r"\btakk for alt\b.{0,80}\bsiste (?:gang|gong|melding)\b",
    r"\bsiste (?:gang|gong) (?:du|dere|dokker|de|dykk|jeg|eg|vi|me|noen|nokon) (?:\w+ )?"
    r"(?:hører|høyrer|høre|ser|sjå|høyre) (?:fra|frå|ifra|ifrå)? ?(?:meg|mæ|ham|han|henne|ho|oss)\b|"
    r"\blast time (?:you|anyone)(?:'ll| will)? hear from me\b",
    # Said alone, «står på brua» is the whole message: no bus stop, no view, nothing else asked.
    r"^(?:jeg |eg |æ |e |je )?(?:står|stå|sitter|sit|sitt) (?:på|ved|oppå) "
    r"(?:brua|broen|brukanten|taket|kanten|stupet)[.! ]*$",
    r"\b(?:gave|given|giving) (?:all )?(?:my|his|her|their) (?:things|stuff|belongings) away\b",
    r"\b(?:funnet|funne|fann|fant|kjøpt|kjøpte|kjøpa|henta|hentet) (?:meg )?(?:et |eit |ett )?tau\b",
    r"\bingen (?:\w+ ){0,3}(?:savne|sakne|sakna|savna) (?:meg|mæ)\b",
    r"\b(?:tok|tatt|teke|tek|tar) med (?:seg|sæ|meg|mæ) (?:et |eit )?tauet?\b|"
    r"\b(?:klare|klarer|klarar) (?:dere|dokker|dykk|oss|seg|dei|de) (?:fint |bra |godt )?(?:uten|utan) "
    r"(?:meg|mæ|han|ham|henne|ho)\b",
    r"\b(?:tenkt|tænkt|tenker|tenkjer|vil|skal|ska) (?:å |og )?(?:kjøre|kjør|køyre|køyr) (?:bilen )?(?:rett )?"
    r"(?:i|inn i|ut i|utfor) "
    r"(?:fjellveggen|fjellet|veggen|et tre|eit tre|fjorden|sjøen|møtende|ein trailer|en trailer)\b",
    r"\b(?:skåret|skar|kuttet|kutta|kutter|risset|rispet|risper) (?:meg|mæ|seg|sæ) (?:i |på )?"
    r"(?:håndleddet|handleddet|håndledda|(?:armen|armane|armene|låret|lårene) igjen)\b",
    r"\b(?:ikke|ikkje|itj) (?:skal )?(?:bo|bu) (?:noe sted|noen sted|nokon stad|nån plass) lenger\b|"
    r"\bnot (?:going to )?live anywhere anymore\b",
]

_LOST = (
    r"(?:mista|mistet|mist|miste|glemt|glemte|glømt|glømte|gløymt|gløymde|gløymd|lost|forgot|forgotten|left|"
    r"stjålet|stjålne|stjele|stolen|stole)"
)
_MEDICINE = (
    r"(?:(?!resept|prescription)\w+ ){0,3}(?:medisin\w*|insulin\w*|epilepsi\w*|astmamedisin\w*|inhalator\w*|"
    r"medicines?|"
    r"p-?pille\w*|pillene|tablettene|"
    r"hjertemedisin\w*|meds|medication|insulin|inhaler)\b(?!.{0,20}\b(?:resept|prescription)\b)"
)

URGENT_HEALTH = [
    r"\b(?:klor\w*|rengjøring\w*|vaskemiddel\w*|kjemikal\w*|\blut\b|syre|cleaning|bleach|chemical\w*|acid)\b.{0,60}"
    r"\b(?:i øyet|i auget|i øynene|i augo|in (?:my|his|her|the) eyes?)\b|"
    r"\b(?:i øyet|i auget|i øynene|in (?:my|his|her) eyes?)\b.{0,60}"
    r"\b(?:klor|vaskemiddel\w*|kjemikal\w*|bleach|chemical)",
    r"\b(?:utslett|kuler|kular|elveblest|kløe|kløande|kløende|hives|itchy bumps|welts)\b.{0,60}"
    r"\b(?:antibiotika|penicillin\w*|medisin\w*|tablett\w*|pille\w*|vaksine\w*)|"
    r"\b(?:antibiotika|penicillin\w*|medisin\w*)\b.{0,60}\b(?:utslett|kuler|kular|elveblest|kløe|hives)\b|\brash\b.{0,60}\b(?:antibiotics|penicillin|"
    r"medicine)\b",
    # Lost or forgot one's own medicine («mista epilepsimedisinen min»), or any in the weekend or at night;
    # not the home nurses who forgot a father's medicine (a complaint) nor a lost prescription.
    rf"\b{_MEDICINE}.{{0,30}}\b(?:ble|vart|blei|was|were|got|have been|has been) (?:stjålet|stjålne|stolen)\b|"
    rf"\b(?:jeg|eg|æ|je|i) (?:har |have |has )?{_LOST} {_MEDICINE}|\b{_LOST} {_MEDICINE} (?:min|mine|mi|mitt)\b|"
    rf"\b{_LOST} {_MEDICINE}\b.{{0,60}}\b(?:helg\w*|søndag|lørdag|sundag|laurdag|natt\w*|kveld\w*|påske\w*|jul\w*|"
    r"weekend|sunday|saturday|tonight|holiday)\b|"
    r"\b(?:tom|gått tom|går tom|gikk tom|slapp opp|sluppet opp|sloppe opp) for (?:\w+ )?"
    r"(?:medisin\w*|insulin\w*|tablett\w*|piller\w*|epilepsi\w*|medikament\w*|astmamedisin\w*)\b|"
    rf"\b(?:bare|berre|kun|only) (?:har )?{_MEDICINE}\b.{{0,25}}\b(?:til|until|for) (?:i morgen|i morgon|imorgen|"
    r"tomorrow|i kveld|tonight|i dag|today)\b|"
    r"\b(?:forvirra|forvirret|forvirrete|confused)\b.{0,40}\b(?:enn vanlig|enn vanleg|than usual|plutselig|plutseleg|"
    r"suddenly)\b",
    r"\b(?:byll\w*|verkebyll\w*|abscess\w*|abses\w*)\b|"
    r"\b(?:(?:en|ei|ein|stor|hard|ny) kul|kul (?:i|på|under|bak)|kula|hevelse\w*|lump|swelling)\b.{0,40}"
    r"\b(?:varm|rød|raud|red|hot|banker|dunker|throbbing)\b",
    # a nosebleed that goes on, not a child who often has them
    r"\b(?:neseblødning\w*|naseblod\w*|neseblod\w*|nasebløding\w*|nosebleed\w*)\b.{0,60}"
    r"\b(?:stopper|stoppar|slutter|sluttar|stopp|stoppe|stanse|slutte|halvtime\w*|won'?t stop|doesn'?t stop|"
    r"will not stop|minutt\w*|minutes|lenge|"
    r"holdt på|halde på|holde på|timer|timar|hour\w*)\b|\bnose (?:keeps|won'?t stop|will not stop) bleeding\b",
    # a baby in the womb that moves less, not a child who has calmed down
    r"\b(?:gravid|pregnant|uke \d\d|veke \d\d|week \d\d|\d\d weeks|magen|fosteret|spark\w*|kicks?)\b.{0,60}"
    r"\b(?:roligere|mindre aktiv|beveger seg mindre|sparker mindre|less active|moving less|kicking less|fewer kicks|"
    r"less movement)\b|\b(?:roligere|less active|moving less)\b.{0,60}\b(?:spark\w*|kicks?)\b|"
    r"\b(?:mindre|færre) (?:liv|spark|fosterbevegelser)\b|\b(?:kjenner|kjenne|kjem) (?:ikke|ikkje|itj) (?:liv|spark)\b",
    r"\bdrikk(?:er|e)? (?:ikke|ikkje|itj) (?:noe|noko|nåkka|nokka|nåkkå)\b|"
    r"\b(?:won'?t|doesn'?t|isn'?t|not) drink(?:ing)? anything\b|"
    r"\b(?:tørr|dehydrert|dehydrated)\b.{0,40}\b(?:tisser|tissar|pee\w*|drikk\w*|drink\w*)\b",
    r"\b(?:selhoste|krupp|barking cough|croup)\b|\bhost\w* (?:\w+ ){0,4}(?:som|like) (?:en |ei |a )?(?:sel|seal)\b",
    # emergency contraception when the pharmacy and the health centre are closed
    r"\b(?:angrepille\w*|angre-pille\w*|nødprevensjon\w*|morning[- ]after[- ]pill\w*|ellaone|norlevo|"
    r"emergency contraception)\b.{0,60}\b(?:stengt|stengd|closed|helg\w*|weekend|lørdag\w*|laurdag\w*|søndag\w*|"
    r"sundag\w*|saturday|sunday|natt\w*|kveld\w*|tonight|night)\b",
    r"\b(?:out of|no more|lost|forgot) (?:my|his|her|our) (?:insulin|inhaler|epilepsy \w+|heart \w+|seizure \w+)\b|"
    r"\b(?:ran|run|running) out of (?:my |his |her )?(?:[\w-]+ ){0,2}"
    r"(?:meds|medication|medicine|insulin|pills|tablets|inhaler)\b",
    # A job, a placement or parking at the legevakt is no call for one («jobb som sykepleier på
    # legevakta»), nor is its closing down at night.
    _unless_message_names(
        rf"(?:\b(?:jobb\w*|stilling\w*|vikariat\w*|sommervikariat\w*|turnus|parker\w*|praksis\w*|sykepleiere|"
        rf"leger|ansatte|jobs?|work\w*) (?:\w+ ){{0,3}}(?:på|ved|at|i|til) (?:the )?{_LEGEVAKT}|"
        rf"\b(?:legge ned|nedlegg\w*|sammenslå\w*|slå sammen) (?:\w+ ){{0,2}}{_LEGEVAKT}\w* (?:om natta|om natten|"
        rf"på natta|på natten|i kommunen|her)\b)",
        _LEGEVAKT,
    ),
    r"\b116 ?117\b",
    r"\b(?:trenger|treng|trengs|må ha|må få|trenge|behov for) (?:en |ein |akutt )?(?:lege|doktor|legehjelp)\b",
    r"\b(?:lege|doktor|legehjelp) (?:nå|no|i natt|i kveld|i helga|i helgen|raskt|fort|med en gang|snarest)\b",
    r"\bakutt legehjelp\b|\blegehjelp\b",
    r"\b(?:fastlege\w*|lege\w*|doktor\w*|legekontor\w*) (?:er |e )?(?:stengt|steng|stengd|ikke åpen|ikkje open|"
    r"ikke åpent|har stengt|på ferie|har ferie|ikke tilgjengelig|ikkje tilgjengeleg|svarer ikke|svarar ikkje)\b",
    r"\bfastlegen\b.{0,40}\b(?:stengt|stengd|ferie|fri|helg|helga|natt|kveld)\b",
    r"\bfeber\w*\b|\bfebe\b|\bfeberen\b|(?<!yellow )\bfever\w*\b|\bhigh temperature\b|\bkokvarm\b|\bglovarm\b",
    r"\b(?:39|40|41)(?:[,.]\d)? ?(?:grader|i feber|i temp|°)",
    r"\b(?:har|hadde|på|målt|måler|målte) (?:3[89]|4[01])[,.]\d\b",
    r"\b(?:temp|tempen|temperatur|temperaturen|temperature|fever)(?: of| is| på| er| e)? (?:3[89]|4[01])\b",
    rf"\b(?:brukket|brekt|knekt|brukke|brekke|broten|brotne|brote|brekte|knekke|knekka) {BODY}",
    rf"\b{BODY} (?:er |e |ble |kan være |kan vere )?(?:brukket|brekt|knekt|broten|brote|ute av ledd)\b",
    rf"\b{BODY} (?:er |ble |har )?(?:helt )?(?:hoven|hovent|hovna|hovnet|hovner|hovnar)\b",
    r"\b(?:forstuet|forstua|vrikket|vrikka|vrikke|overtråkk|ute av ledd|gikk ut av ledd)\b",
    rf"\b(?:falt|datt|skled|gled)\b.{{0,40}}\b(?:{BODY}|hodet|hovudet)\b",
    r"\b(?:kast(?:er|a|et)|kastar) opp\b|\bspy(?:r|dd|dde|a|dd)?\b|\boppkast\b|\bbrekninger\b",
    r"\burinveisinfeksjon\b|\bblærebetennelse\b|\bsvi(?:er|r)? (?:når|når jeg|når eg) (?:tisser|tissar)\b",
    r"\bvondt (?:når|når jeg|når eg) (?:tisser|tissar)\b|\bblod i (?:urinen|tisset|avføringen)\b",
    rf"\b(?:vondt|vont|verk|verkje|smerter|smerte)\b.{{0,15}}\b{ACHE}\b.{{0,40}}\b{ACUTE}",
    rf"\b{ACUTE}.{{0,40}}\b(?:vondt|vont|verk|verkje|smerter|smerte)\b.{{0,15}}\b{ACHE}\b",
    r"\b(?:sterke|voldsomme|kraftige|uutholdelige|kjempe)(?:vondt| vondt| smerter| magesmerter| hodepine)\b",
    r"\børeverk\b|\bøyreverk\b|\bkjempevondt\b|\bsykt vondt\b|\bskikkelig vondt\b|\bveldig vondt\b",
    r"\bforferdelig vondt\b",
    r"\b(?:skåret|skar|skjært|skjærte|kutta|kuttet|skjer) (?:meg|mæ|seg|sæ|han|ho|henne|ham)\b",
    r"\bmå sy\w*\b|\bsting\b|\bsy (?:det|såret|kuttet)\b|\b(?:dypt|stygt|stort|djupt) (?:kutt|sår)\b",
    r"\b(?:hundebitt|bitt av|bite av|beten av|ormebitt|flåttbitt)\b|"
    r"\b(?:huggorm|hoggorm)\w*\b.{0,40}\b(?:bitt|biten|beit|bet|bit|bite|hoven|hovner)\b|"
    r"\b(?:bitt|beit|bet|biten)\b.{0,40}\b(?:huggorm|hoggorm)\w*\b",
    # a rusty nail through the foot: tetanus
    r"\b(?:spiker|spikar|nail)\b.{0,30}\b(?:gjennom|igjennom|opp i|through|into)\b|"
    r"\b(?:tråkket|tråkka|trødde|trakk|stepped) (?:på|on) (?:en |ein |a )?(?:rusten |rusty )?(?:spiker|spikar|nail)\b",
    r"\b(?:brent|brant|brende|brente|skålda|skåldet|skålla|skoldet|skolda) (?:meg|seg|handa|hånda|hånden|armen|"
    r"fingrene|fingeren|foten|beinet)\b|\bblemme\w*\b",
    r"\bbrannskad\w*\b|\bskåld\w*\b|\bskold\w*\b|\bblemmer\b|\bbrannblem\w*\b|\bbrannsår\w*\b",
    r"\b(?:akutt|plutselig|plutseleg|brått) (?:syk|sjuk|dårlig|dårleg|vondt|smerte|smerter|fått)\b|\bblitt akutt\b",
    r"\b(?:syk|sjuk|dårlig|dårleg) (?:i natt|i kveld|i helga|i helgen|på natta|og det er helg)\b",
    rf"\b{CHILD}(?: min| mi| mitt)? (?:har )?(?:høy feber|feber|kastet opp|kaster opp|utslett|vondt|pusteproblem)",
    # Something in an eye, a nose or an ear
    r"\b(?:perle\w*|kule\w*|erte\w*|bead\w*|pea|peas|lego\w*|småstein|stein)\b.{0,30}"
    r"\b(?:i|inn i|opp i|oppi|inni|in|up|into) "
    r"(?:the |his |her |my |sin |si )?(?:nesa|nesen|nese|nasen|nasa|øret|øyret|øyra|øra|nose|ear)\b",
    r"\b(?:stuck|fast|sitter fast) (?:in|i|inni|oppi) (?:(?:the|his|her|my|our) )?(?:\w+(?:'s)? )?"
    r"(?:nose|ear|nesa|nesen|nasen|øret|øyret|øyra)\b|"
    r"\b(?:in|i) (?:the |his |her |my )?(?:nose|ear|nesa|nesen|nasen|øret|øyret)\b.{0,20}"
    r"\b(?:stuck|sitter fast)\b",
    r"\b(?:\w*flis|fremmedlegeme|noe|noko|nåkka|nokka|nåko|perle|isklump|\w*spon|splint) (?:\w+ ){0,3}"
    r"(?:i|opp i|inn i) (?:øyet|auget|auga|augo|øya|auet|auen|øye|auge|nesa|øret)\b|"
    r"\b(?:skrape\w*|skrapa\w*|skraper|gnager|gnage\w*|scratch\w*)\b.{0,30}\b(?:blunk\w*|blink\w*)\b|"
    r"\b(?:something|a splinter|metal|dust|a chip|glass) (?:\w+ ){0,3}in (?:my|his|her|the) eye\b|"
    r"\b(?:får|fær|klarer|greier) (?:ikke|ikkje|itj|ikkj) (?:å )?(?:opp|åpne|opne|åpna|opna) (?:auget|øyet|auga)\b",
    r"\bblodforgift\w*\b|\bbetennelse\b|\binfeksjon\b|\bhjernerystelse\b|\bslått hodet\b|\bslo hodet\b",
    r"\b(?:out of hours|after[- ]hours|urgent care|emergency (?:room|clinic|doctor)|a&e|er doctor|walk-in clinic)\b",
    r"\bneed (?:a|to see a) doctor\b(?!'s|s\b)|\bdoctor (?:now|tonight|urgently|today|this weekend)\b|\bgp is closed\b",
    r"\b(?:doctor|gp)\b.{0,25}\b(?:closed|not open|weekend|tonight)\b",
    r"\b(?:broke|broken|fractured|sprained|twisted|dislocated) (?:my |his |her )?" + BODY,
    rf"\b{BODY} (?:is |looks )?(?:really |very )?(?:swollen|broken)\b|\bmight be broken\b",
    r"\b(?:threw up|throwing up|vomit\w*)\b|\bear ?(?:ache|infection)\b|\b(?:uti|urinary tract infection)\b",
    r"\bcut (?:myself|himself|herself)\b|\bneeds? stitches\b|\bbitten by\b",
    r"\b(?:dog|snake|adder|cat) bit (?:me|my|him|her|us)\b",
    r"\b(?:hund\w*|bikkj\w*|katt\w*|hoggorm\w*|huggorm\w*|orm)\b (?:\w+ ){0,2}(?:bet|beit|har bitt|har bite|bit) "
    r"(?:meg|mæ|han|ham|ho|henne|oss|sønnen|sonen|dottera|datteren|barnet|ungen|gutten|jenta|mannen|kona)\b",
    r"\b(?:fiskekrok\w*|fish ?hook\w*|hook)\b.{0,25}\b(?:stuck|fast|i fingeren|i tommelen|i handa|i hånda|"
    r"in my|in his|in her|inni|sitter)\b|\bkroken sitter\b",
    r"\b(?:slo|slått|slog|knocked|knock|mista|mistet|lost) (?:\w+ ){0,3}(?:fortann\w*|tann|tanna|tennene|tooth|teeth)\b"
    r"|\b(?:tooth|teeth|tann|tanna|fortanna|fortann) (?:\w+ ){0,2}(?:knocked out|fell out|slått ut|slo ut|datt ut)\b",
    r"\b(?:linse\w*|lenses|contact lens\w*)\b.{0,60}\b(?:raud\w*|rød\w*|red|verk\w*|vondt|vont|pain\w*|hurt\w*|"
    r"sore|uklart|blurr?y)\b|\b(?:raud\w*|rød\w*|red|verk\w*|vondt|vont|pain\w*|hurt\w*|sore)\b.{0,40}"
    r"\b(?:linse\w*|lenses|contact lens\w*)\b",
    r"\b(?:helvetesild|shingles|herpes zoster)\b",
    r"\b(?:stakk|stukket|stikker|stukke|stak)\b.{0,30}\b(?:sprøyte\w*|kanyle\w*|sprøytespiss\w*|needle|syringe)\b|"
    r"\bneedle ?stick\b|\bstikkskade\w*\b|\b(?:pricked|stuck|stabbed) (?:myself|my \w+) (?:on|with) a (?:used )?"
    r"(?:needle|syringe)\b",
    r"\b(?:såret|sår|kuttet|kutt|det|wound|cut|it) (?:\w+ ){0,2}(?:gaper|gapar|is gaping|gapes)\b|"
    r"\b(?:gapende|gapande|gaping) (?:sår|kutt|wound|cut)\b",
    r"\b(?:gravid\w*|pregnant|svanger\w*|uker på vei|veker på veg|weeks along)\b.{0,80}"
    r"\b(?:blø\w*|spotting|bleed\w*)\b|\b(?:blør|blør litt|blødning\w*|spotting|bleeding)\b.{0,60}"
    r"\b(?:gravid\w*|pregnant|svanger\w*)\b",
    r"\b(?:medisin\w*|astmamedisin\w*|inhalator\w*|insulin\w*|pillene|tablettene|sprayen|insulinpennen|pennen) "
    r"(?:er|e|har|ble|vart|blei) (?:helt )?(?:tom|tomme|slutt|brukt opp|gått tom)\b",
    rf"\b(?:tannverk\w*|tannpine|toothache)\b.{{0,100}}\b(?:{ACUTE}|(?:ikke|ikkje|itj) (?:får |fær )?sove|can'?t sleep|"
    rf"tonight|weekend)|\b(?:{ACUTE})\b.{{0,60}}\b(?:tannverk\w*|tannpine|toothache)\b",
    r"\b(?:nesa|nesen|nasen|nasa|nose)\b (?:er |e |is |looks |ser )?(?:\w+ )?(?:skjev|skeiv|brukket|knekt|brekt|broten|"
    r"broken|crooked)\b" + PAST,
    # one attack, just had: not panic attacks as a condition («jeg har panikkanfall», the mental-health answer)
    r"\b(?:fikk|fekk|har fått|har fått et|had|having|got|hadde) (?:et |eit |a |an )?(?:panikkanfall|panic attack|"
    r"angstanfall|anxiety attack)\b",
    # a reliever inhaler needed again and again
    r"\b(?:ventolin|bricanyl|airomir|salbutamol|inhalator\w*|astmamedisin\w*|inhaler|puffer)\b.{0,20}"
    r"\b(?:\d+|tre|fire|fem|seks|mange|flere|fleire|three|four|five|six|many|several) (?:ganger|gonger|times)\b",
    r"\b(?:brændt mig|bränt mig|brændt sig|bränt sig)\b|\b(?:feber|fever) (?:i nat|i natt|i aften)\b|"
    r"\bblisters\b|\b(?:spilled|spilt|poured|søl\w*|helte|helt) (?:\w+ ){0,3}(?:boiling|kokende|kokande|hot|varmt|"
    r"varm) (?:water|vatn|vann|oil|olje|tea|te|coffee|kaffe)\b|"
    r"\bburn(?:ed|t) (?:myself|himself|herself|my|his|her)\b|\bscald\w*\b|\bburns? when i pee\b",
    r"\b(?:severe|terrible|unbearable|awful) (?:pain|stomach ache|headache|toothache)\b|\bpain is (?:awful|terrible)\b",
    # A known illness getting worse, or its medicine no longer helping
    r"\b(?:astma\w*|kols\w*|epilepsi\w*|diabetes\w*|sukkersyk\w*|allergi\w*|migrene\w*|asthma|copd|epilepsy|"
    r"diabetes|allergy)\b.{0,40}\b(?:verre|verst|forverra|forverret|hjelper ikke|hjelper ikkje|hjelp ikkj|"
    r"worse|not helping|doesn'?t help|isn'?t helping)\b",
    r"\b(?:medisin\w*|inhalator\w*|astmamedisin\w*|penicillin\w*|antibiotika|insulin|medicine|inhaler|"
    r"medication) (?:hjelper|hjelp|virker|verkar|helps|works|is) (?:ikke|ikkje|ikkj|itj|not)\b",
]


# A sick animal: the vet on call, not the legevakt. Urgent health does not count when the message
# names a vet and no person who could be the patient; an emergency always counts. «Hvor finner jeg
# dyrlegevakt?» asks as «jeg», and «han» may be the dog: only a person as object or by name counts.
_A_PERSON = re.compile(
    r"\b(?:meg|mæ|me|oss|us|lege|legen|legevakt\w*|(?<!animal )doctor|ungen|barnet|babyen|gutten|jenta|sønnen|sonen|"
    r"dattera|datteren|mannen|kona|mor|far|mamma|pappa|child|baby|son|daughter|husband|wife)\b"
)
FOR_AN_ANIMAL_RE = re.compile(
    r"\b(?:dyrlege\w*|veterinær\w*|vets|veterinary|animal doctor|animal hospital|dyredoktor\w*|dyreklinikk\w*|"
    r"dyresjukehus\w*|dyresykehus\w*)\b|"
    r"\b(?:the|a|our|my) vet\b|\bvet(?:'s| clinic)\b"  # not «vet» alone: Norwegian for «knows»
)


def for_an_animal(text: str) -> bool:
    """A vet named, and no person who could be the patient (`text` normalised)."""
    return bool(FOR_AN_ANIMAL_RE.search(text)) and not _A_PERSON.search(text)


# Violence or threats from a partner or someone in the family. After the emergency numbers, the
# citizen also needs the crisis centre (bot/replies.py: `after_safety`).
_FAMILY = _any(
    "mannen",
    "kona",
    r"samboer\w*",
    "kjæresten",
    "kjærasten",
    "eksen",
    "eksmannen",
    "ekskona",
    "faren",
    "far",
    "pappa",
    "mor",
    "mora",
    "moren",
    "mamma",
    "stefar",
    "stemor",
    "broren",
    "bror",
    r"partner\w*",
    "husband",
    "wife",
    "boyfriend",
    "girlfriend",
    "ex",
    "dad",
    "father",
    "stepfather",
    "mum",
    "mom",
    "mother",
    "brother",
)
_HURTS = _any(
    "slår",
    "slo",
    "slår til",
    "banker",
    "banka",
    "sparker",
    "sparka",
    "kveler",
    "kvelte",
    "truer",
    "truar",
    "truga",
    "trua",
    "dytter",
    "lugger",
    "hits",
    "hit",
    "beats",
    "beat",
    "kicks",
    "kicked",
    "chokes",
    "choked",
    "threatens",
    "threatened",
    "hurts",
    "abuses",
)
VIOLENCE_AT_HOME = [
    rf"\b{_FAMILY}(?: min| mi| mitt| sin| si| my)? (?:\w+ )?{_HURTS} (?:meg|mæ|oss|barna|ungane|ungene|mamma|mor|"
    r"mora|me|us|the kids|the children|my mum|my mom|my mother)\b",
    r"\bvold i (?:nære relasjoner|hjemmet|familien)\b|\bvald i (?:nære relasjonar|heimen|familien)\b|"
    r"\bdomestic (?:violence|abuse)\b",
]


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


EMERGENCY_RE = _compile(EMERGENCY)
SUICIDE_RISK_RE = _compile(SUICIDE_RISK)
URGENT_HEALTH_RE = _compile(URGENT_HEALTH)
VIOLENCE_AT_HOME_RE = _compile(VIOLENCE_AT_HOME)


def normalise(text: str) -> str:
    """Lower case, one space between words; the form every pattern expects."""
    return " ".join((text or "").lower().replace("’", "'").split())

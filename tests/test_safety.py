"""The safety layer (bot/safety): patterns and classifier, and the NLU component that uses them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.shared.nlu.training_data.message import Message

from bot import safety
from bot.nlu.safety import SafetyOverride
from bot.safety import SafetyKind, patterns
from bot.safety.classifier import SAFETY_INTENTS, SafetyClassifier, load_examples, sentences

DATA = Path(__file__).resolve().parent.parent / "data" / "nlu"


def _a_pattern_matches(text: str) -> bool:
    normalised = patterns.normalise(text)
    return any(
        p.search(normalised) for p in (patterns.EMERGENCY_RE, patterns.SUICIDE_RISK_RE, patterns.URGENT_HEALTH_RE)
    )


@pytest.mark.parametrize(
    "text,kind",
    [
        ("hjelp det brenner", SafetyKind.EMERGENCY),
        ("mamma puster ikkje", SafetyKind.EMERGENCY),
        ("Pappa er kald og klam og har vondt i brystet", SafetyKind.EMERGENCY),
        ("naboen slår kona si, jeg hører skrik", SafetyKind.EMERGENCY),
        ("my friend took too many pills", SafetyKind.EMERGENCY),
        ("jeg vil ikke leve lenger", SafetyKind.SUICIDE_RISK),
        ("my brother says he wants to kill himself", SafetyKind.SUICIDE_RISK),
        ("Jeg trenger legevakt", SafetyKind.URGENT_HEALTH),
        ("fastlegen er stengt i helgen", SafetyKind.URGENT_HEALTH),
        ("ungen har 40 i feber og det er natt", SafetyKind.URGENT_HEALTH),
        ("kolsen til far er mye verre i dag", SafetyKind.URGENT_HEALTH),
        # Situations two sets written apart from the data found missed (2026-12-07), in other words.
        ("bilen til naboen står i full fyr", SafetyKind.EMERGENCY),
        ("en dame har ligget på benken i en time uten å røre seg", SafetyKind.EMERGENCY),
        ("a man is following me and I am alone", SafetyKind.EMERGENCY),
        ("halsen min lukker seg etter rekene og epipennen hjelper ikke", SafetyKind.EMERGENCY),
        ("vi har gått oss vill på fjellet og det blir mørkt", SafetyKind.EMERGENCY),
        ("gassflaska under grillen lekker", SafetyKind.EMERGENCY),
        ("han fikk hjertestans for fem minutter siden", SafetyKind.EMERGENCY),
        ("jeg har gitt bort tingene mine", SafetyKind.SUICIDE_RISK),
        ("I won't be here tomorrow", SafetyKind.SUICIDE_RISK),
        ("jeg står på brua nå og vil bare forsvinne", SafetyKind.SUICIDE_RISK),
        ("babyen på 5 uker har 38,4", SafetyKind.URGENT_HEALTH),
        ("fikk brannblemmer på handa av stekepanna", SafetyKind.URGENT_HEALTH),
        ("en bil har kjørt av veien og det sitter noen fast i bilen", SafetyKind.EMERGENCY),
        ("far har demens og har gått ut i bare tøfler, det er minus 8", SafetyKind.EMERGENCY),
        ("det ryker svart fra taket på garasjen", SafetyKind.EMERGENCY),
        ("vi vet ikke hvor vi er, det er mørkt og kaldt", SafetyKind.EMERGENCY),
        ("jeg står på taket og vil hoppe", SafetyKind.SUICIDE_RISK),
        # «siden» alone is now, not over: only a time span before it makes it past.
        ("det skjedde en ulykke ved skolen for fem minutter siden", SafetyKind.EMERGENCY),
        ("there was a car accident a minute ago, two people are hurt", SafetyKind.EMERGENCY),
        # Situations a third set written apart from the data found missed (2026-12-07), in other words.
        ("jeg hører noen går nede i stua og jeg er alene hjemme", SafetyKind.EMERGENCY),
        ("to biler kolliderte i krysset og en mann sitter fast", SafetyKind.EMERGENCY),
        ("he dived off the jetty and hasn't come back up", SafetyKind.EMERGENCY),
        ("naboen sier han skal drepe meg", SafetyKind.EMERGENCY),
        ("står på broen", SafetyKind.SUICIDE_RISK),
        ("eg har kjøpt tau og veit kva eg skal gjere", SafetyKind.SUICIDE_RISK),
        ("ingen kjem til å sakna meg", SafetyKind.SUICIDE_RISK),
        ("dette er siste gang dere hører fra meg", SafetyKind.SUICIDE_RISK),
        ("she gave all her things away last week and said goodbye", SafetyKind.SUICIDE_RISK),
        ("jeg har kuttet meg i håndleddet", SafetyKind.SUICIDE_RISK),
        ("fått utslett over hele kroppen etter penicillinen", SafetyKind.URGENT_HEALTH),
        ("jeg har gått tom for insulin og apoteket er stengt", SafetyKind.URGENT_HEALTH),
        ("ran out of my heart medication over the holiday", SafetyKind.URGENT_HEALTH),
        ("bilen trillet ut i sjøen fra fergeleiet og synker", SafetyKind.EMERGENCY),
        ("orker ikkje meir, det er ikkje noko vits lenger", SafetyKind.SUICIDE_RISK),
        ("he texted me that tonight is his last", SafetyKind.SUICIDE_RISK),
        ("fikk klor i øyet da jeg vasket badet og det svir", SafetyKind.URGENT_HEALTH),
        ("det velter svart røyk ut under panseret", SafetyKind.EMERGENCY),
        ("eg tør ikkje gå heim, eksen står ved inngangen", SafetyKind.EMERGENCY),
        ("han sa dere klarer dere fint uten meg og gikk", SafetyKind.SUICIDE_RISK),
        ("jeg har tenkt å kjøre inn i fjellveggen i kveld", SafetyKind.SUICIDE_RISK),
        ("det driver en mann nedover elva, han roper", SafetyKind.EMERGENCY),
        ("bestefar har demens og er forsvunnet fra sykehjemmet", SafetyKind.EMERGENCY),
        ("jenta har drokke lampeolje", SafetyKind.EMERGENCY),
        ("glemte insulinen på hytta og det er søndag", SafetyKind.URGENT_HEALTH),
        ("naboen er full og skal kjøre bil nå", SafetyKind.EMERGENCY),
        ("et tog har truffet en mann ved planovergangen", SafetyKind.EMERGENCY),
        ("kajakken kantret og kameraten min er i vannet", SafetyKind.EMERGENCY),
        ("there's a drunk driver on the road right now", SafetyKind.EMERGENCY),
        ("my throat feels like it is closing after the bee sting", SafetyKind.EMERGENCY),
        # A fourth set written apart from the data (2026-12-07), in other words.
        ("there is a gas smell in the stairwell", SafetyKind.EMERGENCY),
        ("mor har alzheimer og har gått ut i natt", SafetyKind.EMERGENCY),
        ("grandpa left the house in his pyjamas and it is freezing", SafetyKind.EMERGENCY),
        ("we can't find our grandma anywhere", SafetyKind.EMERGENCY),
        ("det ryke ut av sikringsskapet", SafetyKind.EMERGENCY),
        ("det kommer gnister fra stikkontakten på soverommet", SafetyKind.EMERGENCY),
        # A sixth set written apart (2026-12-07), in other words.
        ("our son is lost at the fair and nobody can find him", SafetyKind.EMERGENCY),
        ("far har demens og har gått fra sykehjemmet, det er kaldt ute", SafetyKind.EMERGENCY),
        ("bestefar er nesten umulig å vekke og vi har fyrt i peisen hele kvelden", SafetyKind.EMERGENCY),
        ("mormor var ikkje i senga då vi kom i natt", SafetyKind.EMERGENCY),
        ("mamma prater helt utydelig og klarer ikke å løfte venstre arm", SafetyKind.EMERGENCY),
        ("har bare insulin til i morgen og apoteket er stengt", SafetyKind.URGENT_HEALTH),
        ("sønnen min tråkket på en rusten spiker", SafetyKind.URGENT_HEALTH),
        ("huggormen beit meg i foten", SafetyKind.URGENT_HEALTH),
        ("jeg klarer ikke å slutte å skade meg selv", SafetyKind.SUICIDE_RISK),
        # A ninth set written apart (2026-12-07), in other words.
        ("taket på fjøset har rast sammen og far er der inne", SafetyKind.EMERGENCY),
        ("the roof of the old school caved in and kids were playing there", SafetyKind.EMERGENCY),
        ("a man is waving an axe outside the shop", SafetyKind.EMERGENCY),
        ("he says he is going to kill somebody tonight", SafetyKind.EMERGENCY),
        # A tenth set written apart (2026-12-07), in other words.
        ("alle på hytta har vondt i hodet og er så trøtte, parafinovnen har stått på hele dagen", SafetyKind.EMERGENCY),
        ("jenta mi kom ikkje heim frå trening og det er blitt mørkt", SafetyKind.EMERGENCY),
        ("eg fekk noko i auget då eg kappa jern, og no klarer eg ikkje opne auget", SafetyKind.URGENT_HEALTH),
        ("I got a metal chip in my eye at work", SafetyKind.URGENT_HEALTH),
        ("our daughter is not waking up properly this morning", SafetyKind.EMERGENCY),
        # An eleventh set written apart (2026-12-07), in other words.
        ("vi har hatt gasspeisen på og no er alle svimle og kvalme", SafetyKind.EMERGENCY),
        ("kullosvarsleren piper og bestemor har hodepine", SafetyKind.EMERGENCY),
        ("babyen stivner og øynene går bakover", SafetyKind.EMERGENCY),
        ("he is shaking uncontrollably on the floor", SafetyKind.EMERGENCY),
        ("en baby sitter aleine i en varm bil utenfor butikken", SafetyKind.EMERGENCY),
        ("there's a toddler locked in a hot car at the mall", SafetyKind.EMERGENCY),
        ("to karer holder på å bryte opp døra til kiosken", SafetyKind.EMERGENCY),
        ("det gikk et jordras over veien og vi veit ikkje om nokon er under", SafetyKind.EMERGENCY),
        ("a landslide just hit the houses below the road", SafetyKind.EMERGENCY),
        ("ongen min e borte, han sykla ut for en time sia", SafetyKind.EMERGENCY),
        ("sonen min har forsvunni frå skulen", SafetyKind.EMERGENCY),
        # A twelfth set written apart (2026-12-07), in other words.
        ("kollegaen min fekk handa inn i kverna og vi har stoppa maskina", SafetyKind.EMERGENCY),
        ("a worker is pinned under the tractor", SafetyKind.EMERGENCY),
        ("sjekta tar inn vann og vi er to om bord", SafetyKind.EMERGENCY),
        ("vi driv mot land og motoren har stoppa", SafetyKind.EMERGENCY),
        ("bestefar detta uti havna da han skulle gå i båten", SafetyKind.EMERGENCY),
        ("the canoe flipped over and dad is in the water", SafetyKind.EMERGENCY),
        ("sønnen har høy feber og klager over stiv nakke", SafetyKind.EMERGENCY),
        ("utslettet forsvinner ikke når jeg trykker et glass på det, og han har feber", SafetyKind.EMERGENCY),
        ("babyen vaknar ikkje skikkeleg og er heilt slapp", SafetyKind.EMERGENCY),
        ("mamma har plutselig sluttet å svare meg, hun bare stirrer", SafetyKind.EMERGENCY),
        ("han ser heilt skeiv ut i andletet", SafetyKind.EMERGENCY),
        ("det er lyngbrann bak feltet og det brer seg mot husa", SafetyKind.EMERGENCY),
        ("there is a wildfire close to the cabins", SafetyKind.EMERGENCY),
        ("en gutt klatrer over rekkverket på brua", SafetyKind.SUICIDE_RISK),
        ("she is standing outside the railing on the bridge", SafetyKind.SUICIDE_RISK),
        ("I'm out of my insulin and the pharmacy is closed", SafetyKind.URGENT_HEALTH),
        # A thirteenth set written apart (2026-12-07), in other words.
        ("hun er i uke 30 og vannet har gått", SafetyKind.EMERGENCY),
        ("a man is holding a knife to the cashier", SafetyKind.EMERGENCY),
        ("noen dro en gutt inn i en svart bil utenfor butikken", SafetyKind.EMERGENCY),
        ("det er utslipp av ammoniakk på fabrikken og folk hoster", SafetyKind.EMERGENCY),
        ("han posta ei farvel-melding på insta i natt", SafetyKind.SUICIDE_RISK),
        ("ei dame står på kanten av taket på blokka", SafetyKind.SUICIDE_RISK),
        ("naboens hund angriper katten og ungen min akkurat nå", SafetyKind.EMERGENCY),
        ("bror min er skoten i låret", SafetyKind.EMERGENCY),
        ("bussjåføren lukter alkohol og kjører altfor fort", SafetyKind.EMERGENCY),
        ("bestemor ligger på badegulvet og klarer ikke å reise seg", SafetyKind.EMERGENCY),
        ("the baby swallowed a small magnet", SafetyKind.EMERGENCY),
        ("far er meir forvirra enn vanleg og tissar heile tida", SafetyKind.URGENT_HEALTH),
        ("guten har dytta ei erte opp i nasen", SafetyKind.URGENT_HEALTH),
        ("trenger angrepille i kveld, apoteket er stengt", SafetyKind.URGENT_HEALTH),
        ("kollegaen fekk straum i kroppen frå ein kabel og ligg no", SafetyKind.EMERGENCY),
        # A fourteenth set written apart (2026-12-07), in other words.
        ("ei dame gjekk ut i fjorden med kleda på og er langt ute no", SafetyKind.EMERGENCY),
        ("en mann sitter fast inne i bilen etter at treet falt", SafetyKind.EMERGENCY),
        ("I suddenly have double vision and my arm is numb", SafetyKind.EMERGENCY),
        ("verste hodepine jeg har hatt, kom helt plutselig", SafetyKind.EMERGENCY),
        ("eg får ikkje liv i far, han ligg på kjøkkengolvet", SafetyKind.EMERGENCY),
        ("det er en byll på låret som vokser og gjør vondt", SafetyKind.URGENT_HEALTH),
        ("neseblodet til sonen min stoppar ikkje", SafetyKind.URGENT_HEALTH),
        ("gravid i uke 35 og babyen sparker mindre enn før", SafetyKind.URGENT_HEALTH),
        ("mor drikker ikke noe og virker slapp", SafetyKind.URGENT_HEALTH),
        # A fifteenth set written apart (2026-12-07), in other words.
        ("kjerringa har vondt i brøstet og e kaldsvett", SafetyKind.EMERGENCY),
        ("smerten stråler ut i venstre arm og kjeven", SafetyKind.EMERGENCY),
        ("æ får itj pust og lebban e blå", SafetyKind.EMERGENCY),
        ("han sa farvel og at han itj kjem att", SafetyKind.SUICIDE_RISK),
        ("finn ikkje jenten min på stranda, ho er 5", SafetyKind.EMERGENCY),
        ("my father is shaking whole body and eyes go back", SafetyKind.EMERGENCY),
        ("fekk ei jernflis i auget då eg slipte kniven", SafetyKind.URGENT_HEALTH),
        ("babyen har selhoste og det er natt", SafetyKind.URGENT_HEALTH),
        ("fikk elveblest over hele kroppen etter penicillinen", SafetyKind.URGENT_HEALTH),
        ("insulinet mitt ble stjålet på ferie og apoteket er stengt", SafetyKind.URGENT_HEALTH),
        ("a lego piece is stuck in my daughter's nose", SafetyKind.URGENT_HEALTH),
        # A sixteenth set written apart (2026-12-07), in other words.
        ("bussen foran oss skled av vegen og ned i vatnet, den søkk", SafetyKind.EMERGENCY),
        ("a bee stung my son and now his lips are getting really big", SafetyKind.EMERGENCY),
        ("stukket av en veps og nå klarer jeg nesten ikke å svelge", SafetyKind.EMERGENCY),
        ("someone wrote in the group chat he is going to shoot people at the mall tonight", SafetyKind.EMERGENCY),
        ("har brukt ventolin seks ganger i kveld og er fortsatt tett", SafetyKind.URGENT_HEALTH),
        ("naboens hund beit sonen min i leggen", SafetyKind.URGENT_HEALTH),
        ("we are running out of her long-acting insulin and the pharmacy is closed", SafetyKind.URGENT_HEALTH),
        ("my toddler vomited three times since dinner", SafetyKind.URGENT_HEALTH),
        # A seventeenth set written apart (2026-12-07), in other words and in Swedish and Danish.
        ("noen bryter opp døra til naboen akkurat nå", SafetyKind.EMERGENCY),
        ("three boys are kicking a guy outside the shop", SafetyKind.EMERGENCY),
        ("datteren slo hodet i isen og kaster opp nå", SafetyKind.EMERGENCY),
        ("min mamma andas inte, snälla hjälp", SafetyKind.EMERGENCY),
        ("min far er faldet om i haven og vågner ikke", SafetyKind.EMERGENCY),
        ("jeg har brændt mig på komfuret, hvor kan jeg komme hen", SafetyKind.URGENT_HEALTH),
        # An eighteenth set written apart (2026-12-07): poisonings told casually, places, short forms.
        ("vi spiste sopp vi plukket selv og nå kaster alle opp", SafetyKind.EMERGENCY),
        ("he injected all of his insulin pens at once", SafetyKind.EMERGENCY),
        ("hunden min? nei, gutten har skum rundt munnen", SafetyKind.EMERGENCY),
        ("veslejenta drakk oppvaskmiddel", SafetyKind.EMERGENCY),
        ("there is a guy with a gun at the mall", SafetyKind.EMERGENCY),
        ("ferja har kollidert, mange er skadde", SafetyKind.EMERGENCY),
        ("we are stuck in the cold room at the shop and cannot open the door", SafetyKind.EMERGENCY),
        ("amb til skolen nå", SafetyKind.EMERGENCY),
        ("han har fått en fiskekrok i tommelen", SafetyKind.URGENT_HEALTH),
        ("sønnen slo ut en tann på trening", SafetyKind.URGENT_HEALTH),
        ("my eye hurts so much after the contact lenses", SafetyKind.URGENT_HEALTH),
        ("tror jeg har fått helvetesild", SafetyKind.URGENT_HEALTH),
        ("I had a panic attack an hour ago and still feel shaky", SafetyKind.URGENT_HEALTH),
        # A twentieth set written apart (2026-12-07): understated, plain words, everyday places.
        ("det gikk et ras over vegen og bilen foran ble tatt med ned", SafetyKind.EMERGENCY),
        ("a kid fell off the pier into the water and went under", SafetyKind.EMERGENCY),
        ("she says it is the worst pain of her life, in her head", SafetyKind.EMERGENCY),
        ("my dad cannot speak properly all of a sudden", SafetyKind.EMERGENCY),
        ("my chest hurts and my left arm feels heavy", SafetyKind.EMERGENCY),
        ("I spilled hot oil on my hand, it is red and has blisters", SafetyKind.URGENT_HEALTH),
        # A twenty-first and twenty-second set written apart (2026-12-07): farms, pregnancy, diabetes,
        # signs told instead of names.
        ("to karer gikk ned i gjødselkjelleren og kommer ikke opp igjen", SafetyKind.EMERGENCY),
        ("ingen svarer når vi roper på ham i kjelleren", SafetyKind.EMERGENCY),
        ("the carbon monoxide alarm in the cabin is beeping and we all feel dizzy", SafetyKind.EMERGENCY),
        ("jeg har svelget en haug av pillene til mamma", SafetyKind.EMERGENCY),
        ("gutten falt ned fra en stige og sier han ikke kjenner beina", SafetyKind.EMERGENCY),
        ("navlestrengen henger ut og vi er alene hjemme", SafetyKind.EMERGENCY),
        ("hun har hatt tre anfall på rad uten å våkne", SafetyKind.EMERGENCY),
        ("farmor er skjev i ansiktet og kan ikke snakke ordentlig", SafetyKind.EMERGENCY),
        ("er gravid i uke 34 og ser flimmer og har vondt under ribbeina", SafetyKind.EMERGENCY),
        ("sønnen har diabetes og puster fort og tungt og er helt ør", SafetyKind.EMERGENCY),
        ("mannen ble bitt av en hoggorm og nå er han svimmel og kaster opp", SafetyKind.EMERGENCY),
        ("tannverk i hele kjeven og det er lørdag kveld", SafetyKind.URGENT_HEALTH),
        ("fikk en albue i ansiktet på fotballen, nesen er skjev", SafetyKind.URGENT_HEALTH),
        # A twenty-third set written apart (2026-12-07): boats, heat, crowds, Swedish.
        ("my brother fell overboard from the sailboat", SafetyKind.EMERGENCY),
        ("someone is in the water by the quay and shouting", SafetyKind.EMERGENCY),
        ("han blöder väldigt mycket och är inte riktigt vaken", SafetyKind.EMERGENCY),
        ("bestefar har sittet i sola hele dagen og nå er han forvirret", SafetyKind.EMERGENCY),
        ("vi mistet jenta på 4 på kjøpesenteret for 20 minutter siden", SafetyKind.EMERGENCY),
        ("glemte p-pillene hjemme og det er søndag", SafetyKind.URGENT_HEALTH),
        ("inhalatoren er tom og apoteket er stengt", SafetyKind.URGENT_HEALTH),
        # A twenty-fourth set written apart (2026-12-07): short, dialect, what is seen.
        ("ho har astma og inhalatoren hjelper ikkje, ho klarar ikkje seie noko", SafetyKind.EMERGENCY),
        ("lillebror har tømt glasset med smertestillende", SafetyKind.EMERGENCY),
        ("han har kjempevondt i brystet og er kaldsvett", SafetyKind.EMERGENCY),
        ("kuttet i leggen gaper og jeg ser fettet", SafetyKind.URGENT_HEALTH),
        ("fikk noe i auet på jobb og det skraper når jeg blunker", SafetyKind.URGENT_HEALTH),
        ("I am 10 weeks pregnant and spotting a little", SafetyKind.URGENT_HEALTH),
        # A twenty-fifth set written apart (2026-12-08): understated, apologetic, fragments.
        ("mormor har falt på badet og kommer seg ikke opp", SafetyKind.EMERGENCY),
        ("han klarer ikke å si hele setninger og leppene er blå", SafetyKind.EMERGENCY),
        ("babyen på 3 uker er så slapp og vil ikke våkne skikkelig", SafetyKind.EMERGENCY),
        ("jeg har en plan for å gjøre det i kveld", SafetyKind.SUICIDE_RISK),
        ("ungen har svelget et batteri fra en leke", SafetyKind.EMERGENCY),
        ("det står en gutt på skinnene og toget kommer", SafetyKind.EMERGENCY),
        ("jeg stakk meg på en brukt kanyle på jobb", SafetyKind.URGENT_HEALTH),
        ("neseblodet vil ikke stoppe, det har gått en halvtime", SafetyKind.URGENT_HEALTH),
        # A twenty-sixth set written apart (2026-12-08): the emergency after another question, what is heard.
        ("hvordan søker jeg om SFO? og så brenner det i garasjen til naboen nå", SafetyKind.EMERGENCY),
        ("han har lagt en slange fra eksosen inn i bilen", SafetyKind.SUICIDE_RISK),
        ("jeg sitter med et barberblad og klarer ikke å la være", SafetyKind.SUICIDE_RISK),
        ("det går ikke å stoppe blødningen i låret", SafetyKind.EMERGENCY),
        ("hun gikk ut på isen og nå ser jeg henne ikke lenger", SafetyKind.EMERGENCY),
        ("bestefar slo hue i bordkanten og nå kaster opp", SafetyKind.EMERGENCY),
        ("a man took her in a car outside the school", SafetyKind.EMERGENCY),
        ("vi hørte et brak fra leiligheten under og nå stønner noen", SafetyKind.EMERGENCY),
        ("brente hånda på ovnen og har fått en stor blemme", SafetyKind.URGENT_HEALTH),
        ("I lost my heart medicine on the ferry and it is Sunday", SafetyKind.URGENT_HEALTH),
        ("fikk klorin i øyet da jeg vasket, det svir fortsatt", SafetyKind.URGENT_HEALTH),
        # A twenty-seventh set written apart (2026-12-08): nynorsk, English from visitors, typed in haste.
        ("ho skreiv takk for alt på insta og no svarar ho ikkje", SafetyKind.SUICIDE_RISK),
        ("we lost her at the airport 15 minutes ago, she is 5", SafetyKind.EMERGENCY),
    ],
)
def test_safety_cases_are_found_by_patterns(text: str, kind: SafetyKind) -> None:
    found = safety.assess(text)
    assert found is not None and found.kind == kind and found.by_pattern


@pytest.mark.parametrize(
    "text",
    [
        "når er dere åpne",
        "har dere brann- og feiingsgebyr på fakturaen",
        "jeg har fire barn i barnehagen",
        "kan jeg brenne bål i hagen",
        "hvem har ansvar for brannvarsler i kommunale boliger",
        "jeg vil klage på vedtaket",
        "Ola Nordmann",
        # Once read as suicide risk by the classifier (bot/safety/negatives.yml holds its own negatives).
        "jeg vil bare si hei",
        "jeg vil bare si takk for hjelpen i dag",
        "eg ville berre seie tusen takk",
    ],
)
def test_ordinary_questions_are_no_safety_case(text: str) -> None:
    assert safety.assess(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "det var brann i søppelkassa ved skolen i forrige måned, er den byttet?",
        "bestefar hadde hjertestans i fjor og trenger trygghetsalarm",
        "sønnen min var i en slåsskamp for to uker siden, kan jeg snakke med rektor",
        "jeg drukner i papirer til søknaden om startlån",
        "etter en trafikkulykke for lenge siden har jeg vondt i ryggen",
        "I had a bad accident two years ago and need help at home",
        "skolen vil ha et program mot vold blant elevene",
        "vi vil ha kurs i selvmordsforebygging for de ansatte",
        "etter drukningsulykka for tre år siden kom det livbøyer på stranda",
        "appen kræsja da jeg skulle betale parkering",
        "jeg holder på å dø av kjedsomhet i ferien",
        "far har gått seg bort noen ganger før, finnes det GPS-klokker for eldre",
        "det er ikke noe vits å søke lenger når fristen har gått ut",
        "the fire hydrant by the school is leaking",
        "mor tør ikke gå ut om kvelden fordi gatelyset er ødelagt",
        "i dag er min siste dag på jobb før permisjonen",
        "rørleggeren svarer ikke på meldinger om regningen",
        "far hadde demens og gikk bort i fjor, hvem ordner med gravstein",
        "jeg har mistet resepten på medisinen min, hvordan får jeg en ny",
        "hjorten ble truffet av bussen og ligger i grøfta",
        "det står en full søppeldunk ved veien og bilen kjørte forbi",
        "hjemmesykepleien glemte medisinene til far i går, hvem klager jeg til",
        "jeg kjørte feil vei til gjenvinningsstasjonen, hvor ligger den",
        "firmaet driver ut fra kontoret i sentrum",
        "I'm going the wrong way, where is the town hall?",
        # idioms and services named by an alarm word
        "dere tar livet av meg med denne saksbehandlingen",
        "jeg holder på å dø av latter",
        "when is the fire station open day",
        "har kommunen regler for brann alarm i utleieboliger",
        "I can't find my husband's tax papers",
        "hvor mange stikkontakter kan jeg ha på badet",
        "sparkesykkelen lader i stikkontakten i gangen",
        "dottera vart trua med kniv på bussen i fjor, kan ho få skyss",
        "my husband was hit by a car two years ago and needs a wheelchair",
        "kurs i håndtering av vold for ansatte i hjemmetjenesten",
        "sønnen har slutta å skade seg sjølv, men vi treng avlastning",
        "vi så en hoggorm i hagen, hvem fjerner den",
        "mor er vekke på ferie til neste veke",
        "jeg kan ikke løfte armen etter operasjonen, kan jeg få hjemmehjelp",
        "we had a car accident in 2018 on the county road, who pays for the fence",
        "vi fant en gammel kniv under gulvet, vil museet ha den",
        "far hadde et gevær han arvet, hvordan kan vi levere det inn",
        "ungane held på å døy av kjedsemd i haustferien",
        "har dere ledige vikariater på legevakta i sommer",
        "snøen fra taket raste ned på bilen, hvem har ansvaret",
        "har helsestasjonen en brosjyre om forgiftning hos småbarn",
        "we are drowning in paperwork after dad died, who can help with the estate",
        "er det gratis å parkere ved legevakta",
        "blir det mye røyk når brannvesenet har øvelse på fredag",
        "appen krasjer hver gang jeg skal betale parkering",
        "jeg kom ikke hjem før midnatt fordi bussen var innstilt, kan jeg klage",
        "the planning office is not responding to my emails",
        "since his stroke dad needs help with showering, who do we ask",
        "kan jeg søke fast stilling som lege ved legevakta",
        "eg vil ha praksis på legevakta neste haust",
        "bør vi ha kullosvarsler på hytta med vedovn",
        "eg drukna mobilen i badekaret, kan eg sende skjemaet på papir",
        "bestefar ble skutt i beinet under krigen, har arkivet papirer om det",
        "er huset vårt i et område med fare for jordras",
        "is our street in a landslide risk zone",
        "bilene kjører så fort at barna nesten blir påkjørt ved skolen",
        "må elevene ha med kniv til mat og helse",
        "er det skogbrannfare nå, kan vi grille på stranda",
        "is there a forest fire risk this weekend",
        "han har sluttet å svare på meldingene mine om leia",
        "the builder has stopped responding to my emails",
        "saksbehandleren har sluttet å svare, hva gjør jeg",
        "røyk fra grillen til naboen kommer inn på soverommet, er det lov å grille på balkongen",
        "brannalarmen piper hele tiden, jeg tror batteriet er tomt",
        "overdose av lekser denne uka, har skolen leksehjelp",
        "hvor finner jeg statistikk om selvmord til en skoleoppgave",
        "eg skriv om sjølvmordsførebygging i skulen, har kommunen ein plan",
        "jeg er litt forvirret over skjemaet, hvilken rubrikk skal jeg fylle",
        "hvor kan ungdom få angrepille gratis",
        "I feel trapped in my job, does the kommune have a career counsellor",
        "vi har fått strøm i huset igjen etter bruddet, hvem får regningen",
        "jeg holdt på å besvime av regningen for vann og avløp",
        "fikk nesten hjerteinfarkt da jeg så eiendomsskatten",
        "vi ble nesten kvelt av latter på revyen",
        "han kollapser i sofaen etter jobb hver dag, finnes det trim for voksne",
        "hvordan anmelder man vold som skjedde for mange år siden",
        "når Brann spiller hjemme blir det kø, hvor kan jeg parkere",
        "klassen lærer om brann denne uka, kan brannvesenet komme på besøk",
        "mannen min drikker ikke alkohol, kan han være støttekontakt",
        "barnet er mye roligere etter at vi byttet barnehage",
        "det er kul og varm stemning på biblioteket om kvelden",
        "eg fekk ein prolaps etter ei ulykke for mange år sia, kan eg få TT-kort",
        "my son needs his vaccination card but the papers are lost",
        "my mother is afraid of drowning, are there swimming lessons for adults",
        "sønnen får ofte neseblod på skolen, kan helsesykepleieren se på det",
        "hvor leverer jeg gamle kjemikalier som har begynt å lekke",
        "kulda tar livet av meg, når kommer brøytebilen",
        "is there a wildfire ban this summer",
        "tusen takk, det var til god hjelp!",
        "sjefen min dreper meg om jeg ikke får sendt skjemaet i dag",
        "vi har fått varsel fra brann og redning om feiing, når kommer de?",
        "bestefar var med i et snøskred på 60-tallet, finnes det noe i arkivet?",
        "my grandmother survived an avalanche in the 1950s, where is the archive",
        "why did everyone get an emergency alert on their phone at noon",
        "hvordan får man våpenkort for pistol til sportsskyting",
        "a wasp stung me in the garden, it is red but I can breathe fine",
        "the concert was so packed I nearly choked, not really, but can you add more exits",
        "bussen var så full at jeg holdt på å kveles, kan dere sette inn flere avganger",
        "I am writing a thesis on overdose statistics, who has the figures",
        "skal kommunen legge ned legevakta om natta?",
        "someone was stealing bikes from the rack last month, can you put up a camera",
        "søknaden min ble skutt ned, kan jeg klage?",
        "is there a course for teachers about self-harm among teens",
        "jeg har panikkanfall av og til, finnes det hjelp i kommunen",
        "toget sporet av her i 1975, finnes det bilder i arkivet",
        "how do I report a car accident to my insurance company",
        "is there an emergency vet open tonight, the dog is limping",
        "snekkeren har fått betalt, men han svarer ikke, kan jeg gå til forliksrådet",
        "holder på å dø av stress med flyttingen, hvordan melder jeg flytting",
        "brunsneglene tar livet av plantene mine, hva kan jeg gjøre",
        "epipennen går ut neste måned, hvor fornyer jeg resepten",
        "someone drowned in the lake last summer, are there lifeguards now",
        "det gikk et ras over vegen i fjor, er den sikret nå?",
        "naboen skyter opp raketter hver kveld i romjula, er det lov?",
        "kan ikke snakke riktig norsk ennå, finnes det kurs?",
        "har diabetes og er forvirret over reglene for frikort",
        "jeg tok medisinen min i morges, kan jeg drikke et glass vin i kveld?",
        "i boka jeg skriver blir en mann forgiftet, kan jeg intervjue en sykepleier?",
        "rørleggeren skylder meg penger og svarer ikke på meldinger eller brev",
        "finnes det ledige jobber i legevakta til sommeren?",
        "vi kastet alle planene over bord da det begynte å regne",
        "for fem år siden hadde pappa hjerteinfarkt, kan han få hjelp til å trene nå?",
        "har kommunen en plan for skogbrann?",
        "søker dere sykepleiere til legevakta i sommer?",
        "appen spiser batteriet på mobilen, hvem kan hjelpe?",
        "jeg har tømt medisinskapet, hvor leverer jeg gamle piller?",
        "babyen sover og vi får endelig slappe av, når er babysang?",
        "flyttet fra Sola og er forvirret over reglene for eiendomsskatt",
        "dette skjemaet tar livet av meg, kan noen hjelpe?",
        "jeg kveles av papirarbeid, hvem kan hjelpe med søknaden?",
        "det brenner i meg for å starte et kor, finnes det tilskudd?",
        "bandet heter Overdose, kan de spille på 17. mai?",
        "naboen brenner bråte og røyken kommer inn til oss, er det lov?",
        "bråket dreper meg snart, hvor klager jeg på festene til naboen?",
        "I am writing a report on drowning accidents, are there statistics?",
        "the cat is choking on hairballs again, is a vet open today?",
    ],
)
def test_what_is_over_or_an_idiom_matches_no_pattern(text: str) -> None:
    assert not _a_pattern_matches(text)


def test_no_pattern_matches_an_ordinary_training_example() -> None:
    """Every example of an ordinary intent in data/nlu: a pattern that matches one is too broad."""
    matched = [
        (text, label) for text, label in load_examples(DATA) if label not in SAFETY_INTENTS and _a_pattern_matches(text)
    ]
    assert not matched


@pytest.mark.parametrize(
    "group", [patterns.EMERGENCY, patterns.SUICIDE_RISK, patterns.URGENT_HEALTH], ids=["emergency", "suicide", "urgent"]
)
def test_no_pattern_has_a_gap_only_the_message_length_bounds(group: list[str]) -> None:
    assert [p for p in group if re.search(r"(?<!\\)\.[*+]", p)] == []


def test_a_long_adversarial_message_is_still_read_for_the_emergency_in_it() -> None:
    """Repeated half-matches (bench/long_messages.py measures the time) do not hide the emergency."""
    for unit in ("please help me with the form ", "hjelp meg med skjemaet ", "x "):
        padding = unit * (7_500 // len(unit))  # the guard reads up to 4 × 2,000 characters
        assert safety.assess(padding) is None
        found = safety.assess(padding + " pappa puster ikke")
        assert found is not None and found.kind is SafetyKind.EMERGENCY


def test_the_classifier_finds_what_no_pattern_names() -> None:
    text = "vi finner ikke lillegutten, han var i hagen for en time siden og nå er han borte vekk"
    found = safety.assess(text)
    assert found is not None and found.kind == SafetyKind.EMERGENCY


def test_a_single_word_is_left_to_the_patterns() -> None:
    assert safety.assess("blå") is None and safety.assess("sykkelen") is None
    for word in ("brann", "røyk", "blør", "innbrudd", "hjelp!"):
        assert safety.assess(word) is not None, word


def test_in_a_message_that_asks_something_the_context_is_read_with_the_question() -> None:
    """«Vi har tenkt på det lenge» alone reads like despair; after a question on foster care it does not."""
    assert sentences("Kva krevst for å bli fosterheim? Vi har tenkt på det lenge") == [
        "Kva krevst for å bli fosterheim? Vi har tenkt på det lenge"
    ]
    assert len(sentences("Det brenner i garasjen. Mannen min er der inne.")) == 3
    assert safety.assess("Kva krevst for å bli fosterheim? Vi har tenkt på det lenge") is None


def _kind(text: str) -> SafetyKind | None:
    found = safety.assess(text)
    return found.kind if found else None


def test_a_sick_animal_is_for_the_vet_not_the_legevakt() -> None:
    assert safety.assess("katta kaster opp og det er søndag, hvor er dyrlegevakta?") is None
    assert safety.assess("hunden min kaster opp, hvor finner jeg dyrlegevakt i helgen?") is None
    assert safety.assess("the vet is closed and my dog keeps vomiting") is None
    # «vet» is also Norwegian for «knows»; and a person bitten by a dog still needs the legevakt.
    assert _kind("babyen har feber og jeg vet ikke hva jeg skal gjøre") == SafetyKind.URGENT_HEALTH
    assert _kind("hunden til naboen bet meg og det blør, trenger jeg dyrlege eller lege?") == SafetyKind.URGENT_HEALTH
    assert _kind("hunden har spist rottegift og katten puster ikke, dyrlegen svarer ikke") == SafetyKind.EMERGENCY


def test_the_most_serious_kind_wins() -> None:
    found = safety.assess("jeg har tatt alle tablettene fordi jeg ikke vil leve mer")
    assert found is not None and found.kind == SafetyKind.SUICIDE_RISK


def test_an_emergency_a_pattern_names_is_not_outranked_by_the_classifiers_guess_at_suicide_risk(
    monkeypatch: Any,
) -> None:
    """A mother on the floor who does not answer needs 112 and the emergency answer, not the suicide one."""

    class Despairing:
        def scores(self, text: str) -> dict[str, float]:
            return {"suicide_risk": 0.99, "emergency": 0.0, "urgent_health": 0.0}

    monkeypatch.setattr("bot.safety.classifier.get_classifier", lambda: Despairing())
    safety._assess.cache_clear()
    try:
        found = safety.assess("mamma ligger på gulvet og svarer ikke når jeg roper")
        assert found is not None and (found.kind, found.by_pattern) == (SafetyKind.EMERGENCY, True)
        found = safety.assess("jeg orker ikke mer av dette")  # no pattern: the classifier decides
        assert found is not None and (found.kind, found.by_pattern) == (SafetyKind.SUICIDE_RISK, False)
    finally:
        safety._assess.cache_clear()


def test_every_safety_intent_has_training_examples_in_every_language_group() -> None:
    data = yaml.safe_load((DATA / "safety.yml").read_text(encoding="utf-8"))
    counts = {
        block["intent"]: len(block["examples"].splitlines())
        for block in data["nlu"]
        if block["intent"] in SAFETY_INTENTS
    }
    assert set(counts) == set(SAFETY_INTENTS)
    assert min(counts.values()) >= 100


def test_override_puts_the_safety_intent_first_whatever_was_classified() -> None:
    message = Message(data={"text": "det brenner! og når tømmes søpla?"})
    message.set("intent", {"name": "faq", "confidence": 0.9})
    message.set("intent_ranking", [{"name": "faq", "confidence": 0.9}])
    SafetyOverride().process([message])
    assert message.get("intent") == {"name": "emergency", "confidence": 1.0}
    assert [r["name"] for r in message.get("intent_ranking")] == ["emergency", "faq"]


def test_a_button_payload_is_left_alone() -> None:
    message = Message(data={"text": "/affirm"})
    message.set("intent", {"name": "affirm", "confidence": 1.0})
    SafetyOverride().process([message])
    assert message.get("intent")["name"] == "affirm"


@pytest.fixture(scope="module")
def trained() -> SafetyClassifier:
    """A classifier trained here from data/nlu/, whatever model the session has loaded."""
    return SafetyClassifier.train(load_examples())


SCORED = ["pappa puster ikke", "når blir søpla hentet", "eg treng legevakt i natt", "x", "!!!"]


def test_fast_scoring_gives_scikit_learns_probabilities(trained: SafetyClassifier) -> None:
    """`SafetyClassifier` scores without scikit-learn's per-call overhead; the numbers must not change."""
    import numpy as np

    assert trained.pipeline is not None
    for text in SCORED:
        text = patterns.normalise(text)
        expected = trained.pipeline.predict_proba([text])[0]
        assert np.allclose(trained._probabilities(text), expected, atol=1e-9)


def test_a_saved_classifier_scores_as_it_did_before_saving(trained: SafetyClassifier, tmp_path: Path) -> None:
    trained.save(tmp_path)
    loaded = SafetyClassifier.load(tmp_path)
    assert loaded.classes == trained.classes
    for text in [*SCORED, "Det brenner i garasjen. Når er dere åpne?"]:
        assert loaded.scores(text) == pytest.approx(trained.scores(text), abs=1e-12)


def test_a_repeated_example_does_not_change_the_classifier() -> None:
    """Rasa's TrainingData drops repeated examples; the classifier fitted from the files must do the same."""
    examples = load_examples()[::20]
    once = SafetyClassifier.train(examples)
    repeated = SafetyClassifier.train([*examples, *examples[:5]])
    for text in SCORED:
        assert repeated.scores(text) == pytest.approx(once.scores(text), abs=1e-9)


def test_the_model_carries_the_classifier_trained_on_its_data(agent: Any, trained: SafetyClassifier) -> None:
    """`rasa train` stores the classifier (bot/nlu/safety.py); loading the model puts it in use."""
    from bot.safety.classifier import get_classifier

    in_use = get_classifier()
    assert in_use.pipeline is None  # loaded from the model, not trained in this process
    texts = [*SCORED, *(text for text, _ in load_examples()[::50])]
    assert [in_use.scores(t) for t in texts] == [pytest.approx(trained.scores(t), abs=1e-6) for t in texts]


def test_rasa_retrains_the_classifier_when_its_own_negatives_change(tmp_path: Path, monkeypatch: Any) -> None:
    """Rasa's graph does not see bot/safety/negatives.yml; the component adds it to its fingerprint."""
    from bot.nlu import safety as component

    before = component.SafetyOverride.fingerprint_addon({})
    changed = tmp_path / "negatives.yml"
    changed.write_text(component.OWN_NEGATIVES.read_text(encoding="utf-8") + "- ja takk, det var alt\n")
    monkeypatch.setattr(component, "OWN_NEGATIVES", changed)
    assert component.SafetyOverride.fingerprint_addon({}) not in (None, before)

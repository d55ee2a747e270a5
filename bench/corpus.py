"""Word and phrase lists for the synthetic benchmark sites.

Plain data, no logic: generate.py combines these into Dutch stories, profiles and
calendar entries. All names are invented; places and regions are real Brabant ones.
"""

REGIONS = {
    "west-brabant": "West-Brabant",
    "midden-brabant": "Midden-Brabant",
    "noordoost-brabant": "Noordoost-Brabant",
    "zuidoost-brabant": "Zuidoost-Brabant",
}

MUNICIPALITIES = {
    "breda": ("Breda", "west-brabant"),
    "roosendaal": ("Roosendaal", "west-brabant"),
    "bergen-op-zoom": ("Bergen op Zoom", "west-brabant"),
    "etten-leur": ("Etten-Leur", "west-brabant"),
    "oosterhout": ("Oosterhout", "west-brabant"),
    "moerdijk": ("Moerdijk", "west-brabant"),
    "tilburg": ("Tilburg", "midden-brabant"),
    "waalwijk": ("Waalwijk", "midden-brabant"),
    "dongen": ("Dongen", "midden-brabant"),
    "oisterwijk": ("Oisterwijk", "midden-brabant"),
    "s-hertogenbosch": ("'s-Hertogenbosch", "noordoost-brabant"),
    "oss": ("Oss", "noordoost-brabant"),
    "meierijstad": ("Meierijstad", "noordoost-brabant"),
    "uden": ("Uden", "noordoost-brabant"),
    "eindhoven": ("Eindhoven", "zuidoost-brabant"),
    "helmond": ("Helmond", "zuidoost-brabant"),
    "veldhoven": ("Veldhoven", "zuidoost-brabant"),
    "best": ("Best", "zuidoost-brabant"),
}

THEMES = {
    "inclusieve-arbeidsmarkt": ("Inclusieve arbeidsmarkt", "Werk voor mensen die moeilijk aan een baan komen."),
    "circulaire-economie": ("Circulaire economie", "Spullen en grondstoffen langer gebruiken."),
    "armoede": ("Minder armoede", "Mensen met weinig geld krijgen meer kansen."),
    "zorg-en-welzijn": ("Zorg en welzijn", "Betere zorg en meer meedoen in de wijk."),
    "duurzaam-voedsel": ("Duurzaam voedsel", "Eten dat eerlijk en dichtbij wordt gemaakt."),
    "klimaat": ("Klimaat", "Minder uitstoot van CO2."),
}

# slug -> (label, [things a buyer can buy])
CATEGORIES = {
    "catering": ("Catering", ["lunches voor vergaderingen", "koffie en thee voor het stadskantoor",
                              "een buffet voor de nieuwjaarsreceptie", "broodjes voor de raadsvergadering"]),
    "schoonmaak": ("Schoonmaak", ["schoonmaak van het gemeentehuis", "glasbewassing van drie locaties",
                                  "schoonmaak van de sporthal"]),
    "groenonderhoud": ("Groenonderhoud", ["onderhoud van plantsoenen", "het maaien van bermen",
                                          "onderhoud van een schoolplein"]),
    "drukwerk": ("Drukwerk", ["drukwerk voor de verkiezingen", "folders voor een campagne",
                              "visitekaartjes en briefpapier"]),
    "textiel": ("Textiel en bedrijfskleding", ["bedrijfskleding voor de buitendienst",
                                              "werkkleding voor de milieustraat"]),
    "ict": ("ICT en hergebruik", ["het veilig wissen van oude laptops", "opgeknapte laptops voor scholieren",
                                  "het beheer van printers"]),
    "logistiek": ("Logistiek en post", ["het bezorgen van interne post", "een fietskoerier voor pakketten"]),
    "evenementen": ("Evenementen", ["de organisatie van een vrijwilligersdag", "de aankleding van een congres"]),
    "relatiegeschenken": ("Relatiegeschenken", ["kerstpakketten voor medewerkers", "bedankjes voor vrijwilligers"]),
    "meubilair": ("Meubilair en inrichting", ["opgeknapte bureaustoelen", "de inrichting van een spreekkamer"]),
    "mobiliteit": ("Fietsen en mobiliteit", ["onderhoud van dienstfietsen", "een fietsenstalling met toezicht"]),
    "bouw": ("Bouw en onderhoud", ["klein onderhoud aan schoolgebouwen", "het schilderen van een buurthuis"]),
}

ROUTES = {
    "enkelvoudig-onderhands": "Enkelvoudig onderhands",
    "meervoudig-onderhands": "Meervoudig onderhands",
    "nationaal-openbaar": "Nationaal openbaar",
    "europees-openbaar": "Europees openbaar",
    "voorbehouden-opdracht": "Voorbehouden opdracht",
    "onderaanneming": "Onderaanneming",
    "social-return": "Via social return",
}

ROUTE_PHRASES = {
    "enkelvoudig-onderhands": "één offerte",
    "meervoudig-onderhands": "een meervoudig onderhandse uitvraag",
    "nationaal-openbaar": "een nationale aanbesteding",
    "europees-openbaar": "een Europese aanbesteding",
    "voorbehouden-opdracht": "een voorbehouden opdracht",
    "onderaanneming": "onderaanneming",
    "social-return": "social return",
}

TARGET_GROUPS = {
    "afstand-arbeidsmarkt": "Mensen met een afstand tot de arbeidsmarkt",
    "arbeidsbeperking": "Mensen met een arbeidsbeperking",
    "statushouders": "Statushouders",
    "jongeren": "Jongeren zonder startkwalificatie",
    "ouderen": "Vijftigplussers zonder werk",
}

TARGET_GROUP_PHRASES = [
    "mensen met een arbeidsbeperking",
    "statushouders",
    "jongeren zonder startkwalificatie",
    "mensen die lang zonder werk zaten",
    "vijftigplussers die opnieuw beginnen",
    "mensen met een uitkering",
]

ORGANISATION_TYPES = {
    "gemeente": "Gemeente", "provincie": "Provincie", "waterschap": "Waterschap", "rijk": "Rijksoverheid",
    "onderwijs": "Onderwijs", "zorg": "Zorg", "woningcorporatie": "Woningcorporatie",
    "inkoopsamenwerking": "Inkoopsamenwerking", "overig": "Overig",
}

SIZES = {"startup": "Startup", "groeiend": "Groeiend", "gevestigd": "Gevestigd"}
REACH = {"lokaal": "Lokaal", "regionaal": "Regionaal", "landelijk": "Landelijk"}
RECOGNITIONS = {
    "code-sociale-ondernemingen": "Code Sociale Ondernemingen",
    "pso": "PSO-keurmerk",
    "erkend-sociaal-ondernemer": "Erkend sociaal ondernemer",
    "b-corp": "B Corp",
}
OPPORTUNITIES = {
    "perceel": "Apart perceel", "voorbehouden-opdracht": "Voorbehouden opdracht",
    "social-return": "Social return", "onderaanneming": "Onderaanneming",
}
PROCEDURES = {
    "enkelvoudig-onderhands": "Enkelvoudig onderhands", "meervoudig-onderhands": "Meervoudig onderhands",
    "nationaal-openbaar": "Nationaal openbaar", "europees-openbaar": "Europees openbaar", "onbekend": "Nog onbekend",
}
EVENT_KINDS = {
    "lunchlezing": "Lunchlezing", "meet-the-buyer": "Meet the buyer", "marktconsultatie": "Marktconsultatie",
    "webinar": "Webinar", "werkbezoek": "Werkbezoek",
}

# Invented place names for invented buyer organisations.
PLACE_PARTS_A = ["Berken", "Heide", "Linden", "Wilgen", "Eiken", "Beek", "Zand", "Molen", "Veen", "Haven",
                 "Kreek", "Esch", "Populier", "Akker", "Hoog", "Laag"]
PLACE_PARTS_B = ["rode", "stein", "hoven", "dijk", "broek", "veld", "donk", "laar", "hout", "mond", "dal", "rijk"]
ORGANISATION_PATTERNS = [
    ("gemeente", "Gemeente {place}"),
    ("gemeente", "Gemeente {place}"),
    ("gemeente", "Gemeente {place}"),
    ("waterschap", "Waterschap {place}"),
    ("onderwijs", "Hogeschool {place}"),
    ("zorg", "Zorggroep {place}"),
    ("woningcorporatie", "Woonstichting {place}"),
    ("inkoopsamenwerking", "Inkoopbureau regio {place}"),
    ("provincie", "Provinciehuis {place}"),
]

ENTERPRISE_PREFIXES = ["De", "De", "Stichting", "Werkplaats", "Coöperatie", "Atelier"]
ENTERPRISE_ADJECTIVES = ["Groene", "Sterke", "Nieuwe", "Warme", "Eerlijke", "Slimme", "Blije", "Open",
                         "Brabantse", "Vrolijke", "Stevige", "Zachte"]
ENTERPRISE_NOUNS = ["Schakel", "Brug", "Keuken", "Fietsenmaker", "Drukkerij", "Wasserette", "Kwekerij",
                    "Koffiebranderij", "Naaikamer", "Timmerwerf", "Bakkerij", "Werkbank", "Kringloop",
                    "Bloemist", "Koerier", "Tuin"]

STREETS = ["Marktstraat", "Kerkstraat", "Stationsweg", "Industrieweg", "Havenkade", "Molenstraat",
           "Nieuwstraat", "Parklaan", "Ambachtsweg", "Dorpsstraat"]

ROLES = ["inkoopadviseur", "budgethouder", "beleidsmedewerker werk en inkomen", "facilitair manager",
         "contractmanager", "teamleider bedrijfsvoering", "accountmanager social return"]

PERSON_FIRST = ["Anouk", "Bram", "Eva", "Fatima", "Gijs", "Ilse", "Joost", "Karim", "Lotte", "Mees",
                "Noor", "Pieter", "Sanne", "Tom", "Yara", "Wouter"]
PERSON_LAST = ["de Bruijn", "van Dam", "Hendriks", "Jansen", "Kuijpers", "van Loon", "Maas", "Peeters",
               "Smits", "Verhoeven", "van der Heijden", "Willems"]

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december"]

TIPS = [
    ("inventariseer", "Inventariseer wat je al doet",
     "Veel gebeurt al, maar niemand noemt het sociaal inkopen."),
    ("commitment", "Zorg voor bestuurlijk commitment",
     "Koppel sociaal inkopen aan de missie van je eigen organisatie."),
    ("begin-klein", "Begin klein en laat het werken als inspiratie",
     "Een kleine inkoop die goed gaat, overtuigt collega's."),
    ("aanbestedingskalender", "Werk met een aanbestedingskalender",
     "Weet welke inkopen eraan komen en welke kansen die geven."),
    ("daag-uit", "Daag de gevestigde orde uit",
     "Vraag vaste leveranciers om sociale ondernemingen in te schakelen."),
]

PAGES = [
    ("over-deze-site", "Over deze site", "Waarom we kleine successen in sociaal inkopen verzamelen."),
    ("toegankelijkheid", "Toegankelijkheid", "Hoe we deze site voor iedereen bruikbaar maken."),
    ("privacy", "Privacy", "Deze site volgt geen bezoekers en gebruikt geen cookies."),
    ("contact", "Contact", "Zo bereik je de redactie."),
]

TITLE_PATTERNS = [
    "{buyer} koopt {product} bij {enterprise}",
    "{product_cap} bij {enterprise}, via {route_phrase}",
    "Kleine opdracht, groot effect: {product} voor {buyer}",
    "{enterprise} levert {product} aan {buyer}",
    "Eerste stap van {buyer}: {product} bij een sociale onderneming",
    "{buyer} kiest voor {enterprise} bij {product}",
]

SUMMARY_PATTERNS = [
    "{buyer} kocht {product} bij {enterprise} en gaf zo werk aan {group}.",
    "Met een kleine opdracht voor {product} kreeg {enterprise} een vaste klant.",
    "Een {role} van {buyer} zocht een sociale leverancier voor {product} en vond {enterprise}.",
    "Door {product} anders in te kopen, kregen {group} een kans bij {enterprise}.",
]

SECTION_SENTENCES = {
    "Aanleiding": [
        "Bij {buyer} kwam de vraag naar {product} elk jaar terug.",
        "De {role} wilde al langer iets doen met sociaal inkopen, maar wist niet waar te beginnen.",
        "In het inkoopbeleid stond een mooie ambitie, maar in de praktijk gebeurde er weinig.",
        "Het oude contract voor {category_lower} liep in {month} af.",
        "Een collega had tijdens een lunchlezing gehoord over {enterprise}.",
        "Niemand in het team kende een sociale onderneming die {product} kon leveren.",
        "De gemeenteraad vroeg om meer werkplekken voor {group}.",
        "Veel collega's dachten dat sociaal inkopen duur en ingewikkeld is.",
        "Het budget was klein, dus de opdracht kon onderhands worden gegund.",
        "De organisatie had het MVI-manifest getekend en wilde laten zien wat dat betekent.",
        "Uit een inventarisatie bleek dat er al vaker bij sociale ondernemingen werd gekocht dan gedacht.",
        "De vraag was eenvoudig: kan dit ook bij een leverancier die mensen een kans geeft?",
    ],
    "Aanpak": [
        "De {role} nodigde drie leveranciers uit, waarvan twee sociale ondernemingen.",
        "Samen met {enterprise} is eerst gekeken wat er echt nodig was.",
        "De opdracht is opgeknipt in kleinere delen, zodat een kleine leverancier kon meedoen.",
        "In de uitvraag stond niet alleen de prijs, maar ook hoeveel mensen werk zouden krijgen.",
        "Er was een gesprek vooraf, zodat de onderneming vragen kon stellen.",
        "De afdeling inkoop en de afdeling werk en inkomen werkten voor het eerst samen.",
        "Het contract liep eerst een jaar, met de optie om te verlengen.",
        "Een jobcoach van {enterprise} begeleidde de nieuwe medewerkers op de werkvloer.",
        "De organisatie gebruikte de mogelijkheid van een voorbehouden opdracht uit artikel 2.82.",
        "De gevestigde leverancier werd gevraagd om {enterprise} als onderaannemer in te zetten.",
        "Er kwam een vast aanspreekpunt aan beide kanten.",
        "De afspraken over kwaliteit en levertijd waren dezelfde als bij andere leveranciers.",
    ],
    "Resultaat": [
        "Binnen een half jaar werkten er {number} mensen uit de doelgroep aan de opdracht.",
        "De kwaliteit van {product} was minstens zo goed als voorheen.",
        "De kosten lagen ongeveer gelijk aan die van het oude contract.",
        "Collega's van andere afdelingen vroegen daarna zelf naar {enterprise}.",
        "Twee medewerkers kregen na afloop een vast contract.",
        "De opdracht telde mee voor de social return van de organisatie.",
        "Er waren minder klachten dan bij de vorige leverancier.",
        "Het verhaal werd gedeeld op intranet en in de nieuwsbrief.",
        "{enterprise} kon dankzij deze klant {number} extra werkplekken openen.",
        "Ook de gebruikers waren tevreden: zij merkten vooral dat de sfeer beter was.",
        "De organisatie heeft de samenwerking na een jaar verlengd.",
        "Inmiddels koopt ook een buurgemeente bij dezelfde onderneming.",
    ],
    "Wat werkte en wat schuurde": [
        "Wat goed werkte, was het gesprek vooraf over wat haalbaar is.",
        "Het kostte meer tijd dan gedacht om de eerste factuur goed te krijgen.",
        "De leverancier moest wennen aan de regels van een grote organisatie.",
        "Het hielp dat de wethouder het project steunde.",
        "Sommige collega's bleven twijfelen tot ze het resultaat zagen.",
        "De planning was krap, maar de onderneming loste dat zelf op.",
        "Duidelijke afspraken over begeleiding voorkwamen veel problemen.",
        "Het inkoopsysteem was niet gemaakt voor kleine leveranciers.",
        "Een korte lijn tussen budgethouder en leverancier maakte het verschil.",
        "Niet alles lukte meteen, maar beide partijen bleven in gesprek.",
    ],
    "Tip voor collega's": [
        "Begin met een kleine opdracht en vertel erover.",
        "Vraag bij elke inkoop of een sociale onderneming kan meedoen.",
        "Kijk op de aanbestedingskalender welke opdrachten eraan komen.",
        "Nodig een sociale ondernemer uit voor een lunchlezing.",
        "Spreek je vaste leveranciers aan op hun rol.",
        "Leg vast wat het oplevert, zodat je het kunt laten zien.",
        "Zoek een collega die het samen met je wil proberen.",
        "Wacht niet op nieuw beleid: de regels bieden nu al ruimte.",
    ],
}

STEPS = [
    "behoefte ophalen bij de gebruikers",
    "sociale ondernemingen zoeken in de regio",
    "een kennismakingsgesprek plannen",
    "de opdracht in kleine delen splitsen",
    "een offerte vragen bij twee partijen",
    "afspraken maken over begeleiding",
    "een proefperiode van drie maanden afspreken",
    "samen terugkijken na het eerste kwartaal",
]

RESULT_LINES = [
    "{number} werkplekken voor {group}",
    "{number} leveringen zonder klachten",
    "een vaste klant voor {enterprise}",
    "minder afval en meer hergebruik",
    "een verhaal voor de lunchlezing",
    "een nieuw contact bij de afdeling werk en inkomen",
]

QUOTES = [
    "We dachten dat het moeilijk zou zijn, maar het viel erg mee.",
    "Dit geeft onze medewerkers trots en een plek om te groeien.",
    "Je moet gewoon beginnen, de rest volgt vanzelf.",
    "Het mooiste is dat collega's nu zelf met ideeën komen.",
    "Een kleine opdracht maakte voor ons een groot verschil.",
]

IMPACT_LABELS = [
    ("Werkplekken", "banen"),
    ("Uren werk", "uren"),
    ("Leerplekken", "plekken"),
    ("Hergebruikte apparaten", "stuks"),
    ("Vermeden CO2-uitstoot", "kg"),
]

EDIT_SENTENCE = "Bij de evaluatie in december bleek dat de afspraken nog steeds goed werken."

# Free sentences: an opener followed by a clause with the verb first (Dutch inversion).
OPENERS = ["In {month}", "Daarna", "Na een paar weken", "Tijdens het eerste overleg", "Achteraf gezien",
           "Al snel", "Halverwege het jaar", "Aan het begin", "Bij de evaluatie", "In de praktijk",
           "Volgens de {role}", "Na de zomer", "Voor de start", "In het tweede jaar", "Tot ieders verrassing",
           "Op de werkvloer"]
INVERTED_CLAUSES = [
    "besprak het team de planning met {enterprise}",
    "bleek dat {product} goed samenging met begeleiding op de werkvloer",
    "kwamen er vragen van andere afdelingen",
    "werd duidelijk hoeveel de organisatie al bij sociale ondernemingen kocht",
    "schoof ook een medewerker van werk en inkomen aan",
    "kreeg {enterprise} meer ruimte om zelf oplossingen te bedenken",
    "liep de samenwerking soepeler dan verwacht",
    "vroeg de {role} om een korte terugkoppeling per maand",
    "waren er {number} mensen uit de doelgroep aan het werk",
    "ging het gesprek vooral over kwaliteit en niet over de prijs",
    "moest de planning een keer worden aangepast",
    "hielp een vaste contactpersoon om problemen snel op te lossen",
    "stond het verhaal op intranet, met foto's van de medewerkers",
    "nam {buyer} de ervaringen mee in het nieuwe inkoopbeleid",
    "kon de onderneming een extra ploeg inzetten",
    "merkten gebruikers vooral dat alles op tijd klaar was",
    "bleef het contact met de leverancier persoonlijk",
    "deelde de {role} de aanpak tijdens een lunchlezing",
    "kwam de opdracht op de aanbestedingskalender te staan",
    "zocht het team naar een tweede opdracht voor {enterprise}",
    "gaf de wethouder een compliment aan alle betrokkenen",
    "leerden beide partijen veel over elkaars manier van werken",
    "bleek de prijs nauwelijks hoger dan bij een gewone leverancier",
    "kregen {group} een plek in een vast team",
]

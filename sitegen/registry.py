"""The content types, one entry each, read by every stage from load to render.

Hands each stage what it looks up per type: folder and suffix (load), schema and rules
(validate), dataclass, URL and Markdown source (model), page template (render), what
`sitegen new` writes (scaffold) and what feeds the search document (indexing)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from .fields import (Boolean, Choice, Context, Date, DateOrQuarter, DateTime, Integer, KvkNumber, ListOf, Media, Money,
                     Number, Obj, Pattern, Ref, Text, Vocab)
from .items import Case, Enterprise, Event, Item, Organisation, Page, Procurement, Tip


@dataclass(frozen=True)
class Scaffold:
    """What `sitegen new` writes for a type: every field of its schema, explained.

    Only `values` are written as values: they are right until the editor changes them
    (today's date, false). An example is a comment, so nothing the editor did not fill in
    can be published: a required field left empty is reported missing by `sitegen check`."""

    examples: Mapping[str, str] = field(default_factory=dict)  # field -> example as YAML text, in a comment
    values: Mapping[str, str] = field(default_factory=dict)  # field -> value as YAML text
    body: str = ""  # the outline of the Markdown body, for a type with Markdown files
    title_field: str = "title"  # filled in with the title given on the command line
    numbered: str = ""  # a field given the first free number, which also starts the file name (tips)


@dataclass(frozen=True)
class SearchFields:
    """What feeds an item's search document (indexing.search_document)."""

    kind: str  # the document's kind; its label comes from templates/strings.nl.yaml
    # (facet, vocabulary list or lists, values): the values are the attribute of that name
    # (a slug or a list of slugs) or what a function (item, site) returns (a set of slugs,
    # taken in vocabulary order); a facet offers only values of its lists
    facets: tuple[tuple[str, str | tuple[str, ...], str | Callable[[Any, Any], Any]], ...] = ()
    summary: Callable[[Any, Any], str] | None = None  # (item, site) -> text; else the item's summary
    body: Callable[[Any, Any, dict[int, str]], str] | None = None  # (item, site, tip titles); else its Markdown text


@dataclass(frozen=True)
class ContentType:
    """Everything the stages know about one type of content file."""

    name: str  # as in SourceFile.kind, e.g. "case"
    folder: str  # under content/, e.g. "cases"
    suffix: str  # ".md" (front matter and a Markdown body) or ".yaml"
    schema: Obj  # the fields, with the Dutch descriptions editors see
    model: type[Item]
    site_list: str  # the Site attribute holding its items, e.g. "cases"
    url: str  # the item's site path, with {slug}, e.g. "verhalen/{slug}/"
    search: SearchFields
    template: str | None = None  # of its own page; None for a type without pages
    body_field: str | None = None  # a YAML type's field with Markdown, e.g. "description"
    attributes: Mapping[str, str] = field(default_factory=dict)  # field -> the dataclass attribute it is stored as
    rules: Callable[[dict, Context], None] | None = None  # checks that span fields
    scaffold: Scaffold | None = None  # None: `sitegen new` does not make this type

    @property
    def source_folder(self) -> str:
        return f"content/{self.folder}"

    @property
    def has_body(self) -> bool:
        """Whether its items have Markdown text."""
        return self.suffix == ".md" or self.body_field is not None

    def item_url(self, slug: str) -> str:
        return self.url.format(slug=slug)


def _text(*parts: str | None) -> str:
    return " ".join(part for part in parts if part)


def _contact() -> Obj:
    return Obj("Contactpersoon: gebruik een rol en een functiemailbox, geen persoonlijke gegevens.", fields={
        "role": Text("Rol of afdeling, bijvoorbeeld Inkoopadviseur"),
        "email": Pattern("Functiemailbox", kind="email"),
        "phone": Text("Telefoonnummer"),
    })


PLACE_LISTS = ("regions", "municipalities")

# Example values every type that has such a field shares.
_SHARED_EXAMPLES = {
    "image": "{src: media/naam.jpg, alt: Wat er op de afbeelding staat}",
    "logo": "{src: media/naam.svg, alt: Logo van ...}",
    "aliases": "[/verhalen/oude-naam/]",
    **dict.fromkeys(("website", "online_url", "registration_url", "tender_url", "mvi_policy", "procurement_calendar"),
                    "https://"),
}
_CONTACT_EXAMPLE = "\n  role: Inkoopadviseur\n  email: inkoop@organisatie.nl"
_DRAFT = Boolean("Concept: wordt niet gepubliceerd; zet op false als het klaar is")
# What every scaffold writes as a value: a new file is a draft until its editor says otherwise.
_NEW_FILE_VALUES = {"draft": "true", "example": "false"}
# A Markdown comment: guidance in a new file that nothing renders, so it is never published.
_BODY_COMMENT = "\n[//]: # ({})\n\n"


# ---------------------------------------------------------------- stories

CASE_SCHEMA = Obj("Praktijkverhaal (content/cases/<naam>.md, kop tussen ---)", fields={
    "title": Text("De kleine winst in één zin", required=True, max_length=160),
    "date": Date("Datum van het verhaal (JJJJ-MM-DD); een datum in de toekomst wordt pas dan gepubliceerd", required=True),
    "summary": Text("Samenvatting in één of twee zinnen", required=True, max_length=400),
    "buyer": Ref("Inkopende organisatie (bestandsnaam in content/organisations/)", required=True, target="organisation"),
    "enterprises": ListOf("Sociale ondernemingen (bestandsnamen in content/enterprises/)", required=True, min_items=1,
                          item=Ref(target="enterprise")),
    "category": Vocab("Categorie (lijst 'categories')", required=True, lists=("categories",)),
    "route": Vocab("Inkoopvorm (lijst 'routes')", required=True, lists=("routes",)),
    "what": Text("Wat er is ingekocht"),
    "value": Money("Waarde in euro zonder btw: een getal of {min: .., max: ..}"),
    "period": Text("Looptijd, bijvoorbeeld 2025-2026"),
    "impact": ListOf("Impactcijfers", unique=False, item=Obj(fields={
        "label": Text("Wat er is gemeten", required=True),
        "value": Number("Het getal", required=True),
        "unit": Text("Eenheid, bijvoorbeeld banen of kg CO2; komt het cijfer elk jaar terug, dan bijvoorbeeld uren werk per jaar",
                     required=True),
        "source": Text("Bron van het cijfer"),
    })),
    "themes": ListOf("Thema's (lijst 'themes')", item=Vocab(lists=("themes",))),
    "tips": ListOf("Nummers van de tips die dit verhaal laat zien (1 tot 5)", max_items=5, item=Integer(minimum=1, maximum=5)),
    "quote": Obj("Citaat", fields={"text": Text("Het citaat", required=True), "by": Text("Van wie (naam en rol)", required=True)}),
    "contact": _contact(),
    "confirmed_by_buyer": Boolean("De inkopende organisatie heeft het verhaal bevestigd"),
    "image": Media("Afbeelding met alt-tekst"),
    "aliases": ListOf("Oude adressen die naar dit verhaal moeten doorverwijzen", item=Text(max_length=150)),
    "draft": _DRAFT,
    "example": Boolean("Verzonnen voorbeeld: toont het label 'Voorbeeld'"),
})

# A figure that recurs: the impact page adds up figures with the same unit, so a yearly
# figure whose unit does not say so would be added to one-off figures.
RECURRING_PATTERN = re.compile(r"\b(?:per (?:jaar|maand|week|dag)|jaarlijks|maandelijks|wekelijks)\b", re.IGNORECASE)


# A headline a reader takes in at a glance (Rijksoverheid writing conventions): short, no full stop.
HEADLINE_LENGTH = 90


def headline_advice(title: str) -> tuple[str, str] | None:
    """What is wrong with a story's title as a headline, and a hint; None when nothing is."""
    title = title.strip()
    if len(title) > HEADLINE_LENGTH:
        return (f"de titel is {len(title)} tekens lang; een kop leest het best onder de {HEADLINE_LENGTH} tekens",
                "zet de kleine winst in een korte kop, bijvoorbeeld: Gemeente koopt koffie bij sociale onderneming; "
                "de rest kan in summary")
    if title.endswith(".") and not title.endswith("..."):
        return ("de titel eindigt op een punt; een kop heeft geen punt aan het eind",
                "haal de punt aan het eind van de titel weg")
    return None


def _case_rules(data: dict, ctx: Context) -> None:
    advice = headline_advice(data.get("title", ""))
    if advice:
        ctx.warning(("title",), *advice)
    for number, figure in enumerate(data.get("impact", [])):
        said = RECURRING_PATTERN.search(f"{figure['label']} {figure.get('source', '')}")
        if said and not RECURRING_PATTERN.search(figure["unit"]):
            ctx.warning(("impact", number, "unit"),
                        f"dit cijfer is '{said.group(0).lower()}', maar de eenheid '{figure['unit']}' zegt dat niet",
                        f"schrijf bijvoorbeeld unit: {figure['unit']} per jaar; de impactpagina telt alleen "
                        "cijfers met dezelfde eenheid op")


def _case_search_body(case: Case, site, tip_titles: dict[int, str]) -> str:
    """What a story page shows besides its title and summary: who, what, the quote, the
    impact figures and the tips it illustrates."""
    quote = case.quote or {}
    return _text(
        case.what, case.buyer.name if case.buyer else "", *(e.name for e in case.enterprises),
        quote.get("text"), quote.get("by"),
        *(figure.label for figure in case.impact),
        *(tip_titles.get(number) for number in case.tips),
        case.body_text)


CASE = ContentType(
    name="case", folder="cases", suffix=".md", schema=CASE_SCHEMA, model=Case, site_list="cases",
    url="verhalen/{slug}/", template="case.html", rules=_case_rules,
    attributes={"buyer": "buyer_slug", "enterprises": "enterprise_slugs"},
    search=SearchFields("verhaal", facets=(("thema", "themes", "themes"), ("categorie", "categories", "category"),
                                           ("gemeente", "municipalities", "places"), ("route", "routes", "route")),
                        body=_case_search_body),
    scaffold=Scaffold({
        **_SHARED_EXAMPLES,
        "summary": "De gemeente koopt de lunch bij een sociale keuken.",
        "buyer": "gemeente-breda", "enterprises": "[de-soeppan]",
        "category": "catering", "route": "enkelvoudig-onderhands", "what": "Lunch voor vergaderingen",
        "value": "10000", "period": "2025-2026",
        "impact": "\n  - label: Werkplekken\n    value: 2\n    unit: banen\n    source: Opgave leverancier",
        "themes": "[inclusieve-arbeidsmarkt]", "tips": "[3]",
        "quote": "\n  text: Wat er gezegd is\n  by: Naam, rol", "contact": _CONTACT_EXAMPLE,
    }, values={"date": "{today}", "confirmed_by_buyer": "false", **_NEW_FILE_VALUES},
        # Each heading needs its text: an empty section is reported (load.empty_sections).
        body="\n## Aanleiding\n\n\n## Aanpak\n\n\n## Resultaat\n\n\n## Wat werkte en wat schuurde\n\n\n"
             "## Tip voor collega's\n\n"),
)


# ---------------------------------------------------------------- social enterprises

_KVK_DESCRIPTION = ("KvK-nummer: acht cijfers, tussen aanhalingstekens, bijvoorbeeld \"12345678\"; "
                    "sitegen inventaris herkent hiermee leveranciers in een crediteurenlijst")

ENTERPRISE_SCHEMA = Obj("Sociale onderneming (content/enterprises/<naam>.yaml)", fields={
    "name": Text("Naam van de onderneming", required=True),
    "kvk": KvkNumber(_KVK_DESCRIPTION),
    "summary": Text("Wat de onderneming doet, in één zin op B1-niveau", required=True, max_length=240),
    "impact": ListOf("Impactgebieden (lijst 'themes')", required=True, min_items=1, item=Vocab(lists=("themes",))),
    "offerings": ListOf("Wat een inkoper hier kan kopen", required=True, min_items=1, unique=False, item=Obj(fields={
        "category": Vocab("Categorie (lijst 'categories')", required=True, lists=("categories",)),
        "description": Text("Wat je precies kunt kopen", required=True),
    })),
    "location": Obj("Vestiging", required=True, fields={
        "municipality": Vocab("Gemeente (lijst 'municipalities')", required=True, lists=("municipalities",)),
        "address": Text("Adres"),
    }),
    "description": Text("Uitgebreide beschrijving in Markdown"),
    "target_groups": ListOf("Doelgroepen (lijst 'target_groups')", item=Vocab(lists=("target_groups",))),
    "size": Vocab("Omvang (lijst 'sizes')", lists=("sizes",)),
    "reach": Vocab("Bereik (lijst 'reach')", lists=("reach",)),
    "service_area": ListOf("Werkgebied: regio's of gemeenten", item=Vocab(lists=PLACE_LISTS)),
    "founded": Integer("Jaar van oprichting", minimum=1800, maximum=2100),
    "employees": Integer("Aantal medewerkers", minimum=0),
    "target_group_share": Number("Deel van de medewerkers uit een doelgroep, in procenten"),
    "recognitions": ListOf("Keurmerken en erkenningen", unique=False, item=Obj(fields={
        "type": Vocab("Soort erkenning (lijst 'recognitions')", required=True, lists=("recognitions",)),
        "level": Integer("Trede of niveau, bijvoorbeeld PSO-trede", minimum=0, maximum=10),
        "valid_until": Date("Geldig tot (JJJJ-MM-DD)"),
    })),
    "reserved_contract_eligible": Choice("Kan meedoen aan een voorbehouden opdracht (art. 2.82 Aanbestedingswet)",
                                         values=("ja", "nee", "onbekend")),
    "counts_for_social_return": Boolean("Inkoop hier telt mee voor social return"),
    "website": Pattern("Website", kind="url"),
    "email": Pattern("Algemeen e-mailadres (functiemailbox)", kind="email"),
    "phone": Text("Telefoonnummer"),
    "logo": Media("Logo met alt-tekst"),
    "checked": Obj("Wanneer en door wie de gegevens zijn gecontroleerd", fields={
        "date": Date("Datum van controle", required=True), "by": Text("Door wie", required=True)}),
    "draft": _DRAFT,
    "example": Boolean("Verzonnen voorbeeld: toont het label 'Voorbeeld'"),
})


def _enterprise_search_body(enterprise: Enterprise, site, tip_titles: dict[int, str]) -> str:
    """Offerings and target groups; recognitions are a facet, whose labels are indexed already."""
    return _text(*(o.description for o in enterprise.offerings),
                 *(site.label("target_groups", group) for group in enterprise.target_groups),
                 enterprise.body_text)


def _delivery_areas(enterprise: Enterprise, site) -> frozenset[str]:
    """Every region and municipality where the enterprise delivers, as `werkgebied` matches
    it: a municipality holds who delivers in it or in its whole region; a region holds who
    delivers anywhere in it; a national enterprise is in every one."""
    return enterprise.delivery.areas


def _procurement_areas(procurement: Procurement, site) -> frozenset[str]:
    """The purchase's area as `werkgebied` matches it, the way the calendar does
    (`Procurement.places`, from model.places_of)."""
    return frozenset(procurement.places)


ENTERPRISE = ContentType(
    name="enterprise", folder="enterprises", suffix=".yaml", schema=ENTERPRISE_SCHEMA, model=Enterprise,
    site_list="enterprises", url="ondernemers/{slug}/", template="enterprise.html", body_field="description",
    search=SearchFields("ondernemer", facets=(
        ("thema", "themes", "impact"), ("categorie", "categories", "categories"),
        ("werkgebied", PLACE_LISTS, _delivery_areas),
        ("gemeente", "municipalities", "municipality"), ("omvang", "sizes", "size"),
        ("erkenning", "recognitions", "recognition_types")), body=_enterprise_search_body),
    scaffold=Scaffold({
        **_SHARED_EXAMPLES,
        "kvk": "\"12345678\"", "summary": "Een keuken die soep maakt van groente die anders weggaat.",
        "impact": "[inclusieve-arbeidsmarkt]",
        "offerings": "\n  - category: catering\n    description: Soep en broodjes voor vergaderingen",
        "location": "\n  municipality: breda\n  address: Markt 1",
        "description": "|\n  Beschrijf de onderneming in een paar korte alinea's.",
        "target_groups": "[]", "size": "groeiend", "reach": "regionaal", "service_area": "[west-brabant]",
        "founded": "2015", "employees": "12", "target_group_share": "40",
        "recognitions": "\n  - type: pso\n    level: 2\n    valid_until: 2027-06-30",
        "email": "info@onderneming.nl", "phone": "076 123 45 67",
        "checked": "\n  date: {today}\n  by: Redactie",
    }, values={"reserved_contract_eligible": "onbekend", "counts_for_social_return": "false", **_NEW_FILE_VALUES},
        title_field="name"),
)


# ---------------------------------------------------------------- buying organisations

ORGANISATION_SCHEMA = Obj("Inkopende organisatie (content/organisations/<naam>.yaml)", fields={
    "name": Text("Naam van de organisatie", required=True),
    "type": Vocab("Soort organisatie (lijst 'organisation_types')", required=True, lists=("organisation_types",)),
    "kvk": KvkNumber(_KVK_DESCRIPTION),
    "suppliers": ListOf("Sociale ondernemers bij wie de organisatie al koopt (sitegen inventaris --schrijf vult dit aan)",
                        unique=False, item=Obj(fields={
                            "enterprise": Ref("Sociale onderneming (bestandsnaam in content/enterprises/)", required=True,
                                              target="enterprise"),
                            "year": Integer("Jaar van de inkoop", required=True, minimum=1900, maximum=2100),
                            "amount": Number("Bedrag in euro in dat jaar; alleen als de organisatie dat wil laten zien"),
                        })),
    "region": Vocab("Regio (lijst 'regions')", lists=("regions",)),
    "website": Pattern("Website", kind="url"),
    "mvi_policy": Pattern("Adres van het MVI-beleid", kind="url"),
    "mvi_manifest": Boolean("Heeft het Manifest MVI ondertekend"),
    "procurement_calendar": Pattern("Adres van de eigen aanbestedingskalender", kind="url"),
    "contact": _contact(),
    "draft": _DRAFT,
    "example": Boolean("Verzonnen voorbeeld: toont het label 'Voorbeeld'"),
})


def _organisation_rules(data: dict, ctx: Context) -> None:
    seen: set[tuple[str, int]] = set()
    for number, supplier in enumerate(data.get("suppliers", [])):
        key = (supplier["enterprise"], supplier["year"])
        if key in seen:
            ctx.error(("suppliers", number), f"'{key[0]}' staat twee keer in 'suppliers' voor {key[1]}",
                      "laat één van de twee regels weg")
        seen.add(key)


def _organisation_search_summary(organisation: Organisation, site) -> str:
    return ", ".join(label for label in (site.label("organisation_types", organisation.type),
                                         site.label("regions", organisation.region)) if label)


ORGANISATION = ContentType(
    name="organisation", folder="organisations", suffix=".yaml", schema=ORGANISATION_SCHEMA, model=Organisation,
    site_list="organisations", url="organisaties/{slug}/", template="organisation.html", rules=_organisation_rules,
    attributes={"suppliers": "supplier_entries"},
    search=SearchFields("organisatie", facets=(("type", "organisation_types", "type"),),
                        summary=_organisation_search_summary,
                        body=lambda organisation, site, tips: _text(*(c.title for c in organisation.cases))),
    scaffold=Scaffold({**_SHARED_EXAMPLES, "type": "gemeente", "kvk": "\"12345678\"", "region": "west-brabant",
                       "suppliers": "\n  - enterprise: de-soeppan\n    year: 2025", "contact": _CONTACT_EXAMPLE},
                      values={"mvi_manifest": "false", **_NEW_FILE_VALUES}, title_field="name"),
)


# ---------------------------------------------------------------- planned purchases (the calendar)

PROCUREMENT_SCHEMA = Obj("Geplande inkoop (content/calendar/<naam>.yaml)", fields={
    "title": Text("Wat er wordt ingekocht", required=True),
    "organisation": Ref("Inkopende organisatie", required=True, target="organisation"),
    "category": Vocab("Categorie (lijst 'categories')", required=True, lists=("categories",)),
    "expected": DateOrQuarter("Verwachte start: datum of kwartaal zoals 2027-Q2", required=True),
    "description": Text("Toelichting"),
    "procedure": Vocab("Procedure (lijst 'procedures')", lists=("procedures",)),
    "estimated_value": Money("Geschatte waarde in euro zonder btw"),
    "area": Vocab("Gebied waar de opdracht wordt uitgevoerd: regio of gemeente", lists=PLACE_LISTS),
    "opportunities": ListOf("Kansen voor sociale ondernemers (lijst 'opportunities')", item=Vocab(lists=("opportunities",))),
    "tender_url": Pattern("Adres van de aankondiging", kind="url"),
    "contact": _contact(),
    "updated": Date("Laatst bijgewerkt"),
    "draft": _DRAFT,
    "example": Boolean("Verzonnen voorbeeld: toont het label 'Voorbeeld'"),
})


def _buyer_name(procurement: Procurement) -> str:
    return procurement.organisation.name if procurement.organisation else ""


PROCUREMENT = ContentType(
    name="procurement", folder="calendar", suffix=".yaml", schema=PROCUREMENT_SCHEMA, model=Procurement,
    site_list="procurements", url="kalender/#{slug}", attributes={"organisation": "organisation_slug"},
    search=SearchFields(
        "inkoop", facets=(("categorie", "categories", "category"), ("werkgebied", PLACE_LISTS, _procurement_areas)),
        summary=lambda procurement, site: procurement.description or _buyer_name(procurement),
        body=lambda procurement, site, tips: " ".join(
            [_buyer_name(procurement), *(site.label("opportunities", o) for o in procurement.opportunities)])),
    scaffold=Scaffold({**_SHARED_EXAMPLES, "organisation": "gemeente-breda", "category": "catering",
                       "expected": "2027-Q2", "description": "Wat er wordt ingekocht, en voor wie", "procedure": "onbekend",
                       "estimated_value": "80000", "area": "west-brabant", "opportunities": "[perceel]",
                       "contact": _CONTACT_EXAMPLE},
                      values={"updated": "{today}", **_NEW_FILE_VALUES}),
)


# ---------------------------------------------------------------- events

EVENT_SCHEMA = Obj("Bijeenkomst (content/events/<naam>.md, kop tussen ---)", fields={
    "title": Text("Titel", required=True),
    "kind": Vocab("Soort bijeenkomst (lijst 'event_kinds')", required=True, lists=("event_kinds",)),
    "start": DateTime("Begin, bijvoorbeeld 2027-01-21T12:00 (Nederlandse tijd)", required=True),
    "end": DateTime("Einde"),
    "location": Text("Plaats en zaal"),
    "online_url": Pattern("Link naar de online bijeenkomst", kind="url"),
    "organiser": Text("Organisator"),
    "speakers": ListOf("Sprekers", unique=False, item=Obj(fields={
        "name": Text("Naam", required=True), "role": Text("Rol of organisatie")})),
    "cases": ListOf("Verhalen die aan bod komen", item=Ref(target="case")),
    "registration_url": Pattern("Link om je aan te melden", kind="url"),
    "accessibility": Text("Toegankelijkheid van de locatie"),
    "draft": _DRAFT,
    "example": Boolean("Verzonnen voorbeeld: toont het label 'Voorbeeld'"),
})


def _event_rules(data: dict, ctx: Context) -> None:
    if data.get("end") and data["end"] < data["start"]:
        ctx.error(("end",), "de bijeenkomst eindigt voordat ze begint")


EVENT = ContentType(
    name="event", folder="events", suffix=".md", schema=EVENT_SCHEMA, model=Event, site_list="events",
    url="bijeenkomsten/{slug}/", template="event.html", rules=_event_rules, attributes={"cases": "case_slugs"},
    search=SearchFields(
        "bijeenkomst",
        summary=lambda event, site: f"{site.label('event_kinds', event.kind)}, {event.start:%d-%m-%Y}",
        body=lambda event, site, tips: f"{event.location} {event.organiser} {event.body_text}"),
    scaffold=Scaffold({**_SHARED_EXAMPLES, "kind": "lunchlezing", "start": "{today}T12:00", "end": "{today}T13:00",
                       "location": "Stadhuis, zaal 2", "organiser": "Gemeente Breda", "cases": "[soep-op-het-stadhuis]",
                       "speakers": "\n  - name: Naam\n    role: Rol of organisatie",
                       "accessibility": "Rolstoeltoegankelijk, met ringleiding"},
                      values=_NEW_FILE_VALUES, body=_BODY_COMMENT.format(
                          "Schrijf hier waar de bijeenkomst over gaat, en voor wie ze is.")),
)


# ---------------------------------------------------------------- tips and pages


TIP_SCHEMA = Obj("Tip (content/tips/<nummer>-<naam>.md)", fields={
    "number": Integer("Nummer van de tip, 1 tot 5", required=True, minimum=1, maximum=5),
    "title": Text("Titel", required=True),
    "summary": Text("Samenvatting", required=True),
    "draft": _DRAFT,
})


def _tip_rules(data: dict, ctx: Context) -> None:
    prefix = ctx.file.slug.split("-", 1)[0]
    if prefix != str(data["number"]):
        ctx.error(("number",), f"tipnummer {data['number']} past niet bij de bestandsnaam '{ctx.file.slug}'",
                  f"noem het bestand {data['number']}-{ctx.file.slug.split('-', 1)[-1]}.md")


TIP = ContentType(name="tip", folder="tips", suffix=".md", schema=TIP_SCHEMA, model=Tip, site_list="tips",
                  url="tips/{slug}/", template="tip.html", rules=_tip_rules, search=SearchFields("tip"),
                  scaffold=Scaffold({"summary": "Kijk eerst bij wie je al koopt."}, values=_NEW_FILE_VALUES,
                                    numbered="number",
                                    body=_BODY_COMMENT.format("Schrijf hier de tip uit: wat doe je, en waarom werkt het?")))

PAGE_SCHEMA = Obj("Pagina (content/pages/<naam>.md)", fields={
    "title": Text("Titel", required=True),
    "summary": Text("Korte beschrijving"),
    "nav": Integer("Plaats in het menu onderaan (lager staat eerder)", minimum=0),
    "search": Boolean("Vindbaar met zoeken op de site (standaard true); zet op false voor een pagina "
                      "voor redacteuren, zoals de handleiding"),
    "draft": _DRAFT,
})

PAGE = ContentType(name="page", folder="pages", suffix=".md", schema=PAGE_SCHEMA, model=Page, site_list="pages",
                   url="{slug}/", template="page.html", search=SearchFields("pagina"),
                   scaffold=Scaffold({"summary": "Waar deze pagina over gaat, in één zin.", "nav": "10"},
                                     values=_NEW_FILE_VALUES, body=_BODY_COMMENT.format("Schrijf hier de tekst van de pagina.")))


# The order is that of the search index's documents: on a tie, the search page lists the
# earlier first, so stories come first.
CONTENT_TYPES: dict[str, ContentType] = {
    content_type.name: content_type
    for content_type in (CASE, ENTERPRISE, ORGANISATION, PROCUREMENT, EVENT, TIP, PAGE)
}


def content_type_of(item: Item) -> ContentType:
    """The entry whose dataclass made the item."""
    for content_type in CONTENT_TYPES.values():
        if type(item) is content_type.model:
            return content_type
    raise TypeError(f"no content type makes {type(item).__name__}")

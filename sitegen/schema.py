"""Stage 2, validate: the content schemas, checked with every problem collected.

One definition per content type serves both the checks (with positions and Dutch
"bedoelde je ...?" hints) and the JSON Schema that `sitegen schema` writes for editors."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import Problems, did_you_mean
from .load import KeyPath, SourceFile
from .urls import slugify

INVALID = object()  # a value that failed its check; the item is then left out of the model

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
QUARTER_PATTERN = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass
class Context:
    """What a check may look at besides the value: vocabulary, known slugs, media."""

    file: SourceFile
    problems: Problems
    vocabulary: dict[str, dict[str, dict[str, Any]]]
    known: dict[str, set[str]]
    media: set[str]

    def error(self, key_path: KeyPath, message: str, hint: str = "") -> None:
        line, column = self.file.position(key_path)
        self.problems.error(self.file.rel, line, column, message, hint)

    def warning(self, key_path: KeyPath, message: str, hint: str = "") -> None:
        line, column = self.file.position(key_path)
        self.problems.warning(self.file.rel, line, column, message, hint)

    def warning_at_key(self, key_path: KeyPath, message: str, hint: str = "") -> None:
        line, column = self.file.key_position(key_path)
        self.problems.warning(self.file.rel, line, column, message, hint)


def _label(key_path: KeyPath) -> str:
    parts = [str(part) if not isinstance(part, int) else f"[{part}]" for part in key_path]
    return ".".join(parts).replace(".[", "[") or "bestand"


@dataclass
class FieldType:
    description: str = ""
    required: bool = False

    def check(self, value: Any, key_path: KeyPath, ctx: Context) -> Any:
        raise NotImplementedError

    def json_schema(self, vocabulary: dict) -> dict:
        raise NotImplementedError

    def _schema(self, base: dict) -> dict:
        return {**base, "description": self.description} if self.description else base


@dataclass
class Text(FieldType):
    max_length: int = 0

    def check(self, value, key_path, ctx):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            ctx.error(key_path, f"'{_label(key_path)}' moet tekst zijn")
            return INVALID
        text = str(value).strip()
        if self.required and not text:
            ctx.error(key_path, f"'{_label(key_path)}' mag niet leeg zijn")
            return INVALID
        if self.max_length and len(text) > self.max_length:
            ctx.error(key_path, f"'{_label(key_path)}' is te lang ({len(text)} tekens, maximaal {self.max_length})",
                      "houd het bij één korte zin")
            return INVALID
        return text

    def json_schema(self, vocabulary):
        base = {"type": ["string", "number"]}
        if self.max_length:
            base["maxLength"] = self.max_length
        return self._schema(base)


@dataclass
class Integer(FieldType):
    minimum: int | None = None
    maximum: int | None = None

    def check(self, value, key_path, ctx):
        if isinstance(value, bool) or not isinstance(value, int):
            ctx.error(key_path, f"'{_label(key_path)}' moet een heel getal zijn, niet '{value}'")
            return INVALID
        if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
            ctx.error(key_path, f"'{_label(key_path)}' moet tussen {self.minimum} en {self.maximum} liggen, niet {value}")
            return INVALID
        return value

    def json_schema(self, vocabulary):
        base: dict[str, Any] = {"type": "integer"}
        if self.minimum is not None:
            base["minimum"] = self.minimum
        if self.maximum is not None:
            base["maximum"] = self.maximum
        return self._schema(base)


@dataclass
class Number(FieldType):
    minimum: float = 0

    def check(self, value, key_path, ctx):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            ctx.error(key_path, f"'{_label(key_path)}' moet een getal zijn, niet '{value}'",
                      "schrijf alleen cijfers, zonder euroteken of punten")
            return INVALID
        if value < self.minimum:
            ctx.error(key_path, f"'{_label(key_path)}' mag niet kleiner zijn dan {self.minimum:g}")
            return INVALID
        return value

    def json_schema(self, vocabulary):
        return self._schema({"type": "number", "minimum": self.minimum})


@dataclass
class Boolean(FieldType):
    def check(self, value, key_path, ctx):
        if not isinstance(value, bool):
            ctx.error(key_path, f"'{_label(key_path)}' moet true of false zijn, niet '{value}'")
            return INVALID
        return value

    def json_schema(self, vocabulary):
        return self._schema({"type": "boolean"})


def parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


@dataclass
class Date(FieldType):
    def check(self, value, key_path, ctx):
        parsed = parse_date(str(value))
        if parsed is None:
            ctx.error(key_path, f"ongeldige datum '{value}' in '{_label(key_path)}'", "schrijf JJJJ-MM-DD, bijvoorbeeld 2026-03-12")
            return INVALID
        return parsed

    def json_schema(self, vocabulary):
        return self._schema({"type": "string", "format": "date"})


@dataclass
class DateTime(FieldType):
    def check(self, value, key_path, ctx):
        match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::\d{2})?", str(value))
        parsed = None
        if match:
            day = parse_date(match[1])
            hour, minute = int(match[2]), int(match[3])
            if day and hour < 24 and minute < 60:
                parsed = dt.datetime(day.year, day.month, day.day, hour, minute)
        if parsed is None:
            ctx.error(key_path, f"ongeldig tijdstip '{value}' in '{_label(key_path)}'",
                      "schrijf JJJJ-MM-DDTUU:MM, bijvoorbeeld 2027-01-21T12:00")
            return INVALID
        return parsed

    def json_schema(self, vocabulary):
        return self._schema({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$"})


@dataclass
class DateOrQuarter(FieldType):
    def check(self, value, key_path, ctx):
        text = str(value)
        if QUARTER_PATTERN.match(text):
            return text
        if parse_date(text):
            return parse_date(text)
        ctx.error(key_path, f"ongeldige datum of kwartaal '{value}' in '{_label(key_path)}'",
                  "schrijf JJJJ-MM-DD of een kwartaal zoals 2027-Q2")
        return INVALID

    def json_schema(self, vocabulary):
        return self._schema({"type": "string", "pattern": r"^\d{4}-(Q[1-4]|\d{2}-\d{2})$"})


@dataclass
class Pattern(FieldType):
    kind: str = "url"  # url, email or slug

    MESSAGES = {
        "url": ("geen geldig webadres", "begin met https://"),
        "email": ("geen geldig e-mailadres", "bijvoorbeeld inkoop@organisatie.nl"),
        "slug": ("geen geldige korte naam", "gebruik kleine letters, cijfers en streepjes"),
    }
    PATTERNS = {"url": URL_PATTERN, "email": EMAIL_PATTERN, "slug": SLUG_PATTERN}

    def check(self, value, key_path, ctx):
        if not isinstance(value, str) or not self.PATTERNS[self.kind].match(value.strip()):
            message, hint = self.MESSAGES[self.kind]
            ctx.error(key_path, f"'{value}' in '{_label(key_path)}' is {message}", hint)
            return INVALID
        return value.strip()

    def json_schema(self, vocabulary):
        if self.kind == "url":
            return self._schema({"type": "string", "format": "uri", "pattern": "^https?://"})
        if self.kind == "email":
            return self._schema({"type": "string", "format": "email"})
        return self._schema({"type": "string", "pattern": SLUG_PATTERN.pattern})


@dataclass
class Choice(FieldType):
    values: tuple = ()

    def check(self, value, key_path, ctx):
        if value not in self.values:
            ctx.error(key_path, f"onbekende waarde '{value}' in '{_label(key_path)}'",
                      did_you_mean(str(value), map(str, self.values)) or "kies uit: " + ", ".join(map(str, self.values)))
            return INVALID
        return value

    def json_schema(self, vocabulary):
        return self._schema({"enum": list(self.values)})


@dataclass
class Vocab(FieldType):
    """A slug from a list in content/vocabulary.yaml; `lists` may name more than one."""

    lists: tuple[str, ...] = ()

    def allowed(self, vocabulary) -> dict[str, dict]:
        merged: dict[str, dict] = {}
        for name in self.lists:
            merged.update(vocabulary.get(name, {}))
        return merged

    def check(self, value, key_path, ctx):
        allowed = self.allowed(ctx.vocabulary)
        if not isinstance(value, str) or value not in allowed:
            hint = did_you_mean(str(value), allowed) or f"zie de lijst '{self.lists[0]}' in content/vocabulary.yaml"
            ctx.error(key_path, f"onbekende waarde '{value}' in '{_label(key_path)}'", hint)
            return INVALID
        return value

    def json_schema(self, vocabulary):
        allowed = self.allowed(vocabulary)
        return self._schema({"oneOf": [
            {"const": slug, "description": entry.get("label", slug) + (": " + entry["description"] if entry.get("description") else "")}
            for slug, entry in allowed.items()
        ]} if allowed else {"type": "string"})


REF_FOLDERS = {"organisation": "organisations", "enterprise": "enterprises", "case": "cases"}


@dataclass
class Ref(FieldType):
    """The slug of another content item (its file name without extension)."""

    target: str = "enterprise"

    def check(self, value, key_path, ctx):
        known = ctx.known.get(self.target, set())
        if not isinstance(value, str) or value not in known:
            folder = REF_FOLDERS[self.target]
            ctx.error(key_path, f"onbekende verwijzing '{value}' in '{_label(key_path)}': content/{folder}/{value}.* bestaat niet",
                      did_you_mean(str(value), known))
            return INVALID
        return value

    def json_schema(self, vocabulary):
        return self._schema({"type": "string", "pattern": SLUG_PATTERN.pattern})


@dataclass
class ListOf(FieldType):
    item: FieldType = field(default_factory=Text)
    min_items: int = 0
    max_items: int = 0
    unique: bool = True

    def check(self, value, key_path, ctx):
        if not isinstance(value, list):
            value = [value]  # a single value where a list is expected is what editors mean
        if len(value) < self.min_items:
            ctx.error(key_path, f"'{_label(key_path)}' heeft minstens {self.min_items} waarde(n) nodig")
            return INVALID
        if self.max_items and len(value) > self.max_items:
            ctx.error(key_path, f"'{_label(key_path)}' mag hoogstens {self.max_items} waarden hebben")
            return INVALID
        result, ok = [], True
        for index, element in enumerate(value):
            checked = self.item.check(element, key_path + (index,), ctx)
            if checked is INVALID:
                ok = False
            elif self.unique and checked in result and isinstance(checked, (str, int)):
                ctx.error(key_path + (index,), f"'{checked}' staat dubbel in '{_label(key_path)}'")
                ok = False
            else:
                result.append(checked)
        return result if ok else INVALID

    def json_schema(self, vocabulary):
        base: dict[str, Any] = {"type": "array", "items": self.item.json_schema(vocabulary)}
        if self.min_items:
            base["minItems"] = self.min_items
        if self.max_items:
            base["maxItems"] = self.max_items
        return self._schema(base)


@dataclass
class Obj(FieldType):
    fields: dict[str, FieldType] = field(default_factory=dict)

    def check(self, value, key_path, ctx):
        if not isinstance(value, dict):
            ctx.error(key_path, f"'{_label(key_path)}' moet een groep velden zijn (sleutel: waarde)")
            return INVALID
        result, ok = {}, True
        for key in value:
            if key not in self.fields:
                ctx.warning_at_key(key_path + (key,), f"onbekend veld '{key}' wordt genegeerd",
                                   did_you_mean(key, self.fields))
        for name, field_type in self.fields.items():
            if value.get(name) is None or (value.get(name) == "" and not field_type.required):
                if field_type.required:
                    where = key_path or ()
                    ctx.error(where, f"verplicht veld '{_label(key_path + (name,))}' ontbreekt")
                    ok = False
                elif key_path:
                    # Nested groups always have every key, so templates can test `contact.phone`;
                    # top-level fields fall back to the dataclass defaults instead.
                    result[name] = None
                continue
            checked = field_type.check(value[name], key_path + (name,), ctx)
            if checked is INVALID:
                ok = False
            else:
                result[name] = checked
        return result if ok else INVALID

    def json_schema(self, vocabulary):
        return self._schema({
            "type": "object",
            "properties": {name: f.json_schema(vocabulary) for name, f in self.fields.items()},
            "required": [name for name, f in self.fields.items() if f.required],
            "additionalProperties": False,
        })


@dataclass
class Money(FieldType):
    def check(self, value, key_path, ctx):
        if isinstance(value, dict):
            checked = Obj(fields={"min": Number(required=True), "max": Number(required=True)}).check(value, key_path, ctx)
            if checked is not INVALID and checked["min"] > checked["max"]:
                ctx.error(key_path, f"'{_label(key_path)}': min is groter dan max")
                return INVALID
            return checked
        return Number().check(value, key_path, ctx)

    def json_schema(self, vocabulary):
        return self._schema({"oneOf": [
            {"type": "number", "minimum": 0},
            {"type": "object", "properties": {"min": {"type": "number"}, "max": {"type": "number"}},
             "required": ["min", "max"], "additionalProperties": False},
        ]})


@dataclass
class Media(FieldType):
    """An image under content/media/ with its required alternative text."""

    def check(self, value, key_path, ctx):
        checked = Obj(fields={
            "src": Text(required=True), "alt": Text(required=True),
        }).check(value, key_path, ctx)
        if checked is INVALID:
            return INVALID
        src = checked["src"].removeprefix("/").removeprefix("content/")
        if src not in ctx.media:
            ctx.error(key_path + ("src",), f"afbeelding '{checked['src']}' niet gevonden in content/media/",
                      did_you_mean(src, ctx.media))
            return INVALID
        return {"src": src, "alt": checked["alt"]}

    def json_schema(self, vocabulary):
        return self._schema({
            "type": "object",
            "properties": {
                "src": {"type": "string", "description": "Pad naar de afbeelding, bijvoorbeeld media/logo.svg"},
                "alt": {"type": "string", "description": "Tekst die de afbeelding beschrijft voor wie haar niet ziet (verplicht)"},
            },
            "required": ["src", "alt"], "additionalProperties": False,
        })


def _contact() -> Obj:
    return Obj("Contactpersoon: gebruik een rol en een functiemailbox, geen persoonlijke gegevens.", fields={
        "role": Text("Rol of afdeling, bijvoorbeeld Inkoopadviseur"),
        "email": Pattern("Functiemailbox", kind="email"),
        "phone": Text("Telefoonnummer"),
    })


PLACE_LISTS = ("regions", "municipalities")

SCHEMAS: dict[str, Obj] = {
    "site": Obj("Instellingen van de site (content/site.yaml)", fields={
        "title": Text("Naam van de site", required=True),
        "base_url": Pattern("Volledig adres waar de site komt te staan, ook met submap", required=True, kind="url"),
        "language": Choice("Taal van de site", required=True, values=("nl",)),
        "description": Text("Korte beschrijving voor zoekmachines en link-voorbeelden"),
        "region": Text("Regio van de etalage"),
        "logo": Media("Logo van de site"),
        "nav": ListOf("Volgorde van het hoofdmenu", item=Choice(values=(
            "verhalen", "ondernemers", "kalender", "bijeenkomsten", "tips", "impact", "zoeken"))),
        "features": Obj("Functies aan of uit", fields={
            "raw_html": Boolean("Sta HTML toe in Markdown (standaard uit, om veiligheidsredenen)"),
            "noindex": Boolean("Intranet: vraag zoekmachines de site niet op te nemen"),
        }),
    }),
    "enterprise": Obj("Sociale onderneming (content/enterprises/<naam>.yaml)", fields={
        "name": Text("Naam van de onderneming", required=True),
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
        "example": Boolean("Verzonnen voorbeeld: toont het label 'Voorbeeld'"),
    }),
    "case": Obj("Praktijkverhaal (content/cases/<naam>.md, kop tussen ---)", fields={
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
        "aliases": ListOf("Oude adressen die naar dit verhaal moeten doorverwijzen", item=Text()),
        "draft": Boolean("Concept: wordt niet gepubliceerd"),
        "example": Boolean("Verzonnen voorbeeld: toont het label 'Voorbeeld'"),
    }),
    "organisation": Obj("Inkopende organisatie (content/organisations/<naam>.yaml)", fields={
        "name": Text("Naam van de organisatie", required=True),
        "type": Vocab("Soort organisatie (lijst 'organisation_types')", required=True, lists=("organisation_types",)),
        "region": Vocab("Regio (lijst 'regions')", lists=("regions",)),
        "website": Pattern("Website", kind="url"),
        "mvi_policy": Pattern("Adres van het MVI-beleid", kind="url"),
        "mvi_manifest": Boolean("Heeft het Manifest MVI ondertekend"),
        "procurement_calendar": Pattern("Adres van de eigen aanbestedingskalender", kind="url"),
        "contact": _contact(),
        "example": Boolean("Verzonnen voorbeeld: toont het label 'Voorbeeld'"),
    }),
    "procurement": Obj("Geplande inkoop (content/calendar/<naam>.yaml)", fields={
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
        "example": Boolean("Verzonnen voorbeeld: toont het label 'Voorbeeld'"),
    }),
    "event": Obj("Bijeenkomst (content/events/<naam>.md, kop tussen ---)", fields={
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
        "example": Boolean("Verzonnen voorbeeld: toont het label 'Voorbeeld'"),
    }),
    "tip": Obj("Tip (content/tips/<nummer>-<naam>.md)", fields={
        "number": Integer("Nummer van de tip, 1 tot 5", required=True, minimum=1, maximum=5),
        "title": Text("Titel", required=True),
        "summary": Text("Samenvatting", required=True),
    }),
    "page": Obj("Pagina (content/pages/<naam>.md)", fields={
        "title": Text("Titel", required=True),
        "summary": Text("Korte beschrijving"),
        "nav": Integer("Plaats in het menu onderaan (lager staat eerder)", minimum=0),
    }),
}

VOCABULARY_LISTS = (
    "themes", "categories", "routes", "regions", "municipalities", "target_groups", "organisation_types",
    "sizes", "reach", "recognitions", "opportunities", "procedures", "event_kinds",
)


def check_vocabulary(file: SourceFile, problems: Problems) -> dict[str, dict[str, dict[str, Any]]]:
    """Validate content/vocabulary.yaml; returns list -> slug -> {label, description, ...}."""
    vocabulary: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in VOCABULARY_LISTS}
    data = file.data or {}

    def error(key_path, message, hint=""):
        line, column = file.position(key_path)
        problems.error(file.rel, line, column, message, hint)

    for name in VOCABULARY_LISTS:
        if name not in data and file.data is not None:
            error((), f"de lijst '{name}' ontbreekt in de woordenlijst")
    for name, entries in data.items():
        if name not in VOCABULARY_LISTS:
            line, column = file.key_position((name,))
            problems.warning(file.rel, line, column, f"onbekende lijst '{name}' wordt genegeerd", did_you_mean(name, VOCABULARY_LISTS))
            continue
        if not isinstance(entries, dict):
            error((name,), f"'{name}' moet een lijst zijn van korte-naam: {{label: ...}}")
            continue
        for slug, entry in entries.items():
            if not SLUG_PATTERN.match(slug):
                line, column = file.key_position((name, slug))
                problems.error(file.rel, line, column, f"'{slug}' is geen geldige korte naam", "gebruik kleine letters, cijfers en streepjes")
                continue
            if isinstance(entry, str):
                entry = {"label": entry}
            if not isinstance(entry, dict) or not isinstance(entry.get("label"), str):
                error((name, slug), f"'{name}.{slug}' heeft een 'label' nodig")
                continue
            clean = {"label": entry["label"], "description": str(entry.get("description", "") or "")}
            if name == "municipalities":
                clean["region"] = entry.get("region", "")
            vocabulary[name][slug] = clean
    for slug, entry in vocabulary["municipalities"].items():
        if entry["region"] and entry["region"] not in vocabulary["regions"]:
            error(("municipalities", slug, "region"), f"onbekende regio '{entry['region']}'",
                  did_you_mean(entry["region"], vocabulary["regions"]))
    return vocabulary


def check_item(file: SourceFile, ctx: Context) -> dict[str, Any] | None:
    """Validate one parsed file against its schema plus the rules that span fields."""
    checked = SCHEMAS[file.kind].check(file.data, (), ctx)
    if checked is INVALID:
        return None
    before = len(ctx.problems.errors)
    RULES.get(file.kind, lambda data, ctx: None)(checked, ctx)
    return checked if len(ctx.problems.errors) == before else None


def _tip_rules(data: dict, ctx: Context) -> None:
    prefix = ctx.file.slug.split("-", 1)[0]
    if prefix != str(data["number"]):
        ctx.error(("number",), f"tipnummer {data['number']} past niet bij de bestandsnaam '{ctx.file.slug}'",
                  f"noem het bestand {data['number']}-{ctx.file.slug.split('-', 1)[-1]}.md")


def _event_rules(data: dict, ctx: Context) -> None:
    if data.get("end") and data["end"] < data["start"]:
        ctx.error(("end",), "de bijeenkomst eindigt voordat ze begint")


# A figure that recurs: the impact page adds up figures with the same unit, so a yearly
# figure whose unit does not say so would be added to one-off figures.
RECURRING_PATTERN = re.compile(r"\b(?:per (?:jaar|maand|week|dag)|jaarlijks|maandelijks|wekelijks)\b", re.IGNORECASE)


def _case_rules(data: dict, ctx: Context) -> None:
    for number, figure in enumerate(data.get("impact", [])):
        said = RECURRING_PATTERN.search(f"{figure['label']} {figure.get('source', '')}")
        if said and not RECURRING_PATTERN.search(figure["unit"]):
            ctx.warning(("impact", number, "unit"),
                        f"dit cijfer is '{said.group(0).lower()}', maar de eenheid '{figure['unit']}' zegt dat niet",
                        f"schrijf bijvoorbeeld unit: {figure['unit']} per jaar; de impactpagina telt alleen "
                        "cijfers met dezelfde eenheid op")


RULES = {"tip": _tip_rules, "event": _event_rules, "case": _case_rules}


def json_schemas(vocabulary: dict) -> dict[str, dict]:
    """One JSON Schema (draft 2020-12) per content type, with Dutch descriptions."""
    schemas = {}
    for kind, schema in SCHEMAS.items():
        document = schema.json_schema(vocabulary)
        document = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": schema.description, **document}
        schemas[kind] = document
    return schemas


@dataclass
class ValidItem:
    """A file whose data passed its schema."""

    file: SourceFile
    data: dict[str, Any]


@dataclass
class ValidContent:
    site: dict[str, Any]
    vocabulary: dict[str, dict[str, dict[str, Any]]]
    items: list[ValidItem]
    media: set[str]


def validate_content(files: list[SourceFile], media: set[str], problems: Problems,
                     reuse: dict[str, tuple] | None = None) -> ValidContent | None:
    """Check every file; returns None when site.yaml or vocabulary.yaml is unusable.

    `reuse` maps a file to (key, data, problems) from an earlier run; the key covers the
    file and everything its checks look at, and the dict is updated in place."""
    by_kind: dict[str, list[SourceFile]] = {}
    for file in files:
        by_kind.setdefault(file.kind, []).append(file)
    for name in ("site", "vocabulary"):
        if name not in by_kind:
            problems.error(f"content/{name}.yaml", 1, 1, f"het bestand content/{name}.yaml ontbreekt")
    if "site" not in by_kind or "vocabulary" not in by_kind:
        return None
    vocabulary = check_vocabulary(by_kind["vocabulary"][0], problems)
    known = {kind: {file.slug for file in by_kind.get(kind, [])} for kind in ("organisation", "enterprise", "case")}
    # A short digest: every file's cache key holds it, and comparing the long text itself
    # for each of thousands of files would cost more than the checks it saves.
    context_key = hashlib.blake2b(repr((by_kind["vocabulary"][0].digest, sorted((k, sorted(v)) for k, v in known.items()),
                                        sorted(media), problems.strict)).encode("utf-8"), digest_size=16).hexdigest()
    reuse = {} if reuse is None else reuse
    items: list[ValidItem] = []
    tips: list[ValidItem] = []
    site_data = None
    for file in files:
        if file.data is None or file.kind == "vocabulary":
            continue
        key = (file.digest, context_key)
        entry = reuse.get(file.rel)
        if entry is None or entry[0] != key:
            # A file with an entry had a valid name: the name is part of its path, the entry's key.
            if file.kind != "site" and not SLUG_PATTERN.match(file.slug):
                problems.error(file.rel, 1, 1, f"ongeldige bestandsnaam '{file.slug}'",
                               "gebruik kleine letters, cijfers en streepjes, bijvoorbeeld "
                               + (slugify(file.slug) or "mijn-bestand"))
                continue
            found = Problems(strict=problems.strict)
            entry = (key, check_item(file, Context(file, found, vocabulary, known, media)), found.items)
            reuse[file.rel] = entry
        if entry[2]:
            problems.extend(entry[2])
        data = entry[1]
        if data is None:
            continue
        if file.kind == "site":
            site_data = data
        else:
            items.append(ValidItem(file, data))
            if file.kind == "tip":
                tips.append(items[-1])
    _check_unique_tips(tips, problems)
    if site_data is None:
        return None
    return ValidContent(site_data, vocabulary, items, media)


def _check_unique_tips(items: list[ValidItem], problems: Problems) -> None:
    seen: dict[int, str] = {}
    for item in items:
        if item.file.kind == "tip":
            number = item.data["number"]
            if number in seen:
                line, column = item.file.position(("number",))
                problems.error(item.file.rel, line, column, f"tip {number} bestaat al in {seen[number]}")
            seen.setdefault(number, item.file.rel)

"""Stage 2, validate: the field types every content schema is made of.

Each type checks one value (collecting problems with positions and Dutch "bedoelde je ...?"
hints) and writes its own JSON Schema; `registry.py` combines them into one schema per type."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import Problems, did_you_mean

if TYPE_CHECKING:  # only annotations: load.py comes after this module
    from .load import KeyPath, SourceFile

INVALID = object()  # a value that failed its check; the item is then left out of the model

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
# No ?, & or # : a mailto: link made from it must not carry a subject, body or copy address.
EMAIL_PATTERN = re.compile(r"^[^@\s?&#/:;,<>\"'()\[\]\\%]+@[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?\.[a-z]{2,}$", re.IGNORECASE)
QUARTER_PATTERN = re.compile(r"^(\d{4})-Q([1-4])$")
KVK_PATTERN = re.compile(r"^\d{8}$")


@dataclass
class Context:
    """What a check may look at besides the value: vocabulary, known slugs, media."""

    file: SourceFile
    problems: Problems
    vocabulary: dict[str, dict[str, dict[str, Any]]]
    known: dict[str, set[str]]  # content type -> slugs of its files
    media: set[str]
    folders: dict[str, str] = field(default_factory=dict)  # content type -> its folder, e.g. content/cases

    def error(self, key_path: KeyPath, message: str, hint: str = "") -> None:
        line, column = self.file.position(key_path)
        self.problems.error(self.file.rel, line, column, message, hint)

    def warning(self, key_path: KeyPath, message: str, hint: str = "") -> None:
        line, column = self.file.position(key_path)
        self.problems.warning(self.file.rel, line, column, message, hint)

    def error_at_key(self, key_path: KeyPath, message: str, hint: str = "") -> None:
        line, column = self.file.key_position(key_path)
        self.problems.error(self.file.rel, line, column, message, hint)

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


# Characters XML 1.0 forbids or that steer a terminal; a field of one line (one with a
# maximum length) has no line breaks either.
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff\u2028\u2029]")


@dataclass
class Text(FieldType):
    max_length: int = 0

    def check(self, value, key_path, ctx):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            ctx.error(key_path, f"'{_label(key_path)}' moet tekst zijn")
            return INVALID
        text = str(value).strip()
        control = _CONTROL.search(text) if self.max_length else _CONTROL_IN_TEXT.search(text)
        if control is not None:
            ctx.error(key_path, f"'{_label(key_path)}' bevat het stuurteken U+{ord(control.group()):04X}"
                      + (" (een regeleinde in een veld van één regel)" if control.group() in "\n\r" else ""),
                      "haal het teken weg; schrijf het veld op één regel" if self.max_length else "haal het teken weg")
            return INVALID
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
        if not isinstance(value, str) or not self.PATTERNS[self.kind].fullmatch(value.strip()):
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


def normal_kvk(value: Any) -> str | None:
    """A KvK number as its eight digits, or None; spaces and dots as people write them are dropped."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    digits = re.sub(r"[\s.]", "", str(value))
    return digits if KVK_PATTERN.match(digits) else None


@dataclass
class KvkNumber(FieldType):
    """The eight-digit number of the Dutch Chamber of Commerce (KvK), kept as text."""

    def check(self, value, key_path, ctx):
        digits = normal_kvk(value)
        if digits is None:
            hint = "een KvK-nummer heeft acht cijfers, bijvoorbeeld kvk: \"12345678\""
            if isinstance(value, int) and not isinstance(value, bool):
                # YAML reads 01234567 as an octal number: a leading zero needs quotes.
                hint = "zet het nummer tussen aanhalingstekens, zeker als het met een 0 begint: kvk: \"01234567\""
            ctx.error(key_path, f"'{value}' in '{_label(key_path)}' is geen geldig KvK-nummer", hint)
            return INVALID
        return digits

    def json_schema(self, vocabulary):
        return self._schema({"type": "string", "pattern": KVK_PATTERN.pattern})


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


@dataclass
class Ref(FieldType):
    """The slug of another content item (its file name without extension)."""

    target: str = "enterprise"

    def check(self, value, key_path, ctx):
        known = ctx.known.get(self.target, set())
        if not isinstance(value, str) or value not in known:
            folder = ctx.folders[self.target]
            ctx.error(key_path, f"onbekende verwijzing '{value}' in '{_label(key_path)}': {folder}/{value}.* bestaat niet",
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


def _inner_fields(field_type: FieldType | None) -> dict:
    """The fields of a group, or of each item of a list of groups."""
    if isinstance(field_type, ListOf):
        field_type = field_type.item
    return field_type.fields if isinstance(field_type, Obj) else {}


def _block_indent(value: dict, key_path: KeyPath, block: str, ctx: Context) -> int:
    """How many spaces the keys inside `block` stand at (two more than `block` when it has none)."""
    inner = value.get(block)
    if isinstance(inner, list) and inner and isinstance(inner[0], dict):
        first = next(iter(inner[0]), None)
        if first is not None:
            return ctx.file.key_position(key_path + (block, 0, first))[1] - 1
    if isinstance(inner, dict) and inner:
        return ctx.file.key_position(key_path + (block, next(iter(inner))))[1] - 1
    return ctx.file.key_position(key_path + (block,))[1] + 1


@dataclass
class Obj(FieldType):
    fields: dict[str, FieldType] = field(default_factory=dict)

    def check(self, value, key_path, ctx):
        if not isinstance(value, dict):
            ctx.error(key_path, f"'{_label(key_path)}' moet een groep velden zijn (sleutel: waarde)")
            return INVALID
        result, ok = {}, True
        keys = list(value)
        for index, key in enumerate(keys):
            if key not in self.fields:
                block = keys[index - 1] if index else None
                if block is not None and key in _inner_fields(self.fields.get(block)):
                    # A key of the block above, written at that block's own level: a dedent too many.
                    ok = False
                    ctx.error_at_key(key_path + (key,), f"'{key}' staat buiten het blok '{block}'",
                                     f"zet er {_block_indent(value, key_path, block, ctx)} spaties voor, "
                                     f"zodat '{key}' bij '{block}' hoort")
                    continue
                ctx.warning_at_key(key_path + (key,), f"onbekend veld '{key}' wordt genegeerd",
                                   did_you_mean(key, self.fields))
        for name, field_type in self.fields.items():
            if value.get(name) is None or (value.get(name) == "" and not field_type.required):
                if field_type.required and name in value:  # written without a value, as `sitegen new` leaves it
                    ctx.error_at_key(key_path + (name,), f"verplicht veld '{_label(key_path + (name,))}' is nog leeg",
                                     "vul het in; achter het veld staat wat erin hoort")
                    ok = False
                elif field_type.required:
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
        # A missing alt text must not hide a missing image: the file is looked up either way.
        written = value.get("src") if isinstance(value, dict) else None
        if not isinstance(written, str) or not written.strip():
            return INVALID
        src = written.strip().removeprefix("/").removeprefix("content/")
        if src not in ctx.media:
            ctx.error(key_path + ("src",), f"afbeelding '{written.strip()}' niet gevonden in content/media/",
                      did_you_mean(src, ctx.media))
            return INVALID
        if checked is INVALID:
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

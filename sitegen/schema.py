"""Stage 2, validate: every content file checked against its schema, every problem collected.

Hands on `ValidContent`; the schemas (from `registry.py`, built of the field types in
`fields.py`) also give the JSON Schemas that `sitegen schema` writes for editors."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import BuildFailed, Problems, did_you_mean
from .fields import INVALID, SLUG_PATTERN, Boolean, Choice, Context, FieldType, ListOf, Media, Obj, Pattern, Ref, Text
from .load import SourceFile, load_content
from .registry import CONTENT_TYPES
from .urls import slugify

SITE_SCHEMA = Obj("Instellingen van de site (content/site.yaml)", fields={
    "title": Text("Naam van de site", required=True),
    "base_url": Pattern("Volledig adres waar de site komt te staan, ook met submap", required=True, kind="url"),
    "language": Choice("Taal van de site", required=True, values=("nl",)),
    "description": Text("Korte beschrijving voor zoekmachines en link-voorbeelden"),
    "region": Text("Regio van de etalage"),
    "example_notice": Text("Eén melding op elke pagina dat items met het label Voorbeeld verzonnen zijn"),
    "logo": Media("Logo van de site"),
    "nav": ListOf("Volgorde van het hoofdmenu", item=Choice(values=(
        "verhalen", "ondernemers", "kalender", "bijeenkomsten", "tips", "impact", "zoeken"))),
    "features": Obj("Functies aan of uit", fields={
        "raw_html": Boolean("Sta HTML toe in Markdown (standaard uit, om veiligheidsredenen)"),
        "noindex": Boolean("Intranet: vraag zoekmachines de site niet op te nemen"),
    }),
})

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
            if not SLUG_PATTERN.fullmatch(slug):
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
    content_type = CONTENT_TYPES.get(file.kind)
    checked = (content_type.schema if content_type else SITE_SCHEMA).check(file.data, (), ctx)
    if checked is INVALID:
        return None
    before = len(ctx.problems.errors)
    if content_type and content_type.rules:
        content_type.rules(checked, ctx)
    return checked if len(ctx.problems.errors) == before else None



def _ref_targets(field_type: FieldType) -> set[str]:
    """The content types a field refers to, itself or in its parts."""
    if isinstance(field_type, Ref):
        return {field_type.target}
    if isinstance(field_type, ListOf):
        return _ref_targets(field_type.item)
    if isinstance(field_type, Obj):
        return set().union(*map(_ref_targets, field_type.fields.values()))
    return set()


def json_schemas(vocabulary: dict) -> dict[str, dict]:
    """One JSON Schema (draft 2020-12) per content type, with Dutch descriptions."""
    schemas = {}
    all_schemas = {"site": SITE_SCHEMA, **{name: content_type.schema for name, content_type in CONTENT_TYPES.items()}}
    for kind, schema in all_schemas.items():
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
                     reuse: dict[str, tuple] | None = None, include_drafts: bool = False) -> ValidContent | None:
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
    # Only the slugs of types a schema refers to: every file's cache key holds them.
    targets = set().union(*(_ref_targets(content_type.schema) for content_type in CONTENT_TYPES.values()))
    known = {kind: {file.slug for file in by_kind.get(kind, [])} for kind in targets}
    folders = {name: content_type.source_folder for name, content_type in CONTENT_TYPES.items()}
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
            if file.kind != "site" and not SLUG_PATTERN.fullmatch(file.slug):
                problems.error(file.rel, 1, 1, f"ongeldige bestandsnaam '{file.slug}'",
                               "gebruik kleine letters, cijfers en streepjes, bijvoorbeeld "
                               + (slugify(file.slug) or "mijn-bestand"))
                continue
            found = Problems(strict=problems.strict)
            entry = (key, check_item(file, Context(file, found, vocabulary, known, media, folders)), found.items)
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
    _check_unique_kvk(items, problems)
    if not include_drafts:
        _check_required_drafts(items, problems)
    if site_data is None:
        return None
    return ValidContent(site_data, vocabulary, items, media)


def check_source(source: Path) -> ValidContent:
    """Load and check a whole site, for commands that read its content without building it;
    raises BuildFailed with every problem when an error stops it."""
    problems = Problems()
    loaded = load_content(source, problems)
    valid = validate_content(loaded.files, loaded.media, problems) if not problems.errors else None
    problems.raise_if_errors()
    if valid is None:
        raise BuildFailed(problems.items)
    return valid


def _check_unique_tips(items: list[ValidItem], problems: Problems) -> None:
    seen: dict[int, str] = {}
    for item in items:
        if item.file.kind == "tip":
            number = item.data["number"]
            if number in seen:
                line, column = item.file.position(("number",))
                problems.error(item.file.rel, line, column, f"tip {number} bestaat al in {seen[number]}")
            seen.setdefault(number, item.file.rel)


def _check_unique_kvk(items: list[ValidItem], problems: Problems) -> None:
    """One KvK number belongs to one enterprise or organisation: `sitegen inventaris` matches by it."""
    seen: dict[str, str] = {}
    for item in items:
        number = item.data.get("kvk") if item.file.kind in ("enterprise", "organisation") else None
        if not number:
            continue
        if number in seen:
            line, column = item.file.position(("kvk",))
            problems.error(item.file.rel, line, column, f"KvK-nummer {number} staat ook in {seen[number]}",
                           "elk KvK-nummer hoort bij één onderneming of organisatie; zoek het juiste nummer op in "
                           "het Handelsregister")
        seen.setdefault(number, item.file.rel)


def _check_required_drafts(items: list[ValidItem], problems: Problems) -> None:
    """A published file cannot do without what a required reference names (a story's buyer):
    that may not be a draft, which is left out of the site. Other references to a draft are
    left out with it, as references to unpublished stories are."""
    drafts = {(item.file.kind, item.file.slug) for item in items if item.data.get("draft")}
    if not drafts:
        return
    for item in items:
        content_type = CONTENT_TYPES[item.file.kind]
        if item.data.get("draft"):
            continue
        for name, field_type in content_type.schema.fields.items():
            ref = field_type.item if isinstance(field_type, ListOf) else field_type
            value = item.data.get(name)
            slugs = value if isinstance(value, list) else [value]
            # required: a list of references must keep at least one that is published
            if not (isinstance(ref, Ref) and field_type.required and slugs
                    and all((ref.target, slug) in drafts for slug in slugs)):
                continue
            target = CONTENT_TYPES[ref.target]
            line, column = item.file.position((name,))
            names = "', '".join(slugs)
            problems.error(item.file.rel, line, column,
                           f"'{name}' verwijst naar '{names}', maar " +
                           ("dat is een concept (draft: true)" if len(slugs) == 1 else "dat zijn allemaal concepten (draft: true)"),
                           f"zet draft: false in {target.source_folder}/{slugs[0]}{target.suffix}, "
                           "of maak ook dit bestand een concept")

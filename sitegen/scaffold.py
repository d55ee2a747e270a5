"""Editor helpers: new content files with every field explained, and JSON Schemas.

`new_item` writes a file an editor only has to fill in; `write_schemas` exports the
schemas from schema.py so editors get completion and hover help in VS Code."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .errors import Problems
from .load import load_content
from .urls import slugify
from .schema import SCHEMAS, check_vocabulary, json_schemas


class ScaffoldError(Exception):
    pass


FOLDERS = {"case": ("cases", ".md"), "enterprise": ("enterprises", ".yaml"),
           "organisation": ("organisations", ".yaml"), "procurement": ("calendar", ".yaml"),
           "event": ("events", ".md")}

# Example values per field; a field not listed gets an empty value. Keys follow SCHEMAS.
EXAMPLES = {
    "case": {"date": "{today}", "buyer": "naam-van-organisatie", "enterprises": "[naam-van-onderneming]",
             "category": "catering", "route": "enkelvoudig-onderhands", "value": "10000",
             "impact": "\n  - label: Werkplekken\n    value: 2\n    unit: banen\n    source: Opgave leverancier",
             "themes": "[inclusieve-arbeidsmarkt]", "tips": "[3]",
             "quote": "\n  text: \"\"\n  by: \"\"", "contact": "\n  role: Inkoopadviseur\n  email: inkoop@organisatie.nl",
             "confirmed_by_buyer": "false", "draft": "true", "example": "false"},
    "enterprise": {"impact": "[inclusieve-arbeidsmarkt]",
                   "offerings": "\n  - category: catering\n    description: Wat een inkoper hier kan kopen",
                   "location": "\n  municipality: breda\n  address: \"\"", "size": "groeiend", "reach": "regionaal",
                   "service_area": "[]", "recognitions": "[]", "target_groups": "[]",
                   "reserved_contract_eligible": "onbekend", "counts_for_social_return": "false",
                   "checked": "\n  date: {today}\n  by: Redactie", "example": "false"},
    "organisation": {"type": "gemeente", "mvi_manifest": "false", "example": "false",
                     "contact": "\n  role: Inkoopadviseur\n  email: inkoop@organisatie.nl"},
    "procurement": {"organisation": "naam-van-organisatie", "category": "catering", "expected": "2027-Q2",
                    "procedure": "onbekend", "opportunities": "[]", "updated": "{today}", "example": "false"},
    "event": {"kind": "lunchlezing", "start": "{today}T12:00", "end": "{today}T13:00", "cases": "[]",
              "speakers": "\n  - name: \"\"\n    role: \"\"", "example": "false"},
}
NAME_FIELD = {"enterprise": "name", "organisation": "name"}
BODIES = {
    "case": "\n## Aanleiding\n\n\n## Aanpak\n\n\n## Resultaat\n\n\n## Wat werkte en wat schuurde\n\n\n## Tip voor collega's\n\n",
    "event": "\nWaar gaat de bijeenkomst over, en voor wie is ze bedoeld?\n",
}
for _kind in EXAMPLES.values():
    _kind.setdefault("image", "{src: media/naam.jpg, alt: Wat er op de afbeelding staat}")
    _kind.setdefault("logo", "{src: media/naam.svg, alt: Logo van ...}")
    _kind.setdefault("aliases", "[/verhalen/oude-naam/]")
    for _url_field in ("website", "online_url", "registration_url", "tender_url", "mvi_policy", "procurement_calendar"):
        _kind.setdefault(_url_field, "https://")

# Fields that are rarely known at the start are written commented out.
OPTIONAL_COMMENTED = {"aliases", "quote", "speakers", "image", "logo", "online_url", "registration_url", "tender_url",
                      "mvi_policy", "procurement_calendar", "website"}


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def scaffold_text(kind: str, title: str, today: dt.date) -> str:
    schema = SCHEMAS[kind]
    lines = []
    for name, field_type in schema.fields.items():
        required = " (verplicht)" if field_type.required else ""
        comment = f"  # {field_type.description}{required}"
        if name in ("title", NAME_FIELD.get(kind)):
            value = _quote(title)
        elif name == "description" and kind == "enterprise":
            value = "|\n  Beschrijf de onderneming in een paar korte alinea's."
        else:
            value = EXAMPLES.get(kind, {}).get(name, '""').replace("{today}", today.isoformat())
        if value.startswith("\n") or value.startswith("|"):
            line = f"{name}: {value.splitlines()[0] if value.startswith('|') else ''}".rstrip() + comment
            rest = value.split("\n", 1)[1] if "\n" in value else ""
            entry = line + ("\n" + rest if rest else "")
        else:
            entry = f"{name}: {value}{comment}"
        if name in OPTIONAL_COMMENTED:
            entry = "\n".join("# " + part for part in entry.split("\n"))
        lines.append(entry)
    front = "\n".join(lines) + "\n"
    if kind in BODIES:
        return f"---\n{front}---\n{BODIES[kind]}"
    return front


def new_item(source: Path, kind: str, title: str, today: dt.date) -> Path:
    folder, suffix = FOLDERS[kind]
    slug = slugify(title)
    if not slug:
        raise ScaffoldError("de titel geeft geen bruikbare bestandsnaam; gebruik letters of cijfers")
    content = source / "content"
    if not content.is_dir():
        raise ScaffoldError(f"map '{content}' niet gevonden; geef de bronmap op met --source")
    path = content / folder / f"{slug}{suffix}"
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(source)} bestaat al; kies een andere titel")
    path.parent.mkdir(exist_ok=True)
    path.write_text(scaffold_text(kind, title, today), encoding="utf-8")
    return path.relative_to(source)


def write_schemas(source: Path, output: Path | None) -> list[Path]:
    """Write one JSON Schema per content type, filled with the site's vocabulary."""
    from .errors import BuildFailed
    problems = Problems()
    loaded = load_content(source, problems)
    vocabulary_files = [f for f in loaded.files if f.kind == "vocabulary"]
    vocabulary = check_vocabulary(vocabulary_files[0], problems) if vocabulary_files else {}
    if problems.errors and not vocabulary:
        raise BuildFailed(problems.items)
    folder = output or source / ".vscode" / "schemas"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, document in json_schemas(vocabulary).items():
        path = folder / f"{kind}.schema.json"
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written

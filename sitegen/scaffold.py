"""Editor helpers: new content files with every field explained, and JSON Schemas.

`new_item` writes a file an editor only has to fill in (from the type's registry entry);
`write_schemas` exports the schemas so editors get completion and hover help in VS Code."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .errors import Problems
from .load import load_content
from .urls import slugify
from .registry import CONTENT_TYPES
from .schema import check_vocabulary, json_schemas


class ScaffoldError(Exception):
    pass


# Fields that are rarely known at the start are written commented out.
OPTIONAL_COMMENTED = {"aliases", "quote", "speakers", "image", "logo", "online_url", "registration_url", "tender_url",
                      "mvi_policy", "procurement_calendar", "website"}


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def new_kinds() -> list[str]:
    """The content types `sitegen new` can make."""
    return [name for name, content_type in CONTENT_TYPES.items() if content_type.scaffold]


def scaffold_text(kind: str, title: str, today: dt.date) -> str:
    content_type = CONTENT_TYPES[kind]
    scaffold = content_type.scaffold
    lines = []
    for name, field_type in content_type.schema.fields.items():
        required = " (verplicht)" if field_type.required else ""
        comment = f"  # {field_type.description}{required}"
        if name == scaffold.title_field:
            value = _quote(title)
        else:
            value = scaffold.examples.get(name, '""').replace("{today}", today.isoformat())
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
    if content_type.suffix == ".md":
        return f"---\n{front}---\n{scaffold.body}"
    return front


def new_item(source: Path, kind: str, title: str, today: dt.date) -> Path:
    content_type = CONTENT_TYPES[kind]
    slug = slugify(title)
    if not slug:
        raise ScaffoldError("de titel geeft geen bruikbare bestandsnaam; gebruik letters of cijfers")
    content = source / "content"
    if not content.is_dir():
        raise ScaffoldError(f"map '{content}' niet gevonden; geef de bronmap op met --source")
    path = content / content_type.folder / f"{slug}{content_type.suffix}"
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

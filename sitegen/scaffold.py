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


# Fields that are rarely known at the start are written commented out, as a whole.
OPTIONAL_COMMENTED = {"aliases", "quote", "speakers", "image", "logo", "online_url", "registration_url", "tender_url",
                      "mvi_policy", "procurement_calendar", "website"}


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def new_kinds() -> list[str]:
    """The content types `sitegen new` can make."""
    return [name for name, content_type in CONTENT_TYPES.items() if content_type.scaffold]


def _field_text(name: str, value: str | None, example: str | None, comment: str) -> str:
    """One field: its value, or nothing with the example in a comment (a block example as
    commented lines, ready to be uncommented)."""
    if value is not None:
        if value.startswith(("\n", "|")):
            first, _, rest = value.partition("\n")
            return f"{name}: {first}".rstrip() + comment + ("\n" + rest if rest else "")
        return f"{name}: {value}{comment}"
    if example is None:
        return f"{name}:{comment}"
    said = "" if "bijvoorbeeld" in comment else "; bijvoorbeeld"
    comment = comment.rstrip(".")
    if example.startswith(("\n", "|")):
        lines = example.split("\n")
        head = f"{name}:{comment}{said or ';'} zo:"
        if example.startswith("|"):
            return "\n".join([head, f"# {name}: {lines[0]}"] + [f"# {line}" for line in lines[1:]])
        return "\n".join([head] + [f"# {line}" for line in lines[1:]])
    return f"{name}:{comment}{said}: {example}" if said else f"{name}:{comment}"


def scaffold_text(kind: str, title: str, today: dt.date, number: int | None = None) -> str:
    """The new file: every field with its description; values only where they are right
    until changed, every example in a comment (registry.Scaffold)."""
    content_type = CONTENT_TYPES[kind]
    scaffold = content_type.scaffold
    lines = []
    for name, field_type in content_type.schema.fields.items():
        comment = f"  # {field_type.description}" + (" (verplicht)" if field_type.required else "")
        example = scaffold.examples.get(name)
        value = scaffold.values.get(name)
        if name == scaffold.title_field:
            value = _quote(title)
        elif name == scaffold.numbered and number is not None:
            value = str(number)
        today_text = today.isoformat()
        entry = _field_text(name, value and value.replace("{today}", today_text),
                            example and example.replace("{today}", today_text), comment)
        if name in OPTIONAL_COMMENTED:
            entry = "\n".join(part if part.startswith("# ") else "# " + part for part in entry.split("\n"))
        lines.append(entry)
    front = "\n".join(lines) + "\n"
    if content_type.suffix == ".md":
        return f"---\n{front}---\n{scaffold.body}"
    return front


def first_free_number(folder: Path, highest: int) -> int | None:
    """The lowest number from 1 to `highest` that no file in `folder` starts its name with."""
    taken = {path.name.split("-", 1)[0] for path in folder.glob("*")} if folder.is_dir() else set()
    return next((number for number in range(1, highest + 1) if str(number) not in taken), None)


def new_item(source: Path, kind: str, title: str, today: dt.date) -> Path:
    content_type = CONTENT_TYPES[kind]
    slug = slugify(title)
    if not slug:
        raise ScaffoldError("de titel geeft geen bruikbare bestandsnaam; gebruik letters of cijfers")
    content = source / "content"
    if not content.is_dir():
        raise ScaffoldError(f"map '{content}' niet gevonden; geef de bronmap op met --source")
    folder = content / content_type.folder
    number = None
    if content_type.scaffold.numbered:
        highest = content_type.schema.fields[content_type.scaffold.numbered].maximum
        number = first_free_number(folder, highest)
        if number is None:
            raise ScaffoldError(f"er zijn al {highest} tips (1 tot {highest}); pas een bestaande tip aan in "
                                f"{folder.relative_to(source)}")
        slug = f"{number}-{slug}"
    path = folder / f"{slug}{content_type.suffix}"
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(source)} bestaat al; kies een andere titel")
    folder.mkdir(exist_ok=True)
    path.write_text(scaffold_text(kind, title, today, number), encoding="utf-8")
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

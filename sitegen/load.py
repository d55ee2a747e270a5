"""Stage 1, load: find content files and parse YAML and front matter.

Hands on `SourceFile`s: plain Python data plus the line and column of every key and
value, so later stages can point editors at the exact place of a problem."""

from __future__ import annotations

import hashlib
import math
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problems
from .registry import CONTENT_TYPES
from .workers import fork_map, split
from .yaml_errors import explain, indentation_mistake

SINGLE_FILES: dict[str, str] = {"site.yaml": "site", "vocabulary.yaml": "vocabulary"}
MEDIA_FOLDER = "media"
SHARED_TEXT = 40  # scalars up to this length are interned (slugs, vocabulary words, dates)

Position = tuple[int, int]
KeyPath = tuple[Any, ...]


@dataclass
class SourceFile:
    """One content file as parsed: data, body and where everything stands."""

    kind: str
    rel: str  # path relative to the source folder, with forward slashes
    slug: str
    data: dict[str, Any] | None = None
    # position of each value, keyed by its path in the data, e.g. ("offerings", 0, "category");
    # ("key", *path) holds the position of a mapping key itself. Only messages need them, so
    # they are dropped once checked (see forget_details) and parsed again when asked for.
    positions: dict[KeyPath, Position] | None = field(default_factory=dict)
    body: str | None = ""  # None once forgotten: see markdown()
    body_line: int = 1  # where the Markdown body starts: after the front matter, or a YAML field
    digest: str = ""
    # Digest without the Markdown body: what cards and listings of the item can show.
    meta_digest: str = ""
    path: str = ""  # the file on disk, to find positions again

    def position(self, key_path: KeyPath) -> Position:
        """Position of a value, falling back to its nearest parent that has one."""
        positions = self._positions()
        path = tuple(key_path)
        while path:
            if path in positions:
                return positions[path]
            path = path[:-1]
        return positions.get((), (1, 1))

    def key_position(self, key_path: KeyPath) -> Position:
        return self._positions().get(("key", *key_path)) or self.position(key_path)

    def _details(self) -> dict[str, None]:
        """What can be read from the file again when asked for (see _positions and
        markdown): a large site has millions of positions and megabytes of Markdown."""
        if not self.path:
            return {}
        return {"positions": None, "body": None} if self.rel.endswith(".md") else {"positions": None}

    def forget_details(self) -> None:
        """Drop what only a message or a changed link target needs."""
        self.__dict__.update(self._details())

    def markdown(self) -> str:
        """The Markdown after the front matter, read again if it was forgotten."""
        if self.body is None:
            self.body = _load_file(Path(self.path), self.rel, self.kind, self.slug, Problems()).body
        return self.body

    def _positions(self) -> dict[KeyPath, Position]:
        if self.positions is None:
            again = _load_file(Path(self.path), self.rel, self.kind, self.slug, Problems(), with_positions=True)
            self.positions = again.positions or {}
        return self.positions

    def __getstate__(self) -> dict:
        return {**self.__dict__, **self._details()}


@dataclass
class LoadedContent:
    files: list[SourceFile]
    media: set[str]  # paths relative to content/, e.g. "media/logo.svg"
    # rel -> ((mtime, size), SourceFile, problems): what a later build may reuse
    entries: dict[str, tuple] = field(default_factory=dict)
    layout: Layout | None = None


class _YamlError(Exception):
    def __init__(self, line: int, column: int, message: str, hint: str = ""):
        super().__init__(message)
        self.line, self.column, self.message, self.hint = line, column, message, hint


PARALLEL_MINIMUM = 500  # files to parse before a second process pays for itself


@dataclass
class Layout:
    """Which files under content/ are what, in the order they are read. It stays the same
    from build to build until a file is added, removed or renamed, so a rebuild reuses it."""

    paths: frozenset[str]  # every path of the scan it was made from
    files: list[tuple[str, bool, str, str, str]]  # (path, whether a link, rel, kind, slug)
    media: set[str]  # paths relative to content/, e.g. "media/logo.svg"
    problems: list[tuple[str, str, str]]  # (severity, rel, message) about files left out
    reusable: bool = True  # not with links: where a link points can change unseen

    def fits(self, stats: dict[str, tuple[int, int]], links: set[str]) -> bool:
        return self.reusable and not links and stats.keys() == self.paths


def load_content(source: Path, problems: Problems, reuse: dict[str, tuple] | None = None,
                 trusted_before: int = 0, stats: dict[str, tuple[int, int]] | None = None,
                 workers: int = 1, links: set[str] | None = None, layout: Layout | None = None) -> LoadedContent:
    """Discover and parse every content file under `source/content`.

    `stats` holds (mtime, size, ctime, inode) of every file under the source (cache.source_stats, which
    also names the symbolic `links` among them); without it, they are looked up here.
    `reuse` holds the entries of a previous load; a file whose size and modification time
    are unchanged (and older than `trusted_before`, in ns) is not read again, and `layout`
    the previous layout. Many files to parse are shared among `workers` processes."""
    content_root = source / "content"
    if not content_root.is_dir():
        problems.error("content", 1, 1, "map 'content/' niet gevonden", "geef de bronmap op met --source")
        return LoadedContent([], set(), {})
    if stats is None:
        from .cache import source_stats
        links = set()
        stats = source_stats(source, links)
    links = links or set()
    if layout is None or not layout.fits(stats, links):
        layout = plan_layout(content_root, stats, links)
    for severity, rel, message in layout.problems:
        (problems.error if severity == "error" else problems.warning)(rel, 1, 1, message)
    reuse = reuse or {}
    # One pass to find what must be read again, one to collect: a rebuild after an edit
    # spends more on these loops over thousands of files than on the edited one.
    stale = []
    for path, linked, rel, kind, slug in layout.files:
        stat = os_stat(path) if linked else stats[path]
        entry = reuse.get(rel)
        # Changed, or new, or changed so shortly before the last build that a later edit
        # in the same clock tick would not show in (mtime, size): read again.
        if entry is None or entry[0] != stat or stat[0] >= trusted_before or stat[2] >= trusted_before:
            stale.append((path, stat, rel, kind, slug))
    parsed = dict(parse_files(stale, problems.strict, workers))
    entries: dict[str, tuple] = {rel: parsed.get(rel) or reuse[rel] for _, _, rel, _, _ in layout.files}
    files: list[SourceFile] = [entry[1] for entry in entries.values()]
    for entry in entries.values():
        if entry[2]:
            problems.extend(entry[2])
    return LoadedContent(files, set(layout.media), entries, layout)


def os_stat(path: str) -> tuple[int, int, int, int]:
    info = os.stat(path)
    return info.st_mtime_ns, info.st_size, info.st_ctime_ns, info.st_ino


def plan_layout(content_root: Path, stats: dict[str, tuple[int, int]], links: set[str]) -> Layout:
    """The files under content/, from a scan of the source: each folder's files in name
    order, then its subfolders in name order. Files that are no content are left out with a
    warning; links that leave content/ are refused."""
    root = str(content_root) + os.sep
    root_resolved = content_root.resolve()
    below = sorted((walk_order(path[len(root):]), path) for path in stats if path.startswith(root))
    files, media, problems = [], set(), []
    by_folder = {content_type.folder: content_type for content_type in CONTENT_TYPES.values()}
    for _, path in below:
        rel_content = path[len(root):].replace(os.sep, "/")
        rel = "content/" + rel_content
        linked = path in links
        if linked:
            target = Path(path).resolve()
            if not target.is_relative_to(root_resolved) or not target.is_file():
                problems.append(("error", rel, "symbolische link wijst buiten de map content/ en wordt geweigerd"))
                continue
        parts = rel_content.split("/")
        name = parts[-1]
        if parts[0] == MEDIA_FOLDER:
            media.add(rel_content)
            continue
        if len(parts) == 1 and name in SINGLE_FILES:
            kind, slug = SINGLE_FILES[name], name[:-5]
        elif len(parts) == 2 and parts[0] in by_folder:
            kind, extension = by_folder[parts[0]].name, by_folder[parts[0]].suffix
            if name.startswith("."):
                continue
            slug, dot, suffix = name.rpartition(".")
            if not dot or not slug or "." + suffix != extension:
                problems.append(("warning", rel, f"bestand wordt overgeslagen: verwacht een '{extension}'-bestand"))
                continue
        else:
            if not name.startswith("."):
                problems.append(("warning", rel, "bestand hoort niet bij een bekend inhoudstype en wordt overgeslagen"))
            continue
        files.append((path, linked, rel, kind, slug))
    return Layout(frozenset(stats), files, media, problems, reusable=not links)


def walk_order(rel: str) -> tuple[tuple[int, str], ...]:
    """Sort key: a folder's own files (0) before its subfolders (1), each by name."""
    parts = rel.split(os.sep)
    return (*((1, part) for part in parts[:-1]), (0, parts[-1]))


def parse_files(stale: list[tuple], strict: bool, workers: int) -> list[tuple[str, tuple]]:
    """(rel, (stat, SourceFile, problems)) for each file, in forked workers when there are many."""
    def parse(chunk: list[tuple]) -> list[tuple[str, tuple, str | None]]:
        done = []
        for path, stat, rel, kind, slug in chunk:
            found = Problems(strict=strict)
            file = _load_file(Path(path), rel, kind, slug, found)
            done.append((rel, (stat, file, found.items), file.body))
        return done

    if workers < 2 or len(stale) < PARALLEL_MINIMUM:
        return [(rel, entry) for rel, entry, _ in parse(stale)]
    pairs = []
    for chunk in fork_map(parse, split(stale, workers)):
        for rel, entry, body in chunk:
            # Pickled, a file leaves its Markdown out (SourceFile.__getstate__, for the disk
            # cache); the Markdown step needs it next, and reading it again costs a parse.
            entry[1].body = body
            pairs.append((rel, entry))
    return pairs


def decode_text(raw: bytes, rel: str, problems: Problems) -> str | None:
    """UTF-8 text; accept a byte-order mark and CRLF; report bad bytes at their line."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        offset = error.start
        line = raw.count(b"\n", 0, offset) + 1
        column = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
        problems.error(rel, line, column, f"ongeldige tekens: dit bestand is geen UTF-8 (byte 0x{raw[offset]:02x})",
                       "sla het bestand op als UTF-8")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = CONTROL_CHARACTER.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        column = control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1
        problems.error(rel, line, column, f"onzichtbaar stuurteken U+{ord(control.group()):04X} is niet toegestaan",
                       "haal het teken weg; het komt vaak mee bij kopiëren en plakken")
        return None
    return text


# Characters XML 1.0 forbids or that steer a terminal: they would break the feed or the log.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
MAX_FILE_BYTES = 1_000_000  # far above any story; a bigger file is a mistake or an attack


def _load_file(path: Path, rel: str, kind: str, slug: str, problems: Problems,
               with_positions: bool = False) -> SourceFile:
    raw = path.read_bytes()
    item = SourceFile(kind=kind, rel=rel, slug=slug, path=str(path.absolute()))
    if len(raw) > MAX_FILE_BYTES:
        problems.error(rel, 1, 1, f"het bestand is te groot ({len(raw) // 1000} kB, maximaal {MAX_FILE_BYTES // 1000} kB)",
                       "splits de tekst op in meer bestanden")
        return item
    item.digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
    text = decode_text(raw, rel, problems)
    if text is None:
        return item
    if not text.strip():
        problems.error(rel, 1, 1, "het bestand is leeg")
        return item
    yaml_text, line_offset = text, 0
    if path.suffix == ".md":
        split = split_front_matter(text)
        if isinstance(split, str):
            problems.error(rel, 1, 1, split, "begin en eindig de kop met een regel met alleen '---'")
            return item
        yaml_text, item.body, item.body_line = split
        line_offset = 1
        for line, heading in empty_sections(item.body):  # an outline from `sitegen new` not filled in yet
            problems.warning(rel, item.body_line + line - 1, 1, f"de kop '{heading}' heeft nog geen tekst",
                             "schrijf er tekst onder, of haal de kop weg")
    body_field = markdown_field(kind)
    try:
        # Positions are only for messages: parsed again when one is needed (see SourceFile),
        # except where the Markdown body is a field, whose line the markdown stage needs.
        data, positions = parse_yaml(yaml_text, line_offset, record_positions=with_positions or bool(body_field))
    except _YamlError as error:
        problems.error(rel, error.line, error.column, error.message, error.hint)
        return item
    if not isinstance(data, dict):
        problems.error(rel, 1 + line_offset, 1, "verwacht een lijst van velden (sleutel: waarde)")
        return item
    item.data, item.positions = data, positions
    item.meta_digest = _meta_digest(item, yaml_text)
    if body_field:
        item.body_line = item.position((body_field,))[0] + 1
    return item


def _meta_digest(file: SourceFile, front_matter: str) -> str:
    """The digest of a file without its Markdown body, which only the item's own page shows."""
    if file.rel.endswith(".md"):
        return hashlib.blake2b(front_matter.encode("utf-8"), digest_size=16).hexdigest()
    body_field = markdown_field(file.kind)
    if body_field and body_field in file.data:
        rest = [(key, value) for key, value in file.data.items() if key != body_field]
        return hashlib.blake2b(repr(rest).encode("utf-8"), digest_size=16).hexdigest()
    return file.digest


def markdown_field(kind: str) -> str | None:
    """The field of a YAML type that holds its Markdown body, if it has one."""
    content_type = CONTENT_TYPES.get(kind)
    return content_type.body_field if content_type else None


def split_front_matter(text: str) -> tuple[str, str, int] | str:
    """Split `---` front matter from the body; returns an error message when malformed."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return "de kop (front matter) ontbreekt: het bestand moet beginnen met '---'"
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1:])
            return front, body, index + 2
    return "de kop (front matter) is niet afgesloten met '---'"


_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r" {0,3}(```|~~~)")


def empty_sections(body: str) -> list[tuple[int, str]]:
    """(line in the body, text) of each heading with nothing under it before the next heading
    of its level or higher, or the end: an outline from `sitegen new` not filled in yet."""
    found = []
    open_heading: tuple[int, int, str] | None = None  # (line, level, text) with nothing under it yet
    fence = None
    for number, line in enumerate(body.split("\n"), start=1):
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        stripped = line.lstrip(" ")
        heading = _HEADING.fullmatch(line) if stripped[:1] == "#" else None  # most lines are text: no regex
        if heading:
            level = len(heading.group(1))
            if open_heading is not None and level <= open_heading[1]:
                found.append((open_heading[0], open_heading[2]))
            open_heading = (number, level, (heading.group(2) or "").strip())
            continue
        if stripped.strip():
            open_heading = None
            fence_start = _FENCE.match(line) if stripped[:1] in "`~" else None
            fence = fence_start.group(1) if fence_start else None
    if open_heading is not None:
        found.append((open_heading[0], open_heading[2]))
    return found


# Tags the safe loader knows; anything else (such as !!python/object/apply) is refused.
_SAFE_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary")
}


class _NoPositions(dict):
    """Stands in for the positions while parsing without them: forgets what it is told."""

    def __setitem__(self, key, value) -> None:
        pass


def parse_yaml(text: str, line_offset: int = 0,
               record_positions: bool = True) -> tuple[Any, dict[KeyPath, Position] | None]:
    """Parse YAML with the safe loader's grammar, recording the position of each node
    (or not: positions come to half the memory of a parsed file; then None)."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as first:
        error = _pure_python_error(text) or first
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1 + line_offset) if mark else 1 + line_offset
        column = (mark.column + 1) if mark else 1
        # An indentation mistake is named on its own line, which may be above the parser's mark.
        mistake = indentation_mistake(text)
        if mistake is not None and mistake.line + line_offset <= line:
            raise _YamlError(mistake.line + line_offset, mistake.column, mistake.message, mistake.hint) from None
        source_line = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
        message, hint = explain(error.problem or error.context or "", source_line)
        raise _YamlError(line, column, message, hint) from None
    except yaml.YAMLError:  # pragma: no cover - composer errors are all marked
        message, hint = explain("", "")
        raise _YamlError(1 + line_offset, 1, message, hint) from None
    positions: dict[KeyPath, Position] = {} if record_positions else _NoPositions()
    if node is None:
        return None, positions if record_positions else None
    try:
        data = _to_python(node, (), positions, set(), line_offset)
    except (_YamlError, KeyError):
        if record_positions:
            raise
        # Report it as a parse with positions does (a duplicate key names the first one).
        return parse_yaml(text, line_offset, record_positions=True)
    finally:
        # construct_object remembers every node it built (with two marks each); without
        # this, a large site would keep every parsed node alive until the build ends.
        _constructor.constructed_objects.clear()
        _constructor.recursive_objects.clear()  # left holding a node when a value fails to construct
    return data, positions if record_positions else None


# Far beyond any real field; they keep a hostile file from recursing or overflowing later.
MAX_DEPTH = 20
MAX_DIGITS = 15

_constructor = yaml.SafeLoader("")
_STR_TAG = "tag:yaml.org,2002:str"
# libyaml's parser is an order of magnitude faster and gives the same node marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _pure_python_error(text: str) -> yaml.MarkedYAMLError | None:
    """The error PyYAML's own parser finds in text that libyaml refused. libyaml words its
    errors in its own way ("did not find expected key") and puts some marks elsewhere;
    `yaml_errors.explain` knows PyYAML's words. Only a broken file pays for the second parse."""
    if _LOADER is yaml.SafeLoader:
        return None
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        return error
    return None


def _to_python(node: yaml.Node, path: KeyPath, positions: dict, seen: set[int], line_offset: int) -> Any:
    line, column = node.start_mark.line + 1 + line_offset, node.start_mark.column + 1
    positions[path] = (line, column)
    if id(node) in seen:
        # The composer hands back the same node for an alias; expanding it could explode.
        for depth in range(len(path), 0, -1):  # report the alias where it is used
            if ("key", *path[:depth]) in positions:
                line, column = positions[("key", *path[:depth])]
                break
        raise _YamlError(line, column, "YAML-verwijzingen (&anker en *alias) worden niet ondersteund",
                         "schrijf de waarde voluit")
    if node.tag not in _SAFE_TAGS:
        raise _YamlError(line, column, f"onbekende of onveilige YAML-tag '{node.tag}'", "haal de tag weg")
    if len(path) > MAX_DEPTH:
        raise _YamlError(line, column, f"de gegevens zijn te diep genest (meer dan {MAX_DEPTH} niveaus)",
                         "geen veld heeft meer dan een paar niveaus nodig")
    if isinstance(node, yaml.MappingNode):
        seen.add(id(node))
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _to_python(key_node, path + ("<key>",), positions, seen, line_offset)
            positions.pop(path + ("<key>",), None)
            key_line, key_column = key_node.start_mark.line + 1 + line_offset, key_node.start_mark.column + 1
            if not isinstance(key, (str, int)):
                raise _YamlError(key_line, key_column, "een sleutel moet tekst zijn")
            key = sys.intern(str(key))  # the same few keys in thousands of files: one copy each
            if key in result:
                first = positions[("key", *path, key)]
                raise _YamlError(key_line, key_column, f"dubbele sleutel '{key}'",
                                 f"staat ook op regel {first[0]}")
            positions[("key", *path, key)] = (key_line, key_column)
            result[key] = _to_python(value_node, path + (key,), positions, seen, line_offset)
        return result
    if isinstance(node, yaml.SequenceNode):
        seen.add(id(node))
        return [_to_python(child, path + (index,), positions, seen, line_offset)
                for index, child in enumerate(node.value)]
    seen.add(id(node))
    if node.tag == "tag:yaml.org,2002:timestamp":
        return sys.intern(node.value)  # dates are checked (and parsed) by the schema, with Dutch messages
    if node.tag == _STR_TAG:  # most values: the constructor's machinery only copies the text
        value = node.value
        return sys.intern(value) if len(value) <= SHARED_TEXT else value
    if node.tag == "tag:yaml.org,2002:int" and len(node.value.lstrip("+-0")) > MAX_DIGITS:
        raise _YamlError(line, column, f"het getal is te groot (meer dan {MAX_DIGITS} cijfers)")
    try:
        value = _constructor.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError):
        raise _YamlError(line, column, f"ongeldige waarde '{node.value}'",
                         "controleer hoe de waarde geschreven is, of zet tekst tussen aanhalingstekens") from None
    if type(value) is float and not math.isfinite(value):
        raise _YamlError(line, column, f"'{node.value}' is geen getal dat de site kan tonen",
                         "schrijf een gewoon getal, of zet tekst tussen aanhalingstekens")
    # Slugs and vocabulary words repeat across files; one copy of each saves memory.
    return sys.intern(value) if type(value) is str and len(value) <= SHARED_TEXT else value

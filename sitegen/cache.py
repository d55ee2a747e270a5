"""Incremental builds: what the previous build parsed, checked and rendered, and on what.

Each expensive step keys its result by the digests of its inputs, so a rebuild redoes
only what an edit touched and the output stays byte-identical to a clean build. The
state lives in memory (serve) and in a git-ignored folder between runs (build)."""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from .model import Item, Site

CACHE_FOLDER = ".sitegen-cache"
CACHE_FILE = "state.pickle"
INDEX_FILE = "index.pickle"  # just enough to tell that nothing changed, read without the rest
FORMAT = 7
# `site.<name>` in a template makes a page depend on all content of the site.
SITE_WIDE = {"cases", "enterprises", "organisations", "procurements", "events", "taxonomies",
             "impact_by_theme", "impact_by_route", "impact_overall", "open_procurements",
             "upcoming_events", "past_events"}


def digest(*parts: Any) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        hasher.update(b"\x00")
    return hasher.hexdigest()


def code_version() -> str:
    """Changes whenever sitegen's own code does, so an upgrade never reuses stale results."""
    package = Path(__file__).parent
    stats = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in package.glob("*.py"))
    return digest(FORMAT, stats)


@dataclass
class BuildCache:
    """Everything a rebuild may reuse; pickled between runs."""

    key: str = ""  # code version and build options; a different key starts from scratch
    # time.time_ns() when the last build looked at the sources; files changed less than two
    # seconds before it are read again, since their mtime may not show a second edit
    saved_at: int = 0
    sources: dict[str, tuple[int, int]] = field(default_factory=dict)  # stat of content/ and templates/
    files: dict[str, Any] = field(default_factory=dict)  # rel -> (stat, SourceFile, problems)
    checked: dict[str, Any] = field(default_factory=dict)  # rel -> (key, data, problems)
    bodies: dict[str, Any] = field(default_factory=dict)  # source -> (digest, {target: url}, html, text, problems)
    pages: dict[str, str] = field(default_factory=dict)  # output path -> fingerprint
    outputs: dict[str, int] = field(default_factory=dict)  # output path -> size, as last written
    search_paths: list[str] = field(default_factory=list)  # the search index's files, as last written
    search_index: Any = None  # search.SearchCache, made by the first build that needs one
    summary: dict[str, Any] = field(default_factory=dict)  # page count, next change, warnings
    # Valid while the templates' digest holds: which templates read site-wide lists, and (in
    # memory only, never pickled) the Jinja environment with its compiled templates.
    templates_key: str = ""
    environment: Any = None
    site_wide: dict[str, bool] = field(default_factory=dict)
    # The last successful build's model and plan (build.LastBuild), so that a text-only edit
    # patches it instead of building again; serve keeps it, a `sitegen build` run never has it.
    last: Any = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.update(environment=None, last=None)
        return state

    @classmethod
    def load(cls, source: Path, key: str) -> "BuildCache":
        path = source / CACHE_FOLDER / CACHE_FILE
        try:
            with open(path, "rb") as handle:
                cache = pickle.load(handle)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return cls(key=key)
        if not isinstance(cache, cls) or cache.key != key:
            return cls(key=key)
        return cache

    def save(self, source: Path) -> None:
        folder = source / CACHE_FOLDER
        folder.mkdir(exist_ok=True)
        index = {"key": self.key, "sources": self.sources, "outputs": self.outputs, "summary": self.summary}
        for name, value in ((CACHE_FILE, self), (INDEX_FILE, index)):
            temporary = folder / f"{name}.{os.getpid()}"
            with open(temporary, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, folder / name)


def unchanged_summary(source: Path, output: Path, key: str) -> dict | None:
    """The last build's summary when no source changed and its output is still in place."""
    try:
        with open(source / CACHE_FOLDER / INDEX_FILE, "rb") as handle:
            index = pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    if not isinstance(index, dict) or index.get("key") != key:
        return None
    if source_stats(source) != index["sources"] or not output_intact(output, index["outputs"]):
        return None
    return {**index["summary"], "files": len(index["outputs"])}


def source_stats(source: Path) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file under content/ and templates/."""
    state: dict[str, tuple[int, int]] = {}
    for folder in ("content", "templates"):
        stack = [str(source / folder)]
        while stack:
            try:
                entries = list(os.scandir(stack.pop()))
            except OSError:
                continue
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    state[entry.path] = (info.st_mtime_ns, info.st_size)
    return state


def output_intact(output: Path, outputs: dict[str, int]) -> bool:
    """The output folder still holds what the last build wrote (nobody deleted or changed it)."""
    if not outputs or not output.is_dir():
        return False
    folder = str(output) + os.sep
    stat = os.stat
    for rel, size in outputs.items():
        try:
            if stat(folder + rel).st_size != size:
                return False
        except OSError:
            return False
    return True


# ---------------------------------------------------------------- page fingerprints

def site_wide_templates(env) -> dict[str, bool]:
    """For each template: whether it (or anything it extends, includes or imports) reads site-wide lists."""
    import jinja2  # here, not at the top, so that a build with nothing to do stays light
    import jinja2.meta
    from jinja2 import nodes

    direct: dict[str, bool] = {}
    references: dict[str, set[str]] = {}
    for name in env.list_templates(filter_func=lambda n: n.endswith((".html", ".xml", ".txt"))):
        source = env.loader.get_source(env, name)[0]
        try:
            tree = env.parse(source)
        except jinja2.TemplateSyntaxError:
            direct[name], references[name] = True, set()
            continue
        direct[name] = any(isinstance(node.node, nodes.Name) and node.node.name == "site" and node.attr in SITE_WIDE
                           for node in tree.find_all(nodes.Getattr))
        references[name] = {ref for ref in jinja2.meta.find_referenced_templates(tree) if ref}
    result: dict[str, bool] = {}

    def visit(name: str, trail: frozenset = frozenset()) -> bool:
        if name in result:
            return result[name]
        if name in trail:
            return False
        value = direct.get(name, True) or any(visit(ref, trail | {name}) for ref in references.get(name, ()))
        result[name] = value
        return value

    for name in direct:
        visit(name)
    return result


# What a card of an item shows of the items it links to (a story card names its buyer, an
# enterprise card counts its stories). A page's own item shows all its links, as cards.
# Keep this in step with the card macros in templates/macros.html: tests/test_incremental.py
# compares incremental and clean builds after random edits and fails when a link is missing.
FORWARD_LINKS = {"Case": ("buyer", "enterprises"), "Enterprise": ("cases",),
                 "Procurement": ("organisation", "matches"), "Tip": ("cases",)}


def _linked(item: Item, names) -> list[Item]:
    found: list[Item] = []
    for name in names:
        value = getattr(item, name)
        if isinstance(value, Item):
            found.append(value)
        elif isinstance(value, list) and value and isinstance(value[0], Item):
            found.extend(value)
    return found


class ItemKeys:
    """Per item, computed once a build: its own key, its card key and its full-page key.

    Only an item's own page shows its Markdown body, so cards (and pages listing the whole
    site) key on the digest without it: a text edit re-renders one page, not every list."""

    def __init__(self, items: list[Item]):
        self.memo: dict[int, str] = {}  # id of a non-item dataclass (a term, a total) -> digest of its parts
        self.own = {id(item): item.source + item.digest for item in items}
        meta = {id(item): item.source + item.meta_digest for item in items}
        self.card = {id(item): digest(meta[id(item)],
                                      [meta.get(id(o), "?") for o in _linked(item, FORWARD_LINKS.get(type(item).__name__, ()))])
                     for item in items}

    def page(self, item: Item) -> str:
        return digest(self.own[id(item)], [self.card.get(id(o), "?") for o in _linked(item, _field_names(type(item)))])


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def _collect(value: Any, keys: ItemKeys, out: list[str]) -> None:
    if isinstance(value, Item):
        out.append(keys.card.get(id(value), "?"))
    elif isinstance(value, (list, tuple)):
        for element in value:
            _collect(element, keys, out)
    elif isinstance(value, dict):
        for key, element in value.items():
            out.append(repr(key))
            _collect(element, keys, out)
    elif is_dataclass(value) and not isinstance(value, type):
        # Terms and totals appear on many pages (a theme on its page and on the themes
        # page): walked once a build.
        known = keys.memo.get(id(value))
        if known is None:
            parts: list[str] = []
            for name in _field_names(type(value)):
                _collect(getattr(value, name), keys, parts)
            known = keys.memo[id(value)] = digest(parts)
        out.append(known)
    else:
        out.append(repr(value))


def page_fingerprint(context: dict[str, Any], template: str, global_key: str, keys: ItemKeys) -> str:
    """What a page shows: its own item in full, every other item as a card, and the rest as is."""
    parts: list[str] = []
    for name, value in context.items():
        parts.append(name)
        if name == "item" and isinstance(value, Item):
            parts.append(keys.page(value))
        else:
            _collect(value, keys, parts)
    return digest(global_key, template, parts)


def content_key(site: Site) -> str:
    """Digest of every item but its body: pages that list the whole site depend on this."""
    items = [*site.enterprises, *site.cases, *site.organisations, *site.procurements, *site.events]
    return digest(sorted(item.source + item.meta_digest for item in items))

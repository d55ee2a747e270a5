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

import jinja2
import jinja2.meta
from jinja2 import nodes

from .model import Item, Site

CACHE_FOLDER = ".sitegen-cache"
CACHE_FILE = "state.pickle"
FORMAT = 3
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
    search: tuple[str, list[str]] = ("", [])  # documents digest -> index paths
    summary: dict[str, Any] = field(default_factory=dict)  # page count, next change, warnings

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
        temporary = folder / f"{CACHE_FILE}.{os.getpid()}"
        with open(temporary, "wb") as handle:
            pickle.dump(self, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, folder / CACHE_FILE)


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
    for rel, size in outputs.items():
        try:
            if os.stat(output / rel).st_size != size:
                return False
        except OSError:
            return False
    return True


# ---------------------------------------------------------------- page fingerprints

def site_wide_templates(env: jinja2.Environment) -> dict[str, bool]:
    """For each template: whether it (or anything it extends, includes or imports) reads site-wide lists."""
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


# Links followed beyond the page's own item: what a card of that item shows (a story card
# names its buyer). The page's own item follows all its links, back-references included.
FORWARD_LINKS = {"Case": ("buyer", "enterprises"), "Procurement": ("organisation", "matches")}


def _collect(value: Any, depth: int, seen: set[int], out: list[str]) -> None:
    if isinstance(value, Item):
        if id(value) in seen:
            return
        seen.add(id(value))
        out.append(value.source + value.digest)
        if depth >= 2:
            return
        names = ([f.name for f in fields(value)] if depth == 0
                 else FORWARD_LINKS.get(type(value).__name__, ()))
        for name in names:
            linked = getattr(value, name)
            if isinstance(linked, Item) or (isinstance(linked, list) and linked and isinstance(linked[0], Item)):
                _collect(linked, depth + 1, seen, out)
    elif isinstance(value, (list, tuple)):
        for element in value:
            _collect(element, depth, seen, out)
    elif isinstance(value, dict):
        for key, element in value.items():
            out.append(repr(key))
            _collect(element, depth, seen, out)
    elif is_dataclass(value):
        for item_field in fields(value):
            _collect(getattr(value, item_field.name), depth, seen, out)
    else:
        out.append(repr(value))


def page_fingerprint(context: dict[str, Any], template: str, global_key: str) -> str:
    parts: list[str] = []
    _collect(context, 0, set(), parts)
    return digest(global_key, template, parts)


def content_key(site: Site) -> str:
    """Digest of every item: pages that list the whole site depend on this."""
    items = [*site.enterprises, *site.cases, *site.organisations, *site.procurements, *site.events]
    return digest(sorted(item.source + item.digest for item in items))

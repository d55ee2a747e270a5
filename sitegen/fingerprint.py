"""Page fingerprints: what each page shows, as a digest, so a rebuild re-renders only the
pages whose fingerprint changed (build.split_unchanged) and keeps the rest.

Kept apart from cache.py, which a build with nothing to do imports on its own: this module
needs the model, and importing it would cost that build a third of its time."""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from typing import Any

from .cache import digest
from .model import Item, Site

# `site.<name>` in a template makes a page depend on all content of the site.
SITE_WIDE = {"cases", "enterprises", "organisations", "procurements", "events", "taxonomies",
             "impact_by_theme", "impact_by_route", "impact_overall", "open_procurements",
             "upcoming_events", "past_events"}


@dataclass
class TemplateFacts:
    """What the templates' syntax trees tell about the pages they make."""

    site_wide: dict[str, bool]  # reads site-wide lists, itself or through a template it uses
    keys: dict[str, str]  # digest of the template and of every template it extends, includes or imports
    everything: str  # digest of all templates: the key of a template that uses one by a computed name


def analyse_templates(env) -> TemplateFacts:
    """Facts about every template, so that a template edit re-renders only the pages that use it."""
    import jinja2  # here, not at the top, so that a build with nothing to do stays light
    import jinja2.meta
    from jinja2 import nodes

    sources: dict[str, str] = {}
    direct: dict[str, bool] = {}
    references: dict[str, set[str]] = {}
    open_ended: set[str] = set()  # a syntax error, or a reference by a computed name
    for name in env.list_templates(filter_func=lambda n: n.endswith((".html", ".xml", ".txt"))):
        sources[name] = source = env.loader.get_source(env, name)[0]
        try:
            tree = env.parse(source)
        except jinja2.TemplateSyntaxError:
            direct[name], references[name] = True, set()
            open_ended.add(name)
            continue
        direct[name] = any(isinstance(node.node, nodes.Name) and node.node.name == "site" and node.attr in SITE_WIDE
                           for node in tree.find_all(nodes.Getattr))
        found = set(jinja2.meta.find_referenced_templates(tree))
        if None in found or not found <= sources.keys() | set(env.list_templates()):
            open_ended.add(name)
        references[name] = {ref for ref in found if ref}
    everything = digest(sorted(sources.items()))

    def used(name: str) -> set[str]:
        seen, stack = set(), [name]
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(references.get(current, ()))
        return seen

    site_wide, keys = {}, {}
    for name in sources:
        closure = used(name)
        site_wide[name] = any(direct.get(other, True) for other in closure)
        keys[name] = everything if closure & open_ended or not closure <= sources.keys() else \
            digest(sorted((other, sources[other]) for other in closure))
    return TemplateFacts(site_wide, keys, everything)


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

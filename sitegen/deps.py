"""Render-stage dependencies: what each page and each reused card read while it rendered.

The Jinja environment notes every field a template takes from an item or the site and every
template it loads; build.py hands these records to the next build, which renders a page
again exactly when something it read has changed (`stale_pages`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Iterable

import jinja2

from .model import Item, Site

Read = tuple[str, str]  # (the item's source file, or SITE for the site itself; attribute name)
SITE = ""
# Every field an item's own file sets (all but those marked model.derived) is one read: they
# change together with the file's front matter (its meta digest), and a body edit leaves them.
FILE = "*"

_FILE_FIELDS: dict[type, frozenset[str]] = {}


def file_fields(kind: type) -> frozenset[str]:
    """The fields of an item type that only its own file sets (see model.derived)."""
    names = _FILE_FIELDS.get(kind)
    if names is None:
        names = _FILE_FIELDS[kind] = frozenset(f.name for f in fields(kind) if not f.metadata.get("derived"))
    return names


_ALL_FIELDS: dict[type, frozenset[str]] = {}


def _all_fields(kind: type) -> frozenset[str]:
    """The dataclass fields of a type: what a property computes is never carried over."""
    names = _ALL_FIELDS.get(kind)
    if names is None:
        names = _ALL_FIELDS[kind] = frozenset(f.name for f in fields(kind))
    return names


@dataclass
class Reads:
    """What one page or card read while it rendered; filled in by RecordingEnvironment."""

    fields: set[Read] = field(default_factory=set)
    templates: set[str] = field(default_factory=set)
    cards: set[str] = field(default_factory=set)

    def frozen(self, shared: dict[Read, Read]) -> "Record":
        # The same read of many pages is one tuple, so the cache pickles it once.
        return Record(frozenset(shared.setdefault(read, read) for read in self.fields),
                      frozenset(self.templates), frozenset(self.cards))


@dataclass(frozen=True)
class Record:
    """A page's or card's reads, as kept between builds."""

    fields: frozenset[Read]
    templates: frozenset[str]
    cards: frozenset[str]  # keys of the reused cards it showed (see render.Once)


@dataclass(frozen=True)
class PageRecord:
    template: str
    context: int  # digest of what the plan handed the page (see Values.of_context)
    reads: Record


OwnerValues = dict[str, int]  # attribute (or FILE) -> digest of its value


@dataclass
class RenderRecords:
    """Everything the last build's pages read, with the value each read had then."""

    global_key: str = ""  # UI strings, settings, vocabulary, date: what every page may show
    templates: dict[str, str] = field(default_factory=dict)  # template name -> digest of its source
    values: dict[str, OwnerValues] = field(default_factory=dict)  # source (or SITE) -> what was read of it
    pages: dict[str, PageRecord] = field(default_factory=dict)  # output path -> record
    cards: dict[str, Record] = field(default_factory=dict)  # card key -> record


class RecordingEnvironment(jinja2.Environment):
    """A Jinja environment that notes, into `reads`, every field a template takes from an
    item or the site, and every template it loads. Templates reach the model only through
    `getattr`/`getitem` (also in filters such as sort(attribute=...)), so nothing escapes."""

    reads: Reads | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shared_reads: dict[Read, Read] = {}

    def _note(self, reads: Reads, obj: Any, attribute: str) -> None:
        if isinstance(obj, Item):
            kind = type(obj)
            own = _FILE_FIELDS.get(kind) or file_fields(kind)
            reads.fields.add((obj.source, FILE if attribute in own else attribute))
        elif isinstance(obj, Site):
            reads.fields.add((SITE, attribute))

    def getattr(self, obj: Any, attribute: str) -> Any:
        reads = self.reads
        if reads is not None:
            self._note(reads, obj, attribute)
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        reads = self.reads
        if reads is not None and isinstance(argument, str):
            self._note(reads, obj, argument)
        return super().getitem(obj, argument)

    def get_template(self, name: Any, parent: str | None = None, globals: Any = None) -> jinja2.Template:
        template = super().get_template(name, parent, globals)
        if self.reads is not None and template.name is not None:
            self.reads.templates.add(template.name)
        return template

    def freeze(self, reads: Reads) -> Record:
        return reads.frozen(self.shared_reads)


_PLAIN = frozenset((str, int, float, bool))


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


class Values:
    """Digests of the values the model holds now, each worked out once per build.

    An item inside a value counts by its identity (its source file): what a page shows of
    that item is a read of its own. The fields an item's file sets count as one value, the
    file's meta digest. A method stands for the whole content, since what it reads cannot
    be seen."""

    def __init__(self, site: Site | None, items: Iterable[Item], carried: dict[str, OwnerValues] | None = None,
                 changed: set[str] = frozenset()):
        self.site = site
        self.items = {item.source: item for item in items}
        # With the last build's model (serve, build --watch), the fields of items whose file is
        # unchanged, and of the site, hold what they held: their digests are carried over.
        self.carried = carried
        self.changed = changed
        self.item_types = {type(item) for item in self.items.values()}
        self.memo: dict[Read, int] = {}
        self.objects: dict[int, str] = {}  # id of a non-item dataclass -> digest of its fields
        self.keep: list[Any] = []  # those objects, so an id is not reused during the build
        self._everything: str | None = None

    def to_compare(self, source: str, attributes: OwnerValues) -> Iterable[str]:
        """The attributes of `source` whose digest may differ from the recorded one: with the
        last build's model, only properties of an item whose file is unchanged (its fields,
        own and derived, hold what they held); otherwise all of them."""
        if self.carried is None or source in self.changed:
            return attributes
        owner = self.site if source == SITE else self.items.get(source)
        if owner is None:
            return attributes
        return attributes.keys() - _all_fields(type(owner)) - {FILE}

    def of_read(self, read: Read) -> int:
        known = self.memo.get(read)
        if known is None:
            source, attribute = read
            owner = self.site if source == SITE else self.items.get(source)
            if self.carried is not None and owner is not None and source not in self.changed:
                known = self.carried.get(source, {}).get(attribute)
                if known is not None and attribute in _all_fields(type(owner)):
                    self.memo[read] = known
                    return known
            if owner is None:
                known = -1  # gone
            elif attribute == FILE:
                known = _hash(owner.meta_digest)
            else:
                try:
                    value = getattr(owner, attribute)
                except AttributeError:
                    known = -2
                else:
                    known = self.of(value)
            self.memo[read] = known
        return known

    def of(self, value: Any) -> int:
        # Bodies: hashed as they are, without the copy repr() makes (^ 1 keeps them apart
        # from the digests of other values).
        if type(value) is str:
            return _hash(value) ^ 1
        return _hash(self._text(value))

    def of_context(self, context: dict[str, Any]) -> int:
        return self.of(context)

    def everything(self) -> str:
        if self._everything is None:
            self._everything = str(_hash(repr(sorted((item.source, item.digest) for item in self.items.values()))))
        return self._everything

    def _text(self, value: Any) -> str:
        kind = type(value)
        if kind in _PLAIN or value is None:
            return repr(value)
        items = self.item_types
        if kind in items:
            return f"<{value.source}>"
        if kind is list or kind is tuple:
            # Most derived fields are lists of items: those take no call per element.
            text = self._text
            return "[" + ",".join([f"<{element.source}>" if type(element) in items else text(element)
                                   for element in value]) + "]"
        if isinstance(value, dict):
            text = self._text
            return "{" + ",".join([f"{text(key)}:{text(element)}" for key, element in value.items()]) + "}"
        if isinstance(value, (list, tuple)):
            return "[" + ",".join(map(self._text, value)) + "]"
        if isinstance(value, (set, frozenset)):
            return "{" + ",".join(sorted(map(self._text, value))) + "}"
        if isinstance(value, Item):
            return f"<{value.source}>"
        if isinstance(value, str):  # Markup and other str subclasses
            return f"{kind.__name__}{value!r}"
        if isinstance(value, Site):
            return "<site>"
        if is_dataclass(value) and not isinstance(value, type):
            known = self.objects.get(id(value))
            if known is None:
                self.objects[id(value)] = "<cycle>"  # a dataclass that contains itself
                parts = ",".join(f"{f.name}={self._text(getattr(value, f.name))}" for f in fields(value))
                known = self.objects[id(value)] = f"#{_hash(f'{kind.__name__}({parts})')}"
                self.keep.append(value)
            return known
        if callable(value):
            return f"<callable {getattr(value, '__qualname__', kind.__name__)} {self.everything()}>"
        return f"{kind.__name__}:{value!r}"


def stale_pages(planned: list[tuple[str, str, int]], records: RenderRecords, values: Values,
                templates: dict[str, str], global_key: str) -> set[str]:
    """The output paths (of `planned`: path, template, context digest) that must be rendered
    again: new pages, and pages of which anything read, the templates used or the cards
    shown have changed since the records were made."""
    if records.global_key != global_key:
        return {path for path, _, _ in planned}
    changed_fields = {(source, attribute) for source, attributes in records.values.items()
                      for attribute in values.to_compare(source, attributes)
                      if values.of_read((source, attribute)) != attributes[attribute]}
    changed_templates = {name for name, known in records.templates.items() if templates.get(name) != known}
    card_stale: dict[str, bool] = {}

    def changed(record: Record, seen: frozenset[str] = frozenset()) -> bool:
        if not changed_templates.isdisjoint(record.templates):
            return True
        if changed_fields and any(read in record.fields for read in changed_fields):
            return True
        for key in record.cards:
            stale = card_stale.get(key)
            if stale is None:
                card = records.cards.get(key)
                stale = card is None or key in seen or changed(card, seen | {key})
                card_stale[key] = stale
            if stale:
                return True
        return False

    stale = set()
    for path, template, context in planned:
        page = records.pages.get(path)
        if page is None or page.template != template or page.context != context or changed(page.reads):
            stale.add(path)
    return stale


def updated_records(old: RenderRecords, kept: set[str], rendered: dict[str, PageRecord], cards: dict[str, Record],
                    values: Values, templates: dict[str, str], global_key: str) -> RenderRecords:
    """The records after a build that kept the pages in `kept` and rendered those in `rendered`.

    The old records go on for what the build did not touch: a read, card or template that no
    page uses any more stays in them, costing a digest but never a render, until the next
    build from scratch starts the records anew."""
    pages = {path: old.pages[path] for path in kept}
    pages.update(rendered)
    table = {source: dict(attributes) for source, attributes in old.values.items()
             if source == SITE or source in values.items}
    for (source, attribute), known in values.memo.items():
        if source == SITE or source in values.items:
            table.setdefault(source, {})[attribute] = known
    fresh = [page.reads for page in rendered.values()] + list(cards.values())
    for record in fresh:  # what the pages rendered now read, as they read it
        for read in record.fields:
            table.setdefault(read[0], {})[read[1]] = values.of_read(read)
    used_templates = {name: templates.get(name, "missing") for record in fresh for name in record.templates}
    return RenderRecords(
        global_key=global_key,
        templates={**old.templates, **used_templates},
        values=table,
        pages=pages,
        cards={**old.cards, **cards},
    )

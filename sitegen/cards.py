"""Render stage, reused parts: cards, the header and the footer, rendered once per build.

Hands `once()` to the templates and, per part, what it read (a `deps.Record` by a key that
stays the same between builds), so a page that shows a part depends on what the part read."""

from __future__ import annotations

import re
from typing import Any, Callable

import jinja2
from markupsafe import Markup, escape

from .deps import Reads, Record, RecordingEnvironment, Values

# macros.html and partials/chrome.html are imported without the page's context, so their
# `url()` cannot know the page: it leaves the site path between two Unicode noncharacters
# (reserved for internal use, never in content). A card, the header or the footer is then the
# same text on every page: `once(macro)` makes the function pages call, which renders each
# once per build and puts the page's relative links in; render_pages resolves whatever other
# placeholders reach a page.
URL_OPEN, _URL_CLOSE = "\ufdd0", "\ufdd1"
_URL_MARKED = re.compile("\ufdd0([^\ufdd0\ufdd1]*)\ufdd1")


def marked_url(path: str) -> Markup:
    return Markup(f"{URL_OPEN}{path}{_URL_CLOSE}")


def resolve_marked(text: str, url: Callable[[str], str]) -> str:
    """`text` with each placeholder of marked_url replaced by the page's link, escaped as {{ url() }} is."""
    return _URL_MARKED.sub(lambda match: escape(url(match.group(1))), text)


def _link_reach(text: str) -> tuple[int, frozenset[str]]:
    """How far the placeholders' paths go: the most folders one has, and their first folders.
    From a page whose first folder is none of those, every link is the way up plus the path;
    otherwise links to paths of at most k folders depend only on the page's depth and its
    first k folders (see relative_url)."""
    paths = [path.partition("#")[0].lstrip("/") for path in _URL_MARKED.findall(text)]
    return (max((path.count("/") for path in paths), default=0),
            frozenset(path.split("/", 1)[0] for path in paths if "/" in path))


def _key_part(value: Any) -> Any:
    return value if value is None or type(value) in (str, int, bool) else id(value)


class Once:
    """once(macro): a function that renders macro(*args) once per render_pages run.

    The run starts with start(): what such a part shows depends only on its arguments and the
    globals, and the model does not change while pages render. Arguments other than plain
    values are told apart by identity; the entry keeps them alive, so an id is not reused
    meanwhile. The part is also kept with the links of each kind of page it can be given
    as is (see _link_reach): a card outside the page's own section, the header and footer.

    What a part reads is recorded as a card of its own (`cards`, by a key that stays the same
    between builds), and each page that shows it records the card's key."""

    def __init__(self, env: RecordingEnvironment) -> None:
        self.env = env
        self.cache: dict[tuple, tuple[tuple, Markup, int, frozenset[str], str]] = {}
        self.linked: dict[tuple, Markup] = {}
        self.cards: dict[str, Record] = {}
        self.values: Values | None = None

    def start(self, values: Values) -> None:
        self.clear()
        self.values = values

    def clear(self) -> None:
        self.cache.clear()
        self.linked.clear()
        self.cards = {}
        self.values = None

    def wrap(self, macro: Callable, template: str | None) -> Callable:
        cache, linked, env = self.cache, self.linked, self.env

        @jinja2.pass_context
        def render_once(context: jinja2.runtime.Context, *args: Any, **kwargs: Any) -> Markup:
            key = (id(macro), *map(_key_part, args))
            if kwargs:
                key += tuple((name, _key_part(value)) for name, value in sorted(kwargs.items()))
            entry = cache.get(key)
            if entry is None:
                outer, env.reads = env.reads, Reads()
                try:
                    text = macro(*args, **kwargs)
                finally:
                    reads, env.reads = env.reads, outer
                values = self.values or Values(None, ())
                card = f"{template}:{getattr(macro, 'name', '?')}:{values.of([args, sorted(kwargs.items())])}"
                self.cards[card] = env.freeze(reads)
                entry = cache[key] = ((macro, args, kwargs), text, *_link_reach(text), card)
            if env.reads is not None:
                env.reads.cards.add(entry[4])
            url = context.resolve_or_missing("url")
            if url is marked_url or url is jinja2.utils.missing:  # called from such a template itself
                return entry[1]
            folders = getattr(url, "folders", None)  # None on the 404 page, which links from the root
            if folders is None:
                return Markup(resolve_marked(entry[1], url))
            if not folders or folders[0] not in entry[3]:
                kind = (key, len(folders))
            elif entry[2] <= 1:
                kind = (key, len(folders), folders[0])
            else:
                return Markup(resolve_marked(entry[1], url))
            text = linked.get(kind)
            if text is None:
                text = linked[kind] = Markup(resolve_marked(entry[1], url))
            return text

        return render_once

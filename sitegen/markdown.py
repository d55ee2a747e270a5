"""The Markdown set-up: markdown-it-py with CommonMark, tables, footnotes and anchors.

Turns a Markdown body into HTML, turning links to other content files into their URLs
and refusing dangerous link schemes; hands back the HTML and the problems it found."""

from __future__ import annotations

import html
import posixpath
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.anchors import anchors_plugin
import mdit_py_plugins.anchors.index as anchors_index
from mdit_py_plugins.footnote import footnote_plugin

from .errors import closest
from .urls import slugify

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
CONTENT_SUFFIXES = (".md", ".yaml")


def unique_heading_id(slug: str, slugs: set) -> str:
    """What anchors' `unique_slug` gives (slug, else slug-1, slug-2, ...: the first not taken),
    without trying every suffix again for every repeat: its loop makes a story of thousands of
    equal headings take minutes. Each suffix tried for a slug is marked in `slugs` as
    (slug, i), without gaps, so a repeat finds the last one tried by a binary search."""
    if slug not in slugs:
        slugs.add(slug)
        return slug
    high = 1
    while (slug, high) in slugs:
        high *= 2
    low = high // 2
    while high - low > 1:
        middle = (low + high) // 2
        if (slug, middle) in slugs:
            low = middle
        else:
            high = middle
    suffix = low + 1
    while f"{slug}-{suffix}" in slugs:
        slugs.add((slug, suffix))
        suffix += 1
    slugs.add((slug, suffix))
    slugs.add(f"{slug}-{suffix}")
    return f"{slug}-{suffix}"


# markdown-it's anchors rule calls the module's `unique_slug` for every heading.
anchors_index.unique_slug = unique_heading_id


def heading_id(text: str) -> str:
    # A prefix keeps ids such as "location" or "top" from shadowing window globals.
    return "h-" + (slugify(text) or "kop")


def is_dangerous_url(url: str) -> bool:
    """True for javascript:, vbscript:, data: and file: links in any case or encoding."""
    decoded = url
    for _ in range(3):  # undo nested percent- and entity-encoding
        decoded = html.unescape(urllib.parse.unquote(decoded))
    squeezed = re.sub(r"[\x00-\x20\x7f-\x9f]+", "", decoded).lower()
    return squeezed.startswith(DANGEROUS_SCHEMES)


@dataclass
class LinkProblem:
    line: int  # line within the Markdown body where the link's block starts, 1-based
    message: str
    hint: str = ""
    path: str = ""  # the file the link names, as written (without %-escapes)
    target: str = ""  # that file relative to content/


@dataclass
class RenderedMarkdown:
    html: str
    text: str  # plain text, for search and summaries
    problems: list[LinkProblem] = field(default_factory=list)


# resolve(target path relative to content/) -> URL or None when no such item exists
Resolver = Callable[[str], "str | None"]


def make_parser(raw_html: bool) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": raw_html, "typographer": False})
    parser.enable("table")
    parser.use(footnote_plugin)
    parser.use(anchors_plugin, min_level=2, max_level=4, slug_func=heading_id, permalink=False)
    parser.validateLink = lambda url: not is_dangerous_url(url)
    parser.sitegen_plain = True  # set up as render_plain expects
    return parser


def squeeze_spaces(text: str) -> str:
    r"""Runs of whitespace as one space, none at the ends: re.sub(r"\s+", " ", text).strip(),
    since str.split() and the regex agree on what whitespace is, at a fraction of the cost."""
    return " ".join(text.split())


def render_markdown(parser: MarkdownIt, body: str, file_dir: str, resolve: Resolver) -> RenderedMarkdown:
    """Render `body`; `file_dir` is the file's folder relative to content/ (e.g. 'cases')."""
    if getattr(parser, "sitegen_plain", False):
        plain = render_plain(parser, body, file_dir, resolve)
        if plain is not None:
            return plain
    tokens = parser.parse(body)
    problems: list[LinkProblem] = []
    text_parts: list[str] = []
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        line = (block.map[0] + 1) if block.map else 1
        for token in block.children:
            if token.type in ("text", "code_inline"):
                text_parts.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                text_parts.append(" ")
            elif token.type == "link_open":
                _rewrite_link(token, line, file_dir, resolve, problems)
        text_parts.append("\n")
    rendered = parser.renderer.render(tokens, parser.options, {})
    return RenderedMarkdown(rendered, squeeze_spaces("".join(text_parts)), problems)


def _rewrite_link(token, line: int, file_dir: str, resolve: Resolver, problems: list[LinkProblem]) -> None:
    href, external = _link_target(str(token.attrGet("href") or ""), line, file_dir, resolve, problems)
    token.attrSet("href", href)
    if external:
        token.attrSet("rel", "noopener")


def _link_target(href: str, line: int, file_dir: str, resolve: Resolver,
                 problems: list[LinkProblem]) -> tuple[str, bool]:
    """The href a link gets (content files become page URLs) and whether it leaves the site."""
    parsed = urllib.parse.urlsplit(href)
    if parsed.scheme or parsed.netloc or href.startswith(("#", "/")):
        return href, parsed.scheme in ("http", "https") and bool(parsed.netloc)
    path = urllib.parse.unquote(parsed.path)
    if not path.endswith(CONTENT_SUFFIXES):
        return href, False
    target = posixpath.normpath(posixpath.join(file_dir, path))
    url = resolve(target)
    if url is None:
        problems.append(LinkProblem(line, f"link naar '{path}': dat bestand bestaat niet in content/",
                                    "controleer de bestandsnaam", path, target))
        return href, False
    return url + (f"#{parsed.fragment}" if parsed.fragment else ""), False


# ---------------------------------------------------------------- plain bodies
#
# markdown-it-py takes ~0.5 ms for a story of 500 words, mostly in trying every block and
# inline rule on every line. Most bodies use only headings, paragraphs, one-line list items
# and [text](link): render_plain renders exactly those, with the HTML, text, heading ids and
# problems markdown-it gives (tests/test_markdown.py compares the two on generated bodies),
# and hands anything else back (None) to markdown-it: a character with a Markdown meaning
# outside a plain link, indentation, a line that could start another kind of block, a list
# that a paragraph line or a later list of the same kind would continue.

_PLAIN_HEADING = re.compile(r"(#{1,6}) ([^ #](?:.*[^ #])?)")
_PLAIN_ITEM = re.compile(r"(?:(-)|([0-9]{1,9})\.) (.*)")
# Characters markdown-it gives a meaning (emphasis, code, escapes, entities, HTML, links,
# footnotes, tables) or that it changes (tabs, carriage returns, NUL); plain text has none.
_PLAIN_TEXT = re.compile(r"[^\\`*_<>&\[\]|^~\t\r\x00]*")
_PLAIN_LINK = re.compile(r"\[([^\[\]]+)\]\(([A-Za-z0-9\-._~:/?#=+,;@%]+)\)")
_PLAIN_DESTINATION = re.compile(r"[a-z0-9\-._/#]*")  # markdown-it's normalizeLink keeps these as they are
_PLAIN_STARTERS = tuple("#-+*=>~|_`<")  # other kinds of block, or of list
_PLAIN_NUMBERED = re.compile(r"[0-9]+[.)]")


def _plain_inline(parser: MarkdownIt, text: str, line: int, file_dir: str, resolve: Resolver,
                  problems: list[LinkProblem], words: list[str]) -> str | None:
    """One inline text as HTML (plain text and [label](destination) links), or None."""
    if text != text.strip():  # markdown-it strips (Unicode) spaces around a block's text
        return None
    html_parts, position = [], 0
    for link in _PLAIN_LINK.finditer(text):
        before, label, destination = text[position:link.start()], link.group(1), link.group(2)
        if (before.endswith("!") or not _PLAIN_TEXT.fullmatch(before) or not _PLAIN_TEXT.fullmatch(label)
                or label != label.strip(" ")):
            return None
        href = destination if _PLAIN_DESTINATION.fullmatch(destination) else parser.normalizeLink(destination)
        if not parser.validateLink(href):
            return None
        href, external = _link_target(href, line, file_dir, resolve, problems)
        words += (before, label)
        html_parts += (before.replace('"', "&quot;"), '<a href="', escapeHtml(href),
                       '" rel="noopener">' if external else '">', label.replace('"', "&quot;"), "</a>")
        position = link.end()
    rest = text[position:]
    if not _PLAIN_TEXT.fullmatch(rest):
        return None
    words.append(rest)
    html_parts.append(rest.replace('"', "&quot;"))
    return "".join(html_parts)


def render_plain(parser: MarkdownIt, body: str, file_dir: str, resolve: Resolver) -> RenderedMarkdown | None:
    """What render_markdown gives for a body of plain blocks (see above), or None for any other."""
    blocks: list[tuple] = []  # ("h", line, level, text) | ("p", line, [lines]) | ("ul"/"ol", line, start, [(line, text)])
    paragraph: list[str] | None = None
    items: list | None = None
    ended_list = None  # kind of a list that only blank lines followed so far
    for number, line in enumerate(body.split("\n"), start=1):
        if not line.strip(" "):
            if items is not None:
                ended_list = items[0]
            paragraph = items = None
            continue
        if line != line.strip():  # markdown-it strips (Unicode) spaces; indentation means more
            return None
        heading = _PLAIN_HEADING.fullmatch(line)
        if heading:
            blocks.append(("h", number, len(heading.group(1)), heading.group(2)))
            paragraph = items = ended_list = None
            continue
        item = _PLAIN_ITEM.fullmatch(line)
        if item:
            kind, text = ("ul" if item.group(1) else "ol"), item.group(3)
            if paragraph is not None or not text or text.startswith(_PLAIN_STARTERS) or _PLAIN_NUMBERED.match(text):
                return None
            if items is None:
                if kind == ended_list:
                    return None  # markdown-it would continue that list, as a loose one
                items = [kind, number, 1 if kind == "ul" else int(item.group(2)), []]
                blocks.append(items)
            elif items[0] != kind:
                return None
            items[3].append((number, text))
            continue
        if items is not None or line.startswith(_PLAIN_STARTERS) or _PLAIN_NUMBERED.match(line):
            return None
        if paragraph is None:
            paragraph = []
            blocks.append(("p", number, paragraph))
            ended_list = None
        paragraph.append(line)
    problems: list[LinkProblem] = []
    words: list[str] = []
    html_parts: list[str] = []
    slugs: set[str] = set()
    for block in blocks:
        kind, line = block[0], block[1]
        if kind == "h":
            level, start = block[2], len(words)
            inner = _plain_inline(parser, block[3], line, file_dir, resolve, problems, words)
            if inner is None:
                return None
            if 2 <= level <= 4:  # anchors_plugin(min_level=2, max_level=4)
                slug = unique_heading_id(heading_id("".join(words[start:])), slugs)
                html_parts.append(f'<h{level} id="{escapeHtml(slug)}">{inner}</h{level}>\n')
            else:
                html_parts.append(f"<h{level}>{inner}</h{level}>\n")
        elif kind == "p":
            lines = []
            for text in block[2]:
                inner = _plain_inline(parser, text, line, file_dir, resolve, problems, words)
                if inner is None:
                    return None
                lines.append(inner)
                words.append(" ")
            html_parts += ("<p>", "\n".join(lines), "</p>\n")
        else:
            start = block[2]
            html_parts.append("<ul>\n" if kind == "ul" else "<ol>\n" if start == 1 else f'<ol start="{start}">\n')
            for item_line, text in block[3]:
                inner = _plain_inline(parser, text, item_line, file_dir, resolve, problems, words)
                if inner is None:
                    return None
                html_parts.append(f"<li>{inner}</li>\n")
                words.append(" ")
            html_parts.append(f"</{kind}>\n")
        words.append(" ")
    return RenderedMarkdown("".join(html_parts), squeeze_spaces("".join(words)), problems)


def link_urls(items) -> dict[str, str]:
    """What a link in Markdown may point at: content file (relative to content/) -> page URL."""
    return {item.source.removeprefix("content/"): item.url for item in items}


def render_bodies(items, parser: MarkdownIt, file_links: bool, problems, reuse: dict | None = None,
                  read_markdown=None, urls: dict[str, str] | None = None, unpublished: set[str] = frozenset()) -> None:
    """Markdown bodies of model items to HTML, links to content files turned into page URLs.

    `reuse` maps an item's source to (key, {target: url}, html, text, problems) from an
    earlier run: still valid while the file is unchanged and its link targets kept their URLs.
    Links may point at `items`, or at all of `urls` (from link_urls) when only some bodies
    are redone.
    An item whose Markdown is None (forgotten after an earlier build) gets it from
    `read_markdown(source)` when it must be rendered again."""
    from .urls import relative_url

    reuse = {} if reuse is None else reuse
    if urls is None:
        urls = link_urls(items)
    for item in items:
        if item.body_text == "":
            continue
        key = (item.digest, item.url, file_links)
        entry = reuse.get(item.source)
        if entry is None or entry[0] != key or any(urls.get(t) != u for t, u in entry[1].items()):
            if item.body_text is None:
                item.body_text = read_markdown(item.source)
                if not item.body_text:
                    continue
            looked_up: dict[str, str | None] = {}

            def resolve(target: str, page=item.url, looked_up=looked_up) -> str | None:
                looked_up[target] = url = urls.get(target)
                return None if url is None else relative_url(page, url, file_links)

            folder = item.source.removeprefix("content/").rsplit("/", 1)[0]
            rendered = render_markdown(parser, item.body_text, folder, resolve)
            found = link_problems(item.source, item.body_text, item.body_line, folder, rendered.problems, urls,
                                  unpublished)
            entry = (key, looked_up, rendered.html, rendered.text, found)
            reuse[item.source] = entry
        item.body_html, item.body_text = entry[2], entry[3]
        for path, line, column, message, hint in entry[4]:
            problems.error(path, line, column, message, hint)


def link_problems(source: str, body: str, body_line: int, folder: str, problems: list[LinkProblem],
                  urls, unpublished: set[str] = frozenset()) -> list[tuple[str, int, int, str, str]]:
    """(path, line, column, message, hint) per broken link, at the link itself in the file,
    with the nearest known content file as "bedoelde je"; a link to a draft says so."""
    lines = body.split("\n")
    taken: set[tuple[int, int]] = set()
    found = []
    for problem in problems:
        line, column = locate_link(lines, problem.line, problem.path, taken)
        if problem.target in unpublished:
            found.append((source, body_line + line - 1, column,
                          f"link naar '{problem.path}': dat is een concept of een verhaal met een datum in de "
                          "toekomst, en dat wordt nog niet gepubliceerd",
                          "haal de link weg tot het klaar is, of zet draft: false in dat bestand"))
            continue
        hint = problem.hint
        close = closest(problem.target, urls) if problem.target else None
        if close:
            hint = f"bedoelde je '{posixpath.relpath(close, folder)}'?"
        found.append((source, body_line + line - 1, column, problem.message, hint))
    return found


def locate_link(lines: list[str], first: int, path: str, taken: set[tuple[int, int]]) -> tuple[int, int]:
    """Line and column (1-based, within the body) of the first link to `path` from line
    `first` on that was not reported yet: markdown-it's tokens know only their block's line."""
    pattern = re.compile(r"\[[^\]]*\]\(\s*<?" + re.escape(path)) if path else None
    for number in range(first, len(lines) + 1):
        text = lines[number - 1]
        for match in pattern.finditer(text) if pattern else ():
            place = (number, match.start() + 1)
            if place not in taken:
                taken.add(place)
                return place
        at = text.find(path) if path else -1
        if at >= 0 and (number, at + 1) not in taken:
            taken.add((number, at + 1))
            return number, at + 1
    return first, 1


def body_link_problems(files) -> list[tuple[str, int, int, str, str]]:
    """The broken content links in the Markdown of every `SourceFile` that has any, found
    without a model (for a run in which some files are not valid): every content file
    counts as a link target, valid or not, since its own errors are reported already."""
    from .registry import CONTENT_TYPES
    from .urls import relative_url

    urls = {file.rel.removeprefix("content/"): CONTENT_TYPES[file.kind].item_url(file.slug)
            for file in files if file.kind in CONTENT_TYPES}
    parser = make_parser(False)
    found = []
    for file in files:
        content_type = CONTENT_TYPES.get(file.kind)
        if content_type is None or not content_type.has_body:
            continue
        if content_type.body_field:
            body = file.data.get(content_type.body_field) if isinstance(file.data, dict) else None
        else:
            body = file.markdown()
        if not isinstance(body, str) or not body.strip():
            continue
        folder = file.rel.removeprefix("content/").rsplit("/", 1)[0]
        page = content_type.item_url(file.slug)

        def resolve(target: str, page=page) -> str | None:
            url = urls.get(target)
            return None if url is None else relative_url(page, url, False)

        rendered = render_markdown(parser, body, folder, resolve)
        found += link_problems(file.rel, body, file.body_line, folder, rendered.problems, urls)
    return found

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
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .urls import slugify

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
CONTENT_SUFFIXES = (".md", ".yaml")


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
    line: int  # line within the Markdown body, 1-based
    message: str
    hint: str = ""


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
    return parser


def render_markdown(parser: MarkdownIt, body: str, file_dir: str, resolve: Resolver) -> RenderedMarkdown:
    """Render `body`; `file_dir` is the file's folder relative to content/ (e.g. 'cases')."""
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
    return RenderedMarkdown(rendered, re.sub(r"\s+", " ", "".join(text_parts)).strip(), problems)


def _rewrite_link(token, line: int, file_dir: str, resolve: Resolver, problems: list[LinkProblem]) -> None:
    href = str(token.attrGet("href") or "")
    parsed = urllib.parse.urlsplit(href)
    if parsed.scheme or parsed.netloc or href.startswith(("#", "/")):
        if parsed.scheme in ("http", "https") and parsed.netloc:
            token.attrSet("rel", "noopener")
        return
    path = urllib.parse.unquote(parsed.path)
    if not path.endswith(CONTENT_SUFFIXES):
        return
    target = posixpath.normpath(posixpath.join(file_dir, path))
    url = resolve(target)
    if url is None:
        problems.append(LinkProblem(line, f"link naar '{path}': dat bestand bestaat niet in content/",
                                    "controleer de bestandsnaam"))
        return
    token.attrSet("href", url + (f"#{parsed.fragment}" if parsed.fragment else ""))


def render_bodies(items, parser: MarkdownIt, file_links: bool, problems, reuse: dict | None = None,
                  link_targets=None) -> None:
    """Markdown bodies of model items to HTML, links to content files turned into page URLs.

    `reuse` maps an item's source to (key, {target: url}, html, text, problems) from an
    earlier run: still valid while the file is unchanged and its link targets kept their URLs.
    Links may point at `link_targets` (default: `items`), when only some bodies are redone."""
    from .urls import relative_url

    reuse = {} if reuse is None else reuse
    urls = {item.source.removeprefix("content/"): item.url for item in (items if link_targets is None else link_targets)}
    for item in items:
        if not item.body_text:
            continue
        key = (item.digest, item.url, file_links)
        entry = reuse.get(item.source)
        if entry is None or entry[0] != key or any(urls.get(t) != u for t, u in entry[1].items()):
            looked_up: dict[str, str | None] = {}

            def resolve(target: str, page=item.url, looked_up=looked_up) -> str | None:
                looked_up[target] = url = urls.get(target)
                return None if url is None else relative_url(page, url, file_links)

            folder = item.source.removeprefix("content/").rsplit("/", 1)[0]
            rendered = render_markdown(parser, item.body_text, folder, resolve)
            found = [(item.source, item.body_line + p.line - 1, 1, p.message, p.hint) for p in rendered.problems]
            entry = (key, looked_up, rendered.html, rendered.text, found)
            reuse[item.source] = entry
        item.body_html, item.body_text = entry[2], entry[3]
        for path, line, column, message, hint in entry[4]:
            problems.error(path, line, column, message, hint)

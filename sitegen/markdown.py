"""The Markdown set-up: markdown-it-py with CommonMark, tables, footnotes and anchors.

Turns a Markdown body into HTML, turning links to other content files into their URLs
and refusing dangerous link schemes; hands back the HTML and the problems it found."""

from __future__ import annotations

import html
import posixpath
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass, field
from typing import Callable

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
CONTENT_SUFFIXES = (".md", ".yaml")


def slugify(text: str) -> str:
    """ASCII slug: 'Wat werkte én wat schuurde?' -> 'wat-werkte-en-wat-schuurde'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


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
            elif token.type == "link_open":
                _rewrite_link(token, line, file_dir, resolve, problems)
        text_parts.append("\n")
    rendered = parser.renderer.render(tokens, parser.options, {})
    return RenderedMarkdown(rendered, re.sub(r"\s+", " ", " ".join(text_parts)).strip(), problems)


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

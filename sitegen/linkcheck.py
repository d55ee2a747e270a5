"""After the write stage: reads the built site in output/ and follows every internal link.

Hands on the `BrokenLink`s (a page, or a `#id` in it, that is not there) for `sitegen links`."""

from __future__ import annotations

import posixpath
import urllib.parse
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

# Attributes that hold one URL; srcset holds several and is split apart.
URL_ATTRIBUTES = frozenset({"href", "src", "action", "poster", "data"})


@dataclass(frozen=True, order=True)
class BrokenLink:
    """One link on one built page that leads nowhere."""

    page: str  # the linking page, relative to the output folder, with '/'
    line: int
    column: int
    target: str  # the link as it is written in the page
    hint: str

    def format(self, output_name: str = "output") -> str:
        return (f"{output_name}/{self.page}:{self.line}:{self.column}: fout: "
                f"link naar {self.target} bestaat niet ({self.hint})")

    def github_annotation(self, output_name: str = "output") -> str:
        message = f"link naar {self.target} bestaat niet ({self.hint})"
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error file={output_name}/{self.page},line={self.line},col={self.column}::{message}"


@dataclass(frozen=True)
class Link:
    url: str
    line: int
    column: int


@dataclass(frozen=True)
class PageLinks:
    """What the checker needs of one HTML page: the links it makes and the ids it has."""

    links: tuple[Link, ...]
    ids: frozenset[str]


@dataclass(frozen=True)
class LinkReport:
    pages: int
    links: int
    broken: list[BrokenLink]


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        line, column = self.getpos()
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                self.links.append(Link(value.strip(), line, column + 1))
            elif name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self.links.append(Link(candidate.split()[0], line, column + 1))
            elif name == "id" or (name == "name" and tag in ("a", "map")):
                self.ids.add(value)

    handle_startendtag = handle_starttag


def read_page(html: str) -> PageLinks:
    """The links and ids of one page."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return PageLinks(tuple(collector.links), frozenset(collector.ids))


@dataclass(frozen=True)
class Target:
    """Where an internal link points: a path in the output folder and maybe a fragment."""

    path: str  # relative to the output folder; "" is the root; ends in "/" for a folder
    fragment: str
    relative: bool  # written relative to the page, so it must work when opened from disk


def resolve(url: str, page: str, base_url: str) -> Target | str | None:
    """The target of `url` on `page`; None for a link that leaves the site, or a Dutch
    reason when it points outside the site's own folder on its own host."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None  # mailto:, tel:, data: and the like
    base = urllib.parse.urlsplit(base_url)
    base_path = base.path if base.path.endswith("/") else base.path + "/"
    # Resolved as a browser does, against the page's own address on the web server.
    page_url = urllib.parse.urlunsplit((base.scheme, base.netloc, base_path + urllib.parse.quote(page), "", ""))
    joined = urllib.parse.urlsplit(urllib.parse.urljoin(page_url, url))
    if joined.netloc.lower() != base.netloc.lower():
        return None
    path = joined.path or "/"
    if path + "/" == base_path:
        path = base_path
    inside = urllib.parse.unquote(path[len(base_path):]) if path.startswith(base_path) else None
    if inside is None or ".." in inside.split("/"):  # '..' here was written as %2e%2e
        return f"buiten de site: het adres begint niet met {base_path}"
    return Target(inside, urllib.parse.unquote(parts.fragment), relative=not parts.netloc and not parts.path.startswith("/"))


def check_links(output: Path, base_url: str, file_links: bool = False) -> LinkReport:
    """Every broken internal link and anchor of the HTML pages in `output`, sorted by page."""
    pages = {path.relative_to(output).as_posix(): path for path in sorted(output.rglob("*.html")) if path.is_file()}
    read: dict[str, PageLinks] = {}

    def page_links(name: str) -> PageLinks:
        if name not in read:
            read[name] = read_page(pages[name].read_text(encoding="utf-8", errors="replace"))
        return read[name]

    broken: list[BrokenLink] = []
    count = 0
    for name in pages:
        for link in page_links(name).links:
            if not link.url or link.url.startswith("#") and not link.url[1:]:
                continue
            target = resolve(link.url, name, base_url)
            if target is None:
                continue
            count += 1
            if isinstance(target, str):
                broken.append(BrokenLink(name, link.line, link.column, link.url, target))
                continue
            hint = _missing(output, target, pages, page_links, file_links)
            if hint:
                broken.append(BrokenLink(name, link.line, link.column, link.url, hint))
    return LinkReport(len(pages), count, sorted(broken))


def _missing(output: Path, target: Target, pages, page_links, file_links: bool) -> str:
    """Why `target` is not there, or "" when it is."""
    path = target.path
    file = output / path
    if path == "" or path.endswith("/") or file.is_dir():
        if file_links and target.relative:
            # Absolute links (the canonical link, the permalink, the 404 page) go to the
            # web server, which finds index.html in a folder; a browser on a share does not.
            return "een link naar een map werkt niet als je de site vanaf schijf opent; verwijs naar index.html"
        path = posixpath.join(path, "index.html") if path else "index.html"
        file = output / path
    if not file.is_file():
        return f"er is geen bestand {path} in de uitvoer"
    if target.fragment and path in pages and target.fragment not in page_links(path).ids:
        return f"{path} heeft geen id '{target.fragment}'"
    return ""


class _Canonical(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.href: str | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "link" and values.get("rel") == "canonical" and self.href is None:
            self.href = values.get("href")


def built_base_url(output: Path) -> str | None:
    """The base URL the site in `output` was built with: its home page's canonical link,
    which follows --base-url as well as site.yaml."""
    parser = _Canonical()
    parser.feed((output / "index.html").read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser.href


def run_link_check(output_dir: Path, output_name: str, base_url: str | None, file_links: bool, out, err) -> int:
    """`sitegen links`: print every broken link and return the exit code (0, 1, or 2 when
    there is nothing to check). `output_name` is the folder as the user named it."""
    import os
    if not (output_dir / "index.html").is_file():
        print(f"fout: in {output_name} staat geen gebouwde site (bouw eerst met sitegen build)", file=err)
        return 2
    base_url = base_url or built_base_url(output_dir)
    if not base_url:
        print(f"fout: {output_name}/index.html heeft geen canonical link (geef --base-url mee)", file=err)
        return 2
    report = check_links(output_dir, base_url, file_links)
    if report.broken:
        github = os.environ.get("GITHUB_ACTIONS") == "true"
        for link in report.broken:
            print(link.format(output_name), file=err)
        if github:
            for link in report.broken:
                print(link.github_annotation(output_name), file=err)
        print(f"{len(report.broken)} kapotte link(s) gevonden op {report.pages} pagina's.", file=err)
        return 1
    print(f"Alle links in orde: {report.links} links op {report.pages} pagina's gecontroleerd.", file=out)
    return 0

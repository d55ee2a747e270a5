"""What the templates put in every page, read from built HTML: link previews, structured
data, links that work under a sub-path, robots switches, images with alt text, feeds."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import segno

from sitegen.build import BuildOptions, build
from sitegen.errors import BuildFailed
from sitegen.links import absolute_linker, page_linker
from sitegen.qr import qr_modules, qr_svg
from sitegen.cards import Once, marked_url
from sitegen.urls import absolute_url, relative_url

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 26)
STORY = "koffiepakketten-lindendal"
ENTERPRISE = "de-kansenpan"


class Page(HTMLParser):
    """The parts of a page these tests look at."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.links: list[tuple[str, str]] = []  # (tag, url) of href and src
        self.canonical: str | None = None
        self.ids: set[str] = set()
        self.images: list[dict[str, str | None]] = []
        self.json_ld: list[str] = []
        self._in_json = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "meta" and attributes.get("content") is not None:
            key = attributes.get("property") or attributes.get("name")
            if key:
                self.meta[key] = attributes["content"]
        if tag == "link" and attributes.get("rel") == "canonical":
            self.canonical = attributes["href"]
        if tag == "img":
            self.images.append(attributes)
        for name in ("href", "src"):
            if attributes.get(name) is not None and not (tag == "link" and attributes.get("rel") == "canonical"):
                self.links.append((tag, attributes[name]))
        self._in_json = tag == "script" and attributes.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_json:
            self.json_ld.append(data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json = False


def build_copy(root: Path, edit=None, base_url: str | None = None) -> Path:
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "templates", root / "templates")
    if edit:
        edit(root / "content")
    build(BuildOptions(source=root, output=root / "output", base_url=base_url, today=TODAY))
    return root / "output"


def read(output: Path, rel: str) -> Page:
    return Page((output / rel).read_text(encoding="utf-8"))


def html_files(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory) -> Path:
    """The sample site published under a sub-path, as on GitHub Pages or an intranet."""
    return build_copy(tmp_path_factory.mktemp("sub"), base_url="https://intranet.example.nl/afdeling/inkoop/")


def test_story_link_preview(sample_site):
    page = read(sample_site, f"verhalen/{STORY}/index.html")
    url = f"https://sociaal-inkopen.example.nl/verhalen/{STORY}/"
    assert page.canonical == url and page.meta["og:url"] == url
    assert page.meta["og:type"] == "article"
    assert page.meta["og:title"] == page.meta["twitter:title"]
    assert page.meta["og:title"].startswith("Gemeente Lindendal geeft medewerkers een koffiepakket")
    assert page.meta["description"] == page.meta["og:description"] == page.meta["twitter:description"]
    assert page.meta["description"].startswith("Een kleine inkoop van eindejaarsgeschenken")
    # Chat apps need an absolute raster image, with its size and a text.
    assert page.meta["og:image"] == "https://sociaal-inkopen.example.nl/static/delen.png"
    assert (sample_site / "static" / "delen.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert page.meta["og:image:alt"] and page.meta["twitter:card"] == "summary_large_image"
    article = json.loads(page.json_ld[0])
    assert article["@type"] == "Article" and article["url"] == url
    assert article["headline"] == page.meta["og:title"] and article["datePublished"] == "2026-01-22"


def test_enterprise_structured_data(sample_site):
    page = read(sample_site, f"ondernemers/{ENTERPRISE}/index.html")
    data = json.loads(page.json_ld[0])
    assert data["@type"] == "Organization" and data["name"] == "Lunchlokaal De Kansenpan"
    assert data["address"]["addressLocality"] == "Tilburg"
    assert None not in data.values()


def test_json_ld_cannot_close_its_script_element(tmp_path):
    title = 'Koffie </script><script>alert("x")</script> & <!-- meer'

    def edit(content: Path):
        path = content / "cases" / f"{STORY}.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^title: .*$", f"title: '{title}'", text, count=1, flags=re.M), encoding="utf-8")

    output = build_copy(tmp_path, edit)
    html = (output / "verhalen" / STORY / "index.html").read_text(encoding="utf-8")
    block = html[html.index('<script type="application/ld+json">'):]
    block = block[len('<script type="application/ld+json">'):block.index("</script>")]
    assert "<" not in block and ">" not in block
    assert json.loads(block)["headline"] == title
    assert "<script>alert" not in html


def test_every_internal_link_resolves_under_a_sub_path(sub_path_site):
    """Links are relative to their page, so the site works under any sub-path."""
    broken = []
    for file in html_files(sub_path_site):
        rel = file.relative_to(sub_path_site).as_posix()
        for tag, url in Page(file.read_text(encoding="utf-8")).links:
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("mailto:", "tel:")):
                continue
            if not parts.path:  # a fragment on the same page
                target = rel
            elif rel == "404.html":  # served at any depth, so it links from the site root
                assert url.startswith("/afdeling/inkoop/"), url
                target = parts.path.removeprefix("/afdeling/inkoop/")
            else:
                assert not url.startswith("/"), f"{rel}: {url}"
                target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), parts.path))
            if parts.path.endswith("/") or target == ".":
                target = "index.html" if target in (".", "") else target.rstrip("/") + "/index.html"
            if not (sub_path_site / target).is_file():
                broken.append(f"{rel}: {url}")
            elif parts.fragment and target.endswith(".html"):
                if parts.fragment not in Page((sub_path_site / target).read_text(encoding="utf-8")).ids:
                    broken.append(f"{rel}: {url} (no such anchor)")
    assert broken == []


def test_absolute_urls_carry_the_sub_path(sub_path_site):
    page = read(sub_path_site, f"verhalen/{STORY}/index.html")
    assert page.canonical == f"https://intranet.example.nl/afdeling/inkoop/verhalen/{STORY}/"
    assert page.meta["og:image"].startswith("https://intranet.example.nl/afdeling/inkoop/")
    robots = (sub_path_site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://intranet.example.nl/afdeling/inkoop/sitemap.xml" in robots


def test_pages_are_indexable_by_default(sample_site):
    robots = (sample_site / "robots.txt").read_text(encoding="utf-8")
    assert "Disallow: /" not in robots
    assert "robots" not in read(sample_site, "index.html").meta
    assert read(sample_site, "404.html").meta["robots"] == "noindex"


def test_noindex_switch_closes_the_whole_site(tmp_path):
    def edit(content: Path):
        site = content / "site.yaml"
        site.write_text(site.read_text(encoding="utf-8").replace("noindex: false", "noindex: true"), encoding="utf-8")

    output = build_copy(tmp_path, edit)
    assert (output / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /\n"
    for file in html_files(output):
        if 'http-equiv="refresh"' in file.read_text(encoding="utf-8"):
            continue
        assert Page(file.read_text(encoding="utf-8")).meta.get("robots", "").startswith("noindex"), file


def test_every_image_has_alt_text(sample_site):
    for file in html_files(sample_site):
        for image in Page(file.read_text(encoding="utf-8")).images:
            assert image.get("alt") is not None, f"{file}: {image}"


def test_validation_requires_alt_text(tmp_path):
    def edit(content: Path):
        path = content / "enterprises" / f"{ENTERPRISE}.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^logo: .*$", "logo: {src: media/de-kansenpan.svg}", text, flags=re.M), encoding="utf-8")

    with pytest.raises(BuildFailed) as failure:
        build_copy(tmp_path, edit)
    assert any("alt" in problem.message and problem.path.endswith(f"{ENTERPRISE}.yaml")
               for problem in failure.value.problems)


def test_story_share_panel_has_qr_code_and_invitation(sample_site):
    html = (sample_site / "verhalen" / STORY / "index.html").read_text(encoding="utf-8")
    panel = html[html.index('<section class="share"'):]
    panel = panel[:panel.index("</section>")]
    qr = re.search(r"<svg[^>]*>", panel).group(0)
    assert 'aria-hidden="true"' in qr and 'class="qr"' in qr  # decorative: the address is printed next to it
    invitation = re.search(r'<textarea id="share-invitation"[^>]*>(.*?)</textarea>', panel, re.S).group(1)
    assert invitation.endswith(f"https://sociaal-inkopen.example.nl/verhalen/{STORY}/")
    assert panel.count("hidden>") == 3  # the three buttons wait for site.js



def test_once_renders_a_part_once_and_gives_each_page_its_links():
    import jinja2

    from sitegen.deps import RecordingEnvironment

    calls = []
    env = RecordingEnvironment(autoescape=True)
    parts = Once(env)
    env.globals.update(once=lambda macro: parts.wrap(macro, "test.html"), url=marked_url, count=calls.append)
    module = env.from_string("{% macro _card(path, heading='h3') %}{{ count(path) or \"\" }}<{{ heading }}>"
                            "<a href=\"{{ url(path) }}\">x</a></{{ heading }}>{% endmacro %}"
                            "{% set card = once(_card) %}").module
    page = env.from_string("{{ card('verhalen/a/') }}{{ card('verhalen/a/', heading='h2') }}{{ card('verhalen/a/') }}")

    def render(page_url: str) -> str:
        link = page_linker(page_url)

        def url(path: str) -> str:
            return link(path)

        url.folders = tuple(page_url.split("/")[:-1])
        return page.render(card=module.card, url=url)

    assert render("verhalen/b/index.html") == '<h3><a href="../a/">x</a></h3><h2><a href="../a/">x</a></h2><h3><a href="../a/">x</a></h3>'
    assert render("ondernemers/c/index.html") == ('<h3><a href="../../verhalen/a/">x</a></h3><h2><a href="../../verhalen/a/">x</a></h2>'
                                                   '<h3><a href="../../verhalen/a/">x</a></h3>')
    assert render("index.html") == '<h3><a href="verhalen/a/">x</a></h3><h2><a href="verhalen/a/">x</a></h2><h3><a href="verhalen/a/">x</a></h3>'
    assert calls == ["verhalen/a/", "verhalen/a/"]  # once per set of arguments

def test_no_link_placeholder_reaches_a_page(sample_site, sub_path_site):
    # Cards, header and footer leave placeholders for links (render.py: marked_url); every
    # page must have them all replaced by its own relative links.
    for site in (sample_site, sub_path_site):
        for file in html_files(site):
            text = file.read_text(encoding="utf-8")
            assert "\ufdd0" not in text and "\ufdd1" not in text, file

def test_cards_follow_the_model_when_serve_reuses_the_environment(tmp_path):
    # Cards are rendered once per build from macros.html, imported without the page context;
    # a rebuild in memory (as serve runs) reuses the environment and must not show old cards.
    import os
    import time
    from sitegen.cache import BuildCache

    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    an_hour_ago = time.time() - 3600  # older than the window in which the cache reads files again
    for path in tmp_path.rglob("*"):
        os.utime(path, (an_hour_ago, an_hour_ago))
    options = BuildOptions(source=tmp_path, output=tmp_path / "output", today=TODAY, use_cache=False)
    cache = BuildCache(key=options.cache_key())
    build(options, cache=cache)
    vocabulary = tmp_path / "content" / "vocabulary.yaml"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8").replace("label: Catering", "label: Catering en lunch", 1),
                          encoding="utf-8")
    os.utime(vocabulary, (an_hour_ago + 1, an_hour_ago + 1))
    build(options, cache=cache)
    clean = tmp_path / "clean"
    build(BuildOptions(source=tmp_path, output=clean, today=TODAY, use_cache=False))
    pages = sorted(path.relative_to(clean) for path in clean.rglob("*.html"))
    assert any("Catering en lunch" in (clean / page).read_text(encoding="utf-8") for page in pages)
    for page in pages:
        assert (tmp_path / "output" / page).read_bytes() == (clean / page).read_bytes(), page

@pytest.mark.parametrize("file_links", [False, True])
def test_page_linker_gives_relative_url(file_links):
    # page_linker skips the folder comparison for links out of the page's top folder
    pages = ["index.html", "404.html", "verhalen/index.html", f"verhalen/{STORY}/index.html", "/verhalen/x/index.html",
             "verhalen/pagina/2/index.html", "verhalenx/index.html", "a/b/c/d.html"]
    paths = ["", "/", "./", "verhalen", "verhalen/", "verhalen/y/", f"verhalen/{STORY}/", f"verhalen/{STORY}/#h-x", "#top",
             "static/site.css", "/static/site.js", "../x", "verhalenx/", "a/b/", "a/b/c/", "a/b/c/e.html", "zoeken/index.js"]
    for page in pages:
        link = page_linker(page, file_links)
        for path in paths:
            assert link(path) == relative_url(page, path, file_links), (page, path)


def test_absolute_linker_gives_absolute_url():
    bases = ["https://sociaal-inkopen.example.nl/", "https://intranet.example.nl/sociaal-inkopen/", "http://x.nl:8080/a/b/",
             "https://x.nl/a/../", "https://x.nl/a/./b/", "https://x.nl/?q=1/", "https://x.nl/#top/", "https://x.nl/a%20b/"]
    paths = ["", "/", "verhalen/x/", "/static/delen.png", "media/logo.svg", "zoeken/", "./x", "../x", "a/../b", "a/./b",
             ".well-known/x", "?q=1", "#top", "a b", "https://elders.nl/x", "mailto:a@b.nl", "//host/x", "a//b", "café/"]
    for base in bases:
        link = absolute_linker(base)
        for path in paths:
            assert link(path) == absolute_url(base, path), (base, path)

def _qr_texts() -> list[str]:
    """URLs of every length up to QR version 25 or so, plus texts segno encodes otherwise."""
    import random
    chance = random.Random(7)
    texts = [f"https://sociaal-inkopen.example.nl/verhalen/{STORY}/", "https://a.nl/x", "HTTPS://A.NL/VERHALEN/",
             "1234567890123456789", "https://één.example.nl/verhalen/café/", "https://x.nl/" + "ab" * 300]
    for length in [*range(16, 200), *range(200, 900, 37)]:
        texts.append("https://x.nl/" + "".join(chance.choice("abcdefghijklmnopqrstuvwxyz0123456789-/")
                                               for _ in range(length - 13)))
    return texts


def test_qr_code_is_the_one_segno_makes():
    # qr_modules builds codes without segno's per-module loops; it must give segno's matrix.
    for text in _qr_texts():
        code = segno.make(text, error="m", mask=0)
        size, flat = qr_modules(text)
        rows = re.split("[^01]", flat)[1:]  # each row follows a marker character
        assert (size, rows) == (len(code.matrix), ["".join(str(m & 1) for m in row) for row in code.matrix]), text


def test_qr_svg_draws_exactly_the_dark_modules():
    for text in _qr_texts()[:40]:
        svg = qr_svg(text)
        path = re.search(r'<path stroke="#000" d="([^"]*)"', svg).group(1)
        x = y = 0
        drawn = set()
        for command, first, second in re.findall(r"([MmHh])(\d+)(?: (\d+))?", path):
            if command == "M":
                x, y = int(first), int(second)
            elif command == "m":
                x, y = x + int(first), y + int(second)
            else:
                drawn.update((x + step, y) for step in range(int(first)))
                x += int(first)
        code = segno.make(text, error="m", mask=0)
        assert drawn == {(column + 4, row + 4) for row, line in enumerate(code.matrix)
                         for column, module in enumerate(line) if module}, text
        width = len(code.matrix) + 8
        assert f'viewBox="0 0 {width} {width}"' in svg


def test_feed_and_sitemap(sample_site):
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(sample_site / "feed.xml").getroot()
    stories = sorted(p.stem for p in (REPO / "content" / "cases").glob("*.md"))
    links = [entry.find(f"{atom}link").get("href") for entry in feed.findall(f"{atom}entry")]
    assert len(links) == len(stories)
    assert f"https://sociaal-inkopen.example.nl/verhalen/{STORY}/" in links
    sitemap = ET.parse(sample_site / "sitemap.xml").getroot()
    urls = {loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert f"https://sociaal-inkopen.example.nl/verhalen/{STORY}/" in urls
    assert "https://sociaal-inkopen.example.nl/404.html" not in urls


def test_long_lists_are_paginated(tmp_path):
    def edit(content: Path):
        source = (content / "cases" / f"{STORY}.md").read_text(encoding="utf-8")
        source = re.sub(r"^aliases: .*\n", "", source, flags=re.M)
        for number in range(1, 21):
            text = re.sub(r"^title: .*$", f"title: Extra verhaal {number}", source, count=1, flags=re.M)
            text = re.sub(r"^date: .*$", f"date: 2025-01-{number:02d}", text, count=1, flags=re.M)
            (content / "cases" / f"extra-{number}.md").write_text(text, encoding="utf-8")

    output = build_copy(tmp_path, edit)
    first = (output / "verhalen" / "index.html").read_text(encoding="utf-8")
    second = (output / "verhalen" / "pagina" / "2" / "index.html").read_text(encoding="utf-8")
    assert '<nav class="pagination" aria-label="Paginanummers">' in first
    assert '<span aria-current="page">1</span>' in first and 'href="pagina/2/" rel="next"' in first
    assert '<span aria-current="page">2</span>' in second and 'href="../../" rel="prev"' in second
    assert "<title>Verhalen (Pagina 2 van 2) | Sociaal inkopen Brabant</title>" in second
    assert first.count('class="card card-case"') == 24 and second.count('class="card card-case"') == 32 - 24


def test_a_list_page_links_to_the_first_last_and_nearby_pages_only():
    from sitegen.render import page_window, paginate

    assert page_window(1, 1) == [1]
    assert page_window(1, 4) == [1, 2, 3, 4]
    assert page_window(1, 10) == [1, 2, 3, None, 10]
    assert page_window(5, 10) == [1, 2, 3, 4, 5, 6, 7, None, 10]  # a gap of one page is shown
    assert page_window(400, 834) == [1, None, 398, 399, 400, 401, 402, None, 834]
    specs = paginate(list(range(24 * 50)), "verhalen", "cases.html", {})
    assert all(len(spec.context["pagination"]["pages"]) <= 9 for spec in specs)
    assert specs[20].context["pagination"]["pages"][2] == (19, "verhalen/pagina/19/")

"""Search in headless Chromium, on a small hand-made site around the real search files.

The site holds the real templates/static/search*.js, the index that sitegen/search.py
builds from the documents below, and the real partial templates/partials/search-ui.html.
It is served with a strict Content-Security-Policy (no 'unsafe-inline', no wasm), from a
sub-path and from file://."""

from __future__ import annotations

import copy
import functools
import http.server
import re
import shutil
import threading
from collections import Counter
from pathlib import Path

import jinja2
import markupsafe
import pytest
import yaml

from sitegen.search import SearchDocument, build_search_files
from sitegen.urls import relative_url

REPO = Path(__file__).resolve().parents[2]
STRINGS = yaml.safe_load((REPO / "templates" / "strings.nl.yaml").read_text(encoding="utf-8"))
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'"

THEME_WORK = ("inclusieve-arbeidsmarkt", "Inclusieve arbeidsmarkt")
THEME_POVERTY = ("minder-armoede", "Minder armoede")
CATERING = ("catering", "Catering")
CLEANING = ("schoonmaak", "Schoonmaak")
PLACES = {"breda": "Breda", "tilburg": "Tilburg", "oss": "Oss", "oisterwijk": "Oisterwijk"}
XSS_TITLE = '<img src=x onerror="window.__pwned = true">'


def place(slug):
    return [(slug, PLACES[slug])]


def make_documents() -> list[SearchDocument]:
    documents = [
        SearchDocument("verhalen/koffiebonen/", "verhaal", "Koffiebonen van De Brander voor het stadskantoor",
                       "Gemeente Lindendal koopt koffie bij een sociale onderneming.",
                       "De inkoop was klein: koffie voor drie afdelingen.",
                       {"thema": [THEME_WORK], "categorie": [CATERING], "gemeente": place("breda")}),
        SearchDocument("ondernemers/de-brander/", "ondernemer", "De Brander", "Brandt koffie en biedt werkplekken.",
                       "Mensen met een afstand tot de arbeidsmarkt leren hier een vak.",
                       {"thema": [THEME_WORK], "gemeente": place("oisterwijk")}),
        SearchDocument("verhalen/sterk-team/", "verhaal", "Stérk schoonmaakwerk in het gemeentehuis",
                       "Een schoonmaakbedrijf met een hecht team.", "Het gemeentehuis is nu elke dag schoon.",
                       {"thema": [THEME_WORK], "categorie": [CLEANING], "gemeente": place("tilburg")}),
        SearchDocument("verhalen/lunchlezing/", "verhaal", "Collega's geïnspireerd door een lunchlezing",
                       "Na de lunchlezing wilden meer afdelingen sociaal inkopen.",
                       "Drie afdelingen kochten daarna iets bij een sociale onderneming.",
                       {"thema": [THEME_POVERTY], "categorie": [CATERING], "gemeente": place("breda")}),
        SearchDocument("kalender/#bedrijfskleding", "inkoop", "Bedrijfskleding voor de buitendienst",
                       "In 2027 komt er een opdracht voor werkkleding.", "Perceel voor een sociale onderneming.",
                       {"gemeente": place("tilburg")}),
        SearchDocument("verhalen/veiligheid/", "verhaal", XSS_TITLE,
                       "<script>window.__pwned = true</script> Een beveiligingstest.", "Niets om te zien.", {}),
        SearchDocument("tips/3-begin-klein/", "tip", "Begin klein",
                       "Een kleine inkoop die goed gaat, maakt collega's nieuwsgierig.", "", {}),
        SearchDocument("bijeenkomsten/lunchlezing-mei/", "bijeenkomst", "Lunchlezing over sociaal inkopen",
                       "Lunchlezing, 21-05-2027", "In het stadskantoor.", {}),
        SearchDocument("over/", "pagina", "Over deze site", "Wie maakt deze site en waarom.", "", {}),
        SearchDocument("verhalen/jaarverslag/", "verhaal", "Jaarverslag van de kantine", "Cijfers over het jaar.",
                       " ".join(["De kantine schonk koffie."] * 12), {"categorie": [CATERING]}),
        SearchDocument("verhalen/raad/", "verhaal", "Koffie voor de raadsvergadering", "Een kleine bestelling.",
                       "", {"categorie": [CATERING]}),
    ]
    for number in range(25):
        slug = ("breda", "tilburg", "oss")[number % 3]
        documents.append(SearchDocument(
            f"ondernemers/schoonmaakbedrijf-{number}/", "ondernemer", f"Schoonmaakbedrijf Noord {number}",
            "Schoonmaak van kantoren en scholen.", "Met vaste ploegen.",
            {"categorie": [CLEANING], "gemeente": place(slug), "thema": [THEME_WORK]}))
    return documents


# The documents that contain a word starting with "schoonmaak".
CLEANING_URLS = {"verhalen/sterk-team/"} | {f"ondernemers/schoonmaakbedrijf-{n}/" for n in range(25)}

PAGE = """<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><title>{{ title }}</title>
<script src="{{ url('static/search.js') }}" defer></script></head>
<body data-search-index="{{ url('zoeken/index.js') }}">
<header><form role="search" action="{{ url('zoeken/') }}" method="get">
<label for="site-search">Zoeken</label><input id="site-search" name="q" type="search"></form></header>
<main><h1>{{ title }}</h1>{{ main }}</main>
</body></html>
"""


def write_site(root: Path, documents: list[SearchDocument], file_links: bool = False,
               strings: dict = STRINGS) -> Path:
    """A minimal site: a home page, /zoeken/, a page per document, and the search files."""
    (root / "static").mkdir(parents=True)
    for name in ("search.js", "search-stem.js"):
        shutil.copy(REPO / "templates" / "static" / name, root / "static" / name)
    for path, content in build_search_files(documents, strings["search"]).items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(content)
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(REPO / "templates"), autoescape=True)
    page_template = environment.from_string(PAGE)

    def render(page: str, title: str, main: str = "") -> None:
        url = functools.partial(relative_url, page, file_links=file_links)
        target = root / page
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page_template.render(title=title, url=url, main=markupsafe.Markup(main)), encoding="utf-8")

    by_kind: dict[str, list] = {}
    facets: dict[str, Counter] = {}
    for document in documents:
        kind_label = strings["search"]["kinds"][document.kind]
        by_kind.setdefault(kind_label, []).append((document.title, document.url, document.summary))
        for name, values in document.facets.items():
            facets.setdefault(name, Counter()).update(values)
    facet_context = {name: [(slug, label, count) for (slug, label), count in counts.items()]
                     for name, counts in facets.items()}
    partial = environment.get_template("partials/search-ui.html")
    search_url = functools.partial(relative_url, "zoeken/index.html", file_links=file_links)
    render("zoeken/index.html", "Zoeken", partial.render(
        documents_by_kind=list(by_kind.items()), facets=facet_context, url=search_url, t=strings))
    render("index.html", "Home", "<p>Welkom.</p>")
    for document in documents:
        if "#" not in document.url:
            render(document.url + "index.html", document.title)
    return root


class StrictHandler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site served at http://127.0.0.1:PORT/intranet/sociaal/ (a sub-path)."""
    root = tmp_path_factory.mktemp("search-site")
    (root / "favicon.ico").write_bytes(b"")
    write_site(root / "intranet" / "sociaal", make_documents())
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(StrictHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/intranet/sociaal/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def watched(page):
    """The page, failing the test on any script error or CSP violation."""
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    yield page
    assert problems == []


def result_links(page):
    page.wait_for_function("() => document.getElementById('search-results').getAttribute('aria-busy') === 'false'")
    return page.eval_on_selector_all("#search-results .search-result a", "links => links.map(a => a.href)")


def search_for(page, site, query):
    page.goto(site + "zoeken/")
    page.fill("#search-query", query)
    return result_links(page)


def urls(links, site):
    return [link.removeprefix(site) for link in links]


def test_typing_shows_results_as_links(watched, site):
    watched.goto(site + "zoeken/")
    watched.click("#search-query")
    watched.keyboard.type("brander", delay=20)
    watched.wait_for_selector("#search-results .search-result a")
    links = urls(result_links(watched), site)
    assert links[:2] == ["ondernemers/de-brander/", "verhalen/koffiebonen/"]
    titles = watched.eval_on_selector_all("#search-results h3", "nodes => nodes.map(n => n.textContent)")
    assert titles[0] == "De Brander"
    badges = watched.eval_on_selector_all("#search-results .search-badge", "nodes => nodes.map(n => n.textContent)")
    assert badges[:2] == ["Ondernemer", "Verhaal"]


@pytest.mark.parametrize(("query", "expected"), [
    ("inkoop ", "verhalen/lunchlezing/"),  # the story says 'inkopen'
    ("koffieboon ", "verhalen/koffiebonen/"),  # the title says 'Koffiebonen'
    ("sterk ", "verhalen/sterk-team/"),  # the title says 'Stérk'
    ("geinspireerd ", "verhalen/lunchlezing/"),  # the title says 'geïnspireerd'
    ("GEÏNSPIREERD ", "verhalen/lunchlezing/"),
    ("lunchlezign ", "verhalen/lunchlezing/"),  # a typo
    ("oisterwijk ", "ondernemers/de-brander/"),  # only a facet value of the enterprise
    ("kof", "verhalen/raad/"),  # a prefix being typed
])
def test_inflections_diacritics_typos_prefixes_and_places_match(watched, site, query, expected):
    assert expected in urls(search_for(watched, site, query), site)


def test_title_matches_rank_first(watched, site):
    links = urls(search_for(watched, site, "koffie "), site)
    assert links.index("verhalen/raad/") < links.index("verhalen/jaarverslag/")


def facet_counts(page, name):
    return dict(page.eval_on_selector_all(
        f"input[name={name}]",
        "boxes => boxes.map(box => [box.value, Number(box.labels[0].querySelector('.search-facet__count')"
        ".textContent.replace(/[()]/g, ''))])"))


def test_facets_filter_with_correct_counts_and_the_url_holds_the_state(watched, site):
    documents = make_documents()
    matching = [d for d in documents if d.url in CLEANING_URLS]
    links = search_for(watched, site, "schoonmaak")
    assert len(links) == 10  # the first page of results
    watched.wait_for_function("() => /26 resultaten/.test(document.getElementById('search-status').textContent)")
    expected = Counter(slug for d in matching for slug, _ in d.facets["gemeente"])
    assert facet_counts(watched, "gemeente") == dict(expected) == {"breda": 9, "tilburg": 9, "oss": 8}
    assert facet_counts(watched, "soort") == {"verhaal": 1, "ondernemer": 25}

    watched.check("#facet-gemeente-tilburg")
    watched.wait_for_function("() => /9 resultaten/.test(document.getElementById('search-status').textContent)")
    assert watched.url == site + "zoeken/?q=schoonmaak&gemeente=tilburg"
    assert len(result_links(watched)) == 9
    # Other values of the same facet keep their counts, so a reader can widen the filter.
    assert facet_counts(watched, "gemeente") == {"breda": 9, "tilburg": 9, "oss": 8}
    assert facet_counts(watched, "soort") == {"verhaal": 1, "ondernemer": 8}

    watched.check("#facet-soort-verhaal")
    watched.wait_for_function("() => /1 resultaat/.test(document.getElementById('search-status').textContent)")
    assert urls(result_links(watched), site) == ["verhalen/sterk-team/"]
    assert watched.url == site + "zoeken/?q=schoonmaak&soort=verhaal&gemeente=tilburg"

    watched.go_back()
    watched.wait_for_function("() => /9 resultaten/.test(document.getElementById('search-status').textContent)")
    assert watched.is_checked("#facet-gemeente-tilburg") and not watched.is_checked("#facet-soort-verhaal")
    watched.go_back()
    watched.wait_for_function("() => /26 resultaten/.test(document.getElementById('search-status').textContent)")
    assert watched.input_value("#search-query") == "schoonmaak"
    watched.go_forward()
    watched.wait_for_function("() => /9 resultaten/.test(document.getElementById('search-status').textContent)")


def test_a_pasted_url_opens_the_same_filtered_view(watched, site):
    watched.goto(site + "zoeken/?q=schoonmaak&gemeente=oss&thema=inclusieve-arbeidsmarkt")
    links = urls(result_links(watched), site)
    assert len(links) == 8 and all(link.startswith("ondernemers/schoonmaakbedrijf-") for link in links)
    assert watched.input_value("#search-query") == "schoonmaak"
    assert watched.is_checked("#facet-gemeente-oss")
    assert watched.is_checked("#facet-thema-inclusieve-arbeidsmarkt")


def test_filters_alone_browse_everything_with_that_value(watched, site):
    watched.goto(site + "zoeken/?soort=tip")
    assert urls(result_links(watched), site) == ["tips/3-begin-klein/"]


def test_more_results_button_and_keyboard_use(watched, site):
    search_for(watched, site, "schoonmaak")
    watched.click("button.search-more")
    watched.wait_for_function("() => document.querySelectorAll('#search-results .search-result').length === 20")
    # Focus moves to the first new result, so a keyboard user continues where they were.
    assert watched.evaluate("() => document.activeElement.closest('.search-result') === "
                            "document.querySelectorAll('#search-results .search-result')[10]")
    watched.focus("#facet-gemeente-breda")
    watched.keyboard.press("Space")
    watched.wait_for_function("() => /9 resultaten/.test(document.getElementById('search-status').textContent)")
    assert "gemeente=breda" in watched.url
    assert watched.evaluate("() => document.activeElement.id") == "facet-gemeente-breda"


def test_matched_words_are_highlighted(watched, site):
    search_for(watched, site, "koffieboon ")
    marks = watched.eval_on_selector_all("#search-results mark", "nodes => nodes.map(n => n.textContent)")
    assert "Koffiebonen" in marks
    first_title = watched.eval_on_selector("#search-results h3 a", "a => a.innerHTML")
    assert first_title == "<mark>Koffiebonen</mark> van De Brander voor het stadskantoor"


def test_markup_in_a_title_is_shown_as_text_and_runs_nothing(watched, site):
    links = urls(search_for(watched, site, "beveiligingstest"), site)
    assert links == ["verhalen/veiligheid/"]
    title = watched.eval_on_selector("#search-results h3", "node => node.textContent")
    assert title == XSS_TITLE
    assert watched.eval_on_selector_all("#search-results img, #search-results script", "nodes => nodes.length") == 0
    search_for(watched, site, "onerror")
    watched.wait_for_timeout(200)
    assert watched.evaluate("() => window.__pwned") is None


def test_no_results_offers_suggestions(watched, site):
    search_for(watched, site, "zzkoffie ")
    empty = watched.inner_text("#search-results")
    assert "Geen resultaten voor ‘zzkoffie’" in empty
    watched.click("#search-results a:text('koffie')")
    watched.wait_for_function("() => document.getElementById('search-status').textContent.includes('koffie')")
    assert watched.url.endswith("zoeken/?q=koffie")
    assert "verhalen/raad/" in urls(result_links(watched), site)


def test_no_results_with_filters_offers_to_drop_them(watched, site):
    watched.goto(site + "zoeken/?q=lunchlezing&gemeente=oss")
    result_links(watched)
    watched.click("#search-results a:text-matches('Zoek zonder filters')")
    watched.wait_for_function("() => /resultaten/.test(document.getElementById('search-status').textContent)")
    assert watched.url.endswith("zoeken/?q=lunchlezing")
    assert len(result_links(watched)) == 2


def test_result_count_is_announced(watched, site):
    search_for(watched, site, "lunchlezing")
    status = watched.locator("#search-status")
    assert status.get_attribute("role") == "status"
    watched.wait_for_function("() => document.getElementById('search-status').textContent !== ''")
    assert status.text_content() == "2 resultaten voor ‘lunchlezing’"


def test_index_loads_only_when_search_is_used(watched, site):
    requested = []
    watched.on("request", lambda request: requested.append(request.url))
    watched.goto(site)
    watched.wait_for_load_state("networkidle")
    assert not [url for url in requested if "/zoeken/" in url]
    watched.focus("#site-search")
    watched.wait_for_function("() => window.SitegenSearch && document.querySelector('script[src$=\"index.js\"]')")
    assert [url for url in requested if url.endswith("zoeken/index.js")] == [site + "zoeken/index.js"]


def test_header_field_shows_a_dropdown_and_enter_opens_the_search_page(watched, site):
    watched.goto(site + "tips/3-begin-klein/")
    watched.click("#site-search")
    watched.keyboard.type("lunchlezing", delay=20)
    watched.wait_for_selector(".search-dropdown a")
    dropdown = watched.eval_on_selector_all(".search-dropdown__list a", "links => links.map(a => a.href)")
    assert sorted(urls(dropdown, site)) == ["bijeenkomsten/lunchlezing-mei/", "verhalen/lunchlezing/"]
    watched.wait_for_function("() => /2 resultaten/.test(document.querySelector('[role=status]').textContent)")
    watched.keyboard.press("ArrowDown")
    assert watched.evaluate("() => document.activeElement.href") == dropdown[0]
    watched.keyboard.press("ArrowDown")
    assert watched.evaluate("() => document.activeElement.href") == dropdown[1]
    watched.keyboard.press("Escape")
    assert watched.evaluate("() => document.activeElement.id") == "site-search"
    assert watched.is_hidden(".search-dropdown")
    watched.keyboard.press("Enter")
    watched.wait_for_url(re.compile(r".*/zoeken/\?q=lunchlezing$"))
    assert len(result_links(watched)) == 2


def test_without_javascript_the_search_page_offers_browsable_lists(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "zoeken/?q=koffie")
    assert page.is_hidden("form[data-search-form]")
    assert page.is_visible("[data-search-nojs]")
    browse_links = page.eval_on_selector_all("[data-search-browse] .search-browse__items a", "as => as.map(a => a.href)")
    assert site + "verhalen/koffiebonen/" in browse_links
    assert len(browse_links) == len(make_documents())
    assert site + "themas/inclusieve-arbeidsmarkt/" in page.eval_on_selector_all(
        "[data-search-browse] .search-browse__terms a", "as => as.map(a => a.href)")
    context.close()


def test_search_works_from_file(watched, tmp_path):
    root = write_site(tmp_path / "share", make_documents(), file_links=True)
    watched.goto((root / "zoeken" / "index.html").as_uri() + "?q=koffieboon")
    links = result_links(watched)
    assert links[0] == (root / "verhalen" / "koffiebonen" / "index.html").as_uri()
    watched.check("#facet-gemeente-breda")
    watched.wait_for_function("() => location.search.includes('gemeente=breda')")
    watched.goto((root / "index.html").as_uri())
    watched.click("#site-search")
    watched.keyboard.type("stérk")
    watched.wait_for_selector(".search-dropdown__list a")
    assert watched.eval_on_selector(".search-dropdown__list a", "a => a.href") == (
        root / "verhalen" / "sterk-team" / "index.html").as_uri()


def test_programmatic_search_uses_the_same_ranking_and_filters(watched, site):
    watched.goto(site)
    found = watched.evaluate("""async () => {
      const found = await SitegenSearch.search('schoonmaak', { gemeente: 'oss' });
      const first = await found.results[0].data();
      return [found.total, first.url, first.kind, first.href];
    }""")
    assert found == [8, "ondernemers/schoonmaakbedrijf-2/", "ondernemer", site + "ondernemers/schoonmaakbedrijf-2/"]


def test_sentences_come_from_the_strings_file_on_the_search_page_and_in_the_dropdown(watched, tmp_path):
    strings = copy.deepcopy(STRINGS)
    strings["search"]["js"].update(results="{count} treffers", results_for="{results} bij ‘{query}’",
                                   all="Toon de {results}", arrow_hint="Pijl omlaag kiest.")
    strings["search"]["kinds"]["verhaal"] = "Praktijkverhaal"
    root = write_site(tmp_path / "other", make_documents(), file_links=True, strings=strings)
    watched.goto((root / "zoeken" / "index.html").as_uri() + "?q=lunchlezing")
    result_links(watched)
    watched.wait_for_function("() => document.getElementById('search-status').textContent !== ''")
    assert watched.text_content("#search-status") == "2 treffers bij ‘lunchlezing’"
    assert "Praktijkverhaal" in watched.eval_on_selector_all(".search-badge", "nodes => nodes.map(n => n.textContent)")
    watched.goto((root / "index.html").as_uri())
    watched.click("#site-search")
    watched.keyboard.type("lunchlezing")
    watched.wait_for_selector(".search-dropdown__all")
    assert watched.text_content(".search-dropdown__all") == "Toon de 2 treffers"
    watched.wait_for_function("() => document.querySelector('form [role=status]').textContent !== ''")
    assert watched.text_content("form [role=status]") == "2 treffers. Pijl omlaag kiest."


def test_the_search_page_says_so_when_the_index_cannot_load(page, site):
    page.route("**/zoeken/index.js", lambda route: route.abort())
    page.goto(site + "zoeken/?q=koffie")
    page.wait_for_selector("[data-search-failed]:not([hidden])")
    assert page.text_content("[data-search-failed]") == STRINGS["search"]["failed"]
    assert page.is_visible("[data-search-browse]")
    assert result_links(page) == []


def test_did_you_mean_prefers_the_more_frequent_of_equally_close_words(watched, tmp_path):
    documents = [SearchDocument(f"verhalen/boon-{n}/", "verhaal", f"Boon {n}", "Een kantine.", "", {})
                 for n in range(3)]
    documents.append(SearchDocument("verhalen/bion/", "verhaal", "Bion", "Een kantane.", "", {}))
    root = write_site(tmp_path / "frequent", documents)
    page_url = (root / "zoeken" / "index.html").as_uri()
    # no match at all (too short for typo tolerance): bion and boon are one edit away, boon is in 3 documents
    watched.goto(page_url + "?q=bxon%20")
    result_links(watched)
    assert watched.text_content(".search-did-you-mean") == "Bedoelde je: boon"
    # found only by typo tolerance: kantine (3 documents) before kantane (1)
    watched.goto(page_url + "?q=kantxne%20")
    assert len(result_links(watched)) == 4
    assert watched.text_content(".search-did-you-mean") == "Bedoelde je: kantine"
    assert watched.text_content(".search-corrected") == \
        "Niets gevonden voor ‘kantxne’. Dit zijn de resultaten voor ‘kantine’."

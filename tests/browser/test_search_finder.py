"""The search page as a finder, in headless Chromium, on the finder fixture built by the real
`sitegen build`: the werkgebied filter, place words in the query, "Bedoelde je", dropping one
filter of an empty search, the layout on a phone and by keyboard, and axe-core in each state."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from sitegen.build import BuildOptions, build
from tests.conftest import FIXED_TODAY, REPO, copy_site

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}
SHOTS = os.environ.get("SITEGEN_SHOTS")  # a folder: the states below are saved there as screenshots

# Where each enterprise of tests/fixtures/finder delivers (its README's table), as the
# `werkgebied` filter matches it: a municipality lists who delivers in it or in its whole
# region; a region lists who delivers anywhere in it; a national enterprise is everywhere.
KOOKCAFE, LUNCH, LANDELIJK, SOEP, SCHOON, GROEN, KOERIER = (
    "kookcafe-tilburg", "lunch-breda", "landelijke-cateraar", "soep-oss", "schoon-roosendaal", "groen-helmond",
    "koerier-den-bosch")
DELIVERS_IN = {
    "breda": {KOOKCAFE, LUNCH, LANDELIJK, SCHOON, KOERIER},
    "west-brabant": {KOOKCAFE, LUNCH, LANDELIJK, SCHOON, KOERIER},
    "roosendaal": {KOOKCAFE, LANDELIJK, SCHOON},
    "tilburg": {KOOKCAFE, LANDELIJK},
    "midden-brabant": {KOOKCAFE, LANDELIJK},
    "oss": {SOEP, LANDELIJK, KOERIER},
    "noordoost-brabant": {SOEP, LANDELIJK, KOERIER},
    "eindhoven": {GROEN, LANDELIJK},
    "helmond": {GROEN, LANDELIJK},
    "zuidoost-brabant": {GROEN, LANDELIJK},
    "veldhoven": {LANDELIJK},
}
CATERERS = {KOOKCAFE, LUNCH, LANDELIJK, SOEP, KOERIER}  # all but schoon-roosendaal and groen-helmond

EDITORS_ONLY = """---
title: Werkafspraken voor de redactie
summary: Alleen voor redacteuren, over catering en lunchlezingen in Breda.
search: false
---
Deze pagina hoort niet in de zoekresultaten.
"""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory, serve_directory):
    root = copy_site(tmp_path_factory.mktemp("finder"), content=REPO / "tests" / "fixtures" / "finder" / "content",
                     templates=REPO / "templates")
    (root / "content" / "pages" / "redactie.md").write_text(EDITORS_ONLY, encoding="utf-8")
    guide = root / "content" / "pages" / "bijdragen.md"  # the editors' guide, as in the sample site
    guide.write_text(guide.read_text(encoding="utf-8").replace("nav: 2\n", "nav: 2\nsearch: false\n", 1),
                     encoding="utf-8")
    build(BuildOptions(source=root, output=root / "output", today=FIXED_TODAY))
    return serve_directory(root / "output")


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


def results(page) -> list[str]:
    page.wait_for_function("() => document.getElementById('search-results').getAttribute('aria-busy') === 'false'")
    return page.eval_on_selector_all("#search-results .search-result h3 a", "links => links.map(a => a.href)")


def open_search(page, site_url: str, query: str) -> list[str]:
    page.goto(site_url + "zoeken/" + query)
    return results(page)


def enterprises(links: list[str]) -> set[str]:
    return {match[1] for link in links if (match := re.search(r"/ondernemers/([^/]+)/$", link))}


def status(page) -> str:
    page.wait_for_function("() => document.getElementById('search-status').textContent !== ''")
    return page.text_content("#search-status")


def count_text(count: int) -> str:
    return "1 resultaat" if count == 1 else f"{count} resultaten"


def axe_violations(page) -> list[str]:
    return [violation["id"] for violation in Axe().run(page, options=AXE_OPTIONS).response["violations"]]


def shoot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{page.viewport_size['width']}.png"), full_page=True)


# ---------------------------------------------------------------- werkgebied

@pytest.mark.parametrize("area", sorted(DELIVERS_IN))
def test_werkgebied_filter_lists_who_delivers_there(desktop, site_url, area):
    links = open_search(desktop, site_url, f"?soort=ondernemer&werkgebied={area}")
    assert enterprises(links) == DELIVERS_IN[area]
    assert len(links) == len(DELIVERS_IN[area])


def test_werkgebied_with_a_query_and_the_based_in_filter_says_so(desktop, site_url):
    links = open_search(desktop, site_url, "?q=catering&werkgebied=breda")
    assert enterprises(links) == DELIVERS_IN["breda"] & CATERERS
    legends = desktop.eval_on_selector_all(".search-facet legend", "nodes => nodes.map(n => n.textContent)")
    assert "Gevestigd in (gemeente)" in legends and "Levert in (werkgebied)" in legends
    # kookcafe-tilburg delivers in Breda but is based in Tilburg: the based-in filter leaves it out
    links = open_search(desktop, site_url, "?q=catering&gemeente=breda")
    assert enterprises(links) == {LUNCH}


def test_werkgebied_also_filters_planned_purchases_by_their_area(desktop, site_url):
    links = open_search(desktop, site_url, "?soort=inkoop&werkgebied=breda")
    # catering-west is in all of West-Brabant, Breda included; schoonmaak-roosendaal is elsewhere in it
    assert [link.split("/kalender/")[1] for link in links] == ["#catering-west"]
    links = open_search(desktop, site_url, "?soort=inkoop&werkgebied=west-brabant")
    assert sorted(link.split("/kalender/")[1] for link in links) == ["#catering-west", "#schoonmaak-roosendaal"]


@pytest.mark.parametrize("query", ["catering breda", "catering west-brabant", "catering west brabant",
                                   "Catering West-Brabant"])
def test_a_place_in_the_query_finds_who_delivers_there(desktop, site_url, query):
    links = open_search(desktop, site_url, f"?q={query}")
    assert enterprises(links) == DELIVERS_IN["breda"] & CATERERS  # Breda and West-Brabant: the same here
    assert KOOKCAFE in enterprises(links)  # based in Tilburg


# ---------------------------------------------------------------- editors' pages

def test_a_page_with_search_false_is_left_out(desktop, site_url):
    for query in ("redactie", "werkafspraken", "catering breda"):
        links = open_search(desktop, site_url, f"?q={query}")
        assert not any(link.endswith("/redactie/") for link in links), query
    browse = desktop.eval_on_selector_all(".search-browse a", "links => links.map(a => a.href)")
    assert browse and not any(link.endswith("/redactie/") for link in browse)


# ---------------------------------------------------------------- did you mean

def test_a_typo_shows_results_for_the_word_meant_and_offers_it(desktop, site_url):
    links = open_search(desktop, site_url, "?q=cateirng&werkgebied=tilburg")
    assert enterprises(links) == DELIVERS_IN["tilburg"] & CATERERS
    assert desktop.text_content(".search-corrected") == \
        "Niets gevonden voor ‘cateirng’. Dit zijn de resultaten voor ‘catering’."
    assert status(desktop).endswith("voor ‘catering’")
    offer = desktop.locator(".search-did-you-mean a")
    assert desktop.text_content(".search-did-you-mean") == "Bedoelde je: catering"
    assert offer.get_attribute("href") == "?q=catering&werkgebied=tilburg"
    offer.click()
    desktop.wait_for_url(re.compile(r".*/zoeken/\?q=catering&werkgebied=tilburg$"))
    assert enterprises(results(desktop)) == DELIVERS_IN["tilburg"] & CATERERS
    assert desktop.locator(".search-did-you-mean, .search-corrected").count() == 0


def test_a_word_that_matches_nothing_gets_the_closest_word(desktop, site_url):
    links = open_search(desktop, site_url, "?q=wrek%20breda%20&soort=ondernemer")
    assert links  # breda alone still finds something (partial results)
    assert desktop.text_content(".search-did-you-mean") == "Bedoelde je: werk breda"
    assert desktop.get_attribute(".search-did-you-mean a", "href") == "?q=werk+breda&soort=ondernemer"
    open_search(desktop, site_url, "?q=xqzvw%20")
    assert desktop.locator(".search-did-you-mean").count() == 0  # nothing close enough


def test_a_half_typed_word_with_a_typo_is_corrected_to_a_whole_word(desktop, site_url):
    open_search(desktop, site_url, "?q=lunhc")
    assert desktop.text_content(".search-did-you-mean") == "Bedoelde je: lunch"


# ---------------------------------------------------------------- empty filtered search

def test_an_empty_filtered_search_offers_to_drop_one_filter_at_a_time(desktop, site_url):
    links = open_search(desktop, site_url, "?q=catering&werkgebied=veldhoven&omvang=startup")
    assert links == []
    offers = desktop.eval_on_selector_all(".search-drop a", "links => links.map(a => [a.textContent, a.href])")
    without_veldhoven = len(open_search(desktop, site_url, "?q=catering&omvang=startup"))
    without_startup = len(open_search(desktop, site_url, "?q=catering&werkgebied=veldhoven"))
    assert without_veldhoven and without_startup
    without_both = len(open_search(desktop, site_url, "?q=catering"))
    assert [(text, href.split("zoeken/")[1]) for text, href in offers] == [
        (f"zonder Veldhoven: {count_text(without_veldhoven)}", "?q=catering&omvang=startup"),
        (f"zonder Startup: {count_text(without_startup)}", "?q=catering&werkgebied=veldhoven"),
        (f"Zoek zonder filters ({count_text(without_both)})", "?q=catering")]
    # clicking one gives the count it promised, and keeps the query and the other filter
    open_search(desktop, site_url, "?q=catering&werkgebied=veldhoven&omvang=startup")
    desktop.click(".search-drop a:text-matches('zonder Startup')")
    desktop.wait_for_url(re.compile(r".*/zoeken/\?q=catering&werkgebied=veldhoven$"))
    assert len(results(desktop)) == without_startup
    desktop.wait_for_function("text => document.getElementById('search-status').textContent === text",
                              arg=f"{count_text(without_startup)} voor ‘catering’")


# ---------------------------------------------------------------- layout, focus, keyboard

def test_on_a_phone_the_count_and_results_come_before_the_folded_filters(phone, site_url):
    open_search(phone, site_url, "?q=catering&werkgebied=breda")
    status(phone)
    first = phone.locator("#search-results .search-result").first.bounding_box()
    assert first["y"] < PHONE["height"]
    assert phone.locator("#search-filters").is_hidden()
    toggle = phone.locator("[data-search-filters-toggle]")
    assert toggle.text_content() == "Filters (1)" and toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert phone.locator("#search-filters").is_visible() and toggle.get_attribute("aria-expanded") == "true"
    assert phone.locator("#search-status").bounding_box()["y"] < phone.locator("#search-filters").bounding_box()["y"]


def test_a_filter_change_keeps_focus_and_announces_the_new_count(desktop, site_url):
    open_search(desktop, site_url, "?q=catering")
    box = desktop.locator("#facet-werkgebied-breda")
    box.focus()
    desktop.keyboard.press("Space")
    desktop.wait_for_url(re.compile(r".*werkgebied=breda$"))
    count = len(results(desktop))
    desktop.wait_for_function("() => document.activeElement && document.activeElement.id === 'facet-werkgebied-breda'")
    desktop.wait_for_function(f"() => document.getElementById('search-status').textContent.startsWith('{count} ')")
    assert desktop.get_attribute("#search-status", "aria-live") == "polite"


def tab_presses_to_first_result(page, follow_skip_links: tuple[str, ...]) -> int:
    first = page.eval_on_selector("#search-results .search-result h3 a", "a => a.href")
    for presses in range(1, 40):
        page.keyboard.press("Tab")
        href, text = page.evaluate("() => [document.activeElement.href || '', document.activeElement.textContent]")
        if href == first:
            return presses
        if text in follow_skip_links:
            page.keyboard.press("Enter")
    return 40


def test_the_first_result_is_a_few_tab_presses_away_on_a_desktop(desktop, site_url):
    open_search(desktop, site_url, "?q=catering")
    # with the page's own skip links: to the content, then to the results
    assert tab_presses_to_first_result(desktop, ("Ga direct naar de inhoud", "Naar de resultaten")) == 5
    open_search(desktop, site_url, "?q=catering")
    # past the header and menu (its "Meer" group is one stop), then the results' skip link:
    # no filter lies in between
    assert tab_presses_to_first_result(desktop, ("Naar de resultaten",)) <= 15


# ---------------------------------------------------------------- axe and screenshots

STATES = {
    "results": "?q=catering",
    "filtered": "?q=catering&werkgebied=breda&categorie=catering",
    "empty-filtered": "?q=catering&werkgebied=veldhoven&omvang=startup",
    "did-you-mean": "?q=cateirng",
}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
@pytest.mark.parametrize("state", sorted(STATES))
def test_axe_finds_no_violations_in_each_search_state(browser, site_url, state, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    open_search(page, site_url, STATES[state])
    status(page)
    if viewport is PHONE and state == "filtered":
        page.click("[data-search-filters-toggle]")  # the unfolded filters too
    assert axe_violations(page) == []
    shoot(page, state)
    context.close()


# ---------------------------------------------------------------- the sample site

@pytest.mark.parametrize("query", ["catering west-brabant", "schoonmaak breda", "lunchlezing", "statushouders",
                                   "cateirng", "handleiding redacteuren"])
def test_the_editors_guide_is_not_in_the_sample_sites_results(desktop, sample_url, query):
    links = open_search(desktop, sample_url, f"?q={query}")
    assert not any("/bijdragen/" in link for link in links)
    if query != "handleiding redacteuren":
        assert links


def test_the_sample_site_corrects_cateirng_to_catering(desktop, sample_url):
    links = open_search(desktop, sample_url, "?q=cateirng")
    assert desktop.text_content(".search-did-you-mean") == "Bedoelde je: catering"
    assert set(links) == set(open_search(desktop, sample_url, "?q=catering"))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
@pytest.mark.parametrize("state", sorted(STATES))
def test_sample_site_search_states_on_both_screens(browser, sample_url, state, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    open_search(page, sample_url, STATES[state].replace("veldhoven", "helmond").replace("startup", "gevestigd"))
    status(page)
    shoot(page, f"sample-{state}")
    box = page.locator("#search-results .search-result, #search-results .search-empty").first.bounding_box()
    assert box["y"] < viewport["height"]  # the first result (or the way out) on the first screen
    assert axe_violations(page) == []
    context.close()

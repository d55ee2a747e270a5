"""The directory's filters and the pages that answer "who delivers this here" without
JavaScript, in headless Chromium, on the finder fixture (tests/fixtures/finder/README.md):
exact lists per URL, counts, the phone layout, focus, the empty result, axe-core."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from sites import FIXED_TODAY, FIXTURES, copy_site
from sitegen.build import BuildOptions, build

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
SHOTS = Path(os.environ.get("SITEGEN_SHOTS", "/tmp/shots-directory"))

# The fixture's enterprises by name (README table).
KOOKCAFE, LUNCH, LANDELIJK = "Kookcafe Tilburg", "Lunchlokaal Breda", "Landelijke Cateraar"
SOEP, SCHOON, GROEN, KOERIER = "Soepkeuken Oss", "Schoonmakers Roosendaal", "Groenwerk Helmond", "Koeriers Den Bosch"
EVERYONE = {KOOKCAFE, LUNCH, LANDELIJK, SOEP, SCHOON, GROEN, KOERIER}

# Each query and exactly whom it lists, worked out by hand from the README table.
FILTERED = {
    "categorie=catering&werkgebied=west-brabant": {KOOKCAFE, LUNCH, LANDELIJK, KOERIER},
    # a municipality: those delivering in its whole region, there, or everywhere
    "werkgebied=roosendaal&categorie=catering": {KOOKCAFE, LANDELIJK},
    "werkgebied=breda": {KOOKCAFE, LUNCH, LANDELIJK, SCHOON, KOERIER},
    "werkgebied=eindhoven": {GROEN, LANDELIJK},
    "werkgebied=zuidoost-brabant": {GROEN, LANDELIJK},
    "werkgebied=midden-brabant": {KOOKCAFE, LANDELIJK},
    "werkgebied=helmond&werkgebied=oss": {GROEN, LANDELIJK, SOEP, KOERIER},
    "categorie=catering": {KOOKCAFE, LUNCH, LANDELIJK, SOEP, KOERIER},
    "categorie=catering&categorie=schoonmaak": {KOOKCAFE, LUNCH, LANDELIJK, SOEP, SCHOON, KOERIER},
    "categorie=groenonderhoud": {GROEN},
    "thema=inclusieve-arbeidsmarkt": {KOOKCAFE, LANDELIJK, SCHOON, KOERIER},
    "thema=minder-armoede&thema=duurzame-productie": {LUNCH, GROEN},
    "erkenning=pso": {KOOKCAFE, SCHOON},
    "erkenning=code-sociale-ondernemingen&erkenning=pso": {LANDELIJK, KOOKCAFE, SCHOON},
    "voorbehouden=ja": {KOOKCAFE, SCHOON, KOERIER},
    "social-return=ja": {KOOKCAFE, LANDELIJK, SOEP, SCHOON, KOERIER},
    "omvang=startup": {LUNCH, SOEP},
    "omvang=gevestigd&omvang=startup": {LANDELIJK, SCHOON, LUNCH, SOEP},
    "voorbehouden=ja&werkgebied=midden-brabant": {KOOKCAFE},
    "social-return=ja&categorie=catering&werkgebied=noordoost-brabant": {LANDELIJK, SOEP, KOERIER},
    # unknown values are ignored: the known ones still filter
    "categorie=catering&werkgebied=atlantis": {KOOKCAFE, LUNCH, LANDELIJK, SOEP, KOERIER},
}
CROSSINGS = {
    "categorieen/catering/west-brabant/": {KOOKCAFE, LUNCH, LANDELIJK, KOERIER},
    "categorieen/catering/midden-brabant/": {KOOKCAFE, LANDELIJK},
    "categorieen/catering/noordoost-brabant/": {LANDELIJK, SOEP, KOERIER},
    "categorieen/catering/zuidoost-brabant/": {LANDELIJK},
    "categorieen/schoonmaak/west-brabant/": {SCHOON},
    "categorieen/groenonderhoud/zuidoost-brabant/": {GROEN},
    "categorieen/post-en-logistiek/west-brabant/": {KOERIER},
}


@pytest.fixture(scope="module")
def finder_site(tmp_path_factory) -> Path:
    root = copy_site(tmp_path_factory.mktemp("finder"), content=FIXTURES / "finder" / "content")
    build(BuildOptions(source=root, output=root / "output", today=FIXED_TODAY))
    return root / "output"


@pytest.fixture(scope="module")
def finder_url(finder_site, serve_directory) -> str:
    return serve_directory(finder_site)


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def listed(page) -> set[str]:
    """The names of the enterprise cards the directory shows now."""
    return set(page.locator(".finder-results .card-title a:visible").all_inner_texts())


def wait_ready(page) -> None:
    page.wait_for_selector(".finder-ready")


@pytest.mark.parametrize("query", list(FILTERED))
def test_each_filter_in_the_url_lists_exactly_the_expected_enterprises(query, page, finder_url):
    open_page(page, f"{finder_url}ondernemers/?{query}")
    wait_ready(page)
    expected = FILTERED[query]
    assert listed(page) == expected
    assert page.locator(".finder-static").is_hidden()
    count = page.locator(".finder-count").inner_text()
    assert count == (f"{len(expected)} sociale ondernemers" if len(expected) != 1 else "1 sociale ondernemer")
    # what the URL chose is checked in the form, and nothing else
    checked = set(page.eval_on_selector_all(".finder-form input:checked", "els => els.map(e => e.name + '=' + e.value)"))
    assert checked == {part for part in query.split("&") if "atlantis" not in part}
    assert page.locator(".finder-toggle").inner_text() == f"Filters ({len(checked)})"


def test_no_filter_shows_the_static_pages_and_counts_per_option(page, finder_url):
    open_page(page, f"{finder_url}ondernemers/?categorie=bestaat-niet")
    wait_ready(page)
    assert page.locator(".finder-static").is_visible()
    assert listed(page) == EVERYONE
    assert page.locator(".finder-form input:checked").count() == 0
    assert page.locator(".finder-count").inner_text() == "7 sociale ondernemers, op alfabet."
    assert option_count(page, "categorie", "catering") == "(5)"
    assert option_count(page, "werkgebied", "breda") == "(5)"
    assert option_count(page, "voorbehouden", "ja") == "(3)"


def option_count(page, name: str, value: str) -> str:
    return page.locator(f"input[name='{name}'][value='{value}'] + label .finder-option-count").text_content()


def test_counts_say_what_adding_an_option_would_give(page, finder_url):
    open_page(page, f"{finder_url}ondernemers/?categorie=catering")
    wait_ready(page)
    assert option_count(page, "werkgebied", "west-brabant") == "(4)"
    assert option_count(page, "werkgebied", "roosendaal") == "(2)"
    assert option_count(page, "categorie", "schoonmaak") == "(6)"  # any of: catering or cleaning
    assert option_count(page, "categorie", "catering") == "(5)"


def test_a_change_keeps_focus_updates_the_url_and_announces_the_count(page, finder_url):
    open_page(page, f"{finder_url}ondernemers/")
    wait_ready(page)
    live = page.locator(".finder-count")
    assert live.get_attribute("role") == "status"
    box = page.locator("#filter-categorie-catering")
    box.focus()
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.id") == "filter-categorie-catering"
    assert page.url.endswith("ondernemers/?categorie=catering")
    assert live.inner_text() == "5 sociale ondernemers"
    page.locator("#filter-werkgebied-west-brabant").check()
    assert page.evaluate("document.activeElement.id") == "filter-werkgebied-west-brabant"
    assert page.url.endswith("?categorie=catering&werkgebied=west-brabant")
    assert listed(page) == FILTERED["categorie=catering&werkgebied=west-brabant"]
    page.go_back()
    page.wait_for_function("location.search === '?categorie=catering'")
    assert listed(page) == FILTERED["categorie=catering"]
    assert not page.locator("#filter-werkgebied-west-brabant").is_checked()
    page.go_back()
    page.wait_for_function("location.search === ''")
    assert page.locator(".finder-static").is_visible()
    page.go_forward()
    page.wait_for_function("location.search === '?categorie=catering'")
    assert page.locator("#filter-categorie-catering").is_checked()


def test_an_empty_result_offers_to_drop_each_filter_with_its_count(page, finder_url):
    open_page(page, f"{finder_url}ondernemers/?categorie=schoonmaak&werkgebied=eindhoven")
    wait_ready(page)
    assert listed(page) == set()
    assert page.locator(".finder-count").inner_text() == "0 sociale ondernemers"
    empty = page.locator(".finder-empty")
    assert empty.is_visible()
    links = empty.locator("a")
    assert links.all_inner_texts() == ["Zonder Schoonmaak (2 sociale ondernemers)", "Zonder Eindhoven (1 sociale ondernemer)"]
    assert links.nth(0).get_attribute("href") == "?werkgebied=eindhoven"
    links.nth(1).click()
    assert page.url.endswith("?categorie=schoonmaak")
    assert listed(page) == {SCHOON}
    assert empty.is_hidden()


@pytest.mark.parametrize("path", list(CROSSINGS))
def test_category_in_region_pages_list_the_enterprises_without_javascript(path, browser, finder_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    open_page(page, finder_url + path)
    names = set(page.locator("#enterprises-title + .cards .card-title a").all_inner_texts())
    places = page.locator("#enterprises-title + .cards .card-area").all_inner_texts()
    context.close()
    assert names == CROSSINGS[path]
    assert all(place.startswith(("Levert in", "Werkt in heel Nederland")) for place in places)


def test_the_category_page_links_its_regions_with_counts(browser, finder_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    open_page(page, finder_url + "categorieen/catering/")
    links = [" ".join(text.split()) for text in page.locator("#regions-title ~ ul li").all_inner_texts()]
    context.close()
    assert links == ["Catering in West-Brabant (4)", "Catering in Midden-Brabant (2)",
                     "Catering in Noordoost-Brabant (3)", "Catering in Zuidoost-Brabant (1)"]


@pytest.mark.parametrize("path, based, delivering", [
    ("gemeenten/breda/", {LUNCH}, {KOOKCAFE, LANDELIJK, SCHOON, KOERIER}),
    ("regios/west-brabant/", {LUNCH, SCHOON}, {KOOKCAFE, LANDELIJK, KOERIER}),
    ("gemeenten/eindhoven/", {LANDELIJK}, {GROEN}),
])
def test_place_pages_tell_based_here_from_delivering_here(path, based, delivering, browser, finder_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    open_page(page, finder_url + path)
    got_based = set(page.locator("#enterprises-title + .cards .card-title a").all_inner_texts())
    got_delivering = set(page.locator("#delivering-title ~ .cards .card-title a").all_inner_texts())
    headings = page.locator("main h2").all_inner_texts()
    context.close()
    assert (got_based, got_delivering) == (based, delivering)
    assert any(h.startswith("Gevestigd in") for h in headings) and any(h.startswith("Levert ook in") for h in headings)


def test_on_a_phone_the_filters_fold_behind_one_button_and_results_come_first(browser, finder_url):
    context = browser.new_context(viewport={"width": 375, "height": 667})
    page = context.new_page()
    open_page(page, f"{finder_url}ondernemers/?categorie=catering&werkgebied=west-brabant")
    wait_ready(page)
    toggle = page.locator(".finder-toggle")
    assert toggle.inner_text() == "Filters (2)"
    assert page.locator(".finder-form").is_hidden()
    first = page.locator(".finder-list .card").first.bounding_box()
    count = page.locator(".finder-count").bounding_box()
    assert first["y"] < 667
    assert count["y"] < first["y"]
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#filter-categorie-catering").is_visible()
    context.close()


def test_the_unfiltered_phone_page_also_shows_a_result_on_the_first_screen(browser, finder_url):
    context = browser.new_context(viewport={"width": 375, "height": 667})
    page = context.new_page()
    open_page(page, f"{finder_url}ondernemers/")
    wait_ready(page)
    assert page.locator(".finder-static .card").first.bounding_box()["y"] < 667
    context.close()


def test_without_javascript_the_directory_lists_everything_and_shows_no_dead_form(browser, finder_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    open_page(page, f"{finder_url}ondernemers/?categorie=catering")
    assert listed(page) == EVERYONE
    assert page.locator(".finder-form").is_hidden()
    assert page.locator(".finder-toggle").is_hidden()
    assert page.locator("nav.facet-links a", has_text="Regio's").count() == 1
    context.close()


def test_the_filters_work_from_disk(page, finder_site):
    """file://: the data comes in a script element, as the search index does."""
    open_page(page, (finder_site / "ondernemers" / "index.html").as_uri() + "?categorie=catering&werkgebied=roosendaal")
    wait_ready(page)
    assert listed(page) == FILTERED["werkgebied=roosendaal&categorie=catering"]
    href = page.locator(".finder-list .card-title a").first.get_attribute("href")
    assert href.startswith("file://")


def test_filtered_cards_are_the_static_cards(page, finder_url):
    """One markup: a card the script fills equals the card the build rendered."""
    open_page(page, f"{finder_url}ondernemers/")
    wait_ready(page)
    static = page.locator(".finder-static .card", has_text=KOERIER).inner_text()
    page.locator("#filter-categorie-post-en-logistiek").check()
    assert page.locator(".finder-list .card", has_text=KOERIER).inner_text() == static


AXE_PATHS = ["ondernemers/", "ondernemers/?categorie=catering&werkgebied=west-brabant",
             "ondernemers/?categorie=schoonmaak&werkgebied=eindhoven", "categorieen/catering/west-brabant/",
             "categorieen/catering/", "gemeenten/breda/", "regios/west-brabant/", "regios/"]


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("path", AXE_PATHS)
def test_axe_finds_no_violations(path, width, browser, finder_url):
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 400 else 667})
    page = context.new_page()
    open_page(page, finder_url + path)
    if path.startswith("ondernemers/"):
        wait_ready(page)
        if width < 400:
            page.locator(".finder-toggle").click()  # the open panel too
    results = Axe().run(page, options=AXE_OPTIONS)
    page_width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert results.violations_count == 0, results.generate_report()
    assert page_width <= width


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots(width, browser, finder_url):
    """Pictures for a person to look at (SITEGEN_SHOTS, default /tmp/shots-directory)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 400 else 667})
    page = context.new_page()
    for name, path in [("directory", "ondernemers/"),
                       ("filtered", "ondernemers/?categorie=catering&werkgebied=west-brabant"),
                       ("empty", "ondernemers/?categorie=schoonmaak&werkgebied=eindhoven"),
                       ("crossing", "categorieen/catering/west-brabant/"), ("municipality", "gemeenten/breda/")]:
        open_page(page, finder_url + path)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    context.close()


def test_more_than_a_page_of_matches_shows_them_all_with_show_more(browser, serve_directory, tmp_path):
    """Matches from every static page, 24 at a time; focus goes to the first card added."""
    root = copy_site(tmp_path, content=FIXTURES / "finder" / "content")
    for number in range(30):
        (root / f"content/enterprises/extra-{number:02d}.yaml").write_text(
            f"name: Extra Keuken {number:02d}\nsummary: Een extra cateraar voor de test.\nimpact: [minder-armoede]\n"
            "offerings: [{category: catering, description: Lunch.}]\nlocation: {municipality: breda}\n"
            "size: startup\nreach: lokaal\nservice_area: []\nreserved_contract_eligible: nee\n"
            "counts_for_social_return: false\nrecognitions: []\n", encoding="utf-8")
    build(BuildOptions(source=root, output=root / "output", today=FIXED_TODAY))
    context = browser.new_context()
    page = context.new_page()
    open_page(page, serve_directory(root / "output") + "ondernemers/?categorie=catering&werkgebied=breda")
    wait_ready(page)
    assert page.locator(".finder-count").inner_text() == "34 sociale ondernemers"
    assert page.locator(".finder-list .card").count() == 24
    assert page.locator(".pagination").is_hidden()
    more = page.locator(".finder-more-results button")
    assert more.inner_text() == "Toon meer (10)"
    more.click()
    assert page.locator(".finder-list .card").count() == 34
    assert more.is_hidden()
    assert page.evaluate("document.activeElement.textContent") == page.locator(".finder-list .card-title a").nth(24).inner_text()
    assert len(listed(page)) == 34
    context.close()


def test_keyboard_users_can_pass_the_filters_to_the_results(page, finder_url):
    open_page(page, f"{finder_url}ondernemers/?categorie=catering")
    wait_ready(page)
    page.locator("nav.facet-links a").last.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "finder-skip"
    assert page.locator(".finder-skip").bounding_box()["height"] > 10  # visible while focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    first = page.locator(".finder-list .card-title a").first.inner_text()
    assert page.evaluate("document.activeElement.textContent") == first

"""The calendar's filters in headless Chromium, on the finder fixture with the calendar
fixture's extra purchases (tests/fixtures/calendar/README.md), and on the sample site:
each URL filter lists exactly the expected purchases, counts follow, focus stays, an
empty result offers to drop each filter, a phone sees results first, and axe-core finds
nothing at 1280 and 375 px."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from sites import FIXED_TODAY, copy_calendar_site
from sitegen.build import BuildOptions, build

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
# The open purchases of the fixture, in the page's order (by quarter, then date, then title).
ALL = ["catering-west", "catering-tilburg", "schoonmaak-roosendaal", "post-oss", "groen-overal"]
VISIBLE_ROWS = "rows => rows.filter(row => row.getClientRects().length).map(row => row.id)"


@pytest.fixture(scope="module")
def calendar_site(tmp_path_factory) -> Path:
    root = copy_calendar_site(tmp_path_factory.mktemp("calendar-site"))
    build(BuildOptions(source=root, output=root / "output", today=FIXED_TODAY))
    return root / "output"


@pytest.fixture(scope="module")
def calendar_url(calendar_site, serve_directory) -> str:
    return serve_directory(calendar_site) + "kalender/"


def open_calendar(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def visible(page) -> list[str]:
    return page.locator("tr[data-categorie]").evaluate_all(VISIBLE_ROWS)


def count_text(page) -> str:
    return page.locator("#calendar-count").inner_text()


def option_counts(page, name: str) -> dict[str, str]:
    return page.locator(f"input[name={name}]").evaluate_all(
        """boxes => Object.fromEntries(boxes.filter(box => box.closest('li').getClientRects().length)
               .map(box => [box.value, box.closest('label').querySelector('[data-count]').textContent]))""")


@pytest.mark.parametrize(("query", "expected"), [
    ("", ALL),
    ("categorie=catering", ["catering-west", "catering-tilburg"]),
    # several values of one filter: any of them
    ("categorie=catering&categorie=schoonmaak", ["catering-west", "catering-tilburg", "schoonmaak-roosendaal"]),
    ("categorie=catering,post-en-logistiek", ["catering-west", "catering-tilburg", "post-oss"]),
    # a region: purchases for the region, for one of its municipalities, and for no area
    ("werkgebied=west-brabant", ["catering-west", "schoonmaak-roosendaal", "groen-overal"]),
    # a municipality: purchases there, for its whole region, and for no area
    ("werkgebied=breda", ["catering-west", "groen-overal"]),
    ("werkgebied=roosendaal", ["catering-west", "schoonmaak-roosendaal", "groen-overal"]),
    ("werkgebied=tilburg", ["catering-tilburg", "groen-overal"]),
    ("werkgebied=midden-brabant", ["catering-tilburg", "groen-overal"]),
    ("werkgebied=oss", ["post-oss", "groen-overal"]),
    ("werkgebied=breda&werkgebied=oss", ["catering-west", "post-oss", "groen-overal"]),
    ("kans=social-return", ["catering-tilburg", "schoonmaak-roosendaal"]),
    ("kans=perceel&kans=onderaanneming", ["catering-west", "post-oss", "groen-overal"]),
    ("organisatie=waterschap-test", ["catering-tilburg", "post-oss", "groen-overal"]),
    ("organisatie=gemeente-breda-test", ["catering-west", "schoonmaak-roosendaal"]),
    # filters combine with "and"
    ("categorie=catering&werkgebied=west-brabant", ["catering-west"]),
    ("kans=social-return&organisatie=gemeente-breda-test", ["schoonmaak-roosendaal"]),
    ("categorie=catering&categorie=groenonderhoud&werkgebied=tilburg&organisatie=waterschap-test",
     ["catering-tilburg", "groen-overal"]),
    # a value the vocabulary does not know is left out, not an empty result
    ("categorie=bestaat-niet", ALL),
])
def test_each_url_filter_lists_exactly_the_expected_purchases(query, expected, page, calendar_url):
    open_calendar(page, calendar_url + ("?" + query if query else ""))
    assert visible(page) == expected
    results = len(expected)
    assert count_text(page) == (f"{results} geplande inkopen" if results != 1 else "1 geplande inkoop")
    shown = page.locator("section[data-quarter]").evaluate_all(
        "sections => sections.filter(s => !s.hidden).map(s => s.dataset.quarter)")
    quarters = {"catering-west": "2027-Q2", "catering-tilburg": "2027-Q3", "schoonmaak-roosendaal": "2027-Q3",
                "post-oss": "2027-Q4", "groen-overal": "2027-Q4"}
    # quarter headings without a visible purchase are hidden
    assert shown == sorted({quarters[slug] for slug in expected})


def test_counts_follow_the_other_filters(page, calendar_url):
    open_calendar(page, calendar_url)
    assert option_counts(page, "categorie") == {"catering": "(2)", "schoonmaak": "(1)", "groenonderhoud": "(1)",
                                                "post-en-logistiek": "(1)"}
    page.get_by_label("West-Brabant").check()
    assert count_text(page) == "3 geplande inkopen"
    # a count says how many there would be with that choice added to the other filters
    assert option_counts(page, "categorie") == {"catering": "(1)", "schoonmaak": "(1)", "groenonderhoud": "(1)",
                                                "post-en-logistiek": "(0)"}
    assert option_counts(page, "organisatie") == {"gemeente-breda-test": "(2)", "waterschap-test": "(1)"}
    # ...and a filter's own choices keep their counts, since they widen it
    regions = option_counts(page, "werkgebied")
    assert (regions["west-brabant"], regions["midden-brabant"], regions["noordoost-brabant"]) == ("(3)", "(2)", "(2)")
    page.get_by_label("Catering").check()
    assert visible(page) == ["catering-west"]
    assert option_counts(page, "kans") == {"perceel": "(1)", "voorbehouden-opdracht": "(0)", "social-return": "(0)",
                                           "onderaanneming": "(0)"}
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"categorie": ["catering"], "werkgebied": ["west-brabant"]}
    # the quarter links count what is visible
    assert page.locator(".finder-quarters a:visible").all_inner_texts() == ["2e kwartaal 2027 (1)"]


def test_a_filter_change_keeps_focus_and_is_announced(page, calendar_url):
    open_calendar(page, calendar_url)
    status = page.locator("#calendar-count")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    box = page.get_by_label("Social return")
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    assert page.evaluate("document.activeElement.value") == "social-return"
    assert status.inner_text() == "2 geplande inkopen"
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the next option, "Onderaanneming", added: any of the two
    assert page.evaluate("document.activeElement.value") == "onderaanneming"
    assert status.inner_text() == "3 geplande inkopen"
    assert visible(page) == ["catering-tilburg", "schoonmaak-roosendaal", "groen-overal"]


def test_an_empty_result_offers_to_drop_each_filter_with_its_count(page, calendar_url):
    open_calendar(page, calendar_url + "?categorie=schoonmaak&werkgebied=tilburg")
    assert visible(page) == []
    assert count_text(page) == "Geen geplande inkopen"
    empty = page.locator(".finder-empty")
    assert empty.is_visible()
    assert page.locator("section[data-quarter]:visible").count() == 0
    drops = empty.locator("[data-drops] a")
    assert drops.all_inner_texts() == ["Zonder Schoonmaak: 2 geplande inkopen", "Zonder Tilburg: 1 geplande inkoop"]
    assert [a.get_attribute("href") for a in drops.all()] == ["?werkgebied=tilburg", "?categorie=schoonmaak"]
    drops.nth(1).click()
    assert visible(page) == ["schoonmaak-roosendaal"]
    assert not empty.is_visible()
    assert parse_qs(urlsplit(page.url).query) == {"categorie": ["schoonmaak"]}
    assert page.evaluate("document.activeElement.id") == "calendar-count"
    assert not page.get_by_label("Tilburg").is_checked()

    # several values of one filter are dropped together, named with "of"
    open_calendar(page, calendar_url + "?kans=perceel&kans=onderaanneming&organisatie=gemeente-breda-test&categorie=schoonmaak")
    assert visible(page) == []
    assert empty.locator("[data-drops] a").all_inner_texts() == [
        "Zonder Schoonmaak: 1 geplande inkoop",
        "Zonder Perceel of Onderaanneming: 1 geplande inkoop",
        "Zonder Gemeente Bredastad: Geen geplande inkopen",
    ]
    empty.get_by_text("Wis alle filters").click()
    assert visible(page) == ALL
    assert urlsplit(page.url).query == ""


def test_the_page_link_a_value_no_purchase_has_shows_that_option(page, calendar_url):
    open_calendar(page, calendar_url + "?categorie=drukwerk")
    assert visible(page) == []
    box = page.get_by_label("Drukwerk")
    assert box.is_visible() and box.is_checked()
    assert page.locator(".finder-empty [data-drops] a").all_inner_texts() == ["Zonder Drukwerk: 5 geplande inkopen"]


def test_on_a_phone_filters_fold_behind_one_button_and_results_come_first(browser, calendar_url):
    context = browser.new_context(viewport={"width": 375, "height": 667})
    page = context.new_page()
    open_calendar(page, calendar_url + "?categorie=catering&kans=perceel&kans=social-return")
    toggle = page.locator(".finder-toggle")
    assert toggle.is_visible() and toggle.inner_text() == "Filters (3)"
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#calendar-filters").is_visible()
    first = page.locator("tr[data-categorie]:visible").first.bounding_box()
    assert first["y"] + 40 < 667  # the first purchase's title is on the first screen
    assert page.locator("#calendar-count").bounding_box()["y"] < first["y"]
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.get_by_label("Catering").is_visible()
    page.get_by_label("Catering").uncheck()
    assert toggle.inner_text() == "Filters (2)"
    assert page.evaluate("document.activeElement.value") == "catering"
    # the open panel ends with a button back to the results, saying how many there are
    page.get_by_role("button", name="Toon 4 geplande inkopen").click()
    assert not page.locator("#calendar-filters").is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.id") == "calendar-count"
    toggle.click()
    assert page.locator("#calendar-filters").is_visible()
    toggle.click()
    assert not page.locator("#calendar-filters").is_visible()
    # nothing needs sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.goto(calendar_url)
    assert page.get_by_role("button", name="Filters", exact=True).is_visible()
    context.close()


def test_on_a_wide_screen_the_filters_show_without_a_button(browser, calendar_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    open_calendar(page, calendar_url)
    assert page.locator("#calendar-filters").is_visible()
    assert not page.locator(".finder-toggle").is_visible()
    assert not page.locator(".finder-done").is_visible()
    # the table reads as a table: its header row is shown
    assert page.get_by_role("columnheader", name="Passende sociale ondernemers").first.is_visible()
    context.close()


def test_without_javascript_everything_is_listed_with_links_to_the_category_pages(browser, calendar_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(calendar_url + "?categorie=catering")
    assert visible(page) == ALL
    assert not page.locator("#calendar-filters").is_visible()
    assert not page.locator(".finder-toggle").is_visible()
    static = page.get_by_role("navigation", name="Geplande inkopen per categorie")
    assert static.locator("a").all_inner_texts() == ["Catering (2)", "Groenonderhoud (1)", "Post en logistiek (1)",
                                                     "Schoonmaak (1)"]
    static.get_by_text("Catering (2)").click()
    assert urlsplit(page.url).path.endswith("/categorieen/catering/")
    context.close()


def test_filters_work_from_disk(page, calendar_site):
    page.goto((calendar_site / "kalender" / "index.html").as_uri() + "?werkgebied=oss")
    assert visible(page) == ["post-oss", "groen-overal"]
    page.get_by_label("Perceel").check()
    assert visible(page) == ["post-oss"]
    assert parse_qs(urlsplit(page.url).query) == {"werkgebied": ["oss"], "kans": ["perceel"]}


def test_a_link_to_a_purchase_still_finds_its_row(page, calendar_url):
    open_calendar(page, calendar_url + "#schoonmaak-roosendaal")
    row = page.locator("#schoonmaak-roosendaal")
    assert row.evaluate("row => row.tagName") == "TR"
    assert row.locator("th a.entry-title").get_attribute("href") == "#schoonmaak-roosendaal"
    assert row.is_visible()


SAMPLE_STATES = {"unfiltered": "", "filtered": "?kans=voorbehouden-opdracht&werkgebied=breda",
                 "empty": "?categorie=catering&kans=onderaanneming"}
FIXTURE_STATES = {"unfiltered": "", "filtered": "?categorie=catering&werkgebied=west-brabant",
                  "empty": "?categorie=schoonmaak&werkgebied=tilburg"}


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("site", ["sample", "fixture"])
@pytest.mark.parametrize("state", ["unfiltered", "filtered", "empty"])
def test_axe_finds_no_violations(state, site, width, browser, sample_url, calendar_url):
    url = sample_url + "kalender/" + SAMPLE_STATES[state] if site == "sample" else calendar_url + FIXTURE_STATES[state]
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    open_calendar(page, url)
    if width == 375:
        page.locator(".finder-toggle").click()  # the open filter panel is checked too
    rows = len(visible(page))
    assert (rows == 0) == (state == "empty"), rows
    assert page.locator(".finder-empty").is_visible() == (state == "empty")
    results = Axe().run(page, options=AXE_OPTIONS)
    overflow = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(el => el.getBoundingClientRect().right > innerWidth + 1)
        .map(el => el.tagName + '.' + el.getAttribute('class'))""")
    context.close()
    assert results.violations_count == 0, results.generate_report()
    assert overflow == []

"""The design issue in headless Chromium: the Menu button on a phone, the focus style on
wrapped text, the home page's first screen, the story's figures band and the handout."""

from __future__ import annotations

import pytest


def open_at(browser, url: str, width: int, javascript: bool = True):
    context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return context, page


def test_menu_folds_behind_a_button_on_a_phone(browser, sample_url):
    context, page = open_at(browser, sample_url + "verhalen/", 320)
    button = page.get_by_role("button", name="Menu")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    assert button.is_visible() and not menu.is_visible()
    # Header and folded menu stay compact on the smallest screen (the site notice under them: two short lines at most).
    assert page.locator(".header-row").bounding_box()["height"] < 130
    assert page.locator(".site-notice").bounding_box()["height"] < 60
    button.click()
    assert button.get_attribute("aria-expanded") == "true" and menu.is_visible()
    assert menu.get_by_role("link", name="Verhalen").is_visible()
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and not menu.is_visible()
    context.close()


def test_menu_is_open_without_javascript_and_on_a_wide_screen(browser, sample_url):
    for width, javascript in ((320, False), (1280, True)):
        context, page = open_at(browser, sample_url + "verhalen/", width, javascript)
        assert page.get_by_role("navigation", name="Hoofdmenu").is_visible()
        assert not page.locator(".menu-button").is_visible()
        context.close()


def test_more_sections_open_from_the_menu(browser, sample_url):
    context, page = open_at(browser, sample_url + "verhalen/", 1280)
    page.locator(".nav-more summary").click()
    link = page.get_by_role("link", name="Organisaties").first
    assert link.is_visible()
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith("/organisaties/")
    context.close()


def test_focus_on_a_wrapped_title_marks_each_line_without_covering_the_one_above(browser, sample_url):
    context, page = open_at(browser, sample_url + "verhalen/", 375)
    link = page.locator(".card-title a").first
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    state = link.evaluate("""a => {
        const style = getComputedStyle(a);
        return {lines: [...a.getClientRects()].map(r => [r.top, r.bottom]),
                clone: style.boxDecorationBreak || style.webkitBoxDecorationBreak,
                shadow: style.boxShadow, underline: parseFloat(style.textDecorationThickness),
                background: style.backgroundColor, focused: document.activeElement === a};
    }""")
    context.close()
    assert state["focused"] and state["clone"] == "clone"
    assert state["underline"] >= 3 and state["background"] == "rgb(255, 221, 85)"
    # Nothing is painted outside each line's box, and the boxes do not overlap.
    assert state["shadow"] == "none"
    assert len(state["lines"]) >= 2
    for (_, bottom), (top, _) in zip(state["lines"], state["lines"][1:]):
        assert bottom <= top, state


@pytest.mark.parametrize("width", [375, 1280])
def test_home_first_screen_sells_the_mission(browser, sample_url, width):
    context, page = open_at(browser, sample_url, width)
    height = page.viewport_size["height"]
    for selector in ("h1", ".hero .lead", "#site-search"):
        box = page.locator(selector).bounding_box()
        assert box["y"] + box["height"] <= height, selector
    assert page.locator("input[type=search]").count() == 1
    context.close()


from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from test_pages import AXE_OPTIONS, PAGE_KINDS, kind_paths  # noqa: E402,F401 - kind_paths is a fixture


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_axe_finds_no_violations_at_375_px(kind, browser, sample_url, kind_paths):
    context, page = open_at(browser, sample_url + kind_paths[kind], 375)
    results = Axe().run(page, options=AXE_OPTIONS)
    context.close()
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("width", [375, 1280])
def test_impact_page_leaves_axe_no_colour_contrast_in_doubt(browser, sample_url, width):
    context, page = open_at(browser, sample_url + "impact/", width)
    for fold in page.locator("details").all():  # the folded tables too
        fold.evaluate("d => d.open = true")
    options = {**AXE_OPTIONS, "resultTypes": ["violations", "incomplete"]}
    results = Axe().run(page, options=options).response
    context.close()
    doubtful = [node["target"] for rule in results["incomplete"] if rule["id"] == "color-contrast"
                for node in rule["nodes"]]
    assert doubtful == []
    assert results["violations"] == []


def shortest_and_longest_story() -> list[str]:
    from test_pages import REPO
    stories = sorted((REPO / "content" / "cases").glob("*.md"), key=lambda p: len(p.read_text(encoding="utf-8")))
    return [f"verhalen/{stories[0].stem}/", f"verhalen/{stories[-1].stem}/"]


@pytest.mark.parametrize("path", shortest_and_longest_story())
def test_handout_fills_one_a4_page_with_masthead_large_figures_and_whole_addresses(browser, sample_url, path):
    from test_pages import count_pdf_pages
    # The A4 page less its margins (@page: 10 mm by 12 mm), at 96 pixels per inch.
    context = browser.new_context(viewport={"width": 703, "height": 1047})
    page = context.new_page()
    page.goto(sample_url + path)
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    assert count_pdf_pages(page.pdf(format="A4")) == 1
    masthead = page.locator(".print-masthead")
    assert masthead.is_visible()
    assert "Sociaal inkopen Brabant" in masthead.inner_text() and "Praktijkverhaal van " in masthead.inner_text()
    sizes = page.locator(".result-band .figure-value").evaluate_all(
        "els => els.map(el => parseFloat(getComputedStyle(el).fontSize))")
    body_size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.case .prose p')).fontSize)")
    assert sizes and min(sizes) >= 1.5 * body_size
    # An e-mail address stays on one line; the example label is not printed.
    for link in page.locator(".facts a[href^='mailto:']").all():
        lines = link.evaluate("a => new Set([...a.getClientRects()].map(r => Math.round(r.bottom))).size")
        assert lines == 1, link.inner_text()
    assert all(not badge.is_visible() for badge in page.locator(".badge-example").all())
    # The address and QR code stand at the foot of the page, for a short story too.
    share_bottom = page.locator(".share").bounding_box()
    context.close()
    assert share_bottom["y"] + share_bottom["height"] >= 0.95 * 1047


def test_impact_tables_stack_on_a_phone_and_fit_its_width(browser, sample_url):
    context, page = open_at(browser, sample_url + "impact/", 320)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    overflow = page.evaluate("""() => [...document.querySelectorAll('main table, main table *')]
        .filter(el => el.getBoundingClientRect().right > innerWidth + 1).map(el => el.tagName)""")
    display = page.evaluate("getComputedStyle(document.querySelector('main table.stack tbody tr')).display")
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert overflow == [] and width <= 320
    assert display == "block"

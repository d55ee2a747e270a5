"""Every page kind of the sample site in headless Chromium: accessibility (axe-core and
keyboard), privacy (no request leaves the site), pages without JavaScript, the share
panel's buttons and the printed one-page handout of a story."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

REPO = Path(__file__).resolve().parents[2]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
PAGE_KINDS = ("home", "stories", "story", "enterprises", "enterprise", "organisations", "organisation",
              "facet-index", "theme", "category", "municipality", "route", "tips", "tip", "calendar",
              "events", "event", "impact", "search", "search-query", "content-page", "not-found")


def _first_page(site: Path, folder: str) -> str:
    """The first real page under a folder: not a pagination page, not an alias redirect."""
    for child in sorted((site / folder).iterdir()):
        index = child / "index.html"
        if child.is_dir() and child.name != "pagina" and index.exists() \
                and 'http-equiv="refresh"' not in index.read_text(encoding="utf-8"):
            return f"{folder}/{child.name}/"
    raise AssertionError(f"no page in {folder}/")


@pytest.fixture(scope="session")
def kind_paths(sample_site) -> dict[str, str]:
    content_page = sorted(p.stem for p in (REPO / "content" / "pages").glob("*.md"))[0]
    return {
        "home": "", "stories": "verhalen/", "story": _first_page(sample_site, "verhalen"),
        "enterprises": "ondernemers/", "enterprise": _first_page(sample_site, "ondernemers"),
        "organisations": "organisaties/", "organisation": _first_page(sample_site, "organisaties"),
        "facet-index": "themas/", "theme": _first_page(sample_site, "themas"),
        "category": "categorieen/catering/", "municipality": _first_page(sample_site, "gemeenten"),
        "route": _first_page(sample_site, "routes"), "tips": "tips/", "tip": _first_page(sample_site, "tips"),
        "calendar": "kalender/", "events": "bijeenkomsten/", "event": _first_page(sample_site, "bijeenkomsten"),
        "impact": "impact/", "search": "zoeken/", "search-query": "zoeken/?q=catering",
        "content-page": f"{content_page}/", "not-found": "404.html",
    }


def story_paths(site: Path) -> list[str]:
    return [f"verhalen/{p.stem}/" for p in sorted((REPO / "content" / "cases").glob("*.md"))
            if (site / "verhalen" / p.stem / "index.html").exists()]


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


# ---------------------------------------------------------------- accessibility

@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_axe_finds_no_wcag_violations(kind, page, sample_url, kind_paths):
    open_page(page, sample_url + kind_paths[kind])
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("kind", ["home", "story", "calendar", "impact", "search"])
def test_axe_finds_no_violations_on_a_phone(kind, browser, sample_url, kind_paths):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    open_page(page, sample_url + kind_paths[kind])
    results = Axe().run(page, options=AXE_OPTIONS)
    # Nothing may need sideways scrolling at 320 px (WCAG 1.4.10 Reflow); wide tables
    # scroll in their own box, and a chart clips its own labels.
    overflow = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(el => !el.closest('.table-scroll, svg') && el.getBoundingClientRect().right > innerWidth + 1)
        .map(el => el.tagName + '.' + el.getAttribute('class'))""")
    page_width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert results.violations_count == 0, results.generate_report()
    assert overflow == []
    assert page_width <= 320


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_landmarks_one_h1_language_and_skip_link(kind, page, sample_url, kind_paths):
    open_page(page, sample_url + kind_paths[kind])
    assert page.evaluate("document.documentElement.lang") == "nl"
    assert page.locator("h1").count() == 1
    assert page.locator("main h1").count() == 1
    for role in ("banner", "main", "contentinfo"):
        assert page.get_by_role(role).count() == 1, role
    assert page.get_by_role("navigation", name="Hoofdmenu").count() == 1
    assert page.get_by_role("search").count() >= 1

    page.keyboard.press("Tab")
    skip = page.evaluate("({text: document.activeElement.textContent, href: document.activeElement.getAttribute('href')})")
    assert skip == {"text": "Ga direct naar de inhoud", "href": "#inhoud"}
    box = page.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0 and box["height"] > 10  # shown on focus, not off screen
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


MARK_FOCUSABLE = """() => {
    const all = [...document.querySelectorAll(
        'a[href], button, input, textarea, select, summary, [tabindex]:not([tabindex="-1"])')]
        .filter(el => !el.disabled && el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
        // What a closed disclosure holds is reached once it is opened.
        .filter(el => !el.closest('details:not([open]) > :not(summary)'));
    all.forEach((el, index) => { el.dataset.tabStop = index; });
    return all.length;
}"""
FOCUS_STATE = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {stop: el.dataset.tabStop ?? null, html: el.outerHTML.slice(0, 100), outline: style.outlineStyle,
            width: parseFloat(style.outlineWidth), shadow: style.boxShadow,
            underline: style.textDecorationLine.includes('underline') ? parseFloat(style.textDecorationThickness) : 0,
            visible: box.bottom > 0 && box.top < innerHeight && box.width > 0};
}"""


@pytest.mark.parametrize("kind", ["story", "calendar", "enterprise", "impact"])
def test_keyboard_reaches_everything_with_a_visible_focus_ring(kind, page, sample_url, kind_paths):
    open_page(page, sample_url + kind_paths[kind])
    expected = page.evaluate(MARK_FOCUSABLE)
    reached = set()
    for _ in range(expected + 1):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state["stop"] is None or state["stop"] in reached:  # left the page or went round
            break
        reached.add(state["stop"])
        # A ring (outline and shadow) or, on links and disclosures, a band with a thick underline.
        assert state["outline"] == "solid" and state["width"] >= 3, state
        assert state["shadow"] != "none" or state["underline"] >= 3, state
        assert state["visible"], state
    # Every link, button, field and disclosure is in reach of the Tab key, in one round.
    assert len(reached) == expected


# ---------------------------------------------------------------- privacy and robustness

@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_no_request_leaves_the_site(kind, browser, sample_url, kind_paths):
    origin = urlsplit(sample_url).netloc
    context = browser.new_context()
    outside: list[str] = []

    def guard(route):
        if urlsplit(route.request.url).netloc != origin:
            outside.append(route.request.url)
            return route.abort()
        return route.continue_()

    context.route("**/*", guard)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    open_page(page, sample_url + kind_paths[kind])
    # Also what the page loads on use: the search index on focus, and print styles.
    page.locator("#site-search").focus()
    page.keyboard.type("kof")
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    context.close()
    assert outside == []
    assert requests and all(urlsplit(url).netloc == origin for url in requests)


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_main_has_its_content_without_javascript(kind, browser, sample_url, kind_paths):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(sample_url + kind_paths[kind])
    main = page.locator("main")
    text = main.inner_text()
    links = main.locator("a[href]").count()
    button_types = [b.get_attribute("type") for b in main.locator("button").all() if b.is_visible()]
    context.close()
    assert len(text.strip()) > 80
    assert links >= 1
    # Buttons that need JavaScript stay hidden: only form submit buttons remain.
    assert all(kind in (None, "submit") for kind in button_types), button_types


def test_search_lists_everything_without_javascript(browser, sample_url, sample_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(sample_url + "zoeken/")
    hrefs = page.locator("main a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    context.close()
    for path in story_paths(sample_site):
        assert "../" + path in hrefs
    for folder in ("themas", "categorieen", "gemeenten", "routes"):
        assert any(href.startswith(f"../{folder}/") for href in hrefs), folder


# ---------------------------------------------------------------- share panel and handout

def test_share_buttons_copy_the_link_and_the_invitation(browser, sample_url, kind_paths):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    open_page(page, sample_url + kind_paths["story"])
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    page.get_by_role("button", name="Kopieer link").click()
    expect_status(page, "Link gekopieerd")
    assert page.evaluate("navigator.clipboard.readText()") == canonical
    page.get_by_role("button", name="Kopieer tekst").click()
    expect_status(page, "Tekst gekopieerd")
    invitation = page.evaluate("navigator.clipboard.readText()")
    assert invitation.endswith(canonical) and page.locator("h1").inner_text().rstrip(".") in invitation
    assert page.get_by_role("button", name="Print als handout").is_visible()
    context.close()


def expect_status(page, text: str) -> None:
    page.wait_for_function("text => document.querySelector('.share [role=status]').textContent === text", arg=text)


def test_share_panel_without_javascript_hides_its_buttons(browser, sample_url, kind_paths):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(sample_url + kind_paths["story"])
    assert page.locator(".share button").count() == 3
    assert all(not button.is_visible() for button in page.locator(".share button").all())
    assert page.locator("#share-url").input_value() == page.locator("link[rel=canonical]").get_attribute("href")
    assert page.locator(".share-qr svg path").count() >= 1
    context.close()


def count_pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_every_story_prints_on_one_a4_page_with_its_address_and_qr_code(page, sample_url, sample_site):
    paths = story_paths(sample_site)
    assert paths
    for path in paths:
        open_page(page, sample_url + path)
        page.emulate_media(media="print")
        canonical = page.locator("link[rel=canonical]").get_attribute("href")
        assert page.locator(".print-url").is_visible() and canonical in page.locator(".print-url").inner_text()
        assert page.locator(".share-qr svg").is_visible()
        for hidden in (".site-header", ".site-footer", ".share-fields", ".related"):
            assert not page.locator(hidden).first.is_visible(), hidden
        pages = count_pdf_pages(page.pdf(format="A4"))
        assert pages == 1, f"{path} prints on {pages} pages"
        page.emulate_media(media="screen")
        assert not page.locator(".print-url").is_visible()


def test_pdf_page_counter_counts_pages(page, sample_url):
    """The counter above must be able to fail: a long page gives more than one."""
    open_page(page, sample_url + "zoeken/")
    assert count_pdf_pages(page.pdf(format="A4")) > 1

"""Search on a site made by the real `sitegen build`: the mini fixture's content with the
repository's templates, plus a story whose title is markup."""

from __future__ import annotations

import re

import pytest

from sitegen.build import BuildOptions, build
from tests.conftest import FIXED_TODAY, REPO, copy_site

XSS_TITLE = '<img src=x onerror="window.__pwned = 1">'
XSS_CASE = f"""---
title: '{XSS_TITLE}'
date: 2026-04-01
summary: Een verhaal om te testen dat <b>opmaak</b> tekst blijft.
buyer: gemeente-noord
enterprises: [de-soeppan]
category: catering
route: enkelvoudig-onderhands
---
Niets bijzonders.
"""


def build_site(root, file_links=False):
    copy_site(root, content=REPO / "tests" / "fixtures" / "mini" / "content", templates=REPO / "templates")
    (root / "content" / "cases" / "opmaak-in-de-titel.md").write_text(XSS_CASE, encoding="utf-8")
    build(BuildOptions(source=root, output=root / "output", today=FIXED_TODAY, file_links=file_links))
    return root / "output"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("search-built") / "sub" / "pad")


@pytest.fixture(scope="module")
def site_url(built, serve_directory):
    """The built site, served under the sub-path /sub/pad/."""
    return serve_directory(built.parents[2], "sub/pad/output/")


def wait_for_results(page):
    page.wait_for_function("() => document.getElementById('search-results').getAttribute('aria-busy') === 'false'")
    return page.eval_on_selector_all("#search-results .search-result a", "links => links.map(a => a.href)")


def test_built_site_has_the_index_and_the_search_page(built):
    assert (built / "zoeken" / "index.js").is_file()
    assert list((built / "zoeken" / "index").glob("t-*.js"))
    page = (built / "zoeken" / "index.html").read_text(encoding="utf-8")
    assert 'id="search-results"' in page and "data-search-ui" in page


def test_header_search_on_a_built_page(page, site_url):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site_url)
    page.click("#site-search")
    page.keyboard.type("soep", delay=20)
    page.wait_for_selector(".search-dropdown__list a")
    links = page.eval_on_selector_all(".search-dropdown__list a", "links => links.map(a => a.href)")
    assert site_url + "verhalen/soep-op-het-stadhuis/" in links
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/sub/pad/output/zoeken/\?q=soep$"))
    assert site_url + "verhalen/soep-op-het-stadhuis/" in wait_for_results(page)
    assert errors == []


def test_markup_in_a_built_title_stays_text(page, site_url):
    page.goto(site_url + "zoeken/?q=opmaak")
    links = wait_for_results(page)
    assert links == [site_url + "verhalen/opmaak-in-de-titel/"]
    assert page.eval_on_selector("#search-results h3", "node => node.textContent") == XSS_TITLE
    assert page.eval_on_selector_all("#search-results img, #search-results b", "nodes => nodes.length") == 0
    assert page.evaluate("() => window.__pwned") is None


def test_search_page_has_no_accessibility_violations(page, site_url):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site_url + "zoeken/?q=soep")
    wait_for_results(page)
    page.wait_for_function("() => document.getElementById('search-status').textContent !== ''")
    results = Axe().run(page, context="[data-search-ui]")
    assert [violation["id"] for violation in results.response["violations"]] == []


def test_built_site_searches_from_file(page, tmp_path):
    output = build_site(tmp_path / "share", file_links=True)
    page.goto((output / "zoeken" / "index.html").as_uri() + "?q=soep")
    links = wait_for_results(page)
    expected = output / "verhalen" / "soep-op-het-stadhuis" / "index.html"
    assert expected.as_uri() in links
    page.click(f"#search-results a[href='{expected.as_uri()}']")
    page.wait_for_url(expected.as_uri())


def test_open_dropdown_has_no_accessibility_violations(page, site_url):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site_url)
    page.click("#site-search")
    page.keyboard.type("soep", delay=20)
    page.wait_for_selector(".search-dropdown__list a")
    results = Axe().run(page, context="form[role=search]")
    assert [violation["id"] for violation in results.response["violations"]] == []

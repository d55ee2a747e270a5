"""Markdown: safe links, content links, heading ids."""

import pytest

from sitegen.markdown import heading_id, is_dangerous_url, make_parser, render_markdown


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "java%0ascript:alert(1)", "&#106;avascript:alert(1)", "%26%23106%3Bavascript:x", "vbscript:x",
    "data:text/html;base64,PHNjcmlwdD4=", "DATA:image/svg+xml,<svg>", "file:///etc/passwd",
])
def test_dangerous_urls(url):
    assert is_dangerous_url(url)


@pytest.mark.parametrize("url", ["https://example.nl/", "mailto:inkoop@example.nl", "../cases/x.md", "#h-aanpak",
                                 "verhalen/javascript-cursus/"])
def test_harmless_urls(url):
    assert not is_dangerous_url(url)


def test_heading_ids_cannot_shadow_globals():
    assert heading_id("Location") == "h-location"
    assert heading_id("Wat werkte én wat schuurde?") == "h-wat-werkte-en-wat-schuurde"
    assert heading_id("???") == "h-kop"


def test_content_links_become_page_urls_and_missing_ones_are_reported():
    urls = {"cases/b.md": "../b/", "enterprises/e.yaml": "../../ondernemers/e/"}
    rendered = render_markdown(make_parser(False), "Zie [b](b.md#h-x) en [e](../enterprises/e.yaml).\n\n[weg](c.md)\n",
                               "cases", urls.get)
    assert '<a href="../b/#h-x">b</a>' in rendered.html
    assert '<a href="../../ondernemers/e/">e</a>' in rendered.html
    assert [(p.line, p.message) for p in rendered.problems] == [(3, "link naar 'c.md': dat bestand bestaat niet in content/")]
    assert rendered.text == "Zie b en e. weg"


def test_raw_html_is_text_unless_enabled():
    body = "Een <b>vet</b> woord"
    assert "&lt;b&gt;" in render_markdown(make_parser(False), body, "cases", lambda t: None).html
    assert "<b>vet</b>" in render_markdown(make_parser(True), body, "cases", lambda t: None).html


def test_tables_and_footnotes():
    html = render_markdown(make_parser(False), "| a |\n|---|\n| 1 |\n\nNoot[^1]\n\n[^1]: uitleg\n", "pages", lambda t: None).html
    assert "<table>" in html and 'class="footnotes"' in html

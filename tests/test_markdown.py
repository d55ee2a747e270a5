"""Markdown: safe links, content links, heading ids."""

import pytest

from sitegen.markdown import heading_id, is_dangerous_url, make_parser, render_markdown, render_plain


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


# render_plain renders plain bodies without markdown-it; whatever it accepts must come out
# exactly as markdown-it renders it: HTML, search text, heading ids and link problems.

URLS = {"cases/b.md": "../b/", "enterprises/e.yaml": "../../ondernemers/e/"}
PLAIN = ["woord", "Woord", "een zin.", "2024", "1.5", "(x)", "C#", "a #", "é", "\u00a0", '"q"', "'s", ":", "!", "?", "%",
         "#", "-", "+", "=", "1.", "1)", "[b](b.md)", "[e](../enterprises/e.yaml)", "[x](c.md)", "[ext](https://Example.NL/a?b=1)",
         "[hash](#h-x)", "[a](b.md#frag)", "[q](b.md?x=1)", "[p](%41.md)", "[café](café.md)"]
TRICKY = PLAIN + ["*", "_", "`", "\\", "&", "<", ">", "|", "^", "~", "[", "]", "  ", "\t", "\r", "\ufeff", "===", "---", "***",
                  "[^1]", "[^1]: x", "[r]: /x", "![i](x.png)", "[js](javascript:alert(1))", "[a] (b)", "[ a ](b.md)",
                  "[a](b c)", "[a](<b>)", '[a](b "t")', "[m](mailto:a@b.nl)", "😀", "ß"]


def _random_body(chance, words: list[str]) -> str:
    def text() -> str:
        return " ".join(chance.choice(words) for _ in range(chance.randint(1, 5)))

    lines = []
    for _ in range(chance.randint(1, 14)):
        roll = chance.random()
        if roll < 0.3:
            lines.append(chance.choice(["", " "]))
        elif roll < 0.4:
            lines.append(chance.choice(["# ", "## ", "### ", "#### ", "##### ", "###### ", "####### "]) + text())
        elif roll < 0.6:
            lines.append(chance.choice(["- ", "-  ", "+ "]) + text())
        elif roll < 0.75:
            lines.append(f"{chance.choice([1, 1, 2, 10, 0, '01', 123456789])}{chance.choice(['. ', '. ', ') '])}" + text())
        else:
            lines.append(text())
    return "\n".join(lines) + chance.choice(["", "\n", "\n\n"])


def _by_markdown_it(parser, body):
    parser.sitegen_plain = False
    try:
        return render_markdown(parser, body, "cases", URLS.get)
    finally:
        parser.sitegen_plain = True


@pytest.mark.parametrize("words", [PLAIN, TRICKY], ids=["plain", "tricky"])
def test_plain_bodies_render_as_markdown_it_renders_them(words):
    import random

    parser = make_parser(False)
    chance = random.Random(11)
    accepted = 0
    for _ in range(3000):
        body = _random_body(chance, words)
        plain = render_plain(parser, body, "cases", URLS.get)
        if plain is None:
            continue
        accepted += 1
        full = _by_markdown_it(parser, body)
        assert (plain.html, plain.text, plain.problems) == (full.html, full.text, full.problems), body
    assert accepted > 100  # the comparison must have had something to compare


def test_plain_path_takes_a_typical_story():
    body = ("## Aanleiding\n\nDe gemeente kocht koffie bij [De Kansenpan](../enterprises/e.yaml).\nZie ook [b](b.md).\n\n"
            "- Vaste begeleiders\n- Opleiding tijdens het werk\n\n1. Behoefte ophalen\n2. Terugkijken\n\n"
            "## Aanleiding\n\nMeer op [de site](https://example.nl/pad).\n")
    plain = render_plain(make_parser(False), body, "cases", URLS.get)
    assert plain is not None
    assert '<h2 id="h-aanleiding-1">' in plain.html and 'rel="noopener"' in plain.html
    assert (plain.html, plain.text, plain.problems) == (lambda r: (r.html, r.text, r.problems))(_by_markdown_it(make_parser(False), body))


@pytest.mark.parametrize("body", [
    "- a\n- b\n\n- c\n",  # one loose list in markdown-it
    "tekst\n- a\n",  # a list that interrupts a paragraph
    "- a\nvervolg\n",  # lazy continuation of the item
    "Een **vet** woord\n",
    "    code\n",
    "a | b\n--|--\n1 | 2\n",
    "Tekst\n===\n",
    "[js](javascript:alert(1))\n",
])
def test_other_bodies_go_to_markdown_it(body):
    assert render_plain(make_parser(False), body, "cases", URLS.get) is None


def test_squeezing_spaces_matches_the_regular_expression():
    import re

    from sitegen.markdown import squeeze_spaces

    for text in ["", "  a  b ", "a\tb\nc\u00a0d\u2003e\u3000f", "\x1c\x1dx\x1e\x1fy\x85z\u2028\u2029", "geen"]:
        assert squeeze_spaces(text) == re.sub(r"\s+", " ", text).strip()

"""Chromium's run of the search tokenizer gives exactly the tokens of the build."""

from __future__ import annotations

from pathlib import Path

from sitegen.search import STOP_WORDS, tokenize
from tests.test_search_agreement import agreement_lines

STATIC = Path(__file__).resolve().parents[2] / "templates" / "static"


def test_chromium_tokenizer_matches_python(page):
    page.set_content("<!doctype html><html lang='nl'><head></head><body></body></html>")
    page.add_script_tag(content=(STATIC / "search-stem.js").read_text(encoding="utf-8"))
    page.add_script_tag(content=(STATIC / "search.js").read_text(encoding="utf-8"))
    lines = agreement_lines()
    tokens = page.evaluate("lines => lines.map(line => SitegenSearch.tokenize(line))", lines)
    stop_words = page.evaluate("() => [...SitegenSearch.stopWords].sort()")
    assert stop_words == sorted(STOP_WORDS)
    assert len(tokens) == len(lines)
    mismatches = [(line, tokenize(line), js) for line, js in zip(lines, tokens) if js != tokenize(line)]
    assert mismatches == []

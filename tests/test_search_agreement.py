"""The browser's tokenizer must give exactly the tokens of sitegen/search.py.

Runs templates/static/search.js under Node.js here (skipped without node) and in
Chromium in tests/browser/test_search_agreement.py, over the words of the sample content
plus 3,000 words from a Dutch dictionary (tests/data/dutch-words.txt)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from sitegen.search import STOP_WORDS, stem, tokenize, words

REPO = Path(__file__).resolve().parents[1]
STATIC = REPO / "templates" / "static"

NODE_RUNNER = """
const fs = require("fs");
const vm = require("vm");
const document = { readyState: "complete", currentScript: null, body: null,
  querySelector: () => null, querySelectorAll: () => [] };
const context = vm.createContext({ document, console, URL, URLSearchParams });
context.window = context;
const { files, lines } = JSON.parse(fs.readFileSync(0, "utf8"));
for (const file of files) vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
const search = context.SitegenSearch;
process.stdout.write(JSON.stringify({ tokens: lines.map((line) => search.tokenize(line)),
  stopWords: [...search.stopWords].sort() }));
"""


def agreement_lines() -> list[str]:
    """Every line of the sample content and every dictionary word."""
    lines = []
    for path in sorted((REPO / "content").rglob("*")):
        if path.is_file() and path.suffix in {".md", ".yaml", ".yml"}:
            lines += path.read_text(encoding="utf-8").splitlines()
    dictionary = (REPO / "tests" / "data" / "dutch-words.txt").read_text(encoding="utf-8").splitlines()
    words = [line for line in dictionary if line and not line.startswith("#")]
    assert len(words) >= 2000
    return [line for line in lines if line.strip()] + words


def test_agreement_lines_cover_content_and_dictionary():
    lines = agreement_lines()
    vocabulary = {token for line in lines for token in tokenize(line)}
    assert len(vocabulary) > 3000
    assert any(not line.isascii() for line in lines)


def test_node_tokenizer_matches_python():
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed; the Chromium test covers the same ground")
    lines = agreement_lines()
    files = [str(STATIC / "search-stem.js"), str(STATIC / "search.js")]
    result = subprocess.run([node, "-e", NODE_RUNNER], input=json.dumps({"files": files, "lines": lines}),
                            capture_output=True, text=True, check=True)
    output = json.loads(result.stdout)
    assert output["stopWords"] == sorted(STOP_WORDS)
    mismatches = [(line, tokenize(line), tokens) for line, tokens in zip(lines, output["tokens"])
                  if tokens != tokenize(line)]
    assert mismatches == []
    assert len(output["tokens"]) == len(lines)


def test_installed_stemmer_is_the_c_build_and_gives_the_pure_python_stems():
    """PyStemmer (a dependency) is the C build of the Snowball stemmer that search.js ports:
    snowballstemmer uses it when installed, so it must stem every word as the pure-Python one."""
    import snowballstemmer
    import Stemmer
    from snowballstemmer.dutch_stemmer import DutchStemmer

    assert isinstance(snowballstemmer.stemmer("dutch"), Stemmer.Stemmer)
    reference = DutchStemmer()
    vocabulary = sorted({word for line in agreement_lines() for word in words(line)})
    assert [word for word in vocabulary if stem(word) != reference.stemWord(word)] == []

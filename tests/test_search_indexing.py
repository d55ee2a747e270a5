"""What of each item the search index holds (sitegen/indexing.py), on the mini fixture with
a quote and a target group added; checked through the index files themselves."""

from __future__ import annotations

import pytest

from sitegen.build import BuildOptions, build
from sitegen.indexing import search_documents
from sitegen.search import build_search_files, decode_numbers, tokenize
from tests.conftest import FIXED_TODAY, REPO, copy_site
from tests.test_search import TEXT, read_script, unfront_code

QUOTE = """quote:
  text: De soep is elke dinsdag precies op tijd warm.
  by: Fatima Yilmaz, facilitair manager
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = copy_site(tmp_path_factory.mktemp("indexing"), content=REPO / "tests" / "fixtures" / "mini" / "content",
                     templates=REPO / "templates")
    case = root / "content" / "cases" / "soep-op-het-stadhuis.md"
    case.write_text(case.read_text(encoding="utf-8").replace("example: true\n", "example: true\n" + QUOTE, 1),
                    encoding="utf-8")
    other_case = root / "content" / "cases" / "schoonmaak-via-de-hoofdaannemer.md"
    other_case.write_text(other_case.read_text(encoding="utf-8").replace("tips: [1]\n", "", 1), encoding="utf-8")
    enterprise = root / "content" / "enterprises" / "de-soeppan.yaml"
    enterprise.write_text(enterprise.read_text(encoding="utf-8") + "target_groups: [afstand-arbeidsmarkt]\n",
                          encoding="utf-8")
    return build(BuildOptions(source=root, output=root / "output", today=FIXED_TODAY), write=False).site


@pytest.fixture(scope="module")
def documents(site):
    return search_documents(site)


@pytest.fixture(scope="module")
def found(documents):
    """A word's stem -> the URLs of the documents whose postings hold it."""
    files = build_search_files(documents, TEXT)
    _, manifest = read_script(files["zoeken/index.js"])
    urls = [document.url for document in documents]
    postings = {}
    for name in manifest["terms"]:
        _, (packed_stems, packed) = read_script(files[f"zoeken/index/{name}.js"])
        for stem_, encoded in zip(unfront_code(packed_stems), packed):
            doc_id, found_urls = -1, set()
            for delta in decode_numbers(encoded)[::2]:
                doc_id += delta + 1
                found_urls.add(urls[doc_id])
            postings[stem_] = found_urls
    return lambda word: postings.get(tokenize(word)[0], set())


CASE = "verhalen/soep-op-het-stadhuis/"
ENTERPRISE = "ondernemers/de-soeppan/"


@pytest.mark.parametrize(("word", "what"), [
    ("dinsdag", "the quote"),
    ("facilitair", "who said the quote"),
    ("werkplekken", "an impact figure's label"),
    ("gered", "an impact figure's label"),
    ("inventariseer", "the title of a tip the story illustrates"),
])
def test_a_story_is_found_by_what_its_page_shows(found, word, what):
    assert CASE in found(word), what


def test_a_story_is_not_found_by_tips_it_does_not_illustrate(found):
    assert found("inventariseer") == {CASE, "tips/1-inventariseer/"}


def test_an_enterprise_is_found_by_target_group_and_recognition(found):
    assert ENTERPRISE in found("afstand")  # target group: Mensen met afstand tot de arbeidsmarkt
    assert ENTERPRISE in found("keurmerk")  # recognition: PSO-keurmerk, a facet value


def test_documents_carry_no_interface_text(documents):
    """Kind labels and sentences come from strings.nl.yaml by way of build_search_files."""
    assert all("soort" not in document.facets for document in documents)
    summaries = {document.url: document.summary for document in documents if document.kind == "organisatie"}
    assert summaries == {"organisaties/gemeente-noord/": "Gemeente, West-Brabant",
                         "organisaties/waterschap-zuid/": "Waterschap"}

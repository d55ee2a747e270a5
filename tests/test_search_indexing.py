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


# ---------------------------------------------------------------- where enterprises deliver (finder fixture)

EDITORS_PAGE = """---
title: Werkafspraken voor de redactie
search: false
---
Alleen voor redacteuren.
"""


@pytest.fixture(scope="module")
def finder(tmp_path_factory):
    root = copy_site(tmp_path_factory.mktemp("finder-indexing"),
                     content=REPO / "tests" / "fixtures" / "finder" / "content", templates=REPO / "templates")
    (root / "content" / "pages" / "redactie.md").write_text(EDITORS_PAGE, encoding="utf-8")
    site = build(BuildOptions(source=root, output=root / "output", today=FIXED_TODAY), write=False).site
    return {document.url: document for document in search_documents(site)}


def werkgebied(document) -> set[str]:
    return {slug for slug, _ in document.facets.get("werkgebied", [])}


def test_werkgebied_holds_where_an_enterprise_delivers(finder):
    west = {"west-brabant", "breda", "roosendaal", "bergen-op-zoom", "oosterhout", "etten-leur"}
    noordoost = {"noordoost-brabant", "s-hertogenbosch", "oss", "meierijstad", "boxtel"}
    # local: its own municipality, and so its region counts it as delivering somewhere in it
    assert werkgebied(finder["ondernemers/lunch-breda/"]) == {"breda", "west-brabant"}
    # regional with a service area: both regions whole
    assert werkgebied(finder["ondernemers/kookcafe-tilburg/"]) == west | {
        "midden-brabant", "tilburg", "waalwijk", "dongen", "oisterwijk"}
    # its own region whole, and one municipality of another region
    assert werkgebied(finder["ondernemers/koerier-den-bosch/"]) == noordoost | {"breda", "west-brabant"}
    # national: every region and municipality of the vocabulary
    assert len(werkgebied(finder["ondernemers/landelijke-cateraar/"])) == 4 + 16
    # based in stays where it is based
    assert finder["ondernemers/kookcafe-tilburg/"].facets["gemeente"] == [("tilburg", "Tilburg")]


def test_werkgebied_values_come_in_vocabulary_order_with_their_labels(finder):
    assert finder["ondernemers/groen-helmond/"].facets["werkgebied"] == [
        ("zuidoost-brabant", "Zuidoost-Brabant"), ("eindhoven", "Eindhoven"), ("helmond", "Helmond")]


def test_a_purchase_is_in_the_werkgebied_of_its_area(finder):
    assert werkgebied(finder["kalender/#catering-tilburg"]) == {"tilburg", "midden-brabant"}
    assert werkgebied(finder["kalender/#catering-west"]) == {
        "west-brabant", "breda", "roosendaal", "bergen-op-zoom", "oosterhout", "etten-leur"}
    assert "gemeente" not in finder["kalender/#catering-west"].facets


def test_place_names_of_the_werkgebied_are_searchable_words(finder):
    files = build_search_files(list(finder.values()), TEXT)
    documents = list(finder)
    _, manifest = read_script(files["zoeken/index.js"])
    postings = {}
    for name in manifest["terms"]:
        _, (packed_stems, packed) = read_script(files[f"zoeken/index/{name}.js"])
        for stem_, encoded in zip(unfront_code(packed_stems), packed):
            doc_id, urls = -1, set()
            for delta in decode_numbers(encoded)[::2]:
                doc_id += delta + 1
                urls.add(documents[doc_id])
            postings[stem_] = urls
    breda = {url for url in postings[tokenize("breda")[0]] if url.startswith("ondernemers/")}
    assert breda == {f"ondernemers/{slug}/" for slug in (
        "kookcafe-tilburg", "lunch-breda", "landelijke-cateraar", "schoon-roosendaal", "koerier-den-bosch")}


def test_a_page_with_search_false_has_no_document(finder):
    assert "redactie/" not in finder
    assert "bijdragen/" in finder  # the fixture's copy of the guide says nothing, so it is found

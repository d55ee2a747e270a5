"""Unit tests for the search stage: tokenizer, encodings and the index files."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import yaml

from sitegen import search
from sitegen.search import (
    DOC_SHARD_SIZE,
    JS_TEXT_KEYS,
    STOP_WORDS,
    SearchDocument,
    build_search_files,
    decode_numbers,
    encode_numbers,
    fold,
    front_code,
    tokenize,
    words,
)

REPO = Path(__file__).resolve().parents[1]
STRINGS = yaml.safe_load((REPO / "templates" / "strings.nl.yaml").read_text(encoding="utf-8"))
TEXT = STRINGS["search"]


def read_script(content: bytes) -> tuple[str, object]:
    """Name and data of a `SitegenSearch.receive(name, data);` file."""
    match = re.fullmatch(r'SitegenSearch\.receive\(("[^"]*"),(.*)\);\n', content.decode("utf-8"), re.S)
    assert match, content[:80]
    return json.loads(match.group(1)), json.loads(match.group(2))


def unfront_code(text: str) -> list[str]:
    result, previous = [], ""
    for shared, rest in re.findall(r"([A-Z])([a-z0-9]*)", text):
        previous = previous[: ord(shared) - 65] + rest
        result.append(previous)
    return result


def decode_ids(text: str) -> list[int]:
    ids, previous = [], -1
    for delta in decode_numbers(text):
        previous += delta + 1
        ids.append(previous)
    return ids


def doc(url, kind="verhaal", title="", summary="", body="", **facets):
    return SearchDocument(url=url, kind=kind, title=title, summary=summary, body=body, facets=facets)


@pytest.mark.parametrize(("text", "folded"), [
    ("Stérk", "sterk"),
    ("geïnspireerd", "geinspireerd"),
    ("ÉÉN café", "een cafe"),
    ("Straße", "strasse"),
    ("Ærø", "aero"),
    ("ĳsselmeer", "ijsselmeer"),
])
def test_fold_removes_case_and_diacritics(text, folded):
    assert fold(text) == folded


def test_words_split_on_everything_but_letters_and_digits():
    assert words("Auto's, West-Brabant & CO₂ in 2027!") == ["auto", "s", "west", "brabant", "co2", "in", "2027"]


def test_tokenize_drops_stop_words_and_single_letters_and_stems():
    assert tokenize("De inkoop van een koffiepakket bij de gemeente") == ["inkoop", "koffiepakket", "meen"]
    assert "s" not in tokenize("auto's")


@pytest.mark.parametrize(("one", "other"), [
    ("inkoop", "inkopen"),
    ("koffieboon", "koffiebonen"),
    ("Stérk", "sterk"),
    ("geïnspireerd", "geinspireerd"),
    ("ondernemer", "ondernemers"),
    ("lunchlezing", "lunchlezingen"),
])
def test_inflections_and_diacritics_share_a_token(one, other):
    assert tokenize(one) == tokenize(other)
    assert tokenize(one)


def test_stop_words_are_folded_words():
    assert all(word == fold(word) and words(word) == [word] for word in STOP_WORDS)


@pytest.mark.parametrize("numbers", [[], [0], [31], [32], [0, 1, 31, 32, 33, 1023, 1024, 123456789]])
def test_number_encoding_round_trips(numbers):
    encoded = encode_numbers(numbers)
    assert decode_numbers(encoded) == numbers
    assert len(encoded) == sum(max(1, (n.bit_length() + 4) // 5) for n in numbers)


def test_number_encoding_refuses_negative_numbers():
    with pytest.raises(ValueError):
        encode_numbers([-1])


def test_front_coding_round_trips():
    sorted_words = ["inkoop", "inkoper", "inkoopt", "koffie", "koffieboon", "koffiebonen", "x" * 40, "x" * 41]
    sorted_words.sort()
    assert unfront_code(front_code(sorted_words)) == sorted_words


@pytest.fixture
def documents():
    return [
        doc("verhalen/koffie/", title="Koffiebonen voor het stadskantoor", summary="Een kleine inkoop.",
            body="De gemeente kocht koffie van een sociale onderneming.",
            thema=[("inclusieve-arbeidsmarkt", "Inclusieve arbeidsmarkt")], gemeente=[("breda", "Breda")]),
        doc("ondernemers/brander/", kind="ondernemer", title="De Brander", summary="Brandt koffie.",
            body="Werk voor mensen met een afstand tot de arbeidsmarkt.", gemeente=[("oisterwijk", "Oisterwijk")]),
        doc("verhalen/xss/", title='<img src=x onerror="alert(1)">', summary="</script><b>vet</b>", body=""),
    ]


def test_index_files_are_scripts_with_hashed_shard_names(documents):
    files = build_search_files(documents, TEXT)
    assert "zoeken/index.js" in files
    shards = [path for path in files if path != "zoeken/index.js"]
    assert shards and all(re.fullmatch(r"zoeken/index/(t|d\d+)-[0-9a-f]{10}\.js", path) for path in shards)
    name, manifest = read_script(files["zoeken/index.js"])
    assert name == "index"
    assert manifest["count"] == 3
    for path in shards:
        shard_name, _ = read_script(files[path])
        assert path == f"zoeken/index/{shard_name}.js"
        assert shard_name in manifest["terms"] + manifest["docs"]


def test_index_build_is_deterministic(documents):
    assert build_search_files(documents, TEXT) == build_search_files(list(documents), TEXT)


def test_manifest_lists_surface_words_including_facet_labels(documents):
    _, manifest = read_script(build_search_files(documents, TEXT)["zoeken/index.js"])
    vocabulary = unfront_code(manifest["words"])
    assert vocabulary == sorted(vocabulary)
    # A place name that only occurs as a facet value is searchable.
    assert "oisterwijk" in vocabulary
    assert "koffiebonen" in vocabulary
    assert not set(vocabulary) & STOP_WORDS


def test_postings_mark_title_matches(documents):
    files = build_search_files(documents, TEXT)
    _, manifest = read_script(files["zoeken/index.js"])
    postings = {}
    for name in manifest["terms"]:
        _, (packed_stems, packed) = read_script(files[f"zoeken/index/{name}.js"])
        for stem_, encoded in zip(unfront_code(packed_stems), packed):
            numbers = decode_numbers(encoded)
            doc_ids, previous = [], -1
            for delta in numbers[::2]:
                previous += delta + 1
                doc_ids.append(previous)
            postings[stem_] = dict(zip(doc_ids, numbers[1::2]))
    koffie = postings[tokenize("koffie")[0]]
    assert set(koffie) == {0, 1}
    assert koffie[0] & 1 == 0 and koffie[1] & 1 == 0  # 'koffie' is in neither title
    koffieboon = postings[tokenize("koffiebonen")[0]]
    assert koffieboon[0] & 1 == 1
    # The title match scores higher than a body match.
    assert koffieboon[0] >> 1 > koffie[0] >> 1


def test_facets_and_display_data(documents):
    files = build_search_files(documents, TEXT)
    _, manifest = read_script(files["zoeken/index.js"])
    facets = {name: (label, values) for name, label, values in manifest["facets"]}
    assert list(facets) == ["soort", "thema", "gemeente"]
    soort_label, soort_values = facets["soort"]
    assert soort_label == "Soort"
    assert {slug: decode_ids(ids) for slug, _, ids in soort_values} == {"verhaal": [0, 2], "ondernemer": [1]}
    rows = []
    for name in manifest["docs"]:
        rows += read_script(files[f"zoeken/index/{name}.js"])[1]
    kinds = [kind for kind, _ in manifest["kinds"]]
    assert [(url, kinds[kind], title) for url, kind, title, _ in rows] == [
        ("verhalen/koffie/", "verhaal", "Koffiebonen voor het stadskantoor"),
        ("ondernemers/brander/", "ondernemer", "De Brander"),
        ("verhalen/xss/", "verhaal", '<img src=x onerror="alert(1)">'),
    ]
    # Data stays data: the markup is a JSON string, the closing tag cannot end a script.
    assert rows[2][3] == "</script><b>vet</b>"


def test_large_index_is_split_into_shards():
    documents = [doc(f"verhalen/v{n}/", title=f"Verhaal {n}", body=" ".join(f"woord{n}x{m}" for m in range(120)))
                 for n in range(300)]
    files = build_search_files(documents, TEXT)
    _, manifest = read_script(files["zoeken/index.js"])
    assert len(manifest["terms"]) > 1
    assert manifest["bounds"] == sorted(manifest["bounds"])
    assert len(manifest["docs"]) == -(-300 // DOC_SHARD_SIZE)
    assert manifest["docShardSize"] == DOC_SHARD_SIZE


def render_search_partial(documents_by_kind, facets):
    import jinja2

    from sitegen.urls import relative_url

    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(REPO / "templates"), autoescape=True)
    template = environment.get_template("partials/search-ui.html")
    return template.render(documents_by_kind=documents_by_kind, facets=facets, t=STRINGS,
                           url=lambda path: relative_url("zoeken/index.html", path))


def test_search_partial_lists_everything_for_readers_without_javascript():
    html = render_search_partial(
        [("Verhalen", [("<b>Soep</b> op het stadhuis", "verhalen/soep/", "Samenvatting")]),
         ("Pagina's", [])],
        {"thema": [("klimaat", "Klimaat", 3)], "soort": [("verhaal", "Verhaal", 1)]})
    assert '<a href="../verhalen/soep/">&lt;b&gt;Soep&lt;/b&gt; op het stadhuis</a>' in html
    assert '<a href="../themas/klimaat/">Klimaat</a> (3)' in html
    assert "Pagina's" not in html  # an empty kind gets no heading
    assert 'id="search-results"' in html and 'role="status"' in html


def test_search_partial_cuts_long_lists_and_links_to_the_overview():
    stories = [(f"Verhaal {n}", f"verhalen/v{n}/", "") for n in range(60)]
    html = render_search_partial([("Verhalen", stories)], {})
    assert html.count('href="../verhalen/v') == 50
    assert '<a href="../verhalen/">Bekijk alle 60</a>' in html


def marked_strings():
    """The UI strings with every search text replaced by its own key: '[search.hint]',
    '[search.browse_all:{count}]'."""
    def mark(value, path):
        if isinstance(value, dict):
            return {key: mark(item, f"{path}.{key}") for key, item in value.items()}
        return f"[{path}:{{count}}]" if "{count}" in value else f"[{path}]"

    return {**STRINGS, "search": mark(TEXT, "search")}


def test_search_partial_takes_every_text_from_the_strings_file():
    from html.parser import HTMLParser

    import jinja2

    from sitegen.urls import relative_url

    class TextNodes(HTMLParser):
        def __init__(self):
            super().__init__()
            self.texts = []

        def handle_data(self, data):
            if data.strip():
                self.texts.append(data.strip())

        def handle_starttag(self, tag, attrs):
            self.texts += [value for name, value in attrs if name in ("aria-label", "title", "placeholder") and value]

    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(REPO / "templates"), autoescape=True,
                                     undefined=jinja2.StrictUndefined)
    stories = [(f"Titel{n}", f"verhalen/v{n}/", "") for n in range(51)]
    html = environment.get_template("partials/search-ui.html").render(
        documents_by_kind=[("Soortnaam", stories)], facets={"thema": [("klimaat", "Klimaat", 3)]},
        t=marked_strings(), url=lambda path: relative_url("zoeken/index.html", path))
    parser = TextNodes()
    parser.feed(html)
    content = {"Soortnaam (51)", "Klimaat", "(3)", *(title for title, _, _ in stories[:50])}
    assert [text for text in parser.texts if text not in content and not re.fullmatch(r"\[search\.[a-z_.]+\]", text)] \
        == ["[search.browse_all:51]"]
    assert "[search.browse_by.thema]" in parser.texts and "[search.failed]" in parser.texts


def test_manifest_carries_labels_and_sentences_from_the_text(documents):
    _, manifest = read_script(build_search_files(documents, TEXT)["zoeken/index.js"])
    assert manifest["kinds"] == [[kind, label] for kind, label in TEXT["kinds"].items()]
    assert [[name, label] for name, label, _ in manifest["facets"]] == [
        [name, TEXT["facets"][name]] for name in ("soort", "thema", "gemeente")]
    assert manifest["text"] == {key: TEXT["js"][key] for key in JS_TEXT_KEYS}


def test_other_text_changes_labels_facet_order_and_what_a_kind_is_found_by(documents):
    text = copy.deepcopy(TEXT)
    text["kinds"]["verhaal"] = "Praktijkverhaal"
    text["facets"] = {"gemeente": "Plaats", "soort": "Wat", "thema": "Onderwerp"}
    text["js"]["more"] = "Nog meer"
    _, manifest = read_script(build_search_files(documents, text)["zoeken/index.js"])
    assert [name for name, _, _ in manifest["facets"]] == ["gemeente", "soort", "thema"]
    soort = dict((name, values) for name, _, values in manifest["facets"])["soort"]
    assert sorted(label for _, label, _ in soort) == ["Ondernemer", "Praktijkverhaal"]
    assert "praktijkverhaal" in unfront_code(manifest["words"])
    assert manifest["text"]["more"] == "Nog meer"


def test_missing_text_is_named_and_stops_the_build(documents):
    text = copy.deepcopy(TEXT)
    del text["kinds"]["ondernemer"], text["js"]["more"]
    text["js"]["partial"] = None
    extra = doc("x/", nieuw=[("a", "A")])
    with pytest.raises(ValueError) as raised:
        build_search_files([*documents, extra], text)
    assert str(raised.value) == ("ontbrekende teksten voor zoeken: search.kinds.ondernemer, search.facets.nieuw, "
                                 "search.js.partial, search.js.more")
    assert search.missing_text(None, documents) == ["search"]
    assert search.missing_text({"kinds": TEXT["kinds"], "facets": TEXT["facets"]}, documents) == ["search.js"]
    assert search.missing_text(TEXT, documents) == []


def test_search_js_reads_exactly_the_js_text_keys():
    script = (REPO / "templates" / "static" / "search.js").read_text(encoding="utf-8")
    assert set(re.findall(r"\bstrings\.(\w+)\b(?!\.)", script)) == set(JS_TEXT_KEYS)
    assert set(TEXT["js"]) == set(JS_TEXT_KEYS)  # no sentence in the strings file goes unused

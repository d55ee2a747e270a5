"""Builds of the search index with a kept SearchCache: after any edit the files must be the
bytes of a build from scratch, while the work (tokenizing, shards) stays with what changed."""

from __future__ import annotations

import copy
import pickle
import random
from dataclasses import replace

import pytest

from sitegen import search_cache, search_index
from sitegen.search import SearchCache, SearchDocument, build_search_files
from sitegen.search_encoding import edit_posting, encode_posting
from tests.test_search import TEXT, doc, read_script

KINDS = ["verhaal", "ondernemer", "tip", "inkoop"]
SYLLABLES = ["ka", "ko", "fie", "bon", "en", "ver", "hal", "in", "koop", "ge", "meen", "te", "werk", "plaats",
             "brand", "er", "soep", "stad", "huis", "lunch", "le", "zing", "fiets", "kou", "rier", "drukt", "schoon"]
THEMES = [("duurzaam", "Duurzaam"), ("inclusie", "Inclusieve arbeidsmarkt"), ("circulair", "Circulair"),
          ("lokaal", "Lokaal inkopen"), ("groen", "Groen")]
PLACES = [("breda", "Breda"), ("tilburg", "Tilburg"), ("oss", "Oss"), ("best", "Best"), ("helmond", "Helmond")]
RARE_PLACE = ("ulvenhout", "Ulvenhout")


def random_word(rng: random.Random) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))
    return word + rng.choice(["", "", "", "s", "en", "e", "tje"])


def random_text(rng: random.Random, vocabulary: list[str], count: int) -> str:
    # Mostly common words (long postings), some rare ones and the odd new word or stop word.
    picks = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.6:
            picks.append(vocabulary[min(int(rng.expovariate(0.08)), len(vocabulary) - 1)])
        elif roll < 0.9:
            picks.append(rng.choice(vocabulary))
        elif roll < 0.95:
            picks.append(random_word(rng))
        else:
            picks.append(rng.choice(["de", "het", "een", "van", "x", "Café", "Geïnspireerd"]))
    return " ".join(picks)


def random_document(rng: random.Random, vocabulary: list[str], number: int) -> SearchDocument:
    facets = {"thema": rng.sample(THEMES, rng.randint(0, 2)), "gemeente": rng.sample(PLACES, rng.randint(0, 1))}
    return SearchDocument(url=f"items/{number}/", kind=rng.choice(KINDS),
                          title=random_text(rng, vocabulary, rng.randint(1, 5)),
                          summary=random_text(rng, vocabulary, rng.randint(0, 12)),
                          body=random_text(rng, vocabulary, rng.randint(0, 160)), facets=facets)


def random_edit(rng: random.Random, documents: list[SearchDocument], vocabulary: list[str], text: dict) -> str:
    """Applies one random edit to `documents` (or `text`) in place and names it."""
    kind = rng.choice(["body", "body", "body-small", "title", "summary", "facets", "facets", "kind", "url", "several",
                       "add", "remove", "swap", "move", "label"])
    at = rng.randrange(len(documents))
    document = documents[at]
    if kind == "body":
        documents[at] = replace(document, body=random_text(rng, vocabulary, rng.randint(0, 160)))
    elif kind == "body-small":
        words = document.body.split()
        if words and rng.random() < 0.5:
            del words[rng.randrange(len(words))]
        else:
            words.insert(rng.randint(0, len(words)), rng.choice([*vocabulary[:40], random_word(rng)]))
        documents[at] = replace(document, body=" ".join(words))
    elif kind == "title":
        documents[at] = replace(document, title=random_text(rng, vocabulary, rng.randint(1, 5)))
    elif kind == "summary":
        documents[at] = replace(document, summary=random_text(rng, vocabulary, rng.randint(0, 12)))
    elif kind == "facets":
        rare = [number for number, other in enumerate(documents) if RARE_PLACE in other.facets.get("gemeente", [])]
        if rare and rng.random() < 0.5:  # take the value away again
            at = rng.choice(rare)
            document = documents[at]
        facets = copy.deepcopy(document.facets)
        facets["thema"] = rng.sample(THEMES, rng.randint(0, 3))
        if rng.random() < 0.5:  # values that few documents have come and go
            facets["gemeente"] = [rng.choice([("breda", "Breda"), ("breda", "Breda (NB)"), RARE_PLACE])]
        elif rng.random() < 0.5:
            facets.pop("gemeente", None)
        documents[at] = replace(document, facets=facets)
    elif kind == "kind":
        documents[at] = replace(document, kind=rng.choice(KINDS))
    elif kind == "url":
        documents[at] = replace(document, url=document.url + "nieuw/")
    elif kind == "several":
        for other in rng.sample(range(len(documents)), min(3, len(documents))):
            documents[other] = replace(documents[other], body=random_text(rng, vocabulary, rng.randint(0, 160)))
    elif kind == "add":
        documents.insert(rng.randint(0, len(documents)), random_document(rng, vocabulary, rng.randrange(10**6)))
    elif kind == "remove" and len(documents) > 2:
        del documents[at]
    elif kind == "swap":
        other = rng.randrange(len(documents))
        documents[at], documents[other] = documents[other], documents[at]
    elif kind == "move":
        documents.insert(rng.randint(0, len(documents) - 1), documents.pop(at))
    elif kind == "label":
        text["kinds"]["tip"] = rng.choice(["Tip", "Leertip", "Tip voor inkopers"])
    return kind


@pytest.fixture
def small_shards(monkeypatch):
    """Shards of a few hundred characters, so that a test corpus has dozens of them."""
    monkeypatch.setattr(search_index, "SHARD_MIN_CHARS", 400)
    monkeypatch.setattr(search_index, "SHARD_SPAN_CHARS", 700)
    monkeypatch.setattr(search_index, "SHARD_MAX_CHARS", 2_500)


def count_calls(monkeypatch, name: str) -> list:
    calls = []
    original = getattr(SearchCache, name)

    def counted(self, *args):
        calls.append(args)
        return original(self, *args)

    monkeypatch.setattr(SearchCache, name, counted)
    return calls


@pytest.mark.parametrize("seed", range(6))
def test_random_edits_give_the_bytes_of_a_build_from_scratch(seed, small_shards, monkeypatch):
    rng = random.Random(seed)
    if seed % 2:  # renumber the word tables now and then
        monkeypatch.setattr(search_cache, "COMPACT_SLACK", 0)
    updates = count_calls(monkeypatch, "_update")
    rebuilds = count_calls(monkeypatch, "_rebuild")
    vocabulary = list(dict.fromkeys(random_word(rng) for _ in range(400)))
    documents = [random_document(rng, vocabulary, number) for number in range(rng.randint(120, 200))]
    text = copy.deepcopy(TEXT)
    cache = SearchCache()
    files = build_search_files(documents, text, cache)
    assert len(read_script(files["zoeken/index.js"])[1]["terms"]) > 10
    done = []
    for step in range(40):
        done.append(random_edit(rng, documents, vocabulary, text))
        if step % 13 == 12:  # the CLI keeps the cache in a pickle between runs
            cache = pickle.loads(pickle.dumps(cache))
        files = build_search_files(documents, text, cache)
        assert files == build_search_files(documents, text), f"seed {seed}, after {done}"
    # Both ways were taken: in place edits, and everything again (additions, removals, labels).
    assert len(updates) > 15 and len(rebuilds) > 3


def test_editing_a_posting_equals_encoding_it_again():
    rng = random.Random(11)

    def encoded(values: dict[int, int]) -> str:
        return encode_posting([doc_id * 32 + value for doc_id, value in sorted(values.items())])

    for _ in range(3000):
        size = rng.choice([5, 40, 200, 3000])  # dense postings have two-digit entries only
        density = rng.random()
        values = {doc_id: rng.randrange(2, 32) for doc_id in range(size) if rng.random() < density}
        edits = {rng.randrange(size + 40): rng.choice([None, rng.randrange(2, 32)])
                 for _ in range(rng.choice([1, 1, 2, 5]))}
        expected = dict(values)
        for doc_id, value in edits.items():
            if value is None:
                expected.pop(doc_id, None)
            else:
                expected[doc_id] = value
        assert edit_posting(encoded(values), list(edits.items())) == encoded(expected), (values, edits)


def test_a_cache_that_failed_halfway_starts_over(small_shards, monkeypatch):
    rng = random.Random(7)
    vocabulary = list(dict.fromkeys(random_word(rng) for _ in range(300)))
    documents = [random_document(rng, vocabulary, number) for number in range(100)]
    cache = SearchCache()
    build_search_files(documents, TEXT, cache)
    documents[3] = replace(documents[3], body="fietskoerier bezorgt soep")

    def broken(self, edits):
        self.shards = self.shards[:1]
        raise RuntimeError("halfway")

    with monkeypatch.context() as patch:
        patch.setattr(SearchCache, "_edit_postings", broken)
        with pytest.raises(RuntimeError):
            build_search_files(documents, TEXT, cache)
    assert build_search_files(documents, TEXT, cache) == build_search_files(documents, TEXT)


def test_one_edit_tokenizes_one_document_and_keeps_other_shards(small_shards, monkeypatch):
    rng = random.Random(3)
    vocabulary = list(dict.fromkeys(random_word(rng) for _ in range(400)))
    documents = [random_document(rng, vocabulary, number) for number in range(300)]
    cache = SearchCache()
    before = build_search_files(documents, TEXT, cache)
    tokenized = count_calls(monkeypatch, "_tokenize")
    rebuilds = count_calls(monkeypatch, "_rebuild")
    documents[150] = replace(documents[150], body=documents[150].body + " fietskoerier " + vocabulary[0])
    after = build_search_files(documents, TEXT, cache)
    assert len(tokenized) == 1 and not rebuilds
    assert after == build_search_files(documents, TEXT)
    term_files = [path for path in before if "/t-" in path]
    gone = [path for path in term_files if path not in after]
    # The document has dozens of stems, but only the shards of those whose value changed
    # are cut again; every other shard keeps its name.
    assert len(term_files) > 30 and 1 <= len(gone) <= 8
    # The result row (title, summary) is the same, so its shard is too.
    assert [path for path in after if path not in before and "/t-" not in path] == []
    assert after["zoeken/index.js"] != before["zoeken/index.js"]


def test_records_are_reused_for_moved_documents_and_other_texts(monkeypatch):
    documents = [doc(f"verhalen/v{n}/", kind=("verhaal", "ondernemer", "tip")[n % 3], title=f"Verhaal nummer {n}",
                     summary=f"Samenvatting {n % 7} over koffie", body=f"woord{n % 13} " * 40,
                     thema=[(f"t{n % 5}", f"Thema {n % 5}")]) for n in range(120)]
    cache = SearchCache()
    build_search_files(documents, TEXT, cache)
    tokenized = count_calls(monkeypatch, "_tokenize")
    changed = list(documents)
    changed[5] = doc("verhalen/v5/", title="Verhaal nummer 5", body="Nu over fietskoeriers", kind="tip")
    del changed[9]
    changed.append(doc("verhalen/nieuw/", title="Een nieuw verhaal"))
    changed.reverse()
    with_cache = build_search_files(changed, TEXT, cache)
    assert sorted(texts[0] for texts, in tokenized) == ["Een nieuw verhaal", "Verhaal nummer 5"]
    assert with_cache == build_search_files(changed, TEXT)
    # Records of documents that are gone are dropped, so the cache does not grow without end.
    assert len(cache.records) == len(changed)

    # A kind's label is part of the facet text of its documents: only the tips are tokenized again.
    text = copy.deepcopy(TEXT)
    text["kinds"]["tip"] = "Leertip"
    tokenized.clear()
    with_cache = build_search_files(changed, text, cache)
    assert len(tokenized) == sum(document.kind == "tip" for document in changed)
    assert with_cache == build_search_files(changed, text)


def test_facet_values_given_as_lists_are_compared_too():
    documents = [doc(f"verhalen/v{n}/", title=f"Verhaal {n}", body="koffie en thee", gemeente=[["breda", "Breda"]])
                 for n in range(40)]
    cache = SearchCache()
    build_search_files(documents, TEXT, cache)
    documents[7] = doc("verhalen/v7/", title="Verhaal 7", body="koffie en thee", gemeente=[["oss", "Oss"]])
    assert build_search_files(documents, TEXT, cache) == build_search_files(documents, TEXT)


def test_other_caches_count_as_none():
    documents = [doc("verhalen/a/", title="Koffie"), doc("verhalen/b/", title="Thee")]
    assert build_search_files(documents, TEXT, {}) == build_search_files(documents, TEXT)


def test_missing_text_in_an_edited_document_stops_the_build_and_keeps_the_cache():
    documents = [doc(f"verhalen/v{n}/", title=f"Verhaal {n}", body="koffie en thee") for n in range(40)]
    cache = SearchCache()
    build_search_files(documents, TEXT, cache)
    edited = list(documents)
    edited[4] = doc("verhalen/v4/", kind="onbekend", title="Verhaal 4", regio=[("west", "West")])
    with pytest.raises(ValueError, match="search.kinds.onbekend, search.facets.regio"):
        build_search_files(edited, TEXT, cache)
    edited[4] = doc("verhalen/v4/", title="Verhaal 4", body="nu met soep")
    assert build_search_files(edited, TEXT, cache) == build_search_files(edited, TEXT)


def test_the_cache_pickles_small():
    rng = random.Random(5)
    vocabulary = list(dict.fromkeys(random_word(rng) for _ in range(400)))
    documents = [random_document(rng, vocabulary, number) for number in range(300)]
    cache = SearchCache()
    build_search_files(documents, TEXT, cache)
    # Per document a digest and one bytes record; the postings once, the result shards not at all.
    assert all(type(record) is bytes for record in cache.records)
    assert pickle.loads(pickle.dumps(cache)).doc_shards is None
    assert len(pickle.dumps(cache)) < 1000 * len(documents)

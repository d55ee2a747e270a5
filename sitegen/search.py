"""Search stage: turns the site's documents into a static, sharded search index.

Hands on JavaScript data files that templates/static/search.js loads with <script>
elements, so search works on any web server, under a sub-path and from file://.

The tokenizer here (fold, words, stop words, Dutch Snowball stem) is the shared
algorithm: search.js implements the same steps and tests/test_search_agreement.py
checks that both produce identical tokens.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import snowballstemmer

FORMAT_VERSION = 1

# The facet that every document has: its kind. The URL uses this name (?soort=tip).
KIND_FACET = "soort"

# Sentences search.js shows, from the `search.js` section of templates/strings.nl.yaml.
# Placeholders: {count} a number, {results} a "1 resultaat"/"{count} resultaten" text,
# {query} what the reader typed. search.js reads exactly these keys.
JS_TEXT_KEYS = (
    "results", "results_one", "results_for", "no_results", "no_results_for", "partial", "did_you_mean",
    "without_filters", "one_word", "browse", "more", "all", "arrow_hint", "clear_filters", "show_all",
    "show_fewer",
)

# Words too common to help find anything. Folded (no diacritics), like the tokens.
STOP_WORDS = frozenset("""
aan af al alle alles als alsof altijd ander andere anders ben bent bij binnen boven
daar daarom dan dat de der deze die dit doch doen door dus een eens en er ge geen
geweest haar had hadden heb hebben heeft hem het hier hij hoe hun ik in is ja je jij
jou jouw jullie kan kon konden kunnen maar me meer men met mij mijn moet moeten na naar
niet niets nog nu of om omdat ons onze ook op over te tegen toch toen tot u uit uw van
veel voor want waren was wat we wel werd werden wie wij wil worden wordt zal ze zelf
zich zij zijn zo zonder zou zouden
""".split())

# Letters that Unicode decomposition does not reduce to a-z.
_SPECIAL_LETTERS = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
_SPECIAL_RE = re.compile("[" + "".join(_SPECIAL_LETTERS) + "]")
_COMBINING_RE = re.compile("[\u0300-\u036f]")
_WORD_RE = re.compile("[a-z0-9]+")

_stemmer = snowballstemmer.stemmer("dutch")


def fold(text: str) -> str:
    """Lower case without diacritics: 'Geïnspireerd' -> 'geinspireerd'."""
    text = unicodedata.normalize("NFKD", text).lower()
    text = _SPECIAL_RE.sub(lambda match: _SPECIAL_LETTERS[match.group()], text)
    return _COMBINING_RE.sub("", text)


def words(text: str) -> list[str]:
    """The folded words of `text`: runs of a-z and 0-9; everything else separates."""
    return _WORD_RE.findall(fold(text))


def is_indexed(word: str) -> bool:
    """Whether a folded word is worth indexing: not a stop word, not a lone letter."""
    return len(word) > 1 and word not in STOP_WORDS


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Dutch Snowball stem of a folded word."""
    return _stemmer.stemWord(word)


def tokenize(text: str) -> list[str]:
    """Folded, stop-word-free, stemmed tokens: the shared algorithm of build and browser."""
    return [stem(word) for word in words(text) if is_indexed(word)]


@dataclass(frozen=True)
class SearchDocument:
    url: str  # site-relative URL without leading slash, e.g. "verhalen/koffie/"
    kind: str  # a key of the `kinds` of the search text; also the value of the facet KIND_FACET
    title: str
    summary: str
    body: str  # plain text
    facets: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # name -> [(slug, label)]


# --- Index layout -----------------------------------------------------------------
#
# zoeken/index.js          manifest: surface words, shard bounds, facets, file names
# zoeken/index/t<n>-<hash>.js   postings for a contiguous range of stems
# zoeken/index/d<n>-<hash>.js   url, kind, title and summary of DOC_SHARD_SIZE documents
#
# Every file is `SitegenSearch.receive("<name>", <json>);`. Numbers in postings are
# written as base-32 varints in a string (see encode_numbers), which is about a third
# of the size of a JSON array of the same numbers, before and after gzip.

FIELD_WEIGHTS = {"title": 6.0, "facets": 3.0, "summary": 2.0, "body": 1.0}
# BM25 'b' per field: how much a long field dilutes each of its words. A short title
# that is mostly the query (an enterprise's name) beats a long one that mentions it.
LENGTH_NORM = {"title": 0.5, "facets": 0.0, "summary": 0.25, "body": 0.75}
SATURATION = 1.2  # BM25 'k1'
SCORE_LEVELS = 15  # posting scores are quantised to 1..SCORE_LEVELS; 2 * 15 + 1 is one varint digit
# Shard sizes trade the bytes of a first query against the number of files loaded while
# typing (each is a round trip): see docs/performance.md, section Search.
TERM_SHARD_CHARS = 24_000  # target raw size of a postings shard
DOC_SHARD_SIZE = 20
INDEX_DIR = "zoeken/"

# Base-32 varint digits: the low 5 bits of each digit carry data; digits from the
# upper half of the alphabet say "more digits follow".
_FINAL_DIGITS = "0123456789abcdefghijklmnopqrstuv"
_MORE_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&*"


def _encode_number(number: int) -> str:
    if number < 0:
        raise ValueError(f"cannot encode negative number {number}")
    groups = []
    while True:
        groups.append(number & 31)
        number >>= 5
        if not number:
            break
    groups.reverse()
    return "".join(_MORE_DIGITS[group] for group in groups[:-1]) + _FINAL_DIGITS[groups[-1]]


_SMALL_NUMBERS = [_encode_number(number) for number in range(1024)]


def encode_numbers(numbers: list[int]) -> str:
    """Non-negative integers as one string of base-32 varints (big-endian groups)."""
    small = _SMALL_NUMBERS
    return "".join(small[number] if 0 <= number < 1024 else _encode_number(number) for number in numbers)


def decode_numbers(text: str) -> list[int]:
    """Inverse of encode_numbers (the browser has the same function)."""
    numbers, value = [], 0
    for char in text:
        final = _FINAL_DIGITS.find(char)
        if final >= 0:
            numbers.append(value * 32 + final)
            value = 0
        else:
            value = value * 32 + _MORE_DIGITS.index(char)
    return numbers


def front_code(sorted_words: list[str]) -> str:
    """Sorted words as one string: each entry is a capital letter giving how many leading
    characters it shares with the previous word (A=0 .. Z=25), then the rest of the word."""
    out, previous = [], ""
    for word in sorted_words:
        shared = 0
        limit = min(len(word), len(previous), 25)
        while shared < limit and word[shared] == previous[shared]:
            shared += 1
        out.append(chr(65 + shared) + word[shared:])
        previous = word
    return "".join(out)


def _delta_encode(sorted_ids: list[int]) -> str:
    deltas, previous = [], -1
    for doc_id in sorted_ids:
        deltas.append(doc_id - previous - 1)
        previous = doc_id
    return encode_numbers(deltas)


def _facet_pairs(document: SearchDocument, kind_labels: Mapping[str, str]) -> dict[str, list[tuple[str, str]]]:
    facets = {KIND_FACET: [(document.kind, kind_labels[document.kind])]}
    facets.update((name, list(values)) for name, values in document.facets.items() if values and name != KIND_FACET)
    return facets


def _field_texts(document: SearchDocument, facets: dict[str, list[tuple[str, str]]]) -> tuple[str, ...]:
    """The text of each field of FIELD_WEIGHTS, in that order."""
    facet_text = " ".join(label for values in facets.values() for _, label in values)
    return (document.title, facet_text, document.summary, document.body)


# What scoring needs of one document, cached between builds (see build_search_files):
# the number of tokens per field; per stem, its count in each field (in FIELD_WEIGHTS
# order); the surface words (folded, indexed) of all fields.
DocumentTokens = tuple[tuple[int, ...], tuple[tuple[str, int, int, int, int], ...], frozenset[str]]


def _tokenize_fields(texts: tuple[str, ...]) -> DocumentTokens:
    counts: dict[str, list[int]] = {}
    lengths = [0] * len(texts)
    surface = set()
    for position, text in enumerate(texts):
        for word, frequency in Counter(words(text)).items():
            if is_indexed(word):
                surface.add(word)
                stemmed = stem(word)
                row = counts.get(stemmed)
                if row is None:
                    row = counts[stemmed] = [0] * len(texts)
                row[position] += frequency
                lengths[position] += frequency
    return tuple(lengths), tuple((stemmed, *row) for stemmed, row in counts.items()), frozenset(surface)


def _texts_key(texts: tuple[str, ...]) -> str:
    """A digest of the field texts; the lengths up front keep the fields apart."""
    joined = ",".join(str(len(text)) for text in texts) + ":" + "".join(texts)
    return hashlib.blake2b(joined.encode("utf-8"), digest_size=16).hexdigest()


def _score_documents(tokens: list[DocumentTokens]) -> tuple[dict[str, str], set[str]]:
    """Per stem, its postings as encode_numbers() of (id delta, value) pairs: the ids of the
    documents that have it, in increasing order, and for each its quantised BM25F score
    times two, plus one for a title match (a value is always one digit); and all surface words."""
    surface_words: set[str] = set()
    for _, _, surface in tokens:
        surface_words |= surface
    averages = [max(1.0, sum(values) / len(values)) if values else 1.0
                for values in zip(*(lengths for lengths, _, _ in tokens))]
    parameters = [(weight, LENGTH_NORM[name]) for name, weight in FIELD_WEIGHTS.items()]
    k1, k1_plus_one = SATURATION, SATURATION + 1
    small, digits = _SMALL_NUMBERS, _FINAL_DIGITS
    postings: dict[str, list] = {}  # stem -> [last document id, encoded parts]
    for doc_id, (lengths, rows, _) in enumerate(tokens):
        f0, f1, f2, f3 = (weight / (1 - norm + norm * length / average)
                          for (weight, norm), length, average in zip(parameters, lengths, averages))
        for stem_, c0, c1, c2, c3 in rows:
            weight = f0 * c0 + f1 * c1 + f2 * c2 + f3 * c3
            saturated = weight * k1_plus_one / (weight + k1)
            level = round(saturated / k1_plus_one * SCORE_LEVELS)  # at most SCORE_LEVELS: saturated < k1 + 1
            entry = postings.get(stem_)
            if entry is None:
                entry = postings[stem_] = [-1, []]
            delta = doc_id - entry[0] - 1
            entry[0] = doc_id
            entry[1].append(small[delta] if delta < 1024 else _encode_number(delta))
            entry[1].append(digits[(level if level > 1 else 1) * 2 + (1 if c0 else 0)])
    return {stem_: "".join(parts) for stem_, (_, parts) in postings.items()}, surface_words


def missing_text(text: object, documents: list[SearchDocument]) -> list[str]:
    """Keys of the search text (`search` in strings.nl.yaml) that `documents` need and that are
    missing or not text, e.g. ["search.kinds.tip", "search.js.more"]."""
    if not isinstance(text, Mapping):
        return ["search"]
    needed = {
        "kinds": dict.fromkeys(document.kind for document in documents),
        "facets": dict.fromkeys([KIND_FACET, *(name for document in documents
                                               for name, values in document.facets.items() if values)]),
        "js": dict.fromkeys(JS_TEXT_KEYS),
    }
    missing = []
    for section, keys in needed.items():
        values = text.get(section)
        if not isinstance(values, Mapping):
            missing.append(f"search.{section}")
            continue
        missing += [f"search.{section}.{key}" for key in keys if not isinstance(values.get(key), str)]
    return missing


def _script(name: str, data) -> bytes:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"SitegenSearch.receive({json.dumps(name)},{payload});\n".encode("utf-8")


def _hashed_name(prefix: str, data) -> tuple[str, bytes]:
    digest = hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:10]
    name = f"{prefix}-{digest}"
    return name, _script(name, data)


def build_search_files(documents: list[SearchDocument], text: Mapping[str, Any],
                       token_cache: dict[str, DocumentTokens] | None = None) -> dict[str, bytes]:
    """All files of the search index, keyed by output-relative path.

    `text` is the `search` section of templates/strings.nl.yaml: `kinds` (kind -> label, the
    result badges), `facets` (facet name -> legend, in the order of the filters) and `js` (the
    sentences of search.js, JS_TEXT_KEYS). They travel in the manifest, which every page that
    searches loads. Raises ValueError naming the missing keys (see missing_text).

    `token_cache`, kept by the caller between builds, maps a digest of a document's field texts
    to their tokens, so a rebuild tokenizes only new and changed documents. The output is the
    same with or without it; afterwards it holds the entries of these documents only."""
    missing = missing_text(text, documents)
    if missing:
        raise ValueError(f"ontbrekende teksten voor zoeken: {', '.join(missing)}")
    kind_labels, facet_labels = text["kinds"], text["facets"]
    facet_pairs = [_facet_pairs(document, kind_labels) for document in documents]
    field_tokens = []
    kept: dict[str, DocumentTokens] = {}
    for document, facets in zip(documents, facet_pairs):
        texts = _field_texts(document, facets)
        if token_cache is None:
            field_tokens.append(_tokenize_fields(texts))
            continue
        key = _texts_key(texts)
        tokens = kept.get(key) or token_cache.get(key) or _tokenize_fields(texts)
        kept[key] = tokens
        field_tokens.append(tokens)
    if token_cache is not None:
        token_cache.clear()
        token_cache.update(kept)
    postings, surface_words = _score_documents(field_tokens)
    files: dict[str, bytes] = {}

    # Postings shards: contiguous ranges of sorted stems, cut at about TERM_SHARD_CHARS.
    shard_bounds, shard_files = [], []
    current: dict[str, list[str]] = {"stems": [], "postings": []}
    size = 0

    def flush() -> None:
        nonlocal current, size
        if not current["stems"]:
            return
        data = [front_code(current["stems"]), current["postings"]]
        name, content = _hashed_name(f"t{len(shard_files)}", data)
        files[f"{INDEX_DIR}index/{name}.js"] = content
        shard_bounds.append(current["stems"][0])
        shard_files.append(name)
        current, size = {"stems": [], "postings": []}, 0

    for stem_ in sorted(postings):
        encoded = postings[stem_]
        if size and size + len(encoded) > TERM_SHARD_CHARS:
            flush()
        current["stems"].append(stem_)
        current["postings"].append(encoded)
        size += len(encoded) + len(stem_) + 4
    flush()

    # Display shards: what a result shows, DOC_SHARD_SIZE documents per file.
    kinds = list(kind_labels)
    doc_files = []
    for start in range(0, len(documents), DOC_SHARD_SIZE):
        rows = [
            [document.url, kinds.index(document.kind), document.title, document.summary]
            for document in documents[start : start + DOC_SHARD_SIZE]
        ]
        name, content = _hashed_name(f"d{len(doc_files)}", rows)
        files[f"{INDEX_DIR}index/{name}.js"] = content
        doc_files.append(name)

    # Facets, in the order of their labels: per value, the ids of the documents that have it.
    facet_ids: dict[str, dict[tuple[str, str], list[int]]] = defaultdict(dict)
    for doc_id, facets in enumerate(facet_pairs):
        for name, values in facets.items():
            for pair in dict.fromkeys((slug, label) for slug, label in values):
                facet_ids[name].setdefault(pair, []).append(doc_id)
    facets = [
        [name, facet_labels[name], [[slug, label, _delta_encode(ids)] for (slug, label), ids in sorted(
            facet_ids[name].items(), key=lambda item: (-len(item[1]), fold(item[0][1])))]]
        for name in facet_labels if name in facet_ids
    ]

    manifest = {
        "version": FORMAT_VERSION,
        "count": len(documents),
        "kinds": [[kind, label] for kind, label in kind_labels.items()],
        "words": front_code(sorted(surface_words)),
        "bounds": shard_bounds,
        "terms": shard_files,
        "docs": doc_files,
        "docShardSize": DOC_SHARD_SIZE,
        "facets": facets,
        "text": {key: text["js"][key] for key in JS_TEXT_KEYS},
    }
    files[f"{INDEX_DIR}index.js"] = _script("index", manifest)
    return files

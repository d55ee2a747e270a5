"""Search stage, index: the sharded index files built from the site's SearchDocuments.

Hands on what scoring keeps of a document (its record), the postings and result shards and
the manifest, to search_cache.SearchCache, which decides what a build makes again."""

from __future__ import annotations

import json
import math
import struct
import sys
import zlib
from array import array
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .search_encoding import front_code, hashed_script, script, unfront_code

# The facet that every document has: its kind. The URL uses this name (?soort=tip).
KIND_FACET = "soort"

# Sentences search.js shows, from the `search.js` section of templates/strings.nl.yaml.
# Placeholders: {count} a number, {results} a "1 resultaat"/"{count} resultaten" text,
# {query} what the reader typed. search.js reads exactly these keys.
JS_TEXT_KEYS = (
    "results", "results_one", "results_for", "no_results", "no_results_for", "partial", "did_you_mean",
    "without_filters", "one_word", "browse", "more", "all", "arrow_hint", "clear_filters", "show_all",
    "show_fewer", "corrected", "drop_filters", "drop_filter", "filters_count",
)


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
# zoeken/index.js               manifest: surface words, shard bounds, facets, file names
# zoeken/index/t-<hash>.js      postings for a contiguous range of stems
# zoeken/index/d<n>-<hash>.js   url, kind, title and summary of DOC_SHARD_SIZE documents
#
# Every file is `SitegenSearch.receive("<name>", <json>);`. Numbers in postings are
# written as base-32 varints in a string (see search_encoding.encode_numbers).
#
# The index is built so that one edited document changes little of it, which lets
# SearchCache redo only that little (see there): a posting value depends on the document
# itself and on field-length averages that are rounded (AVERAGE_STEPS), and postings shards
# end at stems chosen by their content (_cut_after), not by a running size, so an edit
# changes the shards of the stems it touches and keeps every other shard and its name.

FIELD_WEIGHTS = {"title": 6.0, "facets": 3.0, "summary": 2.0, "body": 1.0}
# BM25 'b' per field: how much a long field dilutes each of its words. A short title
# that is mostly the query (an enterprise's name) beats a long one that mentions it.
LENGTH_NORM = {"title": 0.5, "facets": 0.0, "summary": 0.25, "body": 0.75}
SATURATION = 1.2  # BM25 'k1'
SCORE_LEVELS = 15  # posting scores are quantised to 1..SCORE_LEVELS; 2 * 15 + 1 is one varint digit
# The average length of a field is rounded to a power of 2 ** (1 / AVERAGE_STEPS) (steps of 9 %,
# so at most 4.5 % off): one edit among thousands of documents rarely moves it to another step,
# and only then must every document be scored again.
AVERAGE_STEPS = 8
# Postings shards: a shard ends after a stem when it holds at least SHARD_MIN_CHARS and the
# stem's hash falls below a threshold that grows with the stem's size (on average one end per
# SHARD_SPAN_CHARS after the minimum), or when it reaches SHARD_MAX_CHARS. Shard sizes trade
# the bytes of a first query against the number of files loaded while typing (each is a round
# trip): see docs/performance.md, section Search.
SHARD_MIN_CHARS = 8_000
SHARD_SPAN_CHARS = 14_000
SHARD_MAX_CHARS = 48_000
DOC_SHARD_SIZE = 20
INDEX_DIR = "zoeken/"
FORMAT_VERSION = 2


def facet_pairs(document: SearchDocument, kind_labels: Mapping[str, str]) -> dict[str, list[tuple[str, str]]]:
    facets = {KIND_FACET: [(document.kind, kind_labels[document.kind])]}
    facets.update((name, list(values)) for name, values in document.facets.items() if values and name != KIND_FACET)
    return facets


def facet_memberships(facets: dict[str, list[tuple[str, str]]]) -> list[tuple[str, tuple[str, str]]]:
    """(facet name, (slug, label)) for each value of a document, without repeats."""
    return list(dict.fromkeys((name, (slug, label)) for name, values in facets.items() for slug, label in values))


def field_texts(document: SearchDocument, facets: dict[str, list[tuple[str, str]]]) -> tuple[str, ...]:
    """The text of each field of FIELD_WEIGHTS, in that order."""
    facet_text = " ".join(label for values in facets.values() for _, label in values)
    return (document.title, facet_text, document.summary, document.body)


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


# --- Scoring -----------------------------------------------------------------------

_PARAMETERS = tuple((weight, LENGTH_NORM[name]) for name, weight in FIELD_WEIGHTS.items())


def rounded_averages(totals: tuple[int, ...], count: int) -> tuple[float, ...]:
    """The average length of each field, rounded to a step of AVERAGE_STEPS."""
    averages = []
    for total in totals:
        average = max(1.0, total / count) if count else 1.0
        averages.append(2.0 ** (round(math.log2(average) * AVERAGE_STEPS) / AVERAGE_STEPS))
    return tuple(averages)


def _value(weight: float, in_title: int) -> int:
    """A posting value: the BM25F score (saturated weight) in 1..SCORE_LEVELS, times two,
    plus one for a title match; always one varint digit."""
    level = round(weight / (weight + SATURATION) * SCORE_LEVELS)
    return (level if level > 1 else 1) * 2 + (1 if in_title else 0)


# What scoring needs of one document is kept as one `bytes` record (see SearchCache):
#   _HEADER: the token count of each field, the number of stems, how many of them (the first
#            ones) occur outside the body, the number of surface words, and whether numbers
#            are 4 bytes wide (else 2)
#   stem numbers, then per stem its count in the body (one byte, at most 255)
#   per stem outside the body its counts in title, facets and summary (one byte each)
#   surface word numbers: the folded, indexed words of all fields, for the manifest
_HEADER = struct.Struct("<7IB")
COUNT_CAP = 255
_SWAP = sys.byteorder != "little"
assert array("I").itemsize == 4 and array("H").itemsize == 2


def _pack(numbers, wide: bool) -> bytes:
    packed = array("I" if wide else "H", numbers)
    if _SWAP:
        packed.byteswap()
    return packed.tobytes()


def _unpack(data: bytes, wide: bool) -> array:
    numbers = array("I" if wide else "H")
    numbers.frombytes(data)
    if _SWAP:
        numbers.byteswap()
    return numbers


def decode_record(record: bytes) -> tuple[tuple[int, ...], array, bytes, bytes, array]:
    """Field lengths, stem numbers, body counts, other counts and word numbers of a record."""
    *lengths, stem_count, extra_count, word_count, wide = _HEADER.unpack_from(record)
    width = 4 if wide else 2
    at = _HEADER.size
    stems = _unpack(record[at : at + stem_count * width], wide)
    at += stem_count * width
    body = record[at : at + stem_count]
    at += stem_count
    extra = record[at : at + 3 * extra_count]
    at += 3 * extra_count
    return tuple(lengths), stems, body, extra, _unpack(record[at : at + word_count * width], wide)


def encode_record(lengths, stems, body: bytes, extra: bytes, words_, wide: bool) -> bytes:
    return b"".join((_HEADER.pack(*lengths, len(stems), len(extra) // 3, len(words_), wide),
                     _pack(stems, wide), body, extra, _pack(words_, wide)))


def field_lengths(record: bytes) -> tuple[int, ...]:
    """The token count of each field of a record, as decode_record gives them."""
    return _HEADER.unpack_from(record)[:4]


def score_record(lengths: tuple[int, ...], body: bytes, extra: bytes, averages: tuple[float, ...]) -> bytearray:
    """The posting value of each stem of a record."""
    f0, f1, f2, f3 = (weight / (1 - norm + norm * length / average)
                      for (weight, norm), length, average in zip(_PARAMETERS, lengths, averages))
    table = bytearray(256)  # a body count -> the value of a stem found in the body only
    for count in range(1, max(body, default=0) + 1):
        table[count] = _value(f3 * count, 0)
    values = bytearray(body.translate(table))
    for row in range(len(extra) // 3):
        c0, c1, c2 = extra[3 * row : 3 * row + 3]
        values[row] = _value(f0 * c0 + f1 * c1 + f2 * c2 + f3 * body[row], c0)
    return values


# --- Postings shards -----------------------------------------------------------------


def _cut_after(stem_: str, weight: int, size: int) -> bool:
    """Whether a postings shard of `size` characters ends after `stem_`, whose entry takes
    `weight` of them: decided by the stem itself, so an edit elsewhere does not move it."""
    if size >= SHARD_MAX_CHARS:
        return True
    if size < SHARD_MIN_CHARS:
        return False
    return zlib.crc32(stem_.encode("utf-8")) * SHARD_SPAN_CHARS < weight << 32


class Shard:
    """One postings file: its first stem, name and bytes. Its stems and postings are decoded
    from the bytes when an edit touches it, and not kept (they would double the memory)."""

    __slots__ = ("first", "name", "content")

    def __init__(self, stems: list[str], postings: list[str]):
        self.first = stems[0]
        self.name, self.content = hashed_script("t", [front_code(stems), postings])

    def stems_and_postings(self) -> tuple[list[str], list[str]]:
        packed, postings = json.loads(self.content[self.content.index(b",") + 1 : -3])
        return unfront_code(packed), postings

    def __getstate__(self):
        return self.first, self.name, self.content

    def __setstate__(self, state):
        self.first, self.name, self.content = state


def chunk_shards(parts: list) -> list[Shard]:
    """Postings shards from `parts` in stem order: a Shard that stays, or (stems, postings)
    that changed. Changed parts are cut again from the start of their shard, until a cut falls
    where an unchanged shard starts; from there on the old cuts hold."""
    shards = []
    at = 0
    while at < len(parts):
        if isinstance(parts[at], Shard):
            shards.append(parts[at])
            at += 1
            continue
        stems, postings, size = [], [], 0
        while at < len(parts):
            part = parts[at]
            for stem_, posting in zip(*(part.stems_and_postings() if isinstance(part, Shard) else part)):
                stems.append(stem_)
                postings.append(posting)
                weight = len(stem_) + len(posting) + 4
                size += weight
                if _cut_after(stem_, weight, size):
                    shards.append(Shard(stems, postings))
                    stems, postings, size = [], [], 0
            at += 1
            if not stems and at < len(parts) and isinstance(parts[at], Shard):
                break
        if stems:
            shards.append(Shard(stems, postings))
    return shards


# --- Files ---------------------------------------------------------------------------


def doc_shard(documents: list[SearchDocument], start: int, kinds: dict[str, int]) -> tuple[str, bytes]:
    """The result shard of the DOC_SHARD_SIZE documents from `start`: name and bytes."""
    rows = [[document.url, kinds[document.kind], document.title, document.summary]
            for document in documents[start : start + DOC_SHARD_SIZE]]
    return hashed_script(f"d{start // DOC_SHARD_SIZE}", rows)


def index_files(text: Mapping[str, Any], count: int, shards: list[Shard], doc_shards: list[tuple[str, bytes]],
                packed_words: str, facet_ids: dict[str, dict[tuple[str, str], list[int]]],
                facet_codes: dict[tuple[str, tuple[str, str]], str],
                fold_label: Callable[[str], str]) -> dict[str, bytes]:
    """Every file of the index, keyed by output-relative path: the shards and the manifest.
    Facet values are listed by their number of documents, then by `fold_label` of their label."""
    files = {f"{INDEX_DIR}index/{shard.name}.js": shard.content for shard in shards}
    files.update((f"{INDEX_DIR}index/{name}.js", content) for name, content in doc_shards)
    facets = []
    for name, label in text["facets"].items():
        by_pair = facet_ids.get(name)
        if by_pair:
            pairs = sorted(by_pair, key=lambda pair: (-len(by_pair[pair]), fold_label(pair[1]), pair[1], pair[0]))
            facets.append([name, label, [[slug, value, facet_codes[name, (slug, value)]]
                                         for slug, value in pairs]])
    manifest = {
        "version": FORMAT_VERSION,
        "count": count,
        "kinds": [[kind, label] for kind, label in text["kinds"].items()],
        "words": packed_words,
        "bounds": [shard.first for shard in shards],
        "terms": [shard.name for shard in shards],
        "docs": [name for name, _ in doc_shards],
        "docShardSize": DOC_SHARD_SIZE,
        "facets": facets,
        "text": {key: text["js"][key] for key in JS_TEXT_KEYS},
    }
    files[f"{INDEX_DIR}index.js"] = script("index", manifest)
    return files

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
import math
import pickle
import re
import struct
import sys
import unicodedata
import zlib
from array import array
from bisect import bisect_left, bisect_right, insort
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import accumulate, chain, repeat
from operator import add, or_, sub
from typing import Any

import snowballstemmer


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
# zoeken/index.js               manifest: surface words, shard bounds, facets, file names
# zoeken/index/t-<hash>.js      postings for a contiguous range of stems
# zoeken/index/d<n>-<hash>.js   url, kind, title and summary of DOC_SHARD_SIZE documents
#
# Every file is `SitegenSearch.receive("<name>", <json>);`. Numbers in postings are
# written as base-32 varints in a string (see encode_numbers), which is about a third
# of the size of a JSON array of the same numbers, before and after gzip.
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


def _front_entry(previous: str, word: str) -> str:
    shared = 0
    limit = min(len(word), len(previous), 25)
    while shared < limit and word[shared] == previous[shared]:
        shared += 1
    return chr(65 + shared) + word[shared:]


def front_code(sorted_words: list[str]) -> str:
    """Sorted words as one string: each entry is a capital letter giving how many leading
    characters it shares with the previous word (A=0 .. Z=25), then the rest of the word."""
    return "".join(map(_front_entry, ["", *sorted_words], sorted_words))


_FRONT_ENTRY_RE = re.compile("([A-Z])([^A-Z]*)")


def unfront_code(text: str) -> list[str]:
    """Inverse of front_code."""
    result, previous = [], ""
    for shared, rest in _FRONT_ENTRY_RE.findall(text):
        previous = previous[: ord(shared) - 65] + rest
        result.append(previous)
    return result


def _delta_encode(sorted_ids: list[int]) -> str:
    deltas, previous = [], -1
    for doc_id in sorted_ids:
        deltas.append(doc_id - previous - 1)
        previous = doc_id
    return encode_numbers(deltas)


# A posting is a string of entries, one per document: the gap to the previous document's id
# (a varint) and then the value (one digit). Entries are handled as "codes", gap * 32 + value.
_POSTING_ENTRY_RE = re.compile("[" + re.escape(_MORE_DIGITS) + "]*[" + _FINAL_DIGITS + "]{2}")


class _Memo(dict):
    """A dict that computes a missing value with `function` and keeps up to `limit` of them."""

    def __init__(self, function, limit: int = 100_000):
        super().__init__()
        self.function, self.limit = function, limit

    def __missing__(self, key):
        value = self.function(key)
        if len(self) < self.limit:
            self[key] = value
        return value


_ENTRY_TEXT = _Memo(lambda code: _encode_number(code >> 5) + _FINAL_DIGITS[code & 31])  # code -> entry
_ENTRY_STEP = _Memo(lambda entry: decode_numbers(entry)[0] + 1)  # entry -> its gap + 1


def _encode_posting(codes_by_id: list[int]) -> str:
    """A posting from `doc_id * 32 + value` per document, in increasing order."""
    # The gap of entry k is its id minus the previous id minus one; as a code that is
    # x[k] - (x[k-1] | 31) - 1, and the first entry's code is x[0] itself.
    starts = chain((0,), map(add, map(or_, codes_by_id, repeat(31)), repeat(1)))
    return "".join(map(_ENTRY_TEXT.__getitem__, map(sub, codes_by_id, starts)))


_MORE_DIGIT_RE = re.compile("[" + re.escape(_MORE_DIGITS) + "]")
_STEP_OF_DIGIT = bytes.maketrans(_FINAL_DIGITS.encode("ascii"), bytes(range(1, 33)))  # gap digit -> gap + 1


def _edit_posting(posting: str, edits: list[tuple[int, int | None]]) -> str:
    """`posting` with the value of each (document id, value) of `edits` set, or the
    document's entry removed where the value is None."""
    if len(edits) == 1 and not _MORE_DIGIT_RE.search(posting):
        # Every entry is two digits, gap and value (as in any long posting): find the
        # document among the gaps without splitting the posting into entries.
        (doc_id, value), = edits
        ids = list(accumulate(posting[::2].encode("ascii").translate(_STEP_OF_DIGIT), initial=-1))
        at = bisect_left(ids, doc_id, 1)  # ids[at] is the id of entry at - 1
        start, previous = 2 * (at - 1), ids[at - 1]
        if at < len(ids) and ids[at] == doc_id:
            if value is not None:
                return posting[: start + 1] + _FINAL_DIGITS[value] + posting[start + 2 :]
            head, at = posting[:start], at + 1
            rest = posting[start + 2 :]
        elif value is None:
            return posting
        else:
            head = posting[:start] + _ENTRY_TEXT[(doc_id - previous - 1) * 32 + value]
            previous, rest = doc_id, posting[start:]
        if rest:  # the next entry's gap now counts from a different document
            rest = _ENTRY_TEXT[(ids[at] - previous - 1) * 32 + _FINAL_DIGITS.index(rest[1])] + rest[2:]
        return head + rest
    entries = _POSTING_ENTRY_RE.findall(posting)
    ids = list(accumulate(map(_ENTRY_STEP.__getitem__, entries), initial=-1))
    del ids[0]
    for doc_id, value in edits:
        at = bisect_left(ids, doc_id)
        previous = ids[at - 1] if at else -1
        if at < len(ids) and ids[at] == doc_id:
            if value is not None:
                entries[at] = entries[at][:-1] + _FINAL_DIGITS[value]
                continue
            del entries[at], ids[at]
        elif value is None:
            continue
        else:
            entries.insert(at, _ENTRY_TEXT[(doc_id - previous - 1) * 32 + value])
            ids.insert(at, doc_id)
            previous, at = doc_id, at + 1
        if at < len(ids):  # the next entry's gap now counts from a different document
            entries[at] = _ENTRY_TEXT[(ids[at] - previous - 1) * 32 + _FINAL_DIGITS.index(entries[at][-1])]
    return "".join(entries)


def _facet_pairs(document: SearchDocument, kind_labels: Mapping[str, str]) -> dict[str, list[tuple[str, str]]]:
    facets = {KIND_FACET: [(document.kind, kind_labels[document.kind])]}
    facets.update((name, list(values)) for name, values in document.facets.items() if values and name != KIND_FACET)
    return facets


def _facet_memberships(facets: dict[str, list[tuple[str, str]]]) -> list[tuple[str, tuple[str, str]]]:
    """(facet name, (slug, label)) for each value of a document, without repeats."""
    return list(dict.fromkeys((name, (slug, label)) for name, values in facets.items() for slug, label in values))


def _field_texts(document: SearchDocument, facets: dict[str, list[tuple[str, str]]]) -> tuple[str, ...]:
    """The text of each field of FIELD_WEIGHTS, in that order."""
    facet_text = " ".join(label for values in facets.values() for _, label in values)
    return (document.title, facet_text, document.summary, document.body)


def _document_key(document: SearchDocument, kind_label: object) -> bytes:
    """A digest of everything of a document that the index shows or scores. (A pickle writes a
    string that occurs twice in `data` as a reference the second time: equal documents may then
    differ in digest, which only makes one look edited; different ones never share one.)"""
    data = (document.url, document.kind, kind_label, document.title, document.summary, document.facets, document.body)
    return hashlib.sha1(pickle.dumps(data, protocol=5)).digest()[:16]


def _quick_key(document: SearchDocument) -> object:
    """Python's hash of the same: keyed per process, so it is not kept in a pickle, but it tells
    in a third of the time which documents of the previous build of this process are unchanged.
    (A tuple's hash is a bijection of each element's hash, so two documents that differ in a
    field collide only when the 64-bit SipHash of that field does.)"""
    facets = document.facets
    try:  # the facet names, then their values: tuples of pairs
        return hash((document.url, document.kind, document.title, document.summary, document.body,
                     *facets, *map(tuple, facets.values())))
    except TypeError:  # facet values that are not tuples: never equal
        return object()


def _text_key(text: Mapping[str, Any]) -> str:
    sections = [dict(text["kinds"]), dict(text["facets"]), {key: text["js"].get(key) for key in JS_TEXT_KEYS}]
    return hashlib.sha1(json.dumps(sections, ensure_ascii=False, default=repr).encode("utf-8")).hexdigest()


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


def _hashed_script(prefix: str, data) -> tuple[str, bytes]:
    """A file named by `prefix` and a digest of its data: unchanged data keeps its name."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    name = f"{prefix}-{hashlib.sha256(payload.encode('utf-8')).hexdigest()[:10]}"
    return name, f'SitegenSearch.receive("{name}",{payload});\n'.encode("utf-8")


# --- Scoring -----------------------------------------------------------------------

_PARAMETERS = tuple((weight, LENGTH_NORM[name]) for name, weight in FIELD_WEIGHTS.items())


def _averages(totals: tuple[int, ...], count: int) -> tuple[float, ...]:
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
_COUNT_CAP = 255
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


def _decode(record: bytes) -> tuple[tuple[int, ...], array, bytes, bytes, array]:
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


def _encode(lengths, stems, body: bytes, extra: bytes, words_, wide: bool) -> bytes:
    return b"".join((_HEADER.pack(*lengths, len(stems), len(extra) // 3, len(words_), wide),
                     _pack(stems, wide), body, extra, _pack(words_, wide)))


def _score(lengths: tuple[int, ...], body: bytes, extra: bytes, averages: tuple[float, ...]) -> bytearray:
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


class _Shard:
    """One postings file: its first stem, name and bytes. Its stems and postings are decoded
    from the bytes when an edit touches it, and not kept (they would double the memory)."""

    __slots__ = ("first", "name", "content")

    def __init__(self, stems: list[str], postings: list[str]):
        self.first = stems[0]
        self.name, self.content = _hashed_script("t", [front_code(stems), postings])

    def stems_and_postings(self) -> tuple[list[str], list[str]]:
        packed, postings = json.loads(self.content[self.content.index(b",") + 1 : -3])
        return unfront_code(packed), postings

    def __getstate__(self):
        return self.first, self.name, self.content

    def __setstate__(self, state):
        self.first, self.name, self.content = state


def _chunk(parts: list) -> list[_Shard]:
    """Postings shards from `parts` in stem order: a _Shard that stays, or (stems, postings)
    that changed. Changed parts are cut again from the start of their shard, until a cut falls
    where an unchanged shard starts; from there on the old cuts hold."""
    shards = []
    at = 0
    while at < len(parts):
        if isinstance(parts[at], _Shard):
            shards.append(parts[at])
            at += 1
            continue
        stems, postings, size = [], [], 0
        while at < len(parts):
            part = parts[at]
            for stem_, posting in zip(*(part.stems_and_postings() if isinstance(part, _Shard) else part)):
                stems.append(stem_)
                postings.append(posting)
                weight = len(stem_) + len(posting) + 4
                size += weight
                if _cut_after(stem_, weight, size):
                    shards.append(_Shard(stems, postings))
                    stems, postings, size = [], [], 0
            at += 1
            if not stems and at < len(parts) and isinstance(parts[at], _Shard):
                break
        if stems:
            shards.append(_Shard(stems, postings))
    return shards


# --- The index and its state -----------------------------------------------------------


class _Table:
    """Strings numbered in the order they were first seen."""

    __slots__ = ("items", "ids")

    def __init__(self, items=()):
        self.items = list(items)
        self.ids = {item: number for number, item in enumerate(self.items)}

    def add(self, item: str) -> int:
        number = self.ids.get(item)
        if number is None:
            number = self.ids[item] = len(self.items)
            self.items.append(item)
        return number

    def __getstate__(self):
        return self.items

    def __setstate__(self, items):
        self.__init__(items)


_STATE_VERSION = 1
# Compaction: when the word table holds this many more words than twice the words in use
# (words of edited or removed documents), the tables and records are renumbered.
COMPACT_SLACK = 10_000


class SearchCache:
    """What build_search_files keeps between builds, so that a build after an edit redoes only
    what the edited documents touch. Keep one per site and pass it to every build; it pickles.

    Per document (in order): a digest of everything the index takes from it, and its record,
    one `bytes` of what scoring needs (see _decode). Words and stems are numbered in tables.
    Then what the last index was made of: the rounded field-length averages, the postings
    shards (bytes; their stems and postings are decoded again when an edit touches them),
    the result shards (not pickled: made again from the documents), per facet value the ids
    of its documents, and the sorted word list.

    A build finds the changed documents by their digests (in one process, by Python's hash()
    first, see _quick_key). When the number of documents and the search text are the same and
    a few documents differ, it scores those again (tokenizing only texts it has no record
    for) and edits only the postings whose values changed, the shards that hold them, their
    result shards and facet values, and the manifest. Otherwise, or when the averages move to
    another step, it scores every record again, tokenizing only documents it has no record
    for. Either way the files are those of a build from an empty cache."""

    def __init__(self):
        self.version = _STATE_VERSION
        self.ready = False  # True after a finished build: the rest describes its index
        self.text_key = ""
        self.keys: list[bytes] = []
        self.quick: list[object] | None = None  # _quick_key of each document; not kept
        self.records: list[bytes] = []
        self.stems = _Table()
        self.words = _Table()
        self.word_stem = array("I")  # word number -> stem number
        self.word_docs = array("I")  # word number -> how many documents have it
        self.totals: tuple[int, ...] = (0, 0, 0, 0)
        self.averages: tuple[float, ...] = ()
        self.word_list: list[str] = []  # the words in use, sorted
        self.word_codes: list[str] | None = None  # front_code entries of word_list; not kept
        self.packed_words = ""
        self.shards: list[_Shard] = []
        self.doc_shards: list[tuple[str, bytes]] = []
        self.facet_ids: dict[str, dict[tuple[str, str], list[int]]] = {}
        self.facet_codes: dict[tuple[str, tuple[str, str]], str] = {}
        self.facet_fold: dict[str, str] = {}

    def __getstate__(self):
        # The result shards are made again from the documents at the next build: a pure
        # function of them, and about as large as the postings.
        return {**self.__dict__, "quick": None, "word_codes": None, "facet_fold": {}, "doc_shards": None}

    def handover(self) -> dict:
        """All of the state, for the process this one was forked from to go on with (see
        taken_over). Pickling for the disk leaves parts out to be made again; this keeps
        them, so the next build there is as quick as here. `quick` holds hash() values,
        which agree between a process and its forks."""
        return dict(self.__dict__)

    @classmethod
    def taken_over(cls, state: dict) -> SearchCache:
        cache = cls.__new__(cls)
        cache.__dict__.update(state)
        return cache

    # --- per document

    def _word(self, word: str) -> int:
        """The number of a folded word, or -1 when it is not indexed (remembered in the table's
        dict only, so a pickle keeps just the indexed words)."""
        if not is_indexed(word):
            self.words.ids[word] = -1
            return -1
        number = self.words.add(word)
        if number == len(self.word_stem):
            self.word_stem.append(self.stems.add(stem(word)))
            self.word_docs.append(0)
        return number

    def _tokenize(self, texts: tuple[str, ...]) -> bytes:
        """The record of a document's field texts."""
        word_ids, word_stem = self.words.ids, self.word_stem
        lengths = [0, 0, 0, 0]
        surface = set()
        counts: list[Counter] = []
        for text in texts:
            tokens = words(text)
            numbers = list(map(word_ids.get, tokens))
            if None in numbers:
                for word in {word for word, number in zip(tokens, numbers) if number is None}:
                    self._word(word)
                numbers = list(map(word_ids.get, tokens))
            indexed = list(filter((-1).__ne__, numbers))
            lengths[len(counts)] = len(indexed)
            surface.update(indexed)
            counts.append(Counter(map(word_stem.__getitem__, indexed)))
        body = counts[3]
        extra: dict[int, list[int]] = {}
        for position in range(3):
            for number, count in counts[position].items():
                row = extra.get(number)
                if row is None:
                    row = extra[number] = [0, 0, 0]
                row[position] = count
        stems = [*extra, *[number for number in body if number not in extra]]
        wide = len(self.words.items) > 0xFFFF or len(self.stems.items) > 0xFFFF
        cap = repeat(_COUNT_CAP)
        return _encode(lengths, stems, bytes(map(min, map(body.get, stems, repeat(0)), cap)),
                       bytes(map(min, chain.from_iterable(extra.values()), cap)), surface, wide)

    def _rows(self, record: bytes) -> tuple[dict[int, int], array]:
        """Stem number -> posting value, with the current averages, and the word numbers."""
        lengths, stems, body, extra, word_numbers = _decode(record)
        return dict(zip(stems, _score(lengths, body, extra, self.averages))), word_numbers

    # --- the build

    def build(self, documents: list[SearchDocument], text: Mapping[str, Any],
              edited: list[int] | None = None) -> dict[str, bytes]:
        if not (isinstance(text, Mapping) and all(isinstance(text.get(section), Mapping)
                                                  for section in ("kinds", "facets", "js"))):
            raise ValueError(f"ontbrekende teksten voor zoeken: {', '.join(missing_text(text, documents))}")
        if getattr(self, "version", None) != _STATE_VERSION:
            self.__init__()
        kind_labels = text["kinds"]
        text_key = _text_key(text)
        if edited is not None and self.quick is not None and len(self.quick) == len(documents):
            quick = list(self.quick)  # the caller knows that the others are the same documents as before
            for at in edited:
                quick[at] = _quick_key(documents[at])
        else:
            quick = [_quick_key(document) for document in documents]
        keys = changed = None
        if self.ready and text_key == self.text_key and len(documents) == len(self.keys) and self.shards:
            limit = max(16, len(documents) // 16)
            if self.quick is not None and len(self.quick) == len(documents):
                candidates = [at for at, (new, old) in enumerate(zip(quick, self.quick)) if new != old]
                if len(candidates) <= limit:
                    keys = list(self.keys)
                    for at in candidates:
                        keys[at] = _document_key(documents[at], kind_labels.get(documents[at].kind))
            if keys is None:
                keys = [_document_key(document, kind_labels.get(document.kind)) for document in documents]
                candidates = range(len(keys))
            changed = [at for at in candidates if keys[at] != self.keys[at]]
            if len(changed) > limit:
                changed = None
        if keys is None:
            keys = [_document_key(document, kind_labels.get(document.kind)) for document in documents]
        missing = missing_text(text, documents if changed is None else [documents[at] for at in changed])
        if missing:
            raise ValueError(f"ontbrekende teksten voor zoeken: {', '.join(missing)}")
        self.ready = False  # until this build is through; a failure leaves a state to start over from
        if changed is None:
            self._rebuild(documents, keys, text, {})
        elif changed:
            fresh = self._update(documents, keys, changed, text)
            if fresh is not None:
                self._rebuild(documents, keys, text, fresh)
        if self.doc_shards is None:  # after unpickling
            kinds = {kind: number for number, kind in enumerate(kind_labels)}
            self.doc_shards = [self._doc_shard(documents, start, kinds)
                               for start in range(0, len(documents), DOC_SHARD_SIZE)]
        self.text_key = text_key
        if len(self.words.items) > 2 * len(self.word_list) + COMPACT_SLACK:
            self._compact()
        self.quick = quick
        self.ready = True
        return self._files(text, len(documents))

    def _rebuild(self, documents, keys, text, fresh: dict[bytes, bytes]) -> None:
        """Every index file from the records (tokenizing documents without one)."""
        kind_labels = text["kinds"]
        known = dict(zip(self.keys, self.records))
        known.update(fresh)
        records = []
        for document, key in zip(documents, keys):
            record = known.get(key)
            if record is None:
                record = known[key] = self._tokenize(_field_texts(document, _facet_pairs(document, kind_labels)))
            records.append(record)
        self.keys, self.records = keys, records
        self.totals = tuple(map(sum, zip(*(_HEADER.unpack_from(record)[:4] for record in records)))) or (0, 0, 0, 0)
        self.averages = averages = _averages(self.totals, len(records))

        by_stem: list[list[int]] = [[] for _ in self.stems.items]  # stem -> doc_id * 32 + value
        word_docs = Counter()
        for doc_id, record in enumerate(records):
            lengths, stems, body, extra, word_numbers = _decode(record)
            deque(map(list.append, map(by_stem.__getitem__, stems),
                      map((doc_id << 5).__add__, _score(lengths, body, extra, averages))), maxlen=0)
            word_docs.update(word_numbers)
        stem_items = self.stems.items
        postings = {stem_items[number]: _encode_posting(codes) for number, codes in enumerate(by_stem) if codes}
        ordered = sorted(postings)
        self.shards = _chunk([(ordered, [postings[stem_] for stem_ in ordered])]) if ordered else []

        self.word_docs = array("I", map(word_docs.__getitem__, range(len(self.words.items))))
        self.word_list = sorted(word for number, word in enumerate(self.words.items) if self.word_docs[number])
        self.word_codes = None
        self.packed_words = front_code(self.word_list)

        kinds = {kind: number for number, kind in enumerate(kind_labels)}
        self.doc_shards = [self._doc_shard(documents, start, kinds)
                           for start in range(0, len(documents), DOC_SHARD_SIZE)]

        self.facet_ids = {}
        for doc_id, document in enumerate(documents):
            for name, pair in _facet_memberships(_facet_pairs(document, kind_labels)):
                self.facet_ids.setdefault(name, {}).setdefault(pair, []).append(doc_id)
        self.facet_codes = {(name, pair): _delta_encode(ids)
                            for name, by_pair in self.facet_ids.items() for pair, ids in by_pair.items()}

    def _update(self, documents, keys, changed: list[int], text) -> dict[bytes, bytes] | None:
        """Edits the index for the documents at `changed`; returns their records instead when
        the averages moved and everything must be scored again."""
        kind_labels = text["kinds"]
        moved = {self.keys[at]: self.records[at] for at in changed}  # a document may have moved
        new_records = []
        totals = list(self.totals)
        for at in changed:
            record = moved.get(keys[at])
            if record is None:
                record = self._tokenize(_field_texts(documents[at], _facet_pairs(documents[at], kind_labels)))
            new_records.append(record)
            for field_no, (old, new) in enumerate(zip(_HEADER.unpack_from(self.records[at])[:4],
                                                      _HEADER.unpack_from(record)[:4])):
                totals[field_no] += new - old
        if _averages(tuple(totals), len(keys)) != self.averages:
            return dict(zip((keys[at] for at in changed), new_records))

        edits: dict[int, list[tuple[int, int | None]]] = {}  # stem number -> (doc_id, value or None)
        word_changes = Counter()
        for at, record in zip(changed, new_records):
            old, old_words = self._rows(self.records[at])
            new, new_words = self._rows(record)
            for number, value in new.items():
                if old.get(number) != value:
                    edits.setdefault(number, []).append((at, value))
            for number in old.keys() - new.keys():
                edits.setdefault(number, []).append((at, None))
            word_changes.subtract(old_words)
            word_changes.update(new_words)
            self.records[at], self.keys[at] = record, keys[at]
        self.totals = tuple(totals)
        self._edit_postings(edits)
        self._edit_words(word_changes)
        if self.doc_shards is not None:
            kinds = {kind: number for number, kind in enumerate(kind_labels)}
            for start in sorted({at - at % DOC_SHARD_SIZE for at in changed}):
                self.doc_shards[start // DOC_SHARD_SIZE] = self._doc_shard(documents, start, kinds)
        self._edit_facets(documents, changed, kind_labels)
        return None

    def _edit_postings(self, edits: dict[int, list[tuple[int, int | None]]]) -> None:
        bounds = [shard.first for shard in self.shards]
        by_shard: dict[int, list[tuple[str, list]]] = {}
        for number, changes in edits.items():
            stem_ = self.stems.items[number]
            by_shard.setdefault(max(0, bisect_right(bounds, stem_) - 1), []).append((stem_, changes))
        parts: list = list(self.shards)
        for index, stem_edits in by_shard.items():
            stems, postings = self.shards[index].stems_and_postings()
            for stem_, changes in stem_edits:
                at = bisect_left(stems, stem_)
                if at < len(stems) and stems[at] == stem_:
                    posting = _edit_posting(postings[at], changes)
                    if posting:
                        postings[at] = posting
                    else:
                        del stems[at], postings[at]
                else:
                    posting = _edit_posting("", changes)
                    if posting:
                        stems.insert(at, stem_)
                        postings.insert(at, posting)
            parts[index] = (stems, postings)
        self.shards = _chunk(parts)

    def _edit_words(self, word_changes: Counter) -> None:
        word_docs, items, word_list = self.word_docs, self.words.items, self.word_list
        added, removed = [], []
        for number, change in word_changes.items():
            if change:
                before = word_docs[number]
                word_docs[number] = before + change
                if not before:
                    added.append(items[number])
                elif before + change == 0:
                    removed.append(items[number])
        if not added and not removed:
            return
        if self.word_codes is None:
            self.word_codes = list(map(_front_entry, ["", *word_list], word_list))
        codes = self.word_codes
        for word in removed:
            at = bisect_left(word_list, word)
            del word_list[at], codes[at]
            if at < len(word_list):
                codes[at] = _front_entry(word_list[at - 1] if at else "", word_list[at])
        for word in added:
            at = bisect_left(word_list, word)
            word_list.insert(at, word)
            codes.insert(at, _front_entry(word_list[at - 1] if at else "", word))
            if at + 1 < len(word_list):
                codes[at + 1] = _front_entry(word, word_list[at + 1])
        self.packed_words = "".join(codes)

    def _edit_facets(self, documents, changed: list[int], kind_labels) -> None:
        touched = set()
        for at in changed:
            old = {(name, pair) for name, by_pair in self.facet_ids.items() for pair, ids in by_pair.items()
                   if (found := bisect_left(ids, at)) < len(ids) and ids[found] == at}
            new = set(_facet_memberships(_facet_pairs(documents[at], kind_labels)))
            for name, pair in old - new:
                ids = self.facet_ids[name][pair]
                del ids[bisect_left(ids, at)]
            for name, pair in new - old:
                insort(self.facet_ids.setdefault(name, {}).setdefault(pair, []), at)
            touched |= old ^ new
        for name, pair in touched:
            ids = self.facet_ids[name][pair]
            if ids:
                self.facet_codes[name, pair] = _delta_encode(ids)
                continue
            del self.facet_ids[name][pair], self.facet_codes[name, pair]
            if not self.facet_ids[name]:
                del self.facet_ids[name]

    def _compact(self) -> None:
        """Numbers only the words in use (and their stems) and rewrites the records."""
        old_words, old_stems, word_stem = self.words, self.stems, self.word_stem
        words_, stems = _Table(self.word_list), _Table()
        stem_numbers = {}
        for word in words_.items:
            number = word_stem[old_words.ids[word]]
            if number not in stem_numbers:
                stem_numbers[number] = stems.add(old_stems.items[number])
        word_numbers = {old_words.ids[word]: number for number, word in enumerate(words_.items)}
        wide = len(words_.items) > 0xFFFF or len(stems.items) > 0xFFFF
        records = [_encode(lengths, [stem_numbers[number] for number in stem_list], body, extra,
                           [word_numbers[number] for number in word_list], wide)
                   for lengths, stem_list, body, extra, word_list in map(_decode, self.records)]
        self.words, self.stems, self.records, self.word_stem, self.word_docs = (
            words_, stems, records, array("I", (stem_numbers[word_stem[old_words.ids[word]]] for word in words_.items)),
            array("I", (self.word_docs[old_words.ids[word]] for word in words_.items)))

    # --- files

    def _doc_shard(self, documents, start: int, kinds: dict[str, int]) -> tuple[str, bytes]:
        rows = [[document.url, kinds[document.kind], document.title, document.summary]
                for document in documents[start : start + DOC_SHARD_SIZE]]
        return _hashed_script(f"d{start // DOC_SHARD_SIZE}", rows)

    def _fold(self, label: str) -> str:
        folded = self.facet_fold.get(label)
        if folded is None:
            folded = self.facet_fold[label] = fold(label)
        return folded

    def _files(self, text, count: int) -> dict[str, bytes]:
        files = {f"{INDEX_DIR}index/{shard.name}.js": shard.content for shard in self.shards}
        files.update((f"{INDEX_DIR}index/{name}.js", content) for name, content in self.doc_shards)
        facets = []
        for name, label in text["facets"].items():
            by_pair = self.facet_ids.get(name)
            if by_pair:
                pairs = sorted(by_pair, key=lambda pair: (-len(by_pair[pair]), self._fold(pair[1]), pair[1], pair[0]))
                facets.append([name, label, [[slug, value, self.facet_codes[name, (slug, value)]]
                                             for slug, value in pairs]])
        manifest = {
            "version": FORMAT_VERSION,
            "count": count,
            "kinds": [[kind, label] for kind, label in text["kinds"].items()],
            "words": self.packed_words,
            "bounds": [shard.first for shard in self.shards],
            "terms": [shard.name for shard in self.shards],
            "docs": [name for name, _ in self.doc_shards],
            "docShardSize": DOC_SHARD_SIZE,
            "facets": facets,
            "text": {key: text["js"][key] for key in JS_TEXT_KEYS},
        }
        files[f"{INDEX_DIR}index.js"] = _script("index", manifest)
        return files


def build_search_files(documents: list[SearchDocument], text: Mapping[str, Any],
                       cache: SearchCache | None = None, edited: list[int] | None = None) -> dict[str, bytes]:
    """All files of the search index, keyed by output-relative path.

    `text` is the `search` section of templates/strings.nl.yaml: `kinds` (kind -> label, the
    result badges), `facets` (facet name -> legend, in the order of the filters) and `js` (the
    sentences of search.js, JS_TEXT_KEYS). They travel in the manifest, which every page that
    searches loads. Raises ValueError naming the missing keys (see missing_text).

    `cache`, a SearchCache kept by the caller between builds, lets a build after an edit redo
    only what the edit touched. The files are the same with or without it, and the same as
    those of a build from an empty SearchCache. Anything else (such as the dict of earlier
    versions) counts as no cache. `edited`, when given, holds the positions of the only
    documents that may differ from the cache's previous build; the rest are not compared."""
    if not isinstance(cache, SearchCache):
        cache = SearchCache()
    return cache.build(documents, text, edited)

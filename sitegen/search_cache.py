"""Search stage, incremental: the SearchCache, what a rebuild of the index can reuse.

Hands the index files on (SearchCache.build), redoing after an edit only what the edited
documents touch, with the bytes of a build from an empty cache."""

from __future__ import annotations

import hashlib
import json
import pickle
from array import array
from bisect import bisect_left, bisect_right, insort
from collections import Counter, deque
from collections.abc import Mapping
from itertools import chain, repeat
from typing import Any

from .search_encoding import delta_encode, edit_posting, encode_posting, front_code, front_entry
from .search_index import (
    COUNT_CAP,
    DOC_SHARD_SIZE,
    JS_TEXT_KEYS,
    SearchDocument,
    Shard,
    chunk_shards,
    decode_record,
    doc_shard,
    encode_record,
    facet_memberships,
    facet_pairs,
    field_lengths,
    field_texts,
    index_files,
    missing_text,
    rounded_averages,
    score_record,
)
from .search_tokens import fold, is_indexed, stem, words

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
    one `bytes` of what scoring needs (see decode_record). Words and stems are numbered in tables.
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
        self.shards: list[Shard] = []
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
        cap = repeat(COUNT_CAP)
        return encode_record(lengths, stems, bytes(map(min, map(body.get, stems, repeat(0)), cap)),
                             bytes(map(min, chain.from_iterable(extra.values()), cap)), surface, wide)

    def _rows(self, record: bytes) -> tuple[dict[int, int], array]:
        """Stem number -> posting value, with the current averages, and the word numbers."""
        lengths, stems, body, extra, word_numbers = decode_record(record)
        return dict(zip(stems, score_record(lengths, body, extra, self.averages))), word_numbers

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
            self.doc_shards = [doc_shard(documents, start, kinds)
                               for start in range(0, len(documents), DOC_SHARD_SIZE)]
        self.text_key = text_key
        if len(self.words.items) > 2 * len(self.word_list) + COMPACT_SLACK:
            self._compact()
        self.quick = quick
        self.ready = True
        return index_files(text, len(documents), self.shards, self.doc_shards, self.packed_words,
                           self.facet_ids, self.facet_codes, self._fold)

    def _rebuild(self, documents, keys, text, fresh: dict[bytes, bytes]) -> None:
        """Every index file from the records (tokenizing documents without one)."""
        kind_labels = text["kinds"]
        known = dict(zip(self.keys, self.records))
        known.update(fresh)
        records = []
        for document, key in zip(documents, keys):
            record = known.get(key)
            if record is None:
                record = known[key] = self._tokenize(field_texts(document, facet_pairs(document, kind_labels)))
            records.append(record)
        self.keys, self.records = keys, records
        self.totals = tuple(map(sum, zip(*(field_lengths(record) for record in records)))) or (0, 0, 0, 0)
        self.averages = averages = rounded_averages(self.totals, len(records))

        by_stem: list[list[int]] = [[] for _ in self.stems.items]  # stem -> doc_id * 32 + value
        word_docs = Counter()
        for doc_id, record in enumerate(records):
            lengths, stems, body, extra, word_numbers = decode_record(record)
            deque(map(list.append, map(by_stem.__getitem__, stems),
                      map((doc_id << 5).__add__, score_record(lengths, body, extra, averages))), maxlen=0)
            word_docs.update(word_numbers)
        stem_items = self.stems.items
        postings = {stem_items[number]: encode_posting(codes) for number, codes in enumerate(by_stem) if codes}
        ordered = sorted(postings)
        self.shards = chunk_shards([(ordered, [postings[stem_] for stem_ in ordered])]) if ordered else []

        self.word_docs = array("I", map(word_docs.__getitem__, range(len(self.words.items))))
        self.word_list = sorted(word for number, word in enumerate(self.words.items) if self.word_docs[number])
        self.word_codes = None
        self.packed_words = front_code(self.word_list)

        kinds = {kind: number for number, kind in enumerate(kind_labels)}
        self.doc_shards = [doc_shard(documents, start, kinds)
                           for start in range(0, len(documents), DOC_SHARD_SIZE)]

        self.facet_ids = {}
        for doc_id, document in enumerate(documents):
            for name, pair in facet_memberships(facet_pairs(document, kind_labels)):
                self.facet_ids.setdefault(name, {}).setdefault(pair, []).append(doc_id)
        self.facet_codes = {(name, pair): delta_encode(ids)
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
                record = self._tokenize(field_texts(documents[at], facet_pairs(documents[at], kind_labels)))
            new_records.append(record)
            for field_no, (old, new) in enumerate(zip(field_lengths(self.records[at]), field_lengths(record))):
                totals[field_no] += new - old
        if rounded_averages(tuple(totals), len(keys)) != self.averages:
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
                self.doc_shards[start // DOC_SHARD_SIZE] = doc_shard(documents, start, kinds)
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
                    posting = edit_posting(postings[at], changes)
                    if posting:
                        postings[at] = posting
                    else:
                        del stems[at], postings[at]
                else:
                    posting = edit_posting("", changes)
                    if posting:
                        stems.insert(at, stem_)
                        postings.insert(at, posting)
            parts[index] = (stems, postings)
        self.shards = chunk_shards(parts)

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
            self.word_codes = list(map(front_entry, ["", *word_list], word_list))
        codes = self.word_codes
        for word in removed:
            at = bisect_left(word_list, word)
            del word_list[at], codes[at]
            if at < len(word_list):
                codes[at] = front_entry(word_list[at - 1] if at else "", word_list[at])
        for word in added:
            at = bisect_left(word_list, word)
            word_list.insert(at, word)
            codes.insert(at, front_entry(word_list[at - 1] if at else "", word))
            if at + 1 < len(word_list):
                codes[at + 1] = front_entry(word, word_list[at + 1])
        self.packed_words = "".join(codes)

    def _edit_facets(self, documents, changed: list[int], kind_labels) -> None:
        touched = set()
        for at in changed:
            old = {(name, pair) for name, by_pair in self.facet_ids.items() for pair, ids in by_pair.items()
                   if (found := bisect_left(ids, at)) < len(ids) and ids[found] == at}
            new = set(facet_memberships(facet_pairs(documents[at], kind_labels)))
            for name, pair in old - new:
                ids = self.facet_ids[name][pair]
                del ids[bisect_left(ids, at)]
            for name, pair in new - old:
                insort(self.facet_ids.setdefault(name, {}).setdefault(pair, []), at)
            touched |= old ^ new
        for name, pair in touched:
            ids = self.facet_ids[name][pair]
            if ids:
                self.facet_codes[name, pair] = delta_encode(ids)
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
        records = [encode_record(lengths, [stem_numbers[number] for number in stem_list], body, extra,
                                 [word_numbers[number] for number in word_list], wide)
                   for lengths, stem_list, body, extra, word_list in map(decode_record, self.records)]
        self.words, self.stems, self.records, self.word_stem, self.word_docs = (
            words_, stems, records, array("I", (stem_numbers[word_stem[old_words.ids[word]]] for word in words_.items)),
            array("I", (self.word_docs[old_words.ids[word]] for word in words_.items)))

    def _fold(self, label: str) -> str:
        """fold(label), kept for the next build: the manifest sorts facet values by it."""
        folded = self.facet_fold.get(label)
        if folded is None:
            folded = self.facet_fold[label] = fold(label)
        return folded

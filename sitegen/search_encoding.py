"""Search stage, encoding: how numbers, word lists and postings are written in index files.

Hands base-32 varints, front-coded word lists, postings (made and edited in place) and the
`SitegenSearch.receive(...)` script files on to the index; search.js decodes the same."""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_left
from itertools import accumulate, chain, repeat
from operator import add, or_, sub

# Numbers are written as base-32 varints in a string, which is about a third of the size of
# a JSON array of the same numbers, before and after gzip. The low 5 bits of each digit carry
# data; digits from the upper half of the alphabet say "more digits follow".
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


def front_entry(previous: str, word: str) -> str:
    shared = 0
    limit = min(len(word), len(previous), 25)
    while shared < limit and word[shared] == previous[shared]:
        shared += 1
    return chr(65 + shared) + word[shared:]


def front_code(sorted_words: list[str]) -> str:
    """Sorted words as one string: each entry is a capital letter giving how many leading
    characters it shares with the previous word (A=0 .. Z=25), then the rest of the word."""
    return "".join(map(front_entry, ["", *sorted_words], sorted_words))


_FRONT_ENTRY_RE = re.compile("([A-Z])([^A-Z]*)")


def unfront_code(text: str) -> list[str]:
    """Inverse of front_code."""
    result, previous = [], ""
    for shared, rest in _FRONT_ENTRY_RE.findall(text):
        previous = previous[: ord(shared) - 65] + rest
        result.append(previous)
    return result


def delta_encode(sorted_ids: list[int]) -> str:
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


def encode_posting(codes_by_id: list[int]) -> str:
    """A posting from `doc_id * 32 + value` per document, in increasing order."""
    # The gap of entry k is its id minus the previous id minus one; as a code that is
    # x[k] - (x[k-1] | 31) - 1, and the first entry's code is x[0] itself.
    starts = chain((0,), map(add, map(or_, codes_by_id, repeat(31)), repeat(1)))
    return "".join(map(_ENTRY_TEXT.__getitem__, map(sub, codes_by_id, starts)))


_MORE_DIGIT_RE = re.compile("[" + re.escape(_MORE_DIGITS) + "]")
_STEP_OF_DIGIT = bytes.maketrans(_FINAL_DIGITS.encode("ascii"), bytes(range(1, 33)))  # gap digit -> gap + 1


def edit_posting(posting: str, edits: list[tuple[int, int | None]]) -> str:
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


def script(name: str, data) -> bytes:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"SitegenSearch.receive({json.dumps(name)},{payload});\n".encode("utf-8")


def hashed_script(prefix: str, data) -> tuple[str, bytes]:
    """A file named by `prefix` and a digest of its data: unchanged data keeps its name."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    name = f"{prefix}-{hashlib.sha256(payload.encode('utf-8')).hexdigest()[:10]}"
    return name, f'SitegenSearch.receive("{name}",{payload});\n'.encode("utf-8")

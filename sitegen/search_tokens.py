"""Search stage, tokenizer: folding, words, stop words and the Dutch Snowball stem.

Hands `tokenize` (and its steps) on to the index; templates/static/search.js implements
the same steps, and tests/test_search_agreement.py checks that both give identical tokens."""

from __future__ import annotations

import functools
import re
import unicodedata

import snowballstemmer

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

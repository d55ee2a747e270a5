"""Search stage: turns the site's documents into a static, sharded search index.

Hands on the script files templates/static/search.js loads (on any server, sub-path or file://),
through build_search_files over search_tokens, search_encoding, search_index and search_cache."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .search_cache import SearchCache
from .search_encoding import decode_numbers, encode_numbers, front_code
from .search_index import DOC_SHARD_SIZE, INDEX_DIR, JS_TEXT_KEYS, SearchDocument, missing_text
from .search_tokens import STOP_WORDS, fold, stem, tokenize, words

__all__ = [
    "DOC_SHARD_SIZE", "INDEX_DIR", "JS_TEXT_KEYS", "STOP_WORDS", "SearchCache", "SearchDocument",
    "build_search_files", "decode_numbers", "encode_numbers", "fold", "front_code", "missing_text", "stem",
    "tokenize", "words",
]


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

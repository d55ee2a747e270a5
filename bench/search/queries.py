"""The Dutch query set of the search benchmark, with the results each query should find.

Expectations come from the generated content files themselves (names, places, words in
an item's own text), never from either search engine, so the same rules hold for any
size and seed of bench/generate.py. Three kinds of query:

- known item: a reader looks for one enterprise or story by (part of) its name, typed
  exactly, without capitals and diacritics, with a typo, half typed, or with its place.
  Scored by recall in the first 10 results.
- facet words: a category and a place, e.g. "catering breda": every enterprise offering
  that category in that municipality. Scored by recall over all results.
- word forms: a Dutch word in another form than the text uses (plural, singular, without
  diaeresis): every item whose own text has one of the listed forms. Recall over all results.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

TOP = 10


@dataclass(frozen=True)
class Query:
    text: str
    kind: str  # known-item, facet-words, word-forms
    expected: frozenset[str]  # site-relative URLs
    top: int | None  # score recall within the first `top` results, or all when None


@dataclass
class Item:
    url: str
    title: str
    text: str
    municipality: str = ""
    categories: tuple[str, ...] = ()


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).lower()
    return "".join(char for char in text if not unicodedata.combining(char))


def _front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def load_items(content: Path) -> tuple[list[Item], list[Item], dict]:
    """Enterprises and all other items with their own text, plus the vocabulary."""
    vocabulary = yaml.safe_load((content / "vocabulary.yaml").read_text(encoding="utf-8"))
    enterprises = []
    for path in sorted((content / "enterprises").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        offerings = data.get("offerings", [])
        text = " ".join([data["name"], data["summary"], data.get("description", ""),
                         *(offering.get("description", "") for offering in offerings)])
        enterprises.append(Item(f"ondernemers/{path.stem}/", data["name"], text, data["location"]["municipality"],
                                tuple(offering["category"] for offering in offerings)))
    others = []
    for folder, prefix in (("cases", "verhalen/"), ("events", "bijeenkomsten/"), ("tips", "tips/"), ("pages", "")):
        for path in sorted((content / folder).glob("*.md")):
            data, body = _front_matter(path)
            if data.get("draft"):
                continue
            text = " ".join([data["title"], data.get("summary", ""), data.get("what", ""), body])
            others.append(Item(f"{prefix}{path.stem}/", data["title"], text))
    for path in sorted((content / "organisations").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        others.append(Item(f"organisaties/{path.stem}/", data["name"], data["name"]))
    return enterprises, others, vocabulary


def _evenly(items: list, count: int) -> list:
    step = max(1, len(items) // count)
    return items[step // 2 :: step][:count]


def _typo(name: str) -> str:
    """Swap two neighbouring letters in the middle of the longest word."""
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    middle = len(word) // 2
    words[longest] = word[: middle - 1] + word[middle] + word[middle - 1] + word[middle + 1 :]
    return " ".join(words)


def _half_typed(name: str) -> str:
    words = name.split()
    words[-1] = words[-1][: max(4, len(words[-1]) - 3)]
    return " ".join(words)


def known_item_queries(enterprises: list[Item], others: list[Item], vocabulary: dict) -> list[Query]:
    queries = []
    places = {slug: entry["label"] for slug, entry in vocabulary["municipalities"].items()}
    forms = ("exact", "folded", "typo", "half", "place")
    for number, target in enumerate(_evenly(enterprises, 10)):
        form = forms[number % len(forms)]
        same_name = {e.url for e in enterprises if fold(e.title) == fold(target.title)}
        if form == "exact":
            text = target.title
        elif form == "folded":
            text = fold(target.title)
        elif form == "typo":
            text = _typo(target.title)
        elif form == "half":
            text = _half_typed(target.title)
        else:
            text = " ".join(target.title.split()[1:] + [places[target.municipality]])
            same_name = {e.url for e in enterprises if fold(e.title) == fold(target.title)
                         and e.municipality == target.municipality}
        queries.append(Query(text, "known-item", frozenset(same_name), TOP))
    stories = [item for item in others if item.url.startswith("verhalen/")]
    for target in _evenly(stories, 4):
        same_title = {s.url for s in stories if fold(s.title) == fold(target.title)}
        queries.append(Query(re.sub(r"[^\w' -]", "", target.title), "known-item", frozenset(same_title), TOP))
    return queries


def facet_word_queries(enterprises: list[Item], vocabulary: dict, count: int = 6) -> list[Query]:
    pairs: dict[tuple[str, str], set[str]] = {}
    for enterprise in enterprises:
        for category in enterprise.categories:
            pairs.setdefault((category, enterprise.municipality), set()).add(enterprise.url)
    ranked = sorted(pairs.items(), key=lambda item: (-len(item[1]), item[0]))
    chosen = _evenly(ranked, count)
    queries = []
    for (category, municipality), urls in chosen:
        category_word = vocabulary["categories"][category]["label"].split()[0].lower()
        place = vocabulary["municipalities"][municipality]["label"]
        queries.append(Query(f"{category_word} {place}", "facet-words", frozenset(urls), None))
    return queries


# Query, and the word forms that count as a match in an item's own text.
WORD_FORMS = [
    ("werkplek", ["werkplek", "werkplekken"]),
    ("leveranciers", ["leverancier", "leveranciers"]),
    ("statushouder", ["statushouder", "statushouders"]),
    ("lunchlezingen", ["lunchlezing", "lunchlezingen"]),
    ("kerstpakket", ["kerstpakket", "kerstpakketten"]),
    ("ideeen", ["idee", "ideeën", "ideeen"]),
    ("cooperatie", ["coöperatie", "coöperaties", "cooperatie"]),
    ("aanbestedingen", ["aanbesteding", "aanbestedingen"]),
    ("begeleider", ["begeleider", "begeleiders"]),
    ("schoolgebouw", ["schoolgebouw", "schoolgebouwen"]),
    ("drukkerijen", ["drukkerij", "drukkerijen"]),
    ("dienstfiets", ["dienstfiets", "dienstfietsen"]),
    ("vijftigplusser", ["vijftigplusser", "vijftigplussers"]),
    ("medewerker", ["medewerker", "medewerkers"]),
    ("opdrachten", ["opdracht", "opdrachten"]),
    ("gemeentes", ["gemeente", "gemeentes", "gemeenten"]),
]


def word_form_queries(items: list[Item]) -> list[Query]:
    queries = []
    folded_texts = [(item.url, set(re.findall(r"\w+", fold(item.text)))) for item in items]
    for text, forms in WORD_FORMS:
        wanted = {fold(form) for form in forms}
        expected = {url for url, words in folded_texts if words & wanted}
        if expected:
            queries.append(Query(text, "word-forms", frozenset(expected), None))
    return queries


def query_set(content: Path) -> list[Query]:
    enterprises, others, vocabulary = load_items(content)
    queries = (known_item_queries(enterprises, others, vocabulary) + facet_word_queries(enterprises, vocabulary)
               + word_form_queries(enterprises + others))
    if len(queries) < 30:
        raise SystemExit(f"only {len(queries)} queries with expected results; the issue asks for 30")
    return queries

"""Turns the finished `Site` into search documents and the index files for the browser.

Sits between the model and `search.py`, which knows nothing of content types; what feeds
each type's documents is in its registry entry (`registry.SearchFields`). Labels of kinds
and facets come from templates/strings.nl.yaml (see `build_search_files`); the only text
made here is the content's own."""

from __future__ import annotations

from .model import Item, Site
from .registry import CONTENT_TYPES, content_type_of
from .search import SearchDocument


def _pairs(site: Site, lists: str | tuple[str, ...], value) -> list[tuple[str, str]]:
    """(slug, label) of a facet's values that its vocabulary lists hold: a slug or a list
    of slugs in the item's order, or a set of slugs in the order of the lists."""
    lists = (lists,) if isinstance(lists, str) else lists
    if isinstance(value, (set, frozenset)):
        slugs = [slug for list_name in lists for slug in site.vocabulary[list_name] if slug in value]
    else:
        slugs = value if isinstance(value, list) else [value]
    holder = {slug: list_name for list_name in reversed(lists) for slug in site.vocabulary[list_name]}
    return [(slug, site.label(holder[slug], slug)) for slug in slugs if slug in holder]


def search_documents(site: Site) -> list[SearchDocument]:
    """One document per page worth finding, in a fixed order: the registry's, stories first."""
    tip_titles = {tip.number: tip.title for tip in site.tips}
    return [search_document(site, item, tip_titles) for item in searchable_items(site)]


def searchable_items(site: Site) -> list[Item]:
    """Every item but pages for editors (`search: false` in a page's front matter)."""
    return [item for content_type in CONTENT_TYPES.values() for item in getattr(site, content_type.site_list)
            if getattr(item, "search", True) is not False]


def search_document(site: Site, item: Item, tip_titles: dict[int, str]) -> SearchDocument:
    """The search document of one item (a rebuild after a text edit redoes only these)."""
    fields = content_type_of(item).search
    return SearchDocument(
        url=item.url, kind=fields.kind, title=item.title,
        summary=fields.summary(item, site) if fields.summary else item.summary,
        body=fields.body(item, site, tip_titles) if fields.body else item.body_text,
        facets={facet: _pairs(site, lists, values(item, site) if callable(values) else getattr(item, values))
                for facet, lists, values in fields.facets})

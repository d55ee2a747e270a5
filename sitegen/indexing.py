"""Turns the finished `Site` into search documents and the index files for the browser.

Sits between the model and `search.py`, which knows nothing of content types; what feeds
each type's documents is in its registry entry (`registry.SearchFields`). Labels of kinds
and facets come from templates/strings.nl.yaml (see `build_search_files`); the only text
made here is the content's own."""

from __future__ import annotations

from .model import Item, Site
from .registry import CONTENT_TYPES, content_type_of
from .search import SearchDocument


def _pairs(site: Site, list_name: str, value) -> list[tuple[str, str]]:
    """(slug, label) of a facet's values that its vocabulary list holds (a slug or a list)."""
    slugs = value if isinstance(value, list) else [value]
    known = site.vocabulary[list_name]
    return [(slug, site.label(list_name, slug)) for slug in slugs if slug in known]


def search_documents(site: Site) -> list[SearchDocument]:
    """One document per page worth finding, in a fixed order: the registry's, stories first."""
    tip_titles = {tip.number: tip.title for tip in site.tips}
    return [search_document(site, item, tip_titles) for item in searchable_items(site)]


def searchable_items(site: Site) -> list[Item]:
    return [item for content_type in CONTENT_TYPES.values() for item in getattr(site, content_type.site_list)]


def search_document(site: Site, item: Item, tip_titles: dict[int, str]) -> SearchDocument:
    """The search document of one item (a rebuild after a text edit redoes only these)."""
    fields = content_type_of(item).search
    return SearchDocument(
        url=item.url, kind=fields.kind, title=item.title,
        summary=fields.summary(item, site) if fields.summary else item.summary,
        body=fields.body(item, site, tip_titles) if fields.body else item.body_text,
        facets={facet: _pairs(site, list_name, getattr(item, attribute))
                for facet, list_name, attribute in fields.facets})

"""Turns the finished `Site` into search documents and the index files for the browser.

Sits between the model and `search.py`, which knows nothing of content types. Labels of
kinds and facets come from templates/strings.nl.yaml (see `build_search_files`); the only
text made here is the content's own."""

from __future__ import annotations

from .model import Case, Enterprise, Event, Item, Organisation, Procurement, Site, Tip
from .search import SearchDocument


def _pairs(site: Site, list_name: str, slugs) -> list[tuple[str, str]]:
    return [(slug, site.label(list_name, slug)) for slug in slugs if slug]


def _text(*parts: str | None) -> str:
    return " ".join(part for part in parts if part)


def _case_body(case: Case, tip_titles: dict[int, str]) -> str:
    """What a story page shows besides its title and summary: who, what, the quote, the
    impact figures and the tips it illustrates."""
    quote = case.quote or {}
    return _text(
        case.what, case.buyer.name if case.buyer else "", *(e.name for e in case.enterprises),
        quote.get("text"), quote.get("by"),
        *(figure.label for figure in case.impact),
        *(tip_titles.get(number) for number in case.tips),
        case.body_text)


def _enterprise_body(site: Site, enterprise: Enterprise) -> str:
    """Offerings and target groups; recognitions are a facet, whose labels are indexed already."""
    return _text(*(o.description for o in enterprise.offerings),
                 *(site.label("target_groups", group) for group in enterprise.target_groups),
                 enterprise.body_text)


def search_documents(site: Site) -> list[SearchDocument]:
    """One document per page worth finding, in a fixed order: stories, enterprises,
    organisations, purchases, events, tips, pages."""
    tip_titles = {tip.number: tip.title for tip in site.tips}
    return [search_document(site, item, tip_titles) for item in searchable_items(site)]


def searchable_items(site: Site) -> list[Item]:
    return [*site.cases, *site.enterprises, *site.organisations, *site.procurements, *site.events,
            *site.tips, *site.pages]


def search_document(site: Site, item: Item, tip_titles: dict[int, str]) -> SearchDocument:
    """The search document of one item (a rebuild after a text edit redoes only these)."""
    if isinstance(item, Case):
        case = item
        places = list(dict.fromkeys(e.municipality for e in case.enterprises))
        return SearchDocument(
            url=case.url, kind="verhaal", title=case.title, summary=case.summary,
            body=_case_body(case, tip_titles),
            facets={"thema": _pairs(site, "themes", case.themes),
                    "categorie": _pairs(site, "categories", [case.category]),
                    "gemeente": _pairs(site, "municipalities", places),
                    "route": _pairs(site, "routes", [case.route])})
    if isinstance(item, Enterprise):
        enterprise = item
        return SearchDocument(
            url=enterprise.url, kind="ondernemer", title=enterprise.name, summary=enterprise.summary,
            body=_enterprise_body(site, enterprise),
            facets={"thema": _pairs(site, "themes", enterprise.impact),
                    "categorie": _pairs(site, "categories", enterprise.categories),
                    "gemeente": _pairs(site, "municipalities", [enterprise.municipality]),
                    "omvang": _pairs(site, "sizes", [enterprise.size]),
                    "erkenning": _pairs(site, "recognitions", [r.type for r in enterprise.recognitions])})
    if isinstance(item, Organisation):
        organisation = item
        return SearchDocument(
            url=organisation.url, kind="organisatie", title=organisation.name,
            summary=", ".join(label for label in (site.label("organisation_types", organisation.type),
                                                  site.label("regions", organisation.region)) if label),
            body=_text(*(c.title for c in organisation.cases)),
            facets={"type": _pairs(site, "organisation_types", [organisation.type])})
    if isinstance(item, Procurement):
        procurement = item
        area = procurement.area
        return SearchDocument(
            url=procurement.url, kind="inkoop", title=procurement.title,
            summary=procurement.description or (procurement.organisation.name if procurement.organisation else ""),
            body=" ".join([procurement.organisation.name if procurement.organisation else "",
                           *(site.label("opportunities", o) for o in procurement.opportunities)]),
            facets={"categorie": _pairs(site, "categories", [procurement.category]),
                    "gemeente": _pairs(site, "municipalities", [area] if area in site.vocabulary["municipalities"] else [])})
    if isinstance(item, Event):
        event = item
        return SearchDocument(
            url=event.url, kind="bijeenkomst", title=event.title,
            summary=f"{site.label('event_kinds', event.kind)}, {event.start:%d-%m-%Y}",
            body=f"{event.location} {event.organiser} {event.body_text}")
    if isinstance(item, Tip):
        return SearchDocument(url=item.url, kind="tip", title=item.title, summary=item.summary, body=item.body_text)
    return SearchDocument(url=item.url, kind="pagina", title=item.title, summary=item.summary, body=item.body_text)

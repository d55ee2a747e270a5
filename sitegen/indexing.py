"""Turns the finished `Site` into search documents and the index files for the browser.

Sits between the model and `search.py`, which knows nothing of content types."""

from __future__ import annotations

from .model import Site
from .search import SearchDocument


def _pairs(site: Site, list_name: str, slugs) -> list[tuple[str, str]]:
    return [(slug, site.label(list_name, slug)) for slug in slugs if slug]


def search_documents(site: Site) -> list[SearchDocument]:
    documents = []
    for case in site.cases:
        places = list(dict.fromkeys(e.municipality for e in case.enterprises))
        extra = " ".join([case.what, case.buyer.name if case.buyer else "", *(e.name for e in case.enterprises)])
        documents.append(SearchDocument(
            url=case.url, kind="verhaal", title=case.title, summary=case.summary,
            body=f"{extra} {case.body_text}",
            facets={"soort": [("verhaal", "Verhaal")],
                    "thema": _pairs(site, "themes", case.themes),
                    "categorie": _pairs(site, "categories", [case.category]),
                    "gemeente": _pairs(site, "municipalities", places),
                    "route": _pairs(site, "routes", [case.route])}))
    for enterprise in site.enterprises:
        offers = " ".join(o.description for o in enterprise.offerings)
        documents.append(SearchDocument(
            url=enterprise.url, kind="ondernemer", title=enterprise.name, summary=enterprise.summary,
            body=f"{offers} {enterprise.body_text}",
            facets={"soort": [("ondernemer", "Ondernemer")],
                    "thema": _pairs(site, "themes", enterprise.impact),
                    "categorie": _pairs(site, "categories", enterprise.categories),
                    "gemeente": _pairs(site, "municipalities", [enterprise.municipality]),
                    "omvang": _pairs(site, "sizes", [enterprise.size]),
                    "erkenning": _pairs(site, "recognitions", [r.type for r in enterprise.recognitions])}))
    for organisation in site.organisations:
        documents.append(SearchDocument(
            url=organisation.url, kind="organisatie", title=organisation.name,
            summary=f"{site.label('organisation_types', organisation.type)} in {site.label('regions', organisation.region) or 'Brabant'}",
            body=" ".join(c.title for c in organisation.cases),
            facets={"soort": [("organisatie", "Organisatie")],
                    "type": _pairs(site, "organisation_types", [organisation.type])}))
    for procurement in site.procurements:
        area = procurement.area
        documents.append(SearchDocument(
            url=procurement.url, kind="inkoop", title=procurement.title,
            summary=procurement.description or (procurement.organisation.name if procurement.organisation else ""),
            body=" ".join([procurement.organisation.name if procurement.organisation else "",
                           *(site.label("opportunities", o) for o in procurement.opportunities)]),
            facets={"soort": [("inkoop", "Geplande inkoop")],
                    "categorie": _pairs(site, "categories", [procurement.category]),
                    "gemeente": _pairs(site, "municipalities", [area] if area in site.vocabulary["municipalities"] else [])}))
    for event in site.events:
        documents.append(SearchDocument(
            url=event.url, kind="bijeenkomst", title=event.title,
            summary=f"{site.label('event_kinds', event.kind)}, {event.start:%d-%m-%Y}",
            body=f"{event.location} {event.organiser} {event.body_text}",
            facets={"soort": [("bijeenkomst", "Bijeenkomst")]}))
    for tip in site.tips:
        documents.append(SearchDocument(url=tip.url, kind="tip", title=tip.title, summary=tip.summary,
                                        body=tip.body_text, facets={"soort": [("tip", "Tip")]}))
    for page in site.pages:
        documents.append(SearchDocument(url=page.url, kind="pagina", title=page.title, summary=page.summary,
                                        body=page.body_text, facets={"soort": [("pagina", "Pagina")]}))
    return documents


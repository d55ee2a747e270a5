"""Stage 3, model: the `Site` that links the items (dataclasses from items.py, one per type).

Resolves every cross-reference and computes taxonomies, related stories, matches between
planned purchases and enterprises, inventories and impact totals before any page renders."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from .config import SiteConfig
# The content dataclasses live in items.py; the stages after this one import them from here.
from .items import (Case, Delivery, Enterprise, Event, ImpactFigure, Item, Offering, Organisation, Page,  # noqa: F401
                    Procurement, Recognition, Supplier, Tip, ValueTotal, YearSpend)
from .load import markdown_field
from .registry import CONTENT_TYPES, RECURRING_PATTERN


# Facets that get listing pages: facet -> (URL folder, vocabulary list)
FACETS = {
    "theme": ("themas", "themes"),
    "category": ("categorieen", "categories"),
    "municipality": ("gemeenten", "municipalities"),
    "region": ("regios", "regions"),
    "route": ("routes", "routes"),
}


@dataclass(eq=False, repr=False)
class Term:
    """One value of a controlled list, with the items that carry it."""

    facet: str
    slug: str
    label: str
    description: str = ""
    url: str = ""
    cases: list["Case"] = field(default_factory=list)
    enterprises: list["Enterprise"] = field(default_factory=list)
    procurements: list["Procurement"] = field(default_factory=list)
    impact: list["ImpactTotal"] = field(default_factory=list)  # themes and routes only
    # municipalities and regions: the enterprises that deliver here but are based elsewhere
    # (`enterprises` holds those based here)
    delivering: list["Enterprise"] = field(default_factory=list)
    # categories: the regions where enterprises offering it deliver, each a page of its own
    crossings: list["Crossing"] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.cases) + len(self.enterprises) + len(self.procurements)

    @property
    def search_row(self) -> tuple[str, str, int]:
        return (self.slug, self.label, self.count)


@dataclass(eq=False, repr=False)
class Crossing:
    """A category in a region: the enterprises offering it that deliver somewhere in the
    region (Delivery.covers), and its open purchases there; one static page each."""

    category: str
    region: str
    url: str
    enterprises: list["Enterprise"] = field(default_factory=list)
    procurements: list["Procurement"] = field(default_factory=list)


@dataclass
class ImpactTotal:
    """A sum of impact figures with one label and unit, traceable to its stories."""

    label: str
    unit: str
    total: float = 0
    sources: list[tuple[Case, ImpactFigure]] = field(default_factory=list)

    @property
    def per_year(self) -> bool:
        """A yearly figure (its unit says so); every other figure counts once."""
        return bool(RECURRING_PATTERN.search(self.unit))

    @property
    def base_unit(self) -> str:
        """The unit without its period ("uren werk" for "uren werk per jaar"), shown beside a period label."""
        return " ".join(RECURRING_PATTERN.sub("", self.unit).split()) or self.unit

    @property
    def reported_by(self) -> list[str]:
        """Who reported the figures (their sources), each once, in the stories' order."""
        sources = ((figure.source or "").strip() for _, figure in self.sources)
        return list(dict.fromkeys(source for source in sources if source))


# Units of an impact figure that count people at work, one job each (compared after strip and lower).
JOB_UNITS = frozenset({"banen", "baan"})


@dataclass
class Headline:
    """The home page's one real total: people at work through the stories' purchases.

    `people_at_work` adds up figures whose unit is a job (JOB_UNITS); other units, such as
    hours, are not converted into people."""

    people_at_work: int = 0
    purchases: int = 0
    stories_with_jobs: int = 0


@dataclass(repr=False)
class Site:
    config: SiteConfig
    vocabulary: dict[str, dict[str, dict[str, Any]]]
    today: dt.date
    enterprises: list[Enterprise] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    procurements: list[Procurement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    tips: list[Tip] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    taxonomies: dict[str, dict[str, Term]] = field(default_factory=dict)
    impact_by_theme: dict[str, list[ImpactTotal]] = field(default_factory=dict)
    impact_by_route: dict[str, list[ImpactTotal]] = field(default_factory=dict)
    impact_overall: list[ImpactTotal] = field(default_factory=list)
    impact_headline: list[ImpactTotal] = field(default_factory=list)  # at most HEADLINE_FIGURES
    value_total: ValueTotal = field(default_factory=ValueTotal)
    headline: Headline = field(default_factory=Headline)
    next_change: dt.date | None = None  # when the output changes without a content change

    def label(self, list_name: str, slug: str | None) -> str:
        if not slug:
            return ""
        entry = self.vocabulary.get(list_name, {}).get(slug)
        return entry["label"] if entry else slug

    def region_of(self, place: str) -> str | None:
        municipality = self.vocabulary["municipalities"].get(place)
        return municipality.get("region") if municipality else (place if place in self.vocabulary["regions"] else None)

    @property
    def upcoming_events(self) -> list[Event]:
        return [event for event in self.events if event.upcoming]

    @property
    def past_events(self) -> list[Event]:
        return [event for event in reversed(self.events) if not event.upcoming]

    @property
    def open_procurements(self) -> list[Procurement]:
        return [p for p in self.procurements if p.open]


def _expected_passed(procurement: Procurement, today: dt.date) -> bool:
    if isinstance(procurement.expected, dt.date):
        return procurement.expected < today
    year, quarter = procurement.expected.split("-Q")
    return (int(year), int(quarter)) < (today.year, (today.month - 1) // 3 + 1)


# ---------------------------------------------------------------- building items

def item_url(kind: str, slug: str) -> str:
    return CONTENT_TYPES[kind].item_url(slug)


def make_item(kind: str, slug: str, source: str, data: dict[str, Any]) -> Item:
    """Turn one validated data dict into its dataclass."""
    content_type = CONTENT_TYPES[kind]
    base = {"slug": slug, "source": source, "url": content_type.item_url(slug), "example": data.get("example", False)}
    renamed = content_type.attributes
    return content_type.model.from_data(base, {renamed.get(key, key): value for key, value in data.items()})


def is_published(item: Item, today: dt.date, include_drafts: bool) -> bool:
    """Drafts of every type, and stories dated after today, only with --drafts."""
    if include_drafts:
        return True
    return not item.draft and (not isinstance(item, Case) or item.date <= today)


# ---------------------------------------------------------------- linking

def link_site(site: Site) -> Site:
    """Resolve references and compute everything derived, in place; returns the site."""
    site.enterprises.sort(key=lambda e: e.name.lower())
    site.cases.sort(key=lambda c: (c.date, c.title), reverse=True)
    site.organisations.sort(key=lambda o: o.name.lower())
    site.procurements.sort(key=lambda p: p.sort_key)
    site.events.sort(key=lambda e: e.start)
    site.tips.sort(key=lambda t: t.number)
    site.pages.sort(key=lambda p: (p.nav if p.nav is not None else 999, p.title))

    enterprises = {e.slug: e for e in site.enterprises}
    organisations = {o.slug: o for o in site.organisations}
    cases = {c.slug: c for c in site.cases}
    tips = {t.number: t for t in site.tips}

    for case in site.cases:
        case.buyer = organisations.get(case.buyer_slug)
        case.enterprises = [enterprises[slug] for slug in case.enterprise_slugs if slug in enterprises]
        for enterprise in case.enterprises:
            enterprise.cases.append(case)
        if case.buyer:
            case.buyer.cases.append(case)
        for number in case.tips:
            if number in tips:
                tips[number].cases.append(case)
    related = related_cases(site.cases)
    for case in site.cases:
        case.related = related[id(case)]

    for event in site.events:
        event.cases = [cases[slug] for slug in event.case_slugs if slug in cases]
        for case in event.cases:
            case.events.append(event)
        event.upcoming = (event.end or event.start).date() >= site.today

    offering: dict[str, list[Enterprise]] = defaultdict(list)  # category -> enterprises, by name
    for enterprise in site.enterprises:
        enterprise.delivery = delivery_of(enterprise, site.vocabulary)
        for category in enterprise.categories:
            offering[category].append(enterprise)
    # Matches depend on a purchase's category and area only, and many purchases share both.
    matching: dict[tuple[str, str | None], list[Enterprise]] = {}
    for procurement in site.procurements:
        procurement.open = not _expected_passed(procurement, site.today)
        procurement.organisation = organisations.get(procurement.organisation_slug)
        procurement.places = places_of(procurement.area, site.vocabulary)
        if procurement.organisation:
            procurement.organisation.procurements.append(procurement)
        where = (procurement.category, procurement.area)
        if where not in matching:
            matching[where] = [e for e in offering[procurement.category] if matches(procurement, e)]
        procurement.matches = list(matching[where])
        for enterprise in procurement.matches:
            enterprise.opportunities.append(procurement)

    for organisation in site.organisations:
        organisation.enterprises = _unique(e for case in organisation.cases for e in case.enterprises)
        organisation.known_value = value_range(case.value for case in organisation.cases)
        organisation.value_total = value_total_of(organisation.cases)
        organisation.suppliers = suppliers_of(organisation, enterprises)
    for enterprise in site.enterprises:
        enterprise.buyers = _unique(case.buyer for case in enterprise.cases if case.buyer)

    site.taxonomies = build_taxonomies(site)
    site.impact_overall = impact_totals(site.cases)
    spelling = {_impact_key(total.sources[0][1]): (total.label, total.unit) for total in site.impact_overall}
    for facet in ("theme", "route"):
        for term in site.taxonomies[facet].values():
            term.impact = impact_totals(term.cases, spelling)
    site.impact_by_theme = {slug: term.impact for slug, term in site.taxonomies["theme"].items()}
    site.impact_by_route = {slug: term.impact for slug, term in site.taxonomies["route"].items()}
    site.headline = headline_of(site.cases)
    site.value_total = value_total_of(site.cases)
    site.impact_headline = headline_figures(site.impact_overall)
    return site


# The social-return route's stories record the value of the obligation they filled, not a
# purchase from the enterprise; ValueTotal keeps the two apart.
SOCIAL_RETURN_ROUTE = "social-return"
# Impact figures the impact page leads with; the value and social return lines come beside them.
HEADLINE_FIGURES = 3


def value_total_of(cases: list[Case]) -> ValueTotal:
    """The stories' value in the one definition of ValueTotal."""
    valued = [case for case in cases if case.value is not None]
    social = [case for case in valued if case.route == SOCIAL_RETURN_ROUTE]
    bought = [case for case in valued if case.route != SOCIAL_RETURN_ROUTE]
    return ValueTotal(purchases=value_range(case.value for case in bought), purchase_count=len(bought),
                      social_return=value_range(case.value for case in social), social_return_count=len(social))


def headline_figures(totals: list[ImpactTotal]) -> list[ImpactTotal]:
    """The impact totals to lead with: the most reported, one per label, none in euro (value
    has its own definition, value_total_of)."""
    chosen: dict[str, ImpactTotal] = {}
    for total in totals:  # already ordered by how many stories report them
        if total.base_unit.lower() not in ("euro", "eur", "€") and total.label.lower() not in chosen:
            chosen[total.label.lower()] = total
    return list(chosen.values())[:HEADLINE_FIGURES]


def headline_of(cases: list[Case]) -> Headline:
    """People at work (figures counted in jobs) and the number of stories they come from."""
    with_jobs = [case for case in cases if any(f.unit.strip().lower() in JOB_UNITS for f in case.impact)]
    people = sum(f.value for case in with_jobs for f in case.impact if f.unit.strip().lower() in JOB_UNITS)
    return Headline(people_at_work=round(people), purchases=len(cases), stories_with_jobs=len(with_jobs))


def suppliers_of(organisation: Organisation, enterprises: dict[str, Enterprise]) -> list[Supplier]:
    """The enterprises in an organisation's `suppliers`, by name, each with its years, newest first."""
    by_slug: dict[str, Supplier] = {}
    for entry in organisation.supplier_entries:
        enterprise = enterprises.get(entry["enterprise"])
        if enterprise:
            supplier = by_slug.setdefault(enterprise.slug, Supplier(enterprise))
            supplier.years.append(YearSpend(entry["year"], entry.get("amount")))
    for supplier in by_slug.values():
        supplier.years.sort(key=lambda spend: -spend.year)
    return sorted(by_slug.values(), key=lambda supplier: supplier.enterprise.name.lower())


def _unique(items) -> list:
    return list(dict.fromkeys(items))


def relatedness(case: Case, other: Case) -> int:
    """How related two stories are: shared enterprises weigh most, then category, then themes."""
    return (3 * len(set(case.enterprise_slugs) & set(other.enterprise_slugs))
            + 2 * (case.category == other.category)
            + len(set(case.themes) & set(other.themes)))


def _features(case: Case) -> dict[tuple[str, str], int]:
    """What `relatedness` compares, each with its weight: the score is the weight of those shared."""
    features = {("enterprise", slug): 3 for slug in case.enterprise_slugs}
    features[("category", case.category)] = 2
    features.update((("theme", theme), 1) for theme in case.themes)
    return features


def _rank(score: int, other: Case) -> tuple:
    return (-score, -other.date.toordinal(), other.title, other.source)


def _tiers(features: dict[tuple[str, str], int]) -> list[list[frozenset]]:
    """The non-empty subsets of a story's features, grouped by weight, heaviest first."""
    by_weight: dict[int, list[frozenset]] = defaultdict(list)
    items = list(features.items())
    for mask in range(1, 1 << len(items)):
        chosen = [items[bit] for bit in range(len(items)) if mask >> bit & 1]
        by_weight[sum(weight for _, weight in chosen)].append(frozenset(key for key, _ in chosen))
    return [by_weight[weight] for weight in sorted(by_weight, reverse=True)]


# A story with more features than this (2**n subsets) is scored against every story that
# shares one of them instead.
_MOST_FEATURES = 10


def related_cases(cases: list[Case], limit: int = 3) -> dict[int, list[Case]]:
    """For each story (by id) the `limit` most related others, best first.

    The same result as scoring every pair, without doing so. A story's score against another
    depends only on which of its features the other shares, so the subsets of its features
    are read heaviest first, each from the list of stories carrying all of it (in rank
    order), until `limit` stories are found that no lighter subset can beat. A list is read
    only until it gives `limit` stories sharing exactly that subset: the ones it skips share
    more and were found before, and there are fewer than `limit` of those, or the search
    would have stopped. So each story costs a bounded number of steps (times the subsets of
    its features), however many stories share a buyer, enterprise or category."""
    order = sorted(cases, key=lambda other: _rank(0, other))
    features = {id(case): _features(case) for case in cases}
    carrying: dict[frozenset, list[Case]] = {}
    for case in order:
        for key in features[id(case)]:
            carrying.setdefault(frozenset([key]), []).append(case)

    def carrying_all(subset: frozenset) -> list[Case]:
        if subset not in carrying:
            rarest = min((carrying[frozenset([key])] for key in subset), key=len)
            carrying[subset] = [other for other in rarest if subset <= features[id(other)].keys()]
        return carrying[subset]

    related: dict[int, list[Case]] = {}
    tiers_of: dict[frozenset, list[list[frozenset]]] = {}
    for case in cases:
        own = features[id(case)]
        if len(own) > _MOST_FEATURES:  # rare, and its subsets too many: score whoever shares one
            sharing = {id(other): other for key in own for other in carrying[frozenset([key])] if other is not case}
            scored = sorted(((_rank(relatedness(case, other), other), other) for other in sharing.values()),
                            key=lambda entry: entry[0])
            related[id(case)] = [other for _, other in scored[:limit]]
            continue
        signature = frozenset(own.items())
        if signature not in tiers_of:
            tiers_of[signature] = _tiers(own)
        found: list[tuple[tuple, Case]] = []
        for tier in tiers_of[signature]:
            if len(found) >= limit:
                break  # every story from here on scores lower than `limit` already found
            for subset in tier:
                score = sum(own[key] for key in subset)
                rest = own.keys() - subset
                picked = 0
                for other in carrying_all(subset):
                    if other is case or not rest.isdisjoint(features[id(other)]):
                        continue  # itself, or one that shares more and scored in an earlier tier
                    found.append((_rank(score, other), other))
                    picked += 1
                    if picked == limit:
                        break
        found.sort(key=lambda entry: entry[0])
        related[id(case)] = [other for _, other in found[:limit]]
    return related


def delivery_of(enterprise: Enterprise, vocabulary: dict) -> Delivery:
    """Where an enterprise delivers: everywhere when its reach is national; otherwise its
    own municipality, the places in its service area and, unless its reach is local,
    the whole region of its own municipality."""
    regions, municipalities = vocabulary["regions"], vocabulary["municipalities"]
    if enterprise.reach == "landelijk":
        return Delivery(nationwide=True, regions=tuple(regions), areas=frozenset(regions) | frozenset(municipalities))
    places = {enterprise.municipality, *enterprise.service_area}
    home_region = municipalities.get(enterprise.municipality, {}).get("region")
    if enterprise.reach != "lokaal" and home_region:
        places.add(home_region)
    whole = tuple(region for region in regions if region in places)
    single = tuple(slug for slug, entry in municipalities.items()
                   if slug in places and entry.get("region") not in whole)
    areas = set(whole) | set(single)
    areas |= {slug for slug, entry in municipalities.items() if entry.get("region") in whole}
    areas |= {municipalities[slug].get("region") for slug in single} - {None}
    return Delivery(regions=whole, municipalities=single, areas=frozenset(areas))


def places_of(area: str | None, vocabulary: dict) -> tuple[str, ...]:
    """The places a purchase is for, as a `werkgebied` filter sees them: a municipality and
    its region, or a region and each of its municipalities; none when it names no area."""
    if not area:
        return ()
    municipalities = vocabulary["municipalities"]
    if area in municipalities:
        region = municipalities[area].get("region")
        return (area, region) if region else (area,)
    return (area, *(slug for slug, entry in municipalities.items() if entry.get("region") == area))


def matches(procurement: Procurement, enterprise: Enterprise) -> bool:
    """Whether an enterprise offers what a purchase asks for, where it is needed: in a
    municipality that means there, or in its whole region; in a region, anywhere in it."""
    if procurement.category not in enterprise.categories:
        return False
    return enterprise.delivery.covers(procurement.area)


def value_range(values) -> tuple[float, float]:
    low = high = 0.0
    for value in values:
        if isinstance(value, dict):
            low, high = low + value["min"], high + value["max"]
        elif value is not None:
            low, high = low + value, high + value
    return (low, high)


def impact_totals(cases: list[Case], spelling: dict[tuple[str, str], tuple[str, str]] | None = None) -> list[ImpactTotal]:
    """Figures with the same label and unit (ignoring case and spaces) added up.

    A total is shown with the spelling most stories use; `spelling` passes the site-wide
    choice on, so a theme's total reads the same as the overall one."""
    totals: dict[tuple[str, str], ImpactTotal] = {}
    for case in sorted(cases, key=lambda c: (c.date, c.title), reverse=True):
        for figure in case.impact:
            key = _impact_key(figure)
            total = totals.setdefault(key, ImpactTotal(figure.label.strip(), figure.unit.strip()))
            total.total += figure.value
            total.sources.append((case, figure))
    for key, total in totals.items():
        if spelling and key in spelling:
            total.label, total.unit = spelling[key]
        else:
            total.label = Counter(f.label.strip() for _, f in total.sources).most_common(1)[0][0]
            total.unit = Counter(f.unit.strip() for _, f in total.sources).most_common(1)[0][0]
    return sorted(totals.values(), key=lambda t: (-len(t.sources), t.label.lower()))


def _impact_key(figure: ImpactFigure) -> tuple[str, str]:
    return (figure.label.strip().lower(), figure.unit.strip().lower())


def build_taxonomies(site: Site) -> dict[str, dict[str, Term]]:
    taxonomies: dict[str, dict[str, Term]] = {}
    for facet, (folder, list_name) in FACETS.items():
        taxonomies[facet] = {
            slug: Term(facet, slug, entry["label"], entry.get("description", ""), f"{folder}/{slug}/")
            for slug, entry in site.vocabulary[list_name].items()
        }
    themes, categories = taxonomies["theme"], taxonomies["category"]
    municipalities, routes = taxonomies["municipality"], taxonomies["route"]
    regions = taxonomies["region"]
    for case in site.cases:
        for theme in case.themes:
            themes[theme].cases.append(case)
        categories[case.category].cases.append(case)
        routes[case.route].cases.append(case)
        for place in _unique(e.municipality for e in case.enterprises):
            municipalities[place].cases.append(case)
        for region in _unique(site.region_of(e.municipality) for e in case.enterprises):
            if region in regions:
                regions[region].cases.append(case)
    for enterprise in site.enterprises:
        for theme in enterprise.impact:
            themes[theme].enterprises.append(enterprise)
        for category in enterprise.categories:
            categories[category].enterprises.append(enterprise)
        municipalities[enterprise.municipality].enterprises.append(enterprise)
        home = site.region_of(enterprise.municipality)
        if home in regions:
            regions[home].enterprises.append(enterprise)
        for area in sorted(enterprise.delivery.areas):
            if area in municipalities and area != enterprise.municipality:
                municipalities[area].delivering.append(enterprise)
            elif area in regions and area != home:
                regions[area].delivering.append(enterprise)
    for procurement in site.procurements:
        categories[procurement.category].procurements.append(procurement)
        if procurement.area in municipalities:
            municipalities[procurement.area].procurements.append(procurement)
        region = site.region_of(procurement.area) if procurement.area else None
        if region in regions:
            regions[region].procurements.append(procurement)
    for category in categories.values():
        category.crossings = crossings_of(category, list(regions), site)
    return taxonomies


def crossings_of(category: Term, regions: list[str], site: Site) -> list[Crossing]:
    """The regions, in vocabulary order, where at least one enterprise offering this
    category delivers, each with those enterprises and the category's open purchases there."""
    crossings = []
    for region in regions:
        enterprises = [e for e in category.enterprises if e.delivery.covers(region)]
        if enterprises:
            procurements = [p for p in category.procurements
                            if p.open and p.area and site.region_of(p.area) == region]
            crossings.append(Crossing(category.slug, region, f"{category.url}{region}/", enterprises, procurements))
    return crossings


def next_change_date(all_cases: list[Case], events: list[Event], today: dt.date) -> dt.date | None:
    """The first day after today on which the same content gives other output."""
    dates = [case.date for case in all_cases if not case.draft and case.date > today]
    dates += [(event.end or event.start).date() + dt.timedelta(days=1) for event in events
              if (event.end or event.start).date() >= today]
    return min(dates) if dates else None


def markdown_body(file, data: dict) -> tuple[str, int]:
    """The Markdown source of an item and the line it starts on."""
    body_field = markdown_field(file.kind)
    return (data.get(body_field, "") if body_field else file.body), file.body_line


def make_site(items, config: SiteConfig, vocabulary: dict, today: dt.date, include_drafts: bool) -> Site:
    """Turn validated items (`schema.ValidItem`s) into the linked `Site`, without drafts and future stories."""
    site = Site(config=config, vocabulary=vocabulary, today=today)
    lists = {name: getattr(site, content_type.site_list) for name, content_type in CONTENT_TYPES.items()}
    all_cases = []
    for entry in items:
        file = entry.file
        item = make_item(file.kind, file.slug, file.rel, entry.data)
        item.digest, item.meta_digest = file.digest, file.meta_digest
        # Markdown source and where it starts, until the markdown stage turns it into HTML.
        item.body_text, item.body_line = markdown_body(file, entry.data)
        if file.kind == "case":
            all_cases.append(item)
        if is_published(item, today, include_drafts):
            lists[file.kind].append(item)
    site.next_change = None if include_drafts else next_change_date(all_cases, site.events, today)
    return link_site(site)


def with_new_bodies(site: Site, items) -> set[str]:
    """Put in the Markdown of each item whose file changed, when nothing but bodies changed:
    the linked model depends on the files without their bodies (link_site reads no body), so
    the rest of it stands. Returns the source files of the items changed."""
    files = {entry.file.rel: entry for entry in items}
    changed = set()
    for item in all_items(site):
        entry = files[item.source]
        if item.digest != entry.file.digest:
            item.digest = entry.file.digest
            item.body_text, item.body_line = markdown_body(entry.file, entry.data)
            changed.add(item.source)
    return changed


def all_items(site: Site) -> list[Item]:
    return [item for content_type in CONTENT_TYPES.values() for item in getattr(site, content_type.site_list)]

"""Stage 3, model: one dataclass per content type, made from its checked data.

`model.py` links these into the `Site`; `registry.py` names the dataclass of each type."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


def derived(default: Any = None, default_factory: Any = None) -> Any:
    """A field that link_site or the Markdown step fills in, rather than the item's own file.

    Rebuilds take every other field of an item whose file is unchanged as unchanged
    (deps.Values); a derived field is compared each time."""
    if default_factory is not None:
        return field(default_factory=default_factory, metadata={"derived": True})
    return field(default=default, metadata={"derived": True})


@dataclass(eq=False)
class Item:
    slug: str
    source: str  # path relative to the source folder
    url: str  # site path without leading slash
    example: bool = False
    draft: bool = False  # never published; shown with --drafts (model.is_published)
    body_html: str = derived("")  # links to other items are resolved in it
    body_text: str = derived("")
    body_line: int = derived(1)  # where the Markdown body starts in the source file
    digest: str = derived("")  # of the source file, which a body edit changes too
    meta_digest: str = ""  # of the source file without its Markdown body (see load.py)

    def __repr__(self) -> str:  # the linked graph is large and cyclic: keep reprs short
        return f"<{type(self).__name__} {self.source}>"

    @property
    def search_row(self) -> tuple[str, str, str]:
        """(title, url, summary) for the browsable lists on the search page."""
        return (getattr(self, "title", "") or getattr(self, "name", ""), self.url, getattr(self, "summary", "") or "")

    @classmethod
    def from_data(cls, base: dict[str, Any], data: dict[str, Any]) -> Item:
        """The item from its checked data, keyed by attribute name by now (a field stored
        under another name is renamed first, see `registry.ContentType.attributes`)."""
        return cls(**base, **pick_fields(data, cls))


@dataclass
class Offering:
    category: str
    description: str


@dataclass
class Recognition:
    type: str
    level: int | None = None
    valid_until: dt.date | None = None


@dataclass(frozen=True)
class Delivery:
    """Where an enterprise delivers: one fact made from its municipality, `service_area`
    and `reach` (model.delivery_of), used by cards, profiles, filters, search and matches."""
    nationwide: bool = False
    regions: tuple[str, ...] = ()  # whole regions, in vocabulary order
    municipalities: tuple[str, ...] = ()  # single municipalities outside those regions
    # every region and municipality slug a `werkgebied` filter matches it by: the places
    # above, the municipalities of its whole regions and the regions of its municipalities
    areas: frozenset[str] = frozenset()

    def covers(self, area: str | None) -> bool:
        """Whether it delivers (somewhere) in this region or municipality."""
        return area is None or self.nationwide or area in self.areas


@dataclass(eq=False, repr=False)
class Enterprise(Item):
    name: str = ""
    kvk: str | None = None
    summary: str = ""
    impact: list[str] = field(default_factory=list)
    offerings: list[Offering] = field(default_factory=list)
    municipality: str = ""
    address: str = ""
    target_groups: list[str] = field(default_factory=list)
    size: str | None = None
    reach: str | None = None
    service_area: list[str] = field(default_factory=list)
    founded: int | None = None
    employees: int | None = None
    target_group_share: float | None = None
    recognitions: list[Recognition] = field(default_factory=list)
    reserved_contract_eligible: str | None = None
    counts_for_social_return: bool | None = None
    website: str | None = None
    email: str | None = None
    phone: str | None = None
    logo: dict | None = None
    checked: dict | None = None
    # filled in by link_site
    cases: list["Case"] = derived(default_factory=list)
    opportunities: list["Procurement"] = derived(default_factory=list)
    buyers: list["Organisation"] = derived(default_factory=list)
    delivery: Delivery = derived(Delivery())

    @property
    def title(self) -> str:
        return self.name

    @property
    def categories(self) -> list[str]:
        return list(dict.fromkeys(offering.category for offering in self.offerings))

    @property
    def recognition_types(self) -> list[str]:
        return [recognition.type for recognition in self.recognitions]

    @classmethod
    def from_data(cls, base: dict[str, Any], data: dict[str, Any]) -> Enterprise:
        location = data["location"]
        return cls(
            **base, **pick_fields(data, cls, skip={"offerings", "recognitions"}),
            municipality=location["municipality"], address=location.get("address", ""),
            offerings=[Offering(**offering) for offering in data["offerings"]],
            recognitions=[Recognition(**recognition) for recognition in data.get("recognitions", [])],
        )


@dataclass
class ImpactFigure:
    label: str
    value: float
    unit: str
    source: str = ""


@dataclass(eq=False, repr=False)
class Case(Item):
    title: str = ""
    date: dt.date = dt.date.min
    summary: str = ""
    buyer_slug: str = ""
    enterprise_slugs: list[str] = field(default_factory=list)
    category: str = ""
    route: str = ""
    what: str = ""
    value: Any = None  # number or {"min": .., "max": ..}
    period: str = ""
    impact: list[ImpactFigure] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    tips: list[int] = field(default_factory=list)
    quote: dict | None = None
    contact: dict | None = None
    confirmed_by_buyer: bool = False
    image: dict | None = None
    aliases: list[str] = field(default_factory=list)
    # filled in by link_site
    buyer: "Organisation | None" = derived(None)
    enterprises: list[Enterprise] = derived(default_factory=list)
    related: list["Case"] = derived(default_factory=list)
    events: list["Event"] = derived(default_factory=list)

    @property
    def places(self) -> list[str]:
        """The municipalities of its enterprises, each once."""
        return list(dict.fromkeys(enterprise.municipality for enterprise in self.enterprises))

    @classmethod
    def from_data(cls, base: dict[str, Any], data: dict[str, Any]) -> Case:
        return cls(**base, **pick_fields(data, cls, skip={"impact"}),
                   impact=[ImpactFigure(**figure) for figure in data.get("impact", [])])


@dataclass
class ValueTotal:
    """What stories were worth, in the one definition every page uses ("waarde").

    `purchases` adds up the contract values (euro, without btw) of stories bought directly
    or through a contractor; a story on the social-return route counts under `social_return`
    instead, as the value of the obligation it filled. Each is (low, high) for ranges."""

    purchases: tuple[float, float] = (0, 0)
    purchase_count: int = 0
    social_return: tuple[float, float] = (0, 0)
    social_return_count: int = 0


@dataclass
class YearSpend:
    year: int
    amount: float | None = None  # only when the organisation chose to show it (--bedragen)


@dataclass
class Supplier:
    """An enterprise an organisation already buys from, as `sitegen inventaris` found it."""

    enterprise: "Enterprise"
    years: list[YearSpend] = field(default_factory=list)  # newest first


@dataclass(eq=False, repr=False)
class Organisation(Item):
    name: str = ""
    type: str = ""
    kvk: str | None = None
    supplier_entries: list[dict] = field(default_factory=list)  # the file's `suppliers`: enterprise slug, year, amount
    region: str | None = None
    website: str | None = None
    mvi_policy: str | None = None
    mvi_manifest: bool | None = None
    procurement_calendar: str | None = None
    contact: dict | None = None
    # the inventory (tip 1), filled in by link_site
    cases: list[Case] = derived(default_factory=list)
    enterprises: list[Enterprise] = derived(default_factory=list)
    procurements: list["Procurement"] = derived(default_factory=list)
    known_value: tuple[float, float] = derived((0, 0))  # (low, high) of the stories' contract values
    value_total: ValueTotal = derived(default_factory=ValueTotal)
    suppliers: list[Supplier] = derived(default_factory=list)  # by name

    @property
    def title(self) -> str:
        return self.name


@dataclass(eq=False, repr=False)
class Procurement(Item):
    title: str = ""
    organisation_slug: str = ""
    category: str = ""
    expected: Any = None  # date or "YYYY-Qn"
    description: str = ""
    procedure: str | None = None
    estimated_value: Any = None
    area: str | None = None
    opportunities: list[str] = field(default_factory=list)
    tender_url: str | None = None
    contact: dict | None = None
    updated: dt.date | None = None
    organisation: Organisation | None = derived(None)
    matches: list[Enterprise] = derived(default_factory=list)
    open: bool = derived(True)  # still to come (its expected date or quarter has not passed)
    # every region and municipality slug a `werkgebied` filter finds it by (model.places_of);
    # empty when it names no area, which a filter on any place finds
    places: tuple[str, ...] = derived(default_factory=tuple)

    @property
    def quarter(self) -> str:
        if isinstance(self.expected, str):
            return self.expected
        return f"{self.expected.year}-Q{(self.expected.month - 1) // 3 + 1}"

    @property
    def sort_key(self) -> tuple:
        return (self.quarter, str(self.expected), self.title)


@dataclass(eq=False, repr=False)
class Event(Item):
    title: str = ""
    kind: str = ""
    start: dt.datetime = dt.datetime.min
    end: dt.datetime | None = None
    location: str = ""
    online_url: str | None = None
    organiser: str = ""
    speakers: list[dict] = field(default_factory=list)
    case_slugs: list[str] = field(default_factory=list)
    registration_url: str | None = None
    accessibility: str = ""
    cases: list[Case] = derived(default_factory=list)
    upcoming: bool = derived(True)


@dataclass(eq=False, repr=False)
class Tip(Item):
    number: int = 0
    title: str = ""
    summary: str = ""
    cases: list[Case] = derived(default_factory=list)


@dataclass(eq=False, repr=False)
class Page(Item):
    title: str = ""
    summary: str = ""
    nav: int | None = None
    search: bool = True  # False: a page for editors, left out of the site's search


# Their public home is model.py, which imports them: template errors name an item's class
# with its module ("'sitegen.model.Case object' has no attribute ..."), as editors have
# always seen it, and the pickled build cache finds the classes there too.
for _cls in (Item, Offering, Recognition, Enterprise, ImpactFigure, Case, YearSpend, Supplier, Organisation, Procurement, Event, Tip,
             Page):
    _cls.__module__ = "sitegen.model"


def pick_fields(data: dict, cls: type, skip: set[str] = frozenset()) -> dict[str, Any]:
    """The values of `data` that `cls` has a field for, but those `make_item` sets itself."""
    names = set(cls.__dataclass_fields__) - {"slug", "source", "url", "example"} - set(skip)
    return {key: value for key, value in data.items() if key in names}

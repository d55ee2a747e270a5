"""The calendar page as built HTML: a table per quarter with caption and headers, each
purchase a row with its anchor and filter facts, and suggestions only from enterprises
that deliver in the purchase's area, each saying where it delivers."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from sites import FIXED_TODAY, FIXTURES, copy_calendar_site, copy_site
from sitegen.build import BuildOptions, build

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: "Node | None"):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def text(self) -> str:
        return " ".join("".join(c if isinstance(c, str) else " " + c.text() + " " for c in self.children).split())

    def raw(self) -> str:
        """The text as written, no-break spaces and all."""
        return "".join(c if isinstance(c, str) else c.raw() for c in self.children).strip()

    def all(self, tag: str, **attrs: str) -> list["Node"]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag and all(child.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items()):
                    found.append(child)
                found += child.all(tag, **attrs)
        return found

    def first(self, tag: str, **attrs: str) -> "Node":
        found = self.all(tag, **attrs)
        assert found, (tag, attrs)
        return found[0]


class Tree(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.root = self.node = Node("#document", {}, None)
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.node)
        self.node.children.append(node)
        if tag not in VOID:
            self.node = node

    def handle_endtag(self, tag):
        node = self.node
        while node.parent is not None and node.tag != tag:
            node = node.parent
        if node.parent is not None:
            self.node = node.parent

    def handle_data(self, data):
        self.node.children.append(data)


def calendar_page(output: Path) -> Node:
    return Tree((output / "kalender" / "index.html").read_text(encoding="utf-8")).root.first("main")


@pytest.fixture(scope="module")
def fixture_calendar(tmp_path_factory) -> Node:
    root = copy_calendar_site(tmp_path_factory.mktemp("calendar"))
    build(BuildOptions(source=root, output=root / "output", today=FIXED_TODAY))
    return calendar_page(root / "output")


@pytest.fixture(scope="module")
def finder_calendar(tmp_path_factory) -> Node:
    root = copy_site(tmp_path_factory.mktemp("finder"), content=FIXTURES / "finder" / "content")
    build(BuildOptions(source=root, output=root / "output", today=FIXED_TODAY))
    return calendar_page(root / "output")


def rows(main: Node) -> dict[str, Node]:
    return {row.attrs["id"]: row for table in main.all("table") for row in table.first("tbody").all("tr")}


def suggestions(row: Node) -> dict[str, str]:
    """Suggested enterprise name -> the words said next to it."""
    cell = row.first("td", data_label="Passende sociale ondernemers")
    return {item.first("a").text(): item.first("span").text() for item in cell.all("li")}


def test_each_quarter_is_a_table_with_a_caption_and_column_headers(fixture_calendar):
    sections = [s for s in fixture_calendar.all("section") if s.attrs.get("data-quarter")]
    assert [s.first("h2").text() for s in sections] == ["2e kwartaal 2027", "3e kwartaal 2027", "4e kwartaal 2027"]
    for section in sections:
        table = section.first("table")
        assert table.first("caption").text() == "Geplande inkopen, " + section.first("h2").text()
        headers = table.first("thead").all("th")
        assert [h.text() for h in headers] == ["Wat", "Wie", "Wanneer", "Geschatte waarde", "Procedure", "Kansen",
                                               "Passende sociale ondernemers"]
        assert {h.attrs.get("scope") for h in headers} == {"col"}
        for row in table.first("tbody").all("tr"):
            # The title is the row's header; each other cell names its column for the
            # narrow layout, where the cells stack.
            assert row.first("th").attrs.get("scope") == "row"
            assert [td.attrs.get("data-label") for td in row.all("td")] == [h.text() for h in headers[1:]]
    assert [list(rows(s).keys()) for s in sections] == [
        ["catering-west"], ["catering-tilburg", "schoonmaak-roosendaal"], ["post-oss", "groen-overal"]]


def test_a_row_says_what_who_when_value_procedure_and_chances(fixture_calendar):
    row = rows(fixture_calendar)["schoonmaak-roosendaal"]
    title = row.first("th").first("a")
    assert (title.text(), title.attrs["href"]) == ("Schoonmaak van het gemeentehuis", "#schoonmaak-roosendaal")
    assert "Gebied: Roosendaal" in row.first("th").text()
    cells = {td.attrs["data-label"]: td.text() for td in row.all("td")}
    assert cells["Wie"] == "Gemeente Bredastad"
    assert cells["Wanneer"] == "3e kwartaal 2027"
    # An amount does not break after its euro sign.
    assert row.first("td", data_label="Geschatte waarde").raw() == "€\u00a080.000 tot €\u00a0120.000"
    assert cells["Procedure"] == "Nationaal openbaar"
    assert cells["Kansen"] == "Voorbehouden opdracht Social return"
    post = {td.attrs["data-label"]: td.text() for td in rows(fixture_calendar)["post-oss"].all("td")}
    assert post["Wanneer"] == "15 november 2027"
    groen = rows(fixture_calendar)["groen-overal"]
    assert "Geen gebied genoemd" in groen.first("th").text()


def test_rows_carry_what_the_filters_look_at(fixture_calendar):
    facts = {slug: {name: row.attrs[f"data-{name}"] for name in ("categorie", "werkgebied", "kans", "organisatie")}
             for slug, row in rows(fixture_calendar).items()}
    assert facts["catering-west"] == {
        "categorie": "catering", "kans": "perceel", "organisatie": "gemeente-breda-test",
        # a region: the region and each of its municipalities
        "werkgebied": "west-brabant breda roosendaal bergen-op-zoom oosterhout etten-leur"}
    # a municipality: itself and its region
    assert facts["catering-tilburg"]["werkgebied"] == "tilburg midden-brabant"
    assert facts["schoonmaak-roosendaal"]["kans"] == "voorbehouden-opdracht social-return"
    # no area: every place
    assert facts["groen-overal"]["werkgebied"] == "*"


def test_each_purchase_keeps_its_anchor_and_past_ones_stay_listed(fixture_calendar):
    ids = {node.attrs["id"] for tag in ("tr", "li") for node in fixture_calendar.all(tag) if node.attrs.get("id")}
    assert {"catering-west", "catering-tilburg", "schoonmaak-roosendaal", "groen-overal", "post-oss",
            "catering-voorbij"} <= ids
    past = fixture_calendar.first("section", aria_labelledby="past-title")
    assert past.first("li", id="catering-voorbij").first("strong").text() == "Koffie bij de nieuwjaarsreceptie"
    assert "catering-voorbij" not in rows(fixture_calendar)


def test_suggestions_are_enterprises_that_deliver_in_the_area_and_say_where(finder_calendar):
    found = rows(finder_calendar)
    assert suggestions(found["catering-west"]) == {
        "Koeriers Den Bosch": "Gevestigd in 's-Hertogenbosch · Levert in Noordoost-Brabant en Breda",
        "Kookcafe Tilburg": "Gevestigd in Tilburg · Levert in West- en Midden-Brabant",
        "Landelijke Cateraar": "Gevestigd in Eindhoven · Werkt in heel Nederland",
        "Lunchlokaal Breda": "Gevestigd in Breda · Levert in Breda",
    }
    assert "Soepkeuken Oss" not in suggestions(found["catering-west"])
    assert suggestions(found["catering-tilburg"]) == {
        "Kookcafe Tilburg": "Gevestigd in Tilburg · Levert in West- en Midden-Brabant",
        "Landelijke Cateraar": "Gevestigd in Eindhoven · Werkt in heel Nederland",
    }
    assert suggestions(found["schoonmaak-roosendaal"]) == {
        "Schoonmakers Roosendaal": "Gevestigd in Roosendaal · Levert in West-Brabant"}
    links = {a.text(): a.attrs["href"] for a in found["schoonmaak-roosendaal"].first("td", class_="col-matches").all("a")}
    assert links == {"Schoonmakers Roosendaal": "../ondernemers/schoon-roosendaal/"}


def test_a_purchase_without_area_suggests_everyone_who_offers_it(fixture_calendar):
    assert suggestions(rows(fixture_calendar)["groen-overal"]) == {
        "Groenwerk Helmond": "Gevestigd in Helmond · Levert in Eindhoven en Helmond"}
    assert list(suggestions(rows(fixture_calendar)["post-oss"])) == ["Koeriers Den Bosch"]


def test_filters_offer_each_value_with_its_count_and_the_category_pages_without_javascript(fixture_calendar):
    form = fixture_calendar.first("form")
    assert "hidden" in form.attrs  # calendar.js shows it: without JavaScript it could not work

    def options(name):
        return {box.attrs["value"]: item.first("span", class_="finder-count").text()
                for item in form.all("li") for box in item.all("input", name=name) if "hidden" not in item.attrs}

    assert options("categorie") == {"catering": "(2)", "schoonmaak": "(1)", "groenonderhoud": "(1)",
                                    "post-en-logistiek": "(1)"}
    assert options("kans") == {"perceel": "(2)", "voorbehouden-opdracht": "(1)", "social-return": "(2)",
                               "onderaanneming": "(1)"}
    assert options("organisatie") == {"gemeente-breda-test": "(2)", "waterschap-test": "(3)"}
    places = options("werkgebied")
    assert (places["west-brabant"], places["breda"], places["roosendaal"], places["tilburg"], places["oss"],
            places["zuidoost-brabant"], places["eindhoven"]) == ("(3)", "(2)", "(3)", "(2)", "(2)", "(1)", "(1)")
    static = fixture_calendar.first("nav", class_="facet-links finder-static")
    assert {a.text(): a.attrs["href"] for a in static.all("a")} == {
        "Catering (2)": "../categorieen/catering/", "Schoonmaak (1)": "../categorieen/schoonmaak/",
        "Groenonderhoud (1)": "../categorieen/groenonderhoud/", "Post en logistiek (1)": "../categorieen/post-en-logistiek/"}

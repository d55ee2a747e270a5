"""The page plan and data file behind the buyer's finder, on the finder fixture
(tests/fixtures/finder/README.md): which category-in-region and region pages exist, who is
based or delivers in a place, and what the directory's filter data says per enterprise."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sites import FIXED_TODAY, FIXTURES, REPO, copy_site
from sitegen.build import BuildOptions, build
from sitegen.render import plan_pages


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = copy_site(tmp_path_factory.mktemp("finder"), content=FIXTURES / "finder" / "content")
    result = build(BuildOptions(source=root, output=root / "output", today=FIXED_TODAY, use_cache=False))
    return result, root / "output"


def finder_data(output: Path) -> dict:
    text = (output / "ondernemers" / "filters.js").read_text(encoding="utf-8")
    match = re.fullmatch(r'"use strict";\nSitegenFinder\.receive\((.*)\);\n', text, re.DOTALL)
    assert match, text[:200]
    return json.loads(match.group(1))


def test_a_category_in_region_page_exists_where_someone_offering_it_delivers(built):
    result, _ = built
    crossings = sorted(spec.url for spec in plan_pages(result.site) if spec.template == "crossing.html")
    assert crossings == sorted([
        # catering: Landelijke Cateraar delivers everywhere
        "categorieen/catering/west-brabant/", "categorieen/catering/midden-brabant/",
        "categorieen/catering/noordoost-brabant/", "categorieen/catering/zuidoost-brabant/",
        "categorieen/evenementen/west-brabant/", "categorieen/evenementen/midden-brabant/",
        "categorieen/evenementen/noordoost-brabant/", "categorieen/evenementen/zuidoost-brabant/",
        "categorieen/schoonmaak/west-brabant/",  # Roosendaal, regional: its own region only
        "categorieen/groenonderhoud/zuidoost-brabant/",  # Helmond and Eindhoven
        "categorieen/post-en-logistiek/noordoost-brabant/",  # 's-Hertogenbosch, and Breda
        "categorieen/post-en-logistiek/west-brabant/",
    ])


def test_cross_pages_list_those_enterprises_and_the_open_purchases_there(built):
    result, _ = built
    crossings = {c.url: c for term in result.site.taxonomies["category"].values() for c in term.crossings}
    west = crossings["categorieen/catering/west-brabant/"]
    assert [e.slug for e in west.enterprises] == ["koerier-den-bosch", "kookcafe-tilburg", "landelijke-cateraar", "lunch-breda"]
    assert [p.slug for p in west.procurements] == ["catering-west"]
    assert [p.slug for p in crossings["categorieen/catering/midden-brabant/"].procurements] == ["catering-tilburg"]
    assert [p.slug for p in crossings["categorieen/schoonmaak/west-brabant/"].procurements] == ["schoonmaak-roosendaal"]


def test_region_pages_and_places_tell_based_here_from_delivering_here(built):
    result, output = built
    paths = {spec.path for spec in plan_pages(result.site)}
    assert {"regios/index.html", "regios/west-brabant/index.html", "regios/zuidoost-brabant/index.html"} <= paths
    regions, municipalities = result.site.taxonomies["region"], result.site.taxonomies["municipality"]
    slugs = lambda items: [e.slug for e in items]  # noqa: E731
    assert slugs(regions["west-brabant"].enterprises) == ["lunch-breda", "schoon-roosendaal"]
    assert slugs(regions["west-brabant"].delivering) == ["koerier-den-bosch", "kookcafe-tilburg", "landelijke-cateraar"]
    assert slugs(municipalities["breda"].enterprises) == ["lunch-breda"]
    assert slugs(municipalities["breda"].delivering) == ["koerier-den-bosch", "kookcafe-tilburg", "landelijke-cateraar",
                                                         "schoon-roosendaal"]
    assert slugs(municipalities["roosendaal"].delivering) == ["kookcafe-tilburg", "landelijke-cateraar"]
    breda = (output / "gemeenten/breda/index.html").read_text(encoding="utf-8")
    assert "Gevestigd in Breda (1)" in breda and "Levert ook in Breda (4)" in breda
    assert 'href="../../regios/west-brabant/"' in breda
    overview = (output / "regios/index.html").read_text(encoding="utf-8")
    assert '<a href="west-brabant/">West-Brabant</a> <span class="count">1 verhaal, 2 ondernemers, 3 leveren er ook' in overview
    assert '<span class="count">1 ondernemer, 1 levert er ook' in overview
    catering = (output / "categorieen/catering/index.html").read_text(encoding="utf-8")
    assert 'href="west-brabant/">Catering in West-Brabant</a> <span class="count">(4)</span>' in catering


def test_new_pages_are_in_the_sitemap_and_the_data_file_is_not(built):
    _, output = built
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert "/categorieen/catering/west-brabant/</loc>" in sitemap
    assert "/regios/west-brabant/</loc>" in sitemap and "/regios/</loc>" in sitemap
    assert "filters.js" not in sitemap


def test_the_data_file_holds_each_enterprise_with_its_card_texts_and_filter_slugs(built):
    _, output = built
    data = finder_data(output)
    assert data["categories"]["post-en-logistiek"] == "Post en logistiek"
    by_name = {e["name"]: e for e in data["enterprises"]}
    assert len(by_name) == 7
    lunch, national, courier = by_name["Lunchlokaal Breda"], by_name["Landelijke Cateraar"], by_name["Koeriers Den Bosch"]
    assert lunch["url"] == "lunch-breda/"
    assert lunch["werkgebied"] == ["breda", "west-brabant"]  # local: its municipality, found by its region
    assert national["werkgebied"] == ["*"]
    assert "breda" in courier["werkgebied"] and "roosendaal" not in courier["werkgebied"]
    assert "roosendaal" in by_name["Kookcafe Tilburg"]["werkgebied"]  # the whole of West-Brabant
    assert courier["meta"] == "Gevestigd in 's-Hertogenbosch"  # plain text, not HTML-escaped
    assert courier["area"] == "Levert in Noordoost-Brabant en Breda"
    assert courier["categorie"] == ["post-en-logistiek", "catering"]
    assert (courier["voorbehouden"], courier["social-return"], courier["omvang"]) == (True, True, "groeiend")
    assert lunch["voorbehouden"] is False and lunch["social-return"] is False
    assert by_name["Kookcafe Tilburg"]["erkenning"] == ["pso"]
    assert national["thema"] == ["inclusieve-arbeidsmarkt"]


def test_with_file_links_the_data_file_links_to_index_files(tmp_path):
    root = copy_site(tmp_path, content=FIXTURES / "finder" / "content")
    build(BuildOptions(source=root, output=root / "output", today=FIXED_TODAY, use_cache=False, file_links=True))
    assert {e["url"] for e in finder_data(root / "output")["enterprises"]} >= {"lunch-breda/index.html"}


def test_the_finder_script_loads_by_script_element_and_never_writes_html():
    script = (REPO / "templates/static/finder.js").read_text(encoding="utf-8")
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "fetch(", "XMLHttpRequest", "document.write"):
        assert forbidden not in script, forbidden
    assert 'createElement("script")' in script


def test_every_filter_option_on_the_sample_site_shows_something(tmp_path):
    """An option the directory offers lists at least one enterprise of the sample site."""
    root = copy_site(tmp_path)
    build(BuildOptions(source=root, output=root / "output", today=FIXED_TODAY, use_cache=False))
    html = (root / "output/ondernemers/index.html").read_text(encoding="utf-8")
    options = re.findall(r'<input type="checkbox" id="[^"]+" name="([^"]+)" value="([^"]+)"', html)
    data = finder_data(root / "output")

    def shows(name, value):
        for e in data["enterprises"]:
            field = e.get(name)
            if field is True and value == "ja" or field == value:
                return True
            if isinstance(field, list) and (value in field or (name == "werkgebied" and field == ["*"])):
                return True
        return False

    assert len(options) > 30
    assert [option for option in options if not shows(*option)] == []
    names = {name for name, _ in options}
    assert names == {"categorie", "werkgebied", "thema", "erkenning", "voorbehouden", "social-return", "omvang"}

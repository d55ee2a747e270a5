"""What the model adds before any page renders: related stories, matches on both sides,
each buyer's inventory, impact totals and the home-page counts.

The whole input is one small inline site written into tmp_path; the expected model is a
golden text below, so a change in ranking or matching shows up as a readable diff."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build
from sitegen.model import Site

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 26)

VOCABULARY = """\
themes:
  werk: {label: Werk}
  groen: {label: Groen}
categories:
  catering: {label: Catering}
  schoonmaak: {label: Schoonmaak}
  drukwerk: {label: Drukwerk}
  groenonderhoud: {label: Groenonderhoud}
routes:
  enkelvoudig: {label: Enkelvoudig onderhands}
  onderaanneming: {label: Onderaanneming}
  voorbehouden: {label: Voorbehouden opdracht}
regions:
  west: {label: West-Brabant}
  midden: {label: Midden-Brabant}
  oost: {label: Oost-Brabant}
municipalities:
  breda: {label: Breda, region: west}
  tilburg: {label: Tilburg, region: midden}
  eindhoven: {label: Eindhoven, region: oost}
target_groups:
  afstand: {label: Afstand tot de arbeidsmarkt}
organisation_types:
  gemeente: {label: Gemeente}
  waterschap: {label: Waterschap}
sizes:
  startup: {label: Startup}
reach:
  lokaal: {label: Lokaal}
  regionaal: {label: Regionaal}
  landelijk: {label: Landelijk}
recognitions:
  pso: {label: PSO}
opportunities:
  perceel: {label: Perceel}
procedures:
  onbekend: {label: Onbekend}
event_kinds:
  lunchlezing: {label: Lunchlezing}
"""

FILES = {
    "site.yaml": """\
        title: Model-etalage
        base_url: https://example.nl/etalage/
        language: nl
        """,
    "vocabulary.yaml": VOCABULARY,
    "organisations/gemeente-west.yaml": "name: Gemeente West\ntype: gemeente\nregion: west\n",
    "organisations/waterschap-oost.yaml": "name: Waterschap Oost\ntype: waterschap\n",
    # Catering in Breda, working in its own region.
    "enterprises/keuken-west.yaml": """\
        name: Keuken West
        summary: Een keuken die koks opleidt.
        impact: [werk]
        offerings: [{category: catering, description: Lunch.}]
        location: {municipality: breda}
        reach: regionaal
        """,
    # Local only: a catering job elsewhere in West-Brabant does not match.
    "enterprises/schoon-tilburg.yaml": """\
        name: Schoon Tilburg
        summary: Schoonmakers met een baan.
        impact: [werk]
        offerings: [{category: schoonmaak, description: Kantoren.}, {category: catering, description: Koffie.}]
        location: {municipality: tilburg}
        reach: lokaal
        """,
    # Nationwide: matches any area.
    "enterprises/drukker-landelijk.yaml": """\
        name: Drukker Landelijk
        summary: Drukwerk door mensen met een beperking.
        impact: [werk]
        offerings: [{category: drukwerk, description: Folders.}]
        location: {municipality: tilburg}
        reach: landelijk
        """,
    # Based in Breda but also working in Midden-Brabant, where Tilburg lies.
    "enterprises/groen-breda.yaml": """\
        name: Groen Breda
        summary: Groenonderhoud met een leerwerkplek.
        impact: [groen]
        offerings: [{category: groenonderhoud, description: Maaien.}]
        location: {municipality: breda}
        service_area: [midden]
        """,
    "cases/a.md": """\
        ---
        title: Verhaal A
        date: 2026-01-10
        summary: Lunch van Keuken West.
        buyer: gemeente-west
        enterprises: [keuken-west]
        category: catering
        route: enkelvoudig
        value: 10000
        themes: [werk]
        tips: [1]
        impact:
          - {label: Werkplekken, value: 2, unit: banen, source: Opgave Keuken West}
          - {label: Voedsel gered, value: 100, unit: kg}
        ---
        Tekst.
        """,
    "cases/b.md": """\
        ---
        title: Verhaal B
        date: 2026-02-10
        summary: Schoonmaak met de keuken als onderaannemer.
        buyer: gemeente-west
        enterprises: [keuken-west, schoon-tilburg]
        category: schoonmaak
        route: onderaanneming
        value: {min: 20000, max: 30000}
        themes: [werk, groen]
        impact:
          - {label: " werkplekken", value: 3, unit: Banen}
        ---
        Tekst.
        """,
    "cases/c.md": """\
        ---
        title: Verhaal C
        date: 2026-03-10
        summary: Drukwerk.
        buyer: waterschap-oost
        enterprises: [drukker-landelijk]
        category: drukwerk
        route: enkelvoudig
        value: 5000
        themes: [groen]
        impact:
          - {label: Werkplekken, value: 1, unit: banen}
          - {label: Werkplekken, value: 5, unit: uren}
        ---
        Tekst.
        """,
    "cases/d.md": """\
        ---
        title: Verhaal D
        date: 2026-04-10
        summary: Groen langs de dijk.
        buyer: waterschap-oost
        enterprises: [groen-breda]
        category: groenonderhoud
        route: voorbehouden
        themes: [werk]
        ---
        Tekst.
        """,
    "cases/g.md": """\
        ---
        title: Verhaal G
        date: 2026-05-01
        summary: Nog meer schoonmaak.
        buyer: gemeente-west
        enterprises: [schoon-tilburg]
        category: schoonmaak
        route: enkelvoudig
        themes: [werk]
        ---
        Tekst.
        """,
    # Unpublished stories must leave no trace in related stories, inventories or totals.
    "cases/concept.md": """\
        ---
        title: Concept
        date: 2026-06-01
        summary: Nog niet af.
        buyer: gemeente-west
        enterprises: [keuken-west]
        category: catering
        route: enkelvoudig
        themes: [werk]
        draft: true
        impact:
          - {label: Werkplekken, value: 100, unit: banen}
        ---
        Tekst.
        """,
    "cases/toekomst.md": """\
        ---
        title: Toekomst
        date: 2027-01-01
        summary: Nog niet gepubliceerd.
        buyer: waterschap-oost
        enterprises: [drukker-landelijk]
        category: drukwerk
        route: enkelvoudig
        value: 99999
        impact:
          - {label: Werkplekken, value: 100, unit: banen}
        ---
        Tekst.
        """,
    "calendar/p1-catering-west.yaml": """\
        title: Catering in het westen
        organisation: gemeente-west
        category: catering
        expected: 2027-Q1
        area: west
        """,
    "calendar/p2-drukwerk-breda.yaml": """\
        title: Drukwerk in Breda
        organisation: waterschap-oost
        category: drukwerk
        expected: 2027-Q2
        area: breda
        """,
    "calendar/p3-groen-tilburg.yaml": """\
        title: Groen in Tilburg
        organisation: gemeente-west
        category: groenonderhoud
        expected: 2027-03-01
        area: tilburg
        """,
    "calendar/p4-catering-overal.yaml": """\
        title: Catering zonder gebied
        organisation: gemeente-west
        category: catering
        expected: 2027-Q3
        """,
    "calendar/p5-schoonmaak-oost.yaml": """\
        title: Schoonmaak in Eindhoven
        organisation: waterschap-oost
        category: schoonmaak
        expected: 2027-Q3
        area: eindhoven
        """,
    # Expected in a quarter that has passed: not counted as coming on the home page.
    "calendar/p0-verlopen.yaml": """\
        title: Al voorbij
        organisation: gemeente-west
        category: catering
        expected: 2026-Q2
        """,
    "tips/1-inventariseer.md": "---\nnumber: 1\ntitle: Inventariseer\nsummary: Kijk wat er al is.\n---\nTekst.\n",
}


def write_site(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    shutil.copytree(REPO / "templates", root / "templates")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("model"), FILES)
    output = root / "output"
    result = build(BuildOptions(source=root, output=output, today=TODAY))
    return result.site, output


def describe(site: Site) -> str:
    """The derived parts of the model as plain text, one fact per line."""
    def slugs(items):
        return ", ".join(item.slug for item in items) or "-"

    def totals(items):
        return "; ".join(f"{t.label.strip()} ({t.unit}) {t.total:g} from {slugs(case for case, _ in t.sources)}"
                         for t in items) or "-"

    lines = ["related"]
    lines += [f"  {case.slug}: {slugs(case.related)}" for case in site.cases]
    lines.append("matches")
    lines += [f"  {p.slug}: {slugs(p.matches)}" for p in site.procurements]
    lines.append("opportunities")
    lines += [f"  {e.slug}: {slugs(e.opportunities)}" for e in site.enterprises]
    lines.append("inventory")
    for o in site.organisations:
        low, high = o.known_value
        lines.append(f"  {o.slug}: cases {slugs(o.cases)} | enterprises {slugs(o.enterprises)}"
                     f" | coming {slugs(o.procurements)} | value {low:g}-{high:g}")
    lines.append("buyers")
    lines += [f"  {e.slug}: {slugs(e.buyers)}" for e in site.enterprises]
    lines.append("totals")
    lines.append(f"  overall: {totals(site.impact_overall)}")
    lines += [f"  theme {slug}: {totals(items)}" for slug, items in site.impact_by_theme.items()]
    lines += [f"  route {slug}: {totals(items)}" for slug, items in site.impact_by_route.items()]
    return "\n".join(lines) + "\n"


GOLDEN = """\
related
  g: b, d, a
  d: g, b, a
  c: b
  b: g, a, d
  a: b, g, d
matches
  p0-verlopen: keuken-west, schoon-tilburg
  p3-groen-tilburg: groen-breda
  p1-catering-west: keuken-west
  p2-drukwerk-breda: drukker-landelijk
  p4-catering-overal: keuken-west, schoon-tilburg
  p5-schoonmaak-oost: -
opportunities
  drukker-landelijk: p2-drukwerk-breda
  groen-breda: p3-groen-tilburg
  keuken-west: p0-verlopen, p1-catering-west, p4-catering-overal
  schoon-tilburg: p0-verlopen, p4-catering-overal
inventory
  gemeente-west: cases g, b, a | enterprises schoon-tilburg, keuken-west | coming p0-verlopen, p3-groen-tilburg, p1-catering-west, p4-catering-overal | value 30000-40000
  waterschap-oost: cases d, c | enterprises groen-breda, drukker-landelijk | coming p2-drukwerk-breda, p5-schoonmaak-oost | value 5000-5000
buyers
  drukker-landelijk: waterschap-oost
  groen-breda: waterschap-oost
  keuken-west: gemeente-west
  schoon-tilburg: gemeente-west
totals
  overall: Werkplekken (banen) 6 from c, b, a; Voedsel gered (kg) 100 from a; Werkplekken (uren) 5 from c
  theme werk: Werkplekken (banen) 5 from b, a; Voedsel gered (kg) 100 from a
  theme groen: Werkplekken (banen) 4 from c, b; Werkplekken (uren) 5 from c
  route enkelvoudig: Werkplekken (banen) 3 from c, a; Voedsel gered (kg) 100 from a; Werkplekken (uren) 5 from c
  route onderaanneming: Werkplekken (banen) 3 from b
  route voorbehouden: -
"""


def test_model_matches_golden_description(built):
    site, _ = built
    assert describe(site) == GOLDEN


def test_related_stories_rank_shared_enterprises_over_category_over_themes(built):
    site, _ = built
    cases = {case.slug: case for case in site.cases}
    # b shares an enterprise (3) and a theme (1) with a; g only a theme (1).
    assert [c.slug for c in cases["a"].related][:2] == ["b", "g"]
    # g shares an enterprise, the category and a theme with b: the strongest link.
    assert cases["b"].related[0].slug == "g"
    # Never the story itself, never more than three.
    assert all(case not in case.related and len(case.related) <= 3 for case in site.cases)


def test_unpublished_stories_leave_no_trace(built):
    site, output = built
    assert {case.slug for case in site.cases} == {"a", "b", "c", "d", "g"}
    keuken = next(e for e in site.enterprises if e.slug == "keuken-west")
    assert [case.slug for case in keuken.cases] == ["b", "a"]
    assert not (output / "verhalen" / "concept").exists()
    assert not (output / "verhalen" / "toekomst").exists()


def test_impact_totals_are_traceable_to_each_figure(built):
    site, _ = built
    jobs = site.impact_overall[0]
    assert (jobs.label, jobs.unit, jobs.total) == ("Werkplekken", "banen", 6)
    assert [(case.slug, figure.value) for case, figure in jobs.sources] == [("c", 1), ("b", 3), ("a", 2)]
    assert sum(figure.value for _, figure in jobs.sources) == jobs.total


def test_pages_show_the_model(built):
    site, output = built
    home = (output / "index.html").read_text(encoding="utf-8")
    # The task entry points count 5 stories and 4 enterprises.
    assert "<span>4 ondernemers, te filteren" in home
    assert "<span>5 verhalen van collega-inkopers</span>" in home
    story = (output / "verhalen" / "a" / "index.html").read_text(encoding="utf-8")
    related = story[story.index('id="related-title"'):]
    assert [related.index(f'href="../{slug}/"') > 0 for slug in ("b", "g", "d")] == [True, True, True]
    assert related.index('href="../b/"') < related.index('href="../g/"') < related.index('href="../d/"')
    profile = (output / "ondernemers" / "keuken-west" / "index.html").read_text(encoding="utf-8")
    chances = profile[profile.index('id="opportunities-title"'):]
    assert "Catering in het westen" in chances and "Catering zonder gebied" in chances
    inventory = (output / "organisaties" / "gemeente-west" / "index.html").read_text(encoding="utf-8")
    assert "€ 30.000 tot € 40.000" in inventory
    impact = (output / "impact" / "index.html").read_text(encoding="utf-8")
    table = impact[impact.index("<table"):impact.index("</table>")]
    for slug in ("a", "b", "c"):
        assert f'href="../verhalen/{slug}/"' in table
    assert '<tfoot><tr><th scope="row">Totaal</th><td class="number" data-label="banen">6</td>' in table
    assert "None" not in table and "Niet genoemd" in table  # a figure without a source says so


def test_passed_purchases_are_no_longer_chances(built):
    _, output = built
    profile = (output / "ondernemers" / "keuken-west" / "index.html").read_text(encoding="utf-8")
    inventory = (output / "organisaties" / "gemeente-west" / "index.html").read_text(encoding="utf-8")
    assert "Al voorbij" not in profile and "Al voorbij" not in inventory
    assert "Catering in het westen" in inventory


def test_totals_use_one_spelling_everywhere(built):
    site, _ = built
    # Story b writes " werkplekken" in "Banen"; the total reads as most stories write it.
    labels = {(t.label, t.unit) for totals in site.impact_by_theme.values() for t in totals}
    assert ("Werkplekken", "banen") in labels and ("werkplekken", "Banen") not in labels

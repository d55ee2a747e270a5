"""Deterministic generator of synthetic sites for the build benchmark.

Writes N Dutch case stories (plus enterprises, organisations, calendar entries, events,
tips and pages) as a sitegen source folder, or the same story texts as a Hugo, Pelican
or MkDocs site, so that run.py can build identical texts with each tool.

    python bench/generate.py --stories 1000 --out /tmp/site --flavour sitegen [--skew]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402  (bench/ is not a package)

REPO = Path(__file__).resolve().parents[1]
FLAVOURS = ("sitegen", "hugo", "pelican", "mkdocs")
DEFAULT_SEED = 2026
CORPORA = ("even", "skewed")
# In the skewed corpus this share of the stories has the same buyer, enterprise and category,
# like one big municipality that buys its catering from one enterprise, story after story.
SKEW_SHARE = 0.8
SKEW_CATEGORY = "catering"
MIN_WORDS = 300
# Links inside story bodies are written as markers and turned into each tool's own link form.
LINK_MARKER = re.compile(r"\[([^\]]+)\]\(@(case|ent)/([a-z0-9-]+)\)")


# ---------------------------------------------------------------- the synthetic world


@dataclass
class Organisation:
    slug: str
    name: str
    type: str
    region: str


@dataclass
class Enterprise:
    slug: str
    name: str
    municipality: str
    categories: list[str]
    themes: list[str]
    target_groups: list[str]


@dataclass
class Story:
    slug: str
    title: str
    date: dt.date
    summary: str
    buyer: Organisation
    enterprises: list[Enterprise]
    category: str
    route: str
    product: str
    front: dict = field(default_factory=dict)
    body: str = ""


@dataclass
class World:
    seed: int
    organisations: list[Organisation]
    enterprises: list[Enterprise]
    stories: list[Story]
    calendar: list[dict]
    events: list[dict]


def rng_for(seed: int, kind: str, index: int) -> random.Random:
    """One independent random stream per item, so items do not shift when counts change."""
    return random.Random(f"{seed}:{kind}:{index}")


def slugify(text: str, max_words: int = 7) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words[:max_words])


def place_name(rng: random.Random) -> str:
    return rng.choice(corpus.PLACE_PARTS_A) + rng.choice(corpus.PLACE_PARTS_B)


def make_organisation(seed: int, index: int) -> Organisation:
    rng = rng_for(seed, "organisation", index)
    org_type, pattern = rng.choice(corpus.ORGANISATION_PATTERNS)
    name = pattern.format(place=place_name(rng))
    return Organisation(f"{slugify(name)}-{index + 1}", name, org_type, rng.choice(list(corpus.REGIONS)))


def make_enterprise(seed: int, index: int) -> Enterprise:
    rng = rng_for(seed, "enterprise", index)
    name = " ".join([rng.choice(corpus.ENTERPRISE_PREFIXES), rng.choice(corpus.ENTERPRISE_ADJECTIVES),
                     rng.choice(corpus.ENTERPRISE_NOUNS)])
    return Enterprise(
        slug=f"{slugify(name)}-{index + 1}",
        name=name,
        municipality=rng.choice(list(corpus.MUNICIPALITIES)),
        categories=rng.sample(list(corpus.CATEGORIES), rng.randint(1, 3)),
        themes=rng.sample(list(corpus.THEMES), rng.randint(1, 2)),
        target_groups=rng.sample(list(corpus.TARGET_GROUPS), rng.randint(1, 2)),
    )


def money(rng: random.Random) -> int | dict:
    low = rng.randrange(2_000, 200_000, 500)
    if rng.random() < 0.2:
        return {"min": low, "max": low + rng.randrange(5_000, 100_000, 5_000)}
    return low


def euro(value: int | dict) -> str:
    def fmt(amount: int) -> str:
        return "€ " + f"{amount:,}".replace(",", ".")
    if isinstance(value, dict):
        return f"{fmt(value['min'])} tot {fmt(value['max'])}"
    return fmt(value)


class Filler:
    """Fills the {slots} of corpus sentences for one story."""

    def __init__(self, rng: random.Random, story: Story):
        self.rng = rng
        enterprise = story.enterprises[0]
        self.fixed = {
            "buyer": story.buyer.name,
            "enterprise": enterprise.name,
            "product": story.product,
            "product_cap": story.product[:1].upper() + story.product[1:],
            "category_lower": corpus.CATEGORIES[story.category][0].lower(),
            "route_phrase": corpus.ROUTE_PHRASES[story.route],
        }

    def __call__(self, template: str) -> str:
        rng = self.rng
        return template.format(
            month=rng.choice(corpus.MONTHS), role=rng.choice(corpus.ROLES),
            group=rng.choice(corpus.TARGET_GROUP_PHRASES), number=rng.randint(2, 14), **self.fixed)


def free_sentence(rng: random.Random, fill: Filler) -> str:
    return fill(f"{rng.choice(corpus.OPENERS)} {rng.choice(corpus.INVERTED_CLAUSES)}.")


def paragraph(rng: random.Random, fill: Filler, pool: list[str], sentences: int) -> str:
    picked = []
    for _ in range(sentences):
        if pool and rng.random() < 0.55:
            picked.append(fill(pool.pop(rng.randrange(len(pool)))))
        else:
            picked.append(free_sentence(rng, fill))
    return " ".join(picked)


def story_body(rng: random.Random, story: Story, other: Story, target_words: int) -> str:
    fill = Filler(rng, story)
    sections = list(corpus.SECTION_SENTENCES)
    budget = target_words // len(sections)
    enterprise = story.enterprises[0]
    blocks: list[str] = []
    for section in sections:
        pool = list(corpus.SECTION_SENTENCES[section])
        blocks.append(f"## {section}")
        words = 0
        listed = False
        while words < budget:
            text = paragraph(rng, fill, pool, rng.randint(3, 5))
            if words == 0 and section == "Aanleiding":
                text += f" Zo kwam [{enterprise.name}](@ent/{enterprise.slug}) in beeld."
            if words == 0 and section == "Tip voor collega's":
                text += (f" Lees ook het verhaal [{other.title}](@case/{other.slug}), of bekijk "
                         "[de handreiking over maatschappelijk verantwoord inkopen]"
                         "(https://www.example.nl/mvi/handreiking).")
            blocks.append(text)
            words += len(text.split())
            if words < budget and not listed and section in ("Aanpak", "Resultaat"):
                listed = True
                if section == "Aanpak":
                    steps = rng.sample(corpus.STEPS, rng.randint(3, 5))
                    lines = [f"{n}. {step[:1].upper()}{step[1:]}." for n, step in enumerate(steps, 1)]
                else:
                    lines = ["- " + fill(line) for line in rng.sample(corpus.RESULT_LINES, rng.randint(2, 4))]
                blocks.append("\n".join(lines))
                words += sum(len(line.split()) - 1 for line in lines)
            elif words < budget and rng.random() < 0.15:
                heading = rng.choice(["Wat {enterprise} deed", "De rol van de {role}", "In {month}"])
                blocks.append(f"### {fill(heading)}")
    while sum(len(block.split()) for block in blocks) < MIN_WORDS:
        blocks.append(paragraph(rng, fill, [], 4))
    return "\n\n".join(blocks) + "\n"


def story_header(seed: int, index: int, organisations: list[Organisation],
                 enterprises: list[Enterprise], skew: bool = False) -> Story:
    rng = rng_for(seed, "story", index)
    buyer = rng.choice(organisations)
    main = rng.choice(enterprises)
    partners = [main] + ([rng.choice(enterprises)] if rng.random() < 0.2 else [])
    category = rng.choice(main.categories)
    # A separate stream, so the draws above are those of the even corpus.
    if skew and rng_for(seed, "skew", index).random() < SKEW_SHARE:
        buyer, main, category = organisations[0], enterprises[0], SKEW_CATEGORY
        partners = [main, *partners[1:]]
    partners = list({e.slug: e for e in partners}.values())
    product = rng.choice(corpus.CATEGORIES[category][1])
    route = rng.choice(list(corpus.ROUTES))
    fill = {"buyer": buyer.name, "enterprise": main.name, "product": product,
            "product_cap": product[:1].upper() + product[1:], "route_phrase": corpus.ROUTE_PHRASES[route]}
    title = rng.choice(corpus.TITLE_PATTERNS).format(**fill)
    summary = rng.choice(corpus.SUMMARY_PATTERNS).format(
        role=rng.choice(corpus.ROLES), group=rng.choice(corpus.TARGET_GROUP_PHRASES), **fill)
    date = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(0, 2700))
    return Story(f"{slugify(title, 6)}-{index + 1}", title, date, summary, buyer, partners, category, route,
                 product)


def story_front(rng: random.Random, story: Story) -> dict:
    main = story.enterprises[0]
    value = money(rng)
    impact_label, unit = rng.choice(corpus.IMPACT_LABELS)
    person = f"{rng.choice(corpus.PERSON_FIRST)} {rng.choice(corpus.PERSON_LAST)}"
    return {
        "title": story.title,
        "date": story.date,
        "summary": story.summary,
        "buyer": story.buyer.slug,
        "enterprises": [e.slug for e in story.enterprises],
        "category": story.category,
        "route": story.route,
        "what": story.product[:1].upper() + story.product[1:],
        "value": value,
        "period": f"{story.date.year}-{story.date.year + 1}",
        "impact": [{"label": impact_label, "value": rng.randint(2, 400), "unit": unit,
                    "source": "Opgave leverancier"}],
        "themes": main.themes,
        "tips": sorted(rng.sample(range(1, 6), rng.randint(1, 3))),
        "quote": {"text": rng.choice(corpus.QUOTES), "by": f"{person}, {main.name}"},
        "contact": {"role": rng.choice(corpus.ROLES).capitalize(), "email": f"inkoop@{story.buyer.slug}.example.nl"},
        "confirmed_by_buyer": rng.random() < 0.7,
        "example": True,
    }


def build_world(stories: int, seed: int = DEFAULT_SEED, skew: bool = False) -> World:
    """The synthetic site; with `skew`, most stories share one buyer, enterprise and category."""
    organisations = [make_organisation(seed, i) for i in range(max(3, stories // 20))]
    enterprises = [make_enterprise(seed, i) for i in range(max(5, stories // 4))]
    if skew:
        big = enterprises[0]
        big.categories = [SKEW_CATEGORY, *(c for c in big.categories if c != SKEW_CATEGORY)]
    headers = [story_header(seed, i, organisations, enterprises, skew) for i in range(stories)]
    for index, story in enumerate(headers):
        rng = rng_for(seed, "story-body", index)
        story.front = story_front(rng, story)
        other = headers[rng.randrange(stories)] if stories > 1 else story
        # Each section overshoots its budget by about one paragraph; aim low to land in 300-800 words.
        story.body = story_body(rng, story, other, rng.randint(230, 560))
    calendar = [make_calendar_entry(seed, i, organisations) for i in range(max(2, stories // 10))]
    events = [make_event(seed, i, headers) for i in range(max(2, stories // 400))]
    return World(seed, organisations, enterprises, headers, calendar, events)


def make_calendar_entry(seed: int, index: int, organisations: list[Organisation]) -> dict:
    rng = rng_for(seed, "calendar", index)
    org = rng.choice(organisations)
    category = rng.choice(list(corpus.CATEGORIES))
    label = corpus.CATEGORIES[category][0]
    year = rng.choice([2026, 2027, 2028])
    expected = (f"{year}-Q{rng.randint(1, 4)}" if rng.random() < 0.6
                else (dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))).isoformat())
    entry = {
        "title": f"{label} voor {org.name}",
        "organisation": org.slug,
        "category": category,
        "expected": expected,
        "description": (f"{org.name} koopt {rng.choice(corpus.CATEGORIES[category][1])} in. "
                        "Sociale ondernemingen zijn welkom om mee te doen."),
        "procedure": rng.choice(list(corpus.PROCEDURES)),
        "estimated_value": money(rng),
        "area": org.region,
        "opportunities": sorted(rng.sample(list(corpus.OPPORTUNITIES), rng.randint(1, 3))),
        "contact": {"role": "Inkoopadviseur", "email": f"inkoop@{org.slug}.example.nl"},
        "updated": dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(200)),
        "example": True,
    }
    return {"slug": f"{slugify(entry['title'], 6)}-{index + 1}", "data": entry}


def make_event(seed: int, index: int, stories: list[Story]) -> dict:
    rng = rng_for(seed, "event", index)
    kind = rng.choice(list(corpus.EVENT_KINDS))
    day = dt.date(2027, 1, 4) + dt.timedelta(days=rng.randrange(300))
    municipality = rng.choice(list(corpus.MUNICIPALITIES))
    place = corpus.MUNICIPALITIES[municipality][0]
    title = f"{corpus.EVENT_KINDS[kind]} sociaal inkopen in {place}"
    data = {
        "title": title,
        "kind": kind,
        "start": f"{day.isoformat()}T12:00",
        "end": f"{day.isoformat()}T13:30",
        "location": f"Stadskantoor {place}, zaal {rng.randint(1, 6)}",
        "organiser": "Netwerk sociaal inkopen Brabant",
        "speakers": [{"name": f"{rng.choice(corpus.PERSON_FIRST)} {rng.choice(corpus.PERSON_LAST)}",
                      "role": rng.choice(corpus.ROLES)}],
        "cases": [rng.choice(stories).slug],
        "accessibility": "Rolstoeltoegankelijk, ringleiding aanwezig.",
        "example": True,
    }
    body = ("Tijdens deze bijeenkomst vertellen inkopers en sociaal ondernemers over een kleine opdracht "
            "die goed ging. Daarna is er tijd voor vragen en een broodje.\n")
    return {"slug": f"{slugify(title, 6)}-{index + 1}", "data": data, "body": body}


# ---------------------------------------------------------------- writers per flavour


def dump_yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def front_matter(data: dict, body: str) -> str:
    return f"---\n{dump_yaml(data)}---\n\n{body}"


def render_links(body: str, flavour: str) -> str:
    """Turn link markers into the link form of each tool (enterprises have pages only in sitegen)."""
    def replace(match: re.Match) -> str:
        text, kind, slug = match.groups()
        if kind == "ent":
            return f"[{text}](../enterprises/{slug}.yaml)" if flavour == "sitegen" else f"**{text}**"
        target = {"sitegen": f"{slug}.md", "hugo": f"../{slug}/", "pelican": f"{{filename}}/{slug}.md",
                  "mkdocs": f"{slug}.md"}[flavour]
        return f"[{text}]({target})"
    return LINK_MARKER.sub(replace, body)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def vocabulary() -> dict:
    def labelled(items: dict) -> dict:
        return {slug: {"label": label} for slug, label in items.items()}
    return {
        "themes": {slug: {"label": label, "description": description}
                   for slug, (label, description) in corpus.THEMES.items()},
        "categories": {slug: {"label": label} for slug, (label, _) in corpus.CATEGORIES.items()},
        "routes": labelled(corpus.ROUTES),
        "regions": labelled(corpus.REGIONS),
        "municipalities": {slug: {"label": label, "region": region}
                           for slug, (label, region) in corpus.MUNICIPALITIES.items()},
        "target_groups": labelled(corpus.TARGET_GROUPS),
        "organisation_types": labelled(corpus.ORGANISATION_TYPES),
        "sizes": labelled(corpus.SIZES),
        "reach": labelled(corpus.REACH),
        "recognitions": labelled(corpus.RECOGNITIONS),
        "opportunities": labelled(corpus.OPPORTUNITIES),
        "procedures": labelled(corpus.PROCEDURES),
        "event_kinds": labelled(corpus.EVENT_KINDS),
    }


def enterprise_data(seed: int, index: int, enterprise: Enterprise) -> dict:
    rng = rng_for(seed, "enterprise-data", index)
    place = corpus.MUNICIPALITIES[enterprise.municipality][0]
    offerings = [{"category": c, "description": rng.choice(corpus.CATEGORIES[c][1]).capitalize() + "."}
                 for c in enterprise.categories]
    data = {
        "name": enterprise.name,
        "summary": (f"{enterprise.name} geeft werk aan {rng.choice(corpus.TARGET_GROUP_PHRASES)} "
                    f"en levert {corpus.CATEGORIES[enterprise.categories[0]][0].lower()}."),
        "impact": enterprise.themes,
        "offerings": offerings,
        "location": {"municipality": enterprise.municipality,
                     "address": f"{rng.choice(corpus.STREETS)} {rng.randint(1, 120)}, {place}"},
        "description": (f"{enterprise.name} begon als klein initiatief in {place}. "
                        "Medewerkers leren een vak en krijgen begeleiding op maat.\n\n"
                        "- Vaste begeleiders op de werkvloer\n- Opleiding tijdens het werk\n"),
        "target_groups": enterprise.target_groups,
        "size": rng.choice(list(corpus.SIZES)),
        "reach": rng.choice(list(corpus.REACH)),
        "service_area": [corpus.MUNICIPALITIES[enterprise.municipality][1]],
        "founded": rng.randint(1995, 2024),
        "employees": rng.randint(3, 250),
        "target_group_share": rng.randint(30, 95),
        "recognitions": [{"type": rng.choice(list(corpus.RECOGNITIONS)),
                          "valid_until": dt.date(2027, 1, 1) + dt.timedelta(days=rng.randrange(700))}],
        "reserved_contract_eligible": rng.choice(["ja", "nee", "onbekend"]),
        "counts_for_social_return": rng.random() < 0.6,
        "website": f"https://www.{enterprise.slug}.example.nl/",
        "email": f"info@{enterprise.slug}.example.nl",
        "phone": f"0{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        "checked": {"date": dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(200)), "by": "Redactie"},
        "example": True,
    }
    if data["recognitions"][0]["type"] == "pso":
        data["recognitions"][0]["level"] = rng.randint(1, 3)
    return data


def organisation_data(org: Organisation) -> dict:
    return {
        "name": org.name,
        "type": org.type,
        "region": org.region,
        "website": f"https://www.{org.slug}.example.nl/",
        "mvi_policy": f"https://www.{org.slug}.example.nl/mvi-beleid",
        "mvi_manifest": len(org.slug) % 2 == 0,
        "procurement_calendar": f"https://www.{org.slug}.example.nl/inkoopkalender",
        "contact": {"role": "Inkoopadviseur", "email": f"inkoop@{org.slug}.example.nl"},
        "example": True,
    }


def write_sitegen(world: World, out: Path, templates: Path = REPO / "templates") -> None:
    content = out / "content"
    write(content / "site.yaml", dump_yaml({
        "title": "Sociaal inkopen Brabant (benchmark)",
        "base_url": "https://example.nl/",
        "language": "nl",
        "description": "Synthetische verhalen over sociaal inkopen, gemaakt voor de benchmark.",
        "region": "Brabant",
        "nav": ["verhalen", "ondernemers", "kalender", "bijeenkomsten", "tips", "impact"],
        "features": {"raw_html": False, "noindex": True},
    }))
    write(content / "vocabulary.yaml", dump_yaml(vocabulary()))
    for index, enterprise in enumerate(world.enterprises):
        write(content / "enterprises" / f"{enterprise.slug}.yaml",
              dump_yaml(enterprise_data(world.seed, index, enterprise)))
    for org in world.organisations:
        write(content / "organisations" / f"{org.slug}.yaml", dump_yaml(organisation_data(org)))
    for entry in world.calendar:
        write(content / "calendar" / f"{entry['slug']}.yaml", dump_yaml(entry["data"]))
    for event in world.events:
        write(content / "events" / f"{event['slug']}.md", front_matter(event["data"], event["body"]))
    for number, (slug, title, summary) in enumerate(corpus.TIPS, 1):
        body = (f"{summary} Op deze site staan verhalen die laten zien hoe dat in de praktijk gaat.\n\n"
                "## Zo begin je\n\n- Praat met een collega die het al deed\n- Kies een kleine opdracht\n")
        write(content / "tips" / f"{number}-{slug}.md",
              front_matter({"number": number, "title": title, "summary": summary}, body))
    for order, (slug, title, summary) in enumerate(corpus.PAGES, 1):
        body = f"{summary}\n\n## Meer weten\n\nNeem contact op met de redactie.\n"
        write(content / "pages" / f"{slug}.md",
              front_matter({"title": title, "summary": summary, "nav": order}, body))
    for story in world.stories:
        write(story_file("sitegen", out, story.slug), front_matter(story.front, render_links(story.body, "sitegen")))
    (out / "templates").symlink_to(templates.resolve(), target_is_directory=True)


HUGO_CONFIG = """baseURL = "https://example.nl/"
languageCode = "nl"
title = "Sociaal inkopen Brabant (benchmark)"
buildFuture = true
"""

HUGO_BASEOF = """<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title></head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""

HUGO_SINGLE = """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
<p>{{ .Summary }}</p>
{{ .Content }}
</article>
{{ end }}
"""

HUGO_LIST = """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .RegularPagesRecursive }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>
{{ end }}
"""


def write_hugo(world: World, out: Path) -> None:
    write(out / "hugo.toml", HUGO_CONFIG)
    write(out / "layouts" / "baseof.html", HUGO_BASEOF)
    write(out / "layouts" / "single.html", HUGO_SINGLE)
    write(out / "layouts" / "list.html", HUGO_LIST)
    write(out / "content" / "_index.md", front_matter({"title": "Sociaal inkopen Brabant"}, ""))
    write(out / "content" / "verhalen" / "_index.md", front_matter({"title": "Verhalen"}, ""))
    for story in world.stories:
        meta = {"title": story.title, "date": story.date, "summary": story.summary}
        write(story_file("hugo", out, story.slug), front_matter(meta, render_links(story.body, "hugo")))


PELICAN_CONFIG = """AUTHOR = "Redactie"
SITENAME = "Sociaal inkopen Brabant (benchmark)"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/Amsterdam"
DEFAULT_LANG = "nl"
SLUGIFY_SOURCE = "basename"
DEFAULT_PAGINATION = False
"""


def write_pelican(world: World, out: Path) -> None:
    write(out / "pelicanconf.py", PELICAN_CONFIG)
    for story in world.stories:
        meta = (f"Title: {story.title}\nDate: {story.date.isoformat()}\n"
                f"Category: {corpus.CATEGORIES[story.category][0]}\nSummary: {story.summary}\n\n")
        write(story_file("pelican", out, story.slug), meta + render_links(story.body, "pelican"))


def write_mkdocs(world: World, out: Path) -> None:
    write(out / "mkdocs.yml", "site_name: Sociaal inkopen Brabant (benchmark)\nsite_url: https://example.nl/\n")
    listing = "".join(f"- [{story.title}](verhalen/{story.slug}.md)\n" for story in world.stories)
    write(out / "docs" / "index.md", f"# Verhalen\n\n{listing}")
    for story in world.stories:
        text = f"# {story.title}\n\n*{story.summary}*\n\n{render_links(story.body, 'mkdocs')}"
        write(story_file("mkdocs", out, story.slug), text)


WRITERS = {"sitegen": write_sitegen, "hugo": write_hugo, "pelican": write_pelican, "mkdocs": write_mkdocs}


def story_file(flavour: str, out: Path, slug: str) -> Path:
    """Where each flavour keeps the source of one story (run.py edits it for the rebuild test)."""
    return {
        "sitegen": out / "content" / "cases" / f"{slug}.md",
        "hugo": out / "content" / "verhalen" / f"{slug}.md",
        "pelican": out / "content" / f"{slug}.md",
        "mkdocs": out / "docs" / "verhalen" / f"{slug}.md",
    }[flavour]


def generate(stories: int, out: Path, flavour: str = "sitegen", seed: int = DEFAULT_SEED,
             world: World | None = None, templates: Path = REPO / "templates", skew: bool = False) -> World:
    """Write one flavour of the site into out (which must be empty or absent); returns the world.

    A sitegen site gets a symlink to `templates` (by default this repository's)."""
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} is not empty")
    world = world or build_world(stories, seed, skew)
    if flavour == "sitegen":
        write_sitegen(world, out, templates)
    else:
        WRITERS[flavour](world, out)
    return world


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--flavour", choices=FLAVOURS, default="sitegen")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--templates", type=Path, default=REPO / "templates",
                        help="templates folder the sitegen flavour links to (default: this repository's)")
    parser.add_argument("--skew", action="store_true",
                        help=f"give {SKEW_SHARE:.0%} of the stories the same buyer, enterprise and category")
    args = parser.parse_args(argv)
    world = generate(args.stories, args.out, args.flavour, args.seed, templates=args.templates, skew=args.skew)
    words = sum(len(s.body.split()) for s in world.stories)
    print(f"{args.flavour}: {len(world.stories)} stories ({words} words), {len(world.enterprises)} enterprises, "
          f"{len(world.organisations)} organisations, {len(world.calendar)} calendar entries -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What the sample site's pages show for the design issue: the home page's headline and
single search field, the menu's sections, the story's figures band, shared event pages,
the calendar's quarters and one definition of value across pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

from sitegen.model import Case, ImpactFigure, headline_of
from sitegen.registry import headline_advice
from sitegen.build import BuildOptions, build
from sites import FIXED_TODAY, MINI, REPO, copy_site


class Elements(HTMLParser):
    """Start tags with their attributes, and the text inside elements with a given id or class."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def tags(html: str, name: str, **attrs: str) -> list[dict[str, str]]:
    parser = Elements()
    parser.feed(html)
    return [a for tag, a in parser.tags if tag == name and all(
        value in a.get(key.rstrip("_"), "").split() if key.endswith("_") else a.get(key) == value
        for key, value in attrs.items())]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def site_path(page_path: str, href: str) -> str:
    """A page-relative link as a site path ("organisaties/")."""
    return urljoin(f"http://site/{page_path}/", href).removeprefix("http://site/")


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8") if not path.endswith(".html") \
        else (site / path).read_text(encoding="utf-8")


# ---------------------------------------------------------------- home

def test_home_has_one_search_field_and_the_header_leaves_its_own_out(sample_site):
    home = page(sample_site, "")
    assert len(tags(home, "form", role="search")) == 1
    assert len(tags(home, "input", type="search")) == 1
    # Other pages keep the header's search field.
    assert len(tags(page(sample_site, "verhalen"), "input", type="search")) == 1


def test_home_headline_is_a_real_total_from_the_stories(sample_site):
    home = page(sample_site, "")
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", home, re.S).group(1)
    # The sample stories name 9+8+6+4+3+2+2+12 jobs, in 8 of 12 stories.
    assert h1 == "46 mensen aan het werk via 12 kleine inkopen"
    assert "8 van de 12 verhalen" in text(home)


def test_home_offers_the_three_tasks(sample_site):
    tasks = re.search(r'<nav class="tasks".*?</nav>', page(sample_site, ""), re.S).group(0)
    hrefs = [a["href"] for a in tags(tasks, "a")]
    assert hrefs == ["ondernemers/", "verhalen/", "kalender/", "bijeenkomsten/"]


def test_headline_counts_only_figures_in_jobs():
    cases = [Case(slug="a", source="cases/a.md", url="verhalen/a/", impact=[ImpactFigure("Banen", 3, "banen"), ImpactFigure("Uren", 900, "uren werk")]),
             Case(slug="b", source="cases/b.md", url="verhalen/b/", impact=[ImpactFigure("Werkplek", 1, " Baan ")]),
             Case(slug="c", source="cases/c.md", url="verhalen/c/", impact=[ImpactFigure("CO2", 40, "kg CO2")])]
    headline = headline_of(cases)
    assert (headline.people_at_work, headline.purchases, headline.stories_with_jobs) == (4, 3, 2)


def test_newest_wins_on_home_have_a_picture_or_a_neutral_band(sample_site):
    newest = re.search(r'id="newest-title".*?</section>', page(sample_site, ""), re.S).group(0)
    cards = re.findall(r'<article class="card card-case">(.*?)</article>', newest, re.S)
    assert len(cards) == 3
    for card in cards:
        images = tags(card, "img")
        assert images or 'card-picture-none' in card
        for image in images:
            assert image["loading"] == "lazy" and image["width"] and image["height"] and image["alt"]


# ---------------------------------------------------------------- menu

def test_menu_reaches_every_listing_section_and_marks_the_current_one(sample_site):
    for path, current in (("organisaties/gemeente-lindendal", "organisaties/"), ("zoeken", "zoeken/"),
                          ("gemeenten", "gemeenten/"), ("verhalen/koffiepakketten-lindendal", "verhalen/")):
        html = page(sample_site, path)
        menu = re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)
        hrefs = [site_path(path, a["href"]) for a in tags(menu, "a")]
        for section in ("organisaties/", "themas/", "categorieen/", "gemeenten/", "routes/", "verhalen/"):
            assert section in hrefs, (path, section)
        marked = [site_path(path, a["href"]) for a in tags(menu, "a") if "aria-current" in a]
        assert marked == [current], path
    assert 'class="is-current"' in page(sample_site, "organisaties/gemeente-lindendal")


def test_menu_button_controls_the_menu(sample_site):
    html = page(sample_site, "verhalen")
    button = tags(html, "button", class_="menu-button")[0]
    assert button["aria-expanded"] == "false"
    assert tags(html, "nav", id=button["aria-controls"])


# ---------------------------------------------------------------- story page

def test_story_shows_its_result_in_short_under_the_lead(sample_site):
    stories = sorted((sample_site / "verhalen").glob("*/index.html"))
    checked = 0
    for path in stories:
        html = path.read_text(encoding="utf-8")
        if 'class="case"' not in html:
            continue  # an alias redirect or a listing page
        header = re.search(r'<header class="page-header">(.*?)</header>', html, re.S).group(1)
        band = re.search(r'<section class="result-band".*?</section>', header, re.S)
        facts = re.search(r'<aside class="facts".*?</aside>', html, re.S).group(0)
        assert "figure-value" not in facts and "Impact in cijfers" not in facts, path
        # The facts come before the story's text, the band right after the lead.
        assert html.index('<aside class="facts"') < html.index('<div class="prose">'), path
        if band:
            assert header.index('class="lead"') < header.index('class="result-band"')
            assert "Resultaat in het kort" in band.group(0)
            assert 1 <= band.group(0).count("<li>") <= 3
            checked += 1
    assert checked >= 10


def test_a_story_with_more_than_three_figures_shows_the_rest_once_after_the_text(tmp_path):
    root = copy_site(tmp_path / "site", content=MINI / "content")  # the repo's templates
    case = root / "content/cases/soep-op-het-stadhuis.md"
    case.write_text(case.read_text(encoding="utf-8").replace("  - {label: Voedsel gered, value: 800, unit: kg}\n", (
        "  - {label: Voedsel gered, value: 800, unit: kg}\n"
        "  - {label: Uren, value: 1200, unit: uren werk}\n"
        "  - {label: CO2, value: 90, unit: kg CO2 bespaard}\n")), encoding="utf-8")
    build(BuildOptions(source=root, output=root / "output", today=FIXED_TODAY))
    html = page(root / "output", "verhalen/soep-op-het-stadhuis")
    band = re.search(r'<section class="result-band".*?</section>', html, re.S).group(0)
    rest = re.search(r'<section class="case-impact".*?</section>', html, re.S).group(0)
    assert re.findall(r'class="figure-value">([^<]*)<', band) == ["3", "800", "1.200"]
    assert re.findall(r'class="figure-value">([^<]*)<', rest) == ["90"]
    assert "Meer cijfers" in rest


def test_sample_story_titles_are_short_headlines():
    for path in sorted((REPO / "content" / "cases").glob("*.md")):
        title = re.search(r"^title: (.*)$", path.read_text(encoding="utf-8"), re.M).group(1)
        assert headline_advice(title) is None, (path.name, title)


# ---------------------------------------------------------------- one definition of value

def money_lines(html: str, unit: str) -> list[tuple[int, int]]:
    """The (low, high) euro amounts of the lines that name `unit` ("waarde van inkopen")."""
    found = []
    for line in re.findall(r"<li>(.*?)</li>", html, re.S):
        if f"</strong> {unit}" in line or f'class="figure-unit">{unit}<' in line:
            amounts = [int(a.replace(".", "")) for a in re.findall(r"€ ([\d.]+)", line)]
            found.append((amounts[0], amounts[-1]))
    return found


def test_value_and_social_return_agree_on_impact_and_organisation_pages(sample_site):
    impact = page(sample_site, "impact")
    [site_value] = money_lines(impact, "waarde van inkopen")
    [site_social] = money_lines(impact, "social return")
    values, socials = [], []
    for path in sorted((sample_site / "organisaties").glob("*/index.html")):
        html = path.read_text(encoding="utf-8")
        values += money_lines(html, "waarde van inkopen")
        socials += money_lines(html, "social return")
    # Every story has one buyer, so the organisations' lines add up to the site's.
    assert (sum(v[0] for v in values), sum(v[1] for v in values)) == site_value
    assert (sum(v[0] for v in socials), sum(v[1] for v in socials)) == site_social
    # Lindendal's social return is its own line, not inside its value.
    lindendal = page(sample_site, "organisaties/gemeente-lindendal")
    assert money_lines(lindendal, "waarde van inkopen") == [(6800, 6800)]
    assert money_lines(lindendal, "social return") == [(160000, 160000)]
    definition = "Waarde is wat een inkoop kost, in euro zonder btw"
    assert definition in impact and definition in lindendal


def test_impact_page_leads_with_at_most_five_figures_each_with_period_and_source(sample_site):
    impact = page(sample_site, "impact")
    headline = re.search(r'<ul class="impact-headline">(.*?)</ul>', impact, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", headline, re.S)
    assert 1 <= len(items) <= 5
    for item in items:
        assert re.search(r'class="period">(per jaar|eenmalig)<', item), item
        assert "Gemeld door: " in item
    assert "41.300</span> <span class=\"figure-unit\">uren werk</span> <span class=\"period\">per jaar" in headline
    # Bars say who bought from whom; tables are folded away.
    assert "Gemeente Lindendal → Leerwerkbedrijf Springplank Zuid" in impact
    assert impact.count("<table") == impact.count('<details class="table-fold">') + impact.count(
        '<details class="impact-group table-fold">')


# ---------------------------------------------------------------- events

def test_event_page_has_a_share_panel_and_its_own_calendar_file(sample_site):
    for path in sorted((sample_site / "bijeenkomsten").glob("*/index.html")):
        slug = path.parent.name
        html = path.read_text(encoding="utf-8")
        canonical = tags(html, "link", rel="canonical")[0]["href"]
        assert tags(html, "input", id="share-url")[0]["value"] == canonical
        assert '<figure class="share-qr">' in html and "<svg" in html.split('<figure class="share-qr">')[1]
        invitation = re.search(r'<textarea id="share-invitation"[^>]*>(.*?)</textarea>', html, re.S).group(1)
        assert invitation.endswith(canonical)
        [download] = [a for a in tags(html, "a") if "download" in a]
        assert download == {"href": f"{slug}.ics", "download": f"{slug}.ics"}
        assert (path.parent / f"{slug}.ics").exists()
        # Facts and sign-up come before the text.
        assert html.index('<aside class="facts"') < html.index('<div class="prose">')


def test_a_story_invitation_names_its_coming_event(sample_site):
    html = page(sample_site, "verhalen/koffiepakketten-lindendal")
    invitation = re.search(r'<textarea id="share-invitation"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert "Het verhaal komt aan bod bij Lunchlezing: klein beginnen, groot vertellen op 21 januari 2027." in invitation


# ---------------------------------------------------------------- plain words and example notice

def test_fields_read_as_sentences_not_raw_values(sample_site):
    raw = re.compile(r"<dd>(ja|nee|nog niet bekend|Startup|Groeiend|Gevestigd)</dd>")
    pages = [p for folder in ("ondernemers", "verhalen", "organisaties") for p in (sample_site / folder).glob("*/index.html")]
    assert len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert not raw.search(html), (path, raw.search(html).group(0))
        assert "(art. 2.82)</dt>" not in html and "Bevestigd door de inkoper" not in html
    profile = page(sample_site, "ondernemers/budgetcoaches-rustig-rond")
    assert "Een inkoop bij deze onderneming telt niet mee voor social return." in profile
    assert "Een jonge onderneming, net begonnen." in profile


def test_example_items_carry_a_small_label_and_the_site_one_notice(sample_site):
    notice = "Alles met het label Voorbeeld is verzonnen."
    for path in ("", "verhalen/koffiepakketten-lindendal", "ondernemers/budgetcoaches-rustig-rond", "impact"):
        html = page(sample_site, path)
        assert html.count(notice) == 1, path
        assert 'class="note"' not in html or "verzonnen voorbeeld" not in html
    assert 'class="badge badge-example"' in page(sample_site, "verhalen/koffiepakketten-lindendal")


def test_without_a_notice_in_site_yaml_no_notice_shows(tmp_path):
    root = copy_site(tmp_path / "site", content=MINI / "content")
    build(BuildOptions(source=root, output=root / "output", today=FIXED_TODAY))
    assert 'class="site-notice"' not in page(root / "output", "")
    site_yaml = root / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "example_notice: Dit is een proef.\n", encoding="utf-8")
    build(BuildOptions(source=root, output=root / "output", today=FIXED_TODAY))
    assert '<div class="site-notice"><p class="wrap">Dit is een proef.</p></div>' in page(root / "output", "verhalen")


def test_an_event_invitation_reads_as_an_invitation(sample_site):
    html = page(sample_site, "bijeenkomsten/lunchlezing-klein-beginnen")
    invitation = re.search(r'<textarea id="share-invitation"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert invitation.startswith("Kom ook: Lunchlezing: klein beginnen, groot vertellen. "
                                 "Op donderdag 21 januari 2027 om 12:00, Stadskantoor Lindendal")

"""Stage 4, render: the Jinja environment, filters and UI strings, the page plan, the pages.

Plans one `PageSpec` per output page from the finished `Site`, then renders each to bytes,
with what it read (deps.py); template errors come back as problems at the template's line."""

from __future__ import annotations

import datetime as dt
import json
import math
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import jinja2
import yaml
from markupsafe import Markup

from .errors import Problems
from .cards import URL_OPEN, Once, marked_url, resolve_marked
from .deps import Reads, Record, RecordingEnvironment, Values
from .links import EXTERNAL as _EXTERNAL, absolute_linker, page_linker
from .model import FACETS, Site
from .qr import qr_svg
from .registry import CONTENT_TYPES
from .workers import can_fork, fork_map

PAGE_SIZE = 24
FINDER_DATA = "ondernemers/filters.js"
STRINGS_FILE = "strings.nl.yaml"
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


@dataclass
class PageSpec:
    """One page to render: where it goes, which template, and what it shows."""

    path: str  # output path relative to output/, e.g. "verhalen/x/index.html"
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    sources: tuple[str, ...] = ()  # content files this page is about (for messages and caching)

    @property
    def url(self) -> str:
        return self.path.removesuffix("index.html")


@dataclass
class RenderedFile:
    path: str
    content: bytes | None  # None when a sink took the bytes (written straight to disk)
    sources: tuple[str, ...] = ()
    size: int = 0
    written: bool = True  # False when the sink found the same bytes already in place
    reads: Record | None = None  # what the page read while it rendered (deps.py)


# ---------------------------------------------------------------- filters

def format_date(value: Any, style: str = "long") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        year, _, quarter = value.partition("-Q")
        return f"{quarter}e kwartaal {year}" if quarter else value
    if style == "short":
        return f"{value.day} {MONTHS[value.month - 1][:3]} {value.year}"
    text = f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    if style == "weekday":
        text = f"{WEEKDAYS[value.weekday()]} {text}"
    return text


def format_time(value: dt.datetime) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def format_number(value: float, decimals: int = 0) -> str:
    """Dutch notation: 12.500 and 3,5."""
    text = f"{value:,.{decimals}f}" if decimals or value != int(value) else f"{int(value):,}"
    if value != int(value) and not decimals:
        text = f"{value:,.1f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_money(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return f"€ {format_number(value['min'])} tot € {format_number(value['max'])}"
    if isinstance(value, (tuple, list)):
        low, high = value
        return f"€ {format_number(low)}" if low == high else f"€ {format_number(low)} tot € {format_number(high)}"
    return f"€ {format_number(value)}"


def _without_empty(data: Any) -> Any:
    """Structured data without keys whose value is missing, as schema.org validators prefer."""
    if isinstance(data, dict):
        pairs = ((key, _without_empty(value)) for key, value in data.items())
        return {key: value for key, value in pairs if value not in (None, "", [], {})}
    if isinstance(data, (list, tuple)):
        return [_without_empty(value) for value in data]
    return data


def json_ld(data: Any) -> Markup:
    """JSON for a <script type="application/ld+json">, safe inside the element."""
    text = json.dumps(_without_empty(data), ensure_ascii=False, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def join_places(labels: list[str], conjunction: str = "en") -> str:
    """Place names as one Dutch phrase: "Breda, Tilburg en Oss"; when all end in the same
    hyphenated word, they share it as Dutch writes them: "West- en Midden-Brabant"."""
    words = list(labels)
    tails = {name.rpartition("-")[2] for name in words if "-" in name[1:]}
    if len(words) > 1 and len(tails) == 1 and all("-" in name[1:] for name in words):
        words = [name.rpartition("-")[0] + "-" for name in words[:-1]] + words[-1:]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


FILTERS: dict[str, Callable] = {
    "places_nl": join_places,
    "date_nl": format_date,
    "time_nl": format_time,
    "number_nl": format_number,
    "money": format_money,
    "json_ld": json_ld,
    "qr_svg": qr_svg,
}
# `selectattr('places', 'containing', slug)`: the items whose list holds a value.
TESTS: dict[str, Callable] = {
    "containing": lambda values, value: value in values,
}


# ---------------------------------------------------------------- environment

def load_strings(templates: Path, problems: Problems) -> dict[str, Any]:
    path = templates / STRINGS_FILE
    rel = f"templates/{STRINGS_FILE}"
    try:
        text = path.read_text(encoding="utf-8")
        try:
            strings = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.MarkedYAMLError:
            # libyaml words its errors differently (and puts some marks elsewhere): the
            # pure-Python loader, which reads the same YAML, reports the mistake instead.
            strings = yaml.load(text, Loader=yaml.SafeLoader)
    except FileNotFoundError:
        problems.error(rel, 1, 1, "het bestand met teksten van de site ontbreekt")
        return {}
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        problems.error(rel, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, f"ongeldige YAML: {error.problem}")
        return {}
    if not isinstance(strings, dict):
        problems.error(rel, 1, 1, "verwacht sleutel: tekst")
        return {}
    return strings


class Strings(dict):
    """The UI strings as templates see them: `t.share` finds the key as an attribute, without
    the AttributeError Jinja's getattr first meets on a plain dict (some 50 lookups a page)."""

    def __init__(self, strings: dict) -> None:
        super().__init__((key, Strings(value) if isinstance(value, dict) else value) for key, value in strings.items())
        self.__dict__ = self


def make_environment(templates: Path, site: Site, strings: dict[str, Any],
                     reuse: RecordingEnvironment | None = None, bytecode: Path | None = None) -> RecordingEnvironment:
    """The Jinja environment for one build; `reuse` keeps an earlier one's compiled templates
    (the caller passes it only while no template changed), with this build's globals."""
    if reuse is not None:
        reuse.globals.update(site=site, t=Strings(strings), config=site.config, label=site.label, today=site.today)
        # A template imported without context (macros.html) keeps the module Jinja made at its
        # first import, with the globals of that time: it must be made again with these.
        for template in reuse.cache.values() if reuse.cache is not None else ():
            template._module = None
        return reuse
    env = RecordingEnvironment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,  # everything, including .xml and .txt templates
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # A changed template gives a new environment (build.py compares the templates' digest),
        # so Jinja need not check each template's file on every page.
        auto_reload=False,
        # compiled templates on disk between runs; Jinja checks each against its source
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(bytecode)) if bytecode else None,
    )
    env.filters.update(FILTERS)
    env.tests.update(TESTS)
    parts = Once(env)

    @jinja2.pass_context
    def once(context: jinja2.runtime.Context, macro: Callable) -> Callable:
        return parts.wrap(macro, context.name)

    env.globals.update(site=site, t=Strings(strings), config=site.config, facet_folders=FACETS,
                       label=site.label, today=site.today,
                       url=marked_url, once=once, parts=parts)  # pages have their own url(); see marked_url
    return env


def template_problem(error: Exception, templates: Path) -> tuple[str, int, str]:
    """The template file and line an error happened at, from Jinja's own frames."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        name = error.name or error.filename or "?"
        return f"templates/{name}", error.lineno or 1, error.message or str(error)
    root = str(templates.resolve())
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename and str(Path(frame.filename).resolve()).startswith(root):
            rel = Path(frame.filename).resolve().relative_to(root).as_posix()
            return f"templates/{rel}", frame.lineno or 1, _describe(error)
    return "templates", 1, _describe(error)


def _describe(error: Exception) -> str:
    if isinstance(error, jinja2.UndefinedError):
        return f"onbekende variabele: {error.message}"
    return f"{type(error).__name__}: {error}"


Sink = Callable[[str, bytes], bool]  # takes a page's bytes; True when it wrote them


@dataclass
class RenderRun:
    """The pages one run rendered, each with what it read, and the reused cards they showed."""

    files: list[RenderedFile]
    cards: dict[str, Record] = field(default_factory=dict)


def render_pages(specs: list[PageSpec], env: RecordingEnvironment, templates: Path, problems: Problems,
                 values: Values, sink: Sink | None = None) -> RenderRun:
    """Render every page, recording what each read; one broken template is reported once, at its line.

    With a `sink`, each page's bytes go there as soon as they exist instead of being kept,
    so a large site never holds all its pages in memory."""
    rendered: list[RenderedFile] = []
    reported: set[tuple[str, int]] = set()
    site: Site = env.globals["site"]
    parts: Once = env.globals["parts"]
    parts.start(values)  # parts from an earlier run may show an older model
    try:
        for spec in specs:
            env.reads = reads = Reads()
            try:
                template = env.get_template(spec.template)
                context = page_context(spec, site)
                html = template.render(context)
                if URL_OPEN in html:
                    html = resolve_marked(html, context["url"])
            except jinja2.TemplateNotFound as error:
                key = (f"templates/{error.name}", 1)
                if key not in reported:
                    reported.add(key)
                    problems.error(key[0], 1, 1, f"template '{error.name}' niet gevonden")
                continue
            except Exception as error:  # noqa: BLE001 - any template failure becomes a problem
                path, line, message = template_problem(error, templates)
                if (path, line) not in reported:
                    reported.add((path, line))
                    problems.error(path, line, 1, message, f"bij het maken van /{spec.url}")
                continue
            finally:
                env.reads = None
            content = html.encode("utf-8")
            if sink is None:
                rendered.append(RenderedFile(spec.path, content, spec.sources, len(content), reads=env.freeze(reads)))
            elif not problems.errors:  # after a failure nothing more is written; the staging goes
                written = sink(spec.path, content)
                rendered.append(RenderedFile(spec.path, None, spec.sources, len(content), written, env.freeze(reads)))
        return RenderRun(rendered, parts.cards)
    finally:
        parts.clear()  # nor are they worth keeping: serve keeps the environment between builds


PARALLEL_MINIMUM = 300  # below this many pages a second process costs more than it saves


def render_pages_parallel(specs: list[PageSpec], env: RecordingEnvironment, templates: Path, problems: Problems,
                          values: Values, workers: int, sink: Sink | None = None) -> RenderRun:
    """Render across `workers` processes (forked, so they share the finished Site for free)."""
    if workers < 2 or len(specs) < PARALLEL_MINIMUM or not can_fork():
        return render_pages(specs, env, templates, problems, values, sink)
    for name in {spec.template for spec in specs}:
        try:
            env.get_template(name)  # compile once, before the fork, for every worker
        except Exception:  # noqa: BLE001 - reported with its line when the page renders
            pass

    def render(chunk: list[PageSpec]) -> tuple[RenderRun, list]:
        found = Problems(strict=problems.strict)
        return render_pages(chunk, env, templates, found, values, sink), found.items

    run = RenderRun([])
    # Interleaved shares: neighbouring pages (one list, one kind) cost alike.
    for part, found in fork_map(render, [specs[index::workers] for index in range(workers)]):
        run.files += part.files
        run.cards.update(part.cards)
        known = {(p.path, p.line, p.message) for p in problems.items}  # a broken template, once
        problems.extend(p for p in found if (p.path, p.line, p.message) not in known)
    order = {spec.path: index for index, spec in enumerate(specs)}
    run.files.sort(key=lambda file: order[file.path])
    return run


def page_context(spec: PageSpec, site: Site) -> dict[str, Any]:
    page_url = spec.url
    config = site.config

    if spec.path == "404.html":
        def url(path: str) -> str:
            # The 404 page is served at any depth, so it links from the site root.
            return path if "://" in path or ":" in path.split("/")[0] else config.base_path + path.lstrip("/")
    else:
        link = page_linker(page_url, config.file_links)

        def url(path: str) -> str:
            if path.startswith(_EXTERNAL):
                return path if "://" in path or ":" in path.split("/")[0] else config.base_path + path.lstrip("/")
            return link(path)

        url.folders = tuple(page_url.lstrip("/").split("/")[:-1])  # what its links depend on (Once)

    abs_url = absolute_linker(config.base_url)
    return {**spec.context, "url": url, "abs_url": abs_url, "page_url": page_url,
            "canonical": abs_url(page_url), "template_name": spec.template}


# ---------------------------------------------------------------- planning

def page_window(number: int, count: int, around: int = 2) -> list[int | None]:
    """The page numbers a list page links to: the first, the last and those near this one,
    with None where numbers are left out. Linking every page from every page would make a
    long list quadratic in size (800 links on each of 800 pages at 20,000 stories)."""
    shown = sorted({1, count, *range(max(1, number - around), min(count, number + around) + 1)})
    window: list[int | None] = []
    for page in shown:
        if window and page - window[-1] == 2:
            window.append(page - 1)  # a gap of one page: show it rather than an ellipsis
        elif window and page - window[-1] > 2:
            window.append(None)
        window.append(page)
    return window


def paginate(items: list, folder: str, template: str, context: dict[str, Any], sources=()) -> list[PageSpec]:
    pages = max(1, math.ceil(len(items) / PAGE_SIZE))
    specs = []
    for number in range(1, pages + 1):
        path = f"{folder}/index.html" if number == 1 else f"{folder}/pagina/{number}/index.html"
        pagination = {
            "number": number, "count": pages, "total": len(items),
            "previous": None if number == 1 else (f"{folder}/" if number == 2 else f"{folder}/pagina/{number - 1}/"),
            "next": f"{folder}/pagina/{number + 1}/" if number < pages else None,
            "pages": [(n, None if n is None else f"{folder}/" if n == 1 else f"{folder}/pagina/{n}/")
                      for n in page_window(number, pages)],
        }
        chunk = items[(number - 1) * PAGE_SIZE: number * PAGE_SIZE]
        specs.append(PageSpec(path, template, {**context, "items": chunk, "pagination": pagination}, sources))
    return specs


def plan_pages(site: Site) -> list[PageSpec]:
    """Every HTML page of the site, in a stable order."""
    specs = [PageSpec("index.html", "home.html", {"kind": "home"})]
    specs += paginate(site.cases, "verhalen", "cases.html", {"kind": "cases"})
    specs += item_pages(site, "case")
    specs += paginate(site.enterprises, "ondernemers", "enterprises.html", {"kind": "enterprises"})
    # The directory's filters read this (finder.js); not a page, so not in the sitemap.
    specs.append(PageSpec(FINDER_DATA, "finder-data.js", {"kind": "finder-data"}))
    specs += item_pages(site, "enterprise")
    specs.append(PageSpec("organisaties/index.html", "organisations.html", {"kind": "organisations"}))
    specs += item_pages(site, "organisation")
    for facet, (folder, _list_name) in FACETS.items():
        terms = list(site.taxonomies[facet].values())
        specs.append(PageSpec(f"{folder}/index.html", "facet.html", {"kind": "facet", "facet": facet, "terms": terms}))
        specs += [PageSpec(f"{term.url}index.html", "term.html", {"kind": "term", "facet": facet, "item": term})
                  for term in terms]
        # "Catering in West-Brabant": the directory's question answered without JavaScript
        specs += [PageSpec(f"{crossing.url}index.html", "crossing.html", {"kind": "crossing", "item": crossing})
                  for term in terms for crossing in term.crossings]
    # The tips and the stories behind them come through the context, so a new story
    # re-renders this page (site.tips alone would only carry the tips' own text).
    specs.append(PageSpec("tips/index.html", "tips.html", {"kind": "tips", "tips": site.tips}))
    specs += item_pages(site, "tip")
    specs.append(PageSpec("kalender/index.html", "calendar.html", {"kind": "calendar"}))
    specs.append(PageSpec("bijeenkomsten/index.html", "events.html", {"kind": "events"}))
    specs += item_pages(site, "event")
    specs.append(PageSpec("impact/index.html", "impact.html", {"kind": "impact"}))
    specs.append(PageSpec("zoeken/index.html", "search.html", {"kind": "search"}))
    specs += item_pages(site, "page")
    specs.append(PageSpec("404.html", "404.html", {"kind": "notfound"}))
    for case in site.cases:
        for alias in case.aliases:
            specs.append(PageSpec(alias_path(alias), "redirect.html", {"kind": "redirect", "item": case}, (case.source,)))
    return specs


def item_pages(site: Site, kind: str) -> list[PageSpec]:
    """The own page of each item of a content type, made with the type's template."""
    content_type = CONTENT_TYPES[kind]
    return [PageSpec(f"{item.url}index.html", content_type.template, {"kind": kind, "item": item}, (item.source,))
            for item in getattr(site, content_type.site_list)]


def alias_path(alias: str) -> str:
    """Output path for an alias URL such as '/verhalen/oude-naam/'."""
    path = alias.strip().lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    return path if path.endswith(".html") else path + "/index.html"

"""Stage 4, render: the Jinja environment, filters, URL helpers and UI strings.

Plans one `PageSpec` per output page from the finished `Site`, then renders each to
bytes in memory; template errors come back as problems at the template's line."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import operator
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import jinja2
import segno
from segno import consts as qr_consts, encoder as qr_encoder
import yaml
from markupsafe import Markup, escape

from .errors import Problems
from .model import FACETS, Site
from .urls import absolute_url, relative_url
from .workers import can_fork, fork_map

PAGE_SIZE = 24
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


# ---------------------------------------------------------------- QR codes
#
# segno makes the same code in ~0.8 ms, most of it in per-module Python loops; a story page
# needs one, so a large site spent more time on QR codes than on any template. The fast path
# below builds the very matrix segno.make(text, error="m", mask=0) gives (same version, same
# boosted error level, same codewords; tests/test_templates.py compares them) in ~0.1 ms:
# everything that depends only on the version and error level is worked out once, so a code
# costs its Reed-Solomon division, one int XOR for the mask and one gather for the placement.
# Texts segno would encode otherwise (non-ASCII, digits or capitals only, short enough for a
# Micro QR code) go through segno itself.

_QR_BORDER = 4
_QR_FAST_MINIMUM = 16  # bytes; anything shorter could become a Micro QR code
# One token per row start (a character above U+00FF), per run of dark modules, and per run
# of light modules that a dark one follows on the same row.
_QR_RUNS = re.compile(r"1+|0+(?=1)|[^01](?=0*1)")
_qr_layouts: dict[tuple[int, int], tuple] = {}
_qr_rs_tables: dict[int, list[int]] = {}
_qr_path_tables: dict[int, dict[str, str]] = {}


def _qr_flat(matrix) -> str:
    """Rows as '0'/'1' text, each after a marker character that names its row."""
    return "".join(chr(0x100 + y) + "".join("1" if module & 1 else "0" for module in row)
                   for y, row in enumerate(matrix))


def _qr_rs_table(count: int) -> list[int]:
    """Reed-Solomon: for each feedback byte, the generator polynomial times it, as one int."""
    table = _qr_rs_tables.get(count)
    if table is None:
        log, exp, generator = qr_consts.GALIOS_LOG, qr_consts.GALIOS_EXP, qr_consts.GEN_POLY[count]
        table = [0] + [int.from_bytes(bytes(exp[log[factor] + g] for g in generator), "big")
                       for factor in range(1, 256)]
        _qr_rs_tables[count] = table
    return table


def _qr_layout(version: int, error: int) -> tuple:
    """What every code of this version and error level shares, made with segno's own steps."""
    layout = _qr_layouts.get((version, error))
    if layout is not None:
        return layout
    size = qr_encoder.calc_matrix_size(version)
    matrix = qr_encoder.make_matrix(size, size)
    qr_encoder.add_finder_patterns(matrix, size, size)
    qr_encoder.add_alignment_patterns(matrix, size, size)
    positions = []  # data modules in the order segno's add_codewords fills them
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1
        for vertical in range(size):
            for column in (right, right - 1):
                upwards = ((right & 2) == 0) ^ (column < 6)
                row = (size - 1 - vertical) if upwards else vertical
                if matrix[row][column] == 0x2:
                    positions.append((row, column))
    # The code of an all-zero message: function patterns, format and version information,
    # and on every data module the mask itself. Any message is this XOR its bits.
    qr_encoder.add_codewords(matrix, bytearray(len(positions)), version)
    _, matrix = qr_encoder.find_and_apply_best_mask(matrix, size, size, 0)
    qr_encoder.add_format_info(matrix, version, error, 0)
    qr_encoder.add_version_info(matrix, version)
    base = _qr_flat(matrix)
    mask = int("".join(str(matrix[row][column] & 1) for row, column in positions), 2)
    data_index = {row * (size + 1) + column + 1: index for index, (row, column) in enumerate(positions)}
    gather = operator.itemgetter(*(len(base) + data_index[at] if at in data_index else at for at in range(len(base))))
    blocks = [(info.num_data, info.num_total - info.num_data)
              for info in qr_consts.ECC[version][error] for _ in range(info.num_blocks)]
    layout = (size, base, gather, mask, len(positions), blocks, qr_consts.SYMBOL_CAPACITY[version][error])
    _qr_layouts[(version, error)] = layout
    return layout


def _qr_fast(data: bytes) -> tuple[int, str] | None:
    """segno's byte-mode code at error level M (boosted when it fits), mask 0, as _qr_flat text."""
    capacities = qr_consts.SYMBOL_CAPACITY
    for version in range(1, 41):
        bits = 4 + (8 if version < 10 else 16) + 8 * len(data)  # mode, character count, bytes
        if capacities[version][qr_consts.ERROR_LEVEL_M] >= bits:
            break
    else:
        return None
    error = qr_consts.ERROR_LEVEL_M
    for better in (qr_consts.ERROR_LEVEL_Q, qr_consts.ERROR_LEVEL_H):
        if capacities[version][better] < bits:
            break
        error = better
    size, base, gather, mask, modules, blocks, capacity = _qr_layout(version, error)
    stream = (((0b0100 << (8 if version < 10 else 16)) | len(data)) << 8 * len(data)) | int.from_bytes(data, "big")
    terminator = min(capacity - bits, 4)
    padding = 8 - (bits + terminator) % 8  # segno pads a whole zero byte when already aligned
    stream <<= terminator + padding
    total = capacity // 8
    codewords = (stream.to_bytes((bits + terminator + padding) // 8, "big") + b"\xec\x11" * total)[:total]
    data_blocks, error_blocks, start = [], [], 0
    for count, error_count in blocks:
        block = codewords[start:start + count]
        start += count
        table, shift, keep = _qr_rs_table(error_count), 8 * (error_count - 1), (1 << 8 * error_count) - 1
        remainder = 0
        for byte in block:
            remainder = ((remainder << 8) & keep) ^ table[byte ^ (remainder >> shift)]
        data_blocks.append(block)
        error_blocks.append(remainder.to_bytes(error_count, "big"))
    message = bytearray()
    for group in (data_blocks, error_blocks):  # interleaved: first bytes of all blocks, then the seconds...
        for index in range(max(map(len, group))):
            message.extend(block[index] for block in group if index < len(block))
    value = (int.from_bytes(message, "big") << (modules - 8 * len(message))) ^ mask
    return size, "".join(gather(base + format(value, f"0{modules}b")))


def qr_modules(text: str) -> tuple[int, str]:
    """The QR code segno.make(text, error="m", mask=0) would make: its size and rows as _qr_flat text."""
    if text.isascii() and len(text) >= _QR_FAST_MINIMUM:
        data = text.encode("ascii")
        if qr_encoder.find_mode(data) == qr_consts.MODE_BYTE:
            fast = _qr_fast(data)
            if fast is not None:
                return fast
    # A fixed mask skips segno's trial of all eight masks, which costs 80% of its time;
    # every mask gives a valid code that any reader scans.
    code = segno.make(text, error="m", mask=0)
    return code.symbol_size(scale=1, border=0)[0], _qr_flat(code.matrix)


def _qr_path_table(size: int) -> dict[str, str]:
    table = _qr_path_tables.get(size)
    if table is None:
        table = {chr(0x100 + y): f"M{_QR_BORDER} {y + _QR_BORDER}" for y in range(size)}
        for length in range(1, size + 1):
            table["1" * length] = f"h{length}"
            table["0" * length] = f"m{length} 0"
        _qr_path_tables[size] = table
    return table


def qr_svg(text: str) -> Markup:
    """A QR code as inline SVG, made at build time; decorative, since the URL is printed next to it."""
    size, flat = qr_modules(text)
    # Each row is one move to its start, then a line per run of dark modules and a relative
    # move over each light gap; the tokens come from a table, so no number is formatted here.
    path = "".join(map(_qr_path_table(size).__getitem__, _QR_RUNS.findall(flat)))
    width = size + 2 * _QR_BORDER
    return Markup(f'<svg aria-hidden="true" focusable="false" class="qr" viewBox="0 0 {width} {width}">'
                  f'<path fill="#fff" d="M0 0h{width}v{width}H0z"/>'
                  f'<path stroke="#000" d="{path}" transform="translate(0 .5)"/></svg>')


FILTERS: dict[str, Callable] = {
    "date_nl": format_date,
    "time_nl": format_time,
    "number_nl": format_number,
    "money": format_money,
    "json_ld": json_ld,
    "qr_svg": qr_svg,
}


# ---------------------------------------------------------------- parts rendered once

# macros.html and partials/chrome.html are imported without the page's context, so their
# `url()` cannot know the page: it leaves the site path between two Unicode noncharacters
# (reserved for internal use, never in content). A card, the header or the footer is then the
# same text on every page: `once(macro)` makes the function pages call, which renders each
# once per build and puts the page's relative links in; render_pages resolves whatever other
# placeholders reach a page.
_URL_OPEN, _URL_CLOSE = "\ufdd0", "\ufdd1"
_URL_MARKED = re.compile("\ufdd0([^\ufdd0\ufdd1]*)\ufdd1")


def marked_url(path: str) -> Markup:
    return Markup(f"{_URL_OPEN}{path}{_URL_CLOSE}")


def resolve_marked(text: str, url: Callable[[str], str]) -> str:
    """`text` with each placeholder of marked_url replaced by the page's link, escaped as {{ url() }} is."""
    return _URL_MARKED.sub(lambda match: escape(url(match.group(1))), text)


def _link_reach(text: str) -> tuple[int, frozenset[str]]:
    """How far the placeholders' paths go: the most folders one has, and their first folders.
    From a page whose first folder is none of those, every link is the way up plus the path;
    otherwise links to paths of at most k folders depend only on the page's depth and its
    first k folders (see relative_url)."""
    paths = [path.partition("#")[0].lstrip("/") for path in _URL_MARKED.findall(text)]
    return (max((path.count("/") for path in paths), default=0),
            frozenset(path.split("/", 1)[0] for path in paths if "/" in path))


def _key_part(value: Any) -> Any:
    return value if value is None or type(value) in (str, int, bool) else id(value)


class Once:
    """once(macro): a function that renders macro(*args) once per render_pages run.

    The run starts with clear(): what such a part shows depends only on its arguments and the
    globals, and the model does not change while pages render. Arguments other than plain
    values are told apart by identity; the entry keeps them alive, so an id is not reused
    meanwhile. The part is also kept with the links of each kind of page it can be given
    as is (see _link_reach): a card outside the page's own section, the header and footer."""

    def __init__(self) -> None:
        self.cache: dict[tuple, tuple[tuple, Markup, int, frozenset[str]]] = {}
        self.linked: dict[tuple, Markup] = {}

    def clear(self) -> None:
        self.cache.clear()
        self.linked.clear()

    def __call__(self, macro: Callable) -> Callable:
        cache, linked = self.cache, self.linked

        @jinja2.pass_context
        def render_once(context: jinja2.runtime.Context, *args: Any, **kwargs: Any) -> Markup:
            key = (id(macro), *map(_key_part, args))
            if kwargs:
                key += tuple((name, _key_part(value)) for name, value in sorted(kwargs.items()))
            entry = cache.get(key)
            if entry is None:
                text = macro(*args, **kwargs)
                entry = cache[key] = ((macro, args, kwargs), text, *_link_reach(text))
            url = context.resolve_or_missing("url")
            if url is marked_url or url is jinja2.utils.missing:  # called from such a template itself
                return entry[1]
            folders = getattr(url, "folders", None)  # None on the 404 page, which links from the root
            if folders is None:
                return Markup(resolve_marked(entry[1], url))
            if not folders or folders[0] not in entry[3]:
                kind = (key, len(folders))
            elif entry[2] <= 1:
                kind = (key, len(folders), folders[0])
            else:
                return Markup(resolve_marked(entry[1], url))
            text = linked.get(kind)
            if text is None:
                text = linked[kind] = Markup(resolve_marked(entry[1], url))
            return text

        return render_once


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
                     reuse: jinja2.Environment | None = None, bytecode: Path | None = None) -> jinja2.Environment:
    """The Jinja environment for one build; `reuse` keeps an earlier one's compiled templates
    (the caller passes it only while no template changed), with this build's globals."""
    if reuse is not None:
        reuse.globals.update(site=site, t=Strings(strings), config=site.config, label=site.label, today=site.today)
        # A template imported without context (macros.html) keeps the module Jinja made at its
        # first import, with the globals of that time: it must be made again with these.
        for template in reuse.cache.values() if reuse.cache is not None else ():
            template._module = None
        return reuse
    env = jinja2.Environment(
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
    env.globals.update(site=site, t=Strings(strings), config=site.config, facet_folders=FACETS,
                       label=site.label, today=site.today,
                       url=marked_url, once=Once())  # pages have their own url(); see marked_url
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


def render_pages(specs: list[PageSpec], env: jinja2.Environment, templates: Path, problems: Problems,
                 sink: Sink | None = None) -> list[RenderedFile]:
    """Render every page; one broken template is reported once, at its line.

    With a `sink`, each page's bytes go there as soon as they exist instead of being kept,
    so a large site never holds all its pages in memory."""
    rendered: list[RenderedFile] = []
    reported: set[tuple[str, int]] = set()
    site: Site = env.globals["site"]
    once: Once = env.globals["once"]
    once.clear()  # parts from an earlier run may show an older model
    try:
        for spec in specs:
            try:
                template = env.get_template(spec.template)
                context = page_context(spec, site)
                html = template.render(context)
                if _URL_OPEN in html:
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
            content = html.encode("utf-8")
            if sink is None:
                rendered.append(RenderedFile(spec.path, content, spec.sources, len(content)))
            elif not problems.errors:  # after a failure nothing more is written; the staging goes
                written = sink(spec.path, content)
                rendered.append(RenderedFile(spec.path, None, spec.sources, len(content), written))
    finally:
        once.clear()  # nor are they worth keeping: serve keeps the environment between builds
    return rendered


PARALLEL_MINIMUM = 300  # below this many pages a second process costs more than it saves


def render_pages_parallel(specs: list[PageSpec], env: jinja2.Environment, templates: Path, problems: Problems,
                          workers: int, sink: Sink | None = None) -> list[RenderedFile]:
    """Render across `workers` processes (forked, so they share the finished Site for free)."""
    if workers < 2 or len(specs) < PARALLEL_MINIMUM or not can_fork():
        return render_pages(specs, env, templates, problems, sink)
    for name in {spec.template for spec in specs}:
        try:
            env.get_template(name)  # compile once, before the fork, for every worker
        except Exception:  # noqa: BLE001 - reported with its line when the page renders
            pass

    def render(chunk: list[PageSpec]) -> tuple[list[RenderedFile], list]:
        found = Problems(strict=problems.strict)
        return render_pages(chunk, env, templates, found, sink), found.items

    rendered: list[RenderedFile] = []
    # Interleaved shares: neighbouring pages (one list, one kind) cost alike.
    for files, found in fork_map(render, [specs[index::workers] for index in range(workers)]):
        rendered += files
        known = {(p.path, p.line, p.message) for p in problems.items}  # a broken template, once
        problems.extend(p for p in found if (p.path, p.line, p.message) not in known)
    order = {spec.path: index for index, spec in enumerate(specs)}
    rendered.sort(key=lambda file: order[file.path])
    return rendered


def page_linker(page_url: str, file_links: bool = False) -> Callable[[str], str]:
    """relative_url(page_url, path, file_links) for the many links of one page.

    Most links leave the page's top folder (static files, the menu, other sections): those are
    the way up plus the path, with no folders to compare; the rest go through relative_url."""
    folders = page_url.lstrip("/").split("/")[:-1]
    up = "../" * len(folders)
    top = folders[0] + "/" if folders else ""

    def link(path: str) -> str:
        target = path.lstrip("/")
        if "#" in target or (top and target.startswith(top)):
            return relative_url(page_url, path, file_links)
        relative = up + target
        if target.endswith("/") or not target:
            relative = relative or "./"
            if file_links:
                relative = (relative if relative != "./" else "") + "index.html"
        return relative

    return link


_EXTERNAL = ("http://", "https://", "mailto:", "tel:")
# Folders and a file name, none of them "." or "..": urljoin would only append these to the base.
_PLAIN_PATH = re.compile(r"(?:[A-Za-z0-9_~-][A-Za-z0-9_.~-]*/)*(?:[A-Za-z0-9_~-][A-Za-z0-9_.~-]*)?")
_PLAIN_BASE = re.compile(r"https?://[^/?#]+/(?:[A-Za-z0-9_~-][A-Za-z0-9_.~-]*/)*")


def absolute_linker(base_url: str) -> Callable[[str], str]:
    """absolute_url(base_url, path), without urljoin for the plain paths of pages and files."""
    plain = _PLAIN_BASE.fullmatch(base_url) is not None

    def link(path: str) -> str:
        target = path.lstrip("/")
        if plain and _PLAIN_PATH.fullmatch(target):
            return base_url + target
        return absolute_url(base_url, path)

    return link


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
    specs += [PageSpec(f"{c.url}index.html", "case.html", {"kind": "case", "item": c}, (c.source,)) for c in site.cases]
    specs += paginate(site.enterprises, "ondernemers", "enterprises.html", {"kind": "enterprises"})
    specs += [PageSpec(f"{e.url}index.html", "enterprise.html", {"kind": "enterprise", "item": e}, (e.source,))
              for e in site.enterprises]
    specs.append(PageSpec("organisaties/index.html", "organisations.html", {"kind": "organisations"}))
    specs += [PageSpec(f"{o.url}index.html", "organisation.html", {"kind": "organisation", "item": o}, (o.source,))
              for o in site.organisations]
    for facet, (folder, _list_name) in FACETS.items():
        terms = list(site.taxonomies[facet].values())
        specs.append(PageSpec(f"{folder}/index.html", "facet.html", {"kind": "facet", "facet": facet, "terms": terms}))
        specs += [PageSpec(f"{term.url}index.html", "term.html", {"kind": "term", "facet": facet, "item": term})
                  for term in terms]
    # The tips and the stories behind them come through the context, so a new story
    # re-renders this page (site.tips alone would only carry the tips' own text).
    specs.append(PageSpec("tips/index.html", "tips.html", {"kind": "tips", "tips": site.tips}))
    specs += [PageSpec(f"{t.url}index.html", "tip.html", {"kind": "tip", "item": t}, (t.source,)) for t in site.tips]
    specs.append(PageSpec("kalender/index.html", "calendar.html", {"kind": "calendar"}))
    specs.append(PageSpec("bijeenkomsten/index.html", "events.html", {"kind": "events"}))
    specs += [PageSpec(f"{e.url}index.html", "event.html", {"kind": "event", "item": e}, (e.source,)) for e in site.events]
    specs.append(PageSpec("impact/index.html", "impact.html", {"kind": "impact"}))
    specs.append(PageSpec("zoeken/index.html", "search.html", {"kind": "search"}))
    specs += [PageSpec(f"{p.url}index.html", "page.html", {"kind": "page", "item": p}, (p.source,)) for p in site.pages]
    specs.append(PageSpec("404.html", "404.html", {"kind": "notfound"}))
    for case in site.cases:
        for alias in case.aliases:
            specs.append(PageSpec(alias_path(alias), "redirect.html", {"kind": "redirect", "item": case}, (case.source,)))
    return specs


def alias_path(alias: str) -> str:
    """Output path for an alias URL such as '/verhalen/oude-naam/'."""
    path = alias.strip().lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    return path if path.endswith(".html") else path + "/index.html"

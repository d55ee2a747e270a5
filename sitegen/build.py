"""The pipeline: load, validate, model, render, write, in that order.

`build()` reads as the pipeline; each step lives in its own module. Any stage that finds
errors stops the run before anything is written, so the previous output stays intact.
One `BuildCache` holds what each stage may reuse, keyed by the digests of its inputs."""

from __future__ import annotations

import datetime as dt
import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .cache import (TRUST_WINDOW_NS, BuildCache, cache_folder, cache_root, digest, output_intact, racy_digests, source_stats,
                    stats_prove_unchanged, unchanged_summary)
from .config import BuildOptions, site_config
from .deps import PageRecord, RenderRecords, Values, stale_pages, updated_records
from .errors import BuildFailed, Problem, Problems
from .feeds import feed_files
from .images import PictureSet, make_pictures, slot_warnings
from .indexing import search_document, search_documents, searchable_items
from .load import LoadedContent, load_content
from .markdown import body_link_problems, link_urls, make_parser, render_bodies
from .media import media_problem
from .model import Item, Site, all_items, make_site, with_new_bodies
from .output import OutputFile, Staging, check_paths, output_token, refuse_foreign_output, update_output
from .render import (PARALLEL_MINIMUM, PageSpec, RenderRun, load_strings, make_environment, plan_pages,
                     render_pages_parallel)
from .schema import ValidContent, validate_content
from .search import INDEX_DIR, SearchCache, SearchDocument, build_search_files
from .workers import Background, affordable, fork_map, split


@dataclass(repr=False)
class BuildResult:
    site: Site | None  # None when nothing changed and nothing had to be built
    files: list[OutputFile]
    warnings: list[Problem]
    page_count: int = 0
    next_change: dt.date | None = None
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    rendered: int = 0  # pages rendered this run; the rest were unchanged


@dataclass
class Model:
    """The model stage's result: the linked site, and whether it is the last build's."""

    site: Site
    # None when the model was made anew; else the source files whose Markdown body alone
    # changed in the last build's model, which this build goes on with
    bodies_changed: set[str] | None
    key: str  # digest of its inputs: the files without their bodies, settings, vocabulary, date
    documents: list[SearchDocument] | None = None  # the search documents, once made in this process


@dataclass
class Templates:
    """The render stage's inputs besides the model: compiled templates and UI strings."""

    env: object
    strings: dict
    digests: dict[str, str]  # template name -> digest of its source
    pictures: str = ""  # digest of the raster images, which pages show through picture()


def build(options: BuildOptions, write: bool = True, cache: BuildCache | None = None,
          progress: Callable[[str, int], None] = lambda stage, count: None) -> BuildResult:
    """Build the site; raises BuildFailed with every problem when anything is wrong.

    `cache` is the state a long-running caller (serve, build --watch) keeps in memory; without
    it, the state of the last build is read from the user's cache folder. `progress` hears
    each stage as it starts, in Dutch, with how many things it handles."""
    with collector_paused():
        started = time.time_ns()
        problems = Problems(strict=options.strict)
        if write:
            refuse_foreign_output(options.source, options.output_dir)
        if cache is None and write and options.use_cache:
            summary = unchanged_summary(options.source, options.output_dir, options.cache_key())
            if summary is not None:
                return unchanged_result(summary)
        state = cache if cache is not None else open_cache(options, write)
        links: set[str] = set()
        sources = source_stats(options.source, links)
        reuse_output = write and output_intact(options.output_dir, state.outputs, state.output_token)
        if reuse_output and stats_prove_unchanged(sources, state.sources, state.saved_at, state.racy):
            return unchanged_result({**state.summary, "files": len(state.outputs)})
        workers = affordable(options.workers, options.memory_budget_mb)
        progress("bestanden inlezen", len(sources))
        loaded = load_content(options.source, problems, state.files, state.saved_at - TRUST_WINDOW_NS, sources,
                              workers, links, state.layout)
        progress("inhoud controleren", len(loaded.files))
        valid = validate_content(loaded.files, loaded.media, problems, state.checked, options.drafts)
        if problems.errors:  # the model needs valid files; what does not need it is checked all the same
            check_without_model(loaded, options.source, problems)
            problems.raise_if_errors(pending=PENDING_WITHOUT_MODEL)
        progress("verbanden en teksten", len(valid.items))
        model = model_site(valid, options, loaded, state, problems)
        site = model.site
        templates = template_stage(options, site, state, problems, write)
        pictures = picture_stage(options, loaded.media, site, templates, problems, write)
        specs = plan_pages(site)
        records = state.records if reuse_output else None
        values = Values(site, all_items(site), *carried_values(model, records))
        stale = pages_to_render(specs, model, values, templates, records)
        others = [OutputFile(path, content) for path, content in feed_files(site, sitemap_urls(specs))]
        others += copy_assets(options.source, loaded.media, problems)
        others += [OutputFile(path, data, (f"content/{rel}",)) for path, data, rel in pictures.files]
        check_paths([OutputFile(spec.path, None, spec.sources) for spec in specs] + others, problems)
        problems.raise_if_errors(pending=PENDING_BEFORE_RENDER)
        result = BuildResult(site, [], problems.warnings, page_count=len(specs), next_change=site.next_change)
        progress("pagina's en zoekindex maken", len(stale))
        run, index = render_and_index([spec for spec in specs if spec.path in stale], others, model, templates,
                                      values, options, state, problems, result, write, reuse_output)
        result.files = [OutputFile(f.path, f.content, f.sources) for f in run.files] + \
            [OutputFile(spec.path, None, spec.sources) for spec in specs if spec.path not in stale] + others + index
        result.rendered = len(run.files)
        if write:
            progress("bestanden schrijven", len(result.files))
            if reuse_output:
                stats = update_output(result.files, options.output_dir, set(state.outputs))
                result.written, result.unchanged, result.removed = stats.written, stats.unchanged, stats.removed
            state.records = record_pages(specs, stale, run, values, templates, records)
            state.model_key, state.site, state.documents = model.key, model.site, model.documents
            remember(state, options, started, sources, loaded, result, reuse_output)
        return result


@contextmanager
def collector_paused() -> Iterator[None]:
    """A build allocates many long-lived objects and few cycles; the cyclic collector would
    scan the whole heap again and again for nothing, so it waits until the build is done."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


# ---------------------------------------------------------------- steps of the pipeline

# What a failed run could not check yet, as the summary line says it (errors.BuildFailed).
PENDING_WITHOUT_MODEL = "of elke pagina een eigen adres heeft en of alle pagina's met de templates gemaakt kunnen worden"
PENDING_BEFORE_RENDER = "of alle pagina's met de templates gemaakt kunnen worden"


def check_without_model(loaded: LoadedContent, source: Path, problems: Problems) -> None:
    """When some files are not valid there is no model, but the links in every Markdown body
    and the media files can be checked without one: all mistakes are reported in one run."""
    for rel, line, column, message, hint in body_link_problems(loaded.files):
        problems.error(rel, line, column, message, hint)
    copy_assets(source, loaded.media, problems)

def model_site(valid: ValidContent, options: BuildOptions, loaded: LoadedContent, state: BuildCache,
               problems: Problems) -> Model:
    """The linked model with every Markdown body as HTML. The model is kept in memory while
    the files without their bodies are unchanged, and bodies are reused while their file and
    the URLs of their link targets are."""
    config = site_config(valid.site, options.base_url, options.file_links)
    key = digest(config, valid.vocabulary, options.today, options.drafts,
                 [(entry.file.rel, entry.file.meta_digest) for entry in valid.items])
    last = state.site if state.model_key == key else None
    # Taken from the state: only a build that succeeds gives it back (with its records), so a
    # failed one never leaves a half-updated model behind.
    state.model_key, state.site = "", None
    if last is not None:
        site, kept = last, with_new_bodies(last, valid.items)
    else:
        site, kept = make_site(valid.items, config, valid.vocabulary, options.today, options.drafts), None
    # Broken links are reported with the media and output-path checks that follow.
    published = {item.source for item in all_items(site)}
    unpublished = {entry.file.rel.removeprefix("content/") for entry in valid.items if entry.file.rel not in published}
    render_all_bodies(all_items(site), make_parser(config.raw_html), config.file_links, problems, state.bodies,
                      affordable(options.workers, options.memory_budget_mb), read_markdown(loaded.files), unpublished)
    forget_details(loaded.files)
    return Model(site, kept, key)


def template_stage(options: BuildOptions, site: Site, state: BuildCache, problems: Problems, write: bool) -> Templates:
    """The Jinja environment for this model; its compiled templates are reused until a template changes."""
    folder = options.source / "templates"
    digests = template_digests(folder)
    strings = load_strings(folder, problems)
    templates_key = digest(sorted(digests.items()))
    if state.templates_key != templates_key:
        state.templates_key, state.environment = templates_key, None
    env = state.environment = make_environment(folder, site, strings, state.environment,
                                               bytecode_folder(options) if write else None)
    return Templates(env, strings, digests)


def picture_stage(options: BuildOptions, media: set[str], site: Site, templates: Templates, problems: Problems,
                  write: bool) -> PictureSet:
    """Raster images in a few widths and WebP, for the templates' picture(); variants are
    encoded once per content digest and kept in the user's cache folder, never in the site."""
    # Shared by every site of this user: a variant depends only on the image's bytes.
    cache = cache_root() / "images" if options.use_cache else None
    pictures = make_pictures(options.source, media, cache, problems, encode=write)
    shown = [(case.image["src"], "image") for case in site.cases if case.image] + \
        [(enterprise.logo["src"], "logo") for enterprise in site.enterprises if enterprise.logo]
    slot_warnings(shown, pictures, problems)
    templates.env.globals["picture"] = pictures.get
    templates.pictures = pictures.key
    return pictures


def carried_values(model: Model, records: RenderRecords | None) -> tuple:
    """What Values may take over from the last build: with the last build's model, the digests
    of the fields of every item whose file did not change stand (deps.Values.of_read)."""
    if records is None or model.bodies_changed is None:
        return ()
    return records.values, model.bodies_changed


def pages_to_render(specs: list[PageSpec], model: Model, values: Values, templates: Templates,
                    records: RenderRecords | None) -> set[str]:
    """The output paths of the pages whose inputs changed: all of them without records."""
    if records is None:
        return {spec.path for spec in specs}
    kept_model = model.bodies_changed is not None  # the same plan, whose contexts hold what they held
    planned = [(spec.path, spec.template,
                records.pages[spec.path].context if kept_model and spec.path in records.pages
                else values.of_context(spec.context)) for spec in specs]
    return stale_pages(planned, records, values, templates.digests, global_key(model.site, templates))


def global_key(site: Site, templates: Templates) -> str:
    """What every page may show without reading it from the model: UI strings, settings,
    vocabulary (through label()) and the date."""
    return digest(templates.strings, site.config, site.vocabulary, site.today, templates.pictures)


def record_pages(specs: list[PageSpec], stale: set[str], run: RenderRun, values: Values, templates: Templates,
                 old: RenderRecords | None) -> RenderRecords:
    """What the next build compares against: the kept pages' old records, the rendered pages' new ones."""
    contexts = {spec.path: (spec.template, spec.context) for spec in specs if spec.path in stale}
    rendered = {}
    for file in run.files:
        template, context = contexts[file.path]
        rendered[file.path] = PageRecord(template, values.of_context(context), file.reads)
    kept = {spec.path for spec in specs if spec.path not in stale}
    return updated_records(old or RenderRecords(), kept, rendered, run.cards, values, templates.digests,
                           global_key(values.site, templates))


def render_and_index(specs: list[PageSpec], others: list[OutputFile], model: Model, templates: Templates,
                     values: Values, options: BuildOptions, state: BuildCache, problems: Problems,
                     result: BuildResult, write: bool, reuse_output: bool) -> tuple[RenderRun, list[OutputFile]]:
    """Render these pages and make the search index: on a cold build straight into a staging
    folder, with the index alongside the page workers; on a rebuild in memory."""
    site = model.site
    folder = options.source / "templates"

    def index_files(found: Problems) -> list[OutputFile]:
        documents, edited = current_documents(site, model, state)
        files = search_output(documents, templates.strings.get("search"), state, reuse_output, found, edited)
        check_paths(files, found)
        return files

    if write and not reuse_output:
        return write_fresh(specs, others, index_files, templates.env, folder, values, problems, options, result, state)
    run = render_pages_parallel(specs, templates.env, folder, problems, values,
                                affordable(options.workers, options.memory_budget_mb))
    problems.raise_if_errors()
    index = index_files(problems)
    problems.raise_if_errors()
    return run, index


BODIES_PARALLEL_MINIMUM = 300  # new Markdown bodies before a second process pays for itself


def current_documents(site: Site, model: Model, state: BuildCache) -> tuple[list[SearchDocument], list[int] | None]:
    """The search documents, and the positions of the only ones that may have changed (None:
    any). With the last build's model, only those of the items whose body changed are made
    again (a document reads the model and the item's own text)."""
    kept = state.documents if model.bodies_changed is not None else None
    state.documents = None  # given back with the model, by a build that succeeds
    items = searchable_items(site)
    if kept is None or len(kept) != len(items):
        documents, edited = search_documents(site), None
    else:
        tip_titles = {tip.number: tip.title for tip in site.tips}
        edited = [at for at, item in enumerate(items) if item.source in model.bodies_changed]
        documents = list(kept)
        for at in edited:
            documents[at] = search_document(site, items[at], tip_titles)
    model.documents = documents
    return documents, edited


def render_all_bodies(items: list[Item], parser, file_links: bool, problems: Problems, reuse: dict,
                      workers: int, read_markdown, unpublished: set[str] = frozenset()) -> None:
    """Every item's Markdown as HTML; when many are new (a cold build), shared with forked workers.
    `unpublished`: content files left out (drafts), whose links are named as such."""
    new = sum(1 for item in items if item.body_text != "" and item.source not in reuse)  # "": no body at all
    if workers < 2 or new < BODIES_PARALLEL_MINIMUM:
        render_bodies(items, parser, file_links, problems, reuse, read_markdown=read_markdown, unpublished=unpublished)
        return

    urls = link_urls(items)

    def render(chunk: list[Item]) -> tuple[dict, list[Problem]]:
        entries = {item.source: reuse[item.source] for item in chunk if item.source in reuse}
        found = Problems(strict=problems.strict)
        render_bodies(chunk, parser, file_links, found, entries, read_markdown=read_markdown, urls=urls,
                      unpublished=unpublished)
        return entries, found.items

    chunks = split(items, workers)
    for chunk, (entries, found) in zip(chunks, fork_map(render, chunks)):
        reuse.update(entries)
        for item in chunk:  # a worker's changes to the model stayed in the worker
            if item.source in entries:
                item.body_html, item.body_text = entries[item.source][2], entries[item.source][3]
        problems.extend(found)


def read_markdown(files):
    """source -> its Markdown, for bodies that must be rendered again after being forgotten."""
    by_source = {file.rel: file for file in files}
    return lambda source: by_source[source].markdown()


def forget_details(files) -> None:
    """Every file passed its checks and its Markdown is HTML: the positions for messages and
    the Markdown itself can go (millions of positions and tens of megabytes in a large site),
    to be read again should a later build need them."""
    for file in files:
        file.forget_details()


def open_cache(options: BuildOptions, write: bool) -> BuildCache:
    if write and options.use_cache:
        return BuildCache.load(options.source, options.cache_key())
    return BuildCache(key=options.cache_key())


def unchanged_result(summary: dict) -> BuildResult:
    return BuildResult(None, [], summary.get("warnings", []), page_count=summary.get("pages", 0),
                       next_change=summary.get("next_change"), unchanged=summary.get("files", 0))


def bytecode_folder(options: BuildOptions) -> Path | None:
    """Compiled templates between runs, kept with the rest of the cache outside the site."""
    if not options.use_cache:
        return None
    folder = cache_folder(options.source) / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def template_digests(templates: Path) -> dict[str, str]:
    """Template name (as Jinja names it) -> digest of its source."""
    return {path.relative_to(templates).as_posix(): digest(path.read_bytes())
            for path in sorted(templates.rglob("*")) if path.is_file()}


def write_fresh(specs: list[PageSpec], others: list[OutputFile], index_files: Callable[[Problems], list[OutputFile]],
                env, templates: Path, values: Values, problems: Problems, options: BuildOptions,
                result: BuildResult, cache: BuildCache) -> tuple[RenderRun, list[OutputFile]]:
    """Render straight into a staging folder, add the search index, and swap it in; on any
    error the staging goes.

    The index does not depend on the pages, so while memory allows it is made by one more
    forked process alongside the page workers: it would otherwise keep every core but this
    one's idle for over a second at 4,000 stories."""
    staging = Staging(options.output_dir)
    workers = affordable(options.workers, options.memory_budget_mb)
    alongside = workers > 1 and len(specs) >= PARALLEL_MINIMUM and affordable(workers + 1, options.memory_budget_mb) > workers
    index = IndexJob(index_files, cache, problems) if alongside else None
    try:
        others_written = sum(staging.put(file.path, file.content) for file in others)
        run = render_pages_parallel(specs, env, templates, problems, values, workers, sink=staging.put)
        late_files = index.files() if index else index_files(problems)
        problems.raise_if_errors()
        others_written += sum(staging.put(file.path, file.content) for file in late_files)
        staging.commit([spec.path for spec in specs] + [file.path for file in others + late_files])
    except BaseException:
        if index:
            index.cancel()  # a long-lived caller (serve) must not keep the process
        staging.abort()
        raise
    result.written = others_written + sum(page.written for page in run.files)  # workers wrote some of them
    result.unchanged = len(run.files) + len(others) + len(late_files) - result.written
    return run, late_files


class IndexJob:
    """index_files in a forked process from now on (workers.Background); files() waits for
    its files and takes over what it changed in the cache and the problems it found."""

    def __init__(self, index_files: Callable[[Problems], list[OutputFile]], cache: BuildCache, problems: Problems):
        self.cache, self.problems = cache, problems

        def in_child() -> tuple:
            found = Problems(strict=problems.strict)
            files = index_files(found)
            index = cache.search_index.handover() if cache.search_index is not None else None
            return files, index, cache.search_paths, found.items

        self.job = Background(in_child)

    def files(self) -> list[OutputFile]:
        files, index, self.cache.search_paths, found = self.job.result()
        self.cache.search_index = SearchCache.taken_over(index) if index is not None else None
        self.problems.extend(found)
        return files

    def cancel(self) -> None:
        self.job.cancel()


def search_output(documents: list[SearchDocument], text, cache: BuildCache, reuse_output: bool,
                  problems: Problems, edited: list[int] | None = None) -> list[OutputFile]:
    """The search index. Its SearchCache redoes only what changed documents touch (and
    finds them faster than a digest of all documents would tell whether any did)."""
    try:
        if cache.search_index is None:
            cache.search_index = SearchCache()
        files = sorted(build_search_files(documents, text, cache.search_index, edited).items())
    except ValueError as error:
        problems.error("templates/strings.nl.yaml", 1, 1, str(error))
        return []
    # Index shards are named by their content: one the output has already is the same file.
    shards = INDEX_DIR + "index/"
    already = set(cache.search_paths) if reuse_output else set()
    cache.search_paths = [path for path, _ in files]
    return [OutputFile(path, None if path in already and path.startswith(shards) else content) for path, content in files]


def copy_assets(source: Path, media: set[str], problems: Problems) -> list[OutputFile]:
    """Static files from templates/static/ and media from content/media/ (those that are data, media.py)."""
    files = []
    static = source / "templates" / "static"
    if static.is_dir():
        for path in sorted(static.rglob("*")):
            if path.is_file() and not path.is_symlink():
                files.append(OutputFile("static/" + path.relative_to(static).as_posix(), path.read_bytes()))
    for rel in sorted(media):
        data = (source / "content" / rel).read_bytes()
        refused = media_problem(rel, data)
        if refused is not None:
            problems.error(f"content/{rel}", refused.line, refused.column, refused.message, refused.hint)
            continue
        files.append(OutputFile(rel, data, (f"content/{rel}",)))
    return files


def sitemap_urls(specs: list[PageSpec]) -> list[str]:
    return [spec.url for spec in specs if spec.template not in ("redirect.html", "404.html")
            and not spec.template.endswith(".js")]


def remember(cache: BuildCache, options: BuildOptions, started: int, sources: dict, loaded: LoadedContent,
             result: BuildResult, reused_output: bool) -> None:
    """Keep what this build learned, for the next one."""
    cache.saved_at = started
    cache.sources = sources
    cache.racy = racy_digests(sources, started)
    cache.files = loaded.entries
    cache.layout = loaded.layout
    cache.checked = {rel: entry for rel, entry in cache.checked.items() if rel in loaded.entries}
    live_sources = {item.source for item in all_items(result.site)}
    cache.bodies = {source: entry for source, entry in cache.bodies.items() if source in live_sources}
    output, previous = options.output_dir, cache.outputs if reused_output else {}  # kept files kept their size
    cache.outputs = {file.path: (len(file.content) if file.content is not None else
                                 previous.get(file.path) or (output / file.path).stat().st_size)
                     for file in result.files}
    cache.output_token = output_token(output)
    cache.summary = {"pages": result.page_count, "next_change": result.next_change, "warnings": result.warnings}
    if options.use_cache:
        cache.save(options.source)


__all__ = ["BuildOptions", "BuildResult", "BuildFailed", "build"]  # BuildOptions lives in config.py

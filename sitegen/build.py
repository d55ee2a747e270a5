"""The pipeline: load, validate, model, render, write, in that order.

`build()` reads as the pipeline; each step lives in its own module. Any stage that finds
errors stops the run before anything is written, so the previous output stays intact.
A `BuildCache` lets each step skip the work an edit did not touch."""

from __future__ import annotations

import datetime as dt
import gc
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .cache import CACHE_FOLDER, BuildCache, digest, output_intact, source_stats, unchanged_summary
from .config import BuildOptions, site_config
from .errors import BuildFailed, Problem, Problems
from .fingerprint import ItemKeys, TemplateFacts, analyse_templates, content_key, page_fingerprint
from .feeds import FEED_SIZE, atom_feed, event_ics, events_ics, feed_files
from .indexing import search_document, search_documents, searchable_items
from .load import LoadedContent, load_content
from .markdown import link_urls, make_parser, render_bodies
from .model import Event, Item, Site, all_items, make_site, markdown_body
from .output import OutputFile, Staging, check_paths, update_output
from .render import (PARALLEL_MINIMUM, PageSpec, load_strings, make_environment, plan_pages, render_pages,
                     render_pages_parallel)
from .schema import ValidContent, validate_content
from .search import INDEX_DIR, SearchCache, SearchDocument, build_search_files
from .workers import Background, affordable, fork_map, split

# Kinds whose Markdown text shows on their own page only (plus the search index and feeds);
# the text of tips and pages shows elsewhere too, so an edit there takes a full rebuild.
TEXT_ONLY_KINDS = {"case", "enterprise", "event"}


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


@dataclass(eq=False)
class LastBuild:
    """The last successful build, kept in memory by serve, to patch a text edit into."""

    site: Site
    specs: list[PageSpec]
    spec_keys: list[str]  # the key each page's fingerprint started from (see split_unchanged)
    keys: ItemKeys
    files: dict[str, tuple[str, str]]  # content file -> (digest, digest without its body)
    media: set[str]
    templates_key: str
    parser: object
    search_text: object
    # The search index's documents: those of the build when it made them here, else made
    # by the first patch (or a build server's warm-up) from the unchanged site.
    documents: list[SearchDocument] | None = None
    # Looked up by every patch, so made by the first: source -> item; id(item) -> the
    # numbers of the pages that show its text, and of its search document; link targets.
    lookups: dict | None = None

    def lookup(self) -> dict:
        if self.documents is None:
            self.documents = search_documents(self.site)
        if self.lookups is None:
            items = all_items(self.site)
            pages: dict[int, list[int]] = {}
            for number, spec in enumerate(self.specs):
                pages.setdefault(id(spec.context.get("item")), []).append(number)
            self.lookups = {
                "items": {item.source: item for item in items},
                "pages": pages,
                "documents": {id(item): number for number, item in enumerate(searchable_items(self.site))},
                "urls": link_urls(items),
            }
        return self.lookups


def build(options: BuildOptions, write: bool = True, cache: BuildCache | None = None) -> BuildResult:
    """Build the site; raises BuildFailed with every problem when anything is wrong."""
    # A build allocates many long-lived objects and few cycles; the cyclic collector would
    # scan the whole heap again and again for nothing, so it waits until the build is done.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return run_pipeline(options, write, cache)
    finally:
        if collecting:
            gc.enable()


def run_pipeline(options: BuildOptions, write: bool, cache: BuildCache | None) -> BuildResult:
    started = time.time_ns()
    problems = Problems(strict=options.strict)
    # A caller that keeps its cache (serve) gets the model kept too, for patch_text_edits;
    # a one-off build lets it go as soon as it can, which keeps its memory down.
    keep_last = cache is not None and write
    if cache is None and write and options.use_cache:
        summary = unchanged_summary(options.source, options.output_dir, options.cache_key())
        if summary is not None:
            return unchanged_result(summary)
    cache = cache if cache is not None else open_cache(options, write)
    links: set[str] = set()
    sources = source_stats(options.source, links)
    reuse_output = write and output_intact(options.output_dir, cache.outputs)
    if reuse_output and sources == cache.sources:
        return unchanged_result({**cache.summary, "files": len(cache.outputs)})
    loaded = load_content(options.source, problems, cache.files, cache.saved_at - 2_000_000_000, sources,
                          affordable(options.workers, options.memory_budget_mb), links, cache.layout)
    cache.layout = loaded.layout
    valid = validate_content(loaded.files, loaded.media, problems, cache.checked)
    problems.raise_if_errors()
    last, cache.last = cache.last, None  # a build that fails below must not leave a half-patched model
    if last is not None and write and reuse_output:
        patched = patch_text_edits(last, loaded, valid, options, cache, problems)
        if patched is not None:
            cache.last = last
            remember_patch(cache, options, started, sources, loaded.entries, patched)
            return patched
    config = site_config(valid.site, options.base_url, options.file_links)
    site = make_site(valid.items, config, valid.vocabulary, options.today, options.drafts)
    parser = make_parser(config.raw_html)
    render_all_bodies(all_items(site), parser, config.file_links, problems, cache.bodies,
                      affordable(options.workers, options.memory_budget_mb),
                      read_markdown(loaded.files))
    problems.raise_if_errors()
    forget_details(loaded.files)
    templates = options.source / "templates"
    templates_key = templates_digest(templates)
    strings = load_strings(templates, problems)
    if cache.templates_key != templates_key:  # compiled templates are reused until one changes
        cache.templates_key, cache.environment, cache.template_facts = templates_key, None, None
    env = cache.environment = make_environment(templates, site, strings, cache.environment,
                                               bytecode_folder(options) if write else None)
    if not isinstance(cache.template_facts, TemplateFacts):
        cache.template_facts = analyse_templates(env)
    specs = plan_pages(site)
    keys = ItemKeys(all_items(site))
    spec_keys = page_keys(specs, site, strings, cache.template_facts)
    stale, kept, fingerprints = split_unchanged(specs, spec_keys, keys, cache, reuse_output)
    others = [OutputFile(path, content) for path, content in feed_files(site, sitemap_urls(specs))]
    others += copy_assets(options.source, loaded.media)
    check_paths([OutputFile(spec.path, None, spec.sources) for spec in specs] + others, problems)
    problems.raise_if_errors()
    result = BuildResult(site, [], problems.warnings, page_count=len(specs), next_change=site.next_change)
    # The search index comes after the pages, or in a process of its own, so forked render
    # workers do not carry its memory; `searched` gets its documents when made here.
    searched: list[list[SearchDocument]] = []

    def index_files(found: Problems) -> list[OutputFile]:
        documents = search_documents(site)
        files = search_output(documents, strings.get("search"), cache, reuse_output, found)
        check_paths(files, found)
        searched.append(documents)
        return files

    if write and not reuse_output:
        pages, index = write_fresh(stale, others, index_files, env, templates, problems, options, result, cache)
    else:
        pages = render_pages_parallel(stale, env, templates, problems,
                                      affordable(options.workers, options.memory_budget_mb))
        problems.raise_if_errors()
        index = index_files(problems)
        problems.raise_if_errors()
    others += index
    pages_kept = [OutputFile(spec.path, None, spec.sources) for spec in kept]
    result.files = [OutputFile(p.path, p.content, p.sources) for p in pages] + pages_kept + others
    result.rendered = len(pages)
    if write:
        if reuse_output:
            stats = update_output(result.files, options.output_dir, set(cache.outputs))
            result.written, result.unchanged, result.removed = stats.written, stats.unchanged, stats.removed
        remember(cache, options, started, sources, loaded.entries, fingerprints, result)
    if keep_last:
        cache.last = LastBuild(site, specs, spec_keys, keys, {f.rel: (f.digest, f.meta_digest) for f in loaded.files},
                               set(loaded.media), templates_key, parser, strings.get("search"),
                               searched[0] if searched else None)
    return result


# ---------------------------------------------------------------- text edits, patched in

def patch_text_edits(last: LastBuild, loaded: LoadedContent, valid: ValidContent, options: BuildOptions,
                     cache: BuildCache, problems: Problems) -> BuildResult | None:
    """The rebuild after edits to nothing but the Markdown text of stories, enterprises or
    events, or None when the edits were anything else.

    Such text shows only on the item's own page, in the search index and in the feeds
    (cards and lists key on the digest without it; see fingerprint.ItemKeys), so the last build's
    model and plan stay valid: redo those bodies, pages, index entries and feeds, and write
    what changed. The bytes are those of a full build; tests/test_incremental.py checks it."""
    files = {file.rel: file for file in loaded.files}
    if files.keys() != last.files.keys() or loaded.media != last.media or last.site.today != options.today:
        return None
    changed = [file for rel, file in files.items() if file.digest != last.files[rel][0]]
    if any(file.kind not in TEXT_ONLY_KINDS or file.meta_digest != last.files[file.rel][1] for file in changed):
        return None
    templates = options.source / "templates"
    if templates_digest(templates) != last.templates_key:
        return None
    site = last.site
    lookup = last.lookup()
    items = edited_items(lookup["items"], changed, valid, last)
    render_bodies(items, last.parser, options.file_links, problems, cache.bodies, urls=lookup["urls"])
    problems.raise_if_errors()
    for item in items:
        last.keys.own[id(item)] = item.source + item.digest
    stale, fingerprints = [], {}
    for item in items:
        for number in lookup["pages"].get(id(item), ()):
            spec = last.specs[number]
            fingerprints[spec.path] = fingerprint = page_fingerprint(spec.context, spec.template,
                                                                     last.spec_keys[number], last.keys)
            if cache.pages.get(spec.path) != fingerprint:
                stale.append(spec)
    pages = render_pages(stale, cache.environment, templates, problems)
    problems.raise_if_errors()
    files_out = [OutputFile(page.path, page.content, page.sources) for page in pages]
    files_out += [OutputFile(path, content) for path, content in text_feeds(site, items)]
    old_index = set(cache.search_paths)
    if items:
        tip_titles = {tip.number: tip.title for tip in site.tips}
        edited = [lookup["documents"][id(item)] for item in items]
        for item, number in zip(items, edited):
            last.documents[number] = search_document(site, item, tip_titles)
        files_out += search_output(last.documents, last.search_text, cache, True, problems, edited)
        problems.raise_if_errors()
    stats = update_output(files_out, options.output_dir, old_index if items else set())
    cache.pages.update(fingerprints)
    for file in files_out:
        if file.content is not None:
            cache.outputs[file.path] = len(file.content)
    for path in old_index - set(cache.search_paths):
        cache.outputs.pop(path, None)
    summary = cache.summary
    return BuildResult(site, files_out, problems.warnings, page_count=summary["pages"], next_change=summary["next_change"],
                       written=stats.written, unchanged=len(cache.outputs) - stats.written, removed=stats.removed,
                       rendered=len(pages))


def edited_items(by_source: dict[str, Item], changed: list, valid: ValidContent, last: LastBuild) -> list[Item]:
    """The published items of the changed files, with their new Markdown in place."""
    rels = {file.rel for file in changed}
    data = {entry.file.rel: entry.data for entry in valid.items if entry.file.rel in rels}
    items = []
    for file in changed:
        last.files[file.rel] = (file.digest, file.meta_digest)
        item = by_source.get(file.rel)
        if item is not None:  # drafts and stories dated later have no pages
            item.digest = file.digest
            item.body_text, item.body_line = markdown_body(file, data[file.rel])
            items.append(item)
    return items


def text_feeds(site: Site, items: list[Item]) -> list[tuple[str, bytes]]:
    """The feeds that show the text of these items: the Atom feed and event calendars."""
    files = []
    if any(item in site.cases[:FEED_SIZE] for item in items):
        files.append(("feed.xml", atom_feed(site)))
    events = [item for item in items if isinstance(item, Event)]
    if events:
        files.append(("bijeenkomsten.ics", events_ics(site)))
        files += [(f"{event.url}bijeenkomst.ics", event_ics(site, event)) for event in events]
    return files


def remember_patch(cache: BuildCache, options: BuildOptions, started: int, sources: dict, entries: dict,
                   result: BuildResult) -> None:
    """What a patched build leaves to record; pages, outputs and the index were updated in place."""
    cache.saved_at, cache.sources, cache.files = started, sources, entries
    cache.summary = {**cache.summary, "warnings": result.warnings}
    if options.use_cache:
        cache.save(options.source)


# ---------------------------------------------------------------- steps of the pipeline

BODIES_PARALLEL_MINIMUM = 300  # new Markdown bodies before a second process pays for itself


def render_all_bodies(items: list[Item], parser, file_links: bool, problems: Problems, reuse: dict,
                      workers: int, read_markdown) -> None:
    """Every item's Markdown as HTML; when many are new (a cold build), shared with forked workers."""
    new = sum(1 for item in items if item.body_text != "" and item.source not in reuse)  # "": no body at all
    if workers < 2 or new < BODIES_PARALLEL_MINIMUM:
        render_bodies(items, parser, file_links, problems, reuse, read_markdown=read_markdown)
        return

    urls = link_urls(items)

    def render(chunk: list[Item]) -> tuple[dict, list[Problem]]:
        entries = {item.source: reuse[item.source] for item in chunk if item.source in reuse}
        found = Problems(strict=problems.strict)
        render_bodies(chunk, parser, file_links, found, entries, read_markdown=read_markdown, urls=urls)
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
    if not options.use_cache:
        return None
    folder = options.source / CACHE_FOLDER / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def templates_digest(templates: Path) -> str:
    return digest(sorted((p.relative_to(templates).as_posix(), p.read_bytes())
                         for p in templates.rglob("*") if p.is_file()))


def page_keys(specs: list[PageSpec], site: Site, strings, templates: TemplateFacts) -> list[str]:
    """Per page, the key its fingerprint starts from: what every page depends on (UI strings,
    configuration, vocabulary, tips and pages, the date), the templates it is made with, and
    all content for pages whose templates read site-wide lists."""
    shared = [(item.source, item.digest, item.body_html) for item in [*site.tips, *site.pages]]
    global_key = digest(strings, site.config, site.vocabulary, shared, site.today)
    whole_site_key = digest(global_key, content_key(site))
    by_template: dict[str, str] = {}
    result = []
    for spec in specs:
        key = by_template.get(spec.template)
        if key is None:
            start = whole_site_key if templates.site_wide.get(spec.template, True) else global_key
            key = by_template[spec.template] = digest(start, templates.keys.get(spec.template, templates.everything))
        result.append(key)
    return result


def split_unchanged(specs: list[PageSpec], spec_keys: list[str], keys: ItemKeys, cache: BuildCache,
                    reuse_output: bool) -> tuple[list[PageSpec], list[PageSpec], dict[str, str]]:
    """Pages whose inputs changed since the last build, pages that can stay, and all fingerprints."""
    stale, kept, fingerprints = [], [], {}
    for spec, key in zip(specs, spec_keys):
        fingerprint = page_fingerprint(spec.context, spec.template, key, keys)
        fingerprints[spec.path] = fingerprint
        if reuse_output and cache.pages.get(spec.path) == fingerprint:
            kept.append(spec)
        else:
            stale.append(spec)
    return stale, kept, fingerprints


def write_fresh(specs: list[PageSpec], others: list[OutputFile], index_files: Callable[[Problems], list[OutputFile]],
                env, templates: Path, problems: Problems, options: BuildOptions, result: BuildResult,
                cache: BuildCache) -> tuple[list, list[OutputFile]]:
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
        pages = render_pages_parallel(specs, env, templates, problems, workers, sink=staging.put)
        late_files = index.files() if index else index_files(problems)
        problems.raise_if_errors()
        others_written += sum(staging.put(file.path, file.content) for file in late_files)
        staging.commit()
    except BaseException:
        if index:
            index.cancel()  # a long-lived caller (serve) must not keep the process
        staging.abort()
        raise
    result.written = others_written + sum(page.written for page in pages)  # workers wrote some of them
    result.unchanged = len(pages) + len(others) + len(late_files) - result.written
    return pages, late_files


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


def copy_assets(source: Path, media: set[str]) -> list[OutputFile]:
    """Static files from templates/static/ and media from content/media/."""
    files = []
    static = source / "templates" / "static"
    if static.is_dir():
        for path in sorted(static.rglob("*")):
            if path.is_file() and not path.is_symlink():
                files.append(OutputFile("static/" + path.relative_to(static).as_posix(), path.read_bytes()))
    for rel in sorted(media):
        files.append(OutputFile(rel, (source / "content" / rel).read_bytes(), (f"content/{rel}",)))
    return files


def sitemap_urls(specs: list[PageSpec]) -> list[str]:
    return [spec.url for spec in specs if spec.template not in ("redirect.html", "404.html")]


def remember(cache: BuildCache, options: BuildOptions, started: int, sources: dict, entries: dict,
             fingerprints: dict[str, str], result: BuildResult) -> None:
    """Keep what this build learned, for the next one."""
    cache.saved_at = started
    cache.sources = sources
    cache.files = entries
    cache.checked = {rel: entry for rel, entry in cache.checked.items() if rel in entries}
    live_sources = {item.source for item in all_items(result.site)}
    cache.bodies = {source: entry for source, entry in cache.bodies.items() if source in live_sources}
    cache.pages = fingerprints
    output = options.output_dir
    cache.outputs = {file.path: (len(file.content) if file.content is not None else (output / file.path).stat().st_size)
                     for file in result.files}
    cache.summary = {"pages": result.page_count, "next_change": result.next_change, "warnings": result.warnings}
    if options.use_cache:
        cache.save(options.source)


__all__ = ["BuildOptions", "BuildResult", "BuildFailed", "build"]  # BuildOptions lives in config.py

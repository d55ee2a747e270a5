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

from .cache import (CACHE_FOLDER, BuildCache, ItemKeys, content_key, digest, output_intact, page_fingerprint,
                    site_wide_templates, source_stats, unchanged_summary)
from .config import BuildOptions, site_config
from .errors import BuildFailed, Problem, Problems
from .feeds import feed_files
from .indexing import search_documents
from .load import load_content
from .markdown import make_parser, render_bodies
from .model import Site, all_items, make_site
from .output import OutputFile, Staging, check_paths, update_output
from .render import PageSpec, load_strings, make_environment, plan_pages, render_pages_parallel
from .schema import validate_content
from .search import build_search_files


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
    if cache is None and write and options.use_cache:
        summary = unchanged_summary(options.source, options.output_dir, options.cache_key())
        if summary is not None:
            return unchanged_result(summary)
    cache = cache if cache is not None else open_cache(options, write)
    sources = source_stats(options.source)
    reuse_output = write and output_intact(options.output_dir, cache.outputs)
    if reuse_output and sources == cache.sources:
        return unchanged_result({**cache.summary, "files": len(cache.outputs)})
    loaded = load_content(options.source, problems, cache.files, cache.saved_at - 2_000_000_000)
    valid = validate_content(loaded.files, loaded.media, problems, cache.checked)
    problems.raise_if_errors()
    config = site_config(valid.site, options.base_url, options.file_links)
    site = make_site(valid.items, config, valid.vocabulary, options.today, options.drafts)
    render_bodies(all_items(site), make_parser(config.raw_html), config.file_links, problems, cache.bodies)
    problems.raise_if_errors()
    templates = options.source / "templates"
    templates_key = templates_digest(templates)
    strings = load_strings(templates, problems)
    if cache.templates_key != templates_key:  # compiled templates are reused until one changes
        cache.templates_key, cache.environment, cache.site_wide = templates_key, None, {}
    env = cache.environment = make_environment(templates, site, strings, cache.environment,
                                               bytecode_folder(options) if write else None)
    if not cache.site_wide:
        cache.site_wide = site_wide_templates(env)
    specs = plan_pages(site)
    stale, kept, fingerprints = split_unchanged(specs, site, templates_key, cache, reuse_output)
    others = [OutputFile(path, content) for path, content in feed_files(site, sitemap_urls(specs))]
    others += search_output(site, strings.get("search"), cache, reuse_output, problems)
    others += copy_assets(options.source, loaded.media)
    check_paths([OutputFile(spec.path, None, spec.sources) for spec in specs] + others, problems)
    problems.raise_if_errors()
    result = BuildResult(site, [], problems.warnings, page_count=len(specs), next_change=site.next_change)
    if write and not reuse_output:
        pages = write_fresh(stale, others, env, templates, problems, options, result)
    else:
        pages = render_pages_parallel(stale, env, templates, problems, options.workers)
        problems.raise_if_errors()
    pages_kept = [OutputFile(spec.path, None, spec.sources) for spec in kept]
    result.files = [OutputFile(p.path, p.content, p.sources) for p in pages] + pages_kept + others
    result.rendered = len(pages)
    if write:
        if reuse_output:
            stats = update_output(result.files, options.output_dir, set(cache.outputs))
            result.written, result.unchanged, result.removed = stats.written, stats.unchanged, stats.removed
        remember(cache, options, started, sources, loaded.entries, fingerprints, result)
    return result


# ---------------------------------------------------------------- steps of the pipeline

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


def split_unchanged(specs: list[PageSpec], site: Site, templates_key: str, cache: BuildCache,
                    reuse_output: bool) -> tuple[list[PageSpec], list[PageSpec], dict[str, str]]:
    """Pages whose inputs changed since the last build, pages that can stay, and all fingerprints."""
    shared = [(item.source, item.digest, item.body_html) for item in [*site.tips, *site.pages]]
    global_key = digest(templates_key, site.config, site.vocabulary, shared, site.today)
    whole_site_key = digest(global_key, content_key(site))
    site_wide = cache.site_wide
    keys = ItemKeys(all_items(site))
    stale, kept, fingerprints = [], [], {}
    for spec in specs:
        key = whole_site_key if site_wide.get(spec.template, True) else global_key
        fingerprint = page_fingerprint(spec.context, spec.template, key, keys)
        fingerprints[spec.path] = fingerprint
        if reuse_output and cache.pages.get(spec.path) == fingerprint:
            kept.append(spec)
        else:
            stale.append(spec)
    return stale, kept, fingerprints


def write_fresh(specs: list[PageSpec], others: list[OutputFile], env, templates: Path, problems: Problems,
                options: BuildOptions, result: BuildResult) -> list:
    """Render straight into a staging folder and swap it in; on any error the staging goes."""
    staging = Staging(options.output_dir)
    try:
        others_written = sum(staging.put(file.path, file.content) for file in others)
        pages = render_pages_parallel(specs, env, templates, problems, options.workers, sink=staging.put)
        problems.raise_if_errors()
        staging.commit()
    except BaseException:
        staging.abort()
        raise
    result.written = others_written + sum(page.written for page in pages)  # workers wrote some of them
    result.unchanged = len(pages) + len(others) - result.written
    return pages


def search_output(site: Site, text, cache: BuildCache, reuse_output: bool, problems: Problems) -> list[OutputFile]:
    """The search index, rebuilt only when a searchable text or a search string changed."""
    documents = search_documents(site)
    key = digest(documents, text)
    if reuse_output and cache.search[0] == key:
        return [OutputFile(path, None) for path in cache.search[1]]
    try:
        files = sorted(build_search_files(documents, text, cache.search_tokens).items())
    except ValueError as error:
        problems.error("templates/strings.nl.yaml", 1, 1, str(error))
        return []
    cache.search = (key, [path for path, _ in files])
    return [OutputFile(path, content) for path, content in files]


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

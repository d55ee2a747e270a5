"""The pipeline: load, validate, model, render, write, in that order.

`build()` reads as the pipeline; each step lives in its own module. Any stage that finds
errors stops the run before anything is written, so the previous output stays intact."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .config import site_config
from .errors import BuildFailed, Problem, Problems
from .load import load_content
from .markdown import make_parser, render_markdown
from .model import Item, Site, is_published, link_site, make_item, next_change_date
from .output import OutputFile, check_paths, write_output
from .render import load_strings, make_environment, plan_pages, render_pages
from .schema import validate_content
from .feeds import feed_files
from .indexing import search_files


@dataclass
class BuildOptions:
    source: Path
    output: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    file_links: bool = False
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def output_dir(self) -> Path:
        return self.output or self.source / "output"


@dataclass
class BuildResult:
    site: Site
    files: list[OutputFile]
    warnings: list[Problem]
    written: int = 0
    unchanged: int = 0

    @property
    def page_count(self) -> int:
        return sum(1 for f in self.files if f.path.endswith(".html"))


def build(options: BuildOptions, write: bool = True) -> BuildResult:
    """Build the site; raises BuildFailed with every problem when anything is wrong."""
    problems = Problems(strict=options.strict)
    loaded = load_content(options.source, problems)
    valid = validate_content(loaded.files, loaded.media, problems)
    problems.raise_if_errors()
    site = make_site(valid, options)
    render_bodies(site, problems)
    problems.raise_if_errors()
    templates = options.source / "templates"
    env = make_environment(templates, site, load_strings(templates, problems))
    specs = plan_pages(site)
    pages = render_pages(specs, env, templates, problems)
    files = [OutputFile(p.path, p.content, p.sources) for p in pages]
    files += [OutputFile(path, content) for path, content in feed_files(site, sitemap_urls(specs))]
    files += [OutputFile(path, content) for path, content in search_files(site)]
    files += copy_assets(options.source, loaded.media)
    files = check_paths(files, problems)
    problems.raise_if_errors()
    result = BuildResult(site, files, problems.warnings)
    if write:
        stats = write_output(files, options.output_dir)
        result.written, result.unchanged = stats.written, stats.unchanged
    return result


def make_site(valid, options: BuildOptions) -> Site:
    """Turn validated content into the linked `Site`, leaving out unpublished stories."""
    config = site_config(valid.site, options.base_url, options.file_links)
    site = Site(config=config, vocabulary=valid.vocabulary, today=options.today)
    lists = {"enterprise": site.enterprises, "case": site.cases, "organisation": site.organisations,
             "procurement": site.procurements, "event": site.events, "tip": site.tips, "page": site.pages}
    all_cases = []
    for entry in valid.items:
        item = make_item(entry.file.kind, entry.file.slug, entry.file.rel, entry.data)
        item.body_text = entry.file.body  # Markdown source until render_bodies turns it into HTML
        item.body_line = entry.file.body_line
        if entry.file.kind == "enterprise":
            item.body_text, item.body_line = entry.data.get("description", ""), entry.file.position(("description",))[0] + 1
        if entry.file.kind == "case":
            all_cases.append(item)
        if is_published(item, options.today, options.drafts):
            lists[entry.file.kind].append(item)
    site.next_change = next_change_date(all_cases, site.events, options.today) if not options.drafts else None
    return link_site(site)


def all_items(site: Site) -> list[Item]:
    return [*site.enterprises, *site.cases, *site.organisations, *site.procurements,
            *site.events, *site.tips, *site.pages]


def render_bodies(site: Site, problems: Problems) -> None:
    """Markdown bodies to HTML, with links to content files turned into page URLs."""
    parser = make_parser(site.config.raw_html)
    urls = {item.source.removeprefix("content/"): item.url for item in all_items(site)}
    for item in all_items(site):
        source_text, first_line = item.body_text, getattr(item, "body_line", 1)
        if not source_text:
            continue
        folder = item.source.removeprefix("content/").rsplit("/", 1)[0]

        def resolve(target: str, page=item.url) -> str | None:
            from .urls import relative_url
            url = urls.get(target)
            return None if url is None else relative_url(page, url, site.config.file_links)

        rendered = render_markdown(parser, source_text, folder, resolve)
        item.body_html, item.body_text = rendered.html, rendered.text
        for problem in rendered.problems:
            problems.error(item.source, first_line + problem.line - 1, 1, problem.message, problem.hint)


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


def sitemap_urls(specs) -> list[str]:
    return [spec.url for spec in specs if spec.template not in ("redirect.html", "404.html")]


__all__ = ["BuildOptions", "BuildResult", "BuildFailed", "build"]

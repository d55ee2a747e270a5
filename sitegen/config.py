"""Settings: the site's, from content/site.yaml as checked by the schema, and a build's options.

Hands on a `SiteConfig` that every later stage reads, and `BuildOptions` for the pipeline."""

from __future__ import annotations

import datetime as dt
import os
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_NAV = ("verhalen", "ondernemers", "kalender", "bijeenkomsten", "tips", "impact")


@dataclass(frozen=True)
class SiteConfig:
    title: str
    base_url: str
    language: str = "nl"
    description: str = ""
    region: str = ""
    example_notice: str = ""  # one site-wide line that items labelled "Voorbeeld" are made up
    logo: dict | None = None
    nav: tuple[str, ...] = DEFAULT_NAV
    raw_html: bool = False
    noindex: bool = False
    file_links: bool = False  # links end in index.html, for opening the site from disk

    @property
    def base_path(self) -> str:
        """The sub-path of base_url, always starting and ending with '/'."""
        path = urllib.parse.urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"


def base_url_problem(value: str, label: str = "base_url") -> str:
    """The Dutch message for a base URL that is not http(s) with a host, or "" when it is fine;
    the same rule and words as the check of site.yaml's base_url (fields.Pattern)."""
    from .fields import URL_PATTERN, Pattern
    value = value.strip()
    if URL_PATTERN.match(value) and urllib.parse.urlsplit(value).hostname:
        return ""
    message, hint = Pattern.MESSAGES["url"]
    return f"'{value}' in '{label}' is {message} ({hint})"


def site_config(data: dict, base_url: str | None = None, file_links: bool = False) -> SiteConfig:
    features = data.get("features", {})
    url = base_url or data["base_url"]
    return SiteConfig(
        title=data["title"],
        base_url=url if url.endswith("/") else url + "/",
        language=data.get("language", "nl"),
        description=data.get("description", ""),
        region=data.get("region", ""),
        example_notice=data.get("example_notice", ""),
        logo=data.get("logo"),
        nav=tuple(data.get("nav") or DEFAULT_NAV),
        raw_html=features.get("raw_html", False),
        noindex=features.get("noindex", False),
        file_links=file_links,
    )


@dataclass
class BuildOptions:
    source: Path
    output: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    file_links: bool = False
    today: dt.date = field(default_factory=dt.date.today)
    workers: int = field(default_factory=lambda: min(os.cpu_count() or 1, 4))
    # Forked workers are used only while the build's estimated memory stays under this many
    # MB (workers.affordable); beyond it a large site builds in fewer processes, more slowly.
    memory_budget_mb: int = 1000
    use_cache: bool = True  # keep incremental state between runs in the user's cache folder (cache.py)

    @property
    def output_dir(self) -> Path:
        return self.output or self.source / "output"

    def cache_key(self) -> str:
        """Results of an earlier build are reusable only under the same key."""
        from .cache import code_version, digest
        return digest(code_version(), str(self.output_dir.resolve()), self.base_url, self.drafts,
                      self.strict, self.file_links, self.today)

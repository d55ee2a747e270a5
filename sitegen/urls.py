"""URL and slug helpers shared by every stage that names a page.

Every internal link is written relative to the page it is on, so one build works at the
root of a domain, under a sub-path, and opened straight from disk."""

from __future__ import annotations

import re
import unicodedata
import urllib.parse


def relative_url(from_page: str, to_path: str, file_links: bool = False) -> str:
    """Link from page `from_page` to site path `to_path` (both without a leading slash).

    Directory paths end in '/'; with `file_links` they point at their index.html, which
    is what a browser needs when the site is opened from a file share."""
    to_path, _, fragment = to_path.lstrip("/").partition("#")
    from_parts = from_page.lstrip("/").split("/")[:-1]  # the folder the page is in
    to_parts = to_path.split("/")  # the last part is a file name, or "" for a folder
    common = 0
    while common < min(len(from_parts), len(to_parts) - 1) and from_parts[common] == to_parts[common]:
        common += 1
    relative = "../" * (len(from_parts) - common) + "/".join(to_parts[common:])
    if to_path.endswith("/") or to_path == "":
        relative = relative or "./"
        if file_links:
            relative = (relative if relative != "./" else "") + "index.html"
    return relative + (f"#{fragment}" if fragment else "")


def absolute_url(base_url: str, path: str) -> str:
    """Full URL for link previews, feeds and sitemaps."""
    return urllib.parse.urljoin(base_url if base_url.endswith("/") else base_url + "/", path.lstrip("/"))


def slugify(text: str) -> str:
    """ASCII slug: 'Wat werkte én wat schuurde?' -> 'wat-werkte-en-wat-schuurde'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
